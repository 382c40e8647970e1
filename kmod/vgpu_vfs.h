/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reads, writes and directory listings of other drivers' sysfs (and
 * debugfs) files through the VFS (vgpu_vfs.c says why).
 */
#ifndef _VGPU_VFS_H
#define _VGPU_VFS_H

#include <linux/types.h>

struct file;
struct path;
struct pci_dev;

/* A worker resolving paths from its requester's root (vgpu_vfs.c). */
void vgpu_vfs_root_begin(const struct path *root);
void vgpu_vfs_root_end(void);

int vgpu_vfs_read(const char *path, char *buf, size_t len);
int vgpu_vfs_write(const char *path, const char *val);
struct file *vgpu_vfs_open_write(const char *path);
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

#endif /* _VGPU_VFS_H */
