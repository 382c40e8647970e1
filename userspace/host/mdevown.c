// SPDX-License-Identifier: GPL-2.0
/*
 * mdevown.c - which mdevs vgpu-nl made, kept under /run (mdevown.h)
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/mdevown.h"
#include "host/rootfs.h"
#include "kernel/handle.h"
#include "output/output.h"

/* MDEVOWN_DIR under the host's root (rootfs.h). */
static const char *own_dir(void)
{
	static char dir[ROOTFS_PATH_MAX];

	if (rootfs_path(dir, "%s", MDEVOWN_DIR) < 0)
		snprintf(dir, sizeof(dir), "%s", MDEVOWN_DIR);
	return dir;
}

/* A record's name: an mdev UUID in the canonical form (kernel/handle.h). */
static bool uuid_shaped(const char *name)
{
	char canon[VGPU_UUID_LEN + 1];

	return !uuid_normalize(name, canon) && !strcmp(canon, name);
}

/* mkdir -p of MDEVOWN_DIR under the root, mode 0755. */
static int make_dirs(void)
{
	char path[ROOTFS_PATH_MAX], *p = path;

	snprintf(path, sizeof(path), "%s", own_dir());
	while ((p = strchr(p + 1, '/'))) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* The record's text, as the file holds it. */
static void record_text(char *buf, size_t len, const char *parent,
			const char *type)
{
	snprintf(buf, len, "parent %s\ntype %s\n", parent, type);
}

/*
 * Writes @text to DIR/@uuid through DIR/.@uuid.tmp; 0 or -errno. Every
 * mdev add writes one (a batch, one per line): the directories are made
 * and a leftover of an interrupted write is removed only when the write
 * finds them missing or there, not looked for each time.
 */
static int record(const char *uuid, const char *parent, const char *type)
{
	char path[4200], tmp[4200], text[512];
	int ret;

	record_text(text, sizeof(text), parent, type);
	snprintf(path, sizeof(path), "%s/%s", own_dir(), uuid);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", own_dir(), uuid);
	ret = rootfs_replace(tmp, path, text, false);
	if (ret == -ENOENT)
		ret = make_dirs();
	else if (ret == -EEXIST)
		ret = unlink(tmp) < 0 ? -errno : 0;
	else
		return ret;
	return ret ? ret : rootfs_replace(tmp, path, text, false);
}

void mdevown_record(const char *uuid, const char *parent, const char *type)
{
	int ret = record(uuid, parent, type);

	if (ret < 0)
		pr_warn("cannot record mdev %s as vgpu-nl's in %s: %s; it counts as vgpu-nl's only while vgpu_nl stays loaded",
			uuid, own_dir(), strerror(-ret));
}

void mdevown_forget(const char *uuid)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", own_dir(), uuid);
	unlink(path);
}

bool mdevown_recorded(const char *uuid, const char *parent, const char *type)
{
	char want[512], *got;
	bool same;

	if (!uuid_shaped(uuid) ||
	    rootfs_read(&got, NULL, "%s/%s", MDEVOWN_DIR, uuid))
		return false;
	record_text(want, sizeof(want), parent, type);
	same = !strcmp(got, want);
	free(got);
	return same;
}

static const struct mdevown_live *find(const struct mdevown_live *live,
				       size_t n, const char *uuid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(live[i].uuid, uuid))
			return &live[i];
	return NULL;
}

void mdevown_sync(const struct mdevown_live *live, size_t n)
{
	const char *dir = own_dir();
	struct dirent *de;
	size_t i;
	DIR *d;

	if (access(dir, W_OK) == 0 && (d = opendir(dir))) {
		while ((de = readdir(d)))
			if (uuid_shaped(de->d_name) &&
			    !find(live, n, de->d_name))
				mdevown_forget(de->d_name);
		closedir(d);
	}
	/* Best effort: a user who cannot write here changes nothing. */
	for (i = 0; i < n; i++)
		if (live[i].kernel_owned &&
		    !mdevown_recorded(live[i].uuid, live[i].parent, live[i].type) &&
		    record(live[i].uuid, live[i].parent, live[i].type) == -EACCES)
			break;
}
