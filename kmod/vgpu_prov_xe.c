// SPDX-License-Identifier: GPL-2.0
/*
 * xe VF provisioning. Quotas exist only in debugfs, whose layout moved in
 * 6.19; scheduling profiles are in sysfs (sriov_admin) since 6.19.
 *
 *   6.19+ ("xe-sriov"):  /sys/kernel/debug/dri/<PF BDF>/sriov/
 *       pf/tile0/{ggtt_spare,vram_spare,ggtt_available}
 *       pf/tile0/gt0/{contexts_spare,doorbells_spare}
 *       vfN/tile0/{ggtt_quota,vram_quota}
 *       vfN/tile0/gt0/{contexts_quota,doorbells_quota,sched_priority}
 *     and /sys/bus/pci/devices/<PF>/sriov_admin/vfN/profile/
 *       {exec_quantum_ms,preempt_timeout_us}
 *   before ("xe-debugfs-gt"): /sys/kernel/debug/dri/<minor>/gt0/
 *       pf/{ggtt,lmem,contexts,doorbells}_spare, pf/ggtt_available
 *       vfN/{ggtt,lmem,contexts,doorbells}_quota, exec_quantum_ms,
 *       preempt_timeout_us, sched_priority
 *
 * sriov_admin's vfN/profile/sched_priority is read-only (a VF's priority
 * is set through debugfs), so priority always goes through debugfs.
 *
 * xe publishes a free figure for GGTT only (ggtt_available's "avail:",
 * which leaves out the spare). Contexts and doorbells come from fixed GuC
 * pools (GUC_ID_MAX 65535 context ids, GUC_NUM_DOORBELLS 256), so what is
 * free is the pool minus the quotas and the spare; VRAM's total is not
 * published at all, so the report gives what is held and no size.
 */
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_vfs.h"

#define VGPU_XE_GUC_CONTEXTS	65535
#define VGPU_XE_GUC_DOORBELLS	256
#define VGPU_XE_DEBUGFS		"/sys/kernel/debug/dri"

/* Debugfs files of a VF (new layout: under tile0, or tile0/gt0). */
static const struct {
	const char *file;
	bool per_gt;
} vgpu_xe_quota[VGPU_A_QUOTA_MAX + 1] = {
	[VGPU_A_QUOTA_GGTT] = { "ggtt_quota", false },
	[VGPU_A_QUOTA_VRAM] = { "vram_quota", false },
	[VGPU_A_QUOTA_CONTEXTS] = { "contexts_quota", true },
	[VGPU_A_QUOTA_DOORBELLS] = { "doorbells_quota", true },
	[VGPU_A_QUOTA_EXEC_QUANTUM_MS] = { "exec_quantum_ms", true },
	[VGPU_A_QUOTA_PREEMPT_TIMEOUT_US] = { "preempt_timeout_us", true },
	[VGPU_A_QUOTA_PRIORITY] = { "sched_priority", true },
};

static int vgpu_xe_quota_path(const struct vgpu_prov *p, unsigned int vf,
			      int key, char *buf, size_t len)
{
	const char *file = vgpu_xe_quota[key].file;

	if (!file)
		return -ENOENT;
	if (p->admin[0] && (key == VGPU_A_QUOTA_EXEC_QUANTUM_MS ||
			    key == VGPU_A_QUOTA_PREEMPT_TIMEOUT_US))
		return vgpu_prov_path(buf, len, "%s/vf%u/profile/%s", p->admin,
				      vf, file);
	return vgpu_prov_path(buf, len, "%s/vf%u/tile0%s/%s", p->root, vf,
			      vgpu_xe_quota[key].per_gt ? "/gt0" : "", file);
}

/* The old layout: everything flat in gt0/vfN, VRAM called lmem. */
static int vgpu_xe_old_quota_path(const struct vgpu_prov *p, unsigned int vf,
				  int key, char *buf, size_t len)
{
	const char *file = vgpu_xe_quota[key].file;

	if (!file)
		return -ENOENT;
	if (key == VGPU_A_QUOTA_VRAM)
		file = "lmem_quota";
	return vgpu_prov_path(buf, len, "%s/vf%u/%s", p->root, vf, file);
}

/* "avail:\t%llu\t(...)" of ggtt_available: GGTT free for VFs. */
static int vgpu_xe_ggtt_avail(const char *path, u64 *avail)
{
	char *buf, *line;
	int ret;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = vgpu_prov_read_file(path, buf, PAGE_SIZE);
	if (!ret) {
		ret = -EIO;
		for (line = buf; line; line = strchr(line, '\n')) {
			line += *line == '\n';
			if (sscanf(line, "avail: %llu", avail) == 1) {
				ret = 0;
				break;
			}
		}
	}
	kfree(buf);
	return ret;
}

/* @pf_dir holds the spares (and ggtt_available), @gt_dir the GT's. */
static int vgpu_xe_pool_at(enum vgpu_pool_id id, const char *pf_dir,
			   const char *gt_dir, const char *vram, u64 used,
			   struct vgpu_pool *out)
{
	char path[VGPU_PROV_PATH_MAX];
	u64 total;
	int ret;

	switch (id) {
	case VGPU_POOL_GGTT:
		vgpu_prov_path(path, sizeof(path), "%s/ggtt_spare", pf_dir);
		ret = vgpu_prov_read_u64(path, &out->spare);
		vgpu_prov_path(path, sizeof(path), "%s/ggtt_available", pf_dir);
		ret = ret ?: vgpu_xe_ggtt_avail(path, &out->free);
		if (ret)
			return ret;
		out->size = used + out->spare + out->free;
		out->has_spare = out->has_free = out->has_size = true;
		return 0;
	case VGPU_POOL_CONTEXTS:
	case VGPU_POOL_DOORBELLS:
		vgpu_prov_path(path, sizeof(path), "%s/%s_spare", gt_dir,
			       id == VGPU_POOL_CONTEXTS ? "contexts" : "doorbells");
		ret = vgpu_prov_read_u64(path, &out->spare);
		if (ret)
			return ret;
		total = id == VGPU_POOL_CONTEXTS ? VGPU_XE_GUC_CONTEXTS :
						   VGPU_XE_GUC_DOORBELLS;
		out->size = total;
		out->free = total - min(total, used + out->spare);
		out->has_spare = out->has_free = out->has_size = true;
		return 0;
	case VGPU_POOL_VRAM:
		vgpu_prov_path(path, sizeof(path), "%s/%s_spare", pf_dir, vram);
		ret = vgpu_prov_read_u64(path, &out->spare);
		out->has_spare = !ret;
		return 0;
	default:
		return -ENOENT;
	}
}

static int vgpu_xe_pool(const struct vgpu_prov *p, enum vgpu_pool_id id,
			u64 used, struct vgpu_pool *out)
{
	char pf_dir[VGPU_PROV_PATH_MAX], gt_dir[VGPU_PROV_PATH_MAX];

	vgpu_prov_path(pf_dir, sizeof(pf_dir), "%s/pf/tile0", p->root);
	vgpu_prov_path(gt_dir, sizeof(gt_dir), "%s/pf/tile0/gt0", p->root);
	return vgpu_xe_pool_at(id, pf_dir, gt_dir, "vram", used, out);
}

static int vgpu_xe_old_pool(const struct vgpu_prov *p, enum vgpu_pool_id id,
			    u64 used, struct vgpu_pool *out)
{
	char pf_dir[VGPU_PROV_PATH_MAX];

	vgpu_prov_path(pf_dir, sizeof(pf_dir), "%s/pf", p->root);
	return vgpu_xe_pool_at(id, pf_dir, pf_dir, "lmem", used, out);
}

static u64 vgpu_xe_key_limit(int key)
{
	switch (key) {
	case VGPU_A_QUOTA_GGTT:
	case VGPU_A_QUOTA_VRAM:
		return U64_MAX;
	case VGPU_A_QUOTA_CONTEXTS:
		return VGPU_XE_GUC_CONTEXTS;
	case VGPU_A_QUOTA_DOORBELLS:
		return VGPU_XE_GUC_DOORBELLS;
	case VGPU_A_QUOTA_PRIORITY:
		/* xe keeps "high" for the PF (sched_priority in the ABI doc). */
		return VGPU_PRIORITY_NORMAL;
	default:
		return U32_MAX;
	}
}

static const struct vgpu_prov_layout vgpu_xe_layout = {
	.name = "xe-sriov",
	.quota_path = vgpu_xe_quota_path,
	.pool = vgpu_xe_pool,
	.key_limit = vgpu_xe_key_limit,
};

static const struct vgpu_prov_layout vgpu_xe_old_layout = {
	.name = "xe-debugfs-gt",
	.quota_path = vgpu_xe_old_quota_path,
	.pool = vgpu_xe_old_pool,
	.key_limit = vgpu_xe_key_limit,
};

static bool vgpu_xe_exists(const char *dir, const char *file)
{
	char path[VGPU_PROV_PATH_MAX];
	u64 v;

	vgpu_prov_path(path, sizeof(path), "%s/%s", dir, file);
	return !vgpu_prov_read_u64(path, &v);
}

int vgpu_prov_xe_probe(struct pci_dev *pf, struct vgpu_prov *p)
{
	vgpu_prov_path(p->root, sizeof(p->root), VGPU_XE_DEBUGFS "/%s/sriov",
		       pci_name(pf));
	if (!vgpu_xe_exists(p->root, "pf/tile0/ggtt_spare")) {
		p->root[0] = '\0';
		return -ENOENT;
	}
	vgpu_prov_path(p->admin, sizeof(p->admin),
		       "/sys/bus/pci/devices/%s/sriov_admin",
		       pci_name(pf));
	if (!vgpu_xe_exists(p->admin, "pf/profile/exec_quantum_ms"))
		p->admin[0] = '\0';
	p->layout = &vgpu_xe_layout;
	return 0;
}

struct vgpu_xe_minor {
	struct pci_dev *pf;
	int card;		/* the PF's drm/cardN, -1 if none */
	int found, candidates;
	int last;		/* the last candidate seen */
};

/* The PF's DRM card number, from /sys/bus/pci/devices/<PF>/drm/cardN. */
static int vgpu_xe_card(void *data, const char *name)
{
	struct vgpu_xe_minor *m = data;
	unsigned int n;

	if (sscanf(name, "card%u", &n) == 1) {
		m->card = n;
		return 1;
	}
	return 0;
}

/*
 * A debugfs dri/<minor> with gt0/pf is an xe PF. It is ours if its "name"
 * file says dev=<our BDF>, or if its minor is our card's number.
 */
static int vgpu_xe_try_minor(void *data, const char *name)
{
	struct vgpu_xe_minor *m = data;
	char dir[VGPU_PROV_PATH_MAX], buf[128], dev[32];
	unsigned int n;

	if (kstrtouint(name, 10, &n))
		return 0;
	vgpu_prov_path(dir, sizeof(dir), VGPU_XE_DEBUGFS "/%u", n);
	if (!vgpu_xe_exists(dir, "gt0/pf/ggtt_spare"))
		return 0;
	m->candidates++;
	m->last = n;
	vgpu_prov_path(dir, sizeof(dir), VGPU_XE_DEBUGFS "/%u/name", n);
	snprintf(dev, sizeof(dev), "dev=%s", pci_name(m->pf));
	if (!vgpu_prov_read_file(dir, buf, sizeof(buf)) && strstr(buf, dev)) {
		m->found = n;
		return 1;
	}
	if ((int)n == m->card)
		m->found = n;
	return 0;
}

/*
 * Before 6.19 the debugfs directory is named by DRM minor. Without a
 * "name" file or a DRM card to tell which minor is the PF's, a single xe
 * PF on the host is taken as ours; with several it stays ambiguous.
 */
int vgpu_prov_xe_old_probe(struct pci_dev *pf, struct vgpu_prov *p)
{
	struct vgpu_xe_minor m = { .pf = pf, .card = -1, .found = -1 };
	char path[VGPU_PROV_PATH_MAX];

	vgpu_prov_path(path, sizeof(path), "/sys/bus/pci/devices/%s/drm",
		       pci_name(pf));
	vgpu_vfs_list_dir(path, vgpu_xe_card, &m);
	vgpu_prov_list_dir(VGPU_XE_DEBUGFS, vgpu_xe_try_minor, &m);
	if (m.found < 0 && m.candidates == 1 && m.card < 0)
		m.found = m.last;
	if (m.found < 0)
		return -ENOENT;
	vgpu_prov_path(p->root, sizeof(p->root), VGPU_XE_DEBUGFS "/%d/gt0", m.found);
	p->layout = &vgpu_xe_old_layout;
	return 0;
}
