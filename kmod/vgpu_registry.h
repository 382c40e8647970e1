/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The managed devices and their lifetime (vgpu_registry.c).
 *
 * Locking, outermost first:
 *   genl_mutex         all genetlink ops and every sysfs store of ours;
 *                      serialises the mutating core paths
 *   device_lock        taken by the driver core around probe/remove; our
 *                      bus notifier runs under it for (UN)BIND events; the
 *                      core holds the PF's across a VF count change, as
 *                      sriov_numvfs_store() does
 *   vgpu_registry_lock the device list, each device's cached driver name
 *                      and the generation counter; a leaf: nothing is
 *                      called with it held but list/memory operations
 *   vgpu_mdev_lock     the mdev snapshots (vgpu_mdev.c); a leaf as well
 * Events are sent with neither leaf lock held; the event chain's rwsem is
 * held for reading while its listeners run and taken for writing only at
 * load and unload, when listeners come and go (vgpu_event.h).
 *
 * A struct vgpu_dev lives as long as its last reference: the registry's
 * list holds one while the device is managed, every lookup returns one
 * more, to be given back with vgpu_dev_put().
 */
#ifndef _VGPU_REGISTRY_H
#define _VGPU_REGISTRY_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct netlink_ext_ack;
struct pci_dev;

struct vgpu_dev {
	struct pci_dev *pdev;		/* pci_dev_get() reference */
	/* The rest is the registry's. */
	struct kref ref;
	struct list_head node;		/* vgpu_registry_lock; empty once gone */
	char driver[32];		/* vgpu_registry_lock; "" if unbound */
	struct work_struct numvfs_work;	/* announces VF count changes */
	int last_numvfs;		/* only touched by numvfs_work */
};

/* Module load and unload (vgpu_main.c): init, start, stop, exit. */
int vgpu_registry_init(void);
int vgpu_registry_start(void);
void vgpu_registry_stop(void);
void vgpu_registry_exit(void);

struct vgpu_dev *vgpu_dev_lookup(const char *handle,
				 struct netlink_ext_ack *extack);
struct vgpu_dev *vgpu_dev_find(struct pci_dev *pdev);
struct vgpu_dev *vgpu_dev_get_nth(unsigned long idx, unsigned int *gen);
struct vgpu_dev *vgpu_dev_get(struct vgpu_dev *vdev);
void vgpu_dev_put(struct vgpu_dev *vdev);
bool vgpu_dev_registered(struct vgpu_dev *vdev);
void vgpu_dev_driver_name(struct vgpu_dev *vdev, char *buf, size_t len);

#endif /* _VGPU_REGISTRY_H */
