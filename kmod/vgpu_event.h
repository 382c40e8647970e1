/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Notifications of change (vgpu_event.c). The core says what changed
 * through vgpu_event_*() and knows nothing of who listens; the glue listens
 * (vgpu_event_register(), at init): genetlink announces each change on its
 * "monitor" group, sysfs keeps a directory per managed device.
 *
 * Listeners are called in the context of the change: from the PCI or mdev
 * bus notifier (for (UN)BIND with the device's lock held, for DEL_DEVICE
 * with the PCI rescan/remove lock held), from a work item, or from a
 * request once the core has let go of its own locks; never with
 * vgpu_registry_lock or vgpu_mdev_lock held. A listener may sleep and
 * allocate, but whatever could wait for those contexts' locks (removing a
 * sysfs directory waits for its running handlers) goes to a work item.
 */
#ifndef _VGPU_EVENT_H
#define _VGPU_EVENT_H

#include <linux/types.h>

#include "vgpu_nl.h"

struct notifier_block;
struct pci_dev;
struct vgpu_dev;
struct vgpu_mdev_info;

/*
 * One change, as listeners get it (the notifier's data; its action is
 * @event). Which members are set depends on what the change is about.
 */
struct vgpu_event_info {
	enum vgpu_event event;
	/*
	 * A device found as the module loads, or let go as it unloads: what
	 * vgpu_nl manages changed, the host did not, so nothing is announced.
	 */
	bool quiet;
	struct vgpu_dev *vdev;		/* a device's DEV_*, BIND, UNBIND, NUMVFS */
	struct pci_dev *vf;		/* a VF's VF_*, BIND, UNBIND, QUOTA */
	const char *driver;		/* BIND, UNBIND: the driver, or NULL */
	int numvfs;			/* NUMVFS */
	const struct vgpu_mdev_info *mdev;	/* MDEV_ADD, MDEV_DEL */
};

int vgpu_event_register(struct notifier_block *nb);
void vgpu_event_unregister(struct notifier_block *nb);
void vgpu_event_post(struct vgpu_event_info *info);

void vgpu_event_dev(enum vgpu_event event, struct vgpu_dev *vdev,
		    const char *driver);
void vgpu_event_numvfs(struct vgpu_dev *vdev, int numvfs);
void vgpu_event_vf(enum vgpu_event event, struct pci_dev *vf,
		   const char *driver);
void vgpu_event_mdev(enum vgpu_event event, const struct vgpu_mdev_info *info);

#endif /* _VGPU_EVENT_H */
