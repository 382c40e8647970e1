// SPDX-License-Identifier: GPL-2.0
/*
 * The core: what a managed device is. Genetlink and sysfs both read the
 * same snapshot from here; the operations on a device are in vgpu_sriov.c,
 * vgpu_vf.c and vgpu_mdev.c, so validation, rollback and events happen in
 * one place whichever interface the request came through.
 *
 * Small, and its own part: the snapshot reads the registry, the mdev core
 * and other drivers' files; kept apart, the registry depends on neither
 * of the other two.
 */
#include <linux/minmax.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "vgpu_dev.h"
#include "vgpu_handle.h"
#include "vgpu_mdev.h"
#include "vgpu_registry.h"
#include "vgpu_vfs.h"

void vgpu_dev_get_info(struct vgpu_dev *vdev, struct vgpu_dev_info *info)
{
	struct pci_dev *pdev = vdev->pdev;
	char buf[8];

	memset(info, 0, sizeof(*info));
	info->handle = vgpu_handle(&pdev->dev);
	info->vendor = pdev->vendor;
	info->device = pdev->device;
	info->subsys_vendor = pdev->subsystem_vendor;
	info->subsys_device = pdev->subsystem_device;
	info->class = pdev->class;
	vgpu_dev_driver_name(vdev, info->driver, sizeof(info->driver));
	info->iommu_group = vgpu_iommu_group_id(&pdev->dev);
	info->mdev_parent = vgpu_mdev_is_parent(pdev);
	if (info->mdev_parent)
		info->mdev_types = max(vgpu_mdev_type_list(pdev, NULL, 0), 0);

	info->is_pf = pdev->is_physfn;
	if (info->is_pf) {
		info->totalvfs = pci_sriov_get_totalvfs(pdev);
		info->numvfs = pci_num_vf(pdev);
		/* Kernel default is on; keep it if the file cannot be read. */
		info->autoprobe = true;
		if (!vgpu_vfs_read_dev_attr(pdev, "sriov_drivers_autoprobe",
					    buf, sizeof(buf)))
			info->autoprobe = buf[0] == '1';
	}
}
