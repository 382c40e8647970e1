// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications on the "monitor" multicast group. Called from the PCI bus
 * notifier (any change, whoever made it) and from the core after changes
 * made through vgpu_nl; never with vgpu_registry_lock held.
 */
#include <linux/pci.h>
#include <net/genetlink.h>

#include "vgpu_dev.h"
#include "vgpu_event.h"
#include "vgpu_genl.h"
#include "vgpu_handle.h"
#include "vgpu_mdev.h"
#include "vgpu_registry.h"

/* A new event message, or NULL when nobody listens or memory is short. */
static struct sk_buff *vgpu_event_new(enum vgpu_event event, void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&vgpu_genl_family, &init_net,
				VGPU_MCGRP_MONITOR))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &vgpu_genl_family, 0, VGPU_CMD_EVENT);
	if (!*hdr || nla_put_u8(skb, VGPU_A_EVENT, event)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void vgpu_event_send(struct sk_buff *skb, void *hdr)
{
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&vgpu_genl_family, skb, 0, VGPU_MCGRP_MONITOR,
			  GFP_KERNEL);
}

static void vgpu_event_drop(struct sk_buff *skb, enum vgpu_event event)
{
	nlmsg_free(skb);
	pr_warn_ratelimited("event %d lost: message too large\n", event);
}

void vgpu_event_dev(enum vgpu_event event, struct vgpu_dev *vdev,
		    const char *driver)
{
	struct vgpu_dev_info info;
	struct sk_buff *skb;
	void *hdr;

	skb = vgpu_event_new(event, &hdr);
	if (!skb)
		return;

	if (event == VGPU_EVENT_DEV_CHANGE) {
		/* The whole new state, so listeners need not ask. */
		vgpu_dev_get_info(vdev, &info);
		if (vgpu_genl_put_dev(skb, &info))
			goto err_free;
	} else {
		if (nla_put_string(skb, VGPU_A_DEV_HANDLE,
				   vgpu_handle(&vdev->pdev->dev).s))
			goto err_free;
		if (driver && nla_put_string(skb, VGPU_A_DEV_DRIVER, driver))
			goto err_free;
	}
	vgpu_event_send(skb, hdr);
	return;

err_free:
	vgpu_event_drop(skb, event);
}

void vgpu_event_numvfs(struct vgpu_dev *vdev, int numvfs)
{
	struct sk_buff *skb;
	struct nlattr *nest;
	void *hdr;

	skb = vgpu_event_new(VGPU_EVENT_NUMVFS, &hdr);
	if (!skb)
		return;
	if (nla_put_string(skb, VGPU_A_DEV_HANDLE,
			   vgpu_handle(&vdev->pdev->dev).s))
		goto err_free;
	nest = nla_nest_start(skb, VGPU_A_DEV_SRIOV);
	if (!nest || nla_put_u16(skb, VGPU_A_SRIOV_NUMVFS, numvfs))
		goto err_free;
	nla_nest_end(skb, nest);
	vgpu_event_send(skb, hdr);
	return;

err_free:
	vgpu_event_drop(skb, VGPU_EVENT_NUMVFS);
}

/* VF_ADD/VF_DEL, and BIND/UNBIND of a VF (then with @driver). */
void vgpu_event_vf(enum vgpu_event event, struct pci_dev *vf,
		   const char *driver)
{
	struct sk_buff *skb;
	void *hdr;

	skb = vgpu_event_new(event, &hdr);
	if (!skb)
		return;
	if (nla_put_string(skb, VGPU_A_DEV_HANDLE,
			   vgpu_handle(&vf->physfn->dev).s) ||
	    nla_put_string(skb, VGPU_A_VF_HANDLE, vgpu_handle(&vf->dev).s) ||
	    nla_put_u16(skb, VGPU_A_VF_INDEX, pci_iov_vf_id(vf)))
		goto err_free;
	if (driver && nla_put_string(skb, VGPU_A_VF_DRIVER, driver))
		goto err_free;
	vgpu_event_send(skb, hdr);
	return;

err_free:
	vgpu_event_drop(skb, event);
}

void vgpu_event_mdev(enum vgpu_event event, const struct vgpu_mdev_info *info)
{
	struct sk_buff *skb;
	void *hdr;

	skb = vgpu_event_new(event, &hdr);
	if (!skb)
		return;
	if (nla_put_string(skb, VGPU_A_MDEV_UUID, info->uuid) ||
	    nla_put_string(skb, VGPU_A_MDEV_PARENT, info->parent.s) ||
	    nla_put_string(skb, VGPU_A_MDEV_TYPE, info->type)) {
		vgpu_event_drop(skb, event);
		return;
	}
	vgpu_event_send(skb, hdr);
}
