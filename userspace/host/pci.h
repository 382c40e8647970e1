/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci.h - the host's PCI functions as sysfs shows them, under the root
 * (host/rootfs.h): the one enumerator "host plan", "snippet", "doctor",
 * "apply" and "vf show" read them with
 */
#ifndef VGPU_NL_HOST_PCI_H
#define VGPU_NL_HOST_PCI_H

#include <stdbool.h>
#include <stddef.h>

/* Where the functions are, one entry (a link) per function. */
#define PCI_DEVICES	"/sys/bus/pci/devices"

/* One function, from PCI_DEVICES/NAME. */
struct pci_fn {
	char name[16];		/* "0000:00:02.0" */
	unsigned int vendor, device, class;
	char driver[64];	/* "" when none is bound */
	bool boot_vga;		/* the firmware's console is on it */
	bool is_vf;		/* an SR-IOV VF: it has a physfn link */
};

/* Reads @name ("0000:00:02.0"); 0, or -ENOENT when there is no such function. */
int pci_fn_read(const char *name, struct pci_fn *fn);

/* A display controller (class 03xxxx): a GPU. */
bool pci_is_display(const struct pci_fn *fn);
/* A bridge (class 06xxxx): it stays with the host. */
bool pci_is_bridge(const struct pci_fn *fn);

/* Whether @name is a function there. */
bool pci_fn_exists(const char *name);
/* Whether @name is an SR-IOV VF; false when it does not exist. */
bool pci_is_vf(const char *name);

/* A number attribute of @name ("sriov_totalvfs"); false when there is none. */
bool pci_fn_uint(const char *name, const char *attr, unsigned int *v);

/* qsort() order of struct pci_fn: by name, which is bus order. */
int pci_fn_cmp(const void *a, const void *b);

/* Which functions pci_list() takes. */
enum pci_filter {
	PCI_ALL,
	PCI_DISPLAY,		/* display controllers only */
	PCI_NO_BRIDGES,		/* everything a VM can take */
};

/*
 * The functions named in the directory @dir (PCI_DEVICES, or an IOMMU
 * group's ".../iommu_group/devices") whose names start with @prefix ("" for
 * all, "0000:01:00." for a slot), read and filtered, sorted by name, into
 * a malloc'ed *@fns. Returns the count, or -errno when @dir cannot be listed.
 */
int pci_list(const char *dir, const char *prefix, enum pci_filter filter,
	     struct pci_fn **fns);

#endif
