/* SPDX-License-Identifier: GPL-2.0 */
/* The resource report of a device (vgpu_resource.c), for the netlink glue. */
#ifndef _VGPU_RESOURCE_H
#define _VGPU_RESOURCE_H

#include <linux/types.h>

struct vgpu_dev;

/*
 * One resource, or (child) one holder of the resource before it in the
 * array: resources are followed by their children.
 */
struct vgpu_res_node {
	char name[40];			/* an mdev UUID fits */
	u8 unit;			/* enum vgpu_res_unit */
	bool child;
	bool has_size, has_free, has_max;
	u64 size, occ, free, max;
};

struct vgpu_res_report {
	const char *layout;		/* provisioning layout, NULL if none */
	struct vgpu_res_node *nodes;
	unsigned int n, cap;
};

int vgpu_res_build(struct vgpu_dev *vdev, struct vgpu_res_report *r);
void vgpu_res_free(struct vgpu_res_report *r);

#endif /* _VGPU_RESOURCE_H */
