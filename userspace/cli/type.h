/* SPDX-License-Identifier: GPL-2.0 */
/*
 * type.h - mdev types: the printer "type show" uses, and the resolution of
 * a short type name ("GVTg_V5_4") that "mdev add" accepts
 */
#ifndef VGPU_NL_TYPE_H
#define VGPU_NL_TYPE_H

#include <stddef.h>

#include <netlink/attr.h>

#include "kernel/nl.h"

/* One type (a VGPU_CMD_TYPE_GET reply) as a text block or a JSON object. */
void type_print(struct nlattr **tb);

/*
 * The full sysfs name of type @name of parent @handle, into @out: @name
 * itself when it has a driver prefix (a '-': "i915-GVTg_V5_4"), else the
 * one type of the parent (TYPE_GET dump) whose name is "<driver>-@name".
 * A parent without types gets @name as it is, so that MDEV_ADD says why
 * (no mdev parent). Returns 0, or -errno with nl->err naming the parent's
 * types when there is no such type (-ENOENT) or more than one (-EINVAL).
 */
int type_resolve(struct vgpu_nl *nl, const char *handle, const char *name,
		 char *out, size_t len);

#endif
