/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of vgpu_nl.ko.
 *
 *   vgpu_main.c      module init/exit, parameters
 *   vgpu_registry.c  the set of managed devices, PCI bus notifier
 *   vgpu_dev.c       the core: device state
 *   vgpu_sriov.c     the core: VF count and autoprobe of a PF
 *   vgpu_vf.c        the core: VF lookup, state and driver binding
 *   vgpu_mdev.c      the core: mdev types, mdevs, their creation/removal
 *   vgpu_genl.c      generic netlink glue (translates, never decides)
 *   vgpu_genl_vf.c   the same for VF commands
 *   vgpu_genl_mdev.c the same for type and mdev commands
 *   vgpu_sysfs.c     /sys/kernel/vgpu_nl glue (same core as genetlink)
 *   vgpu_event.c     "monitor" multicast notifications
 *   vgpu_vfs.c       reads/writes of other drivers' sysfs files
 *   vgpu_prov*.c     VF provisioning (quotas) over the GPU drivers' files;
 *                    see vgpu_prov.h
 *   vgpu_resource.c  the resource report (RESOURCE_GET)
 *   vgpu_genl_res.c  genetlink glue for RESOURCE_GET and VF quotas
 *
 * Locking, outermost first:
 *   genl_mutex         all genetlink ops and every sysfs store of ours;
 *                      serialises the mutating core paths
 *   device_lock        taken by the driver core around probe/remove; our
 *                      bus notifier runs under it for (UN)BIND events; the
 *                      core holds the PF's across a VF count change, as
 *                      sriov_numvfs_store() does
 *   vgpu_registry_lock the device list, each device's cached driver name
 *                      and the generation counter; a leaf: nothing is
 *                      called with it held but list/memory operations
 *   vgpu_mdev_lock     the mdev snapshots (vgpu_mdev.c); a leaf as well
 * A struct vgpu_dev lives as long as its kobject's refcount: the registry
 * list holds one reference, every lookup returns one more.
 */
#ifndef _VGPU_CORE_H
#define _VGPU_CORE_H

#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/pci.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "vgpu_nl.h"

struct vgpu_dev {
	struct kobject kobj;		/* /sys/kernel/vgpu_nl/<pci name> */
	struct list_head node;		/* vgpu_registry_lock */
	struct pci_dev *pdev;		/* pci_dev_get() reference */
	char driver[32];		/* vgpu_registry_lock; "" if unbound */
	struct work_struct sysfs_add;	/* see vgpu_registry.c */
	struct work_struct sysfs_del;
	bool in_sysfs;			/* only touched by the ordered wq */
	struct work_struct numvfs_work;	/* announces VF count changes */
	int last_numvfs;		/* only touched by numvfs_work */
};

/* A DEV_SET request; -1 leaves a setting as it is. */
struct vgpu_sriov_req {
	int numvfs;
	int autoprobe;
	bool force;
};

struct vgpu_vf_info {
	char handle[VGPU_HANDLE_MAX];
	char pf[VGPU_HANDLE_MAX];
	u16 index;
	char driver[32];		/* "" when no driver is bound */
	char override[32];		/* "" without driver_override */
	int iommu_group;		/* -1 without an IOMMU group */
	bool assigned;
};

/* A snapshot of a device's state, shared by genetlink and sysfs. */
struct vgpu_dev_info {
	u16 vendor, device, subsys_vendor, subsys_device;
	u32 class;
	char driver[32];		/* "" when no driver is bound */
	int iommu_group;		/* -1 without an IOMMU group */
	bool is_pf;
	u16 totalvfs, numvfs;
	bool autoprobe;
	bool mdev_parent;
	u32 mdev_types;
};

#define VGPU_TYPE_NAME_MAX 64

struct vgpu_type_info {
	char name[VGPU_TYPE_NAME_MAX];	/* sysfs name, "i915-GVTg_V5_4" */
	char pretty_name[VGPU_TYPE_NAME_MAX];
	char device_api[16];
	u32 available;
	char description[256];
	bool gvt;			/* the fields below were parsed */
	u32 low_gm_mb, high_gm_mb, fence, weight;
	char resolution[16];
};

struct vgpu_mdev_info {
	char uuid[VGPU_UUID_LEN + 1];
	char parent[VGPU_HANDLE_MAX];
	char type[VGPU_TYPE_NAME_MAX];
	char driver[32];		/* "" when no driver is bound */
	int iommu_group;		/* -1 without an IOMMU group */
	bool owned;
	bool removing;
};

/* vgpu_main.c */
bool vgpu_id_is_extra(u16 vendor, u16 device);

/* vgpu_registry.c */
extern struct workqueue_struct *vgpu_event_wq;
int vgpu_registry_init(void);
void vgpu_registry_exit(void);
struct pci_dev *vgpu_handle_to_pdev(const char *handle,
				    struct netlink_ext_ack *extack);
struct vgpu_dev *vgpu_dev_lookup(const char *handle,
				 struct netlink_ext_ack *extack);
struct vgpu_dev *vgpu_dev_find(struct pci_dev *pdev);
struct vgpu_dev *vgpu_dev_get_nth(unsigned long idx, unsigned int *gen);
void vgpu_dev_put(struct vgpu_dev *vdev);
void vgpu_dev_driver_name(struct vgpu_dev *vdev, char *buf, size_t len);

/* vgpu_dev.c */
void vgpu_dev_handle(struct vgpu_dev *vdev, char *buf, size_t len);
void vgpu_dev_get_info(struct vgpu_dev *vdev, struct vgpu_dev_info *info);
int vgpu_iommu_group_id(struct device *dev);
bool vgpu_dev_is_mdev_parent(struct pci_dev *pdev);

/* vgpu_sriov.c */
int vgpu_sriov_set(struct vgpu_dev *vdev, const struct vgpu_sriov_req *req,
		   struct netlink_ext_ack *extack);
void vgpu_sriov_numvfs_work(struct work_struct *work);

/* vgpu_vf.c */
struct pci_dev *vgpu_vf_get(struct pci_dev *pf, unsigned int index);
/* What a VF is looked up for: the refusals are worded for it. */
enum vgpu_vf_purpose { VGPU_VF_FOR_GET, VGPU_VF_FOR_SET };
struct pci_dev *vgpu_vf_lookup(const char *handle, enum vgpu_vf_purpose why,
			       struct netlink_ext_ack *extack);
bool vgpu_vf_in_use(struct pci_dev *vf);
void vgpu_vf_get_info(struct pci_dev *vf, struct vgpu_vf_info *info);
struct vgpu_quota;
/* A VF_SET request; NULL leaves a part as it is. */
struct vgpu_vf_req {
	const char *driver;		/* "vfio-pci", or "" for the default */
	const struct vgpu_quota *quota;
};
int vgpu_vf_set(struct pci_dev *vf, const struct vgpu_vf_req *req,
		struct netlink_ext_ack *extack);

/*
 * GENL_REQ_ATTR_CHECK() reports only the missing attribute's type; add
 * words so that every client, not only YNL-aware ones, can say what is wrong.
 */
#define VGPU_REQUIRE(info, attr, what) ({				\
	bool __missing = GENL_REQ_ATTR_CHECK(info, attr);		\
									\
	if (__missing)							\
		NL_SET_ERR_MSG((info)->extack,				\
			       "missing attribute: " what);		\
	__missing;							\
})

/* vgpu_mdev.c */
int vgpu_mdev_init(void);
void vgpu_mdev_exit(void);
void vgpu_handle_of(struct device *dev, char *buf, size_t len);
unsigned int vgpu_mdev_generation(void);
unsigned long vgpu_mdev_for_each(unsigned long idx, const char *parent,
				 int (*fn)(void *data, const struct vgpu_mdev_info *info),
				 void *data, unsigned int *gen);
int vgpu_mdev_get(const char *uuid_str, struct vgpu_mdev_info *info,
		  struct netlink_ext_ack *extack);
int vgpu_mdev_type_get(struct pci_dev *pdev, const char *type,
		       struct vgpu_type_info *info,
		       struct netlink_ext_ack *extack);
int vgpu_mdev_type_list(struct pci_dev *pdev,
			char (*names)[VGPU_TYPE_NAME_MAX], int max);
int vgpu_mdev_create(struct vgpu_dev *vdev, const char *type, guid_t *uuid,
		     bool have_uuid, struct netlink_ext_ack *extack);
int vgpu_mdev_remove(const char *uuid_str, bool force,
		     struct netlink_ext_ack *extack);

/* vgpu_genl.c */
enum vgpu_mcgrp { VGPU_MCGRP_MONITOR };
extern struct genl_family vgpu_genl_family;
int vgpu_genl_init(void);
void vgpu_genl_exit(void);
int vgpu_genl_put_dev(struct sk_buff *skb, struct vgpu_dev *vdev,
		      const struct vgpu_dev_info *info);
int vgpu_genl_put_vf(struct sk_buff *skb, const struct vgpu_vf_info *info);
struct vgpu_dev *vgpu_genl_dev(struct genl_info *info);
int vgpu_genl_dump_devs(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd, int (*fill)(struct sk_buff *skb,
					    struct vgpu_dev *vdev));

/* vgpu_genl_vf.c */
int vgpu_genl_vf_get_doit(struct sk_buff *skb, struct genl_info *info);
int vgpu_genl_vf_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vgpu_genl_vf_set_doit(struct sk_buff *skb, struct genl_info *info);

/* vgpu_genl_mdev.c */
int vgpu_genl_type_get_doit(struct sk_buff *skb, struct genl_info *info);
int vgpu_genl_type_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vgpu_genl_mdev_get_doit(struct sk_buff *skb, struct genl_info *info);
int vgpu_genl_mdev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vgpu_genl_mdev_add_doit(struct sk_buff *skb, struct genl_info *info);
int vgpu_genl_mdev_del_doit(struct sk_buff *skb, struct genl_info *info);

/* vgpu_genl_res.c */
struct vgpu_quota;
struct vgpu_prov;
extern const struct nla_policy vgpu_quota_policy[VGPU_A_QUOTA_MAX + 1];
int vgpu_genl_put_quota(struct sk_buff *skb, struct pci_dev *vf,
			const struct vgpu_prov *p);
int vgpu_genl_parse_quota(struct nlattr *nest, struct vgpu_quota *q,
			  struct netlink_ext_ack *extack);
int vgpu_genl_res_get_doit(struct sk_buff *skb, struct genl_info *info);
int vgpu_genl_res_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vgpu_genl_res_get_done(struct netlink_callback *cb);

/* vgpu_event.c */
void vgpu_event_dev(enum vgpu_event event, struct vgpu_dev *vdev,
		    const char *driver);
void vgpu_event_numvfs(struct vgpu_dev *vdev, int numvfs);
void vgpu_event_vf(enum vgpu_event event, struct pci_dev *vf,
		   const char *driver);
void vgpu_event_mdev(enum vgpu_event event, const struct vgpu_mdev_info *info);

/* vgpu_sysfs.c */
extern const struct kobj_type vgpu_dev_ktype;
int vgpu_sysfs_init(void);
void vgpu_sysfs_exit(void);
int vgpu_sysfs_dev_add(struct vgpu_dev *vdev);
void vgpu_sysfs_dev_del(struct vgpu_dev *vdev);

/* vgpu_vfs.c */
int vgpu_vfs_read(const char *path, char *buf, size_t len);
int vgpu_vfs_write(const char *path, const char *val);
struct file *vgpu_vfs_open_write(const char *path);
int vgpu_vfs_write_file(struct file *filp, const char *val);
void vgpu_vfs_close(struct file *filp);
int vgpu_vfs_list_dir(const char *path, int (*fn)(void *data, const char *name),
		      void *data);
int vgpu_vfs_read_dev_attr(struct pci_dev *pdev, const char *attr,
			   char *buf, size_t len);
int vgpu_vfs_write_dev_attr(struct pci_dev *pdev, const char *attr,
			    const char *val);

#endif /* _VGPU_CORE_H */
