/* SPDX-License-Identifier: GPL-2.0 */
/* Mediated devices (GVT-g vGPUs) and the mdev types of a parent (vgpu_mdev.c). */
#ifndef _VGPU_MDEV_H
#define _VGPU_MDEV_H

#include <linux/types.h>
#include <linux/uuid.h>

#include "vgpu_handle.h"
#include "vgpu_nl.h"

struct netlink_ext_ack;
struct nlattr;
struct pci_dev;

#define VGPU_TYPE_NAME_MAX 64

struct vgpu_type_info {
	char name[VGPU_TYPE_NAME_MAX];	/* sysfs name, "i915-GVTg_V5_4" */
	char pretty_name[VGPU_TYPE_NAME_MAX];
	char device_api[16];
	u32 available;
	char description[256];
	bool gvt;			/* the fields below were parsed */
	u32 low_gm_mb, high_gm_mb, fence, weight;
	char resolution[16];
};

struct vgpu_mdev_info {
	char uuid[VGPU_UUID_LEN + 1];
	struct vgpu_handle parent;
	char type[VGPU_TYPE_NAME_MAX];
	char driver[32];		/* "" when no driver is bound */
	int iommu_group;		/* -1 without an IOMMU group */
	bool owned;
	bool removing;
	int in_use;			/* vgpu_holders_any(); -1: not asked */
};

int vgpu_mdev_init(void);
void vgpu_mdev_exit(void);
unsigned int vgpu_mdev_generation(void);
unsigned long vgpu_mdev_for_each(unsigned long idx, const char *parent,
				 int (*fn)(void *data, const struct vgpu_mdev_info *info),
				 void *data, unsigned int *gen);
int vgpu_mdev_get(const guid_t *uuid, struct vgpu_mdev_info *info,
		  bool holders, struct netlink_ext_ack *extack);
int vgpu_mdev_type_get(struct pci_dev *pdev, const char *type,
		       struct vgpu_type_info *info,
		       struct netlink_ext_ack *extack);
int vgpu_mdev_type_list(struct pci_dev *pdev,
			char (*names)[VGPU_TYPE_NAME_MAX], int max);
int vgpu_mdev_create(struct pci_dev *pdev, const char *type, guid_t *uuid,
		     bool have_uuid, struct netlink_ext_ack *extack);
int vgpu_mdev_remove(const guid_t *uuid, bool force,
		     const struct nlattr *if_unused,
		     struct netlink_ext_ack *extack);
bool vgpu_mdev_is_parent(struct pci_dev *pdev);

#endif /* _VGPU_MDEV_H */
