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
 *               debugfs dri/<PF BDF>/sriov/{pf,vfN}/tile0/[gt0/];
 *               xe_kernel=6.19 or 7.3 (default) picks the xe
 *   iov=xe-old  xe before 6.19: debugfs dri/0/gt0/{pf,vfN}/
 *   iov=none    nothing
 *
 * tests/sim/PROVISIONING.md lists every file, the rules behind each error
 * and the driver source each comes from; sim_iov.h states the accounting
 * invariants. The resources are module parameters read at probe.
 *
 * Fault injection: fail_write=N makes the N-th parsed provisioning write
 * from now fail with -EIO without changing anything (one-shot).
 *
 * This file holds the module parameters, add/remove and the VF enable
 * hooks of sim_iov.h; the rules, the sysfs trees and the debugfs files
 * are in sim_iov_rules.c, sim_iov_sysfs.c and sim_iov_debugfs.c, which
 * share sim_iov_priv.h.
 */
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "sim_iov.h"
#include "sim_iov_priv.h"

static char *iov_param = "i915";
module_param_named(iov, iov_param, charp, 0444);
MODULE_PARM_DESC(iov, "Provisioning layout: i915, xe, xe-old or none");

/*
 * Which xe the iov=xe layout behaves as: "6.19" (sriov_admin profiles,
 * the first fair-share rules) or "7.3" (also the 7.0 VRAM files in
 * sriov_admin, the fair profiles and fair scheduling of 7.3).
 */
static char *xe_kernel = "7.3";
module_param(xe_kernel, charp, 0444);
MODULE_PARM_DESC(xe_kernel, "iov=xe: the xe it behaves as, 6.19 or 7.3");

static unsigned int ggtt_mb = 3584;
module_param(ggtt_mb, uint, 0444);
MODULE_PARM_DESC(ggtt_mb, "VF-provisionable GGTT in MiB (the PF keeps 512 more)");

/*
 * i915: a fragmented GGTT. Free space is the sum of the holes, but one VF
 * gets at most the largest hole (pf_get_max_ggtt()); this caps it.
 */
unsigned int sim_iov_ggtt_hole_mb;
module_param_named(ggtt_hole_mb, sim_iov_ggtt_hole_mb, uint, 0644);
MODULE_PARM_DESC(ggtt_hole_mb, "i915: largest GGTT hole in MiB (0: one hole, max_quota == free)");

/* Not static: the rules and the files read these two (sim_iov_priv.h). */
unsigned int sim_iov_contexts = 65535;
module_param_named(contexts, sim_iov_contexts, uint, 0444);
MODULE_PARM_DESC(contexts, "GuC context IDs (at most 65535)");

unsigned int sim_iov_doorbells = 256;
module_param_named(doorbells, sim_iov_doorbells, uint, 0444);
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

/* Called with the lock held, after parsing: true if this write fails. */
bool sim_iov_fail_write(void)
{
	if (fail_write <= 0)
		return false;
	return --fail_write == 0;
}

/* ---- hooks ---- */

int vgpu_sim_iov_enable(struct vgpu_sim_iov *iov, int num_vfs)
{
	int err;

	if (!iov)
		return 0;
	mutex_lock(&iov->lock);
	if (iov->layout == SIM_I915)
		err = sim_iov_i915_enable(iov, num_vfs);
	else
		err = sim_iov_xe_enable(iov, num_vfs);
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
		sim_iov_i915_auto_unprovision(iov);
	else
		sim_iov_xe_disabled(iov, iov->numvfs);
	iov->numvfs = 0;
	mutex_unlock(&iov->lock);
}

static void sim_free(struct vgpu_sim_iov *iov)
{
	sim_iov_sysfs_remove(iov);
	sim_iov_debugfs_remove(iov);
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
	if (sim_iov_contexts > 65535 || sim_iov_doorbells > 256 || !ggtt_mb)
		return ERR_PTR(-EINVAL);
	if (!sysfs_streq(xe_kernel, "6.19") && !sysfs_streq(xe_kernel, "7.3"))
		return ERR_PTR(-EINVAL);

	iov = kzalloc(sizeof(*iov), GFP_KERNEL);
	if (!iov)
		return ERR_PTR(-ENOMEM);
	iov->pdev = pdev;
	iov->layout = layout;
	iov->xe7 = layout == SIM_XE && sysfs_streq(xe_kernel, "7.3");
	mutex_init(&iov->lock);
	iov->totalvfs = min(pci_sriov_get_totalvfs(pdev), 256);
	iov->ngt = layout == SIM_I915 && media_gt ? 2 : 1;
	iov->ggtt_pool = (u64)ggtt_mb << 20;
	iov->vram_pool = layout == SIM_I915 ? 0 : (u64)vram_mb << 20;
	iov->auto_on = true;
	/* pf_assign_ctxs_for_pf(): the PF's fixed share of 128-ID units */
	bits = DIV_ROUND_UP(sim_iov_contexts, SIM_CTXS_GRAN);
	pf_bits = bits - (bits / (1 + iov->totalvfs)) * iov->totalvfs;
	iov->pf_ctxs = pf_bits * SIM_CTXS_GRAN -
		       (SIM_CTXS_GRAN - sim_iov_contexts % SIM_CTXS_GRAN);
	iov->ctx_vf_bits = bits - pf_bits;
	iov->fn = kcalloc(1 + iov->totalvfs, sizeof(*iov->fn), GFP_KERNEL);
	iov->maxdfiles = (1 + iov->totalvfs) * SIM_DFILES_PER_FN;
	iov->dfiles = kcalloc(iov->maxdfiles, sizeof(*iov->dfiles), GFP_KERNEL);
	if (!iov->fn || !iov->dfiles) {
		err = -ENOMEM;
		goto fail;
	}

	if (layout == SIM_I915) {
		err = sim_iov_i915_sysfs_add(iov);
	} else {
		if (layout == SIM_XE)
			err = sim_iov_xe_sysfs_add(iov);
		sim_iov_debugfs_add(iov);
	}
	if (err)
		goto fail;
	pci_info(pdev, "VF provisioning: %s layout%s, %u VFs\n", iov_param,
		 layout != SIM_XE ? "" : iov->xe7 ? " (xe 7.3)" : " (xe 6.19)",
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
