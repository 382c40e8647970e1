// SPDX-License-Identifier: GPL-2.0
/*
 * rootfs.c - see rootfs.h
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/rootfs.h"

static char root[ROOTFS_PATH_MAX];

int rootfs_enter(const char *dir, struct rootfs_saved *old)
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
	if (old)
		memcpy(old->root, root, sizeof(root));
	memcpy(root, dir, len + 1);
	while (len > 0 && root[len - 1] == '/')
		root[--len] = '\0';
	return 0;
}

void rootfs_leave(const struct rootfs_saved *old)
{
	memcpy(root, old->root, sizeof(root));
}

const char *rootfs_root(void)
{
	return root;
}

const char *rootfs_name(void)
{
	return *root ? root : "/";
}

static int vpath(char out[ROOTFS_PATH_MAX], const char *fmt, va_list ap)
{
	size_t len = strlen(root);
	int n;

	memcpy(out, root, len);
	n = vsnprintf(out + len, ROOTFS_PATH_MAX - len, fmt, ap);
	return n < 0 || (size_t)n >= ROOTFS_PATH_MAX - len ? -ENAMETOOLONG : 0;
}

/* The formatted path under the root into a local buffer, or return. */
#define VPATH(path, fmt, fail)				\
	do {						\
		va_list ap_;				\
		int r_;					\
							\
		va_start(ap_, fmt);			\
		r_ = vpath(path, fmt, ap_);		\
		va_end(ap_);				\
		if (r_)					\
			return fail;			\
	} while (0)

int rootfs_path(char out[ROOTFS_PATH_MAX], const char *fmt, ...)
{
	VPATH(out, fmt, -ENAMETOOLONG);
	return 0;
}

/* The whole file at @path, NUL-terminated (not counted in *@len). */
static int read_all(const char *path, char **buf, size_t *len,
		    struct stat *st)
{
	size_t cap = 4096;
	char *b, *t;
	ssize_t r;
	int fd, ret = 0;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (st && fstat(fd, st) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	b = malloc(cap);
	while (b) {
		if (*len + 1 >= cap) {
			t = realloc(b, cap *= 2);
			if (!t) {
				free(b);
				b = NULL;
				break;
			}
			b = t;
		}
		r = read(fd, b + *len, cap - *len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			break;
		}
		if (!r)
			break;
		*len += r;
	}
	close(fd);
	if (!b)
		return -ENOMEM;
	if (ret) {
		free(b);
		return ret;
	}
	b[*len] = '\0';
	*buf = b;
	return 0;
}

int rootfs_read(char **text, struct stat *st, const char *fmt, ...)
{
	char path[ROOTFS_PATH_MAX];
	size_t len;
	int ret;

	*text = NULL;
	VPATH(path, fmt, -ENAMETOOLONG);
	ret = read_all(path, text, &len, st);
	if (!ret && strlen(*text) != len) {
		free(*text);
		*text = NULL;
		ret = -EINVAL;
	}
	return ret;
}

int rootfs_read_bytes(unsigned char **buf, size_t *len, const char *fmt, ...)
{
	char path[ROOTFS_PATH_MAX];

	*buf = NULL;
	VPATH(path, fmt, -ENAMETOOLONG);
	return read_all(path, (char **)buf, len, NULL);
}

char *rootfs_text(const char *fmt, ...)
{
	char path[ROOTFS_PATH_MAX], *text;
	size_t len;

	VPATH(path, fmt, NULL);
	if (read_all(path, &text, &len, NULL))
		return NULL;
	if (strlen(text) != len) {
		free(text);
		return NULL;
	}
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';
	return text;
}

int rootfs_attr(char *out, size_t size, const char *fmt, ...)
{
	char path[ROOTFS_PATH_MAX];
	int ret = 0;
	FILE *f;

	VPATH(path, fmt, -ENAMETOOLONG);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(out, size, f))
		ret = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!ret)
		out[strcspn(out, "\n")] = '\0';
	return ret;
}

bool rootfs_uint(unsigned int *v, const char *fmt, ...)
{
	char path[ROOTFS_PATH_MAX], buf[64], *end;
	unsigned long x;
	FILE *f;
	bool ok;

	VPATH(path, fmt, false);
	f = fopen(path, "re");
	if (!f)
		return false;
	ok = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (!ok)
		return false;
	errno = 0;
	x = strtoul(buf, &end, 0);
	ok = end != buf && !errno && (!*end || isspace((unsigned char)*end)) &&
	     x <= ~0u;
	if (ok)
		*v = x;
	return ok;
}

int rootfs_link_name(char *out, size_t size, const char *fmt, ...)
{
	char path[ROOTFS_PATH_MAX], target[ROOTFS_PATH_MAX];
	const char *base;
	ssize_t n;

	VPATH(path, fmt, -ENAMETOOLONG);
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

bool rootfs_exists(const char *fmt, ...)
{
	char path[ROOTFS_PATH_MAX];
	struct stat st;

	VPATH(path, fmt, false);
	return lstat(path, &st) == 0;
}

bool rootfs_is_dir(const char *fmt, ...)
{
	char path[ROOTFS_PATH_MAX];
	struct stat st;

	VPATH(path, fmt, false);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void rootfs_list_free(char **names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int rootfs_list(char ***names, const char *fmt, ...)
{
	char path[ROOTFS_PATH_MAX], **v = NULL, **p;
	struct dirent *de;
	int n = 0, ret = 0;
	DIR *dir;

	*names = NULL;
	VPATH(path, fmt, -ENAMETOOLONG);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		p = realloc(v, (n + 1) * sizeof(*v));
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		v = p;
		v[n] = strdup(de->d_name);
		if (!v[n]) {
			ret = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(dir);
	if (ret) {
		rootfs_list_free(v, n);
		return ret;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	return n;
}

static int write_all(int fd, const char *text)
{
	size_t left = strlen(text);
	ssize_t n;

	while (left) {
		n = write(fd, text, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		text += n;
		left -= n;
	}
	return 0;
}

int rootfs_replace(const char *tmp, const char *path, const char *text,
		   bool durable)
{
	int fd, ret;

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* 0644 whatever the umask: these files are for every user to read. */
	ret = fchmod(fd, 0644) < 0 ? -errno : 0;
	if (!ret)
		ret = write_all(fd, text);
	if (!ret && durable && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}
