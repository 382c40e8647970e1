/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rootfs.h - files of a host seen under a root directory ("--root DIR"),
 * for the commands that read /etc and /sys directly: host, snippet
 *
 * A root is kept as a prefix without the trailing '/': "" for the running
 * system, "/tmp/fake" for a fake tree. Paths inside it start with '/'.
 */
#ifndef VGPU_NL_ROOTFS_H
#define VGPU_NL_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#define ROOTFS_PATH_MAX	4096

/*
 * "--root DIR" into the prefix form (@dir NULL means "/"). Returns 0, or
 * -errno when DIR is not a directory we can look into.
 */
int rootfs_set(const char *dir, char out[ROOTFS_PATH_MAX]);

/* @root + @fmt..., into @out; -ENAMETOOLONG if it does not fit. */
__attribute__((format(printf, 3, 4)))
int rootfs_path(char out[ROOTFS_PATH_MAX], const char *root,
		const char *fmt, ...);

/*
 * A whole file, NUL-terminated, malloc'ed into *@text; its stat into @st
 * unless NULL. Returns 0 or -errno (-ENOENT: it does not exist, -EINVAL:
 * it holds a NUL byte, so it is no text we may edit).
 */
int rootfs_read(const char *path, char **text, struct stat *st);

/*
 * A sysfs attribute's first line, without the newline, into @out.
 * Returns 0 or -errno.
 */
int rootfs_attr(const char *path, char *out, size_t size);

/* The last component of the target of the link @path ("i915"). */
int rootfs_link_name(const char *path, char *out, size_t size);

/* Whether @path exists (lstat). */
bool rootfs_exists(const char *path);

#endif
