// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications of change: a blocking notifier chain between the core,
 * which calls vgpu_event_*() after every change it makes or sees (the PCI
 * bus notifier reports those made by others), and the glue that listens.
 * See vgpu_event.h for the context listeners run in.
 */
#include <linux/notifier.h>

#include "vgpu_event.h"
#include "vgpu_nl.h"

static BLOCKING_NOTIFIER_HEAD(vgpu_event_chain);

int vgpu_event_register(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&vgpu_event_chain, nb);
}

void vgpu_event_unregister(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&vgpu_event_chain, nb);
}

void vgpu_event_post(struct vgpu_event_info *info)
{
	blocking_notifier_call_chain(&vgpu_event_chain, info->event, info);
}

/* DEV_ADD, DEV_DEL, DEV_CHANGE, and BIND/UNBIND of a device (with @driver). */
void vgpu_event_dev(enum vgpu_event event, struct vgpu_dev *vdev,
		    const char *driver)
{
	struct vgpu_event_info info = {
		.event = event, .vdev = vdev, .driver = driver,
	};

	vgpu_event_post(&info);
}

/* The VF count of @vdev settled at @numvfs. */
void vgpu_event_numvfs(struct vgpu_dev *vdev, int numvfs)
{
	struct vgpu_event_info info = {
		.event = VGPU_EVENT_NUMVFS, .vdev = vdev, .numvfs = numvfs,
	};

	vgpu_event_post(&info);
}

/* VF_ADD, VF_DEL, QUOTA, and BIND/UNBIND of a VF (with @driver). */
void vgpu_event_vf(enum vgpu_event event, struct pci_dev *vf,
		   const char *driver)
{
	struct vgpu_event_info info = {
		.event = event, .vf = vf, .driver = driver,
	};

	vgpu_event_post(&info);
}

/* MDEV_ADD, MDEV_DEL. */
void vgpu_event_mdev(enum vgpu_event event, const struct vgpu_mdev_info *info)
{
	struct vgpu_event_info e = { .event = event, .mdev = info };

	vgpu_event_post(&e);
}
