// SPDX-License-Identifier: GPL-2.0
/*
 * mdevctl.c - mdevctl's definition files (see mdevctl.h)
 *
 * The format is mdevctl's own (1.2, Debian 12): pretty-printed JSON with
 * two-space indents, no trailing newline, mode 0644, in a 0755 directory
 * named after the parent's sysfs name:
 *
 *	/etc/mdevctl.d/0000:00:02.0/6eba5b41-176e-40db-b93e-7f18e04e0b93
 *	{
 *	  "mdev_type": "i915-GVTg_V5_4",
 *	  "start": "auto",
 *	  "attrs": []
 *	}
 *
 * which is what "mdevctl define -a -u UUID -p 0000:00:02.0 -t TYPE" writes.
 */
#define _GNU_SOURCE	/* O_CLOEXEC, asprintf() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "host/mdevctl.h"
#include "kernel/handle.h"

const char *mdevctl_root = "/etc/mdevctl.d";

const char *mdevctl_path(const char *parent, const char *uuid, char *buf,
			 size_t len)
{
	snprintf(buf, len, "%s/%s/%s", mdevctl_root, handle_dev_name(parent),
		 uuid);
	return buf;
}

bool mdevctl_defined(const char *parent, const char *uuid)
{
	char path[4096];
	struct stat st;

	mdevctl_path(parent, uuid, path, sizeof(path));
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int mdevctl_format(const char *type, char **text)
{
	json_object *s = json_object_new_string(type);
	const char *quoted;
	int ret = -ENOMEM;

	*text = NULL;
	/* json-c only for the escaping of the one string in it. */
	quoted = s ? json_object_to_json_string_ext(s, JSON_C_TO_STRING_NOSLASHESCAPE) :
		 NULL;
	if (quoted &&
	    asprintf(text, "{\n  \"mdev_type\": %s,\n  \"start\": \"auto\",\n  \"attrs\": []\n}",
		     quoted) >= 0)
		ret = 0;
	else
		*text = NULL;
	json_object_put(s);
	return ret;
}

/* mkdir that says whether it made the directory (*@made) or found one. */
static int make_dir(const char *path, bool *made)
{
	struct stat st;

	*made = false;
	if (mkdir(path, 0755) == 0) {
		*made = true;
		return 0;
	}
	if (errno != EEXIST)
		return -errno;
	if (stat(path, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
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

/* @text into a new @tmp, on disk before it is renamed to @path. */
static int write_file(const char *tmp, const char *path, const char *text)
{
	int fd, ret;

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* mdevctl's mode, whatever the umask. */
	ret = fchmod(fd, 0644) < 0 ? -errno : 0;
	if (!ret)
		ret = write_all(fd, text);
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int mdevctl_define(const char *parent, const char *uuid, const char *type,
		   char *why, size_t len)
{
	char dir[4096], tmp[4200], path[4200], *text;
	struct stat st;
	bool made_dir;
	int ret;

	/*
	 * Without mdevctl nothing reads the file: the mdev would not come
	 * back, which is what "persist" promises.
	 */
	if (stat(mdevctl_root, &st) < 0)
		ret = -errno;
	else
		ret = S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	if (ret < 0) {
		snprintf(why, len, "%s: %s (is mdevctl installed? without it nothing recreates the mdev after a reboot)",
			 mdevctl_root, strerror(-ret));
		return ret;
	}
	snprintf(dir, sizeof(dir), "%s/%s", mdevctl_root,
		 handle_dev_name(parent));
	snprintf(path, sizeof(path), "%s/%s", dir, uuid);
	snprintf(tmp, sizeof(tmp), "%s/.%s.vgpu-nl", dir, uuid);

	ret = mdevctl_format(type, &text);
	if (ret < 0) {
		snprintf(why, len, "cannot write %s: %s", path, strerror(-ret));
		return ret;
	}
	ret = make_dir(dir, &made_dir);
	if (ret < 0) {
		snprintf(why, len, "cannot make %s: %s", dir, strerror(-ret));
	} else {
		ret = write_file(tmp, path, text);
		if (ret < 0) {
			snprintf(why, len, "cannot write %s: %s", path,
				 strerror(-ret));
			if (made_dir)
				rmdir(dir);
		}
	}
	free(text);
	return ret;
}

int mdevctl_undefine(const char *uuid, void (*fn)(const char *path),
		     char *failed, size_t len)
{
	char path[4096];
	struct dirent *de;
	int n = 0, ret = 0;
	DIR *d;

	d = opendir(mdevctl_root);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	/* One directory per parent: the UUID may be defined under any. */
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", mdevctl_root,
			 de->d_name, uuid);
		if (unlink(path) == 0) {
			n++;
			if (fn)
				fn(path);
		} else if (errno != ENOENT && errno != ENOTDIR) {
			ret = -errno;
			snprintf(failed, len, "%s", path);
			break;
		}
	}
	closedir(d);
	return ret < 0 ? ret : n;
}
