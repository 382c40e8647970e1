// SPDX-License-Identifier: GPL-2.0
/*
 * Whether any process holds a device's VFIO files open: its VFIO group
 * (/dev/vfio/N), its VFIO device cdev (/dev/vfio/devices/vfioX), or a
 * device file got from either.
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
 *
 * The same walk finds the VFIO container files that a removal of VFs keeps
 * open until it is over (vgpu_holders_pin_containers(), below).
 */
#include <linux/device.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/major.h>
#include <linux/miscdevice.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vfio.h>

#include "vgpu_holders.h"
#include "vgpu_vfs.h"

/* The group, and the cdev of each VFIO device child (one for an mdev). */
#define VGPU_HOLDERS_DEVT_MAX 4

struct vgpu_holders_q {
	dev_t devt[VGPU_HOLDERS_DEVT_MAX];
	int n;
	bool opened;
};

/*
 * The VFIO device's own struct device (the "vfio-dev/vfioX" child, in
 * class vfio-dev) has a device number when VFIO offers the cdev.
 *
 * It is also the one place that sees a device file a process got from
 * the group (VFIO_GROUP_GET_DEVICE_FD) and kept after closing the group
 * and container files: an anonymous inode, with no device number to
 * match, which keeps the group busy. The struct vfio_device around the
 * child counts the opens of its device files (open_count, which VFIO
 * keeps under the device set's lock): read once, a snapshot as the walk
 * below is. The child is referenced while this runs (the klist walk of
 * device_for_each_child() holds it), and with it the vfio_device, which
 * the child's release frees.
 */
static int vgpu_holders_child(struct device *child, void *data)
{
	struct vgpu_holders_q *q = data;
	struct vfio_device *vdev;

	/* The last slot is the group's (vgpu_holders_group(), after). */
	if (child->devt && q->n < VGPU_HOLDERS_DEVT_MAX - 1)
		q->devt[q->n++] = child->devt;
	if (child->class && !strcmp(child->class->name, "vfio-dev")) {
		vdev = container_of(child, struct vfio_device, device);
		if (READ_ONCE(vdev->open_count))
			q->opened = true;
	}
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
 * Calls @fn on the open files of every process but the kernel threads (and
 * the caller's thread group if @skip_self), until @fn returns non-zero,
 * and returns that. Threads usually share one files_struct: each group's
 * is walked once (a thread that unshared its files has its own, walked
 * too). Kernel threads are passed over, as the OOM killer's walk passes
 * them (oom_kill.c): they share the boot task's empty table (init_files),
 * hold no process's files, and on a host of many CPUs are most of the
 * tasks. @fn runs under the table's spinlock: it must not sleep.
 */
static int vgpu_holders_each_file(bool skip_self,
				  int (*fn)(const void *, struct file *, unsigned int),
				  const void *data)
{
	struct files_struct *seen;
	struct task_struct *g, *t;
	int ret = 0;

	rcu_read_lock();
	for_each_process(g) {
		if ((skip_self && same_thread_group(g, current)) ||
		    (g->flags & PF_KTHREAD))
			continue;
		seen = NULL;
		for_each_thread(g, t) {
			task_lock(t);
			if (t->files && t->files != seen) {
				seen = t->files;
				ret = iterate_fd(t->files, 0, fn, data);
			}
			task_unlock(t);
			if (ret)
				goto out;
		}
	}
out:
	rcu_read_unlock();
	return ret;
}

/*
 * 1 if a process holds a file of @dev's VFIO device open, or if one other
 * than the caller holds its VFIO group (@iommu_group, -1 without one) or
 * VFIO cdev open; 0 if none does, a negative error if that cannot be
 * told. @dev must be referenced.
 */
int vgpu_holders_any(struct device *dev, int iommu_group)
{
	struct vgpu_holders_q q = { .n = 0 };
	int ret;

	device_for_each_child(dev, &q, vgpu_holders_child);
	if (q.opened)
		return 1;
	if (iommu_group >= 0) {
		ret = vgpu_holders_group(iommu_group, &q);
		if (ret)
			return ret;
	}
	if (!q.n)
		return 0;	/* no VFIO file to hold */
	return vgpu_holders_each_file(true, vgpu_holders_match, &q) != 0;
}

/*
 * The VFIO container files every process has open, kept open by vgpu_nl
 * while it disables a PF's VFs (vgpu_sriov_apply()).
 *
 * Removing a VF that a VM holds through vfio-pci asks the VM to let go
 * (its .request), waits until it has closed the device, then detaches the
 * VF's group from its container if the VM still has the group open
 * (vfio_device_remove_group()). On 6.1 (not on 6.12) the release of a
 * container file reads the container's IOMMU driver and that driver's
 * data without the container's lock (vfio_fops_release(), for its notify
 * op): a VM killed while the removal waits closes its device, then its
 * container and group files, and that release can meet the detach and
 * call the type1 driver with its data already NULL - the crash that
 * vgpu_mdev.c's removal avoids by holding the group. A VF's group cannot
 * be held that way: the VM must keep it to be asked to let go.
 *
 * So the last reference to each container file is kept here until the
 * VFs are gone: a VM that exits, or closes its container after the
 * request, then drops a reference but does not release the file, and the
 * release runs at vgpu_holders_unpin(), after every detach. All of them,
 * not only those of the VFs' VMs: which container a group is attached to
 * is VFIO's private state (a container is /dev/vfio/vfio, device number
 * MISC_MAJOR:VFIO_MINOR, whichever node it was opened through), and there
 * is one per VM. Kept on every kernel: which VFIO core has the unlocked
 * release cannot be probed, and keeping one costs a VM nothing. Like the
 * walk above, a snapshot: a container opened after it is not kept.
 */
struct vgpu_holders_pin {
	unsigned int n, max;
	struct file *file[];
};

/* Room for containers opened between the count and the pin. */
#define VGPU_HOLDERS_PIN_SLACK 8

static bool vgpu_holders_is_container(struct file *file)
{
	const struct inode *inode = file_inode(file);

	return S_ISCHR(inode->i_mode) &&
	       inode->i_rdev == MKDEV(MISC_MAJOR, VFIO_MINOR);
}

/* iterate_fd() hands @data on as const; it is the caller's, writable. */
static int vgpu_holders_count_container(const void *data, struct file *file,
					unsigned int fd)
{
	unsigned int *n = (void *)data;

	if (vgpu_holders_is_container(file))
		(*n)++;
	return 0;
}

/* Under the table's lock, which holds a reference for the slot. */
static int vgpu_holders_pin_container(const void *data, struct file *file,
				      unsigned int fd)
{
	struct vgpu_holders_pin *pin = (void *)data;

	if (!vgpu_holders_is_container(file))
		return 0;
	if (pin->n == pin->max)
		return 1;
	pin->file[pin->n++] = get_file(file);
	return 0;
}

/*
 * Takes a reference to every open VFIO container file; NULL if there is
 * none, or no memory for them (then the removal goes on as a plain
 * sriov_numvfs write would). /dev/vfio/vfio is open to every user, so
 * there may be as many as the system's open files: the array (a pointer
 * each) is kvmalloc()ed, vmalloc taking what kmalloc cannot give, and a
 * size no allocator gives is not a warning in the kernel log.
 */
struct vgpu_holders_pin *vgpu_holders_pin_containers(void)
{
	struct vgpu_holders_pin *pin;
	unsigned int n = 0;

	vgpu_holders_each_file(false, vgpu_holders_count_container, &n);
	if (!n)
		return NULL;
	pin = kvmalloc(struct_size(pin, file, n + VGPU_HOLDERS_PIN_SLACK),
		       GFP_KERNEL | __GFP_NOWARN);
	if (!pin)
		return NULL;
	pin->n = 0;
	pin->max = n + VGPU_HOLDERS_PIN_SLACK;
	vgpu_holders_each_file(false, vgpu_holders_pin_container, pin);
	return pin;
}

/*
 * Drops the references. A file whose last one this is is released when
 * the caller returns to userspace (or by the delayed fput work for a
 * kernel thread), not here under the caller's locks.
 */
void vgpu_holders_unpin(struct vgpu_holders_pin *pin)
{
	unsigned int i;

	if (!pin)
		return;
	for (i = 0; i < pin->n; i++)
		fput(pin->file[i]);
	kvfree(pin);
}
