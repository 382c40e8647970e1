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
	unsigned int subsys_vendor, subsys_device;	/* 0 when not shown */
	bool has_subsys;	/* subsystem_vendor and subsystem_device exist */
	int iommu_group;	/* -1 when it has none (the IOMMU is off) */
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
/*
 * A PCI-to-PCI (or CardBus) bridge, class 0604/0607/0609: a type 1 or 2
 * header, which VFIO lets share a group with an assigned device (the
 * kernel's vfio_dev_driver_allowed()). Host and ISA (LPC) bridges have a
 * normal header and count as devices.
 */
bool pci_is_pci_bridge(const struct pci_fn *fn);
/* A VGA-compatible display controller (class 0300): legacy VGA ranges. */
bool pci_is_vga(const struct pci_fn *fn);
/* Bound to vfio-pci or one of its variant drivers (xe-vfio-pci, ...). */
bool pci_is_vfio(const struct pci_fn *fn);
/* Intel's integrated GPU: vendor 8086, display class, always at 00:02.0. */
bool pci_is_igd(const struct pci_fn *fn);

/* "0000:01:00." for "0000:01:00.1": the slot's prefix, into @out. */
void pci_slot_prefix(const char *name, char out[16]);

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
