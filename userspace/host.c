// SPDX-License-Identifier: GPL-2.0
/*
 * host.c - VFIO file holders from /proc, VF-or-PF from /sys
 *
 * Why userspace looks for holders: the kernel sees a VF in use only when
 * it is assigned or its IOMMU group's DMA ownership is claimed (a running
 * VM). A process that merely has /dev/vfio/<group> or the VF's
 * /dev/vfio/devices/vfioX open - QEMU starting up, a VM manager probing -
 * holds a file, and which files a process holds is process state that the
 * PCI side cannot see. /proc/PID/fd shows it, so the tool reads it before
 * removing VFs (see "VFs in use" in vgpu_nl.h). It is a snapshot: a
 * process may open the file right after; the kernel's own check covers
 * the claimed case, which is what a VM that actually runs has.
 */
#define _GNU_SOURCE	/* O_DIRECTORY, O_CLOEXEC */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

const char *host_proc_root = "/proc";
const char *host_sys_root = "/sys";

#define VFIO_DIR	"/dev/vfio/"

/* "pci/0000:01:00.1" -> "0000:01:00.1", the sysfs name. */
static const char *pci_name(const char *handle)
{
	return strncmp(handle, "pci/", 4) ? handle : handle + 4;
}

bool host_pci_is_vf(const char *handle)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/physfn",
		 host_sys_root, pci_name(handle));
	return lstat(path, &st) == 0;
}

/* The iommufd cdev of a VF bound to vfio-pci: sysfs .../vfio-dev/vfioX. */
static void find_cdev(struct host_vf *vf)
{
	char path[4096];
	struct dirent *de;
	DIR *d;

	vf->cdev[0] = '\0';
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/vfio-dev",
		 host_sys_root, pci_name(vf->handle));
	d = opendir(path);
	if (!d)
		return;		/* not bound to vfio-pci, or no cdev support */
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "vfio", 4) &&
		    strlen(de->d_name) < sizeof(vf->cdev)) {
			strcpy(vf->cdev, de->d_name);
			break;
		}
	closedir(d);
}

/* A decimal number making up all of @s. */
static bool parse_group(const char *s, uint32_t *group)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*group = v;
	return true;
}

/*
 * Whether @target (an fd's link) is a VFIO file of @vf: its group node
 * (/dev/vfio/N, or /dev/vfio/noiommu-N in VFIO's no-IOMMU mode) or its
 * cdev (/dev/vfio/devices/vfioX).
 */
static bool holds(const struct host_vf *vf, const char *target)
{
	const char *rest = target + strlen(VFIO_DIR);
	uint32_t group;

	if (!strncmp(rest, "devices/", 8))
		return vf->cdev[0] && !strcmp(rest + 8, vf->cdev);
	if (!strncmp(rest, "noiommu-", 8))
		rest += 8;
	return vf->has_group && parse_group(rest, &group) &&
	       group == vf->group;
}

/* /proc/PID/comm, made safe to print on one line. */
static int read_comm(int procfd, const char *pid, char *comm, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;
	char *p;

	snprintf(path, sizeof(path), "%s/comm", pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, comm, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	/* A process names itself: it must not forge lines or escapes. */
	for (p = comm; *p; p++)
		if (iscntrl((unsigned char)*p))
			*p = '?';
	return 0;
}

static int add_holder(struct host_vf *vf, int pid, const char *comm)
{
	struct host_holder *h;

	/* Several fds of one process (group and cdev) make one holder. */
	if (vf->nholders && vf->holders[vf->nholders - 1].pid == pid)
		return 0;
	h = realloc(vf->holders, (vf->nholders + 1) * sizeof(*h));
	if (!h)
		return -ENOMEM;
	vf->holders = h;
	h += vf->nholders++;
	h->pid = pid;
	snprintf(h->comm, sizeof(h->comm), "%s", comm);
	return 0;
}

/* All fds of one process; a process that is gone or closed to us is skipped. */
static int scan_pid(int procfd, const char *pid, struct host_vf *vfs, size_t n)
{
	char path[64], target[4096], comm[32] = "";
	bool have_comm = false;
	struct dirent *de;
	ssize_t len;
	size_t i;
	int fd, ret = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/fd", pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* ENOENT: it exited; EACCES: not ours */
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		len = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
		if (len < 0)
			continue;	/* closed meanwhile */
		target[len] = '\0';
		if (strncmp(target, VFIO_DIR, strlen(VFIO_DIR)))
			continue;
		for (i = 0; !ret && i < n; i++) {
			if (!holds(&vfs[i], target))
				continue;
			if (!have_comm) {
				if (read_comm(procfd, pid, comm, sizeof(comm)) < 0)
					goto out;	/* it exited: holds nothing */
				have_comm = true;
			}
			ret = add_holder(&vfs[i], atoi(pid), comm);
		}
	}
out:
	closedir(d);
	return ret;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int by_pid(const void *a, const void *b)
{
	const struct host_holder *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int host_find_holders(struct host_vf *vfs, size_t n)
{
	struct dirent *de;
	size_t i;
	int procfd, ret = 0;
	DIR *d;

	for (i = 0; i < n; i++)
		find_cdev(&vfs[i]);
	if (!n)
		return 0;
	procfd = open(host_proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -errno;
	d = fdopendir(procfd);
	if (!d) {
		ret = -errno;
		close(procfd);
		return ret;
	}
	while (!ret && (de = readdir(d)))
		if (all_digits(de->d_name))
			ret = scan_pid(procfd, de->d_name, vfs, n);
	closedir(d);
	/* procfs lists pids in order, other trees need not: same output. */
	for (i = 0; i < n; i++)
		if (vfs[i].nholders > 1)
			qsort(vfs[i].holders, vfs[i].nholders,
			      sizeof(*vfs[i].holders), by_pid);
	return ret;
}

void host_vfs_free(struct host_vf *vfs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(vfs[i].holders);
		vfs[i].holders = NULL;
		vfs[i].nholders = 0;
	}
}
