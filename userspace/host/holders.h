/* SPDX-License-Identifier: GPL-2.0 */
/*
 * holders.h - what the tool reads from /proc and /sys itself, because the
 * kernel module cannot report it: which processes hold the VFIO files of a
 * VF or an mdev open, and whether a PCI function is a VF.
 */
#ifndef VGPU_NL_HOST_HOLDERS_H
#define VGPU_NL_HOST_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgpu_nl.h"

/*
 * Where procfs and sysfs are mounted: "/proc" and "/sys". Only the unit
 * tests point them elsewhere (a fake tree in a temporary directory).
 */
extern const char *host_proc_root;
extern const char *host_sys_root;

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
 * Whether the PCI function named by @handle ("pci/DDDD:BB:DD.F") is an
 * SR-IOV VF: it has a physfn link in sysfs. False when it does not exist.
 */
bool host_pci_is_vf(const char *handle);

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

struct nlattr;
struct vgpu_nl;
struct vgpu_nl_replies;

/*
 * Every reply of @rep parsed into @tbs (one attribute table each, for the
 * printer) and described in @hds for host_find_holders(): named by the
 * string attribute @key_attr (a VF handle, an mdev UUID), with the IOMMU
 * group of @group_attr. An object without its key cannot be named, so the
 * lot is refused ("malformed @what reply"). Free with host_collect_free().
 */
int host_collect(struct vgpu_nl *nl, const struct vgpu_nl_replies *rep,
		 int key_attr, int group_attr, const char *what,
		 struct nlattr *(**tbs)[VGPU_A_MAX + 1], struct host_dev **hds);
void host_collect_free(struct nlattr *(*tbs)[VGPU_A_MAX + 1],
		       struct host_dev *hds, size_t n);

#endif
