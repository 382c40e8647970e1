/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "vgpu" generic netlink family: glue that translates between
 * attributes and the core, and decides nothing.
 *
 *   vgpu_genl.c       the family, its policies and ops; devices
 *   vgpu_genl_event.c the "monitor" group: the core's events as messages
 *   vgpu_genl_vf.c    VF_GET, VF_SET
 *   vgpu_genl_mdev.c  TYPE_GET, MDEV_GET, MDEV_ADD, MDEV_DEL
 *   vgpu_genl_res.c   RESOURCE_GET and the VF quota nest
 */
#ifndef _VGPU_GENL_H
#define _VGPU_GENL_H

#include <net/genetlink.h>

#include "vgpu_nl.h"

struct pci_dev;
struct vgpu_dev;
struct vgpu_dev_info;
struct vgpu_prov;
struct vgpu_quota;

enum vgpu_mcgrp { VGPU_MCGRP_MONITOR };

extern struct genl_family vgpu_genl_family;

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

/* vgpu_genl.c */
int vgpu_genl_init(void);
void vgpu_genl_exit(void);
int vgpu_genl_put_dev(struct sk_buff *skb, const struct vgpu_dev_info *info);
struct vgpu_dev *vgpu_genl_dev(struct genl_info *info);
int vgpu_genl_dump_devs(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd, int (*fill)(struct sk_buff *skb,
					    struct vgpu_dev *vdev));

/* vgpu_genl_event.c */
int vgpu_genl_event_init(void);
void vgpu_genl_event_exit(void);
u32 vgpu_genl_event_last_seq(void);

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
extern const struct nla_policy vgpu_quota_policy[VGPU_A_QUOTA_MAX + 1];
int vgpu_genl_put_quota(struct sk_buff *skb, struct pci_dev *vf,
			const struct vgpu_prov *p);
int vgpu_genl_put_prov(struct sk_buff *skb, struct pci_dev *pf);
int vgpu_genl_parse_quota(struct nlattr *nest, struct vgpu_quota *q,
			  struct netlink_ext_ack *extack);
int vgpu_genl_res_get_doit(struct sk_buff *skb, struct genl_info *info);
int vgpu_genl_res_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vgpu_genl_res_get_done(struct netlink_callback *cb);

#endif /* _VGPU_GENL_H */
