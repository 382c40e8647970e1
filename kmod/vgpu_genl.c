// SPDX-License-Identifier: GPL-2.0
/*
 * The "vgpu" generic netlink family: policies, ops and message layout.
 * This file translates between attributes and the core; it decides nothing.
 * Documentation/netlink/specs/vgpu.yaml describes the same family for YNL.
 */
#include <net/genetlink.h>

#include "vgpu_compat.h"
#include "vgpu_dev.h"
#include "vgpu_genl.h"
#include "vgpu_mdev.h"
#include "vgpu_handle.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"
#include "vgpu_sriov.h"

static const struct nla_policy vgpu_none_policy[VGPU_A_MAX + 1] = {};

static const struct nla_policy vgpu_dev_get_policy[VGPU_A_MAX + 1] = {
	[VGPU_A_DEV_HANDLE] = { .type = NLA_NUL_STRING, .len = VGPU_HANDLE_MAX - 1 },
};

static const struct nla_policy vgpu_sriov_set_policy[VGPU_A_SRIOV_MAX + 1] = {
	[VGPU_A_SRIOV_NUMVFS] = { .type = NLA_U16 },
	[VGPU_A_SRIOV_AUTOPROBE] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy vgpu_dev_set_policy[VGPU_A_MAX + 1] = {
	[VGPU_A_DEV_HANDLE] = { .type = NLA_NUL_STRING, .len = VGPU_HANDLE_MAX - 1 },
	[VGPU_A_DEV_SRIOV] = NLA_POLICY_NESTED(vgpu_sriov_set_policy),
	[VGPU_A_DEV_PROV_MODE] = NLA_POLICY_RANGE(NLA_U8, VGPU_PROV_MODE_AUTO,
						  VGPU_PROV_MODE_CUSTOM),
	[VGPU_A_DEV_PROFILE] = NLA_POLICY_NESTED(vgpu_quota_policy),
	[VGPU_A_FORCE] = { .type = NLA_FLAG },
};

/* VF_GET do takes a VF handle; its dump may be narrowed to one PF. */
static const struct nla_policy vgpu_vf_get_policy[VGPU_A_MAX + 1] = {
	[VGPU_A_DEV_HANDLE] = { .type = NLA_NUL_STRING, .len = VGPU_HANDLE_MAX - 1 },
	[VGPU_A_VF_HANDLE] = { .type = NLA_NUL_STRING, .len = VGPU_HANDLE_MAX - 1 },
};

static const struct nla_policy vgpu_vf_set_policy[VGPU_A_MAX + 1] = {
	[VGPU_A_VF_HANDLE] = { .type = NLA_NUL_STRING, .len = VGPU_HANDLE_MAX - 1 },
	[VGPU_A_VF_DRIVER_OVERRIDE] = { .type = NLA_NUL_STRING, .len = 31 },
	[VGPU_A_VF_QUOTA] = NLA_POLICY_NESTED(vgpu_quota_policy),
	[VGPU_A_VF_CONTROL] = NLA_POLICY_RANGE(NLA_U8, VGPU_VF_CONTROL_STOP,
					       VGPU_VF_CONTROL_RESET),
};

int vgpu_genl_put_dev(struct sk_buff *skb, const struct vgpu_dev_info *info)
{
	struct nlattr *nest;

	if (nla_put_string(skb, VGPU_A_DEV_HANDLE, info->handle.s) ||
	    nla_put_u16(skb, VGPU_A_DEV_VENDOR, info->vendor) ||
	    nla_put_u16(skb, VGPU_A_DEV_DEVICE, info->device) ||
	    nla_put_u16(skb, VGPU_A_DEV_SUBSYS_VENDOR, info->subsys_vendor) ||
	    nla_put_u16(skb, VGPU_A_DEV_SUBSYS_DEVICE, info->subsys_device) ||
	    nla_put_u32(skb, VGPU_A_DEV_CLASS, info->class) ||
	    nla_put_u8(skb, VGPU_A_DEV_MDEV_PARENT, info->mdev_parent))
		return -EMSGSIZE;
	if (info->mdev_parent &&
	    nla_put_u32(skb, VGPU_A_DEV_MDEV_TYPES, info->mdev_types))
		return -EMSGSIZE;
	if (info->driver[0] &&
	    nla_put_string(skb, VGPU_A_DEV_DRIVER, info->driver))
		return -EMSGSIZE;
	if (info->iommu_group >= 0 &&
	    nla_put_u32(skb, VGPU_A_DEV_IOMMU_GROUP, info->iommu_group))
		return -EMSGSIZE;
	if (!info->is_pf)
		return 0;

	nest = nla_nest_start(skb, VGPU_A_DEV_SRIOV);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, VGPU_A_SRIOV_TOTALVFS, info->totalvfs) ||
	    nla_put_u16(skb, VGPU_A_SRIOV_NUMVFS, info->numvfs) ||
	    nla_put_u8(skb, VGPU_A_SRIOV_AUTOPROBE, info->autoprobe)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vgpu_genl_version_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vgpu_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr)
		goto err_free;
	if (nla_put_string(msg, VGPU_A_VERSION, VGPU_NL_VERSION) ||
	    nla_put_u32(msg, VGPU_A_API_VERSION, VGPU_API_VERSION) ||
	    nla_put_u32(msg, VGPU_A_EVENT_SEQ, vgpu_genl_event_last_seq()))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* TYPE_GET do needs both; its dump and MDEV_GET's may name a parent. */
static const struct nla_policy vgpu_type_get_policy[VGPU_A_MAX + 1] = {
	[VGPU_A_DEV_HANDLE] = { .type = NLA_NUL_STRING, .len = VGPU_HANDLE_MAX - 1 },
	[VGPU_A_TYPE_NAME] = { .type = NLA_NUL_STRING, .len = VGPU_TYPE_NAME_MAX - 1 },
};

static const struct nla_policy vgpu_mdev_get_policy[VGPU_A_MAX + 1] = {
	[VGPU_A_DEV_HANDLE] = { .type = NLA_NUL_STRING, .len = VGPU_HANDLE_MAX - 1 },
	[VGPU_A_MDEV_UUID] = { .type = NLA_NUL_STRING, .len = VGPU_UUID_LEN },
};

static const struct nla_policy vgpu_mdev_add_policy[VGPU_A_MAX + 1] = {
	[VGPU_A_DEV_HANDLE] = { .type = NLA_NUL_STRING, .len = VGPU_HANDLE_MAX - 1 },
	[VGPU_A_TYPE_NAME] = { .type = NLA_NUL_STRING, .len = VGPU_TYPE_NAME_MAX - 1 },
	[VGPU_A_MDEV_UUID] = { .type = NLA_NUL_STRING, .len = VGPU_UUID_LEN },
};

static const struct nla_policy vgpu_mdev_del_policy[VGPU_A_MAX + 1] = {
	[VGPU_A_MDEV_UUID] = { .type = NLA_NUL_STRING, .len = VGPU_UUID_LEN },
	[VGPU_A_FORCE] = { .type = NLA_FLAG },
	[VGPU_A_MDEV_IF_UNUSED] = { .type = NLA_FLAG },
};

/* The device named by VGPU_A_DEV_HANDLE, with a reference, or an ERR_PTR. */
struct vgpu_dev *vgpu_genl_dev(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[VGPU_A_DEV_HANDLE];
	struct vgpu_dev *vdev;

	if (VGPU_REQUIRE(info, VGPU_A_DEV_HANDLE, "device handle"))
		return ERR_PTR(-EINVAL);
	vdev = vgpu_dev_lookup(nla_data(attr), info->extack);
	if (IS_ERR(vdev))
		NL_SET_BAD_ATTR(info->extack, attr);
	return vdev;
}

static int vgpu_genl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vgpu_dev_info dinfo;
	struct vgpu_dev *vdev;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	vdev = vgpu_genl_dev(info);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);

	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out_put;
	ret = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &vgpu_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr)
		goto out_free;
	vgpu_dev_get_info(vdev, &dinfo);
	if (vgpu_genl_put_dev(msg, &dinfo) ||
	    vgpu_genl_put_prov(msg, vdev->pdev))
		goto out_free;
	genlmsg_end(msg, hdr);
	vgpu_dev_put(vdev);
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
out_put:
	vgpu_dev_put(vdev);
	return ret;
}

/*
 * A dump with one message per managed device, @fill adding the device's
 * attributes. Resumable: cb->args[0] is the index of the next device. The
 * registry generation goes into cb->seq, so a device added or removed
 * between two parts of the dump marks the next part NLM_F_DUMP_INTR.
 */
int vgpu_genl_dump_devs(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd, int (*fill)(struct sk_buff *skb,
					    struct vgpu_dev *vdev))
{
	unsigned long idx = cb->args[0];
	struct vgpu_dev *vdev;
	unsigned int gen;
	void *hdr;
	int ret = 0;

	while ((vdev = vgpu_dev_get_nth(idx, &gen))) {
		cb->seq = gen;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &vgpu_genl_family,
				  NLM_F_MULTI, cmd);
		if (!hdr) {
			ret = -EMSGSIZE;
		} else {
			genl_dump_check_consistent(cb, hdr);
			ret = fill(skb, vdev);
			if (ret)
				genlmsg_cancel(skb, hdr);
			else
				genlmsg_end(skb, hdr);
		}
		vgpu_dev_put(vdev);
		if (ret)
			break;
		idx++;
	}
	cb->args[0] = idx;
	/* A device too big for an empty skb is an error, not the end. */
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

static int vgpu_genl_fill_dev(struct sk_buff *skb, struct vgpu_dev *vdev)
{
	struct vgpu_dev_info dinfo;

	vgpu_dev_get_info(vdev, &dinfo);
	return vgpu_genl_put_dev(skb, &dinfo) ?:
	       vgpu_genl_put_prov(skb, vdev->pdev);
}

static int vgpu_genl_dev_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	return vgpu_genl_dump_devs(skb, cb, VGPU_CMD_DEV_GET, vgpu_genl_fill_dev);
}

/* DEV_SET's reply to a mode change: where the mode is, what it took. */
static int vgpu_genl_dev_set_reply(struct genl_info *info,
				   struct vgpu_dev *vdev,
				   const struct vgpu_sriov_req *req)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vgpu_genl_family, 0,
				VGPU_CMD_DEV_SET);
	if (!hdr ||
	    nla_put_string(msg, VGPU_A_DEV_HANDLE, vgpu_handle(&vdev->pdev->dev).s) ||
	    nla_put_u8(msg, VGPU_A_DEV_PROV_MODE, req->prov_mode) ||
	    nla_put_u16(msg, VGPU_A_DEV_PROV_CYCLED, req->cycled)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int vgpu_genl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[VGPU_A_SRIOV_MAX + 1] = {};
	struct nlattr *nest = info->attrs[VGPU_A_DEV_SRIOV];
	struct nlattr *mode = info->attrs[VGPU_A_DEV_PROV_MODE];
	struct nlattr *profile = info->attrs[VGPU_A_DEV_PROFILE];
	struct vgpu_sriov_req req = {};
	struct vgpu_quota q;
	struct vgpu_dev *vdev;
	int ret;

	if (!nest && !mode && !profile) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give SR-IOV settings, a provisioning mode or a profile");
		return -EINVAL;
	}
	if (nest) {
		ret = nla_parse_nested(tb, VGPU_A_SRIOV_MAX, nest,
				       vgpu_sriov_set_policy, info->extack);
		if (ret)
			return ret;
		if (!tb[VGPU_A_SRIOV_NUMVFS] && !tb[VGPU_A_SRIOV_AUTOPROBE]) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "nothing to set: give numvfs or autoprobe");
			return -EINVAL;
		}
	}
	if (profile) {
		ret = vgpu_genl_parse_quota(profile, &q, info->extack);
		if (ret)
			return ret;
	}
	req.numvfs = tb[VGPU_A_SRIOV_NUMVFS] ?
		     nla_get_u16(tb[VGPU_A_SRIOV_NUMVFS]) : -1;
	req.autoprobe = tb[VGPU_A_SRIOV_AUTOPROBE] ?
			nla_get_u8(tb[VGPU_A_SRIOV_AUTOPROBE]) : -1;
	req.prov_mode = mode ? nla_get_u8(mode) : 0;
	req.force = nla_get_flag(info->attrs[VGPU_A_FORCE]);

	vdev = vgpu_genl_dev(info);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	ret = 0;
	if (nest || mode)
		ret = vgpu_sriov_set(vdev, &req, info->extack);
	if (!ret && profile)
		ret = vgpu_prov_set_profile(vdev, &q, info->extack);
	if (!ret && mode)
		ret = vgpu_genl_dev_set_reply(info, vdev, &req);
	vgpu_dev_put(vdev);
	return ret;
}

/* The handlers, wrapped where the kernel needs it (vgpu_compat.h). */
VGPU_GENL_WRAP_DOIT(vgpu_genl_version_get)
VGPU_GENL_WRAP_DOIT(vgpu_genl_dev_get_doit)
VGPU_GENL_WRAP_DUMPIT(vgpu_genl_dev_get_dumpit)
VGPU_GENL_WRAP_DOIT(vgpu_genl_dev_set_doit)
VGPU_GENL_WRAP_DOIT(vgpu_genl_vf_get_doit)
VGPU_GENL_WRAP_DUMPIT(vgpu_genl_vf_get_dumpit)
VGPU_GENL_WRAP_DOIT(vgpu_genl_vf_set_doit)
VGPU_GENL_WRAP_DOIT(vgpu_genl_type_get_doit)
VGPU_GENL_WRAP_DUMPIT(vgpu_genl_type_get_dumpit)
VGPU_GENL_WRAP_DOIT(vgpu_genl_mdev_get_doit)
VGPU_GENL_WRAP_DUMPIT(vgpu_genl_mdev_get_dumpit)
VGPU_GENL_WRAP_DOIT(vgpu_genl_mdev_add_doit)
VGPU_GENL_WRAP_DOIT(vgpu_genl_mdev_del_doit)
VGPU_GENL_WRAP_DOIT(vgpu_genl_res_get_doit)
VGPU_GENL_WRAP_DUMPIT(vgpu_genl_res_get_dumpit)
VGPU_GENL_WRAP_DONE(vgpu_genl_res_get_done)

static const struct genl_ops vgpu_genl_ops[] = {
	{
		.cmd = VGPU_CMD_VERSION_GET,
		.doit = VGPU_DOIT(vgpu_genl_version_get),
		.policy = vgpu_none_policy,
		.maxattr = VGPU_A_MAX,
	},
	{
		.cmd = VGPU_CMD_DEV_GET,
		.doit = VGPU_DOIT(vgpu_genl_dev_get_doit),
		.dumpit = VGPU_DUMPIT(vgpu_genl_dev_get_dumpit),
		.done = VGPU_DONE_NONE,
		.policy = vgpu_dev_get_policy,
		.maxattr = VGPU_A_MAX,
	},
	{
		.cmd = VGPU_CMD_DEV_SET,
		.doit = VGPU_DOIT(vgpu_genl_dev_set_doit),
		.policy = vgpu_dev_set_policy,
		.maxattr = VGPU_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VGPU_CMD_VF_GET,
		.doit = VGPU_DOIT(vgpu_genl_vf_get_doit),
		.dumpit = VGPU_DUMPIT(vgpu_genl_vf_get_dumpit),
		.done = VGPU_DONE_NONE,
		.policy = vgpu_vf_get_policy,
		.maxattr = VGPU_A_MAX,
	},
	{
		.cmd = VGPU_CMD_VF_SET,
		.doit = VGPU_DOIT(vgpu_genl_vf_set_doit),
		.policy = vgpu_vf_set_policy,
		.maxattr = VGPU_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VGPU_CMD_TYPE_GET,
		.doit = VGPU_DOIT(vgpu_genl_type_get_doit),
		.dumpit = VGPU_DUMPIT(vgpu_genl_type_get_dumpit),
		.done = VGPU_DONE_NONE,
		.policy = vgpu_type_get_policy,
		.maxattr = VGPU_A_MAX,
	},
	{
		.cmd = VGPU_CMD_MDEV_GET,
		.doit = VGPU_DOIT(vgpu_genl_mdev_get_doit),
		.dumpit = VGPU_DUMPIT(vgpu_genl_mdev_get_dumpit),
		.done = VGPU_DONE_NONE,
		.policy = vgpu_mdev_get_policy,
		.maxattr = VGPU_A_MAX,
	},
	{
		.cmd = VGPU_CMD_MDEV_ADD,
		.doit = VGPU_DOIT(vgpu_genl_mdev_add_doit),
		.policy = vgpu_mdev_add_policy,
		.maxattr = VGPU_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VGPU_CMD_MDEV_DEL,
		.doit = VGPU_DOIT(vgpu_genl_mdev_del_doit),
		.policy = vgpu_mdev_del_policy,
		.maxattr = VGPU_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VGPU_CMD_RESOURCE_GET,
		.doit = VGPU_DOIT(vgpu_genl_res_get_doit),
		.dumpit = VGPU_DUMPIT(vgpu_genl_res_get_dumpit),
		.done = VGPU_DONE(vgpu_genl_res_get_done),
		.policy = vgpu_dev_get_policy,
		.maxattr = VGPU_A_MAX,
	},
};

static const struct genl_multicast_group vgpu_genl_mcgrps[] = {
	[VGPU_MCGRP_MONITOR] = { .name = VGPU_GENL_MCGRP_MONITOR },
};

/*
 * Not parallel_ops: genl_mutex serialises every op, which the core relies on
 * (see "Locking" in vgpu_registry.h and vgpu_compat.h's extack texts).
 * resv_start_op stays 0: every op is strict.
 */
struct genl_family vgpu_genl_family __ro_after_init = {
	.name = VGPU_GENL_NAME,
	.version = VGPU_GENL_VERSION,
	.maxattr = VGPU_A_MAX,
	.module = THIS_MODULE,
	.ops = vgpu_genl_ops,
	.n_ops = ARRAY_SIZE(vgpu_genl_ops),
	.mcgrps = vgpu_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vgpu_genl_mcgrps),
};

int vgpu_genl_init(void)
{
	int ret;

	ret = genl_register_family(&vgpu_genl_family);
	if (ret)
		return ret;
	ret = vgpu_genl_event_init();
	if (ret)
		genl_unregister_family(&vgpu_genl_family);
	return ret;
}

void vgpu_genl_exit(void)
{
	vgpu_genl_event_exit();
	genl_unregister_family(&vgpu_genl_family);
}
