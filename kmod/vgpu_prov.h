/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VF provisioning: the GPU drivers' quota files behind one interface.
 *
 *   vgpu_prov.c       the core: finding a PF's layout, reading a VF's
 *                     quotas and the pools, validated all-or-nothing writes
 *   vgpu_prov_mode.c  auto and custom provisioning, the bulk profile
 *   vgpu_prov_ctl.c   VF control: stop, pause, resume, reset
 *   vgpu_prov_i915.c  i915-sriov-dkms: drm/cardN/prelim_iov (sysfs)
 *   vgpu_prov_xe.c    xe: the sriov_admin sysfs ABI first (profiles, VRAM
 *                     quotas on 7.0+, stop), debugfs for the rest where it
 *                     is mounted: 6.19+ (dri/<BDF>/sriov/...) and older
 *                     (dri/<minor>/gt0/...)
 *
 * Neither driver exports a symbol for provisioning, so these files are the
 * interface; they are opened through the VFS (vgpu_vfs.c) with kernel
 * credentials, because xe's live in debugfs, which only root can enter,
 * and reports are open to every user (writes need CAP_NET_ADMIN first).
 * Every value in them is an unsigned decimal number.
 */
#ifndef _VGPU_PROV_H
#define _VGPU_PROV_H

#include <linux/pci.h>
#include <linux/types.h>

#include "vgpu_nl.h"

/* Pools a layout may have, in report order. */
enum vgpu_pool_id {
	VGPU_POOL_GGTT,
	VGPU_POOL_CONTEXTS,
	VGPU_POOL_DOORBELLS,
	VGPU_POOL_VRAM,
	VGPU_POOL_GT1_CONTEXTS,		/* i915's media GT has its own */
	VGPU_POOL_GT1_DOORBELLS,
	VGPU_POOL_NR,
};

#define VGPU_PROV_PATH_MAX 128

struct netlink_ext_ack;
struct vgpu_dev;
struct vgpu_prov;

/* What one pool of a PF holds; has_* say which figures the driver gives. */
struct vgpu_pool {
	bool has_size, has_free, has_max, has_spare;
	u64 used;		/* the VF quotas together */
	u64 size;		/* VF quotas + PF spare + free */
	u64 spare;		/* kept for the PF */
	u64 free;		/* still free for VFs, spare excluded */
	u64 max;		/* the largest quota one VF can get now */
};

struct vgpu_prov_layout {
	const char *name;	/* VGPU_A_DEV_PROVISIONING */
	/*
	 * The file of quota @key (VGPU_A_QUOTA_*) of VF @vf (1-based, as
	 * the drivers count), or -ENOENT when the layout has no such key.
	 */
	int (*quota_path)(const struct vgpu_prov *p, unsigned int vf, int key,
			  char *buf, size_t len);
	/*
	 * Fills spare, free, max and size (where known) of @pool, given
	 * @used, the sum of the VF quotas; -ENOENT if there is no such pool.
	 */
	int (*pool)(const struct vgpu_prov *p, enum vgpu_pool_id pool, u64 used,
		    struct vgpu_pool *out);
	/* The largest value quota @key's file takes (its parse type). */
	u64 (*key_limit)(int key);
	/*
	 * Why the layout has no file for @key here when the driver has one
	 * elsewhere (xe's debugfs not mounted), or NULL. Optional.
	 */
	const char *(*key_note)(const struct vgpu_prov *p, int key);
	/* Whether writing @key switches the PF to custom mode. Optional. */
	bool (*key_makes_custom)(const struct vgpu_prov *p, int key);
	/*
	 * The provisioning mode: *@custom, or -EOPNOTSUPP when the driver
	 * has no modes. With VFs enabled the caller holds the PF's device
	 * lock (the VFs stay). Optional: absent means no modes.
	 */
	int (*get_mode)(const struct vgpu_prov *p, bool *custom);
	/*
	 * Back to auto mode, VFs disabled (the core disables them first), or
	 * to custom; -EOPNOTSUPP with @why when the driver cannot be asked.
	 */
	int (*set_mode)(const struct vgpu_prov *p, bool custom,
			const char **why);
	/*
	 * The file and the value that do control @ctl (enum vgpu_vf_control)
	 * to VF @vf; -ENOENT with @why when the driver has none.
	 */
	int (*control)(const struct vgpu_prov *p, unsigned int vf, int ctl,
		       char *path, size_t len, const char **val,
		       const char **why);
	/*
	 * The file of profile key @key: the bulk one (every function at
	 * once, write-only) or the PF's own; -ENOENT when there is none.
	 * Optional.
	 */
	int (*profile_path)(const struct vgpu_prov *p, int key, bool bulk,
			    char *buf, size_t len);
};

struct vgpu_prov {
	const struct vgpu_prov_layout *layout;
	struct pci_dev *pf;
	unsigned int totalvfs;
	char root[VGPU_PROV_PATH_MAX];	/* the layout's directory, "" if none */
	char admin[VGPU_PROV_PATH_MAX];	/* xe sriov_admin, "" without */
	bool admin_vram;		/* xe 7.0+: vfN/profile/vram_quota writable */
};

/* A VF's quotas: has[key] for those its layout offers. */
struct vgpu_quota {
	bool has[VGPU_A_QUOTA_MAX + 1];
	u64 val[VGPU_A_QUOTA_MAX + 1];
};

/* A quota request of one VF between its check and its end. */
struct vgpu_prov_txn {
	struct pci_dev *vf;
	struct vgpu_prov p;
	unsigned int idx;			/* VF number as the drivers count */
	struct vgpu_quota cur;			/* the quotas before */
	bool done[VGPU_A_QUOTA_MAX + 1];	/* the files written */
	bool was_auto;				/* i915 auto_provisioning 1 */
};

/* vgpu_prov.c */
int vgpu_prov_init(void);
void vgpu_prov_exit(void);
int vgpu_prov_find(struct pci_dev *pf, struct vgpu_prov *p);
__printf(3, 4) int vgpu_prov_path(char *buf, size_t len, const char *fmt, ...);
int vgpu_prov_read_u64(const char *path, u64 *val);
int vgpu_prov_write_u64(const char *path, u64 val);
int vgpu_prov_write_str(const char *path, const char *val);
bool vgpu_prov_writable(const char *path);
int vgpu_prov_read_file(const char *path, char *buf, size_t len);
int vgpu_prov_list_dir(const char *path,
		       int (*fn)(void *data, const char *name), void *data);
int vgpu_prov_get_quota(const struct vgpu_prov *p, unsigned int vf,
			struct vgpu_quota *q);
int vgpu_prov_get_pool(const struct vgpu_prov *p, enum vgpu_pool_id id,
		       struct vgpu_pool *pool, u64 *vf_quota);
int vgpu_prov_prepare(struct pci_dev *vf, const struct vgpu_quota *req,
		      struct vgpu_prov_txn *t, struct netlink_ext_ack *extack);
int vgpu_prov_commit(struct vgpu_prov_txn *t, const struct vgpu_quota *req,
		     struct netlink_ext_ack *extack);
int vgpu_prov_rollback(struct vgpu_prov_txn *t);
bool vgpu_prov_auto_lost(const struct vgpu_prov_txn *t);
int vgpu_quota_key_pool(int key);
bool vgpu_quota_key_bytes(int key);
const char *vgpu_quota_key_name(int key);

/* vgpu_prov_mode.c */
int vgpu_prov_get_mode(const struct vgpu_prov *p);
int vgpu_prov_switch_mode(const struct vgpu_prov *p, int mode,
			  struct netlink_ext_ack *extack);
int vgpu_prov_get_profile(const struct vgpu_prov *p, struct vgpu_quota *q);
int vgpu_prov_set_profile(struct vgpu_dev *vdev, const struct vgpu_quota *req,
			  struct netlink_ext_ack *extack);

/* vgpu_prov_ctl.c */
u32 vgpu_prov_controls(const struct vgpu_prov *p, unsigned int vf);
int vgpu_prov_control(struct pci_dev *vf, int ctl,
		      struct netlink_ext_ack *extack);
const char *vgpu_vf_control_name(int ctl);

/* Layouts, probed in this order: each returns 0 if @pf has it. */
int vgpu_prov_i915_probe(struct pci_dev *pf, struct vgpu_prov *p);
int vgpu_prov_xe_probe(struct pci_dev *pf, struct vgpu_prov *p);
int vgpu_prov_xe_old_probe(struct pci_dev *pf, struct vgpu_prov *p);

#endif /* _VGPU_PROV_H */
