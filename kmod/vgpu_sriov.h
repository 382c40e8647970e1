/* SPDX-License-Identifier: GPL-2.0 */
/* The VF count and VF driver autoprobe of an SR-IOV PF (vgpu_sriov.c). */
#ifndef _VGPU_SRIOV_H
#define _VGPU_SRIOV_H

#include <linux/types.h>

struct netlink_ext_ack;
struct vgpu_dev;

/* A DEV_SET request; -1 (0 for prov_mode) leaves a setting as it is. */
struct vgpu_sriov_req {
	int numvfs;
	int autoprobe;
	int prov_mode;		/* VGPU_PROV_MODE_* to reach */
	bool force;
	u16 cycled;		/* out: VFs disabled and enabled for prov_mode */
};

int vgpu_sriov_set(struct vgpu_dev *vdev, struct vgpu_sriov_req *req,
		   struct netlink_ext_ack *extack);

#endif /* _VGPU_SRIOV_H */
