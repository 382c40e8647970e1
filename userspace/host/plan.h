/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plan.h - "vgpu-nl host": the files a mode needs changed, and the
 * backup that lets every change be taken back
 *
 * plan.c computes a plan (struct hs_file per file, old and new content)
 * and shows it; backup.c applies it with a backup and rolls the last one
 * back.
 */
#ifndef VGPU_NL_HOST_PLAN_H
#define VGPU_NL_HOST_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* Where the backups live, under the root. */
#define HS_BACKUP_DIR	"/var/lib/vgpu-nl/backup"

/* One file of a plan. */
struct hs_file {
	const char *path;	/* inside the root: "/etc/default/grub" */
	char *old;		/* its content now; NULL: it does not exist */
	struct stat st;		/* of the file now, when it exists */
	char *new;		/* what it must hold; NULL: it must go */
	bool initramfs;		/* the initramfs carries it */
};

/* A change: the content differs, or the file comes or goes. */
bool hs_file_changes(const struct hs_file *f);

/* Commands that make the next boot see the changes. */
struct hs_hooks {
	bool initramfs;		/* update-initramfs -u */
	const char *boot;	/* the boot loader's, NULL if not needed */
};

/* Adds what a change of @path (inside @root) needs. */
void hs_hooks_for(const char *root, const char *path, struct hs_hooks *h);

/*
 * Prints the hooks as the next step, or runs them when @run (only ever
 * for the running system). Returns 0, or -1 when one failed (reported).
 */
int hs_hooks_finish(const struct hs_hooks *h, bool run);

/*
 * Makes the @n changes of @files under @root, after a backup of every
 * file they touch in @root/HS_BACKUP_DIR/<UTC time>/; @mode names the
 * plan in the backup. Refused while an earlier backup is not rolled back.
 * Either all files change or none. Prints each step; returns an exit
 * status.
 */
int hs_apply(const char *root, const char *mode, const struct hs_file *files,
	     size_t n, const struct hs_hooks *hooks, bool run_hooks);

/*
 * Restores what the last apply changed, byte for byte and mode, and
 * removes the files it created. A file changed since that apply is left
 * alone and the rollback refused, unless @force. Prints each step;
 * returns an exit status.
 */
int hs_rollback(const char *root, bool force, bool run_hooks);

#endif
