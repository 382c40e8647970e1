/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdevown.h - which mdevs vgpu-nl made, kept where a reload of vgpu_nl
 * cannot lose it
 *
 * The kernel module knows the mdevs it created (VGPU_A_MDEV_OWNED) only
 * while it stays loaded: an upgrade followed by a module reload, or any
 * other reload, forgets, and "mdev del" and "reset" would then refuse the
 * mdevs vgpu-nl made as if Proxmox VE had made them. So the tool also
 * keeps one file per mdev it created, MDEVOWN_DIR/UUID, holding
 * "parent DEV\ntype TYPE\n" (root's, mode 0644, below the host's root
 * of rootfs.h). It lives under /run
 * because an mdev does not outlive a boot either: at the next boot
 * vgpu-nl-apply.service makes the mdevs again, and they are recorded again.
 *
 * An mdev is vgpu-nl's when the kernel says so, or when its record names
 * the same parent and type. Whenever root lists the mdevs, records of
 * mdevs that are gone are dropped and the kernel's owned mdevs that have
 * none get one (an mdev made before this record existed).
 */
#ifndef VGPU_NL_HOST_MDEVOWN_H
#define VGPU_NL_HOST_MDEVOWN_H

#include <stdbool.h>
#include <stddef.h>

#define MDEVOWN_DIR	"/run/vgpu-nl/mdevs"

/*
 * Records that vgpu-nl made mdev @uuid (@parent a handle, @type its full
 * name). On failure it warns: the mdev is then vgpu-nl's only as long as
 * the kernel module remembers it.
 */
void mdevown_record(const char *uuid, const char *parent, const char *type);

/* Drops the record of @uuid, if any. */
void mdevown_forget(const char *uuid);

/* Whether a record says vgpu-nl made @uuid, of that parent and type. */
bool mdevown_recorded(const char *uuid, const char *parent, const char *type);

/* One mdev as the kernel lists it, for mdevown_sync(). */
struct mdevown_live {
	const char *uuid, *parent, *type;
	bool kernel_owned;
};

/*
 * Brings the records in line with every mdev on the host, @live[@n] (the
 * whole list, not one parent's): records of mdevs not in it are dropped;
 * owned ones without a record get one. Quietly does nothing for a user
 * who cannot write MDEVOWN_DIR.
 */
void mdevown_sync(const struct mdevown_live *live, size_t n);

#endif
