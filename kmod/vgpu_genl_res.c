// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink glue for RESOURCE_GET and the VF quota nest: translates,
 * never decides.
 */
#include <linux/pci.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "vgpu_compat.h"
#include "vgpu_genl.h"
#include "vgpu_handle.h"
#include "vgpu_mdev.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"
#include "vgpu_resource.h"

/* The one message of a RESOURCE_GET do. */
#define VGPU_RES_DO_SIZE	(64 * 1024)

const struct nla_policy vgpu_quota_policy[VGPU_A_QUOTA_MAX + 1] = {
	[VGPU_A_QUOTA_GGTT] = { .type = NLA_U64 },
	[VGPU_A_QUOTA_CONTEXTS] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_DOORBELLS] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_VRAM] = { .type = NLA_U64 },
	[VGPU_A_QUOTA_EXEC_QUANTUM_MS] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_PREEMPT_TIMEOUT_US] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_PRIORITY] = NLA_POLICY_MAX(NLA_U8, VGPU_PRIORITY_HIGH),
	[VGPU_A_QUOTA_GT1_CONTEXTS] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_GT1_DOORBELLS] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_GT1_EXEC_QUANTUM_MS] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_GT1_PREEMPT_TIMEOUT_US] = { .type = NLA_U32 },
};

/* The quotas of @vf of the PF with layout @p as a VGPU_A_VF_QUOTA nest. */
int vgpu_genl_put_quota(struct sk_buff *skb, struct pci_dev *vf,
			const struct vgpu_prov *p)
{
	struct vgpu_quota q;
	struct nlattr *nest;
	int key, ret = 0;

	vgpu_prov_get_quota(p, pci_iov_vf_id(vf) + 1, &q);
	nest = nla_nest_start(skb, VGPU_A_VF_QUOTA);
	if (!nest)
		return -EMSGSIZE;
	for (key = VGPU_A_QUOTA_GGTT; key <= VGPU_A_QUOTA_MAX && !ret; key++) {
		if (!q.has[key])
			continue;
		if (vgpu_quota_key_bytes(key))
			ret = nla_put_u64_64bit(skb, key, q.val[key],
						VGPU_A_QUOTA_PAD);
		else if (key == VGPU_A_QUOTA_PRIORITY)
			ret = nla_put_u8(skb, key, q.val[key]);
		else
			ret = nla_put_u32(skb, key, q.val[key]);
	}
	if (ret) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* A VGPU_A_VF_QUOTA request nest into @q; at least one key. */
int vgpu_genl_parse_quota(struct nlattr *nest, struct vgpu_quota *q,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VGPU_A_QUOTA_MAX + 1];
	bool any = false;
	int key, ret;

	memset(q, 0, sizeof(*q));
	ret = nla_parse_nested(tb, VGPU_A_QUOTA_MAX, nest, vgpu_quota_policy,
			       extack);
	if (ret)
		return ret;
	for (key = VGPU_A_QUOTA_GGTT; key <= VGPU_A_QUOTA_MAX; key++) {
		if (!tb[key])
			continue;
		any = q->has[key] = true;
		if (vgpu_quota_key_bytes(key))
			q->val[key] = nla_get_u64(tb[key]);
		else if (key == VGPU_A_QUOTA_PRIORITY)
			q->val[key] = nla_get_u8(tb[key]);
		else
			q->val[key] = nla_get_u32(tb[key]);
	}
	if (!any) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "empty quota: give at least one key");
		return -EINVAL;
	}
	return 0;
}

static int vgpu_genl_put_res_attrs(struct sk_buff *skb,
				   const struct vgpu_res_node *n)
{
	if (nla_put_string(skb, VGPU_A_RES_NAME, n->name) ||
	    nla_put_u8(skb, VGPU_A_RES_UNIT, n->unit) ||
	    (n->has_size &&
	     nla_put_u64_64bit(skb, VGPU_A_RES_SIZE, n->size, VGPU_A_RES_PAD)) ||
	    (!n->child &&
	     nla_put_u64_64bit(skb, VGPU_A_RES_OCC, n->occ, VGPU_A_RES_PAD)) ||
	    (n->has_free &&
	     nla_put_u64_64bit(skb, VGPU_A_RES_FREE, n->free, VGPU_A_RES_PAD)) ||
	    (n->has_max &&
	     nla_put_u64_64bit(skb, VGPU_A_RES_MAX_QUOTA, n->max, VGPU_A_RES_PAD)))
		return -EMSGSIZE;
	return 0;
}

/* Where a report stopped: resource @top, its child @child. */
struct vgpu_res_cursor {
	unsigned int top, child;
};

/*
 * Puts the report of @vdev from @cur on. A GVT-g parent with thousands of
 * mdevs does not fit one message: then what fits is put, the resource
 * being filled is closed after its last child that fit, and @cur says
 * where the next message starts; that message names the same resource
 * again (with the same figures) and carries the children that follow.
 * Returns 0 when the rest of the report fit, -EMSGSIZE otherwise.
 */
static int vgpu_genl_put_report(struct sk_buff *skb, struct vgpu_dev *vdev,
				const struct vgpu_res_report *r,
				struct vgpu_res_cursor *cur)
{
	unsigned int ntops = vgpu_res_count(r), nkids, first;
	struct nlattr *top, *kid;
	struct vgpu_res_node n;

	if (nla_put_string(skb, VGPU_A_DEV_HANDLE,
			   vgpu_handle(&vdev->pdev->dev).s) ||
	    (r->layout &&
	     nla_put_string(skb, VGPU_A_DEV_PROVISIONING, r->layout)))
		return -EMSGSIZE;
	for (; cur->top < ntops; cur->top++, cur->child = 0) {
		vgpu_res_top(r, cur->top, &n);
		top = nla_nest_start(skb, VGPU_A_RESOURCE);
		if (!top)
			return -EMSGSIZE;
		if (vgpu_genl_put_res_attrs(skb, &n)) {
			nla_nest_cancel(skb, top);
			return -EMSGSIZE;
		}
		nkids = vgpu_res_nchildren(r, cur->top);
		for (first = cur->child; cur->child < nkids; cur->child++) {
			vgpu_res_child_of(r, cur->top, cur->child, &n);
			kid = nla_nest_start(skb, VGPU_A_RES_CHILD);
			if (!kid || vgpu_genl_put_res_attrs(skb, &n)) {
				if (kid)
					nla_nest_cancel(skb, kid);
				/* A resource without the children it has is no use. */
				if (cur->child == first)
					nla_nest_cancel(skb, top);
				else
					nla_nest_end(skb, top);
				return -EMSGSIZE;
			}
			nla_nest_end(skb, kid);
		}
		nla_nest_end(skb, top);
	}
	return 0;
}

/*
 * RESOURCE_GET do: the report in one message, which holds the biggest
 * SR-IOV report and hundreds of mdevs; the dump (what vgpu-nl uses) has
 * no limit.
 */
int vgpu_genl_res_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vgpu_res_cursor cur = {};
	struct vgpu_res_report *r;
	struct vgpu_dev *vdev;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	vdev = vgpu_genl_dev(info);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	ret = -ENOMEM;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		goto out_put;
	ret = vgpu_res_build(vdev, r);
	if (ret)
		goto out_free;
	ret = -ENOMEM;
	msg = genlmsg_new(VGPU_RES_DO_SIZE, GFP_KERNEL);
	if (!msg)
		goto out_report;
	hdr = genlmsg_put_reply(msg, info, &vgpu_genl_family, 0,
				info->genlhdr->cmd);
	ret = hdr ? vgpu_genl_put_report(msg, vdev, r, &cur) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG(info->extack,
			       "report too big for one message: dump it (with the device as filter)");
		goto out_report;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out_report:
	vgpu_res_free(r);
out_free:
	kfree(r);
out_put:
	vgpu_dev_put(vdev);
	return ret;
}

/*
 * One message per device, more where a report does not fit one (see
 * vgpu_genl_put_report()). Resumable: cb->args[0] is the device's index,
 * args[1] and args[2] the resource and child to go on with, args[3] the
 * report being sent, kept from one part to the next so that it is read
 * from the drivers once (vgpu_genl_res_get_done() frees it). The registry
 * and mdev generations go into cb->seq, so a change between two parts
 * marks the dump inconsistent (NLM_F_DUMP_INTR) and the client restarts.
 */
int vgpu_genl_res_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vgpu_res_cursor cur = { cb->args[1], cb->args[2] }, start;
	struct vgpu_res_report *r = (struct vgpu_res_report *)cb->args[3];
	struct nlattr **attrs = vgpu_dump_attrs(cb);
	struct vgpu_dev *only = NULL, *vdev;
	unsigned long idx = cb->args[0];
	unsigned int gen;
	void *hdr;
	int ret = 0;

	if (attrs[VGPU_A_DEV_HANDLE]) {
		only = vgpu_dev_lookup(nla_data(attrs[VGPU_A_DEV_HANDLE]),
				       cb->extack);
		if (IS_ERR(only))
			return PTR_ERR(only);
	}
	while ((vdev = vgpu_dev_get_nth(idx, &gen))) {
		cb->seq = gen ^ (vgpu_mdev_generation() << 16);
		if (only && vdev != only)
			goto next;
		if (!r) {
			r = kzalloc(sizeof(*r), GFP_KERNEL);
			ret = r ? vgpu_res_build(vdev, r) : -ENOMEM;
			if (ret) {
				kfree(r);
				r = NULL;
				vgpu_dev_put(vdev);
				break;
			}
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &vgpu_genl_family,
				  NLM_F_MULTI, VGPU_CMD_RESOURCE_GET);
		start = cur;
		ret = hdr ? vgpu_genl_put_report(skb, vdev, r, &cur) : -EMSGSIZE;
		if (hdr) {
			genl_dump_check_consistent(cb, hdr);
			/* Part of a report is worth a message; none is not. */
			if (!ret || memcmp(&cur, &start, sizeof(cur)))
				genlmsg_end(skb, hdr);
			else
				genlmsg_cancel(skb, hdr);
		}
		if (ret) {
			vgpu_dev_put(vdev);
			break;
		}
		vgpu_res_free(r);
		kfree(r);
		r = NULL;
next:
		vgpu_dev_put(vdev);
		idx++;
		cur.top = cur.child = 0;
	}
	cb->args[0] = idx;
	cb->args[1] = cur.top;
	cb->args[2] = cur.child;
	cb->args[3] = (unsigned long)r;
	/* Nothing fit an empty skb: an error, not the end. */
	if (ret && skb->len)
		ret = 0;
	if (only)
		vgpu_dev_put(only);
	return ret ? ret : skb->len;
}

int vgpu_genl_res_get_done(struct netlink_callback *cb)
{
	struct vgpu_res_report *r = (struct vgpu_res_report *)cb->args[3];

	if (r) {
		vgpu_res_free(r);
		kfree(r);
		cb->args[3] = 0;
	}
	return 0;
}
