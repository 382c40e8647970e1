/* SPDX-License-Identifier: GPL-2.0 */
/*
 * change.h - the report of "apply" and "reset": one line per change made
 * ("numvfs pci/0000:01:00.0 0 -> 3"), or an object of the "changes" array
 * with -j; a change that failed is named on stderr with the reason
 * ("Error: numvfs pci/0000:01:00.0 0 -> 3: <the kernel's reason>") and,
 * with -j, carries "done": false and "error".
 */
#ifndef VGPU_NL_CHANGE_H
#define VGPU_NL_CHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/quota.h"

/* Starts the document and the "changes" array. */
void change_begin(void);

/* Text lines of the changes that follow start "rollback: " (rollback.c). */
void change_rollback(bool on);

/* Each: a change made (@err NULL), or tried and failed for @err. */
void change_numvfs(const char *dev, unsigned int from, unsigned int to,
		   const char *err);
void change_autoprobe(const char *dev, bool from, bool to, const char *err);
/* Modes VGPU_PROV_MODE_*; @cycled: VFs disabled and enabled on the way. */
void change_provisioning(const char *dev, int from, int to,
			 unsigned int cycled, const char *err);
/* Drivers: "" is none bound (from), or the default (to). */
void change_driver(const char *vf, const char *from, const char *to,
		   const char *err);
/* @has_from false: the kernel did not report the current value. */
void change_quota(const char *vf, const struct quota_key *key, bool has_from,
		  uint64_t from, uint64_t to, const char *err);
void change_mdev(const char *verb, const char *uuid, const char *parent,
		 const char *type, const char *err);

struct cli_wait;

/*
 * Whether the next change may start (asked right before it, one
 * sigpending() call): not after a failure (*@failed), nor once a stop
 * signal that @cw (NULL: none) holds back since the changes began has
 * come. That counts as a failure: said on stderr, *@failed set, and the
 * caller takes back what it changed before cli_wait_end() lets the
 * signal take its course.
 */
bool change_go_on(const struct cli_wait *cw, bool *failed);

/* Closes "changes"; the text "nothing to change" when @n (made) is 0. */
void change_close(size_t n, bool failed);

/*
 * An mdev left as it is, with @why: a text line, an object of the
 * "left_alone" array (opened by the first, closed by change_end()).
 */
void change_left_alone(const char *uuid, const char *parent,
		       const char *type, const char *why);

/* Ends the document; EXIT_OK, or EXIT_FAIL if it could not be written. */
int change_end(void);

#endif
