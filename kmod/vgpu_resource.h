/* SPDX-License-Identifier: GPL-2.0 */
/* The resource report of a device (vgpu_resource.c), for the netlink glue. */
#ifndef _VGPU_RESOURCE_H
#define _VGPU_RESOURCE_H

#include <linux/types.h>

#include "vgpu_mdev.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"

struct vgpu_dev;

/* One resource, or (child) one holder of a resource. */
struct vgpu_res_node {
	char name[40];			/* an mdev UUID fits */
	u8 unit;			/* enum vgpu_res_unit */
	bool child;
	bool has_size, has_free, has_max;
	u64 size, occ, free, max;
};

enum { VGPU_GVT_LOW, VGPU_GVT_HIGH, VGPU_GVT_FENCE, VGPU_GVT_NR };

/* More types than any driver registers (i915: 4). */
#define VGPU_RES_MAX_TYPES 32

/* An SR-IOV pool and its holders: pf_spare, then vfN. */
struct vgpu_res_pool {
	struct vgpu_res_node top;
	struct vgpu_res_node *kids;	/* room for 1 + totalvfs */
	unsigned int nkids;
};

struct vgpu_res_report {
	const char *layout;		/* provisioning layout, NULL if none */
	struct vgpu_res_pool pools[VGPU_POOL_NR];
	unsigned int npools;
	/* A GVT-g parent: its mdevs, each holding its type's slice. */
	bool gvt;
	struct vgpu_res_type {
		char name[VGPU_TYPE_NAME_MAX];
		bool valid;
		u64 amount[VGPU_GVT_NR];
	} types[VGPU_RES_MAX_TYPES];
	unsigned int ntypes;
	struct vgpu_res_mdev {
		char uuid[VGPU_UUID_LEN + 1];
		u8 type;		/* index in types[] */
	} *mdevs;			/* kvmalloc'ed: thousands fit */
	unsigned int nmdevs;
	u64 gvt_occ[VGPU_GVT_NR];
	unsigned int gen;		/* the mdev list's generation */
};

/* The report of @vdev; vgpu_res_free() it. Big: allocate @r, not on stack. */
int vgpu_res_build(struct vgpu_dev *vdev, struct vgpu_res_report *r);
void vgpu_res_free(struct vgpu_res_report *r);

/* The resources as a list, each with its children (see vgpu_resource.c). */
unsigned int vgpu_res_count(const struct vgpu_res_report *r);
void vgpu_res_top(const struct vgpu_res_report *r, unsigned int top,
		  struct vgpu_res_node *out);
unsigned int vgpu_res_nchildren(const struct vgpu_res_report *r,
				unsigned int top);
void vgpu_res_child_of(const struct vgpu_res_report *r, unsigned int top,
		       unsigned int idx, struct vgpu_res_node *out);

#endif /* _VGPU_RESOURCE_H */
