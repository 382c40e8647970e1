// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_sim: the provisioning rules of the GPU PF drivers.
 *
 * What a quota write does and which error it returns, how much is free,
 * and how VF enable auto-provisions: i915-sriov-dkms' rules (i915 layout)
 * and xe's (xe and xe-old layouts), each modelled on the driver function
 * named above it. No file I/O here: sim_iov_sysfs.c and sim_iov_debugfs.c
 * parse and print, then call these with iov->lock held.
 * tests/sim/PROVISIONING.md lists the rules behind each error; sim_iov.h
 * states the accounting invariants they keep.
 */
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "sim_iov.h"
#include "sim_iov_priv.h"

/* ---- i915 rules (intel_iov_provisioning.c) ---- */

u64 sim_iov_ggtt_used(struct vgpu_sim_iov *iov)
{
	u64 used = 0;
	unsigned int n;

	for (n = 1; n <= iov->totalvfs; n++)
		used += iov->fn[n].ggtt;
	return used;
}

u64 sim_iov_ggtt_spare(struct vgpu_sim_iov *iov)
{
	return max_t(u64, iov->ggtt_spare, SIM_MIN_SPARE_GGTT);
}

/* pf_get_free_ggtt()/pf_get_max_ggtt(): one hole, minus the spare. */
u64 sim_iov_i915_ggtt_free(struct vgpu_sim_iov *iov)
{
	u64 hole = iov->ggtt_pool - sim_iov_ggtt_used(iov);
	u64 spare = sim_iov_ggtt_spare(iov);

	return hole > spare ? hole - spare : 0;
}

/* pf_get_max_ggtt(): the largest hole, which ggtt_hole_mb may cap. */
u64 sim_iov_i915_ggtt_max(struct vgpu_sim_iov *iov)
{
	u64 free = sim_iov_i915_ggtt_free(iov);

	if (!sim_iov_ggtt_hole_mb)
		return free;
	return min_t(u64, free, (u64)sim_iov_ggtt_hole_mb << 20);
}

u32 sim_iov_ctx_spare(struct vgpu_sim_iov *iov, unsigned int gt)
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
u32 sim_iov_i915_ctx_free(struct vgpu_sim_iov *iov, unsigned int gt)
{
	u32 hole = iov->ctx_vf_bits - i915_ctx_used_bits(iov, gt);
	u32 spare = sim_iov_ctx_spare(iov, gt), reserved = 0;

	if (spare > iov->pf_ctxs)
		reserved = DIV_ROUND_UP(spare - iov->pf_ctxs, SIM_CTXS_GRAN);
	return hole > reserved ? (hole - reserved) * SIM_CTXS_GRAN : 0;
}

u32 sim_iov_dbs_used(struct vgpu_sim_iov *iov, unsigned int gt)
{
	u32 used = 0;
	unsigned int n;

	for (n = 1; n <= iov->totalvfs; n++)
		used += iov->fn[n].dbs[gt];
	return used;
}

/* pf_provision_ggtt(): the old node goes first, then the checks. */
int sim_iov_i915_set_ggtt(struct vgpu_sim_iov *iov, unsigned int id, u64 size)
{
	struct sim_fn *f = &iov->fn[id];

	if (size > U64_MAX - (SIM_GGTT_ALIGN - 1))
		return -EOVERFLOW;
	size = round_up(size, SIM_GGTT_ALIGN);
	if (f->ggtt) {
		if (size == f->ggtt)
			return 0;
		f->ggtt_hole = f->ggtt;
		f->ggtt = 0;
	}
	if (!size)
		return 0;
	if (size > iov->ggtt_pool + SIM_PF_GGTT)
		return -E2BIG;
	/*
	 * The VF's released node is a hole of at least its size (drm_mm
	 * merges it with its neighbours), even after a failed resize.
	 */
	if (size > max(sim_iov_i915_ggtt_max(iov), f->ggtt_hole))
		return -EDQUOT;
	f->ggtt_hole = 0;
	f->ggtt = size;
	return 0;
}

/* pf_provision_ctxs(): u16 arithmetic, aligned to 128, released first. */
int sim_iov_i915_set_ctxs(struct vgpu_sim_iov *iov, unsigned int id,
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
int sim_iov_i915_set_dbs(struct vgpu_sim_iov *iov, unsigned int id,
			 unsigned int gt, u16 num)
{
	struct sim_fn *f = &iov->fn[id];

	if (num == f->dbs[gt])
		return 0;
	f->dbs[gt] = 0;
	if (!num)
		return 0;
	if (sim_iov_dbs_used(iov, gt) + iov->db_spare[gt] + num >
	    sim_iov_doorbells)
		return -EDQUOT;
	f->dbs[gt] = num;
	return 0;
}

static bool i915_fn_empty(struct sim_fn *f)
{
	return !f->ggtt && !f->ctxs[0] && !f->dbs[0];
}

/*
 * Releases a VF's resources; xe 7.3's pf_release_vf_config() also resets
 * its scheduling (pf_reset_config_sched: exec quantum, preempt timeout).
 */
void sim_iov_unprovision(struct vgpu_sim_iov *iov, unsigned int id)
{
	struct sim_fn *f = &iov->fn[id];

	f->ggtt = 0;
	f->vram = 0;
	memset(f->ctxs, 0, sizeof(f->ctxs));
	memset(f->dbs, 0, sizeof(f->dbs));
	if (iov->xe7) {
		f->eq[0] = 0;
		f->pt[0] = 0;
	}
}

void sim_iov_unprovision_all(struct vgpu_sim_iov *iov)
{
	unsigned int n;

	for (n = iov->totalvfs; n > 0; n--)
		sim_iov_unprovision(iov, n);
}

/* pf_auto_unprovision() */
void sim_iov_i915_auto_unprovision(struct vgpu_sim_iov *iov)
{
	if (iov->auto_done)
		sim_iov_unprovision_all(iov);
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

	fair_ggtt = ALIGN_DOWN(div_u64(sim_iov_i915_ggtt_max(iov), num),
			       SIM_GGTT_ALIGN);
	if (!fair_ggtt)
		err = -ENOSPC;
	for (n = 1; !err && n <= num; n++)
		err = iov->fn[n].ggtt ? -EUCLEAN :
		      sim_iov_i915_set_ggtt(iov, n, fair_ggtt);

	for (gt = 0; !err && gt < iov->ngt; gt++) {
		fair = ALIGN_DOWN(sim_iov_i915_ctx_free(iov, gt) / num,
				  SIM_CTXS_GRAN);
		if (!fair)
			err = -ENOSPC;
		for (n = 1; !err && n <= num; n++)
			err = iov->fn[n].ctxs[gt] ? -EUCLEAN :
			      sim_iov_i915_set_ctxs(iov, n, gt, fair);
	}
	for (gt = 0; !err && gt < iov->ngt; gt++) {
		fair = sim_iov_doorbells / num;
		if (!fair)
			err = -ENOSPC;
		for (n = 1; !err && n <= num; n++)
			err = iov->fn[n].dbs[gt] ? -EUCLEAN :
			      sim_iov_i915_set_dbs(iov, n, gt, fair);
	}
	if (err) {
		pci_err(iov->pdev, "IOV: Failed to auto provision %u VFs (%d)\n",
			num, err);
		sim_iov_i915_auto_unprovision(iov);
	}
	return err;
}

/* i915_sriov_pf_enable_vfs() with intel_iov_provisioning_verify(). */
int sim_iov_i915_enable(struct vgpu_sim_iov *iov, unsigned int num)
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
void sim_iov_i915_mark_manual(struct vgpu_sim_iov *iov)
{
	if (iov->auto_on)
		pci_info(iov->pdev, "VFs auto-provisioning was turned off\n");
	iov->auto_on = false;
}

/* i915_sriov_pf_set_auto_provisioning() */
int sim_iov_i915_set_auto(struct vgpu_sim_iov *iov, bool on)
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

int sim_iov_xe_set_ggtt(struct vgpu_sim_iov *iov, unsigned int id, u64 size)
{
	if (!id) {
		if (size && size < SIM_MIN_SPARE_GGTT)
			return -EINVAL;
		iov->ggtt_spare = round_up(size, SIM_GGTT_ALIGN);
		return 0;
	}
	size = round_up(size, SIM_GGTT_ALIGN);
	iov->fn[id].ggtt = 0;
	if (size && size > iov->ggtt_pool - sim_iov_ggtt_used(iov))
		return -ENOSPC;
	iov->fn[id].ggtt = size;
	return 0;
}

int sim_iov_xe_set_vram(struct vgpu_sim_iov *iov, unsigned int id, u64 size)
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
int sim_iov_xe_set_ctxs(struct vgpu_sim_iov *iov, unsigned int id, u32 num)
{
	if (!id) {
		if (num > sim_iov_contexts ||
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
	if (xe_ctxs_used(iov) + num + sim_iov_ctx_spare(iov, 0) >
	    sim_iov_contexts)
		return -EDQUOT;
	iov->fn[id].ctxs[0] = num;
	return 0;
}

int sim_iov_xe_set_dbs(struct vgpu_sim_iov *iov, unsigned int id, u32 num)
{
	if (num > sim_iov_doorbells)
		return -EINVAL;
	if (!id) {
		iov->db_spare[0] = num;
		return 0;
	}
	iov->fn[id].dbs[0] = 0;
	if (!num)
		return 0;
	if (sim_iov_dbs_used(iov, 0) + num + iov->db_spare[0] >
	    sim_iov_doorbells)
		return -EDQUOT;
	iov->fn[id].dbs[0] = num;
	return 0;
}

/* pf_estimate_fair_*() for VFs 1..num, then provision them. */
static int xe_fair_provision(struct vgpu_sim_iov *iov, unsigned int num)
{
	u64 ggtt = iov->ggtt_pool - sim_iov_ggtt_used(iov), vram;
	u64 fair_ggtt, fair_vram = 0;
	u32 fair_ctxs, fair_dbs, spare;
	unsigned int n;
	int err = 0;

	spare = sim_iov_ggtt_spare(iov);
	fair_ggtt = ggtt > spare ? ALIGN_DOWN(div_u64(ggtt - spare, num),
					      SIM_GGTT_ALIGN) : 0;
	spare = sim_iov_ctx_spare(iov, 0);
	fair_ctxs = sim_iov_contexts > xe_ctxs_used(iov) + spare ?
		    (sim_iov_contexts - xe_ctxs_used(iov) - spare) / num : 0;
	spare = iov->db_spare[0];
	fair_dbs = sim_iov_doorbells > sim_iov_dbs_used(iov, 0) + spare ?
		   (sim_iov_doorbells - sim_iov_dbs_used(iov, 0) - spare) / num :
		   0;
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
		err = sim_iov_xe_set_ggtt(iov, n, fair_ggtt) ?:
		      sim_iov_xe_set_ctxs(iov, n, fair_ctxs) ?:
		      (fair_dbs ? sim_iov_xe_set_dbs(iov, n, fair_dbs) : 0) ?:
		      (fair_vram ? sim_iov_xe_set_vram(iov, n, fair_vram) : 0);
	}
	if (err) {
		pci_err(iov->pdev, "PF: Failed to provision %u VFs (%d)\n",
			num, err);
		for (n = 1; n <= num; n++)
			sim_iov_unprovision(iov, n);
	}
	return err;
}

/* ---- xe 7.3: the fair profiles (pf_profile_fair_*) and fair scheduling ---- */

/* pf_profile_fair_ggtt(), not admin-only */
static u64 xe7_profile_ggtt(unsigned int num)
{
	u64 shareable = ALIGN_DOWN(SIM_GUC_GGTT_TOP, SZ_512M);

	if (num > 56)
		return SZ_64M - SZ_8M;
	return rounddown_pow_of_two(div_u64(shareable, num));
}

/* pf_profile_fair_lmem(): a pow2 share of usable VRAM less the spare */
static u64 xe7_profile_vram(struct vgpu_sim_iov *iov, unsigned int num)
{
	u64 avail = iov->vram_pool > SIM_MIN_SPARE_VRAM ?
		    iov->vram_pool - SIM_MIN_SPARE_VRAM : 0;
	u64 fair = div_u64(ALIGN_DOWN(avail, SZ_1G), 1 + num);

	if (fair)
		fair = rounddown_pow_of_two(fair);
	return ALIGN_DOWN(fair, SIM_VRAM_ALIGN);
}

/* custom_sched_priority() */
static bool xe7_custom_prio(struct vgpu_sim_iov *iov, u32 prio)
{
	return iov->sched_if_idle ? prio != SIM_PRIO_NORMAL :
				    prio != SIM_PRIO_LOW;
}

/*
 * xe_gt_sriov_pf_config_set_fair_sched(): EQ 16 ms and PT 16000 us for
 * the PF and VFs 1..num, unless one of them (or the sched_if_idle policy)
 * was set already (pf_needs_provision_sched).
 */
static void xe7_fair_sched(struct vgpu_sim_iov *iov, unsigned int num)
{
	unsigned int n;

	if (iov->sched_if_idle)
		return;
	for (n = 0; n <= num; n++)
		if (iov->fn[n].eq[0] || iov->fn[n].pt[0] ||
		    xe7_custom_prio(iov, iov->fn[n].prio))
			return;
	for (n = 0; n <= num; n++) {
		iov->fn[n].eq[0] = SIM_FAIR_EQ_MS;
		iov->fn[n].pt[0] = SIM_FAIR_PT_US;
	}
}

/* The xe_gt_sriov_pf_config_bulk_set_*() of one kind: stops at a failure. */
static int xe7_bulk(struct vgpu_sim_iov *iov, unsigned int num, u64 val,
		    int (*set)(struct vgpu_sim_iov *, unsigned int, u64))
{
	unsigned int n;
	int err = 0;

	for (n = 1; !err && n <= num; n++)
		err = set(iov, n, val);
	return err;
}

static int xe7_set_ggtt(struct vgpu_sim_iov *iov, unsigned int id, u64 v)
{
	return sim_iov_xe_set_ggtt(iov, id, v);
}

static int xe7_set_vram(struct vgpu_sim_iov *iov, unsigned int id, u64 v)
{
	return sim_iov_xe_set_vram(iov, id, v);
}

static int xe7_set_ctxs(struct vgpu_sim_iov *iov, unsigned int id, u64 v)
{
	return sim_iov_xe_set_ctxs(iov, id, v);
}

static int xe7_set_dbs(struct vgpu_sim_iov *iov, unsigned int id, u64 v)
{
	return sim_iov_xe_set_dbs(iov, id, v);
}

/* pf_needs_provision_lmem(): a VF with VRAM already blocks VRAM fairness. */
static bool xe7_vram_given(struct vgpu_sim_iov *iov, unsigned int num)
{
	unsigned int n;

	for (n = 1; n <= num; n++)
		if (iov->fn[n].vram)
			return true;
	return false;
}

/*
 * xe_gt_sriov_pf_config_set_fair(): GGTT, VRAM, contexts, doorbells, each
 * min(estimate from what is free, the profile); each kind is tried, the
 * first error is returned (pf_provision_vfs()).
 */
static int xe7_fair(struct vgpu_sim_iov *iov, unsigned int num)
{
	u64 hole = iov->ggtt_pool - sim_iov_ggtt_used(iov), fair, spare;
	u32 cspare = sim_iov_ctx_spare(iov, 0), used;
	int result = 0, err;

	/* pf_estimate_fair_ggtt(): the largest hole less the spare */
	spare = sim_iov_ggtt_spare(iov);
	fair = hole > spare ? ALIGN_DOWN(div_u64(hole - spare, num),
					 SIM_GGTT_ALIGN) : 0;
	err = fair ? xe7_bulk(iov, num, min(fair, xe7_profile_ggtt(num)),
			      xe7_set_ggtt) : -ENOSPC;
	result = result ?: err;

	if (iov->vram_pool && !xe7_vram_given(iov, num)) {
		hole = iov->vram_pool - xe_vram_used(iov);
		spare = max_t(u64, iov->vram_spare, SIM_MIN_SPARE_VRAM);
		hole = hole > spare ? round_down(hole - spare, SIM_VRAM_ALIGN) : 0;
		fair = ALIGN_DOWN(div_u64(hole, num), SIM_VRAM_ALIGN);
		err = fair ? xe7_bulk(iov, num,
				      min(fair, xe7_profile_vram(iov, num)),
				      xe7_set_vram) : -ENOSPC;
		result = result ?: err;
	}

	/* pf_estimate_fair_ctxs(): what a contiguous reservation leaves */
	used = xe_ctxs_used(iov);
	fair = sim_iov_contexts > used + cspare ?
	       (sim_iov_contexts - used - cspare) / num : 0;
	err = fair ? xe7_bulk(iov, num,
			      min_t(u64, fair,
				    rounddown_pow_of_two(SIM_GUC_ID_MAX / num)),
			      xe7_set_ctxs) : -ENOSPC;
	result = result ?: err;

	used = sim_iov_dbs_used(iov, 0);
	spare = iov->db_spare[0];
	fair = sim_iov_doorbells > used + spare ?
	       (sim_iov_doorbells - used - spare) / num : 0;
	err = fair ? xe7_bulk(iov, num,
			      min_t(u64, fair,
				    rounddown_pow_of_two(SIM_GUC_DOORBELLS /
							 (num + 1))),
			      xe7_set_dbs) : -ENOSPC;
	return result ?: err;
}

/* xe_sriov_pf_provision_vfs(): fair scheduling, then fair resources. */
static int xe7_provision(struct vgpu_sim_iov *iov, unsigned int num)
{
	unsigned int n;
	int err;

	xe7_fair_sched(iov, num);
	err = xe7_fair(iov, num);
	if (err) {
		pci_err(iov->pdev, "Failed to enable %u VFs (%d)\n", num, err);
		for (n = 1; n <= num; n++)	/* pf_unprovision_vfs() */
			sim_iov_unprovision(iov, n);
	}
	return err;
}

int sim_iov_xe_enable(struct vgpu_sim_iov *iov, unsigned int num)
{
	unsigned int n;

	if (iov->layout == SIM_XE && iov->xe7)
		return iov->auto_on ? xe7_provision(iov, num) : 0;
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
int sim_iov_xe_restore_auto(struct vgpu_sim_iov *iov)
{
	if (iov->auto_on)
		return 0;
	if (iov->numvfs)
		return -EBUSY;
	sim_iov_unprovision_all(iov);
	iov->auto_on = true;
	return 0;
}

/*
 * pf_disable_vfs(): in auto mode the PF's default scheduling comes back
 * (xe_sriov_pf_reprovision_default, 7.3), every VF is reset (FLR:
 * pf_reset_vfs), and in auto mode the VFs' resources are released.
 * Old xe releases them always (xe_pci_sriov.c before 6.19).
 */
void sim_iov_xe_disabled(struct vgpu_sim_iov *iov, unsigned int num)
{
	unsigned int n;

	if (iov->xe7 && iov->auto_on) {
		iov->sched_if_idle = false;
		for (n = 0; n <= iov->totalvfs; n++)
			iov->fn[n].prio = SIM_PRIO_LOW;
		iov->fn[0].eq[0] = 0;
		iov->fn[0].pt[0] = 0;
	}
	for (n = 1; n <= iov->totalvfs; n++)
		iov->fn[n].state = SIM_VF_READY;
	if (iov->layout == SIM_XE_OLD || iov->auto_on)
		sim_iov_unprovision_all(iov);
}

/*
 * xe_sriov_pf_provision_bulk_apply_vram() (7.0): every VF 1..totalvfs
 * gets @size, one after the other, until one fails.
 */
int sim_iov_xe_bulk_vram(struct vgpu_sim_iov *iov, u64 size)
{
	return xe7_bulk(iov, iov->totalvfs, size, xe7_set_vram);
}

/*
 * xe_gt_sriov_pf_control_{pause,resume,stop}_vf() and the FLR of
 * xe_sriov_pf_control_reset_vf(): the state checks before GuC is asked.
 * (The sim's GuC always agrees.)
 */
int sim_iov_xe_control(struct vgpu_sim_iov *iov, unsigned int id,
		       enum sim_ctl ctl)
{
	struct sim_fn *f = &iov->fn[id];

	switch (ctl) {
	case SIM_CTL_PAUSE:
		if (f->state == SIM_VF_STOPPED)
			return -EPERM;
		if (f->state == SIM_VF_PAUSED)
			return -ESTALE;
		f->state = SIM_VF_PAUSED;
		break;
	case SIM_CTL_RESUME:
		if (f->state != SIM_VF_PAUSED)
			return -EPERM;
		f->state = SIM_VF_READY;
		break;
	case SIM_CTL_STOP:
		if (f->state == SIM_VF_STOPPED)
			return -ESTALE;
		f->state = SIM_VF_STOPPED;
		break;
	case SIM_CTL_RESET:
		f->state = SIM_VF_READY;
		break;
	}
	pci_info(iov->pdev, "VF%u %s!\n", id,
		 ctl == SIM_CTL_PAUSE ? "paused" : ctl == SIM_CTL_RESUME ?
		 "resumed" : ctl == SIM_CTL_STOP ? "stopped" : "reset");
	return 0;
}
