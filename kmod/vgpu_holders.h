/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether a process holds a device's VFIO files open, and VFIO container
 * files kept open across a removal of VFs (vgpu_holders.c).
 */
#ifndef _VGPU_HOLDERS_H
#define _VGPU_HOLDERS_H

struct device;
struct vgpu_holders_pin;

int vgpu_holders_any(struct device *dev, int iommu_group);
struct vgpu_holders_pin *vgpu_holders_pin_containers(void);
void vgpu_holders_unpin(struct vgpu_holders_pin *pin);

#endif /* _VGPU_HOLDERS_H */
