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
	u8 state;			/* enum vgpu_vf_state, 0: not known */
	int migration;			/* -1: no VFIO driver; 0/1: it migrates */
};

/* What a VF is looked up for: the refusals are worded for it. */
enum vgpu_vf_purpose { VGPU_VF_FOR_GET, VGPU_VF_FOR_SET };

/* A VF_SET request; NULL (0) leaves a part as it is. */
struct vgpu_vf_req {
	const char *driver;		/* a VFIO PCI driver, or "" for the default */
	const struct vgpu_quota *quota;
	int control;			/* enum vgpu_vf_control */
};

struct pci_dev *vgpu_vf_get(struct pci_dev *pf, unsigned int index);
struct pci_dev *vgpu_vf_lookup(const char *handle, enum vgpu_vf_purpose why,
			       struct netlink_ext_ack *extack);
bool vgpu_vf_in_use(struct pci_dev *vf);
int vgpu_vf_rebind(struct pci_dev *vf, const char *name);
void vgpu_vf_get_info(struct pci_dev *vf, struct vgpu_vf_info *info);
int vgpu_vf_set(struct pci_dev *vf, const struct vgpu_vf_req *req,
		struct netlink_ext_ack *extack);

#endif /* _VGPU_VF_H */
