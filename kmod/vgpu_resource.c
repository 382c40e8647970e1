// SPDX-License-Identifier: GPL-2.0
/*
 * The resource report of a device (RESOURCE_GET): devlink-style resources
 * with what occupies each of them.
 *
 * SR-IOV PF with a provisioning layout (vgpu_prov.c): one resource per
 * pool (ggtt, contexts, doorbells, vram), children "pf_spare" and "vfN".
 * GVT-g parent: low_gm, high_gm and fences, one child per mdev holding the
 * amounts its type's description gives (i915 GVT-g's types take fixed
 * slices of the aperture: gvt/vgpu.c). i915 publishes no aperture total,
 * so those resources have no size; what is left is what available_instances
 * of each type says (type show).
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "vgpu_compat.h"
#include "vgpu_core.h"
#include "vgpu_prov.h"
#include "vgpu_resource.h"

static const char *const vgpu_pool_names[VGPU_POOL_NR] = {
	[VGPU_POOL_GGTT] = "ggtt",
	[VGPU_POOL_CONTEXTS] = "contexts",
	[VGPU_POOL_DOORBELLS] = "doorbells",
	[VGPU_POOL_VRAM] = "vram",
};

static struct vgpu_res_node *vgpu_res_add(struct vgpu_res_report *r,
					  const char *name, u8 unit, bool child)
{
	struct vgpu_res_node *nodes, *n;

	if (r->n == r->cap) {
		nodes = krealloc_array(r->nodes, r->cap ? 2 * r->cap : 16,
				       sizeof(*nodes), GFP_KERNEL);
		if (!nodes)
			return NULL;
		r->nodes = nodes;
		r->cap = r->cap ? 2 * r->cap : 16;
	}
	n = &r->nodes[r->n++];
	memset(n, 0, sizeof(*n));
	strscpy(n->name, name, sizeof(n->name));
	n->unit = unit;
	n->child = child;
	return n;
}

static struct vgpu_res_node *vgpu_res_child(struct vgpu_res_report *r,
					    const char *name, u8 unit, u64 size)
{
	struct vgpu_res_node *n = vgpu_res_add(r, name, unit, true);

	if (n) {
		n->has_size = true;
		n->size = size;
	}
	return n;
}

static int vgpu_res_sriov(struct vgpu_dev *vdev, struct vgpu_res_report *r)
{
	unsigned int numvfs = pci_num_vf(vdev->pdev), vf;
	struct vgpu_res_node *top;
	struct vgpu_pool pool;
	struct vgpu_prov p;
	char name[16];
	u64 *vfq, used;
	int id, ret = 0;
	u8 unit;

	if (vgpu_prov_find(vdev->pdev, &p))
		return 0;
	r->layout = p.layout->name;
	vfq = kcalloc(p.totalvfs + 1, sizeof(*vfq), GFP_KERNEL);
	if (!vfq)
		return -ENOMEM;
	for (id = 0; id < VGPU_POOL_NR && !ret; id++) {
		if (vgpu_prov_get_pool(&p, id, &pool, vfq))
			continue;
		unit = id == VGPU_POOL_GGTT || id == VGPU_POOL_VRAM ?
		       VGPU_RES_UNIT_BYTES : VGPU_RES_UNIT_COUNT;
		top = vgpu_res_add(r, vgpu_pool_names[id], unit, false);
		if (!top) {
			ret = -ENOMEM;
			break;
		}
		for (used = 0, vf = 1; vf <= p.totalvfs; vf++)
			used += vfq[vf];
		top->has_size = pool.has_size;
		top->size = pool.size;
		top->occ = used + pool.spare;
		top->has_free = pool.has_free;
		top->free = pool.free;
		top->has_max = pool.has_max;
		top->max = pool.max;
		if (pool.has_spare &&
		    !vgpu_res_child(r, "pf_spare", unit, pool.spare))
			ret = -ENOMEM;
		/* Enabled VFs, and disabled ones still holding a quota. */
		for (vf = 1; vf <= p.totalvfs && !ret; vf++) {
			if (vf > numvfs && !vfq[vf])
				continue;
			snprintf(name, sizeof(name), "vf%u", vf);
			if (!vgpu_res_child(r, name, unit, vfq[vf]))
				ret = -ENOMEM;
		}
	}
	kfree(vfq);
	return ret;
}

/* The mdevs of one parent: UUID and type, copied under vgpu_mdev_lock. */
struct vgpu_res_mdevs {
	struct vgpu_res_mdev {
		char uuid[VGPU_UUID_LEN + 1];
		char type[VGPU_TYPE_NAME_MAX];
	} *m;
	unsigned int n, cap;
	int err;
};

static int vgpu_res_collect_mdev(void *data, const struct vgpu_mdev_info *info)
{
	struct vgpu_res_mdevs *c = data;
	struct vgpu_res_mdev *m;

	if (c->n == c->cap) {
		m = krealloc_array(c->m, c->cap ? 2 * c->cap : 8, sizeof(*m),
				   GFP_KERNEL);
		if (!m) {
			c->err = -ENOMEM;
			return 1;
		}
		c->m = m;
		c->cap = c->cap ? 2 * c->cap : 8;
	}
	strscpy(c->m[c->n].uuid, info->uuid, VGPU_UUID_LEN + 1);
	strscpy(c->m[c->n].type, info->type, VGPU_TYPE_NAME_MAX);
	c->n++;
	return 0;
}

enum { VGPU_GVT_LOW, VGPU_GVT_HIGH, VGPU_GVT_FENCE, VGPU_GVT_NR };

static u64 vgpu_gvt_amount(const struct vgpu_type_info *t, int what)
{
	switch (what) {
	case VGPU_GVT_LOW:
		return (u64)t->low_gm_mb << 20;
	case VGPU_GVT_HIGH:
		return (u64)t->high_gm_mb << 20;
	default:
		return t->fence;
	}
}

static int vgpu_res_gvt(struct vgpu_dev *vdev, struct vgpu_res_report *r)
{
	static const char *const names[VGPU_GVT_NR] = {
		"low_gm", "high_gm", "fences",
	};
	struct vgpu_res_mdevs c = {};
	struct vgpu_type_info *t;
	char handle[VGPU_HANDLE_MAX], first[1][VGPU_TYPE_NAME_MAX];
	unsigned int i, gen, top;
	int what, ret = 0;
	u64 amount;
	u8 unit;

	if (!vgpu_dev_is_mdev_parent(vdev->pdev) ||
	    vgpu_mdev_type_list(vdev->pdev, first, 1) < 1)
		return 0;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	/* Only a GVT-g parent's types say what they hold. */
	if (vgpu_mdev_type_get(vdev->pdev, first[0], t, NULL) || !t->gvt)
		goto out;
	vgpu_dev_handle(vdev, handle, sizeof(handle));
	vgpu_mdev_for_each(0, handle, vgpu_res_collect_mdev, &c, &gen);
	ret = c.err;

	for (what = 0; what < VGPU_GVT_NR && !ret; what++) {
		unit = what == VGPU_GVT_FENCE ? VGPU_RES_UNIT_COUNT :
						VGPU_RES_UNIT_BYTES;
		if (!vgpu_res_add(r, names[what], unit, false)) {
			ret = -ENOMEM;
			break;
		}
		/* An index, not a pointer: adding children may move the array. */
		top = r->n - 1;
		for (i = 0; i < c.n && !ret; i++) {
			/* An mdev being removed may have lost its type. */
			if (vgpu_mdev_type_get(vdev->pdev, c.m[i].type, t, NULL) ||
			    !t->gvt)
				continue;
			amount = vgpu_gvt_amount(t, what);
			if (!vgpu_res_child(r, c.m[i].uuid, unit, amount))
				ret = -ENOMEM;
			else
				r->nodes[top].occ += amount;
		}
	}
out:
	kfree(c.m);
	kfree(t);
	return ret;
}

int vgpu_res_build(struct vgpu_dev *vdev, struct vgpu_res_report *r)
{
	int ret;

	memset(r, 0, sizeof(*r));
	ret = vgpu_res_sriov(vdev, r);
	if (!ret)
		ret = vgpu_res_gvt(vdev, r);
	if (ret)
		vgpu_res_free(r);
	return ret;
}

void vgpu_res_free(struct vgpu_res_report *r)
{
	kfree(r->nodes);
	r->nodes = NULL;
	r->n = r->cap = 0;
}
