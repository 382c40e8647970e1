// SPDX-License-Identifier: GPL-2.0
/*
 * Reads, writes and directory listings of sysfs through the VFS.
 *
 * Some state has no exported accessor: the VF driver autoprobe flag lives in
 * the PCI core's private struct pci_sriov, and mdev devices can only be
 * created and removed through sysfs because mdev_device_create() and
 * mdev_device_remove() are not exported. The stable sysfs ABI is the
 * supported interface to both; opening it through the VFS (rather than
 * calling an attribute's ->show/->store directly) keeps kernfs' active
 * references, so the attribute cannot go away under us and the write is
 * exactly what a shell user's write would be.
 *
 * Paths resolve in the calling task's mount namespace, which is where the
 * user's /sys is; a work item writes through a file its requester opened,
 * or resolves paths from its requester's root (vgpu_vfs_lend_begin()).
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kobject.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mman.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "vgpu_vfs.h"

/*
 * A work item that runs for a task (a sysfs write's DEV_SET, a sysfs read,
 * vgpu_sysfs.c) resolves paths from that task's root, not from the kernel
 * threads' root, which need not show /sys or /proc (7.x boots do not), and
 * borrows its address space for the files that need one (debugfs: see
 * vgpu_vfs_rw_user()). Workers of several tasks may run at once, so each
 * lend is on a list, found by comparing its worker with current; every
 * other caller goes on as before (the list is empty, or not theirs).
 */
static LIST_HEAD(vgpu_vfs_lends);
static DEFINE_SPINLOCK(vgpu_vfs_lends_lock);

/* In the task the work is for, before queueing it. */
void vgpu_vfs_lend_take(struct vgpu_vfs_lend *l)
{
	get_fs_root(current->fs, &l->root);
	l->mm = current->mm;
	if (l->mm)
		mmget(l->mm);
	l->task = NULL;
}

/* In the task, once the work is done. */
void vgpu_vfs_lend_drop(struct vgpu_vfs_lend *l)
{
	if (l->mm)
		mmput(l->mm);
	path_put(&l->root);
}

/* In the worker, around the work: a kernel thread with no mm of its own. */
void vgpu_vfs_lend_begin(struct vgpu_vfs_lend *l)
{
	l->task = current;
	if (l->mm)
		kthread_use_mm(l->mm);
	spin_lock(&vgpu_vfs_lends_lock);
	list_add(&l->node, &vgpu_vfs_lends);
	spin_unlock(&vgpu_vfs_lends_lock);
}

void vgpu_vfs_lend_end(struct vgpu_vfs_lend *l)
{
	spin_lock(&vgpu_vfs_lends_lock);
	list_del(&l->node);
	spin_unlock(&vgpu_vfs_lends_lock);
	if (l->mm)
		kthread_unuse_mm(l->mm);
}

/*
 * The root current's worker was lent, if any. The entry is current's own
 * and stays on the list until current ends it, so the path stays valid
 * after the lock is let go.
 */
static const struct path *vgpu_vfs_lent_root(void)
{
	const struct path *root = NULL;
	struct vgpu_vfs_lend *l;

	if (list_empty_careful(&vgpu_vfs_lends))
		return NULL;
	spin_lock(&vgpu_vfs_lends_lock);
	list_for_each_entry(l, &vgpu_vfs_lends, node)
		if (l->task == current) {
			root = &l->root;
			break;
		}
	spin_unlock(&vgpu_vfs_lends_lock);
	return root;
}

static struct file *vgpu_vfs_open(const char *path, int flags)
{
	const struct path *root = vgpu_vfs_lent_root();

	if (root)
		return file_open_root(root, path, flags, 0);
	return filp_open(path, flags, 0);
}

/*
 * kernel_read() and kernel_write() need ->read_iter/->write_iter. sysfs has
 * them; debugfs attribute files (DEFINE_DEBUGFS_ATTRIBUTE, where xe keeps
 * its VF quotas) only have ->read/->write, which take a __user buffer. For
 * those, the caller's own address space lends a page: the request runs in
 * the context of the process that sent it, so current->mm is its own (a
 * worker borrows it: vgpu_vfs_lend_begin()).
 */
static ssize_t vgpu_vfs_rw_user(struct file *filp, char *kbuf, size_t len,
				bool write)
{
	unsigned long ubuf;
	loff_t pos = 0;
	ssize_t n;

	if (!current->mm || len > PAGE_SIZE)
		return -EOPNOTSUPP;
	ubuf = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(ubuf))
		return (long)ubuf;
	if (write) {
		n = copy_to_user((char __user *)ubuf, kbuf, len) ? -EFAULT :
		    filp->f_op->write(filp, (const char __user *)ubuf, len, &pos);
	} else {
		n = filp->f_op->read(filp, (char __user *)ubuf, len, &pos);
		if (n > 0 && copy_from_user(kbuf, (const char __user *)ubuf, n))
			n = -EFAULT;
	}
	vm_munmap(ubuf, PAGE_SIZE);
	return n;
}

/* Reads @path into @buf as a string without trailing whitespace. */
int vgpu_vfs_read(const char *path, char *buf, size_t len)
{
	struct file *filp;
	loff_t pos = 0;
	ssize_t n;

	filp = vgpu_vfs_open(path, O_RDONLY);
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	if (filp->f_op->read_iter)
		n = kernel_read(filp, buf, len - 1, &pos);
	else if (filp->f_op->read)
		n = vgpu_vfs_rw_user(filp, buf, len - 1, false);
	else
		n = -EINVAL;
	filp_close(filp, NULL);
	if (n < 0)
		return n;
	buf[n] = '\0';
	strim(buf);
	return 0;
}

/*
 * Writes @val to a file opened with vgpu_vfs_open_write(), as one write()
 * from offset 0. May run in a work item when @filp is a sysfs file.
 */
int vgpu_vfs_write_file(struct file *filp, const char *val)
{
	size_t len = strlen(val);
	loff_t pos = 0;
	ssize_t n;

	if (filp->f_op->write_iter)
		n = kernel_write(filp, val, len, &pos);
	else if (filp->f_op->write)
		n = vgpu_vfs_rw_user(filp, (char *)val, len, true);
	else
		n = -EINVAL;
	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}

/*
 * The calling task's root, referenced, for a work item that opens paths
 * later, maybe again and again (vgpu_vfs_open_rw()); vgpu_vfs_root_put()
 * lets it go. Unlike a lend (vgpu_vfs_lend_take()), no address space is
 * kept: a work item that may wait for days must not pin the requester's.
 */
void vgpu_vfs_root_get(struct path *root)
{
	const struct path *lent = vgpu_vfs_lent_root();

	if (lent) {
		*root = *lent;
		path_get(root);
	} else {
		get_fs_root(current->fs, root);
	}
}

void vgpu_vfs_root_put(struct path *root)
{
	path_put(root);
}

/*
 * Opens @path for reading and writing, from @root (vgpu_vfs_root_get()),
 * or in the calling task's mount namespace if @root is NULL: a device
 * file held open for what its open excludes (vgpu_mdev.c, a VFIO group).
 */
struct file *vgpu_vfs_open_rw(const struct path *root, const char *path)
{
	if (root)
		return file_open_root(root, path, O_RDWR, 0);
	return vgpu_vfs_open(path, O_RDWR);
}

/*
 * Opens @path for writing in the calling task's mount namespace. A work
 * item that must write a file opens it here, in the requester's context,
 * and writes it later: work items resolve paths from the kernel threads'
 * root, which need not show /sys (7.x boots do not).
 */
struct file *vgpu_vfs_open_write(const char *path)
{
	return vgpu_vfs_open(path, O_WRONLY);
}

void vgpu_vfs_close(struct file *filp)
{
	filp_close(filp, NULL);
}

int vgpu_vfs_write(const char *path, const char *val)
{
	struct file *filp;
	int ret;

	filp = vgpu_vfs_open_write(path);
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	ret = vgpu_vfs_write_file(filp, val);
	vgpu_vfs_close(filp);
	return ret;
}

/*
 * The entries are collected first and @fn is called once the directory is
 * closed: sysfs's readdir (kernfs_fop_readdir()) holds the kernfs root's
 * rwsem for reading while it calls the actor, and @fn opening a file of
 * sysfs from there takes it again (kernfs_dop_revalidate()). A recursive
 * read lock deadlocks as soon as a writer - any sysfs file being added or
 * removed, a VF appearing - queues between the two: seen on 7.3 under the
 * stress test as tasks hung on that rwsem.
 */
struct vgpu_vfs_dir_ctx {
	struct dir_context ctx;
	char *names;		/* NUL-terminated names, one after another */
	size_t len, cap;
	int ret;
};

static bool vgpu_vfs_dir_actor(struct dir_context *ctx, const char *name,
			       int namelen, loff_t offset, u64 ino,
			       unsigned int d_type)
{
	struct vgpu_vfs_dir_ctx *dc = container_of(ctx, struct vgpu_vfs_dir_ctx, ctx);
	size_t cap;
	char *grown;

	if (namelen > NAME_MAX ||
	    (namelen == 1 && name[0] == '.') ||
	    (namelen == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	if (dc->len + namelen + 1 > dc->cap) {
		cap = max_t(size_t, 2 * dc->cap, dc->len + namelen + 1 + 256);
		grown = krealloc(dc->names, cap, GFP_KERNEL);
		if (!grown) {
			dc->ret = -ENOMEM;
			return false;
		}
		dc->names = grown;
		dc->cap = cap;
	}
	memcpy(dc->names + dc->len, name, namelen);
	dc->names[dc->len + namelen] = '\0';
	dc->len += namelen + 1;
	return true;
}

/* Calls @fn for every entry of directory @path until it returns non-zero. */
int vgpu_vfs_list_dir(const char *path, int (*fn)(void *data, const char *name),
		      void *data)
{
	struct vgpu_vfs_dir_ctx dc = {
		.ctx.actor = vgpu_vfs_dir_actor,
	};
	struct file *filp;
	size_t pos;
	int ret;

	filp = vgpu_vfs_open(path, O_RDONLY | O_DIRECTORY);
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	ret = iterate_dir(filp, &dc.ctx);
	filp_close(filp, NULL);
	if (!ret)
		ret = dc.ret;
	for (pos = 0; !ret && pos < dc.len; pos += strlen(dc.names + pos) + 1)
		ret = fn(data, dc.names + pos);
	kfree(dc.names);
	return ret > 0 ? 0 : ret;
}

/*
 * "/sys", @dev's directory as the kernel names it (its kobject path,
 * /devices/pci0000:00/...) and what @fmt makes. The directory a user's
 * /sys/bus/<bus>/devices/<name> leads to, without that link's lookups:
 * the bus directories, the symlink, and its way back up from the bus to
 * /sys/devices - half the path walk of a create or remove file's open.
 * PCI and mdev devices are never renamed or moved.
 */
char *vgpu_vfs_sys_path(struct device *dev, const char *fmt, ...)
{
	char *kpath, *rest, *path = NULL;
	va_list ap;

	kpath = kobject_get_path(&dev->kobj, GFP_KERNEL);
	va_start(ap, fmt);
	rest = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (kpath && rest)
		path = kasprintf(GFP_KERNEL, "/sys%s/%s", kpath, rest);
	kfree(rest);
	kfree(kpath);
	return path;
}

static char *vgpu_vfs_dev_path(struct pci_dev *pdev, const char *attr)
{
	return vgpu_vfs_sys_path(&pdev->dev, "%s", attr);
}

bool vgpu_vfs_dev_has(struct pci_dev *pdev, const char *name)
{
	char *path = vgpu_vfs_dev_path(pdev, name);
	struct file *filp;

	if (!path)
		return false;
	/* A lookup only: O_PATH opens no file, NOFOLLOW as kern_path(0). */
	filp = vgpu_vfs_open(path, O_PATH | O_NOFOLLOW);
	kfree(path);
	if (IS_ERR(filp))
		return false;
	filp_close(filp, NULL);
	return true;
}

int vgpu_vfs_read_dev_attr(struct pci_dev *pdev, const char *attr,
			   char *buf, size_t len)
{
	char *path = vgpu_vfs_dev_path(pdev, attr);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = vgpu_vfs_read(path, buf, len);
	kfree(path);
	return ret;
}

int vgpu_vfs_write_dev_attr(struct pci_dev *pdev, const char *attr,
			    const char *val)
{
	char *path = vgpu_vfs_dev_path(pdev, attr);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = vgpu_vfs_write(path, val);
	kfree(path);
	return ret;
}
