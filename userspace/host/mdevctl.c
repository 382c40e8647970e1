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
#define _GNU_SOURCE	/* O_CLOEXEC */
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
#include "host/rootfs.h"
#include "kernel/handle.h"

#define MDEVCTL_DIR	"/etc/mdevctl.d"

const char *mdevctl_path(const char *parent, const char *uuid, char *buf,
			 size_t len)
{
	snprintf(buf, len, "%s" MDEVCTL_DIR "/%s/%s", rootfs_root(),
		 handle_dev_name(parent), uuid);
	return buf;
}

bool mdevctl_defined(const char *parent, const char *uuid)
{
	char path[4096];
	struct stat st;

	mdevctl_path(parent, uuid, path, sizeof(path));
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* mdevctl writes an empty list as "[]", json-c's pretty printer does not. */
static int empty_array(struct json_object *jso, struct printbuf *pb,
		       int level, int flags)
{
	(void)jso;
	(void)level;
	(void)flags;
	return printbuf_strappend(pb, "[]");
}

/* Adds @key: @val to @obj, which takes @val; false (and @val freed) if not. */
static bool add(json_object *obj, const char *key, json_object *val)
{
	if (!val || json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return false;
	}
	return true;
}

int mdevctl_format(const char *type, char **text)
{
	json_object *def = json_object_new_object(), *attrs;
	const char *out = NULL;

	*text = NULL;
	attrs = json_object_new_array();
	if (attrs)
		json_object_set_serializer(attrs, empty_array, NULL, NULL);
	if (def && attrs && add(def, "mdev_type", json_object_new_string(type)) &&
	    add(def, "start", json_object_new_string("auto"))) {
		if (add(def, "attrs", attrs))
			out = json_object_to_json_string_ext(def,
				JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				JSON_C_TO_STRING_NOSLASHESCAPE);
	} else {
		json_object_put(attrs);
	}
	if (out)
		*text = strdup(out);
	json_object_put(def);
	return *text ? 0 : -ENOMEM;
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

int mdevctl_define(const char *parent, const char *uuid, const char *type,
		   char *why, size_t len)
{
	char root[ROOTFS_PATH_MAX], dir[ROOTFS_PATH_MAX + 64];
	char tmp[ROOTFS_PATH_MAX + 200], path[ROOTFS_PATH_MAX + 200], *text;
	struct stat st;
	bool made_dir;
	int ret;

	/*
	 * Without mdevctl nothing reads the file: the mdev would not come
	 * back, which is what "persist" promises.
	 */
	ret = rootfs_path(root, MDEVCTL_DIR);
	if (!ret && stat(root, &st) < 0)
		ret = -errno;
	else if (!ret)
		ret = S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	if (ret < 0) {
		snprintf(why, len, "%s: %s (is mdevctl installed? without it nothing recreates the mdev after a reboot)",
			 root, strerror(-ret));
		return ret;
	}
	snprintf(dir, sizeof(dir), "%s/%s", root, handle_dev_name(parent));
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
		ret = rootfs_replace(tmp, path, text, true);
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
	char path[ROOTFS_PATH_MAX];
	struct dirent *de;
	int n = 0, ret = 0;
	DIR *d;

	if (rootfs_path(path, MDEVCTL_DIR))
		return -ENAMETOOLONG;
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	/* One directory per parent: the UUID may be defined under any. */
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (rootfs_path(path, MDEVCTL_DIR "/%s/%s", de->d_name, uuid))
			continue;
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
