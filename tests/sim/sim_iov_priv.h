/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the four files of the simulated PF's VF provisioning share; private
 * to them (sim_main.c sees only sim_iov.h):
 *
 *   sim_iov.c          module parameters, add/remove, the VF enable hooks
 *   sim_iov_rules.c    the i915 and xe provisioning rules (accounting)
 *   sim_iov_sysfs.c    i915 prelim_iov and xe sriov_admin sysfs trees
 *   sim_iov_debugfs.c  xe debugfs quota files (6.19+ and older layouts)
 *
 * The glue files (sysfs, debugfs) parse and print; the rules decide. Every
 * rule runs with iov->lock held. sim_iov.h states the accounting
 * invariants; tests/sim/PROVISIONING.md documents every file.
 */
#ifndef _VGPU_SIM_IOV_PRIV_H
#define _VGPU_SIM_IOV_PRIV_H

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct dentry;
struct pci_dev;

enum sim_layout { SIM_I915, SIM_XE, SIM_XE_OLD };

/* xe's VF control states (xe_gt_sriov_pf_control.c), as far as files tell. */
enum sim_vf_state { SIM_VF_READY, SIM_VF_PAUSED, SIM_VF_STOPPED };

/* A VF control request: sysfs vfN/stop, debugfs vfN/{pause,...}, control. */
enum sim_ctl { SIM_CTL_STOP, SIM_CTL_PAUSE, SIM_CTL_RESUME, SIM_CTL_RESET };

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

/* xe 7.3 (xe_gt_sriov_pf_config.c): the fair profiles and fair scheduling */
#define SIM_GUC_GGTT_TOP	0xFEE00000ULL	/* GUC_GGTT_TOP */
#define SIM_GUC_ID_MAX		65535		/* GUC_ID_MAX */
#define SIM_GUC_DOORBELLS	256		/* GUC_NUM_DOORBELLS */
#define SIM_FAIR_EQ_MS		16		/* XE_FAIR_EXEC_QUANTUM_MS */
#define SIM_FAIR_PT_US		16000		/* XE_FAIR_PREEMPT_TIMEOUT_US */
#define SIM_PRIO_LOW		0
#define SIM_PRIO_NORMAL		1

/* One function's configuration: [0] is the PF, [n] is VF n. */
struct sim_fn {
	u64 ggtt;
	u64 ggtt_hole;		/* i915: its last released node, still a hole */
	u64 vram;
	u32 ctxs[SIM_MAX_GT];
	u32 dbs[SIM_MAX_GT];
	u32 eq[SIM_MAX_GT];
	u32 pt[SIM_MAX_GT];
	u32 prio;
	u8 state;		/* xe: enum sim_vf_state */
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
	bool xe7;			/* iov=xe: 7.x behaviour (xe_kernel=7.3) */
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
	bool sched_if_idle;	/* xe: PF policy, set by .bulk_profile priority */
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

/* What a sysfs attribute or debugfs file holds. */
enum sim_key {
	K_MODE, K_AUTO, K_ID, K_CONTROL, K_EQ, K_PT, K_GGTT, K_CTXS, K_DBS,
	K_VRAM, K_PRIO, K_STOP, K_GGTT_FREE, K_GGTT_MAX, K_CTXS_FREE,
	K_CTXS_MAX, K_DBS_FREE, K_DBS_MAX, K_BULK_EQ, K_BULK_PT, K_BULK_PRIO,
	K_BULK_VRAM, K_CTL_PAUSE, K_CTL_RESUME, K_CTL_STOP, K_CTL_RESET,
	K_GT_CONTROL,
	K_TXT_GGTT_AVAIL, K_TXT_GGTT, K_TXT_CTXS, K_TXT_DBS, K_TXT_VRAM,
};

/* sim_iov.c: the contexts= and doorbells= module parameters */
extern unsigned int sim_iov_contexts;
extern unsigned int sim_iov_doorbells;
bool sim_iov_fail_write(void);

/* sim_iov_rules.c: shared accounting */
u64 sim_iov_ggtt_used(struct vgpu_sim_iov *iov);
u64 sim_iov_ggtt_spare(struct vgpu_sim_iov *iov);
u32 sim_iov_ctx_spare(struct vgpu_sim_iov *iov, unsigned int gt);
u32 sim_iov_dbs_used(struct vgpu_sim_iov *iov, unsigned int gt);
void sim_iov_unprovision(struct vgpu_sim_iov *iov, unsigned int id);
void sim_iov_unprovision_all(struct vgpu_sim_iov *iov);

/* sim_iov_rules.c: i915 */
u64 sim_iov_i915_ggtt_free(struct vgpu_sim_iov *iov);
u64 sim_iov_i915_ggtt_max(struct vgpu_sim_iov *iov);
extern unsigned int sim_iov_ggtt_hole_mb;
u32 sim_iov_i915_ctx_free(struct vgpu_sim_iov *iov, unsigned int gt);
int sim_iov_i915_set_ggtt(struct vgpu_sim_iov *iov, unsigned int id, u64 size);
int sim_iov_i915_set_ctxs(struct vgpu_sim_iov *iov, unsigned int id,
			  unsigned int gt, u16 num);
int sim_iov_i915_set_dbs(struct vgpu_sim_iov *iov, unsigned int id,
			 unsigned int gt, u16 num);
void sim_iov_i915_auto_unprovision(struct vgpu_sim_iov *iov);
int sim_iov_i915_enable(struct vgpu_sim_iov *iov, unsigned int num);
void sim_iov_i915_mark_manual(struct vgpu_sim_iov *iov);
int sim_iov_i915_set_auto(struct vgpu_sim_iov *iov, bool on);

/* sim_iov_rules.c: xe */
int sim_iov_xe_set_ggtt(struct vgpu_sim_iov *iov, unsigned int id, u64 size);
int sim_iov_xe_set_vram(struct vgpu_sim_iov *iov, unsigned int id, u64 size);
int sim_iov_xe_set_ctxs(struct vgpu_sim_iov *iov, unsigned int id, u32 num);
int sim_iov_xe_set_dbs(struct vgpu_sim_iov *iov, unsigned int id, u32 num);
int sim_iov_xe_enable(struct vgpu_sim_iov *iov, unsigned int num);
int sim_iov_xe_restore_auto(struct vgpu_sim_iov *iov);
void sim_iov_xe_disabled(struct vgpu_sim_iov *iov, unsigned int num);
int sim_iov_xe_bulk_vram(struct vgpu_sim_iov *iov, u64 size);
int sim_iov_xe_control(struct vgpu_sim_iov *iov, unsigned int id,
		       enum sim_ctl ctl);

/* sim_iov_sysfs.c */
int sim_iov_i915_sysfs_add(struct vgpu_sim_iov *iov);
int sim_iov_xe_sysfs_add(struct vgpu_sim_iov *iov);
void sim_iov_sysfs_remove(struct vgpu_sim_iov *iov);

/* sim_iov_debugfs.c: xe layouts only; remove accepts an i915 iov */
void sim_iov_debugfs_add(struct vgpu_sim_iov *iov);
void sim_iov_debugfs_remove(struct vgpu_sim_iov *iov);

#endif /* _VGPU_SIM_IOV_PRIV_H */
