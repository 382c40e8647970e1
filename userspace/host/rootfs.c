// SPDX-License-Identifier: GPL-2.0
/*
 * rootfs.c - see rootfs.h
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/rootfs.h"

int rootfs_set(const char *dir, char out[ROOTFS_PATH_MAX])
{
	struct stat st;
	size_t len;

	if (!dir)
		dir = "/";
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	len = strlen(dir);
	if (len >= ROOTFS_PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(out, dir, len + 1);
	while (len > 0 && out[len - 1] == '/')
		out[--len] = '\0';
	return 0;
}

int rootfs_path(char out[ROOTFS_PATH_MAX], const char *root,
		const char *fmt, ...)
{
	size_t len = strlen(root);
	va_list ap;
	int n;

	if (len >= ROOTFS_PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(out, root, len);
	va_start(ap, fmt);
	n = vsnprintf(out + len, ROOTFS_PATH_MAX - len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= ROOTFS_PATH_MAX - len ? -ENAMETOOLONG : 0;
}

int rootfs_read(const char *path, char **text, struct stat *st)
{
	size_t len = 0, cap = 4096;
	char *buf, *t;
	ssize_t r;
	int fd, ret = 0;

	*text = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (st && fstat(fd, st) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	buf = malloc(cap);
	while (buf) {
		if (len + 1 >= cap) {
			t = realloc(buf, cap *= 2);
			if (!t) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = t;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			break;
		}
		if (!r)
			break;
		len += r;
	}
	close(fd);
	if (!buf)
		return -ENOMEM;
	buf[len] = '\0';
	if (!ret && strlen(buf) != len)
		ret = -EINVAL;
	if (ret) {
		free(buf);
		return ret;
	}
	*text = buf;
	return 0;
}

int rootfs_attr(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(out, size, f))
		ret = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!ret)
		out[strcspn(out, "\n")] = '\0';
	return ret;
}

int rootfs_link_name(const char *path, char *out, size_t size)
{
	char target[ROOTFS_PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	strcpy(out, base);
	return 0;
}

bool rootfs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}
