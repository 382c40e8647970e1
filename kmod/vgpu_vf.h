/* SPDX-License-Identifier: GPL-2.0 */
/* Virtual functions of managed PFs (vgpu_vf.c). */
#ifndef _VGPU_VF_H
#define _VGPU_VF_H

#include <linux/types.h>

#include "vgpu_handle.h"

struct netlink_ext_ack;
struct pci_dev;
struct vgpu_quota;

struct vgpu_vf_info {
	struct vgpu_handle handle;
	struct vgpu_handle pf;
	u16 index;
	char driver[32];		/* "" when no driver is bound */
	char override[32];		/* "" without driver_override */
	int iommu_group;		/* -1 without an IOMMU group */
	bool assigned;
};

/* What a VF is looked up for: the refusals are worded for it. */
enum vgpu_vf_purpose { VGPU_VF_FOR_GET, VGPU_VF_FOR_SET };

/* A VF_SET request; NULL leaves a part as it is. */
struct vgpu_vf_req {
	const char *driver;		/* "vfio-pci", or "" for the default */
	const struct vgpu_quota *quota;
};

struct pci_dev *vgpu_vf_get(struct pci_dev *pf, unsigned int index);
struct pci_dev *vgpu_vf_lookup(const char *handle, enum vgpu_vf_purpose why,
			       struct netlink_ext_ack *extack);
bool vgpu_vf_in_use(struct pci_dev *vf);
void vgpu_vf_get_info(struct pci_dev *vf, struct vgpu_vf_info *info);
int vgpu_vf_set(struct pci_dev *vf, const struct vgpu_vf_req *req,
		struct netlink_ext_ack *extack);

#endif /* _VGPU_VF_H */
