/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VF provisioning: the GPU drivers' quota files behind one interface.
 *
 *   vgpu_prov.c       the core: finding a PF's layout, reading a VF's
 *                     quotas and the pools, validated all-or-nothing writes
 *   vgpu_prov_i915.c  i915-sriov-dkms: drm/cardN/prelim_iov (sysfs)
 *   vgpu_prov_xe.c    xe: debugfs quotas, 6.19+ (dri/<BDF>/sriov/...) and
 *                     older (dri/<minor>/gt0/...), sriov_admin profiles
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
};

struct vgpu_prov {
	const struct vgpu_prov_layout *layout;
	struct pci_dev *pf;
	unsigned int totalvfs;
	char root[VGPU_PROV_PATH_MAX];	/* the layout's directory */
	char admin[VGPU_PROV_PATH_MAX];	/* xe sriov_admin, "" without */
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
};

/* vgpu_prov.c */
int vgpu_prov_init(void);
void vgpu_prov_exit(void);
int vgpu_prov_find(struct pci_dev *pf, struct vgpu_prov *p);
__printf(3, 4) int vgpu_prov_path(char *buf, size_t len, const char *fmt, ...);
int vgpu_prov_read_u64(const char *path, u64 *val);
int vgpu_prov_write_u64(const char *path, u64 val);
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
int vgpu_quota_key_pool(int key);
bool vgpu_quota_key_bytes(int key);
const char *vgpu_quota_key_name(int key);

/* Layouts, probed in this order: each returns 0 if @pf has it. */
int vgpu_prov_i915_probe(struct pci_dev *pf, struct vgpu_prov *p);
int vgpu_prov_xe_probe(struct pci_dev *pf, struct vgpu_prov *p);
int vgpu_prov_xe_old_probe(struct pci_dev *pf, struct vgpu_prov *p);

#endif /* _VGPU_PROV_H */
