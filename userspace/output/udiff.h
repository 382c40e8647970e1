/* SPDX-License-Identifier: GPL-2.0 */
/*
 * udiff.h - unified diffs of small text files, as diff -u and patch know
 * them, for "vgpu-nl host plan"
 */
#ifndef VGPU_NL_UDIFF_H
#define VGPU_NL_UDIFF_H

#include <stdio.h>

/*
 * Writes the diff from @old to @new (either NULL: the file is created or
 * removed) with "--- a/REL" / "+++ b/REL" headers, so that
 * "patch -p1 -d ROOT" applies it; @rel is the path without the leading
 * '/'. Nothing is written when both are equal. Returns 0 or -ENOMEM.
 */
int udiff_write(FILE *f, const char *rel, const char *old, const char *new);

#endif
