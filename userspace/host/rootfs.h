/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rootfs.h - the one way every command reads (and writes) the host's own
 * files: /proc, /sys, /boot, /etc, /lib/modules, /var/lib, all below one
 * root directory
 *
 * The root is "/" on a real host; "--root DIR" (host, snippet, doctor)
 * and the unit tests (a fake tree) move it. It is kept as a prefix
 * without the trailing '/': "" for the running system, "/tmp/fake" for a
 * fake tree. Every path below is given as the host sees it ("/sys/...",
 * printf-style) and read under the root.
 */
#ifndef VGPU_NL_HOST_ROOTFS_H
#define VGPU_NL_HOST_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#define ROOTFS_PATH_MAX	4096

/* The root to restore after a command that moved it (rootfs_enter()). */
struct rootfs_saved {
	char root[ROOTFS_PATH_MAX];
};

/*
 * Moves the root to @dir (NULL or "/": the running system), saving the
 * old one into @old unless NULL. Returns 0, or -errno when @dir is not a
 * directory we can look into (the root stays as it was).
 */
int rootfs_enter(const char *dir, struct rootfs_saved *old);
/* Back to the root rootfs_enter() saved. */
void rootfs_leave(const struct rootfs_saved *old);

/* The prefix: "" for the running system, for messages ("%s/etc/..."). */
const char *rootfs_root(void);
/* The root as users name it: "/" or the directory. */
const char *rootfs_name(void);

/* The root + the formatted path, into @out; -ENAMETOOLONG if too long. */
__attribute__((format(printf, 2, 3)))
int rootfs_path(char out[ROOTFS_PATH_MAX], const char *fmt, ...);

/*
 * A whole file, NUL-terminated, malloc'ed into *@text; its stat into @st
 * unless NULL. Returns 0 or -errno (-ENOENT: it does not exist, -EINVAL:
 * it holds a NUL byte, so it is no text we may edit).
 */
__attribute__((format(printf, 3, 4)))
int rootfs_read(char **text, struct stat *st, const char *fmt, ...);

/* A whole file as bytes, NUL bytes and all (EFI variables, keys). */
__attribute__((format(printf, 3, 4)))
int rootfs_read_bytes(unsigned char **buf, size_t *len, const char *fmt, ...);

/*
 * A text file without its trailing newlines (malloc'ed), or NULL when it
 * cannot be read: for files that are looked at, not edited.
 */
__attribute__((format(printf, 1, 2)))
char *rootfs_text(const char *fmt, ...);

/* A sysfs attribute's first line, without the newline. 0 or -errno. */
__attribute__((format(printf, 3, 4)))
int rootfs_attr(char *out, size_t size, const char *fmt, ...);

/* A decimal or 0x-hex number making up a file ("0x8086\n"); false if none. */
__attribute__((format(printf, 2, 3)))
bool rootfs_uint(unsigned int *v, const char *fmt, ...);

/* The last component of a symlink's target ("i915"). 0 or -errno. */
__attribute__((format(printf, 3, 4)))
int rootfs_link_name(char *out, size_t size, const char *fmt, ...);

/* Whether the path exists (the last component is not followed). */
__attribute__((format(printf, 1, 2)))
bool rootfs_exists(const char *fmt, ...);

/* Whether the path is a directory (followed). */
__attribute__((format(printf, 1, 2)))
bool rootfs_is_dir(const char *fmt, ...);

/*
 * A directory's entries, sorted, without the hidden ones ("." and "..",
 * ".tmp"); the count, or -errno. Free with rootfs_list_free().
 */
__attribute__((format(printf, 2, 3)))
int rootfs_list(char ***names, const char *fmt, ...);
void rootfs_list_free(char **names, int n);

/*
 * @text into a new file @tmp (mode 0644), renamed over @path: a reader
 * finds all of the old file or all of the new one. @durable: synced to
 * disk first (for /etc; not for /run, which a power loss empties anyway).
 * Both paths are whole (rootfs_path()); @tmp must not exist. 0, or -errno
 * with @tmp gone.
 */
int rootfs_replace(const char *tmp, const char *path, const char *text,
		   bool durable);

#endif
