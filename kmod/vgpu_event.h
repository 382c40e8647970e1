/* SPDX-License-Identifier: GPL-2.0 */
/* Notifications of changes to managed devices, VFs and mdevs. */
#ifndef _VGPU_EVENT_H
#define _VGPU_EVENT_H

#include "vgpu_nl.h"

struct pci_dev;
struct vgpu_dev;
struct vgpu_mdev_info;

void vgpu_event_dev(enum vgpu_event event, struct vgpu_dev *vdev,
		    const char *driver);
void vgpu_event_numvfs(struct vgpu_dev *vdev, int numvfs);
void vgpu_event_vf(enum vgpu_event event, struct pci_dev *vf,
		   const char *driver);
void vgpu_event_mdev(enum vgpu_event event, const struct vgpu_mdev_info *info);

#endif /* _VGPU_EVENT_H */
