/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snippet.h - what the parts of "vgpu-nl snippet" share: the thing asked
 * for, the options, and the writers of each kind of snippet
 *
 *   snippet.c      the command line; a VF or an mdev (libvirt, pve, qemu)
 *   snippet_dev.c  a whole device: every function of its slot in its
 *                  IOMMU group, a discrete GPU's primary-display options,
 *                  an Intel iGPU's legacy-mode (IGD) options
 *   snippet_map.c  --format pve-mapping, Proxmox VE's cluster mapping
 */
#ifndef VGPU_NL_CLI_SNIPPET_H
#define VGPU_NL_CLI_SNIPPET_H

#include <stdbool.h>
#include <stdio.h>

#include "host/passdev.h"
#include "kernel/handle.h"

enum snip_format { FMT_LIBVIRT, FMT_PVE, FMT_QEMU, FMT_PVE_MAPPING };

struct snip_args {
	const char *what, *root;
	int format;		/* -1 until given */
	int index;		/* -1 until given */
	const char *mapping;	/* --mapping NAME, or NULL */
	const char *node;	/* --node NAME, or NULL */
};

enum snip_kind { SNIP_VF, SNIP_MDEV, SNIP_DEV };

struct snip {
	enum snip_kind kind;
	char name[VGPU_HANDLE_MAX];	/* "0000:01:00.1", or the UUID */
	char parent[256];		/* an mdev's parent device */
	char type[256];			/* an mdev's type */
	struct pci_addr addr;		/* of the VF or device, or the mdev's parent */
	bool parent_pci;
	struct passdev pd;		/* SNIP_DEV: what passing it takes */
	bool mdev_parent;		/* SNIP_DEV with mdev_supported_types */
	char variant[64];		/* SNIP_VF: its VFIO variant driver, or "" */
};

/*
 * SNIP_DEV: reads @s->pd and refuses (EXIT_FAIL, with the reason) a
 * device that has VFs, is not on a VFIO driver, or shares its IOMMU group
 * with a device a host driver has. For a @mapping of a GVT-g parent the
 * driver is not checked: the mapping is of its mdevs, and it stays with
 * its driver.
 */
int snip_dev_check(struct snip *s, bool mapping);

/* The whole device's snippet in @fmt (libvirt, pve, qemu) to @f. */
void snip_dev_write(const struct snip *s, const struct snip_args *a, FILE *f);

/*
 * The pvesh command of --format pve-mapping to @f: EXIT_OK, or EXIT_FAIL
 * after saying why (no node name, no IOMMU group).
 */
int snip_map_write(const struct snip *s, const struct snip_args *a, FILE *f);

#endif
