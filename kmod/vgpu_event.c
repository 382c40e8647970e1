// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications on the "monitor" multicast group. Called from the PCI bus
 * notifier (any change, whoever made it) and from the core after changes
 * made through vgpu_nl; never with vgpu_registry_lock held.
 */
#include <net/genetlink.h>

#include "vgpu_core.h"

void vgpu_event_dev(enum vgpu_event event, struct vgpu_dev *vdev,
		    const char *driver)
{
	struct vgpu_dev_info info;
	char handle[VGPU_HANDLE_MAX];
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&vgpu_genl_family, &init_net,
				VGPU_MCGRP_MONITOR))
		return;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &vgpu_genl_family, 0, VGPU_CMD_EVENT);
	if (!hdr)
		goto err_free;
	if (nla_put_u8(skb, VGPU_A_EVENT, event))
		goto err_free;

	if (event == VGPU_EVENT_DEV_CHANGE) {
		/* The whole new state, so listeners need not ask. */
		vgpu_dev_get_info(vdev, &info);
		if (vgpu_genl_put_dev(skb, vdev, &info))
			goto err_free;
	} else {
		vgpu_dev_handle(vdev, handle, sizeof(handle));
		if (nla_put_string(skb, VGPU_A_DEV_HANDLE, handle))
			goto err_free;
		if (driver && nla_put_string(skb, VGPU_A_DEV_DRIVER, driver))
			goto err_free;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&vgpu_genl_family, skb, 0, VGPU_MCGRP_MONITOR,
			  GFP_KERNEL);
	return;

err_free:
	nlmsg_free(skb);
	pr_warn_ratelimited("event %d lost: message too large\n", event);
}
