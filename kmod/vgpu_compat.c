// SPDX-License-Identifier: GPL-2.0
/* Code that kmod/vgpu_compat.h needs on some kernels. */
#include <linux/slab.h>
#include <linux/string.h>

#include "vgpu_compat.h"

#ifndef VGPU_HAVE_NL_SET_ERR_MSG_FMT
/* The slot of the op running now; genl_mutex serialises every user. */
static struct vgpu_errslot *vgpu_errslot;

void vgpu_errslot_begin(struct vgpu_errslot *slot,
			struct netlink_ext_ack *extack)
{
	slot->extack = extack;
	slot->text[0] = '\0';
	vgpu_errslot = slot;
}

void vgpu_errslot_end(struct vgpu_errslot *slot)
{
	vgpu_errslot = NULL;
}

void vgpu_compat_err_fmt(struct netlink_ext_ack *extack, const char *fmt, ...)
{
	struct vgpu_errslot *slot = vgpu_errslot;
	va_list args;

	if (!extack)
		return;
	va_start(args, fmt);
	if (slot && slot->extack == extack) {
		vsnprintf(slot->text, sizeof(slot->text), fmt, args);
		extack->_msg = slot->text;
	} else {
		pr_notice("%pV\n", &(struct va_format){ .fmt = fmt, .va = &args });
		extack->_msg = "refused; the reason is in the kernel log";
	}
	va_end(args);
}

int vgpu_compat_doit(int (*doit)(struct sk_buff *, struct genl_info *),
		     struct sk_buff *skb, struct genl_info *info)
{
	struct vgpu_errslot slot;
	int ret;

	vgpu_errslot_begin(&slot, info->extack);
	ret = doit(skb, info);
	vgpu_errslot_end(&slot);
	if (info->extack->_msg != slot.text)
		return ret;
	if (!ret) {
		/* A text without an error is no warning to send. */
		info->extack->_msg = NULL;
		return 0;
	}
	/* Answer while the text lives; -EINTR: answered, no ack to add. */
	netlink_ack(skb, info->nlhdr, ret, info->extack);
	return -EINTR;
}

int vgpu_compat_dumpit(int (*dumpit)(struct sk_buff *, struct netlink_callback *),
		       struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vgpu_errslot slot;
	char *text;
	int ret;

	vgpu_errslot_begin(&slot, cb->extack);
	ret = dumpit(skb, cb);
	vgpu_errslot_end(&slot);
	if (!cb->extack || cb->extack->_msg != slot.text)
		return ret;
	/* Sent after genl_mutex is dropped: the dump keeps its own copy. */
	kfree((char *)cb->args[5]);
	text = kstrdup(slot.text, GFP_KERNEL);
	cb->args[5] = (long)text;
	cb->extack->_msg = text ?: "refused (out of memory for the reason)";
	return ret;
}

/* Called once netlink_dump() has sent the dump's last message. */
int vgpu_compat_done(int (*done)(struct netlink_callback *),
		     struct netlink_callback *cb)
{
	kfree((char *)cb->args[5]);
	cb->args[5] = 0;
	return done ? done(cb) : 0;
}

int vgpu_compat_done_none(struct netlink_callback *cb)
{
	return vgpu_compat_done(NULL, cb);
}
#endif
