// SPDX-License-Identifier: GPL-2.0
/* Generic netlink glue for VF_GET and VF_SET: translates, never decides. */
#include <linux/pci.h>
#include <net/genetlink.h>

#include "vgpu_compat.h"
#include "vgpu_genl.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"
#include "vgpu_vf.h"

static int vgpu_genl_put_vf(struct sk_buff *skb, const struct vgpu_vf_info *info)
{
	if (nla_put_string(skb, VGPU_A_VF_HANDLE, info->handle.s) ||
	    nla_put_string(skb, VGPU_A_VF_PF, info->pf.s) ||
	    nla_put_u16(skb, VGPU_A_VF_INDEX, info->index) ||
	    nla_put_u8(skb, VGPU_A_VF_ASSIGNED, info->assigned))
		return -EMSGSIZE;
	if (info->driver[0] &&
	    nla_put_string(skb, VGPU_A_VF_DRIVER, info->driver))
		return -EMSGSIZE;
	if (info->override[0] &&
	    nla_put_string(skb, VGPU_A_VF_DRIVER_OVERRIDE, info->override))
		return -EMSGSIZE;
	if (info->iommu_group >= 0 &&
	    nla_put_u32(skb, VGPU_A_VF_IOMMU_GROUP, info->iommu_group))
		return -EMSGSIZE;
	return 0;
}

/* @prov: the PF's provisioning layout, NULL if it has none. */
static int vgpu_genl_vf_fill(struct sk_buff *skb, struct pci_dev *vf,
			     const struct vgpu_prov *prov, u32 portid, u32 seq,
			     int flags, struct netlink_callback *cb)
{
	struct vgpu_vf_info info;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vgpu_genl_family, flags,
			  VGPU_CMD_VF_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	vgpu_vf_get_info(vf, &info);
	if (vgpu_genl_put_vf(skb, &info) ||
	    (prov && vgpu_genl_put_quota(skb, vf, prov))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int vgpu_genl_vf_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vgpu_prov prov;
	struct sk_buff *msg;
	struct pci_dev *vf;
	int ret;

	if (VGPU_REQUIRE(info, VGPU_A_VF_HANDLE, "VF handle"))
		return -EINVAL;
	vf = vgpu_vf_lookup(nla_data(info->attrs[VGPU_A_VF_HANDLE]),
			    VGPU_VF_FOR_GET, info->extack);
	if (IS_ERR(vf)) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[VGPU_A_VF_HANDLE]);
		return PTR_ERR(vf);
	}
	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	ret = vgpu_genl_vf_fill(msg, vf,
				vgpu_prov_find(vf->physfn, &prov) ? NULL : &prov,
				info->snd_portid, info->snd_seq, 0, NULL);
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	ret = genlmsg_reply(msg, info);
out:
	pci_dev_put(vf);
	return ret;
}

/*
 * Resumable: cb->args[0] is the index of the PF in the registry, args[1]
 * the next VF index of that PF. VF arrivals and departures bump the
 * registry generation, so a dump that raced with a change is flagged.
 */
int vgpu_genl_vf_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = vgpu_dump_attrs(cb);
	unsigned long pf_idx = cb->args[0], vf_idx = cb->args[1];
	struct vgpu_dev *only = NULL, *vdev;
	const struct vgpu_prov *layout;
	struct vgpu_prov prov;
	struct pci_dev *vf;
	unsigned int gen;
	int ret = 0;

	if (attrs[VGPU_A_DEV_HANDLE]) {
		only = vgpu_dev_lookup(nla_data(attrs[VGPU_A_DEV_HANDLE]),
				       cb->extack);
		if (IS_ERR(only))
			return PTR_ERR(only);
	}

	for (;;) {
		vdev = vgpu_dev_get_nth(pf_idx, &gen);
		if (!vdev)
			break;
		cb->seq = gen;
		if (only && vdev != only)
			goto next_pf;
		/* Once per PF: every VF has its PF's layout. */
		layout = vgpu_prov_find(vdev->pdev, &prov) ? NULL : &prov;
		while ((vf = vgpu_vf_get(vdev->pdev, vf_idx))) {
			ret = vgpu_genl_vf_fill(skb, vf, layout,
						NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq, NLM_F_MULTI,
						cb);
			pci_dev_put(vf);
			if (ret)
				break;
			vf_idx++;
		}
		if (ret) {
			vgpu_dev_put(vdev);
			break;
		}
next_pf:
		vgpu_dev_put(vdev);
		pf_idx++;
		vf_idx = 0;
	}
	if (only)
		vgpu_dev_put(only);
	cb->args[0] = pf_idx;
	cb->args[1] = vf_idx;
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

/* The request as the core takes it; the core decides (vgpu_vf_set()). */
int vgpu_genl_vf_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *quota = info->attrs[VGPU_A_VF_QUOTA];
	struct nlattr *drv = info->attrs[VGPU_A_VF_DRIVER_OVERRIDE];
	struct vgpu_vf_req req = {};
	struct vgpu_quota q;
	struct pci_dev *vf;
	int ret;

	if (VGPU_REQUIRE(info, VGPU_A_VF_HANDLE, "VF handle"))
		return -EINVAL;
	if (!quota && !drv) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give a driver (vfio-pci, or empty for the default) or quotas");
		return -EINVAL;
	}
	if (quota) {
		ret = vgpu_genl_parse_quota(quota, &q, info->extack);
		if (ret)
			return ret;
		req.quota = &q;
	}
	if (drv)
		req.driver = nla_data(drv);
	vf = vgpu_vf_lookup(nla_data(info->attrs[VGPU_A_VF_HANDLE]),
			    VGPU_VF_FOR_SET, info->extack);
	if (IS_ERR(vf)) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[VGPU_A_VF_HANDLE]);
		return PTR_ERR(vf);
	}
	ret = vgpu_vf_set(vf, &req, info->extack);
	pci_dev_put(vf);
	return ret;
}
