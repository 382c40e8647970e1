// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_sim: the provisioning sysfs trees of the GPU PF drivers.
 *
 *   iov=i915  i915-sriov-dkms: <PF>/drm/card0/prelim_iov/{pf,vfN}/gtN/
 *             (intel_iov_sysfs.c, i915_sriov_sysfs.c)
 *   iov=xe    xe 6.19+: <PF>/sriov_admin/{.bulk_profile,pf,vfN}/
 *             (xe_sriov_pf_sysfs.c); with xe_kernel=7.3 and VRAM also
 *             the 7.0 files vfN/profile/vram_quota, .bulk_profile/vram_quota
 *
 * Each attribute parses its value with the type the real one uses, then
 * applies the rules of sim_iov_rules.c under iov->lock. Every directory
 * is a struct sim_kobj kept in iov->kobjs[] so one call removes them all.
 * tests/sim/PROVISIONING.md lists every file.
 */
#include <linux/err.h>
#include <linux/kobject.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "sim_iov.h"
#include "sim_iov_priv.h"

struct sim_attr {
	struct attribute attr;
	enum sim_key key;
};

#define SIM_ATTR(var, _name, _mode, _key)				\
	static struct sim_attr var = {					\
		.attr = { .name = _name, .mode = _mode },		\
		.key = _key,						\
	}

static const char * const sim_prio_names[] = { "low", "normal", "high" };

static ssize_t sim_prio_show(u32 prio, unsigned int choices, char *buf)
{
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < choices; i++)
		len += sysfs_emit_at(buf, len, i == prio ? "%s[%s]" : "%s%s",
				     i ? " " : "", sim_prio_names[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}

static ssize_t sim_show(struct kobject *kobj, struct attribute *attr,
			char *buf)
{
	struct sim_kobj *sk = container_of(kobj, struct sim_kobj, kobj);
	struct sim_attr *sa = container_of(attr, struct sim_attr, attr);
	struct vgpu_sim_iov *iov = sk->iov;
	struct sim_fn *f = &iov->fn[sk->id];
	unsigned int gt = sk->gt;
	ssize_t ret;

	mutex_lock(&iov->lock);
	switch (sa->key) {
	case K_MODE:
		ret = sysfs_emit(buf, "%s\n", "SR-IOV PF");
		break;
	case K_AUTO:
		ret = sysfs_emit(buf, "%d\n", iov->auto_on);
		break;
	case K_ID:
		ret = sysfs_emit(buf, "%u\n", sk->id);
		break;
	case K_EQ:
		ret = sysfs_emit(buf, "%u\n", f->eq[gt]);
		break;
	case K_PT:
		ret = sysfs_emit(buf, "%u\n", f->pt[gt]);
		break;
	case K_GGTT:
		ret = sysfs_emit(buf, "%llu\n", sk->id ? f->ggtt :
				 sim_iov_ggtt_spare(iov));
		break;
	case K_VRAM:
		ret = sysfs_emit(buf, "%llu\n", f->vram);
		break;
	case K_CTXS:
		ret = sysfs_emit(buf, "%hu\n", (u16)(sk->id ? f->ctxs[gt] :
				 sim_iov_ctx_spare(iov, gt)));
		break;
	case K_DBS:
		ret = sysfs_emit(buf, "%hu\n", (u16)(sk->id ? f->dbs[gt] :
				 iov->db_spare[gt]));
		break;
	case K_GGTT_FREE:
		ret = sysfs_emit(buf, "%llu\n", sim_iov_i915_ggtt_free(iov));
		break;
	case K_GGTT_MAX:
		ret = sysfs_emit(buf, "%llu\n", sim_iov_i915_ggtt_max(iov));
		break;
	case K_CTXS_FREE:
	case K_CTXS_MAX:
		ret = sysfs_emit(buf, "%hu\n",
				 (u16)sim_iov_i915_ctx_free(iov, gt));
		break;
	case K_DBS_FREE:
	case K_DBS_MAX:
		ret = sysfs_emit(buf, "%hu\n",
				 (u16)(sim_iov_doorbells -
				       sim_iov_dbs_used(iov, gt)));
		break;
	case K_PRIO:
		ret = sim_prio_show(f->prio, sk->id ? 2 : 3, buf);
		break;
	default:
		ret = -EIO;
	}
	mutex_unlock(&iov->lock);
	return ret;
}

/* The value a store parses, by the type the real attribute uses. */
static int sim_parse(enum sim_key key, unsigned int id, const char *buf,
		     u64 *val)
{
	u32 v32;
	u16 v16;
	bool b;
	int ret;

	switch (key) {
	case K_AUTO:
	case K_STOP:
		ret = kstrtobool(buf, &b);
		*val = b;
		return ret;
	case K_GGTT:
	case K_VRAM:
	case K_BULK_VRAM:
		return kstrtou64(buf, 0, val);
	case K_CTXS:
	case K_DBS:
		ret = kstrtou16(buf, 0, &v16);
		*val = v16;
		return ret;
	case K_EQ:
	case K_PT:
	case K_BULK_EQ:
	case K_BULK_PT:
		ret = kstrtou32(buf, 0, &v32);
		*val = v32;
		return ret;
	case K_PRIO:
	case K_BULK_PRIO:
		/* xe_sriov_pf_sysfs.c: VFs can't change it, nor pick high */
		if (key == K_PRIO && id)
			return -EOPNOTSUPP;
		ret = __sysfs_match_string(sim_prio_names,
					   key == K_PRIO ? 3 : 2, buf);
		if (ret < 0)
			return -EINVAL;
		*val = ret;
		return 0;
	default:
		return -EIO;
	}
}

static int sim_control(struct vgpu_sim_iov *iov, unsigned int id,
		       const char *buf)
{
	if (sysfs_streq(buf, "clear")) {
		mutex_lock(&iov->lock);
		sim_iov_unprovision(iov, id);
		mutex_unlock(&iov->lock);
		return 0;
	}
	if (sysfs_streq(buf, "stop") || sysfs_streq(buf, "pause") ||
	    sysfs_streq(buf, "resume"))
		return 0;
	return -EINVAL;
}

static int sim_store_locked(struct sim_kobj *sk, enum sim_key key, u64 val)
{
	struct vgpu_sim_iov *iov = sk->iov;
	struct sim_fn *f = &iov->fn[sk->id];
	unsigned int gt = sk->gt, id = sk->id, n;
	bool had;
	int err;

	switch (key) {
	case K_AUTO:
		return sim_iov_i915_set_auto(iov, val);
	case K_EQ:
	case K_PT:
		if (key == K_EQ)
			f->eq[gt] = val;
		else
			f->pt[gt] = val;
		if (iov->layout == SIM_I915 && val && id)
			sim_iov_i915_mark_manual(iov);
		return 0;
	case K_GGTT:
		if (!id) {
			if (val && val < SIM_MIN_SPARE_GGTT)
				return -EINVAL;
			if (val > U64_MAX - (SIM_GGTT_ALIGN - 1))
				val = U64_MAX;
			else
				val = round_up(val, SIM_GGTT_ALIGN);
			iov->ggtt_spare = val;
			return 0;
		}
		had = f->ggtt;
		err = sim_iov_i915_set_ggtt(iov, id, val);
		break;
	case K_CTXS:
		if (!id) {
			if (val > sim_iov_contexts ||
			    (val && val < SIM_MIN_SPARE_CTXS))
				return -EINVAL;
			iov->ctx_spare[gt] = val;
			return 0;
		}
		had = f->ctxs[gt];
		err = sim_iov_i915_set_ctxs(iov, id, gt, val);
		break;
	case K_DBS:
		if (!id) {
			if (val > sim_iov_doorbells)
				return -EINVAL;
			iov->db_spare[gt] = val;
			return 0;
		}
		had = f->dbs[gt];
		err = sim_iov_i915_set_dbs(iov, id, gt, val);
		break;
	case K_PRIO:
		f->prio = val;
		return 0;
	case K_VRAM:
		/* sysfs, not debugfs: the provisioning mode stays as it is */
		return sim_iov_xe_set_vram(iov, id, val);
	case K_BULK_VRAM:
		return sim_iov_xe_bulk_vram(iov, val);
	case K_BULK_EQ:
	case K_BULK_PT:
	case K_BULK_PRIO:
		for (n = 0; n <= iov->totalvfs; n++) {
			if (key == K_BULK_EQ)
				iov->fn[n].eq[0] = val;
			else if (key == K_BULK_PT)
				iov->fn[n].pt[0] = val;
			else
				iov->fn[n].prio = val;
		}
		/* bulk priority is the PF's sched_if_idle policy */
		if (key == K_BULK_PRIO)
			iov->sched_if_idle = val == SIM_PRIO_NORMAL;
		return 0;
	default:
		return -EIO;
	}
	if (err)
		pci_notice(iov->pdev, "IOV: Failed to provision VF%u (%d)\n",
			   id, err);
	else if (had || val)
		sim_iov_i915_mark_manual(iov);
	return err;
}

static ssize_t sim_store(struct kobject *kobj, struct attribute *attr,
			 const char *buf, size_t count)
{
	struct sim_kobj *sk = container_of(kobj, struct sim_kobj, kobj);
	struct sim_attr *sa = container_of(attr, struct sim_attr, attr);
	struct vgpu_sim_iov *iov = sk->iov;
	u64 val;
	int err;

	if (sa->key == K_CONTROL)
		return sim_control(iov, sk->id, buf) ?: count;
	if (sa->key == K_STOP && !sk->id)
		return -EPERM;
	err = sim_parse(sa->key, sk->id, buf, &val);
	if (err)
		return err;
	/* DEFINE_SIMPLE_CONTROL_SRIOV_VF_ATTR(stop): "0" does nothing */
	if (sa->key == K_STOP) {
		if (!val)
			return count;
		mutex_lock(&iov->lock);
		err = sim_iov_xe_control(iov, sk->id, SIM_CTL_STOP);
		mutex_unlock(&iov->lock);
		return err ?: count;
	}
	mutex_lock(&iov->lock);
	if (sim_iov_fail_write())
		err = -EIO;
	else
		err = sim_store_locked(sk, sa->key, val);
	mutex_unlock(&iov->lock);
	return err ?: count;
}

static const struct sysfs_ops sim_sysfs_ops = {
	.show = sim_show,
	.store = sim_store,
};

static void sim_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct sim_kobj, kobj));
}

static const struct kobj_type sim_ktype = {
	.release = sim_kobj_release,
	.sysfs_ops = &sim_sysfs_ops,
};

/* i915 attributes (intel_iov_sysfs.c, i915_sriov_sysfs.c) */
SIM_ATTR(a_mode, "mode", 0444, K_MODE);
SIM_ATTR(a_auto, "auto_provisioning", 0644, K_AUTO);
SIM_ATTR(a_id, "id", 0444, K_ID);
SIM_ATTR(a_control, "control", 0200, K_CONTROL);
SIM_ATTR(a_eq, "exec_quantum_ms", 0644, K_EQ);
SIM_ATTR(a_pt, "preempt_timeout_us", 0644, K_PT);
SIM_ATTR(a_ggtt_spare, "ggtt_spare", 0644, K_GGTT);
SIM_ATTR(a_ctxs_spare, "contexts_spare", 0644, K_CTXS);
SIM_ATTR(a_dbs_spare, "doorbells_spare", 0644, K_DBS);
SIM_ATTR(a_ggtt_free, "ggtt_free", 0444, K_GGTT_FREE);
SIM_ATTR(a_ggtt_max, "ggtt_max_quota", 0444, K_GGTT_MAX);
SIM_ATTR(a_ctxs_free, "contexts_free", 0444, K_CTXS_FREE);
SIM_ATTR(a_ctxs_max, "contexts_max_quota", 0444, K_CTXS_MAX);
SIM_ATTR(a_dbs_free, "doorbells_free", 0444, K_DBS_FREE);
SIM_ATTR(a_dbs_max, "doorbells_max_quota", 0444, K_DBS_MAX);
SIM_ATTR(a_ggtt_quota, "ggtt_quota", 0644, K_GGTT);
SIM_ATTR(a_ctxs_quota, "contexts_quota", 0644, K_CTXS);
SIM_ATTR(a_dbs_quota, "doorbells_quota", 0644, K_DBS);
/* xe attributes (xe_sriov_pf_sysfs.c) */
SIM_ATTR(a_prio, "sched_priority", 0644, K_PRIO);
SIM_ATTR(a_stop, "stop", 0200, K_STOP);
SIM_ATTR(a_bulk_eq, "exec_quantum_ms", 0200, K_BULK_EQ);
SIM_ATTR(a_bulk_pt, "preempt_timeout_us", 0200, K_BULK_PT);
SIM_ATTR(a_bulk_prio, "sched_priority", 0200, K_BULK_PRIO);
SIM_ATTR(a_vram_quota, "vram_quota", 0644, K_VRAM);
SIM_ATTR(a_bulk_vram, "vram_quota", 0200, K_BULK_VRAM);

static struct attribute *i915_home_attrs[] = { &a_mode.attr, NULL };
static struct attribute *i915_pf_attrs[] = { &a_auto.attr, NULL };
static struct attribute *i915_vf_attrs[] = { &a_id.attr, &a_control.attr, NULL };
static struct attribute *i915_pf_gt_attrs[] = {
	&a_eq.attr, &a_pt.attr, &a_ggtt_spare.attr, &a_ctxs_spare.attr,
	&a_dbs_spare.attr, NULL
};
static struct attribute *i915_avail_attrs[] = {
	&a_ggtt_free.attr, &a_ggtt_max.attr, &a_ctxs_free.attr,
	&a_ctxs_max.attr, &a_dbs_free.attr, &a_dbs_max.attr, NULL
};
static struct attribute *i915_vf_gt_attrs[] = {
	&a_ggtt_quota.attr, &a_ctxs_quota.attr, &a_dbs_quota.attr,
	&a_eq.attr, &a_pt.attr, NULL
};
static struct attribute *xe_bulk_attrs[] = {
	&a_bulk_eq.attr, &a_bulk_pt.attr, &a_bulk_prio.attr, &a_bulk_vram.attr,
	NULL
};
static struct attribute *xe_profile_attrs[] = {
	&a_eq.attr, &a_pt.attr, &a_prio.attr, &a_vram_quota.attr, NULL
};
static struct attribute *xe_vf_attrs[] = { &a_stop.attr, NULL };

/* The media GT shares the GGTT: its ggtt_quota is read-only. */
static umode_t i915_vf_gt_visible(struct kobject *kobj, struct attribute *a,
				  int n)
{
	struct sim_kobj *sk = container_of(kobj, struct sim_kobj, kobj);

	return a == &a_ggtt_quota.attr && sk->gt ? 0444 : a->mode;
}

/*
 * profile_vf_attr_is_visible(): only the PF may change its priority
 * (sched_priority_change_allowed); vram_quota (7.0) only for VFs of a
 * discrete GPU (the sim's has an LMTT, so it is writable).
 */
static umode_t xe_profile_visible(struct kobject *kobj, struct attribute *a,
				  int n)
{
	struct sim_kobj *sk = container_of(kobj, struct sim_kobj, kobj);

	if (a == &a_vram_quota.attr)
		return sk->iov->xe7 && sk->iov->vram_pool && sk->id ?
		       a->mode : 0;
	return a == &a_prio.attr && sk->id ? 0444 : a->mode;
}

/* profile_dev_attr_is_visible(): .bulk_profile/vram_quota needs an LMTT */
static umode_t xe_bulk_visible(struct kobject *kobj, struct attribute *a,
			       int n)
{
	struct sim_kobj *sk = container_of(kobj, struct sim_kobj, kobj);

	if (a == &a_bulk_vram.attr)
		return sk->iov->xe7 && sk->iov->vram_pool ? a->mode : 0;
	return a->mode;
}

static umode_t xe_vf_visible(struct kobject *kobj, struct attribute *a, int n)
{
	struct sim_kobj *sk = container_of(kobj, struct sim_kobj, kobj);

	return sk->id ? a->mode : 0;
}

static const struct attribute_group i915_home_group = { .attrs = i915_home_attrs };
static const struct attribute_group i915_pf_group = { .attrs = i915_pf_attrs };
static const struct attribute_group i915_vf_group = { .attrs = i915_vf_attrs };
static const struct attribute_group i915_pf_gt_group = { .attrs = i915_pf_gt_attrs };
static const struct attribute_group i915_avail_group = {
	.name = "available", .attrs = i915_avail_attrs,
};
static const struct attribute_group i915_vf_gt_group = {
	.attrs = i915_vf_gt_attrs, .is_visible = i915_vf_gt_visible,
};
static const struct attribute_group xe_bulk_group = {
	.name = ".bulk_profile", .attrs = xe_bulk_attrs,
	.is_visible = xe_bulk_visible,
};
static const struct attribute_group xe_profile_group = {
	.name = "profile", .attrs = xe_profile_attrs,
	.is_visible = xe_profile_visible,
};
static const struct attribute_group xe_vf_group = {
	.attrs = xe_vf_attrs, .is_visible = xe_vf_visible,
};

/* A directory with attribute groups; freed by sim_iov_sysfs_remove(). */
static struct sim_kobj *sim_dir(struct vgpu_sim_iov *iov,
				struct kobject *parent, const char *name,
				unsigned int id, unsigned int gt,
				const struct attribute_group **groups)
{
	struct sim_kobj *sk;
	int err;

	if (iov->nkobjs >= SIM_MAX_KOBJS)
		return ERR_PTR(-ENOSPC);
	sk = kzalloc(sizeof(*sk), GFP_KERNEL);
	if (!sk)
		return ERR_PTR(-ENOMEM);
	sk->iov = iov;
	sk->id = id;
	sk->gt = gt;
	err = kobject_init_and_add(&sk->kobj, &sim_ktype, parent, "%s", name);
	if (!err && groups)
		err = sysfs_create_groups(&sk->kobj, groups);
	if (err) {
		kobject_put(&sk->kobj);
		return ERR_PTR(err);
	}
	iov->kobjs[iov->nkobjs++] = sk;
	return sk;
}

void sim_iov_sysfs_remove(struct vgpu_sim_iov *iov)
{
	while (iov->nkobjs)
		kobject_put(&iov->kobjs[--iov->nkobjs]->kobj);
}

int sim_iov_i915_sysfs_add(struct vgpu_sim_iov *iov)
{
	static const struct attribute_group *home[] = { &i915_home_group, NULL };
	static const struct attribute_group *pf[] = { &i915_pf_group, NULL };
	static const struct attribute_group *vf[] = { &i915_vf_group, NULL };
	static const struct attribute_group *pf_gt[] = {
		&i915_pf_gt_group, &i915_avail_group, NULL
	};
	static const struct attribute_group *vf_gt[] = { &i915_vf_gt_group, NULL };
	struct sim_kobj *drm, *card, *prelim, *sk, *gtk;
	char name[16];
	unsigned int n, gt;

	/*
	 * On real hardware drm/card0 is the DRM class device and
	 * /sys/class/drm/card0 links to it; the sim has no DRM device, so
	 * only the path under the PCI device exists.
	 */
	drm = sim_dir(iov, &iov->pdev->dev.kobj, "drm", 0, 0, NULL);
	if (IS_ERR(drm))
		return PTR_ERR(drm);
	card = sim_dir(iov, &drm->kobj, "card0", 0, 0, NULL);
	if (IS_ERR(card))
		return PTR_ERR(card);
	prelim = sim_dir(iov, &card->kobj, "prelim_iov", 0, 0, home);
	if (IS_ERR(prelim))
		return PTR_ERR(prelim);
	for (n = 0; n <= iov->totalvfs; n++) {
		if (n)
			snprintf(name, sizeof(name), "vf%u", n);
		else
			strscpy(name, "pf", sizeof(name));
		sk = sim_dir(iov, &prelim->kobj, name, n, 0, n ? vf : pf);
		if (IS_ERR(sk))
			return PTR_ERR(sk);
		iov->fn_kobj[n] = sk;
		for (gt = 0; gt < iov->ngt; gt++) {
			snprintf(name, sizeof(name), "gt%u", gt);
			gtk = sim_dir(iov, &sk->kobj, name, n, gt,
				      n ? vf_gt : pf_gt);
			if (IS_ERR(gtk))
				return PTR_ERR(gtk);
		}
	}
	return sysfs_create_link(&iov->fn_kobj[0]->kobj, &iov->pdev->dev.kobj,
				 "device");
}

int sim_iov_xe_sysfs_add(struct vgpu_sim_iov *iov)
{
	static const struct attribute_group *root_groups[] = { &xe_bulk_group, NULL };
	static const struct attribute_group *fn_groups[] = {
		&xe_profile_group, &xe_vf_group, NULL
	};
	struct sim_kobj *root, *sk;
	char name[16];
	unsigned int n;

	root = sim_dir(iov, &iov->pdev->dev.kobj, "sriov_admin", 0, 0,
		       root_groups);
	if (IS_ERR(root))
		return PTR_ERR(root);
	for (n = 0; n <= iov->totalvfs; n++) {
		if (n)
			snprintf(name, sizeof(name), "vf%u", n);
		else
			strscpy(name, "pf", sizeof(name));
		sk = sim_dir(iov, &root->kobj, name, n, 0, fn_groups);
		if (IS_ERR(sk))
			return PTR_ERR(sk);
		iov->fn_kobj[n] = sk;
	}
	return sysfs_create_link(&iov->fn_kobj[0]->kobj, &iov->pdev->dev.kobj,
				 "device");
}
