// SPDX-License-Identifier: GPL-2.0
/*
 * Auto and custom provisioning, and the driver's bulk profile.
 *
 * Both drivers give enabled VFs a fair share by themselves (auto); any
 * quota set by hand turns that off for the whole PF (custom). i915 says
 * which in pf/auto_provisioning. xe says nothing: its layout tells it
 * where xe can (vgpu_prov_xe.c), and what xe cannot tell - a debugfs write
 * of ours while no VF was enabled - the registry remembers
 * (vgpu_dev.prov_custom, forgotten when the driver binds again).
 *
 * Going back to auto needs the VFs disabled (xe refuses otherwise; i915
 * provisions only at enable): vgpu_sriov.c does that order around
 * vgpu_prov_switch_mode(), which it calls with the PF's device lock.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vgpu_compat.h"
#include "vgpu_event.h"
#include "vgpu_handle.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"

/* The PF's mode with its device lock held: VGPU_PROV_MODE_*, 0 if none. */
static int vgpu_prov_get_mode_locked(const struct vgpu_prov *p)
{
	struct vgpu_dev *vdev;
	bool custom = false;

	if (!p->layout->get_mode || p->layout->get_mode(p, &custom))
		return 0;
	if (p->layout->key_makes_custom) {
		vdev = vgpu_dev_find(p->pf);
		if (vdev) {
			/* With VFs enabled the driver's answer is exact. */
			if (pci_num_vf(p->pf))
				vgpu_dev_set_prov_custom(vdev, custom);
			else
				custom |= vgpu_dev_prov_custom(vdev);
			vgpu_dev_put(vdev);
		}
	}
	return custom ? VGPU_PROV_MODE_CUSTOM : VGPU_PROV_MODE_AUTO;
}

/*
 * The same, taking the PF's device lock (sriov_numvfs_store() holds it
 * around a VF count change), so that the VFs stay while the mode is asked.
 */
int vgpu_prov_get_mode(const struct vgpu_prov *p)
{
	int mode;

	if (!p->layout->get_mode)
		return 0;
	device_lock(&p->pf->dev);
	mode = vgpu_prov_get_mode_locked(p);
	device_unlock(&p->pf->dev);
	return mode;
}

/*
 * Asks the driver for @mode; for auto, the caller has disabled the VFs.
 * Called with the PF's device lock held, not the rescan lock (the files
 * are the VFS's; see vgpu_sriov_switch_mode()).
 */
int vgpu_prov_switch_mode(const struct vgpu_prov *p, int mode,
			  struct netlink_ext_ack *extack)
{
	bool custom = mode == VGPU_PROV_MODE_CUSTOM;
	const char *why = NULL;
	struct vgpu_dev *vdev;
	int ret;

	if (!p->layout->set_mode) {
		VGPU_ERR_FMT(extack, "%s has no auto/custom provisioning modes",
			     p->layout->name);
		return -EOPNOTSUPP;
	}
	ret = p->layout->set_mode(p, custom, &why);
	if (ret) {
		if (why)
			VGPU_ERR_FMT(extack, "%s: %s (%d)", p->layout->name, why, ret);
		else
			VGPU_ERR_FMT(extack, "%s refused %s provisioning (%d)",
				     p->layout->name, custom ? "custom" : "auto",
				     ret);
		return ret;
	}
	vdev = vgpu_dev_find(p->pf);
	if (vdev) {
		vgpu_dev_set_prov_custom(vdev, custom);
		vgpu_dev_put(vdev);
	}
	return 0;
}

/* "[low] normal high": the bracketed one's index, or -EIO. */
static int vgpu_prov_read_choice(const char *path, u64 *val)
{
	static const char *const names[] = { "low", "normal", "high" };
	char buf[64], *open, *close;
	size_t i;
	int ret;

	ret = vgpu_prov_read_file(path, buf, sizeof(buf));
	if (ret)
		return ret;
	open = strchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return -EIO;
	*close = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(open + 1, names[i])) {
			*val = i;
			return 0;
		}
	return -EIO;
}

/* The PF's own profile (xe sriov_admin/pf/profile), where there is one. */
int vgpu_prov_get_profile(const struct vgpu_prov *p, struct vgpu_quota *q)
{
	char path[VGPU_PROV_PATH_MAX];
	int key;

	memset(q, 0, sizeof(*q));
	if (!p->layout->profile_path)
		return -ENOENT;
	for (key = VGPU_A_QUOTA_GGTT; key <= VGPU_A_QUOTA_MAX; key++) {
		if (p->layout->profile_path(p, key, false, path, sizeof(path)))
			continue;
		q->has[key] = key == VGPU_A_QUOTA_PRIORITY ?
			      !vgpu_prov_read_choice(path, &q->val[key]) :
			      !vgpu_prov_read_u64(path, &q->val[key]);
	}
	return 0;
}

static const char *const vgpu_priority_names[] = { "low", "normal", "high" };

/* One bulk write: a number, or for the priority its name. */
static int vgpu_prov_bulk_write(const char *path, int key, u64 val)
{
	if (key == VGPU_A_QUOTA_PRIORITY)
		return vgpu_prov_write_str(path, vgpu_priority_names[val]);
	return vgpu_prov_write_u64(path, val);
}

/*
 * Puts back the per-function values of @key saved in @fn ([0] the PF,
 * [n] VF n), as far as it can.
 */
static void vgpu_prov_profile_undo(const struct vgpu_prov *p,
				   const struct vgpu_quota *fn, int key)
{
	char path[VGPU_PROV_PATH_MAX];
	unsigned int n;

	if (fn[0].has[key] &&
	    !p->layout->profile_path(p, key, false, path, sizeof(path)))
		vgpu_prov_bulk_write(path, key, fn[0].val[key]);
	for (n = 1; n <= p->totalvfs; n++)
		if (fn[n].has[key] &&
		    !p->layout->quota_path(p, n, key, path, sizeof(path)))
			vgpu_prov_write_u64(path, fn[n].val[key]);
}

/* Checks a bulk profile request against the layout; nothing is written. */
static int vgpu_prov_profile_check(const struct vgpu_prov *p,
				   const struct vgpu_quota *req,
				   struct netlink_ext_ack *extack)
{
	char path[VGPU_PROV_PATH_MAX];
	int key;

	for (key = VGPU_A_QUOTA_GGTT; key <= VGPU_A_QUOTA_MAX; key++) {
		if (!req->has[key])
			continue;
		if (!p->layout->profile_path ||
		    p->layout->profile_path(p, key, true, path, sizeof(path)) ||
		    !vgpu_prov_writable(path)) {
			VGPU_ERR_FMT(extack, "%s: %s has no bulk profile for it",
				     vgpu_quota_key_name(key), p->layout->name);
			return -EOPNOTSUPP;
		}
		if (key == VGPU_A_QUOTA_PRIORITY &&
		    req->val[key] > VGPU_PRIORITY_NORMAL) {
			VGPU_ERR_FMT(extack, "priority: the bulk profile sets VFs, which go up to normal");
			return -ERANGE;
		}
		if (req->val[key] > p->layout->key_limit(key)) {
			VGPU_ERR_FMT(extack, "%s: %llu is above the driver's limit of %llu",
				     vgpu_quota_key_name(key), req->val[key],
				     p->layout->key_limit(key));
			return -ERANGE;
		}
	}
	return 0;
}

/*
 * The bulk profile: each key written once for the PF and every VF
 * (priority last: it is xe's sched_if_idle policy, and cannot be put back
 * per function). If a write fails, the keys written before it are put back
 * function by function from what they held.
 */
int vgpu_prov_set_profile(struct vgpu_dev *vdev, const struct vgpu_quota *req,
			  struct netlink_ext_ack *extack)
{
	static const int order[] = {
		VGPU_A_QUOTA_EXEC_QUANTUM_MS, VGPU_A_QUOTA_PREEMPT_TIMEOUT_US,
		VGPU_A_QUOTA_VRAM, VGPU_A_QUOTA_PRIORITY,
	};
	char path[VGPU_PROV_PATH_MAX];
	struct vgpu_quota *fn;
	struct vgpu_prov p;
	size_t i, j;
	unsigned int n;
	int key, ret;

	if (vgpu_prov_find(vdev->pdev, &p)) {
		VGPU_ERR_FMT(extack, "%s has no VF provisioning files (i915 prelim_iov, xe)",
			     vgpu_handle(&vdev->pdev->dev).s);
		return -EOPNOTSUPP;
	}
	for (key = VGPU_A_QUOTA_GGTT; key <= VGPU_A_QUOTA_MAX; key++) {
		for (i = 0; i < ARRAY_SIZE(order) && order[i] != key; i++)
			;
		if (req->has[key] && i == ARRAY_SIZE(order)) {
			VGPU_ERR_FMT(extack, "%s: not a bulk profile key",
				     vgpu_quota_key_name(key));
			return -EINVAL;
		}
	}
	ret = vgpu_prov_profile_check(&p, req, extack);
	if (ret)
		return ret;

	fn = kvcalloc(p.totalvfs + 1, sizeof(*fn), GFP_KERNEL);
	if (!fn)
		return -ENOMEM;
	vgpu_prov_get_profile(&p, &fn[0]);
	for (n = 1; n <= p.totalvfs; n++)
		vgpu_prov_get_quota(&p, n, &fn[n]);

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		key = order[i];
		if (!req->has[key])
			continue;
		p.layout->profile_path(&p, key, true, path, sizeof(path));
		ret = vgpu_prov_bulk_write(path, key, req->val[key]);
		if (ret)
			break;
	}
	if (ret) {
		for (j = 0; j <= i; j++)
			if (req->has[order[j]] && order[j] != VGPU_A_QUOTA_PRIORITY)
				vgpu_prov_profile_undo(&p, fn, order[j]);
		VGPU_ERR_FMT(extack, "%s: bulk profile refused (%d); earlier keys put back",
			     vgpu_quota_key_name(key), ret);
	} else {
		vgpu_event_dev(VGPU_EVENT_DEV_CHANGE, vdev, NULL);
	}
	kvfree(fn);
	return ret;
}
