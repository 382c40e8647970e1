// SPDX-License-Identifier: GPL-2.0
/*
 * The "monitor" multicast group: every change the core reports (see
 * vgpu_event.h) as one VGPU_CMD_EVENT message. Translates, decides nothing.
 */
#include <linux/notifier.h>
#include <linux/pci.h>
#include <net/genetlink.h>

#include "vgpu_dev.h"
#include "vgpu_event.h"
#include "vgpu_genl.h"
#include "vgpu_handle.h"
#include "vgpu_mdev.h"
#include "vgpu_nl.h"
#include "vgpu_registry.h"

/* What the change is about, after VGPU_A_EVENT (see vgpu_nl.h). */
static int vgpu_genl_event_put(struct sk_buff *skb,
			       const struct vgpu_event_info *e)
{
	struct vgpu_dev_info info;
	struct nlattr *nest;

	if (e->mdev) {
		if (nla_put_string(skb, VGPU_A_MDEV_UUID, e->mdev->uuid) ||
		    nla_put_string(skb, VGPU_A_MDEV_PARENT, e->mdev->parent.s) ||
		    nla_put_string(skb, VGPU_A_MDEV_TYPE, e->mdev->type))
			return -EMSGSIZE;
		return 0;
	}
	if (e->vf) {
		/* A VF's event names its PF, itself and (BIND) its driver. */
		if (nla_put_string(skb, VGPU_A_DEV_HANDLE,
				   vgpu_handle(&e->vf->physfn->dev).s) ||
		    nla_put_string(skb, VGPU_A_VF_HANDLE,
				   vgpu_handle(&e->vf->dev).s) ||
		    nla_put_u16(skb, VGPU_A_VF_INDEX, pci_iov_vf_id(e->vf)))
			return -EMSGSIZE;
		if (e->driver && nla_put_string(skb, VGPU_A_VF_DRIVER, e->driver))
			return -EMSGSIZE;
		return 0;
	}
	if (e->event == VGPU_EVENT_DEV_CHANGE) {
		/* The whole new state, so listeners need not ask. */
		vgpu_dev_get_info(e->vdev, &info);
		return vgpu_genl_put_dev(skb, &info);
	}
	if (nla_put_string(skb, VGPU_A_DEV_HANDLE,
			   vgpu_handle(&e->vdev->pdev->dev).s))
		return -EMSGSIZE;
	if (e->event == VGPU_EVENT_NUMVFS) {
		nest = nla_nest_start(skb, VGPU_A_DEV_SRIOV);
		if (!nest || nla_put_u16(skb, VGPU_A_SRIOV_NUMVFS, e->numvfs))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
		return 0;
	}
	if (e->driver && nla_put_string(skb, VGPU_A_DEV_DRIVER, e->driver))
		return -EMSGSIZE;
	return 0;
}

/*
 * Every event announced takes the next number of the family
 * (VGPU_A_EVENT_SEQ), and numbers go out in order: taking one and the
 * multicast happen under this mutex (events come from many contexts at
 * once: bus notifiers, requests, work items). A listener that finds a gap
 * knows exactly how many events its full queue cost it. An event that
 * cannot be sent takes its number too, so that it is counted as missed.
 */
static DEFINE_MUTEX(vgpu_genl_event_lock);
static u32 vgpu_genl_event_seq;

u32 vgpu_genl_event_last_seq(void)
{
	u32 seq;

	mutex_lock(&vgpu_genl_event_lock);
	seq = vgpu_genl_event_seq;
	mutex_unlock(&vgpu_genl_event_lock);
	return seq;
}

/*
 * The payload most events fit in. Netlink charges a listener's receive
 * buffer with each message's whole buffer, not its length: a small one
 * lets a listener that falls behind queue several times more of a burst
 * than NLMSG_GOODSIZE would. Larger events (long driver names) are built
 * again in a NLMSG_GOODSIZE message.
 */
#define VGPU_EVENT_SIZE	512

/*
 * Event @e in a new message of @size, or NULL; its number is only
 * reserved (*@seq), to be filled in when it is taken.
 */
static struct sk_buff *vgpu_genl_event_build(const struct vgpu_event_info *e,
					     size_t size, void **hdr,
					     struct nlattr **seq)
{
	struct sk_buff *skb;

	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &vgpu_genl_family, 0, VGPU_CMD_EVENT);
	if (!*hdr || nla_put_u8(skb, VGPU_A_EVENT, e->event) ||
	    vgpu_genl_event_put(skb, e) ||
	    !(*seq = nla_reserve(skb, VGPU_A_EVENT_SEQ, sizeof(u32)))) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static int vgpu_genl_event_notify(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	const struct vgpu_event_info *e = data;
	struct sk_buff *skb;
	struct nlattr *seq;
	void *hdr;

	if (e->quiet || !genl_has_listeners(&vgpu_genl_family, &init_net,
					    VGPU_MCGRP_MONITOR))
		return NOTIFY_DONE;
	skb = vgpu_genl_event_build(e, VGPU_EVENT_SIZE, &hdr, &seq);
	if (!skb)
		skb = vgpu_genl_event_build(e, NLMSG_GOODSIZE, &hdr, &seq);

	mutex_lock(&vgpu_genl_event_lock);
	vgpu_genl_event_seq++;
	if (skb) {
		*(u32 *)nla_data(seq) = vgpu_genl_event_seq;
		genlmsg_end(skb, hdr);
		genlmsg_multicast(&vgpu_genl_family, skb, 0,
				  VGPU_MCGRP_MONITOR, GFP_KERNEL);
	}
	mutex_unlock(&vgpu_genl_event_lock);
	if (!skb)
		pr_warn_ratelimited("event %d (number %u) lost: no memory, or too large\n",
				    e->event, vgpu_genl_event_seq);
	return NOTIFY_DONE;
}

static struct notifier_block vgpu_genl_event_nb = {
	.notifier_call = vgpu_genl_event_notify,
};

int vgpu_genl_event_init(void)
{
	return vgpu_event_register(&vgpu_genl_event_nb);
}

void vgpu_genl_event_exit(void)
{
	vgpu_event_unregister(&vgpu_genl_event_nb);
}
