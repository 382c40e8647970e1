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
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vgpu_handle.h"
#include "vgpu_mdev.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"
#include "vgpu_resource.h"

static const char *const vgpu_pool_names[VGPU_POOL_NR] = {
	[VGPU_POOL_GGTT] = "ggtt",
	[VGPU_POOL_CONTEXTS] = "contexts",
	[VGPU_POOL_DOORBELLS] = "doorbells",
	[VGPU_POOL_VRAM] = "vram",
	[VGPU_POOL_GT1_CONTEXTS] = "gt1/contexts",
	[VGPU_POOL_GT1_DOORBELLS] = "gt1/doorbells",
};

/* A holder of pool @r->pools[i]: "pf_spare" or "vfN". */
static void vgpu_res_kid(struct vgpu_res_pool *rp, const char *name, u64 size)
{
	struct vgpu_res_node *n = &rp->kids[rp->nkids++];

	strscpy(n->name, name, sizeof(n->name));
	n->unit = rp->top.unit;
	n->child = true;
	n->has_size = true;
	n->size = size;
}

static int vgpu_res_sriov(struct vgpu_dev *vdev, struct vgpu_res_report *r)
{
	unsigned int numvfs = pci_num_vf(vdev->pdev), vf;
	struct vgpu_res_pool *rp;
	struct vgpu_res_node *top;
	struct vgpu_pool pool;
	struct vgpu_prov p;
	char name[16];
	int id, ret = 0;
	u64 *vfq;

	if (vgpu_prov_find(vdev->pdev, &p))
		return 0;
	r->layout = p.layout->name;
	vfq = kcalloc(p.totalvfs + 1, sizeof(*vfq), GFP_KERNEL);
	if (!vfq)
		return -ENOMEM;
	for (id = 0; id < VGPU_POOL_NR; id++) {
		if (vgpu_prov_get_pool(&p, id, &pool, vfq))
			continue;
		rp = &r->pools[r->npools];
		/* pf_spare and a quota per VF at most. */
		rp->kids = kcalloc(p.totalvfs + 1, sizeof(*rp->kids), GFP_KERNEL);
		if (!rp->kids) {
			ret = -ENOMEM;
			break;
		}
		r->npools++;
		top = &rp->top;
		strscpy(top->name, vgpu_pool_names[id], sizeof(top->name));
		top->unit = id == VGPU_POOL_GGTT || id == VGPU_POOL_VRAM ?
			    VGPU_RES_UNIT_BYTES : VGPU_RES_UNIT_COUNT;
		top->has_size = pool.has_size;
		top->size = pool.size;
		top->occ = pool.used + pool.spare;
		top->has_free = pool.has_free;
		top->free = pool.free;
		top->has_max = pool.has_max;
		top->max = pool.max;
		if (pool.has_spare)
			vgpu_res_kid(rp, "pf_spare", pool.spare);
		/* Enabled VFs, and disabled ones still holding a quota. */
		for (vf = 1; vf <= p.totalvfs; vf++) {
			if (vf > numvfs && !vfq[vf])
				continue;
			snprintf(name, sizeof(name), "vf%u", vf);
			vgpu_res_kid(rp, name, vfq[vf]);
		}
	}
	kfree(vfq);
	return ret;
}

static int vgpu_res_count_mdev(void *data, const struct vgpu_mdev_info *info)
{
	(*(unsigned int *)data)++;
	return 0;
}

struct vgpu_res_fill {
	struct vgpu_res_report *r;
	unsigned int cap;
};

/* Copies UUID and type index under vgpu_mdev_lock; the types come later. */
static int vgpu_res_fill_mdev(void *data, const struct vgpu_mdev_info *info)
{
	struct vgpu_res_fill *f = data;
	struct vgpu_res_report *r = f->r;
	struct vgpu_res_mdev *m;
	unsigned int t;

	if (r->nmdevs == f->cap)
		return 1;
	for (t = 0; t < r->ntypes; t++)
		if (!strcmp(r->types[t].name, info->type))
			break;
	if (t == r->ntypes) {
		if (t == VGPU_RES_MAX_TYPES)
			return 0;	/* not one of the parent's types */
		strscpy(r->types[t].name, info->type, VGPU_TYPE_NAME_MAX);
		r->ntypes++;
	}
	m = &r->mdevs[r->nmdevs++];
	strscpy(m->uuid, info->uuid, sizeof(m->uuid));
	m->type = t;
	return 0;
}

/*
 * The parent's mdevs into r->mdevs, with a generation that says the list
 * is one snapshot: it is counted, allocated, then copied, and done again
 * if mdevs came or went in between.
 */
static int vgpu_res_collect(struct vgpu_res_report *r, const char *parent)
{
	struct vgpu_res_fill f = { .r = r };
	unsigned int n, gen, gen2, tries;

	for (tries = 0; tries < 3; tries++) {
		n = 0;
		vgpu_mdev_for_each(0, parent, vgpu_res_count_mdev, &n, &gen);
		kvfree(r->mdevs);
		r->mdevs = kvmalloc_array(max(n, 1U), sizeof(*r->mdevs), GFP_KERNEL);
		if (!r->mdevs)
			return -ENOMEM;
		r->nmdevs = r->ntypes = 0;
		f.cap = n;
		vgpu_mdev_for_each(0, parent, vgpu_res_fill_mdev, &f, &gen2);
		if (gen == gen2) {
			r->gen = gen;
			return 0;
		}
	}
	return -EAGAIN;
}

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
	char first[1][VGPU_TYPE_NAME_MAX];
	struct vgpu_type_info *t;
	unsigned int i;
	int what, ret;

	if (!vgpu_mdev_is_parent(vdev->pdev) ||
	    vgpu_mdev_type_list(vdev->pdev, first, 1) < 1)
		return 0;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	/* Only a GVT-g parent's types say what they hold. */
	ret = 0;
	if (vgpu_mdev_type_get(vdev->pdev, first[0], t, NULL) || !t->gvt)
		goto out;
	ret = vgpu_res_collect(r, vgpu_handle(&vdev->pdev->dev).s);
	if (ret)
		goto out;
	/* One look at each type: an mdev holds its type's slice. */
	for (i = 0; i < r->ntypes; i++) {
		r->types[i].valid = !vgpu_mdev_type_get(vdev->pdev, r->types[i].name,
							t, NULL) && t->gvt;
		for (what = 0; what < VGPU_GVT_NR && r->types[i].valid; what++)
			r->types[i].amount[what] = vgpu_gvt_amount(t, what);
	}
	for (i = 0; i < r->nmdevs; i++)
		for (what = 0; what < VGPU_GVT_NR; what++)
			r->gvt_occ[what] += r->types[r->mdevs[i].type].amount[what];
	r->gvt = true;
out:
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
	unsigned int i;

	for (i = 0; i < r->npools; i++)
		kfree(r->pools[i].kids);
	kvfree(r->mdevs);
	memset(r, 0, sizeof(*r));
}

/*
 * The report as a list of resources, each with its children, for the
 * netlink glue to walk from any point: SR-IOV pools first, then the GVT-g
 * resources, whose children are the mdevs.
 */
static const char *const vgpu_gvt_names[VGPU_GVT_NR] = {
	"low_gm", "high_gm", "fences",
};

unsigned int vgpu_res_count(const struct vgpu_res_report *r)
{
	return r->npools + (r->gvt ? VGPU_GVT_NR : 0);
}

void vgpu_res_top(const struct vgpu_res_report *r, unsigned int top,
		  struct vgpu_res_node *out)
{
	unsigned int what;

	if (top < r->npools) {
		*out = r->pools[top].top;
		return;
	}
	what = top - r->npools;
	memset(out, 0, sizeof(*out));
	strscpy(out->name, vgpu_gvt_names[what], sizeof(out->name));
	out->unit = what == VGPU_GVT_FENCE ? VGPU_RES_UNIT_COUNT :
					      VGPU_RES_UNIT_BYTES;
	out->occ = r->gvt_occ[what];
}

unsigned int vgpu_res_nchildren(const struct vgpu_res_report *r,
				unsigned int top)
{
	return top < r->npools ? r->pools[top].nkids : r->nmdevs;
}

void vgpu_res_child_of(const struct vgpu_res_report *r, unsigned int top,
		       unsigned int idx, struct vgpu_res_node *out)
{
	const struct vgpu_res_mdev *m;
	unsigned int what;

	if (top < r->npools) {
		*out = r->pools[top].kids[idx];
		return;
	}
	what = top - r->npools;
	m = &r->mdevs[idx];
	memset(out, 0, sizeof(*out));
	strscpy(out->name, m->uuid, sizeof(out->name));
	out->unit = what == VGPU_GVT_FENCE ? VGPU_RES_UNIT_COUNT :
					      VGPU_RES_UNIT_BYTES;
	out->child = true;
	out->has_size = true;
	out->size = r->types[m->type].amount[what];
}
