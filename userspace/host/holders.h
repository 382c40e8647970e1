/* SPDX-License-Identifier: GPL-2.0 */
/*
 * holders.h - which processes hold the VFIO files of a VF or an mdev
 * open: read from /proc and /sys under the root (host/rootfs.h) by the
 * tool itself, because the kernel module cannot report it.
 */
#ifndef VGPU_NL_HOST_HOLDERS_H
#define VGPU_NL_HOST_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the scan looks, "/proc" under the root: for messages. */
const char *host_proc(void);

/* One process holding a device's VFIO file open. */
struct host_holder {
	int pid;
	char comm[32];		/* /proc/PID/comm, control characters as '?' */
};

/*
 * One VFIO device to look for, a VF or an mdev; the caller fills handle
 * and group.
 */
struct host_dev {
	const char *handle;	/* "pci/0000:01:00.1" or an mdev's UUID; borrowed */
	bool has_group;		/* the kernel's VGPU_A_VF/MDEV_IOMMU_GROUP */
	uint32_t group;
	char cdev[32];		/* "vfioX" of its iommufd cdev, "" if none */
	struct host_holder *holders;	/* ascending pid, each pid once */
	size_t nholders;
};

/*
 * Finds, in one pass over /proc/[0-9]*\/fd, every process with an open
 * /dev/vfio/<group> (or noiommu-<group>) or /dev/vfio/devices/<cdev> of
 * each of the @n devices, and fills their cdev (from sysfs: the PCI
 * function's or /sys/bus/mdev/devices/<uuid>'s vfio-dev/) and holders.
 * Each open VFIO file found costs a binary search, so thousands of
 * devices cost little more than one. Processes that vanish or that we may
 * not look into are skipped: without root, only the caller's own
 * processes are seen. Returns 0, or -errno when /proc cannot be read at
 * all or memory ran out (what was found so far stays filled).
 */
int host_find_holders(struct host_dev *devs, size_t n);

/*
 * host_find_holders() for "show" commands: when /proc cannot be read, a
 * warning ("cannot look for processes using the @whats ...") and the
 * kernel's view alone, which is still worth showing.
 */
void host_find_holders_or_warn(struct host_dev *devs, size_t n,
			       const char *what);

/*
 * "PREFIXHANDLE (pid 123 qemu, pid 456 x)" for every device of @devs that
 * processes hold, separated by ", ", into a malloc'ed *@busy; NULL when
 * none is held. 0 or -ENOMEM.
 */
int host_busy_list(const struct host_dev *devs, size_t n, const char *prefix,
		   char **busy);

/* Frees the holders of the @n devices (not the array). */
void host_devs_free(struct host_dev *devs, size_t n);

#endif
