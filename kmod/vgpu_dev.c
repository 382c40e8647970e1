// SPDX-License-Identifier: GPL-2.0
/*
 * The core: what a managed device is and the operations on it. Genetlink
 * and sysfs both call in here, so validation, rollback and events happen
 * in one place whichever interface the request came through.
 */
#include <linux/iommu.h>
#include <linux/kernfs.h>
#include <linux/pci.h>

#include "vgpu_compat.h"
#include "vgpu_core.h"

void vgpu_dev_handle(struct vgpu_dev *vdev, char *buf, size_t len)
{
	snprintf(buf, len, "pci/%s", pci_name(vdev->pdev));
}

static int vgpu_dev_iommu_group(struct pci_dev *pdev)
{
	struct iommu_group *group;
	int id;

	group = iommu_group_get(&pdev->dev);
	if (!group)
		return -1;
	id = iommu_group_id(group);
	iommu_group_put(group);
	return id;
}

/*
 * An mdev parent (e.g. i915 with GVT-g enabled) has registered types, which
 * the mdev core shows as the mdev_supported_types directory of the parent.
 */
static bool vgpu_dev_is_mdev_parent(struct pci_dev *pdev)
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
	info->vendor = pdev->vendor;
	info->device = pdev->device;
	info->subsys_vendor = pdev->subsystem_vendor;
	info->subsys_device = pdev->subsystem_device;
	info->class = pdev->class;
	vgpu_dev_driver_name(vdev, info->driver, sizeof(info->driver));
	info->iommu_group = vgpu_dev_iommu_group(pdev);
	info->mdev_parent = vgpu_dev_is_mdev_parent(pdev);

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

static int vgpu_dev_require_pf(struct vgpu_dev *vdev,
			       struct netlink_ext_ack *extack)
{
	if (vdev->pdev->is_physfn)
		return 0;
	VGPU_ERR_FMT(extack, "pci/%s has no SR-IOV capability",
		     pci_name(vdev->pdev));
	return -EOPNOTSUPP;
}

/*
 * VF driver autoprobe: whether VFs bind to a driver as soon as they appear.
 * Off lets an admin hand every new VF to vfio-pci without a host driver
 * grabbing it first.
 */
int vgpu_dev_set_autoprobe(struct vgpu_dev *vdev, bool on,
			   struct netlink_ext_ack *extack)
{
	int ret;

	ret = vgpu_dev_require_pf(vdev, extack);
	if (ret)
		return ret;

	ret = vgpu_vfs_write_dev_attr(vdev->pdev, "sriov_drivers_autoprobe",
				      on ? "1" : "0");
	if (ret) {
		VGPU_ERR_FMT(extack, "pci/%s: writing sriov_drivers_autoprobe failed (%d)",
			     pci_name(vdev->pdev), ret);
		return ret;
	}
	vgpu_event_dev(VGPU_EVENT_DEV_CHANGE, vdev, NULL);
	return 0;
}
