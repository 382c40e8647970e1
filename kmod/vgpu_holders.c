// SPDX-License-Identifier: GPL-2.0
/*
 * Whether any process holds a device's VFIO files open: its VFIO group
 * (/dev/vfio/N) or its VFIO device cdev (/dev/vfio/devices/vfioX).
 *
 * Userspace can answer this too, from /proc/PID/fd, and the tool still
 * does, to name the holders; but that is a readlink() of every open file
 * of every process, and sees only the processes of its own PID namespace.
 * Here it is a compare of each open file's device number, for every task
 * of every namespace: a process that has the file open through any node
 * of the device (devtmpfs, or a container's own /dev made with mknod)
 * holds a file whose inode has that i_rdev.
 *
 * The walk takes the locks the kernel's own walk of every task's files
 * takes (tty_io.c, __do_SAK()): the task list under RCU, task_lock() so
 * that the task's files_struct is not detached meanwhile (exit_files()
 * takes it), and iterate_fd(), which holds the table's file_lock. Nothing
 * sleeps under them. Like /proc, the answer is a snapshot: a process may
 * open the file right after.
 */
#include <linux/device.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "vgpu_holders.h"
#include "vgpu_vfs.h"

/* The group, and the cdev of each VFIO device child (one for an mdev). */
#define VGPU_HOLDERS_DEVT_MAX 4

struct vgpu_holders_q {
	dev_t devt[VGPU_HOLDERS_DEVT_MAX];
	int n;
};

/*
 * The VFIO device's own struct device (the "vfio-dev/vfioX" child, in
 * class vfio-dev) has a device number when VFIO offers the cdev.
 */
static int vgpu_holders_child(struct device *child, void *data)
{
	struct vgpu_holders_q *q = data;

	if (child->devt && q->n < VGPU_HOLDERS_DEVT_MAX)
		q->devt[q->n++] = child->devt;
	return 0;
}

/*
 * The device number of VFIO group @group, from the group's device in
 * class vfio (what /dev/vfio/N is made from). Not finding it is no proof
 * that nothing can be held (the caller's mount namespace may lack /sys),
 * so it is an error: the answer is then unknown, and userspace looks.
 */
static int vgpu_holders_group(int group, struct vgpu_holders_q *q)
{
	char path[40], buf[24];
	unsigned int major, minor;
	int ret;

	snprintf(path, sizeof(path), "/sys/class/vfio/%d/dev", group);
	ret = vgpu_vfs_read(path, buf, sizeof(buf));
	if (ret)
		return ret;
	if (sscanf(buf, "%u:%u", &major, &minor) != 2)
		return -EIO;
	q->devt[q->n++] = MKDEV(major, minor);
	return 0;
}

static int vgpu_holders_match(const void *data, struct file *file,
			      unsigned int fd)
{
	const struct vgpu_holders_q *q = data;
	const struct inode *inode = file_inode(file);
	int i;

	if (!S_ISCHR(inode->i_mode))
		return 0;
	for (i = 0; i < q->n; i++)
		if (inode->i_rdev == q->devt[i])
			return 1;
	return 0;
}

/*
 * Whether a task other than the caller's thread group holds one of @q's
 * files. Threads usually share one files_struct: each group's is walked
 * once (a thread that unshared its files has its own, walked too).
 * Kernel threads are passed over, as the OOM killer's walk passes them
 * (oom_kill.c): they share the boot task's empty table (init_files), hold
 * no process's files, and on a host of many CPUs are most of the tasks.
 */
static bool vgpu_holders_walk(const struct vgpu_holders_q *q)
{
	struct files_struct *seen;
	struct task_struct *g, *t;
	bool held = false;

	rcu_read_lock();
	for_each_process(g) {
		if (same_thread_group(g, current) || (g->flags & PF_KTHREAD))
			continue;
		seen = NULL;
		for_each_thread(g, t) {
			task_lock(t);
			if (t->files && t->files != seen) {
				seen = t->files;
				held = iterate_fd(t->files, 0, vgpu_holders_match, q);
			}
			task_unlock(t);
			if (held)
				goto out;
		}
	}
out:
	rcu_read_unlock();
	return held;
}

/*
 * 1 if a process other than the caller holds @dev's VFIO group
 * (@iommu_group, -1 without one) or VFIO cdev open, 0 if none does, a
 * negative error if that cannot be told. @dev must be referenced.
 */
int vgpu_holders_any(struct device *dev, int iommu_group)
{
	struct vgpu_holders_q q = { .n = 0 };
	int ret;

	if (iommu_group >= 0) {
		ret = vgpu_holders_group(iommu_group, &q);
		if (ret)
			return ret;
	}
	device_for_each_child(dev, &q, vgpu_holders_child);
	if (!q.n)
		return 0;	/* no VFIO file to hold */
	return vgpu_holders_walk(&q);
}
