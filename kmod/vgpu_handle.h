/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How userspace names a device (vgpu_handle.c): its handle, formatted
 * here and nowhere else, parsed here, and its IOMMU group number.
 */
#ifndef _VGPU_HANDLE_H
#define _VGPU_HANDLE_H

#include "vgpu_nl.h"

struct device;
struct netlink_ext_ack;
struct pci_dev;

/*
 * A handle as a value, so that a message can name a device in place:
 *   VGPU_ERR_FMT(extack, "%s is busy", vgpu_handle(&pdev->dev).s);
 * The returned struct lives until the end of the full expression that
 * called vgpu_handle() (C11 6.2.4, "temporary lifetime").
 */
struct vgpu_handle {
	char s[VGPU_HANDLE_MAX];
};

struct vgpu_handle vgpu_handle(const struct device *dev);
struct pci_dev *vgpu_handle_to_pdev(const char *handle,
				    struct netlink_ext_ack *extack);
int vgpu_iommu_group_id(struct device *dev);

#endif /* _VGPU_HANDLE_H */
