// SPDX-License-Identifier: GPL-2.0
/*
 * fake_host.c - see fake_host.h
 */
#define _XOPEN_SOURCE 700	/* nftw() */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake_host.h"
#include "persist/config.h"
#include "host/rootfs.h"

static char root[64];
static struct rootfs_saved real_root;
static char conf[128], lock[128];

/* mkdir -p of root/@rel; aborts on failure (the test cannot go on). */
static void mkdirs(const char *rel)
{
	char path[512], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			abort();
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		abort();
}

static void write_file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (symlink(target, path) < 0)
		abort();
}

void fh_setup(void)
{
	snprintf(root, sizeof(root), "/tmp/vgpu-nl-unit.XXXXXX");
	if (!mkdtemp(root) || chmod(root, 0755) < 0)	/* for euid nobody */
		abort();
	mkdirs("proc");
	mkdirs("sys/bus/pci/devices");
	mkdirs("sys/bus/mdev/devices");
	mkdirs("etc/mdevctl.d/scripts.d/callouts");	/* as mdevctl ships it */
	if (rootfs_enter(root, &real_root))
		abort();
	/* Not made here: "save" makes the directory. */
	snprintf(conf, sizeof(conf), "%s/etc/vgpu-nl/vgpu-nl.conf", root);
	config_path = conf;
	snprintf(lock, sizeof(lock), "%s/run/vgpu-nl/apply.lock", root);
	apply_lock_path = lock;
	/* What a real /proc has besides pids: never taken for a process. */
	link_to("1", "proc/self");
	mkdirs("proc/sys");
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	chmod(path, 0755);	/* a directory made unreadable for a test */
	return remove(path);
}

void fh_teardown(void)
{
	rootfs_leave(&real_root);
	config_path = CONFIG_PATH;
	apply_lock_path = APPLY_LOCK_PATH;
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fh_remove(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fh_pid_dir(int pid)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "proc/%d", pid);
	mkdirs(rel);
}

void fh_fd(int pid, int fd, const char *target)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "proc/%d/fd", pid);
	mkdirs(rel);
	snprintf(rel, sizeof(rel), "proc/%d/fd/%d", pid, fd);
	link_to(target, rel);
}

void fh_comm(int pid, const char *comm)
{
	char rel[64], text[64];

	fh_pid_dir(pid);
	snprintf(rel, sizeof(rel), "proc/%d/comm", pid);
	snprintf(text, sizeof(text), "%s\n", comm);
	write_file(rel, text);
}

void fh_pci(const char *name, int vf, const char *cdev)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", name);
	mkdirs(rel);
	if (vf) {
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/physfn", name);
		link_to("../0000:01:00.0", rel);
	}
	if (cdev) {
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/vfio-dev/%s",
			 name, cdev);
		mkdirs(rel);
	}
}

void fh_mdev(const char *uuid, const char *cdev)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "sys/bus/mdev/devices/%s", uuid);
	mkdirs(rel);
	if (cdev) {
		snprintf(rel, sizeof(rel), "sys/bus/mdev/devices/%s/vfio-dev/%s",
			 uuid, cdev);
		mkdirs(rel);
	}
}

void fh_define(const char *parent, const char *uuid, const char *text)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "etc/mdevctl.d/%s", parent);
	mkdirs(rel);
	snprintf(rel, sizeof(rel), "etc/mdevctl.d/%s/%s", parent, uuid);
	write_file(rel, text);
}

void fh_mkdir(const char *rel)
{
	mkdirs(rel);
}

void fh_write(const char *rel, const char *text)
{
	write_file(rel, text);
}

char *fh_read(const char *rel)
{
	char path[512], *text = NULL;
	size_t len = 0;
	FILE *f, *m;
	int c;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	m = open_memstream(&text, &len);
	if (!m)
		abort();
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return text;
}

bool fh_exists(const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return lstat(path, &st) == 0;
}

const char *fh_path(const char *rel)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return path;
}
