// SPDX-License-Identifier: GPL-2.0
/*
 * The core: what a managed device is. Genetlink and sysfs both read the
 * same snapshot from here; the operations on a device are in vgpu_sriov.c
 * (and later siblings), so validation, rollback and events happen in one
 * place whichever interface the request came through.
 */
#include <linux/iommu.h>
#include <linux/kernfs.h>
#include <linux/pci.h>

#include "vgpu_compat.h"
#include "vgpu_dev.h"
#include "vgpu_handle.h"
#include "vgpu_mdev.h"
#include "vgpu_registry.h"
#include "vgpu_vfs.h"

/*
 * An mdev parent (e.g. i915 with GVT-g enabled) has registered types, which
 * the mdev core shows as the mdev_supported_types directory of the parent.
 */
bool vgpu_dev_is_mdev_parent(struct pci_dev *pdev)
{
	struct kernfs_node *kn;

	kn = kernfs_find_and_get(pdev->dev.kobj.sd, "mdev_supported_types");
	if (!kn)
		return false;
	kernfs_put(kn);
	return true;
}

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
	info->mdev_parent = vgpu_dev_is_mdev_parent(pdev);
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
