/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdevctl.h - persistent mdevs, the way mdevctl keeps them
 *
 * mdevctl (and libvirt's node devices, which use it) keeps one JSON file
 * per defined mdev, /etc/mdevctl.d/<parent>/<uuid>, and starts the "auto"
 * ones when their parent appears (udev) or at boot. "vgpu-nl mdev add ...
 * persist" writes such a file, so that the mdev survives a reboot and
 * shows in "mdevctl list --defined"; "mdev del" removes it, as mdevctl
 * would recreate the mdev otherwise.
 */
#ifndef VGPU_NL_MDEVCTL_H
#define VGPU_NL_MDEVCTL_H

#include <stdbool.h>
#include <stddef.h>

/* The definitions are in /etc/mdevctl.d under the root (host/rootfs.h). */

/* Whether mdev @uuid of parent @parent ("pci/...") has a definition. */
bool mdevctl_defined(const char *parent, const char *uuid);

/*
 * The definition file's path, for messages: @buf, or a truncated one.
 */
const char *mdevctl_path(const char *parent, const char *uuid, char *buf,
			 size_t len);

/*
 * Writes the definition of mdev @uuid, type @type (the full sysfs name,
 * "i915-GVTg_V5_4"), to start automatically: created whole or not at all
 * (a temporary file renamed into place; a parent directory made for it is
 * removed again on failure). Returns 0, or -errno with @why saying what
 * failed ("cannot write /etc/mdevctl.d/...: No space left on device").
 */
int mdevctl_define(const char *parent, const char *uuid, const char *type,
		   char *why, size_t len);

/*
 * Removes every definition of @uuid, under whatever parent: calls @fn with
 * each path removed. Returns the number removed, or -errno with @failed
 * set to the path that could not be removed.
 */
int mdevctl_undefine(const char *uuid, void (*fn)(const char *path),
		     char *failed, size_t len);

/* The file's content, exactly as mdevctl 1.2 writes it (for the tests). */
int mdevctl_format(const char *type, char **text);

#endif
