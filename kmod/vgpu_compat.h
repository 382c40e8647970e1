/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vgpu_nl supports (6.1 and later)
 * lives here. The VGPU_HAVE_* switches come from header probes in
 * kmod/compat.mk, not from LINUX_VERSION_CODE, because distributions
 * backport; each build prints which probes chose which branch.
 */
#ifndef _VGPU_COMPAT_H
#define _VGPU_COMPAT_H

#include <linux/device.h>
#include <linux/netlink.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <net/genetlink.h>

/*
 * Formatted extended-ack messages.
 *
 * Since 6.2 the extack carries its own buffer (NL_SET_ERR_MSG_FMT), so each
 * request's text lives in that request's extack. 6.1 only stores a pointer,
 * which must stay valid until netlink_ack() (or, for a dump, the NLMSG_DONE
 * of netlink_dump()) has copied the text - and both run after genetlink has
 * dropped genl_mutex, so a buffer shared between requests can be rewritten
 * by another caller's request first (seen: one caller's UUID in another's
 * error). On 6.1 every op is therefore wrapped (VGPU_DOIT, VGPU_DUMPIT,
 * VGPU_DONE in the ops table, VGPU_GENL_WRAP_* next to the handlers):
 *
 *   doit    the text goes to a buffer on the wrapper's stack, and the
 *           wrapper sends the error ack itself, while the buffer lives,
 *           then returns -EINTR, which tells netlink_rcv_skb() that the
 *           request was answered (as a started dump does);
 *   dumpit  the text is copied to memory of that dump (cb->args[5]), freed
 *           by the op's done after netlink_dump() has sent it;
 *   sysfs   the glue holds the buffer while it logs the text.
 *
 * The slot being written is found through one pointer, which only ops and
 * the sysfs glue touch, all under genl_mutex (the family is not
 * parallel_ops). A text with no slot (not expected) goes to the kernel log.
 */
#ifdef VGPU_HAVE_NL_SET_ERR_MSG_FMT
#define VGPU_ERR_FMT(extack, fmt, ...) \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##__VA_ARGS__)

struct vgpu_errslot { };
static inline void vgpu_errslot_begin(struct vgpu_errslot *slot,
				      struct netlink_ext_ack *extack) { }
static inline void vgpu_errslot_end(struct vgpu_errslot *slot) { }

#define VGPU_GENL_WRAP_DOIT(fn)
#define VGPU_GENL_WRAP_DUMPIT(fn)
#define VGPU_GENL_WRAP_DONE(fn)
#define VGPU_DOIT(fn)		fn
#define VGPU_DUMPIT(fn)		fn
#define VGPU_DONE(fn)		fn
#define VGPU_DONE_NONE		NULL
#else
#define VGPU_ERRMSG_LEN 80

struct vgpu_errslot {
	struct netlink_ext_ack *extack;
	char text[VGPU_ERRMSG_LEN];
};

void vgpu_errslot_begin(struct vgpu_errslot *slot,
			struct netlink_ext_ack *extack);
void vgpu_errslot_end(struct vgpu_errslot *slot);
__printf(2, 3) void vgpu_compat_err_fmt(struct netlink_ext_ack *extack,
					const char *fmt, ...);
int vgpu_compat_doit(int (*doit)(struct sk_buff *, struct genl_info *),
		     struct sk_buff *skb, struct genl_info *info);
int vgpu_compat_dumpit(int (*dumpit)(struct sk_buff *, struct netlink_callback *),
		       struct sk_buff *skb, struct netlink_callback *cb);
int vgpu_compat_done(int (*done)(struct netlink_callback *),
		     struct netlink_callback *cb);
int vgpu_compat_done_none(struct netlink_callback *cb);

#define VGPU_ERR_FMT(extack, fmt, ...) \
	vgpu_compat_err_fmt(extack, fmt, ##__VA_ARGS__)

#define VGPU_GENL_WRAP_DOIT(fn)						\
static int fn##_acked(struct sk_buff *skb, struct genl_info *info)	\
{									\
	return vgpu_compat_doit(fn, skb, info);				\
}
#define VGPU_GENL_WRAP_DUMPIT(fn)					\
static int fn##_acked(struct sk_buff *skb, struct netlink_callback *cb)	\
{									\
	return vgpu_compat_dumpit(fn, skb, cb);				\
}
#define VGPU_GENL_WRAP_DONE(fn)						\
static int fn##_acked(struct netlink_callback *cb)			\
{									\
	return vgpu_compat_done(fn, cb);				\
}
#define VGPU_DOIT(fn)		fn##_acked
#define VGPU_DUMPIT(fn)		fn##_acked
#define VGPU_DONE(fn)		fn##_acked
#define VGPU_DONE_NONE		vgpu_compat_done_none
#endif

/*
 * A per-CPU workqueue says so with WQ_PERCPU since 6.17 (7.x warns about
 * one that says neither it nor WQ_UNBOUND); before, per-CPU was the
 * default that the flag's absence meant.
 */
#ifndef VGPU_HAVE_WQ_PERCPU
#define WQ_PERCPU 0
#endif

/* The parsed request attributes of a dump (genl_info_dump() since 6.6). */
#ifdef VGPU_HAVE_GENL_INFO_DUMP
#define vgpu_dump_attrs(cb) (genl_info_dump(cb)->attrs)
#else
#define vgpu_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#endif

/*
 * driver_override moved from struct pci_dev into struct device (with its
 * own spinlock) upstream, and distributions backport it (Debian 6.12.y).
 * Read with the device lock held: on older kernels it protects the string.
 */
#ifdef VGPU_HAVE_DEVICE_DRIVER_OVERRIDE
static inline int vgpu_set_driver_override(struct pci_dev *pdev, const char *s)
{
	return device_set_driver_override(&pdev->dev, s);
}

static inline void vgpu_get_driver_override(struct pci_dev *pdev, char *buf,
					    size_t len)
{
	spin_lock(&pdev->dev.driver_override.lock);
	strscpy(buf, pdev->dev.driver_override.name ?: "", len);
	spin_unlock(&pdev->dev.driver_override.lock);
}
#else
static inline int vgpu_set_driver_override(struct pci_dev *pdev, const char *s)
{
	return driver_set_override(&pdev->dev, &pdev->driver_override, s,
				   strlen(s));
}

static inline void vgpu_get_driver_override(struct pci_dev *pdev, char *buf,
					    size_t len)
{
	strscpy(buf, pdev->driver_override ?: "", len);
}
#endif

#endif /* _VGPU_COMPAT_H */
