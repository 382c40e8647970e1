/* SPDX-License-Identifier: GPL-2.0 */
/*
 * passdev.h - what giving one whole PCI device to a VM takes, read from
 * sysfs under the root (host/rootfs.h): the functions that go with it,
 * the rest of its IOMMU group and what stands in the way
 *
 * One answer for "snippet DEV" (what the VM gets, or why not), "host plan
 * passthrough" (what vfio-pci takes at boot) and "doctor" (the IOMMU
 * group finding), so that the three cannot disagree.
 *
 * VFIO hands out IOMMU groups, not functions: every device of the group
 * must be bound to a VFIO driver, to pci-stub or to none, except
 * PCI-to-PCI bridges (drivers/vfio/group.c, vfio_dev_driver_allowed()).
 * The VM gets the functions of the device's slot that share its group
 * (a GPU's HDMI audio, USB-C and UCSI functions), together in one guest
 * slot as on the host; a slot function in a group of its own stays with
 * the host. Anything else in the group is an obstacle.
 */
#ifndef VGPU_NL_HOST_PASSDEV_H
#define VGPU_NL_HOST_PASSDEV_H

#include <stdbool.h>
#include <stddef.h>

#include "host/pci.h"

#define PASSDEV_MAX	32

enum passdev_kind {
	PASSDEV_OTHER,		/* not a display controller */
	PASSDEV_IGD,		/* Intel's iGPU at 00:02.0 */
	PASSDEV_VGA,		/* a discrete VGA-compatible GPU (0300) */
	PASSDEV_GPU,		/* a display controller without VGA (3D, 0302) */
};

/* What to do about another member of the device's group. */
enum passdev_peer {
	PEER_BRIDGE,		/* a PCI bridge: stays with the host, VFIO allows it */
	PEER_SLOT,		/* a function of the same slot: it goes along */
	PEER_UNBOUND,		/* no driver: VFIO allows it; the VM cannot use it */
	PEER_BLOCKS,		/* bound to a host driver: pass it too, or split the group */
};

struct passdev {
	struct pci_fn dev;		/* the device asked for */
	enum passdev_kind kind;
	unsigned int numvfs;		/* SR-IOV VFs enabled on it */
	struct pci_fn fns[8];		/* what the VM gets, function order */
	size_t nfns;
	bool whole_slot;		/* fns is every function of the slot */
	struct pci_fn peers[PASSDEV_MAX];	/* the rest of the group */
	size_t npeers;
	bool peers_cut;			/* more than PASSDEV_MAX */
};

/*
 * Reads what passing @name ("0000:01:00.0") whole takes. Returns 0,
 * -ENOENT when there is no such function, -EINVAL for a bridge or a VF
 * (a VF goes to a VM alone), -ENOMEM.
 */
int passdev_read(const char *name, struct passdev *pd);

/* The role of a group member in passing @pd. */
enum passdev_peer passdev_peer_role(const struct passdev *pd,
				    const struct pci_fn *peer);

/* How many peers block the assignment (PEER_BLOCKS). */
size_t passdev_blockers(const struct passdev *pd);

/*
 * "0000:03:00.0 (class 020000, driver r8169): pass it to the same VM
 * too, or ..." for one peer, into @buf: what it is and what to do.
 */
void passdev_peer_advice(const struct passdev *pd, const struct pci_fn *peer,
			 char *buf, size_t len);

/* A short name of the class: "VGA", "3D", "audio", "USB", "bridge"... */
const char *pci_class_name(const struct pci_fn *fn);

#endif
