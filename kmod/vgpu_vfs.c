// SPDX-License-Identifier: GPL-2.0
/*
 * Reads and writes of PCI device attributes through the VFS.
 *
 * Some state has no exported accessor: the VF driver autoprobe flag lives in
 * the PCI core's private struct pci_sriov, and mdev devices can only be
 * created through sysfs because mdev_device_create() is not exported. The
 * stable sysfs ABI is the supported interface to both; opening it through the
 * VFS (rather than calling the attribute's ->show/->store directly) keeps
 * kernfs' active references, so the attribute cannot go away under us and
 * the write is exactly what a shell user's write would be.
 *
 * Paths resolve in the calling task's mount namespace, which is where the
 * user's /sys is.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vgpu_core.h"

static struct file *vgpu_vfs_open(struct pci_dev *pdev, const char *attr,
				  int flags)
{
	struct file *filp;
	char *path;

	path = kasprintf(GFP_KERNEL, "/sys/bus/pci/devices/%s/%s",
			 pci_name(pdev), attr);
	if (!path)
		return ERR_PTR(-ENOMEM);
	filp = filp_open(path, flags, 0);
	kfree(path);
	return filp;
}

/* Reads @attr into @buf as a string without the trailing newline. */
int vgpu_vfs_read_dev_attr(struct pci_dev *pdev, const char *attr,
			   char *buf, size_t len)
{
	struct file *filp;
	loff_t pos = 0;
	ssize_t n;

	filp = vgpu_vfs_open(pdev, attr, O_RDONLY);
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	n = kernel_read(filp, buf, len - 1, &pos);
	filp_close(filp, NULL);
	if (n < 0)
		return n;
	buf[n] = '\0';
	strim(buf);
	return 0;
}

int vgpu_vfs_write_dev_attr(struct pci_dev *pdev, const char *attr,
			    const char *val)
{
	size_t len = strlen(val);
	struct file *filp;
	loff_t pos = 0;
	ssize_t n;

	filp = vgpu_vfs_open(pdev, attr, O_WRONLY);
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	n = kernel_write(filp, val, len, &pos);
	filp_close(filp, NULL);
	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}
