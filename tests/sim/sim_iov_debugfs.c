// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_sim: xe's provisioning debugfs files.
 *
 *   iov=xe      xe 6.19+: dri/<PF BDF>/sriov/{pf,vfN}/tile0/[gt0/], with
 *               the compat symlinks and dri/<PF BDF>/tile0/gt0/{pf,vfN};
 *               VF control: sriov/vfN/{pause,resume,stop,reset} and
 *               sriov/vfN/tile0/gt0/control
 *   iov=xe-old  xe before 6.19: dri/0/gt0/{pf,vfN}/, VF control in
 *               gt0/vfN/control
 *
 * Numeric files (quotas, spares, scheduling) are debugfs attributes that
 * apply the xe rules of sim_iov_rules.c under iov->lock; the PF's text
 * files (ggtt_available, *_provisioned) print what the driver prints.
 * tests/sim/PROVISIONING.md lists every file.
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/string_helpers.h>

#include "sim_iov.h"
#include "sim_iov_priv.h"

static int sim_dfs_get(void *data, u64 *val)
{
	struct sim_dfile *df = data;
	struct vgpu_sim_iov *iov = df->iov;
	struct sim_fn *f = &iov->fn[df->id];

	mutex_lock(&iov->lock);
	switch (df->key) {
	case K_GGTT:
		*val = df->id ? f->ggtt : sim_iov_ggtt_spare(iov);
		break;
	case K_VRAM:
		*val = df->id ? f->vram :
		       max_t(u64, iov->vram_spare, SIM_MIN_SPARE_VRAM);
		break;
	case K_CTXS:
		*val = df->id ? f->ctxs[0] : sim_iov_ctx_spare(iov, 0);
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
	if (sim_iov_fail_write()) {
		err = -EIO;
		goto out;
	}
	switch (df->key) {
	case K_GGTT:
		err = sim_iov_xe_set_ggtt(iov, id, val);
		break;
	case K_VRAM:
		err = sim_iov_xe_set_vram(iov, id, val);
		break;
	case K_CTXS:
		err = sim_iov_xe_set_ctxs(iov, id, val);
		break;
	case K_DBS:
		err = sim_iov_xe_set_dbs(iov, id, val);
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
	u32 ctop = sim_iov_contexts, dtop = sim_iov_doorbells;
	unsigned int n;
	char buf[16];

	mutex_lock(&iov->lock);
	hole = iov->ggtt_pool - sim_iov_ggtt_used(iov);
	switch (df->key) {
	case K_TXT_GGTT_AVAIL:
		spare = sim_iov_ggtt_spare(iov);
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

/*
 * xe_sriov_pf_debugfs.c: sriov/vfN/{pause,resume,stop,reset}
 * (DEFINE_VF_CONTROL_ATTRIBUTE): a bool, "1" does it; reads are empty.
 */
static ssize_t sim_ctl_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct sim_dfile *df = file->private_data;
	bool yes;
	int ret;

	if (*ppos)
		return -EINVAL;
	ret = kstrtobool_from_user(ubuf, count, &yes);
	if (ret < 0)
		return ret;
	if (yes) {
		mutex_lock(&df->iov->lock);
		ret = sim_iov_xe_control(df->iov, df->id,
					 df->key == K_CTL_PAUSE ? SIM_CTL_PAUSE :
					 df->key == K_CTL_RESUME ? SIM_CTL_RESUME :
					 df->key == K_CTL_STOP ? SIM_CTL_STOP :
					 SIM_CTL_RESET);
		mutex_unlock(&df->iov->lock);
	}
	return ret < 0 ? ret : count;
}

static ssize_t sim_empty_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	return 0;
}

static const struct file_operations sim_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_empty_read,
	.write = sim_ctl_write,
	.llseek = default_llseek,
};

/*
 * xe_gt_sriov_pf_debugfs.c: a VF's GT "control" file takes "stop",
 * "pause" or "resume" (sysfs_streq) and reads back that list.
 */
static const char *const sim_gt_cmds[] = { "stop", "pause", "resume" };

static ssize_t sim_gt_ctl_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *pos)
{
	struct sim_dfile *df = file->private_data;
	char cmd[32];
	ssize_t ret;
	size_t n;

	if (*pos)
		return -ESPIPE;
	if (count > sizeof(cmd) - 1)
		return -EINVAL;
	ret = simple_write_to_buffer(cmd, sizeof(cmd) - 1, pos, ubuf, count);
	if (ret < 0)
		return ret;
	cmd[ret] = '\0';
	ret = -EINVAL;
	for (n = 0; n < ARRAY_SIZE(sim_gt_cmds); n++) {
		if (!sysfs_streq(cmd, sim_gt_cmds[n]))
			continue;
		mutex_lock(&df->iov->lock);
		ret = sim_iov_xe_control(df->iov, df->id,
					 n == 0 ? SIM_CTL_STOP : n == 1 ?
					 SIM_CTL_PAUSE : SIM_CTL_RESUME);
		mutex_unlock(&df->iov->lock);
		break;
	}
	return ret < 0 ? ret : count;
}

static ssize_t sim_gt_ctl_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	static const char help[] = "stop\npause\nresume\n";

	return simple_read_from_buffer(ubuf, count, ppos, help,
				       sizeof(help) - 1);
}

static const struct file_operations sim_gt_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_gt_ctl_read,
	.write = sim_gt_ctl_write,
	.llseek = default_llseek,
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
		ret = sim_iov_xe_restore_auto(iov);
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
	else if (key == K_GT_CONTROL)
		debugfs_create_file(name, 0600, dir, df, &sim_gt_ctl_fops);
	else if (key >= K_CTL_PAUSE)
		debugfs_create_file(name, 0200, dir, df, &sim_ctl_fops);
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
	} else {
		sim_dfs(iov, dir, "control", id, K_GT_CONTROL);
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
		if (n) {	/* pf_populate_vf() */
			sim_dfs(iov, fn, "pause", n, K_CTL_PAUSE);
			sim_dfs(iov, fn, "resume", n, K_CTL_RESUME);
			sim_dfs(iov, fn, "stop", n, K_CTL_STOP);
			sim_dfs(iov, fn, "reset", n, K_CTL_RESET);
		}
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

/* iov=xe and xe-old; vgpu_sim_iov_add() makes xe's sysfs tree first. */
void sim_iov_debugfs_add(struct vgpu_sim_iov *iov)
{
	iov->dri = sim_dri_dir(iov);
	if (iov->layout == SIM_XE)
		xe_new_debugfs(iov);
	else
		xe_old_debugfs(iov);
}

/* Also for an i915 iov or a half-made tree: NULL dentries are no-ops. */
void sim_iov_debugfs_remove(struct vgpu_sim_iov *iov)
{
	debugfs_remove_recursive(iov->top);
	if (iov->dri_created)
		debugfs_remove_recursive(iov->dri);
	else
		dput(iov->dri);
}
