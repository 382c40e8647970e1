/* SPDX-License-Identifier: GPL-2.0 */
/* The VF count and VF driver autoprobe of an SR-IOV PF (vgpu_sriov.c). */
#ifndef _VGPU_SRIOV_H
#define _VGPU_SRIOV_H

#include <linux/types.h>

struct netlink_ext_ack;
struct vgpu_dev;

/* A DEV_SET request; -1 leaves a setting as it is. */
struct vgpu_sriov_req {
	int numvfs;
	int autoprobe;
	bool force;
};

int vgpu_sriov_set(struct vgpu_dev *vdev, const struct vgpu_sriov_req *req,
		   struct netlink_ext_ack *extack);

#endif /* _VGPU_SRIOV_H */
