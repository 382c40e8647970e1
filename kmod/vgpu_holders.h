/* SPDX-License-Identifier: GPL-2.0 */
/* Whether a process holds a device's VFIO files open (vgpu_holders.c). */
#ifndef _VGPU_HOLDERS_H
#define _VGPU_HOLDERS_H

struct device;

int vgpu_holders_any(struct device *dev, int iommu_group);

#endif /* _VGPU_HOLDERS_H */
