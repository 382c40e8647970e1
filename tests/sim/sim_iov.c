// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_sim: the VF provisioning files of the GPU PF drivers.
 *
 * The simulated PF shows the files an admin uses to size VFs, with the
 * names, formats, parsing and error codes of the real drivers, so the
 * vgpu_nl backends meet them as they would on hardware:
 *
 *   iov=i915    i915-sriov-dkms: <PF>/drm/card0/prelim_iov/ (sysfs)
 *   iov=xe      xe 6.19+: <PF>/sriov_admin/ (sysfs) and
 *               debugfs dri/<PF BDF>/sriov/{pf,vfN}/tile0/[gt0/]
 *   iov=xe-old  xe before 6.19: debugfs dri/0/gt0/{pf,vfN}/
 *   iov=none    nothing
 *
 * tests/sim/PROVISIONING.md lists every file, the rules behind each error
 * and the driver source each comes from; sim_iov.h states the accounting
 * invariants. The resources are module parameters read at probe.
 *
 * Fault injection: fail_write=N makes the N-th parsed provisioning write
 * from now fail with -EIO without changing anything (one-shot).
 */
#include <linux/debugfs.h>
#include <linux/kobject.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/sysfs.h>

#include "sim_iov.h"

static char *iov_param = "i915";
module_param_named(iov, iov_param, charp, 0444);
MODULE_PARM_DESC(iov, "Provisioning layout: i915, xe, xe-old or none");

static unsigned int ggtt_mb = 3584;
module_param(ggtt_mb, uint, 0444);
MODULE_PARM_DESC(ggtt_mb, "VF-provisionable GGTT in MiB (the PF keeps 512 more)");

static unsigned int contexts = 65535;
module_param(contexts, uint, 0444);
MODULE_PARM_DESC(contexts, "GuC context IDs (at most 65535)");

static unsigned int doorbells = 256;
module_param(doorbells, uint, 0444);
MODULE_PARM_DESC(doorbells, "GuC doorbells (at most 256)");

static unsigned int vram_mb;
module_param(vram_mb, uint, 0444);
MODULE_PARM_DESC(vram_mb, "xe: VRAM in MiB (0: integrated, no VRAM files)");

static bool media_gt;
module_param(media_gt, bool, 0444);
MODULE_PARM_DESC(media_gt, "i915: add a media GT (gt1 dirs)");

static int fail_write;
module_param(fail_write, int, 0644);
MODULE_PARM_DESC(fail_write, "Fail the N-th provisioning write from now with -EIO, once");

enum sim_layout { SIM_I915, SIM_XE, SIM_XE_OLD };

/* What the PF keeps of the GGTT below the VF pool (4 GiB in all). */
#define SIM_PF_GGTT		SZ_512M
#define SIM_GGTT_ALIGN		SZ_4K
#define SIM_MIN_SPARE_GGTT	SZ_64M
#define SIM_MIN_SPARE_CTXS	256
#define SIM_MIN_SPARE_VRAM	SZ_128M
#define SIM_VRAM_ALIGN		SZ_2M
#define SIM_MAX_FAIR_VRAM	SZ_2G
#define SIM_CTXS_GRAN		128	/* i915 CTXS_GRANULARITY */
#define SIM_MAX_GT		2

/* One function's configuration: [0] is the PF, [n] is VF n. */
struct sim_fn {
	u64 ggtt;
	u64 vram;
	u32 ctxs[SIM_MAX_GT];
	u32 dbs[SIM_MAX_GT];
	u32 eq[SIM_MAX_GT];
	u32 pt[SIM_MAX_GT];
	u32 prio;
};

struct sim_kobj {
	struct kobject kobj;
	struct vgpu_sim_iov *iov;
	unsigned int id;	/* 0: PF, n: VF n */
	unsigned int gt;
};

/* One debugfs attribute: what debugfs hands back to get/set. */
struct sim_dfile {
	struct vgpu_sim_iov *iov;
	unsigned short id;
	unsigned short key;
};

#define SIM_MAX_KOBJS	64
#define SIM_DFILES_PER_FN 16

struct vgpu_sim_iov {
	struct pci_dev *pdev;
	enum sim_layout layout;
	struct mutex lock;		/* everything below */
	unsigned int totalvfs;
	unsigned int numvfs;
	unsigned int ngt;
	struct sim_fn *fn;		/* [0..totalvfs] */
	u64 ggtt_pool, ggtt_spare;	/* spares: as set, 0 = default */
	u64 vram_pool, vram_spare;
	u32 ctx_spare[SIM_MAX_GT], db_spare[SIM_MAX_GT];
	u32 pf_ctxs;			/* i915: the PF's fixed share */
	u32 ctx_vf_bits;		/* i915: VF pool in 128-ID units */
	bool auto_on;	/* i915 auto_provisioning; xe: auto mode */
	bool auto_done;	/* i915: current quotas came from auto */
	/* sysfs */
	struct sim_kobj *kobjs[SIM_MAX_KOBJS];
	unsigned int nkobjs;
	struct sim_kobj *fn_kobj[1 + 256];	/* pf, vfN dirs */
	unsigned int linked;		/* VF device links made */
	/* debugfs */
	struct dentry *dri;		/* dri/, ours if dri_created */
	bool dri_created;
	struct dentry *top;		/* what we remove */
	struct sim_dfile *dfiles;
	unsigned int ndfiles, maxdfiles;
};

enum sim_key {
	K_MODE, K_AUTO, K_ID, K_CONTROL, K_EQ, K_PT, K_GGTT, K_CTXS, K_DBS,
	K_VRAM, K_PRIO, K_STOP, K_GGTT_FREE, K_GGTT_MAX, K_CTXS_FREE,
	K_CTXS_MAX, K_DBS_FREE, K_DBS_MAX, K_BULK_EQ, K_BULK_PT, K_BULK_PRIO,
	K_TXT_GGTT_AVAIL, K_TXT_GGTT, K_TXT_CTXS, K_TXT_DBS, K_TXT_VRAM,
};

/* Called with the lock held, after parsing: true if this write fails. */
static bool sim_fail_this_write(void)
{
	if (fail_write <= 0)
		return false;
	return --fail_write == 0;
}

/* ---- i915 rules (intel_iov_provisioning.c) ---- */

static u64 i915_ggtt_used(struct vgpu_sim_iov *iov)
{
	u64 used = 0;
	unsigned int n;

	for (n = 1; n <= iov->totalvfs; n++)
		used += iov->fn[n].ggtt;
	return used;
}

static u64 sim_ggtt_spare(struct vgpu_sim_iov *iov)
{
	return max_t(u64, iov->ggtt_spare, SIM_MIN_SPARE_GGTT);
}

/* pf_get_free_ggtt()/pf_get_max_ggtt(): one hole, minus the spare. */
static u64 i915_ggtt_free(struct vgpu_sim_iov *iov)
{
	u64 hole = iov->ggtt_pool - i915_ggtt_used(iov);
	u64 spare = sim_ggtt_spare(iov);

	return hole > spare ? hole - spare : 0;
}

static u32 sim_ctx_spare(struct vgpu_sim_iov *iov, unsigned int gt)
{
	return max_t(u32, iov->ctx_spare[gt], SIM_MIN_SPARE_CTXS);
}

static u32 i915_ctx_used_bits(struct vgpu_sim_iov *iov, unsigned int gt)
{
	u32 bits = 0;
	unsigned int n;

	for (n = 1; n <= iov->totalvfs; n++)
		bits += iov->fn[n].ctxs[gt] / SIM_CTXS_GRAN;
	return bits;
}

/* pf_get_ctxs_free(): clear bits minus what the spare reserves. */
static u32 i915_ctx_free(struct vgpu_sim_iov *iov, unsigned int gt)
{
	u32 hole = iov->ctx_vf_bits - i915_ctx_used_bits(iov, gt);
	u32 spare = sim_ctx_spare(iov, gt), reserved = 0;

	if (spare > iov->pf_ctxs)
		reserved = DIV_ROUND_UP(spare - iov->pf_ctxs, SIM_CTXS_GRAN);
	return hole > reserved ? (hole - reserved) * SIM_CTXS_GRAN : 0;
}

static u32 sim_dbs_used(struct vgpu_sim_iov *iov, unsigned int gt)
{
	u32 used = 0;
	unsigned int n;

	for (n = 1; n <= iov->totalvfs; n++)
		used += iov->fn[n].dbs[gt];
	return used;
}

/* pf_provision_ggtt(): the old node goes first, then the checks. */
static int i915_set_ggtt(struct vgpu_sim_iov *iov, unsigned int id, u64 size)
{
	struct sim_fn *f = &iov->fn[id];

	if (size > U64_MAX - (SIM_GGTT_ALIGN - 1))
		return -EOVERFLOW;
	size = round_up(size, SIM_GGTT_ALIGN);
	if (f->ggtt) {
		if (size == f->ggtt)
			return 0;
		f->ggtt = 0;
	}
	if (!size)
		return 0;
	if (size > iov->ggtt_pool + SIM_PF_GGTT)
		return -E2BIG;
	if (size > i915_ggtt_free(iov))
		return -EDQUOT;
	f->ggtt = size;
	return 0;
}

/* pf_provision_ctxs(): u16 arithmetic, aligned to 128, released first. */
static int i915_set_ctxs(struct vgpu_sim_iov *iov, unsigned int id,
			 unsigned int gt, u16 num)
{
	u16 quota = num ? (u16)ALIGN((u32)num, SIM_CTXS_GRAN) : 0;
	struct sim_fn *f = &iov->fn[id];

	if (quota == f->ctxs[gt])
		return 0;
	f->ctxs[gt] = 0;
	if (!num || !quota)
		return 0;
	if (quota / SIM_CTXS_GRAN > iov->ctx_vf_bits - i915_ctx_used_bits(iov, gt))
		return -ENOSPC;
	f->ctxs[gt] = quota;
	return 0;
}

/* pf_provision_dbs() and pf_alloc_dbs_range(). */
static int i915_set_dbs(struct vgpu_sim_iov *iov, unsigned int id,
			unsigned int gt, u16 num)
{
	struct sim_fn *f = &iov->fn[id];

	if (num == f->dbs[gt])
		return 0;
	f->dbs[gt] = 0;
	if (!num)
		return 0;
	if (sim_dbs_used(iov, gt) + iov->db_spare[gt] + num > doorbells)
		return -EDQUOT;
	f->dbs[gt] = num;
	return 0;
}

static bool i915_fn_empty(struct sim_fn *f)
{
	return !f->ggtt && !f->ctxs[0] && !f->dbs[0];
}

static void sim_unprovision(struct vgpu_sim_iov *iov, unsigned int id)
{
	struct sim_fn *f = &iov->fn[id];

	f->ggtt = 0;
	f->vram = 0;
	memset(f->ctxs, 0, sizeof(f->ctxs));
	memset(f->dbs, 0, sizeof(f->dbs));
}

static void sim_unprovision_all(struct vgpu_sim_iov *iov)
{
	unsigned int n;

	for (n = iov->totalvfs; n > 0; n--)
		sim_unprovision(iov, n);
}

/* pf_auto_unprovision() */
static void i915_auto_unprovision(struct vgpu_sim_iov *iov)
{
	if (iov->auto_done)
		sim_unprovision_all(iov);
	iov->auto_done = false;
}

/* pf_auto_provision(): GGTT, then contexts, then doorbells, all or none. */
static int i915_auto_provision(struct vgpu_sim_iov *iov, unsigned int num)
{
	u64 fair_ggtt;
	u32 fair;
	unsigned int n, gt;
	int err = 0;

	if (!iov->auto_on)
		return -EPERM;
	iov->auto_done = true;

	fair_ggtt = ALIGN_DOWN(div_u64(i915_ggtt_free(iov), num), SIM_GGTT_ALIGN);
	if (!fair_ggtt)
		err = -ENOSPC;
	for (n = 1; !err && n <= num; n++)
		err = iov->fn[n].ggtt ? -EUCLEAN : i915_set_ggtt(iov, n, fair_ggtt);

	for (gt = 0; !err && gt < iov->ngt; gt++) {
		fair = ALIGN_DOWN(i915_ctx_free(iov, gt) / num, SIM_CTXS_GRAN);
		if (!fair)
			err = -ENOSPC;
		for (n = 1; !err && n <= num; n++)
			err = iov->fn[n].ctxs[gt] ? -EUCLEAN :
			      i915_set_ctxs(iov, n, gt, fair);
	}
	for (gt = 0; !err && gt < iov->ngt; gt++) {
		fair = doorbells / num;
		if (!fair)
			err = -ENOSPC;
		for (n = 1; !err && n <= num; n++)
			err = iov->fn[n].dbs[gt] ? -EUCLEAN :
			      i915_set_dbs(iov, n, gt, fair);
	}
	if (err) {
		pci_err(iov->pdev, "IOV: Failed to auto provision %u VFs (%d)\n",
			num, err);
		i915_auto_unprovision(iov);
	}
	return err;
}

/* i915_sriov_pf_enable_vfs() with intel_iov_provisioning_verify(). */
static int i915_enable(struct vgpu_sim_iov *iov, unsigned int num)
{
	unsigned int n, valid = 0, empty = 0;
	struct sim_fn *f;

	for (n = 1; n <= num; n++) {
		f = &iov->fn[n];
		if (f->ggtt && f->ctxs[0])
			valid++;
		else if (i915_fn_empty(f))
			empty++;
	}
	if (empty == num)
		return iov->auto_on ? i915_auto_provision(iov, num) : 0;
	if (valid + empty != num)
		return -ENOKEY;
	return 0;
}

/* pf_mark_manual_provisioning(): disabling is always allowed. */
static void i915_mark_manual(struct vgpu_sim_iov *iov)
{
	if (iov->auto_on)
		pci_info(iov->pdev, "VFs auto-provisioning was turned off\n");
	iov->auto_on = false;
}

/* i915_sriov_pf_set_auto_provisioning() */
static int i915_set_auto(struct vgpu_sim_iov *iov, bool on)
{
	unsigned int n;

	if (on == iov->auto_on)
		return 0;
	if (on)
		for (n = 1; n <= iov->totalvfs; n++)
			if (!i915_fn_empty(&iov->fn[n]))
				return -ESTALE;
	pci_info(iov->pdev, "VFs auto-provisioning was turned %s\n",
		 on ? "on" : "off");
	iov->auto_on = on;
	return 0;
}

/* ---- xe rules (xe_gt_sriov_pf_config.c, xe_sriov_pf_provision.c) ---- */

static u64 xe_vram_used(struct vgpu_sim_iov *iov)
{
	u64 used = 0;
	unsigned int n;

	for (n = 1; n <= iov->totalvfs; n++)
		used += iov->fn[n].vram;
	return used;
}

static u32 xe_ctxs_used(struct vgpu_sim_iov *iov)
{
	u32 used = 0;
	unsigned int n;

	for (n = 1; n <= iov->totalvfs; n++)
		used += iov->fn[n].ctxs[0];
	return used;
}

static int xe_set_ggtt(struct vgpu_sim_iov *iov, unsigned int id, u64 size)
{
	if (!id) {
		if (size && size < SIM_MIN_SPARE_GGTT)
			return -EINVAL;
		iov->ggtt_spare = round_up(size, SIM_GGTT_ALIGN);
		return 0;
	}
	size = round_up(size, SIM_GGTT_ALIGN);
	iov->fn[id].ggtt = 0;
	if (size && size > iov->ggtt_pool - i915_ggtt_used(iov))
		return -ENOSPC;
	iov->fn[id].ggtt = size;
	return 0;
}

static int xe_set_vram(struct vgpu_sim_iov *iov, unsigned int id, u64 size)
{
	if (!id) {
		if (size && size < SIM_MIN_SPARE_VRAM)
			return -EINVAL;
		iov->vram_spare = size;
		return 0;
	}
	size = round_up(size, SIM_VRAM_ALIGN);
	iov->fn[id].vram = 0;
	if (size && size > iov->vram_pool - xe_vram_used(iov))
		return -ENOSPC;
	iov->fn[id].vram = size;
	return 0;
}

/* pf_provision_vf_ctxs() with xe_guc_id_mgr_reserve()'s retain rule. */
static int xe_set_ctxs(struct vgpu_sim_iov *iov, unsigned int id, u32 num)
{
	if (!id) {
		if (num > contexts ||
		    (num && num < SIM_MIN_SPARE_CTXS))
			return -EINVAL;
		iov->ctx_spare[0] = num;
		return 0;
	}
	if (num > 65535)
		return -EINVAL;
	iov->fn[id].ctxs[0] = 0;
	if (!num)
		return 0;
	if (xe_ctxs_used(iov) + num + sim_ctx_spare(iov, 0) > contexts)
		return -EDQUOT;
	iov->fn[id].ctxs[0] = num;
	return 0;
}

static int xe_set_dbs(struct vgpu_sim_iov *iov, unsigned int id, u32 num)
{
	if (num > doorbells)
		return -EINVAL;
	if (!id) {
		iov->db_spare[0] = num;
		return 0;
	}
	iov->fn[id].dbs[0] = 0;
	if (!num)
		return 0;
	if (sim_dbs_used(iov, 0) + num + iov->db_spare[0] > doorbells)
		return -EDQUOT;
	iov->fn[id].dbs[0] = num;
	return 0;
}

/* pf_estimate_fair_*() for VFs 1..num, then provision them. */
static int xe_fair_provision(struct vgpu_sim_iov *iov, unsigned int num)
{
	u64 ggtt = iov->ggtt_pool - i915_ggtt_used(iov), vram;
	u64 fair_ggtt, fair_vram = 0;
	u32 fair_ctxs, fair_dbs, spare;
	unsigned int n;
	int err = 0;

	spare = sim_ggtt_spare(iov);
	fair_ggtt = ggtt > spare ? ALIGN_DOWN(div_u64(ggtt - spare, num),
					      SIM_GGTT_ALIGN) : 0;
	spare = sim_ctx_spare(iov, 0);
	fair_ctxs = contexts > xe_ctxs_used(iov) + spare ?
		    (contexts - xe_ctxs_used(iov) - spare) / num : 0;
	spare = iov->db_spare[0];
	fair_dbs = doorbells > sim_dbs_used(iov, 0) + spare ?
		   (doorbells - sim_dbs_used(iov, 0) - spare) / num : 0;
	if (iov->vram_pool) {
		vram = iov->vram_pool - xe_vram_used(iov);
		spare = max_t(u64, iov->vram_spare, SIM_MIN_SPARE_VRAM) >> 20;
		vram = vram > ((u64)spare << 20) ? vram - ((u64)spare << 20) : 0;
		vram = round_down(div_u64(vram, num), SIM_VRAM_ALIGN);
		fair_vram = vram ? rounddown_pow_of_two(vram) : 0;
		fair_vram = min_t(u64, fair_vram, SIM_MAX_FAIR_VRAM);
		if (!fair_vram)
			err = -ENOSPC;
	}
	if (!fair_ggtt || !fair_ctxs)
		err = -ENOSPC;
	for (n = 1; !err && n <= num; n++) {
		err = xe_set_ggtt(iov, n, fair_ggtt) ?:
		      xe_set_ctxs(iov, n, fair_ctxs) ?:
		      (fair_dbs ? xe_set_dbs(iov, n, fair_dbs) : 0) ?:
		      (fair_vram ? xe_set_vram(iov, n, fair_vram) : 0);
	}
	if (err) {
		pci_err(iov->pdev, "PF: Failed to provision %u VFs (%d)\n",
			num, err);
		for (n = 1; n <= num; n++)
			sim_unprovision(iov, n);
	}
	return err;
}

static int xe_enable(struct vgpu_sim_iov *iov, unsigned int num)
{
	unsigned int n;

	if (iov->layout == SIM_XE)
		return iov->auto_on ? xe_fair_provision(iov, num) : 0;
	/* Old xe: fair shares for VFs that have no configuration at all. */
	for (n = 1; n <= num; n++)
		if (iov->fn[n].ggtt || iov->fn[n].ctxs[0] ||
		    iov->fn[n].dbs[0] || iov->fn[n].vram)
			return 0;
	return xe_fair_provision(iov, num);
}

/* xe_sriov_pf_provision_set_mode(AUTO) */
static int xe_restore_auto(struct vgpu_sim_iov *iov)
{
	if (iov->auto_on)
		return 0;
	if (iov->numvfs)
		return -EBUSY;
	sim_unprovision_all(iov);
	iov->auto_on = true;
	return 0;
}

/* ---- sysfs ---- */

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
				 sim_ggtt_spare(iov));
		break;
	case K_CTXS:
		ret = sysfs_emit(buf, "%hu\n", (u16)(sk->id ? f->ctxs[gt] :
				 sim_ctx_spare(iov, gt)));
		break;
	case K_DBS:
		ret = sysfs_emit(buf, "%hu\n", (u16)(sk->id ? f->dbs[gt] :
				 iov->db_spare[gt]));
		break;
	case K_GGTT_FREE:
	case K_GGTT_MAX:
		ret = sysfs_emit(buf, "%llu\n", i915_ggtt_free(iov));
		break;
	case K_CTXS_FREE:
	case K_CTXS_MAX:
		ret = sysfs_emit(buf, "%hu\n", (u16)i915_ctx_free(iov, gt));
		break;
	case K_DBS_FREE:
	case K_DBS_MAX:
		ret = sysfs_emit(buf, "%hu\n",
				 (u16)(doorbells - sim_dbs_used(iov, gt)));
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
		sim_unprovision(iov, id);
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
		return i915_set_auto(iov, val);
	case K_EQ:
	case K_PT:
		if (key == K_EQ)
			f->eq[gt] = val;
		else
			f->pt[gt] = val;
		if (iov->layout == SIM_I915 && val && id)
			i915_mark_manual(iov);
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
		err = i915_set_ggtt(iov, id, val);
		break;
	case K_CTXS:
		if (!id) {
			if (val > contexts ||
			    (val && val < SIM_MIN_SPARE_CTXS))
				return -EINVAL;
			iov->ctx_spare[gt] = val;
			return 0;
		}
		had = f->ctxs[gt];
		err = i915_set_ctxs(iov, id, gt, val);
		break;
	case K_DBS:
		if (!id) {
			if (val > doorbells)
				return -EINVAL;
			iov->db_spare[gt] = val;
			return 0;
		}
		had = f->dbs[gt];
		err = i915_set_dbs(iov, id, gt, val);
		break;
	case K_PRIO:
		f->prio = val;
		return 0;
	case K_STOP:
		return 0;
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
		return 0;
	default:
		return -EIO;
	}
	if (err)
		pci_notice(iov->pdev, "IOV: Failed to provision VF%u (%d)\n",
			   id, err);
	else if (had || val)
		i915_mark_manual(iov);
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
	mutex_lock(&iov->lock);
	if (sim_fail_this_write())
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
	&a_bulk_eq.attr, &a_bulk_pt.attr, &a_bulk_prio.attr, NULL
};
static struct attribute *xe_profile_attrs[] = {
	&a_eq.attr, &a_pt.attr, &a_prio.attr, NULL
};
static struct attribute *xe_vf_attrs[] = { &a_stop.attr, NULL };

/* The media GT shares the GGTT: its ggtt_quota is read-only. */
static umode_t i915_vf_gt_visible(struct kobject *kobj, struct attribute *a,
				  int n)
{
	struct sim_kobj *sk = container_of(kobj, struct sim_kobj, kobj);

	return a == &a_ggtt_quota.attr && sk->gt ? 0444 : a->mode;
}

/* Only the PF may change its priority (sched_priority_change_allowed). */
static umode_t xe_profile_visible(struct kobject *kobj, struct attribute *a,
				  int n)
{
	struct sim_kobj *sk = container_of(kobj, struct sim_kobj, kobj);

	return a == &a_prio.attr && sk->id ? 0444 : a->mode;
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
};
static const struct attribute_group xe_profile_group = {
	.name = "profile", .attrs = xe_profile_attrs,
	.is_visible = xe_profile_visible,
};
static const struct attribute_group xe_vf_group = {
	.attrs = xe_vf_attrs, .is_visible = xe_vf_visible,
};

/* A directory with attribute groups; freed by sim_sysfs_remove(). */
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

static void sim_sysfs_remove(struct vgpu_sim_iov *iov)
{
	while (iov->nkobjs)
		kobject_put(&iov->kobjs[--iov->nkobjs]->kobj);
}

static int i915_sysfs_add(struct vgpu_sim_iov *iov)
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

static int xe_sysfs_add(struct vgpu_sim_iov *iov)
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

/* ---- debugfs (xe) ---- */

static int sim_dfs_get(void *data, u64 *val)
{
	struct sim_dfile *df = data;
	struct vgpu_sim_iov *iov = df->iov;
	struct sim_fn *f = &iov->fn[df->id];

	mutex_lock(&iov->lock);
	switch (df->key) {
	case K_GGTT:
		*val = df->id ? f->ggtt : sim_ggtt_spare(iov);
		break;
	case K_VRAM:
		*val = df->id ? f->vram :
		       max_t(u64, iov->vram_spare, SIM_MIN_SPARE_VRAM);
		break;
	case K_CTXS:
		*val = df->id ? f->ctxs[0] : sim_ctx_spare(iov, 0);
		break;
	case K_DBS:
		*val = df->id ? f->dbs[0] : iov->db_spare[0];
		break;
	case K_EQ:
		*val = f->eq[0];
		break;
	case K_PT:
		*val = f->pt[0];
		break;
	case K_PRIO:
		*val = f->prio;
		break;
	default:
		*val = 0;
	}
	mutex_unlock(&iov->lock);
	return 0;
}

static int sim_dfs_set(void *data, u64 val)
{
	struct sim_dfile *df = data;
	struct vgpu_sim_iov *iov = df->iov;
	unsigned int id = df->id;
	int err;

	/* DEFINE_SRIOV_GT_CONFIG_DEBUGFS_ATTRIBUTE: u32 unless GGTT/VRAM */
	if (df->key != K_GGTT && df->key != K_VRAM && val > U32_MAX)
		return -EOVERFLOW;
	mutex_lock(&iov->lock);
	if (sim_fail_this_write()) {
		err = -EIO;
		goto out;
	}
	switch (df->key) {
	case K_GGTT:
		err = xe_set_ggtt(iov, id, val);
		break;
	case K_VRAM:
		err = xe_set_vram(iov, id, val);
		break;
	case K_CTXS:
		err = xe_set_ctxs(iov, id, val);
		break;
	case K_DBS:
		err = xe_set_dbs(iov, id, val);
		break;
	case K_EQ:
		iov->fn[id].eq[0] = val;
		err = 0;
		break;
	case K_PT:
		iov->fn[id].pt[0] = val;
		err = 0;
		break;
	case K_PRIO:
		err = val > (id ? 1 : 2) ? -EINVAL : 0;
		if (!err)
			iov->fn[id].prio = val;
		break;
	default:
		err = -EIO;
	}
	if (err)
		pci_notice(iov->pdev, "Failed to provision %s%u (%d)\n",
			   id ? "VF" : "PF", id, err);
	else if (iov->layout == SIM_XE)
		iov->auto_on = false;	/* xe_sriov_pf_provision_set_custom_mode */
out:
	mutex_unlock(&iov->lock);
	return err;
}

DEFINE_DEBUGFS_ATTRIBUTE(sim_dfs_fops, sim_dfs_get, sim_dfs_set, "%llu\n");

static void sim_size(u64 size, char *buf, int len)
{
	string_get_size(size, 1, STRING_UNITS_2, buf, len);
}

/* The PF's text files: ggtt_available, *_provisioned. */
static int sim_text_show(struct seq_file *m, void *unused)
{
	struct sim_dfile *df = m->private;
	struct vgpu_sim_iov *iov = df->iov;
	u64 top = SIM_PF_GGTT + iov->ggtt_pool, hole, spare;
	u32 ctop = contexts, dtop = doorbells;
	unsigned int n;
	char buf[16];

	mutex_lock(&iov->lock);
	hole = iov->ggtt_pool - i915_ggtt_used(iov);
	switch (df->key) {
	case K_TXT_GGTT_AVAIL:
		spare = sim_ggtt_spare(iov);
		if (hole) {
			sim_size(hole, buf, sizeof(buf));
			seq_printf(m, "range:\t%#08llx-%#08llx\t(%s)\n",
				   (u64)SIM_PF_GGTT, SIM_PF_GGTT + hole - 1, buf);
		}
		sim_size(hole, buf, sizeof(buf));
		seq_printf(m, "total:\t%llu\t(%s)\n", hole, buf);
		sim_size(spare, buf, sizeof(buf));
		seq_printf(m, "spare:\t%llu\t(%s)\n", spare, buf);
		hole = hole > spare ? hole - spare : 0;
		sim_size(hole, buf, sizeof(buf));
		seq_printf(m, "avail:\t%llu\t(%s)\n", hole, buf);
		break;
	case K_TXT_GGTT:
		/* allocated from the top down, VF1 highest (PIN_HIGH) */
		for (n = 1; n <= iov->totalvfs; n++) {
			u64 size = iov->fn[n].ggtt;

			if (!size)
				continue;
			top -= size;
			sim_size(size, buf, sizeof(buf));
			seq_printf(m, "VF%u:\t%#08llx-%#08llx\t(%s)\n", n, top,
				   top + size - 1, buf);
		}
		break;
	case K_TXT_CTXS:
	case K_TXT_DBS:
		for (n = 1; n <= iov->totalvfs; n++) {
			u32 num = df->key == K_TXT_CTXS ? iov->fn[n].ctxs[0] :
				  iov->fn[n].dbs[0];
			u32 *end = df->key == K_TXT_CTXS ? &ctop : &dtop;

			if (!num)
				continue;
			*end -= num;
			seq_printf(m, "VF%u:\t%u-%u\t(%u)\n", n, *end,
				   *end + num - 1, num);
		}
		break;
	case K_TXT_VRAM:
		for (n = 1; n <= iov->totalvfs; n++) {
			if (!iov->fn[n].vram)
				continue;
			sim_size(iov->fn[n].vram, buf, sizeof(buf));
			seq_printf(m, "VF%u:\t%llu\t(%s)\n", n,
				   iov->fn[n].vram, buf);
		}
		break;
	}
	mutex_unlock(&iov->lock);
	return 0;
}

static int sim_text_open(struct inode *inode, struct file *file)
{
	return single_open(file, sim_text_show, inode->i_private);
}

static const struct file_operations sim_text_fops = {
	.owner = THIS_MODULE,
	.open = sim_text_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* xe_sriov_pf_debugfs.c: restore_auto_provisioning (write-only bool). */
static ssize_t sim_restore_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct vgpu_sim_iov *iov = file->private_data;
	bool yes;
	int ret;

	if (*ppos)
		return -EINVAL;
	ret = kstrtobool_from_user(ubuf, count, &yes);
	if (ret < 0)
		return ret;
	if (yes) {
		mutex_lock(&iov->lock);
		ret = xe_restore_auto(iov);
		mutex_unlock(&iov->lock);
	}
	return ret < 0 ? ret : count;
}

static const struct file_operations sim_restore_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sim_restore_write,
	.llseek = default_llseek,
};

static void sim_dfs(struct vgpu_sim_iov *iov, struct dentry *dir,
		    const char *name, unsigned int id, enum sim_key key)
{
	struct sim_dfile *df;

	if (WARN_ON(iov->ndfiles >= iov->maxdfiles))
		return;
	df = &iov->dfiles[iov->ndfiles++];
	df->iov = iov;
	df->id = id;
	df->key = key;
	if (key >= K_TXT_GGTT_AVAIL)
		debugfs_create_file(name, 0444, dir, df, &sim_text_fops);
	else
		debugfs_create_file_unsafe(name, 0644, dir, df, &sim_dfs_fops);
}

/* Files of one function on the primary GT, in both layouts. */
static void xe_gt_files(struct vgpu_sim_iov *iov, struct dentry *dir,
			unsigned int id)
{
	sim_dfs(iov, dir, id ? "doorbells_quota" : "doorbells_spare", id, K_DBS);
	sim_dfs(iov, dir, id ? "contexts_quota" : "contexts_spare", id, K_CTXS);
	sim_dfs(iov, dir, "exec_quantum_ms", id, K_EQ);
	sim_dfs(iov, dir, "preempt_timeout_us", id, K_PT);
	sim_dfs(iov, dir, "sched_priority", id, K_PRIO);
	if (!id) {
		sim_dfs(iov, dir, "contexts_provisioned", 0, K_TXT_CTXS);
		sim_dfs(iov, dir, "doorbells_provisioned", 0, K_TXT_DBS);
	}
}

/* GGTT (and VRAM) files: tile-level in 6.19+, GT-level before. */
static void xe_mem_files(struct vgpu_sim_iov *iov, struct dentry *dir,
			 unsigned int id, const char *vram)
{
	char name[24];

	sim_dfs(iov, dir, id ? "ggtt_quota" : "ggtt_spare", id, K_GGTT);
	if (iov->vram_pool) {
		snprintf(name, sizeof(name), "%s_%s", vram, id ? "quota" : "spare");
		sim_dfs(iov, dir, name, id, K_VRAM);
	}
	if (!id) {
		sim_dfs(iov, dir, "ggtt_available", 0, K_TXT_GGTT_AVAIL);
		sim_dfs(iov, dir, "ggtt_provisioned", 0, K_TXT_GGTT);
		if (iov->vram_pool) {
			snprintf(name, sizeof(name), "%s_provisioned", vram);
			sim_dfs(iov, dir, name, 0, K_TXT_VRAM);
		}
	}
}

static struct dentry *sim_dri_dir(struct vgpu_sim_iov *iov)
{
	struct dentry *dri = debugfs_lookup("dri", NULL);

	if (!IS_ERR_OR_NULL(dri))
		return dri;
	dri = debugfs_create_dir("dri", NULL);
	iov->dri_created = true;
	return dri;
}

static void xe_new_debugfs(struct vgpu_sim_iov *iov)
{
	struct dentry *sriov, *fn, *tile, *gt, *gtlinks;
	char name[16], target[48];
	unsigned int n;

	iov->top = debugfs_create_dir(pci_name(iov->pdev), iov->dri);
	sriov = debugfs_create_dir("sriov", iov->top);
	debugfs_create_file("restore_auto_provisioning", 0200, sriov, iov,
			    &sim_restore_fops);
	/* the GT's own debugfs dir is dri/<BDF>/tile0/gt0 */
	gtlinks = debugfs_create_dir("gt0", debugfs_create_dir("tile0", iov->top));
	for (n = 0; n <= iov->totalvfs; n++) {
		if (n)
			snprintf(name, sizeof(name), "vf%u", n);
		else
			strscpy(name, "pf", sizeof(name));
		fn = debugfs_create_dir(name, sriov);
		tile = debugfs_create_dir("tile0", fn);
		xe_mem_files(iov, tile, n, "vram");
		gt = debugfs_create_dir("gt0", tile);
		xe_gt_files(iov, gt, n);
		/* pf_add_compat_attrs() */
		debugfs_create_symlink(n ? "ggtt_quota" : "ggtt_spare", gt,
				       n ? "../ggtt_quota" : "../ggtt_spare");
		if (iov->vram_pool)
			debugfs_create_symlink(n ? "lmem_quota" : "lmem_spare",
					       gt, n ? "../vram_quota" :
					       "../vram_spare");
		snprintf(target, sizeof(target), "../../sriov/%s/tile0/gt0", name);
		debugfs_create_symlink(name, gtlinks, target);
	}
}

static void xe_old_debugfs(struct vgpu_sim_iov *iov)
{
	struct dentry *minor, *gt, *fn;
	char name[16];
	unsigned int n;

	/* Reuse dri/0 if a DRM device made it, and then remove only gt0. */
	minor = debugfs_lookup("0", iov->dri);
	if (IS_ERR_OR_NULL(minor)) {
		minor = debugfs_create_dir("0", iov->dri);
		iov->top = minor;
	} else {
		dput(minor);	/* debugfs keeps its own dentries pinned */
	}
	gt = debugfs_create_dir("gt0", minor);
	if (!iov->top)
		iov->top = gt;
	for (n = 0; n <= iov->totalvfs; n++) {
		if (n)
			snprintf(name, sizeof(name), "vf%u", n);
		else
			strscpy(name, "pf", sizeof(name));
		fn = debugfs_create_dir(name, gt);
		xe_mem_files(iov, fn, n, "lmem");
		xe_gt_files(iov, fn, n);
	}
}

/* ---- hooks ---- */

int vgpu_sim_iov_enable(struct vgpu_sim_iov *iov, int num_vfs)
{
	int err;

	if (!iov)
		return 0;
	mutex_lock(&iov->lock);
	if (iov->layout == SIM_I915)
		err = i915_enable(iov, num_vfs);
	else
		err = xe_enable(iov, num_vfs);
	if (!err)
		iov->numvfs = num_vfs;
	mutex_unlock(&iov->lock);
	if (err)
		pci_err(iov->pdev, "Failed to enable %d VFs (%d)\n", num_vfs, err);
	return err;
}

void vgpu_sim_iov_enabled(struct vgpu_sim_iov *iov, int num_vfs)
{
	struct pci_dev *vf = NULL;
	int id;

	if (!iov || !iov->fn_kobj[0])
		return;
	/* Removing a link that was never made is harmless. */
	iov->linked = min_t(unsigned int, num_vfs, iov->totalvfs);
	for_each_pci_dev(vf) {
		if (!vf->is_virtfn || pci_physfn(vf) != iov->pdev)
			continue;
		id = pci_iov_vf_id(vf) + 1;
		if (id > 0 && id <= iov->linked &&
		    sysfs_create_link(&iov->fn_kobj[id]->kobj, &vf->dev.kobj,
				      "device"))
			pci_warn(iov->pdev, "no device link for VF%d\n", id);
	}
}

void vgpu_sim_iov_disabling(struct vgpu_sim_iov *iov)
{
	if (!iov)
		return;
	while (iov->linked)
		sysfs_remove_link(&iov->fn_kobj[iov->linked--]->kobj, "device");
}

void vgpu_sim_iov_disabled(struct vgpu_sim_iov *iov)
{
	if (!iov)
		return;
	mutex_lock(&iov->lock);
	if (iov->layout == SIM_I915)
		i915_auto_unprovision(iov);
	else if (iov->layout == SIM_XE_OLD || iov->auto_on)
		sim_unprovision_all(iov);
	iov->numvfs = 0;
	mutex_unlock(&iov->lock);
}

static void sim_free(struct vgpu_sim_iov *iov)
{
	sim_sysfs_remove(iov);
	debugfs_remove_recursive(iov->top);
	if (iov->dri_created)
		debugfs_remove_recursive(iov->dri);
	else
		dput(iov->dri);
	kfree(iov->dfiles);
	kfree(iov->fn);
	kfree(iov);
}

struct vgpu_sim_iov *vgpu_sim_iov_add(struct pci_dev *pdev)
{
	struct vgpu_sim_iov *iov;
	enum sim_layout layout;
	u32 bits, pf_bits;
	int err = 0;

	if (sysfs_streq(iov_param, "none"))
		return NULL;
	if (sysfs_streq(iov_param, "i915"))
		layout = SIM_I915;
	else if (sysfs_streq(iov_param, "xe"))
		layout = SIM_XE;
	else if (sysfs_streq(iov_param, "xe-old"))
		layout = SIM_XE_OLD;
	else
		return ERR_PTR(-EINVAL);
	if (contexts > 65535 || doorbells > 256 || !ggtt_mb)
		return ERR_PTR(-EINVAL);

	iov = kzalloc(sizeof(*iov), GFP_KERNEL);
	if (!iov)
		return ERR_PTR(-ENOMEM);
	iov->pdev = pdev;
	iov->layout = layout;
	mutex_init(&iov->lock);
	iov->totalvfs = min(pci_sriov_get_totalvfs(pdev), 256);
	iov->ngt = layout == SIM_I915 && media_gt ? 2 : 1;
	iov->ggtt_pool = (u64)ggtt_mb << 20;
	iov->vram_pool = layout == SIM_I915 ? 0 : (u64)vram_mb << 20;
	iov->auto_on = true;
	/* pf_assign_ctxs_for_pf(): the PF's fixed share of 128-ID units */
	bits = DIV_ROUND_UP(contexts, SIM_CTXS_GRAN);
	pf_bits = bits - (bits / (1 + iov->totalvfs)) * iov->totalvfs;
	iov->pf_ctxs = pf_bits * SIM_CTXS_GRAN -
		       (SIM_CTXS_GRAN - contexts % SIM_CTXS_GRAN);
	iov->ctx_vf_bits = bits - pf_bits;
	iov->fn = kcalloc(1 + iov->totalvfs, sizeof(*iov->fn), GFP_KERNEL);
	iov->maxdfiles = (1 + iov->totalvfs) * SIM_DFILES_PER_FN;
	iov->dfiles = kcalloc(iov->maxdfiles, sizeof(*iov->dfiles), GFP_KERNEL);
	if (!iov->fn || !iov->dfiles) {
		err = -ENOMEM;
		goto fail;
	}

	if (layout == SIM_I915) {
		err = i915_sysfs_add(iov);
	} else {
		if (layout == SIM_XE)
			err = xe_sysfs_add(iov);
		iov->dri = sim_dri_dir(iov);
		if (layout == SIM_XE)
			xe_new_debugfs(iov);
		else
			xe_old_debugfs(iov);
	}
	if (err)
		goto fail;
	pci_info(pdev, "VF provisioning: %s layout, %u VFs\n", iov_param,
		 iov->totalvfs);
	return iov;

fail:
	sim_free(iov);
	return ERR_PTR(err);
}

void vgpu_sim_iov_remove(struct vgpu_sim_iov *iov)
{
	if (!iov)
		return;
	vgpu_sim_iov_disabling(iov);
	if (iov->fn_kobj[0])
		sysfs_remove_link(&iov->fn_kobj[0]->kobj, "device");
	sim_free(iov);
}
