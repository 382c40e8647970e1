/* SPDX-License-Identifier: GPL-2.0 */
/*
 * backup.h - "host apply" and "host rollback": a plan's files changed all
 * or nothing, under the root (host/rootfs.h), with a backup that lets
 * every change be taken back
 */
#ifndef VGPU_NL_HOST_BACKUP_H
#define VGPU_NL_HOST_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "host/hooks.h"
#include "host/plan.h"

/* Where the backups live, as the host names it. */
#define HS_BACKUP_DIR	"/var/lib/vgpu-nl/backup"
#define HS_MAX_FILES	8

/* What an apply or a rollback did, for the caller to report. */
struct hs_done {
	char backup[256];	/* the backup's name; "" when there was none */
	char mode[32];
	struct {
		const char *action;	/* created, modified, removed; restored, unchanged */
		char path[256];
	} files[HS_MAX_FILES];
	size_t n;
	struct hs_hooks hooks;	/* rollback: what the restored files need */
};

/*
 * Makes the @n changes of @files, after a backup of every file they touch
 * in HS_BACKUP_DIR/<UTC time>/; @mode names the plan in the backup.
 * Refused while an earlier backup is not rolled back. Either all files
 * change or none. Returns 0, or -errno after saying why (pr_err).
 */
int hs_apply(const char *mode, const struct hs_file *files, size_t n,
	     struct hs_done *done);

/*
 * Restores what the last apply changed, byte for byte and mode, and
 * removes the files it created. A file changed since that apply is left
 * alone and the rollback refused, unless @force. Returns 0 (with
 * done->backup "" when nothing was pending), or -errno after saying why.
 */
int hs_rollback(bool force, struct hs_done *done);

#endif
