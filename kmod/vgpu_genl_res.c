// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink glue for RESOURCE_GET and the VF quota nest: translates,
 * never decides.
 */
#include <net/genetlink.h>

#include "vgpu_compat.h"
#include "vgpu_core.h"
#include "vgpu_prov.h"
#include "vgpu_resource.h"

const struct nla_policy vgpu_quota_policy[VGPU_A_QUOTA_MAX + 1] = {
	[VGPU_A_QUOTA_GGTT] = { .type = NLA_U64 },
	[VGPU_A_QUOTA_CONTEXTS] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_DOORBELLS] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_VRAM] = { .type = NLA_U64 },
	[VGPU_A_QUOTA_EXEC_QUANTUM_MS] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_PREEMPT_TIMEOUT_US] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_PRIORITY] = NLA_POLICY_MAX(NLA_U8, VGPU_PRIORITY_HIGH),
};

static bool vgpu_quota_is_u64(int key)
{
	return key == VGPU_A_QUOTA_GGTT || key == VGPU_A_QUOTA_VRAM;
}

/* The VF's quotas as a VGPU_A_VF_QUOTA nest; nothing without a layout. */
int vgpu_genl_put_quota(struct sk_buff *skb, struct pci_dev *vf)
{
	struct vgpu_quota q;
	struct vgpu_prov p;
	struct nlattr *nest;
	int key, ret = 0;

	if (vgpu_prov_find(vf->physfn, &p))
		return 0;
	vgpu_prov_get_quota(&p, pci_iov_vf_id(vf) + 1, &q);
	nest = nla_nest_start(skb, VGPU_A_VF_QUOTA);
	if (!nest)
		return -EMSGSIZE;
	for (key = VGPU_A_QUOTA_GGTT; key <= VGPU_A_QUOTA_MAX && !ret; key++) {
		if (!q.has[key])
			continue;
		if (vgpu_quota_is_u64(key))
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
		if (vgpu_quota_is_u64(key))
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

static int vgpu_genl_put_res_node(struct sk_buff *skb, int attr,
				  const struct vgpu_res_node *n)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, VGPU_A_RES_NAME, n->name) ||
	    nla_put_u8(skb, VGPU_A_RES_UNIT, n->unit) ||
	    (n->has_size &&
	     nla_put_u64_64bit(skb, VGPU_A_RES_SIZE, n->size, VGPU_A_RES_PAD)) ||
	    (!n->child &&
	     nla_put_u64_64bit(skb, VGPU_A_RES_OCC, n->occ, VGPU_A_RES_PAD)) ||
	    (n->has_free &&
	     nla_put_u64_64bit(skb, VGPU_A_RES_FREE, n->free, VGPU_A_RES_PAD)) ||
	    (n->has_max &&
	     nla_put_u64_64bit(skb, VGPU_A_RES_MAX_QUOTA, n->max, VGPU_A_RES_PAD))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	return 0;	/* left open for the children; see below */
}

/* One device's report: the handle, the layout, then each resource. */
static int vgpu_genl_put_report(struct sk_buff *skb, struct vgpu_dev *vdev,
				const struct vgpu_res_report *r)
{
	struct nlattr *top = NULL, *child;
	char handle[VGPU_HANDLE_MAX];
	unsigned int i;

	vgpu_dev_handle(vdev, handle, sizeof(handle));
	if (nla_put_string(skb, VGPU_A_DEV_HANDLE, handle) ||
	    (r->layout &&
	     nla_put_string(skb, VGPU_A_DEV_PROVISIONING, r->layout)))
		return -EMSGSIZE;
	for (i = 0; i < r->n; i++) {
		if (!r->nodes[i].child) {
			if (top)
				nla_nest_end(skb, top);
			top = (struct nlattr *)skb_tail_pointer(skb);
			if (vgpu_genl_put_res_node(skb, VGPU_A_RESOURCE,
						   &r->nodes[i]))
				return -EMSGSIZE;
			continue;
		}
		child = (struct nlattr *)skb_tail_pointer(skb);
		if (!top || vgpu_genl_put_res_node(skb, VGPU_A_RES_CHILD,
						   &r->nodes[i]))
			return -EMSGSIZE;
		nla_nest_end(skb, child);
	}
	if (top)
		nla_nest_end(skb, top);
	return 0;
}

/* What a report takes on the wire, with room to spare. */
static size_t vgpu_genl_report_size(const struct vgpu_res_report *r)
{
	return NLMSG_GOODSIZE + r->n * (nla_total_size(40) + 6 * 12 + 8);
}

int vgpu_genl_res_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vgpu_res_report r;
	struct vgpu_dev *vdev;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	vdev = vgpu_genl_dev(info);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	ret = vgpu_res_build(vdev, &r);
	if (ret)
		goto out_put;
	ret = -ENOMEM;
	msg = genlmsg_new(vgpu_genl_report_size(&r), GFP_KERNEL);
	if (!msg)
		goto out_free;
	ret = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &vgpu_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || vgpu_genl_put_report(msg, vdev, &r)) {
		nlmsg_free(msg);
		goto out_free;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out_free:
	vgpu_res_free(&r);
out_put:
	vgpu_dev_put(vdev);
	return ret;
}

static int vgpu_genl_fill_report(struct sk_buff *skb, struct vgpu_dev *vdev)
{
	struct vgpu_res_report r;
	int ret;

	ret = vgpu_res_build(vdev, &r);
	if (ret)
		return ret;
	ret = vgpu_genl_put_report(skb, vdev, &r);
	vgpu_res_free(&r);
	return ret;
}

int vgpu_genl_res_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vgpu_genl_dump_devs(skb, cb, VGPU_CMD_RESOURCE_GET,
				   vgpu_genl_fill_report);
}
