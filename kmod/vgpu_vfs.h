/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reads, writes and directory listings of other drivers' sysfs (and
 * debugfs) files through the VFS (vgpu_vfs.c says why), and the open of a
 * device file held for what its open excludes (a VFIO group).
 */
#ifndef _VGPU_VFS_H
#define _VGPU_VFS_H

#include <linux/list.h>
#include <linux/path.h>
#include <linux/types.h>

struct device;
struct file;
struct mm_struct;
struct pci_dev;
struct task_struct;

/* What a worker borrows from the task it works for (vgpu_vfs.c). */
struct vgpu_vfs_lend {
	struct list_head node;
	struct task_struct *task;	/* the worker, between begin and end */
	struct path root;		/* the task's, referenced */
	struct mm_struct *mm;		/* the task's (mmget), or NULL */
};

void vgpu_vfs_lend_take(struct vgpu_vfs_lend *l);
void vgpu_vfs_lend_drop(struct vgpu_vfs_lend *l);
void vgpu_vfs_lend_begin(struct vgpu_vfs_lend *l);
void vgpu_vfs_lend_end(struct vgpu_vfs_lend *l);

int vgpu_vfs_read(const char *path, char *buf, size_t len);
int vgpu_vfs_write(const char *path, const char *val);
struct file *vgpu_vfs_open_write(const char *path);
void vgpu_vfs_root_get(struct path *root);
void vgpu_vfs_root_put(struct path *root);
struct file *vgpu_vfs_open_rw(const struct path *root, const char *path);
int vgpu_vfs_write_file(struct file *filp, const char *val);
void vgpu_vfs_close(struct file *filp);
int vgpu_vfs_list_dir(const char *path, int (*fn)(void *data, const char *name),
		      void *data);
int vgpu_vfs_read_dev_attr(struct pci_dev *pdev, const char *attr,
			   char *buf, size_t len);
int vgpu_vfs_write_dev_attr(struct pci_dev *pdev, const char *attr,
			    const char *val);
/* Whether @pdev's sysfs directory has an entry @name (a path lookup). */
bool vgpu_vfs_dev_has(struct pci_dev *pdev, const char *name);
/* "/sys", @dev's kobject path and @fmt's text, allocated; NULL: no memory. */
__printf(2, 3)
char *vgpu_vfs_sys_path(struct device *dev, const char *fmt, ...);

#endif /* _VGPU_VFS_H */
