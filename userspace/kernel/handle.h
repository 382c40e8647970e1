/* SPDX-License-Identifier: GPL-2.0 */
/*
 * handle.h - device handles and mdev UUIDs as users type them and as the
 * kernel wants them
 */
#ifndef VGPU_NL_HANDLE_H
#define VGPU_NL_HANDLE_H

#include <stdbool.h>
#include <stddef.h>

#include "vgpu_nl.h"

struct pci_addr {
	unsigned int domain;	/* 0..ffff */
	unsigned int bus;	/* 0..ff */
	unsigned int dev;	/* 0..1f */
	unsigned int fn;	/* 0..7 */
};

/*
 * Accepts "pci/DDDD:BB:DD.F", "DDDD:BB:DD.F" or "BB:DD.F" (domain 0), hex
 * in either case. Returns 0 or -EINVAL.
 */
int handle_parse_pci(const char *s, struct pci_addr *addr);

/* The kernel's spelling, "pci/dddd:bb:dd.f". */
void handle_format(const struct pci_addr *addr, char out[VGPU_HANDLE_MAX]);

/* Both at once: @s normalised into @out. Returns 0 or -EINVAL. */
int handle_normalize(const char *s, char out[VGPU_HANDLE_MAX]);

/*
 * An mdev UUID, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (36 characters, hex
 * in either case), into its canonical lower-case form - the one sysfs and
 * mdevctl use, so that it also names mdevctl's definition file. Any
 * version and variant is accepted, as by the kernel's uuid_parse().
 * Returns 0 or -EINVAL.
 */
int uuid_normalize(const char *s, char out[VGPU_UUID_LEN + 1]);

/*
 * Whether @uuid (canonical form) is one that Proxmox VE makes for the mdev
 * of a VM's hostpciN line, and if so whose: qemu-server's
 * generate_mdev_uuid() is sprintf("%08d-0000-0000-0000-%012d", $index,
 * $vmid), the hostpci index (0..15) first and the VM id (100..999999999,
 * pve-vmid) last: "00000001-0000-0000-0000-000000000100" is VM 100's
 * hostpci1.
 */
bool uuid_pve_owner(const char *uuid, unsigned int *vmid, unsigned int *index);

/*
 * The name a parent's handle has in sysfs and in /etc/mdevctl.d:
 * "pci/0000:00:02.0" -> "0000:00:02.0" (whatever the bus, after the '/').
 */
const char *handle_dev_name(const char *handle);

#endif
