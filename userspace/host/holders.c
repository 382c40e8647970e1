// SPDX-License-Identifier: GPL-2.0
/*
 * holders.c - VFIO file holders from /proc, VF-or-PF from /sys
 *
 * Why userspace looks for holders: the kernel sees a VF in use only when
 * it is assigned or its IOMMU group's DMA ownership is claimed (a running
 * VM). A process that merely has /dev/vfio/<group> or the VF's
 * /dev/vfio/devices/vfioX open - QEMU starting up, a VM manager probing -
 * holds a file, and which files a process holds is process state that the
 * PCI side cannot see. /proc/PID/fd shows it, so the tool reads it before
 * removing VFs or mdevs (see "VFs in use" in vgpu_nl.h). It is a
 * snapshot: a process may open the file right after; the kernel's own
 * check covers the claimed case, which is what a VM that actually runs has.
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

#include "host/holders.h"
#include "host/pci.h"
#include "host/rootfs.h"
#include "output/output.h"

#define VFIO_DIR	"/dev/vfio/"

const char *host_proc(void)
{
	static char path[ROOTFS_PATH_MAX];

	if (rootfs_path(path, "/proc"))
		return "/proc";
	return path;
}

/*
 * The iommufd cdev of a VFIO device - a VF bound to vfio-pci, an mdev
 * bound to its vendor's VFIO driver: sysfs .../vfio-dev/vfioX.
 */
static void find_cdev(struct host_dev *vf)
{
	char **names;
	int i, n;

	vf->cdev[0] = '\0';
	if (!strncmp(vf->handle, "pci/", 4))
		n = rootfs_list(&names, PCI_DEVICES "/%s/vfio-dev",
				vf->handle + 4);
	else
		n = rootfs_list(&names, "/sys/bus/mdev/devices/%s/vfio-dev",
				vf->handle);
	/* None: not bound to a VFIO driver, or no cdev support. */
	for (i = 0; i < n; i++)
		if (!strncmp(names[i], "vfio", 4) &&
		    strlen(names[i]) < sizeof(vf->cdev)) {
			strcpy(vf->cdev, names[i]);
			break;
		}
	rootfs_list_free(names, n);
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
 * The devices sorted by IOMMU group and by cdev name, so that each VFIO
 * file found in /proc costs a binary search: "mdev show" may look for
 * thousands of devices at once.
 */
struct index {
	struct host_dev **by_group;	/* those with a group */
	size_t ngroup;
	struct host_dev **by_cdev;	/* those with a cdev */
	size_t ncdev;
};

static int cmp_group(const void *a, const void *b)
{
	const struct host_dev *x = *(struct host_dev *const *)a;
	const struct host_dev *y = *(struct host_dev *const *)b;

	return (x->group > y->group) - (x->group < y->group);
}

static int cmp_cdev(const void *a, const void *b)
{
	const struct host_dev *x = *(struct host_dev *const *)a;
	const struct host_dev *y = *(struct host_dev *const *)b;

	return strcmp(x->cdev, y->cdev);
}

static int index_build(struct index *ix, struct host_dev *devs, size_t n)
{
	size_t i;

	memset(ix, 0, sizeof(*ix));
	ix->by_group = malloc(n * sizeof(*ix->by_group));
	ix->by_cdev = malloc(n * sizeof(*ix->by_cdev));
	if (!ix->by_group || !ix->by_cdev)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (devs[i].has_group)
			ix->by_group[ix->ngroup++] = &devs[i];
		if (devs[i].cdev[0])
			ix->by_cdev[ix->ncdev++] = &devs[i];
	}
	qsort(ix->by_group, ix->ngroup, sizeof(*ix->by_group), cmp_group);
	qsort(ix->by_cdev, ix->ncdev, sizeof(*ix->by_cdev), cmp_cdev);
	return 0;
}

static void index_free(struct index *ix)
{
	free(ix->by_group);
	free(ix->by_cdev);
}

/*
 * The first of the sorted @v[0..@n) not below @key, by @cmp: where a run
 * of equal devices (VFs sharing a group) starts.
 */
static size_t lower_bound(struct host_dev **v, size_t n,
			  const struct host_dev *key,
			  int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cmp(&v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The devices @target (an fd's link under /dev/vfio/) belongs to: a group
 * node (/dev/vfio/N, or /dev/vfio/noiommu-N in VFIO's no-IOMMU mode) or a
 * cdev (/dev/vfio/devices/vfioX). Sets *@v to the first and returns how
 * many there are (0: not one of ours).
 */
static size_t held_devs(const struct index *ix, const char *target,
			struct host_dev ***v)
{
	const char *rest = target + strlen(VFIO_DIR);
	struct host_dev key = { 0 }, *keyp = &key, **arr;
	int (*cmp)(const void *, const void *);
	size_t n, first, last;

	if (!strncmp(rest, "devices/", 8)) {
		if (strlen(rest + 8) >= sizeof(key.cdev) || !rest[8])
			return 0;
		strcpy(key.cdev, rest + 8);
		arr = ix->by_cdev;
		n = ix->ncdev;
		cmp = cmp_cdev;
	} else {
		if (!strncmp(rest, "noiommu-", 8))
			rest += 8;
		if (!parse_group(rest, &key.group))
			return 0;
		arr = ix->by_group;
		n = ix->ngroup;
		cmp = cmp_group;
	}
	first = lower_bound(arr, n, keyp, cmp);
	for (last = first; last < n && !cmp(&arr[last], &keyp); last++)
		;
	*v = arr + first;
	return last - first;
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

static int add_holder(struct host_dev *vf, int pid, const char *comm)
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

/* One fd of a process: whether it is one of our VFIO files, and whose. */
static int scan_fd(int procfd, int dirfd, const char *pid, const char *fd,
		   const struct index *ix, char *comm, size_t len)
{
	char target[4096];
	struct host_dev **v;
	size_t i, n;
	ssize_t tlen;
	int ret = 0;

	tlen = readlinkat(dirfd, fd, target, sizeof(target) - 1);
	if (tlen < 0)
		return 0;	/* closed meanwhile */
	target[tlen] = '\0';
	if (strncmp(target, VFIO_DIR, strlen(VFIO_DIR)))
		return 0;
	n = held_devs(ix, target, &v);
	if (n && !comm[0] && read_comm(procfd, pid, comm, len) < 0)
		return 0;	/* it exited: holds nothing */
	for (i = 0; !ret && i < n; i++)
		ret = add_holder(v[i], atoi(pid), comm);
	return ret;
}

/*
 * Since Linux 6.2 the size of /proc/PID/fd is the process's number of
 * open files (Documentation/filesystems/proc.rst): a process with none -
 * every kernel thread, most of a host's processes - is then passed over
 * with one fstatat() instead of an open, a read and a close. Whether this
 * kernel says so is seen on our own directory, which has open files.
 */
static bool fd_counts(int procfd)
{
	struct stat st;

	return fstatat(procfd, "self/fd", &st, 0) == 0 && st.st_size > 0;
}

/*
 * All fds of one process; a process that is gone or closed to us is
 * skipped. The directory is read with getdents64() on the descriptor
 * openat() gave (opendir()'s checks would cost three more system calls a
 * process), and once: procfs fills the buffer while it has entries, so
 * room for one more left over means there are no more. This pass is what
 * an unforced "mdev del" pays most for in userspace (cli/mdev.c).
 */
static int scan_pid(int procfd, const char *pid, bool counts,
		    const struct index *ix)
{
	char path[64], comm[32] = "", buf[8192];
	struct dirent64 *de;
	struct stat st;
	size_t plen = strlen(pid);
	ssize_t len, off;
	int fd, ret = 0;

	/* "PID/fd", without printf: @pid is 1 to 10 digits (all_digits()). */
	memcpy(path, pid, plen);
	memcpy(path + plen, "/fd", sizeof("/fd"));
	if (counts && (fstatat(procfd, path, &st, 0) < 0 || !st.st_size))
		return 0;	/* no files, or gone */
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* ENOENT: it exited; EACCES: not ours */
	while (!ret && (len = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; !ret && off < len; off += de->d_reclen) {
			de = (struct dirent64 *)(buf + off);
			if (de->d_name[0] != '.')
				ret = scan_fd(procfd, fd, pid, de->d_name, ix,
					      comm, sizeof(comm));
		}
		if ((size_t)len < sizeof(buf) - sizeof(*de))
			break;
	}
	close(fd);
	return ret;
}

/* A pid's directory name: 1 to 10 digits. */
static bool all_digits(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (n == 10 || !isdigit((unsigned char)s[n]))
			return false;
	return n > 0;
}

static int by_pid(const void *a, const void *b)
{
	const struct host_holder *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int host_find_holders(struct host_dev *devs, size_t n)
{
	struct index ix;
	struct dirent *de;
	size_t i;
	int procfd, ret = 0;
	char self[16];
	bool counts;
	DIR *d;

	for (i = 0; i < n; i++)
		find_cdev(&devs[i]);
	if (!n)
		return 0;
	procfd = open(host_proc(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -errno;
	d = fdopendir(procfd);
	if (!d) {
		ret = -errno;
		close(procfd);
		return ret;
	}
	ret = index_build(&ix, devs, n);
	/*
	 * Not ourselves: the tool may have inherited a holder's descriptor
	 * from the shell that runs it, which is then listed instead.
	 */
	snprintf(self, sizeof(self), "%d", getpid());
	counts = fd_counts(procfd);
	while (!ret && (de = readdir(d)))
		if (all_digits(de->d_name) && strcmp(de->d_name, self))
			ret = scan_pid(procfd, de->d_name, counts, &ix);
	index_free(&ix);
	closedir(d);
	/* procfs lists pids in order, other trees need not: same output. */
	for (i = 0; i < n; i++)
		if (devs[i].nholders > 1)
			qsort(devs[i].holders, devs[i].nholders,
			      sizeof(*devs[i].holders), by_pid);
	return ret;
}

void host_devs_free(struct host_dev *devs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(devs[i].holders);
		devs[i].holders = NULL;
		devs[i].nholders = 0;
	}
}

void host_find_holders_or_warn(struct host_dev *devs, size_t n,
			       const char *what)
{
	int ret = host_find_holders(devs, n);

	if (ret < 0)
		pr_warn("cannot look for processes using the %ss in %s: %s",
			what, host_proc(), strerror(-ret));
}

int host_busy_list(const struct host_dev *devs, size_t n, const char *prefix,
		   char **busy)
{
	bool any = false;
	size_t len, i, j;
	FILE *f;

	*busy = NULL;
	f = open_memstream(busy, &len);
	if (!f)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!devs[i].nholders)
			continue;
		fprintf(f, "%s%s%s (", any ? ", " : "", prefix, devs[i].handle);
		for (j = 0; j < devs[i].nholders; j++)
			fprintf(f, "%spid %d %s", j ? ", " : "",
				devs[i].holders[j].pid, devs[i].holders[j].comm);
		fputc(')', f);
		any = true;
	}
	if (fclose(f) || !*busy) {
		free(*busy);
		*busy = NULL;
		return -ENOMEM;
	}
	if (!any) {
		free(*busy);
		*busy = NULL;
	}
	return 0;
}
