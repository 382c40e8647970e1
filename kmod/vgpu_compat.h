/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vgpu_nl supports (6.1 .. 6.19) lives
 * here. The VGPU_HAVE_* switches come from header probes in kmod/compat.mk,
 * not from LINUX_VERSION_CODE, because distributions backport.
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
 * Since 6.2 the extack carries its own buffer (NL_SET_ERR_MSG_FMT). 6.1 only
 * stores a pointer, which must stay valid until netlink_ack() has copied the
 * text after the handler returned. vgpu_nl's family is not parallel_ops, so
 * genetlink runs every doit/dumpit and the ack under genl_mutex; the sysfs
 * glue takes genl_lock() around the core as well (kmod/vgpu_sysfs.c). One
 * static buffer written only under that mutex is therefore enough.
 */
#ifdef VGPU_HAVE_NL_SET_ERR_MSG_FMT
#define VGPU_ERR_FMT(extack, fmt, ...) \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##__VA_ARGS__)
#else
#define VGPU_ERRMSG_LEN 80
extern char vgpu_compat_errmsg[VGPU_ERRMSG_LEN];
#define VGPU_ERR_FMT(extack, fmt, ...) do {				\
	struct netlink_ext_ack *__extack = (extack);			\
									\
	if (__extack) {							\
		snprintf(vgpu_compat_errmsg, VGPU_ERRMSG_LEN,		\
			 fmt, ##__VA_ARGS__);				\
		__extack->_msg = vgpu_compat_errmsg;			\
	}								\
} while (0)
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
