// SPDX-License-Identifier: GPL-2.0
/*
 * i915-sriov-dkms VF provisioning: the prelim_iov tree of the PF's DRM card,
 * /sys/bus/pci/devices/<PF>/drm/cardN/prelim_iov/ (named iov/ in some
 * releases):
 *   pf/gt0/{ggtt,contexts,doorbells}_spare
 *   pf/gt0/available/{ggtt,contexts,doorbells}_{free,max_quota}
 *   vfN/gt0/{ggtt,contexts,doorbells}_quota, exec_quantum_ms,
 *           preempt_timeout_us                         (N = 1..totalvfs)
 * Counts are u16 (kstrtou16), times u32, GGTT u64 bytes. A media GT (gt1,
 * Meteor Lake) has the same files and its own contexts and doorbells; its
 * ggtt_quota mirrors gt0's (the GTs share one GGTT), so it is not a key.
 *
 * How i915's figures add up: ggtt_free and contexts_free leave out the
 * PF's spare, doorbells_free does not (the spare only limits allocation).
 */
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_vfs.h"

/* A VF's files, and on which GT (gt1: the media GT, where there is one). */
static const struct {
	const char *file;
	unsigned int gt;
} vgpu_i915_quota[VGPU_A_QUOTA_MAX + 1] = {
	[VGPU_A_QUOTA_GGTT] = { "ggtt_quota", 0 },
	[VGPU_A_QUOTA_CONTEXTS] = { "contexts_quota", 0 },
	[VGPU_A_QUOTA_DOORBELLS] = { "doorbells_quota", 0 },
	[VGPU_A_QUOTA_EXEC_QUANTUM_MS] = { "exec_quantum_ms", 0 },
	[VGPU_A_QUOTA_PREEMPT_TIMEOUT_US] = { "preempt_timeout_us", 0 },
	[VGPU_A_QUOTA_GT1_CONTEXTS] = { "contexts_quota", 1 },
	[VGPU_A_QUOTA_GT1_DOORBELLS] = { "doorbells_quota", 1 },
	[VGPU_A_QUOTA_GT1_EXEC_QUANTUM_MS] = { "exec_quantum_ms", 1 },
	[VGPU_A_QUOTA_GT1_PREEMPT_TIMEOUT_US] = { "preempt_timeout_us", 1 },
};

/* The PF's files of a pool: its name in them, and its GT. */
static const struct {
	const char *name;
	unsigned int gt;
} vgpu_i915_pool_file[VGPU_POOL_NR] = {
	[VGPU_POOL_GGTT] = { "ggtt", 0 },
	[VGPU_POOL_CONTEXTS] = { "contexts", 0 },
	[VGPU_POOL_DOORBELLS] = { "doorbells", 0 },
	[VGPU_POOL_GT1_CONTEXTS] = { "contexts", 1 },
	[VGPU_POOL_GT1_DOORBELLS] = { "doorbells", 1 },
};

/* A missing gt1 directory (no media GT) makes its keys ENOENT on read. */
static int vgpu_i915_quota_path(const struct vgpu_prov *p, unsigned int vf,
				int key, char *buf, size_t len)
{
	if (!vgpu_i915_quota[key].file)
		return -ENOENT;
	return vgpu_prov_path(buf, len, "%s/vf%u/gt%u/%s", p->root, vf,
			      vgpu_i915_quota[key].gt, vgpu_i915_quota[key].file);
}

static int vgpu_i915_pf_read(const struct vgpu_prov *p, unsigned int gt,
			     const char *name, const char *what, u64 *val)
{
	char path[VGPU_PROV_PATH_MAX];

	vgpu_prov_path(path, sizeof(path), "%s/pf/gt%u/%s%s", p->root, gt,
		       name, what);
	return vgpu_prov_read_u64(path, val);
}

static int vgpu_i915_pool(const struct vgpu_prov *p, enum vgpu_pool_id id,
			  u64 used, struct vgpu_pool *out)
{
	const char *name = vgpu_i915_pool_file[id].name;
	unsigned int gt = vgpu_i915_pool_file[id].gt;
	char file[48];
	u64 free;
	int ret;

	if (!name)
		return -ENOENT;
	snprintf(file, sizeof(file), "available/%s", name);
	ret = vgpu_i915_pf_read(p, gt, file, "_free", &free) ?:
	      vgpu_i915_pf_read(p, gt, file, "_max_quota", &out->max) ?:
	      vgpu_i915_pf_read(p, gt, name, "_spare", &out->spare);
	if (ret)
		return ret;
	out->has_max = out->has_spare = out->has_free = out->has_size = true;
	/* Doorbells: the driver's free count still includes the spare. */
	if (id == VGPU_POOL_DOORBELLS || id == VGPU_POOL_GT1_DOORBELLS)
		free -= min(free, out->spare);
	out->free = free;
	out->size = used + out->spare + free;
	return 0;
}

static u64 vgpu_i915_key_limit(int key)
{
	switch (key) {
	case VGPU_A_QUOTA_GGTT:
		return U64_MAX;
	case VGPU_A_QUOTA_CONTEXTS:
	case VGPU_A_QUOTA_DOORBELLS:
	case VGPU_A_QUOTA_GT1_CONTEXTS:
	case VGPU_A_QUOTA_GT1_DOORBELLS:
		return U16_MAX;
	default:
		return U32_MAX;
	}
}

static const struct vgpu_prov_layout vgpu_i915_layout = {
	.name = "i915-prelim_iov",
	.quota_path = vgpu_i915_quota_path,
	.pool = vgpu_i915_pool,
	.key_limit = vgpu_i915_key_limit,
};

struct vgpu_i915_find {
	struct vgpu_prov *p;
	const char *dir;	/* "prelim_iov" or "iov" */
	bool found;
};

/* Looks for <drm>/cardN/<dir>/pf/auto_provisioning. */
static int vgpu_i915_try_card(void *data, const char *name)
{
	struct vgpu_i915_find *f = data;
	char path[VGPU_PROV_PATH_MAX], buf[8];
	unsigned int n;

	if (sscanf(name, "card%u", &n) != 1)
		return 0;
	vgpu_prov_path(f->p->root, sizeof(f->p->root),
		       "/sys/bus/pci/devices/%s/drm/%s/%s", pci_name(f->p->pf),
		       name, f->dir);
	vgpu_prov_path(path, sizeof(path), "%s/pf/auto_provisioning", f->p->root);
	f->found = !vgpu_prov_read_file(path, buf, sizeof(buf));
	return f->found;
}

int vgpu_prov_i915_probe(struct pci_dev *pf, struct vgpu_prov *p)
{
	static const char *const dirs[] = { "prelim_iov", "iov" };
	struct vgpu_i915_find f = { .p = p };
	char drm[VGPU_PROV_PATH_MAX];
	size_t i;

	vgpu_prov_path(drm, sizeof(drm), "/sys/bus/pci/devices/%s/drm",
		       pci_name(pf));
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		f.dir = dirs[i];
		if (!vgpu_vfs_list_dir(drm, vgpu_i915_try_card, &f) && f.found) {
			p->layout = &vgpu_i915_layout;
			return 0;
		}
	}
	p->root[0] = '\0';
	return -ENOENT;
}
