/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdev.h - mediated devices: the printer "mdev show" and "mdev add" use,
 * and the requests that create and remove one
 */
#ifndef VGPU_NL_MDEV_H
#define VGPU_NL_MDEV_H

#include <stdbool.h>

#include <netlink/attr.h>

#include "host/holders.h"
#include "kernel/nl.h"

/*
 * One mdev (a VGPU_CMD_MDEV_GET or MDEV_ADD reply) as a text line or a
 * JSON object; @hd holds the processes found with its VFIO files open
 * (NULL: none looked for), @persistent whether mdevctl has a definition.
 */
void mdev_print(struct nlattr **tb, const struct host_dev *hd,
		bool persistent);

/*
 * Whether vgpu-nl made the mdev of @tb: the kernel says so
 * (VGPU_A_MDEV_OWNED), or the tool's record does (host/mdevown.h), which
 * outlives a reload of the module.
 */
bool mdev_owned(struct nlattr **tb);

/*
 * MDEV_ADD of type @type (full name) on parent @handle, with @uuid unless
 * it is NULL; the new mdev's description goes to @rep unless it is NULL.
 * The new mdev is recorded as vgpu-nl's (host/mdevown.h). 0 or -errno (in
 * nl->err).
 */
int mdev_add_request(struct vgpu_nl *nl, const char *handle,
		     const char *type, const char *uuid,
		     struct vgpu_nl_replies *rep);

/*
 * MDEV_DEL of @uuid, with VGPU_A_FORCE if @force; once the kernel took it,
 * the record that vgpu-nl made it goes. 0 or -errno (in nl->err).
 */
int mdev_del_request(struct vgpu_nl *nl, const char *uuid, bool force);

#endif
