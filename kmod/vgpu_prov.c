// SPDX-License-Identifier: GPL-2.0
/*
 * VF provisioning core: which layout a PF has, what its VFs and pools hold,
 * and quota changes that are checked whole and written all or nothing.
 *
 * The drivers' rules are theirs: a write can still fail after our checks
 * (i915 releases a VF's old GGTT before it allocates the new size, so a
 * failed resize leaves it with none). That is why every write is undone in
 * reverse order when a later one fails, the failed key included.
 */
#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "vgpu_compat.h"
#include "vgpu_event.h"
#include "vgpu_handle.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"
#include "vgpu_vfs.h"

/* Kernel credentials for the drivers' files (see vgpu_prov.h). */
static const struct cred *vgpu_kcred;

int vgpu_prov_init(void)
{
	vgpu_kcred = prepare_kernel_cred(&init_task);
	return vgpu_kcred ? 0 : -ENOMEM;
}

void vgpu_prov_exit(void)
{
	put_cred(vgpu_kcred);
}

int vgpu_prov_read_file(const char *path, char *buf, size_t len)
{
	const struct cred *old = override_creds(vgpu_kcred);
	int ret = vgpu_vfs_read(path, buf, len);

	revert_creds(old);
	return ret;
}

/* A path into @buf; -ENAMETOOLONG rather than a truncated one. */
int vgpu_prov_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, len, fmt, args);
	va_end(args);
	return n >= 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

int vgpu_prov_list_dir(const char *path,
		       int (*fn)(void *data, const char *name), void *data)
{
	const struct cred *old = override_creds(vgpu_kcred);
	int ret = vgpu_vfs_list_dir(path, fn, data);

	revert_creds(old);
	return ret;
}

int vgpu_prov_read_u64(const char *path, u64 *val)
{
	char buf[32];
	int ret;

	ret = vgpu_prov_read_file(path, buf, sizeof(buf));
	if (ret)
		return ret;
	return kstrtou64(buf, 0, val) ? -EIO : 0;
}

int vgpu_prov_write_str(const char *path, const char *val)
{
	const struct cred *old = override_creds(vgpu_kcred);
	int ret = vgpu_vfs_write(path, val);

	revert_creds(old);
	return ret;
}

int vgpu_prov_write_u64(const char *path, u64 val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", val);
	return vgpu_prov_write_str(path, buf);
}

/*
 * Whether @path exists and takes writes: write-only files (xe's stop,
 * pause, ...) cannot be read to tell. Opening writes nothing.
 */
bool vgpu_prov_writable(const char *path)
{
	const struct cred *old = override_creds(vgpu_kcred);
	struct file *filp = vgpu_vfs_open_write(path);

	revert_creds(old);
	if (IS_ERR(filp))
		return false;
	vgpu_vfs_close(filp);
	return true;
}

int vgpu_prov_find(struct pci_dev *pf, struct vgpu_prov *p)
{
	memset(p, 0, sizeof(*p));
	p->pf = pf;
	p->totalvfs = pci_sriov_get_totalvfs(pf);
	if (!p->totalvfs)
		return -ENOENT;
	if (!vgpu_prov_i915_probe(pf, p) || !vgpu_prov_xe_probe(pf, p) ||
	    !vgpu_prov_xe_old_probe(pf, p))
		return 0;
	p->layout = NULL;
	return -ENOENT;
}

static const struct {
	const char *name;	/* as the CLI spells the key */
	int pool;		/* enum vgpu_pool_id, -1 for a setting */
} vgpu_quota_keys[VGPU_A_QUOTA_MAX + 1] = {
	[VGPU_A_QUOTA_GGTT] = { "ggtt", VGPU_POOL_GGTT },
	[VGPU_A_QUOTA_CONTEXTS] = { "contexts", VGPU_POOL_CONTEXTS },
	[VGPU_A_QUOTA_DOORBELLS] = { "doorbells", VGPU_POOL_DOORBELLS },
	[VGPU_A_QUOTA_VRAM] = { "vram", VGPU_POOL_VRAM },
	[VGPU_A_QUOTA_EXEC_QUANTUM_MS] = { "exec-quantum", -1 },
	[VGPU_A_QUOTA_PREEMPT_TIMEOUT_US] = { "preempt-timeout", -1 },
	[VGPU_A_QUOTA_PRIORITY] = { "priority", -1 },
	[VGPU_A_QUOTA_GT1_CONTEXTS] = { "gt1-contexts", VGPU_POOL_GT1_CONTEXTS },
	[VGPU_A_QUOTA_GT1_DOORBELLS] = { "gt1-doorbells", VGPU_POOL_GT1_DOORBELLS },
	[VGPU_A_QUOTA_GT1_EXEC_QUANTUM_MS] = { "gt1-exec-quantum", -1 },
	[VGPU_A_QUOTA_GT1_PREEMPT_TIMEOUT_US] = { "gt1-preempt-timeout", -1 },
};

/* The first real key: VGPU_A_QUOTA_PAD is not one. */
#define VGPU_QUOTA_FIRST VGPU_A_QUOTA_GGTT

const char *vgpu_quota_key_name(int key)
{
	return vgpu_quota_keys[key].name;
}

/* A size in bytes (u64 on the wire), not a count or a time. */
bool vgpu_quota_key_bytes(int key)
{
	return key == VGPU_A_QUOTA_GGTT || key == VGPU_A_QUOTA_VRAM;
}

int vgpu_quota_key_pool(int key)
{
	return vgpu_quota_keys[key].name ? vgpu_quota_keys[key].pool : -1;
}

/* The quota key that draws on pool @id. */
static int vgpu_pool_key(enum vgpu_pool_id id)
{
	int key;

	for (key = VGPU_QUOTA_FIRST; key <= VGPU_A_QUOTA_MAX; key++)
		if (vgpu_quota_keys[key].pool == (int)id)
			return key;
	return -1;
}

static int vgpu_prov_read_key(const struct vgpu_prov *p, unsigned int vf,
			      int key, u64 *val)
{
	char path[VGPU_PROV_PATH_MAX];
	int ret;

	ret = p->layout->quota_path(p, vf, key, path, sizeof(path));
	if (ret)
		return ret;
	return vgpu_prov_read_u64(path, val);
}

/* Every key the layout offers for VF @vf (1-based) that can be read. */
int vgpu_prov_get_quota(const struct vgpu_prov *p, unsigned int vf,
			struct vgpu_quota *q)
{
	int key;

	memset(q, 0, sizeof(*q));
	for (key = VGPU_QUOTA_FIRST; key <= VGPU_A_QUOTA_MAX; key++)
		q->has[key] = !vgpu_prov_read_key(p, vf, key, &q->val[key]);
	return 0;
}

/*
 * Pool @id of the PF, and in @vf_quota[1..totalvfs] (when not NULL) what
 * each VF holds of it. -ENOENT if the layout has no such pool.
 */
int vgpu_prov_get_pool(const struct vgpu_prov *p, enum vgpu_pool_id id,
		       struct vgpu_pool *pool, u64 *vf_quota)
{
	int key = vgpu_pool_key(id);
	unsigned int vf;
	u64 used = 0, v;
	bool any = false;

	memset(pool, 0, sizeof(*pool));
	for (vf = 1; vf <= p->totalvfs; vf++) {
		if (vgpu_prov_read_key(p, vf, key, &v))
			v = 0;
		else
			any = true;
		if (vf_quota)
			vf_quota[vf] = v;
		used += v;
	}
	if (!any)
		return -ENOENT;
	pool->used = used;
	return p->layout->pool(p, id, used, pool);
}

/* "512 MiB", "939352 KiB": the largest exact unit, for messages only. */
#define VGPU_AMOUNT_LEN sizeof("18446744073709551615 bytes")
static void vgpu_fmt_amount(int key, u64 v, char *buf, size_t len)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB" };
	int u = 0;

	if (!vgpu_quota_key_bytes(key)) {
		snprintf(buf, len, "%llu", v);
		return;
	}
	while (v && u < 3 && !(v & 1023)) {
		v >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu %s", v, units[u]);
}

/* What a driver's error on a quota write means, in few words. */
static const char *vgpu_prov_strerror(int err)
{
	switch (err) {
	case -EDQUOT:
		return "above the driver's limit";
	case -ENOSPC:
		return "no room left";
	case -E2BIG:
		return "larger than the whole pool";
	case -EBUSY:
		return "driver refuses it in this state";
	case -EACCES:
	case -EPERM:
		return "not writable";
	case -ENOENT:
		return "driver file gone";
	case -EIO:
		return "driver I/O error";
	case -EINVAL:
	case -ERANGE:
	case -EOVERFLOW:
		return "value refused by the driver";
	default:
		return "refused by the driver";
	}
}

static const char *vgpu_priority_name(u64 prio)
{
	static const char *const names[] = { "low", "normal", "high" };

	return prio < ARRAY_SIZE(names) ? names[prio] : "?";
}

/* Checks @req against what @p offers and has free; nothing is written. */
static int vgpu_prov_check(const struct vgpu_prov *p, const struct vgpu_quota *cur,
			   const struct vgpu_quota *req,
			   struct netlink_ext_ack *extack)
{
	char a[VGPU_AMOUNT_LEN], b[VGPU_AMOUNT_LEN];
	struct vgpu_pool pool;
	int key, id;
	u64 need;

	for (key = VGPU_QUOTA_FIRST; key <= VGPU_A_QUOTA_MAX; key++) {
		if (!req->has[key])
			continue;
		if (!cur->has[key] && p->layout->key_note &&
		    p->layout->key_note(p, key)) {
			VGPU_ERR_FMT(extack, "%s: %s", vgpu_quota_key_name(key),
				     p->layout->key_note(p, key));
			return -EOPNOTSUPP;
		}
		if (!cur->has[key]) {
			VGPU_ERR_FMT(extack, "%s: not offered by this PF's driver (%s)",
				     vgpu_quota_key_name(key), p->layout->name);
			return -EOPNOTSUPP;
		}
		if (key == VGPU_A_QUOTA_PRIORITY &&
		    req->val[key] > p->layout->key_limit(key)) {
			VGPU_ERR_FMT(extack, "priority: %s gives VFs at most %s",
				     p->layout->name,
				     vgpu_priority_name(p->layout->key_limit(key)));
			return -ERANGE;
		}
		if (req->val[key] > p->layout->key_limit(key)) {
			VGPU_ERR_FMT(extack, "%s: %llu is above the driver's limit of %llu",
				     vgpu_quota_key_name(key), req->val[key],
				     p->layout->key_limit(key));
			return -ERANGE;
		}
		id = vgpu_quota_key_pool(key);
		if (id < 0 || req->val[key] <= cur->val[key])
			continue;
		if (vgpu_prov_get_pool(p, id, &pool, NULL))
			continue;
		need = req->val[key] - cur->val[key];
		if (pool.has_free && need > pool.free) {
			vgpu_fmt_amount(key, need, a, sizeof(a));
			vgpu_fmt_amount(key, pool.free, b, sizeof(b));
			VGPU_ERR_FMT(extack, "%s: %s more asked but only %s free (see resource show)",
				     vgpu_quota_key_name(key), a, b);
			return -ENOSPC;
		}
		if (pool.has_max && req->val[key] > pool.max + cur->val[key]) {
			vgpu_fmt_amount(key, pool.max + cur->val[key], a, sizeof(a));
			VGPU_ERR_FMT(extack, "%s: above the driver's maximum of %s for this VF",
				     vgpu_quota_key_name(key), a);
			return -EDQUOT;
		}
	}
	return 0;
}

/*
 * A write xe takes as a custom provisioning was made (a key of @done): the
 * PF is custom from now on, which xe does not say with its VFs disabled.
 */
static void vgpu_prov_note_custom(const struct vgpu_prov *p, const bool *done)
{
	struct vgpu_dev *vdev;
	int key;

	if (!p->layout->key_makes_custom)
		return;
	for (key = VGPU_QUOTA_FIRST; key <= VGPU_A_QUOTA_MAX; key++)
		if (done[key] && p->layout->key_makes_custom(p, key))
			break;
	if (key > VGPU_A_QUOTA_MAX)
		return;
	vdev = vgpu_dev_find(p->pf);
	if (vdev) {
		vgpu_dev_set_prov_custom(vdev, true);
		vgpu_dev_put(vdev);
	}
}

/*
 * Writes back @cur for every key in @done, newest first; 0 or the key. A
 * key that still reads its old value (the failed write changed nothing) is
 * not written: i915 takes any quota write, even of the same value, as
 * custom provisioning and turns auto_provisioning off.
 */
static int vgpu_prov_undo(const struct vgpu_prov *p, unsigned int vf,
			  const struct vgpu_quota *cur, const bool *done)
{
	char path[VGPU_PROV_PATH_MAX];
	int key, bad = 0;
	u64 now;

	for (key = VGPU_A_QUOTA_MAX; key >= VGPU_QUOTA_FIRST; key--) {
		if (!done[key])
			continue;
		if (!vgpu_prov_read_key(p, vf, key, &now) &&
		    now == cur->val[key])
			continue;
		if (p->layout->quota_path(p, vf, key, path, sizeof(path)) ||
		    vgpu_prov_write_u64(path, cur->val[key]))
			bad = key;
	}
	return bad;
}

/*
 * Whether the driver itself says auto provisioning (i915's
 * pf/auto_provisioning; xe's mode is the module's note, vgpu_prov_mode.c).
 */
static bool vgpu_prov_driver_auto(const struct vgpu_prov *p)
{
	bool custom;

	return p->layout->get_mode && !p->layout->key_makes_custom &&
	       !p->layout->get_mode(p, &custom) && !custom;
}

/*
 * Whether a request that failed and was undone still changed the mode:
 * i915 turns auto provisioning off at the first quota write that succeeds,
 * and refuses to turn it on again while any VF holds quotas (-ESTALE), so
 * the quotas can be put back but not the mode. The errors say so.
 */
bool vgpu_prov_auto_lost(const struct vgpu_prov_txn *t)
{
	return t->was_auto && !vgpu_prov_driver_auto(&t->p);
}

/*
 * Checks the quotas in @req of @vf against its PF's layout and pools and
 * remembers the VF's current ones in @t; nothing is written.
 */
int vgpu_prov_prepare(struct pci_dev *vf, const struct vgpu_quota *req,
		      struct vgpu_prov_txn *t, struct netlink_ext_ack *extack)
{
	memset(t, 0, sizeof(*t));
	t->vf = vf;
	if (vgpu_prov_find(vf->physfn, &t->p)) {
		VGPU_ERR_FMT(extack, "%s has no VF provisioning files (i915 prelim_iov, xe)",
			     vgpu_handle(&vf->physfn->dev).s);
		return -EOPNOTSUPP;
	}
	t->idx = pci_iov_vf_id(vf) + 1;
	vgpu_prov_get_quota(&t->p, t->idx, &t->cur);
	t->was_auto = vgpu_prov_driver_auto(&t->p);
	return vgpu_prov_check(&t->p, &t->cur, req, extack);
}

/*
 * Writes the quotas of a prepared request: all of them, or none. The files
 * are written in key order; a failure writes every earlier key back, and
 * the failed one too, since a driver may have released the old quota
 * before failing.
 */
int vgpu_prov_commit(struct vgpu_prov_txn *t, const struct vgpu_quota *req,
		     struct netlink_ext_ack *extack)
{
	char path[VGPU_PROV_PATH_MAX];
	int key, ret = 0, bad;

	for (key = VGPU_QUOTA_FIRST; key <= VGPU_A_QUOTA_MAX; key++) {
		if (!req->has[key] || req->val[key] == t->cur.val[key])
			continue;
		ret = t->p.layout->quota_path(&t->p, t->idx, key, path, sizeof(path));
		if (!ret) {
			t->done[key] = true;
			ret = vgpu_prov_write_u64(path, req->val[key]);
		}
		if (ret)
			break;
	}
	vgpu_prov_note_custom(&t->p, t->done);
	if (!ret) {
		vgpu_event_vf(VGPU_EVENT_QUOTA, t->vf, NULL);
		return 0;
	}

	bad = vgpu_prov_undo(&t->p, t->idx, &t->cur, t->done);
	memset(t->done, 0, sizeof(t->done));
	if (bad)
		VGPU_ERR_FMT(extack, "%s: %s (%d); undoing %s failed too",
			     vgpu_quota_key_name(key), vgpu_prov_strerror(ret),
			     ret, vgpu_quota_key_name(bad));
	else if (vgpu_prov_auto_lost(t))
		VGPU_ERR_FMT(extack, "%s: write failed (%d); quotas back, auto provisioning off",
			     vgpu_quota_key_name(key), ret);
	else
		VGPU_ERR_FMT(extack, "%s: %s (%d); nothing changed",
			     vgpu_quota_key_name(key), vgpu_prov_strerror(ret),
			     ret);
	return ret;
}

/*
 * Puts back the quotas a committed request changed, when a later step of
 * the same request failed. Returns the key that could not be restored, or
 * 0 when all were.
 */
int vgpu_prov_rollback(struct vgpu_prov_txn *t)
{
	int bad;

	bad = vgpu_prov_undo(&t->p, t->idx, &t->cur, t->done);
	memset(t->done, 0, sizeof(t->done));
	vgpu_event_vf(VGPU_EVENT_QUOTA, t->vf, NULL);
	return bad;
}
