/* SPDX-License-Identifier: GPL-2.0 */
/* What a managed device is: the snapshot genetlink and sysfs both show. */
#ifndef _VGPU_DEV_H
#define _VGPU_DEV_H

#include <linux/types.h>

#include "vgpu_handle.h"

struct vgpu_dev;

/* A snapshot of a device's state, shared by genetlink and sysfs. */
struct vgpu_dev_info {
	struct vgpu_handle handle;
	u16 vendor, device, subsys_vendor, subsys_device;
	u32 class;
	char driver[32];		/* "" when no driver is bound */
	int iommu_group;		/* -1 without an IOMMU group */
	bool is_pf;
	u16 totalvfs, numvfs;
	bool autoprobe;
	bool mdev_parent;
	u32 mdev_types;
};

void vgpu_dev_get_info(struct vgpu_dev *vdev, struct vgpu_dev_info *info);

#endif /* _VGPU_DEV_H */
