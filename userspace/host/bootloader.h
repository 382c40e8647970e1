/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bootloader.h - where this host keeps its kernel command line, and edits of
 * it that change only the parameters asked for
 *
 * Two places, as on Debian and Proxmox VE:
 *   GRUB         /etc/default/grub, GRUB_CMDLINE_LINUX[_DEFAULT]; then
 *                update-grub (or proxmox-boot-tool refresh where
 *                proxmox-boot-tool keeps the boot partitions)
 *   systemd-boot /etc/kernel/cmdline, one line; then
 *                proxmox-boot-tool refresh
 */
#ifndef VGPU_NL_HOST_BOOTLOADER_H
#define VGPU_NL_HOST_BOOTLOADER_H

#include <stdbool.h>
#include <stddef.h>

enum boot_loader {
	BOOT_GRUB,
	BOOT_SYSTEMD,
};

struct boot_cfg {
	enum boot_loader loader;
	const char *name;	/* "GRUB", "systemd-boot" */
	const char *path;	/* relative to the root: "/etc/default/grub" */
	const char *hook;	/* what makes the boot loader see the change */
};

/*
 * Looks at the host under the root (host/rootfs.h) and fills @cfg: the
 * one answer "host plan" edits by and "doctor" names in its fixes.
 * Returns 0, or -ENOENT when neither file exists.
 */
int bootcfg_detect(struct boot_cfg *cfg);

/*
 * Whether the boot loader's file (@text, as read from @cfg->path) puts
 * every word of @params ("i915.enable_gvt=1 iommu=pt") on the command
 * line it boots: in any GRUB_CMDLINE_LINUX[_DEFAULT] value, or the line
 * of /etc/kernel/cmdline. Names compare as the kernel's do.
 */
bool bootcfg_holds(const struct boot_cfg *cfg, const char *text,
		   const char *params);

/*
 * One command line (/proc/cmdline, a GRUB value) read as the kernel does:
 * words apart by blanks, a double-quoted value may hold blanks, '-' and
 * '_' are the same in names (parameq()), the last of repeated parameters
 * counts. Whether @line has @word ("iommu=pt": that value; "quiet": the
 * bare word).
 */
bool cmdline_has(const char *line, const char *word);
/* The value of the last "@key=" of @line into @buf, or NULL. */
const char *cmdline_value(const char *line, const char *key, char *buf,
			  size_t len);

/* One parameter a mode wants, or does not want. */
struct cmdline_param {
	const char *key;	/* "i915.enable_guc" */
	const char *value;	/* "3"; NULL: the parameter must go */
	/*
	 * The value is a comma list (intel_iommu=on,sm_on): @value is one
	 * item the list must hold, @veto one it must not. A list with a
	 * @veto and no @value only loses that item (amd_iommu=off): the
	 * parameter stays with its other items, and is never added.
	 */
	bool list;
	const char *veto;
};

/*
 * Edits one command line: parameters already right stay as they are,
 * wrong values are replaced (a list gets the item added), unwanted ones
 * are dropped, and when @append the missing ones are added at the end.
 * @found (one bit per entry of @want, in and out) marks the parameters
 * seen, so that a second line does not add them again. Returns a
 * malloc'ed line, or NULL when out of memory. A line that needs no change
 * comes back byte for byte; a changed one has its words one space apart.
 */
char *cmdline_edit(const char *line, const struct cmdline_param *want,
		   size_t nwant, bool append, unsigned long *found);

/*
 * The whole file after the edit, malloc'ed into *@out: for GRUB the
 * values of every GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT
 * assignment are edited in place, quoting and the rest of the file kept,
 * and missing parameters go to the last GRUB_CMDLINE_LINUX_DEFAULT (a
 * line is added if there is none); for /etc/kernel/cmdline, its one line.
 * Returns 0, -ENOMEM, or -EINVAL with a reason in @why (a GRUB value
 * that goes on past its line, a kernel/cmdline of more than one line).
 */
int bootcfg_edit(const struct boot_cfg *cfg, const char *text,
		 const struct cmdline_param *want, size_t nwant, char **out,
		 const char **why);

#endif
