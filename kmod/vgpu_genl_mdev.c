// SPDX-License-Identifier: GPL-2.0
/* Generic netlink glue for mdev types and mdevs: translates, never decides. */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "vgpu_compat.h"
#include "vgpu_genl.h"
#include "vgpu_handle.h"
#include "vgpu_mdev.h"
#include "vgpu_nl.h"
#include "vgpu_registry.h"

/* More types than any driver registers (i915: 4). */
#define VGPU_MAX_TYPES 32

static int vgpu_genl_put_type(struct sk_buff *skb, struct vgpu_dev *vdev,
			      const struct vgpu_type_info *t)
{
	if (nla_put_string(skb, VGPU_A_DEV_HANDLE,
			   vgpu_handle(&vdev->pdev->dev).s) ||
	    nla_put_string(skb, VGPU_A_TYPE_NAME, t->name) ||
	    nla_put_string(skb, VGPU_A_TYPE_DEVICE_API, t->device_api) ||
	    nla_put_u32(skb, VGPU_A_TYPE_AVAILABLE, t->available) ||
	    nla_put_string(skb, VGPU_A_TYPE_DESCRIPTION, t->description))
		return -EMSGSIZE;
	if (t->pretty_name[0] &&
	    nla_put_string(skb, VGPU_A_TYPE_PRETTY_NAME, t->pretty_name))
		return -EMSGSIZE;
	if (t->gvt &&
	    (nla_put_u32(skb, VGPU_A_TYPE_LOW_GM_MB, t->low_gm_mb) ||
	     nla_put_u32(skb, VGPU_A_TYPE_HIGH_GM_MB, t->high_gm_mb) ||
	     nla_put_u32(skb, VGPU_A_TYPE_FENCE, t->fence) ||
	     nla_put_string(skb, VGPU_A_TYPE_RESOLUTION, t->resolution) ||
	     nla_put_u32(skb, VGPU_A_TYPE_WEIGHT, t->weight)))
		return -EMSGSIZE;
	return 0;
}

static int vgpu_genl_put_mdev(struct sk_buff *skb,
			      const struct vgpu_mdev_info *m)
{
	if (nla_put_string(skb, VGPU_A_MDEV_UUID, m->uuid) ||
	    nla_put_string(skb, VGPU_A_MDEV_PARENT, m->parent.s) ||
	    nla_put_string(skb, VGPU_A_MDEV_TYPE, m->type) ||
	    nla_put_u8(skb, VGPU_A_MDEV_OWNED, m->owned) ||
	    nla_put_u8(skb, VGPU_A_MDEV_REMOVING, m->removing))
		return -EMSGSIZE;
	if (m->driver[0] && nla_put_string(skb, VGPU_A_MDEV_DRIVER, m->driver))
		return -EMSGSIZE;
	if (m->iommu_group >= 0 &&
	    nla_put_u32(skb, VGPU_A_MDEV_IOMMU_GROUP, m->iommu_group))
		return -EMSGSIZE;
	/* Known or not asked: absent tells userspace to look itself. */
	if (m->in_use >= 0 && nla_put_u8(skb, VGPU_A_MDEV_IN_USE, m->in_use))
		return -EMSGSIZE;
	return 0;
}

/* A one-message reply built by @put from @obj. */
static int vgpu_genl_reply(struct genl_info *info, u8 cmd,
			   int (*put)(struct sk_buff *, const void *),
			   const void *obj)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vgpu_genl_family, 0, cmd);
	if (!hdr || put(msg, obj)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

struct vgpu_type_ctx {
	struct vgpu_dev *vdev;
	struct vgpu_type_info info;
};

static int vgpu_genl_put_type_ctx(struct sk_buff *skb, const void *obj)
{
	const struct vgpu_type_ctx *c = obj;

	return vgpu_genl_put_type(skb, c->vdev, &c->info);
}

static int vgpu_genl_put_mdev_obj(struct sk_buff *skb, const void *obj)
{
	return vgpu_genl_put_mdev(skb, obj);
}

int vgpu_genl_type_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vgpu_type_ctx *c;
	int ret;

	if (VGPU_REQUIRE(info, VGPU_A_TYPE_NAME, "mdev type name"))
		return -EINVAL;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->vdev = vgpu_genl_dev(info);
	if (IS_ERR(c->vdev)) {
		ret = PTR_ERR(c->vdev);
		goto out_free;
	}
	ret = vgpu_mdev_type_get(c->vdev->pdev,
				 nla_data(info->attrs[VGPU_A_TYPE_NAME]),
				 &c->info, info->extack);
	if (!ret)
		ret = vgpu_genl_reply(info, VGPU_CMD_TYPE_GET,
				      vgpu_genl_put_type_ctx, c);
	vgpu_dev_put(c->vdev);
out_free:
	kfree(c);
	return ret;
}

/*
 * Resumable over (device index, type index) in cb->args[0..1]. Types do not
 * change while a parent is bound, so only the registry generation matters.
 */
int vgpu_genl_type_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = vgpu_dump_attrs(cb);
	unsigned long dev_idx = cb->args[0], type_idx = cb->args[1];
	char (*names)[VGPU_TYPE_NAME_MAX];
	struct vgpu_dev *only = NULL;
	struct vgpu_type_ctx *c;
	unsigned int gen;
	int n, ret = 0;
	void *hdr;

	if (attrs[VGPU_A_DEV_HANDLE]) {
		only = vgpu_dev_lookup(nla_data(attrs[VGPU_A_DEV_HANDLE]),
				       cb->extack);
		if (IS_ERR(only))
			return PTR_ERR(only);
	}
	names = kcalloc(VGPU_MAX_TYPES, VGPU_TYPE_NAME_MAX, GFP_KERNEL);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!names || !c) {
		ret = -ENOMEM;
		goto out;
	}

	while (!ret && (c->vdev = vgpu_dev_get_nth(dev_idx, &gen))) {
		cb->seq = gen;
		n = 0;
		if (!only || c->vdev == only)	/* < 0: not an mdev parent */
			n = clamp(vgpu_mdev_type_list(c->vdev->pdev, names,
						      VGPU_MAX_TYPES),
				  0, VGPU_MAX_TYPES);
		for (; type_idx < n; type_idx++) {
			if (vgpu_mdev_type_get(c->vdev->pdev, names[type_idx],
					       &c->info, NULL))
				continue;	/* went away with its parent */
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, &vgpu_genl_family,
					  NLM_F_MULTI, VGPU_CMD_TYPE_GET);
			if (!hdr) {
				ret = -EMSGSIZE;
				break;
			}
			genl_dump_check_consistent(cb, hdr);
			ret = vgpu_genl_put_type(skb, c->vdev, &c->info);
			if (ret) {
				genlmsg_cancel(skb, hdr);
				break;
			}
			genlmsg_end(skb, hdr);
		}
		vgpu_dev_put(c->vdev);
		if (!ret) {
			dev_idx++;
			type_idx = 0;
		}
	}
	cb->args[0] = dev_idx;
	cb->args[1] = type_idx;
out:
	kfree(names);
	kfree(c);
	if (only)
		vgpu_dev_put(only);
	if (ret && (ret != -EMSGSIZE || !skb->len))
		return ret;
	return skb->len;
}

/*
 * The UUID in VGPU_A_MDEV_UUID, in the one form mdev's create file takes;
 * the core gets it parsed.
 */
static int vgpu_genl_uuid(struct genl_info *info, guid_t *uuid)
{
	struct nlattr *attr = info->attrs[VGPU_A_MDEV_UUID];

	if (strlen(nla_data(attr)) != VGPU_UUID_LEN ||
	    guid_parse(nla_data(attr), uuid)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "malformed UUID, expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
		return -EINVAL;
	}
	return 0;
}

int vgpu_genl_mdev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vgpu_mdev_info *m;
	guid_t uuid;
	int ret;

	if (VGPU_REQUIRE(info, VGPU_A_MDEV_UUID, "mdev UUID"))
		return -EINVAL;
	ret = vgpu_genl_uuid(info, &uuid);
	if (ret)
		return ret;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	ret = vgpu_mdev_get(&uuid, m, true, info->extack);
	if (ret)
		NL_SET_BAD_ATTR(info->extack, info->attrs[VGPU_A_MDEV_UUID]);
	else
		ret = vgpu_genl_reply(info, VGPU_CMD_MDEV_GET,
				      vgpu_genl_put_mdev_obj, m);
	kfree(m);
	return ret;
}

struct vgpu_mdev_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const unsigned int *gen;	/* read under the walk's lock */
	int ret;
};

static int vgpu_genl_mdev_dump_one(void *data, const struct vgpu_mdev_info *m)
{
	struct vgpu_mdev_dump *d = data;
	void *hdr;

	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &vgpu_genl_family,
			  NLM_F_MULTI, VGPU_CMD_MDEV_GET);
	if (!hdr) {
		d->ret = -EMSGSIZE;
		return d->ret;
	}
	d->cb->seq = *d->gen;
	genl_dump_check_consistent(d->cb, hdr);
	d->ret = vgpu_genl_put_mdev(d->skb, m);
	if (d->ret) {
		genlmsg_cancel(d->skb, hdr);
		return d->ret;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

/*
 * Resumable: cb->args[0] is the index of the next mdev (of the filtered
 * parent); mdev arrivals and departures bump the generation in cb->seq.
 */
int vgpu_genl_mdev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = vgpu_dump_attrs(cb);
	struct vgpu_mdev_dump d = { .skb = skb, .cb = cb };
	const char *parent = NULL;
	unsigned int gen;

	d.gen = &gen;
	if (attrs[VGPU_A_DEV_HANDLE])
		parent = nla_data(attrs[VGPU_A_DEV_HANDLE]);
	cb->args[0] = vgpu_mdev_for_each(cb->args[0], parent,
					 vgpu_genl_mdev_dump_one, &d, &gen);
	if (d.ret && !skb->len)
		return d.ret;
	return skb->len;
}

int vgpu_genl_mdev_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool have_uuid = info->attrs[VGPU_A_MDEV_UUID];
	struct vgpu_mdev_info *m;
	struct vgpu_dev *vdev;
	guid_t uuid;
	int ret;

	if (VGPU_REQUIRE(info, VGPU_A_TYPE_NAME, "mdev type name"))
		return -EINVAL;
	if (have_uuid) {
		ret = vgpu_genl_uuid(info, &uuid);
		if (ret)
			return ret;
	}
	vdev = vgpu_genl_dev(info);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	ret = vgpu_mdev_create(vdev->pdev, nla_data(info->attrs[VGPU_A_TYPE_NAME]),
			       &uuid, have_uuid, info->extack);
	vgpu_dev_put(vdev);
	if (ret)
		return ret;

	/* Reply with the new mdev, so the caller learns a generated UUID. */
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	ret = vgpu_mdev_get(&uuid, m, false, info->extack);
	if (!ret)
		ret = vgpu_genl_reply(info, VGPU_CMD_MDEV_ADD,
				      vgpu_genl_put_mdev_obj, m);
	kfree(m);
	return ret;
}

int vgpu_genl_mdev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	guid_t uuid;
	int ret;

	if (VGPU_REQUIRE(info, VGPU_A_MDEV_UUID, "mdev UUID"))
		return -EINVAL;
	ret = vgpu_genl_uuid(info, &uuid);
	if (ret)
		return ret;
	ret = vgpu_mdev_remove(&uuid, nla_get_flag(info->attrs[VGPU_A_FORCE]),
			       info->attrs[VGPU_A_MDEV_IF_UNUSED], info->extack);
	if (ret == -ENODEV)
		NL_SET_BAD_ATTR(info->extack, info->attrs[VGPU_A_MDEV_UUID]);
	return ret;
}
