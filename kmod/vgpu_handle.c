// SPDX-License-Identifier: GPL-2.0
/*
 * Device handles, the names the uAPI gives devices (see vgpu_nl.h):
 * "pci/DDDD:BB:DD.F", the bus name, a slash and the device name as the
 * kernel spells it. Every handle vgpu_nl shows, in a reply, an event, a
 * sysfs file or a message, is made by vgpu_handle(); every handle it is
 * given is parsed by vgpu_handle_to_pdev(). The IOMMU group number is the
 * other name userspace needs for a device (/dev/vfio/N), so it is here too.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/pci.h>

#include "vgpu_compat.h"
#include "vgpu_handle.h"

struct vgpu_handle vgpu_handle(const struct device *dev)
{
	struct vgpu_handle h;

	/* An mdev parent need not be a PCI function. */
	snprintf(h.s, sizeof(h.s), "%s/%s",
		 dev->bus ? dev->bus->name : "virtual", dev_name(dev));
	return h;
}

/*
 * The PCI function named by @handle ("pci/DDDD:BB:DD.F") with a reference,
 * or an ERR_PTR with the reason in @extack.
 */
struct pci_dev *vgpu_handle_to_pdev(const char *handle,
				    struct netlink_ext_ack *extack)
{
	unsigned int domain, bus, slot, fn;
	struct pci_dev *pdev;
	char tail;

	if (sscanf(handle, "pci/%4x:%2x:%2x.%1x%c",
		   &domain, &bus, &slot, &fn, &tail) != 4 ||
	    slot > 0x1f || fn > 7) {
		VGPU_ERR_FMT(extack, "malformed handle \"%.32s\", expected pci/DDDD:BB:DD.F",
			     handle);
		return ERR_PTR(-EINVAL);
	}
	pdev = pci_get_domain_bus_and_slot(domain, bus, PCI_DEVFN(slot, fn));
	if (!pdev) {
		VGPU_ERR_FMT(extack, "%s: no such PCI device", handle);
		return ERR_PTR(-ENODEV);
	}
	return pdev;
}

/* The number of @dev's IOMMU group, -1 without one. */
int vgpu_iommu_group_id(struct device *dev)
{
	struct iommu_group *group;
	int id;

	group = iommu_group_get(dev);
	if (!group)
		return -1;
	id = iommu_group_id(group);
	iommu_group_put(group);
	return id;
}
