/* SPDX-License-Identifier: GPL-2.0 */
/* /sys/kernel/vgpu_nl (vgpu_sysfs.c): glue over the same core as genetlink. */
#ifndef _VGPU_SYSFS_H
#define _VGPU_SYSFS_H

int vgpu_sysfs_init(void);
void vgpu_sysfs_exit(void);

#endif /* _VGPU_SYSFS_H */
