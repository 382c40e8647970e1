/* SPDX-License-Identifier: GPL-2.0 */
/* /sys/kernel/vgpu_nl (vgpu_sysfs.c): glue over the same core as genetlink. */
#ifndef _VGPU_SYSFS_H
#define _VGPU_SYSFS_H

#include <linux/kobject.h>

struct vgpu_dev;

extern const struct kobj_type vgpu_dev_ktype;
int vgpu_sysfs_init(void);
void vgpu_sysfs_exit(void);
int vgpu_sysfs_dev_add(struct vgpu_dev *vdev);
void vgpu_sysfs_dev_del(struct vgpu_dev *vdev);

#endif /* _VGPU_SYSFS_H */
