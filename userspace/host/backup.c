// SPDX-License-Identifier: GPL-2.0
/*
 * backup.c - "host apply" and "host rollback": changing a host's boot
 * files all or nothing, with a backup to return to
 *
 * A backup is ROOT/var/lib/vgpu-nl/backup/<UTC time>/ holding
 *   manifest       "mode MODE", then "ACTION MODE UID GID PATH" per file,
 *                  ACTION modified, created or removed
 *   orig/PATH      the file before (modified, removed)
 *   new/PATH       the file as apply wrote it (modified, created), so that
 *                  rollback sees whether someone edited it since
 * A backup with a manifest is pending; rollback renames the manifest to
 * manifest.rolled-back and keeps the directory as a record. Backups are
 * not stacked: apply refuses while one is pending, so that rollback has
 * one meaning, "the files as they were before vgpu-nl touched them".
 *
 * Files change by rename() of a complete copy written next to them, so a
 * reader never sees half a file, and all copies are written before the
 * first rename: a file that cannot be written stops the lot before
 * anything changed.
 */
#define _GNU_SOURCE	/* asprintf() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "host/plan.h"
#include "host/rootfs.h"
#include "output/output.h"

#define HS_TMP_SUFFIX	".vgpu-nl-new"
#define HS_MAX_FILES	8

struct entry {
	char action[16];	/* modified, created, removed */
	unsigned int mode, uid, gid;
	char path[256];
	char *orig, *new;	/* from the backup */
	bool skip;		/* already as before: nothing to do */
};

static int mkdirs(const char *path)
{
	char buf[ROOTFS_PATH_MAX], *p;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes @text to @path (created, or replaced by O_TRUNC when !excl). */
static int write_text(const char *path, const char *text, unsigned int mode,
		      unsigned int uid, unsigned int gid, bool excl)
{
	size_t len = strlen(text), off = 0;
	ssize_t w;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
		  (excl ? O_EXCL : O_TRUNC), 0600);
	if (fd < 0)
		return -errno;
	while (off < len && !ret) {
		w = write(fd, text + off, len - off);
		if (w < 0 && errno != EINTR)
			ret = -errno;
		else if (w > 0)
			off += w;
	}
	/* Owner first: chown clears set-id bits that fchmod then sets. */
	if (!ret && geteuid() == 0 && fchown(fd, uid, gid) < 0)
		ret = -errno;
	if (!ret && fchmod(fd, mode) < 0)
		ret = -errno;
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

/* Backup copy of @text as DIR/@sub@path. */
static int save_copy(const char *dir, const char *sub, const char *path,
		     const char *text)
{
	char p[ROOTFS_PATH_MAX], *slash;
	int ret = rootfs_path(p, dir, "/%s%s", sub, path);

	if (ret)
		return ret;
	slash = strrchr(p, '/');
	*slash = '\0';
	ret = mkdirs(p);
	*slash = '/';
	return ret ? ret : write_text(p, text, 0600, 0, 0, false);
}

static int read_copy(const char *dir, const char *sub, const char *path,
		     char **text)
{
	char p[ROOTFS_PATH_MAX];
	int ret = rootfs_path(p, dir, "/%s%s", sub, path);

	return ret ? ret : rootfs_read(p, text, NULL);
}

static int tmp_path(char out[ROOTFS_PATH_MAX], const char *root,
		    const char *path)
{
	return rootfs_path(out, root, "%s" HS_TMP_SUFFIX, path);
}

/*
 * The pending backup (the newest, should there ever be more) into
 * @dir, its name into @name. Returns 1, 0 if there is none, or -errno.
 */
static int find_pending(const char *root, char dir[ROOTFS_PATH_MAX],
			char name[256])
{
	char base[ROOTFS_PATH_MAX], m[ROOTFS_PATH_MAX];
	struct dirent *de;
	int found = 0;
	DIR *d;

	if (rootfs_path(base, root, HS_BACKUP_DIR))
		return -ENAMETOOLONG;
	d = opendir(base);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= 256 ||
		    rootfs_path(m, base, "/%s/manifest", de->d_name) ||
		    !rootfs_exists(m))
			continue;
		if (found && strcmp(de->d_name, name) < 0)
			continue;
		strcpy(name, de->d_name);
		found = 1;
	}
	closedir(d);
	if (found && rootfs_path(dir, base, "/%s", name))
		return -ENAMETOOLONG;
	return found;
}

/* A new backup directory named for the time; "-2", "-3"... if taken. */
static int new_backup(const char *root, char dir[ROOTFS_PATH_MAX],
		      char name[64])
{
	char base[ROOTFS_PATH_MAX], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int ret, i;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	ret = rootfs_path(base, root, HS_BACKUP_DIR);
	if (!ret)
		ret = mkdirs(base);
	for (i = 1; !ret && i < 100; i++) {
		snprintf(name, 64, i == 1 ? "%s" : "%s-%d", stamp, i);
		ret = rootfs_path(dir, base, "/%s", name);
		if (!ret && mkdir(dir, 0700) == 0)
			return 0;
		if (!ret && errno != EEXIST)
			ret = -errno;
	}
	return ret ? ret : -EEXIST;
}

static const char *action_of(const struct hs_file *f)
{
	return !f->old ? "created" : !f->new ? "removed" : "modified";
}

static int write_backup(const char *dir, const char *mode,
			const struct hs_file *files, size_t n)
{
	char *manifest = NULL, *line;
	size_t i;
	int ret = 0;

	if (asprintf(&manifest, "# vgpu-nl host apply; \"vgpu-nl host rollback\" restores it\nmode %s\n",
		     mode) < 0)
		return -ENOMEM;
	for (i = 0; i < n && !ret; i++) {
		const struct hs_file *f = &files[i];

		if (!hs_file_changes(f))
			continue;
		if (f->old)
			ret = save_copy(dir, "orig", f->path, f->old);
		if (!ret && f->new)
			ret = save_copy(dir, "new", f->path, f->new);
		if (ret)
			break;
		if (asprintf(&line, "%s%s %04o %u %u %s\n", manifest,
			     action_of(f),
			     f->old ? (unsigned int)f->st.st_mode & 07777 : 0644,
			     f->old ? (unsigned int)f->st.st_uid : geteuid(),
			     f->old ? (unsigned int)f->st.st_gid : getegid(),
			     f->path) < 0) {
			ret = -ENOMEM;
			break;
		}
		free(manifest);
		manifest = line;
	}
	if (!ret)
		ret = save_copy(dir, "", "/manifest", manifest);
	free(manifest);
	return ret;
}

/* Puts the staged copy of @f in place (or removes it). */
static int commit_one(const char *root, const struct hs_file *f)
{
	char path[ROOTFS_PATH_MAX], tmp[ROOTFS_PATH_MAX];

	if (rootfs_path(path, root, "%s", f->path) ||
	    tmp_path(tmp, root, f->path))
		return -ENAMETOOLONG;
	if (f->new)
		return rename(tmp, path) < 0 ? -errno : 0;
	return unlink(path) < 0 ? -errno : 0;
}

/* Takes back one committed change of apply, from the plan's old text. */
static void undo_one(const char *root, const struct hs_file *f)
{
	char path[ROOTFS_PATH_MAX], tmp[ROOTFS_PATH_MAX];

	if (rootfs_path(path, root, "%s", f->path) ||
	    tmp_path(tmp, root, f->path))
		return;
	if (!f->old) {
		unlink(path);
		return;
	}
	unlink(tmp);
	if (write_text(tmp, f->old, f->st.st_mode & 07777, f->st.st_uid,
		       f->st.st_gid, true) || rename(tmp, path))
		pr_err("could not restore %s; its old content is in the backup", path);
}

static void unstage(const char *root, const struct hs_file *files, size_t n)
{
	char tmp[ROOTFS_PATH_MAX];
	size_t i;

	for (i = 0; i < n; i++)
		if (hs_file_changes(&files[i]) && files[i].new &&
		    !tmp_path(tmp, root, files[i].path))
			unlink(tmp);
}

static int stage_all(const char *root, const struct hs_file *files, size_t n)
{
	char tmp[ROOTFS_PATH_MAX];
	const struct hs_file *f;
	size_t i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		f = &files[i];
		if (!hs_file_changes(f) || !f->new)
			continue;
		ret = tmp_path(tmp, root, f->path);
		if (!ret) {
			unlink(tmp);
			ret = write_text(tmp, f->new,
					 f->old ? f->st.st_mode & 07777 : 0644,
					 f->old ? f->st.st_uid : geteuid(),
					 f->old ? f->st.st_gid : getegid(), true);
		}
		if (ret)
			pr_err("cannot write %s%s: %s", root, f->path,
			       strerror(-ret));
	}
	if (ret)
		unstage(root, files, i);
	return ret;
}

int hs_apply(const char *root, const char *mode, const struct hs_file *files,
	     size_t n, const struct hs_hooks *hooks, bool run_hooks)
{
	char dir[ROOTFS_PATH_MAX], name[256];
	size_t i, j;
	int ret;

	ret = find_pending(root, dir, name);
	if (ret > 0) {
		pr_err("the apply of %s%s/%s is not rolled back; run 'vgpu-nl host rollback' first (backups are not stacked: a rollback returns to the files as they were before vgpu-nl)",
		       root, HS_BACKUP_DIR, name);
		return EXIT_FAIL;
	}
	if (!ret)
		ret = new_backup(root, dir, name);
	if (ret) {
		pr_err("cannot make a backup in %s%s: %s", root, HS_BACKUP_DIR,
		       strerror(-ret));
		return EXIT_FAIL;
	}
	ret = write_backup(dir, mode, files, n);
	if (ret) {
		pr_err("cannot write the backup %s: %s; nothing was changed",
		       dir, strerror(-ret));
		rm_rf(dir);
		return EXIT_FAIL;
	}
	if (stage_all(root, files, n)) {
		pr_err("nothing was changed");
		rm_rf(dir);
		return EXIT_FAIL;
	}
	for (i = 0; i < n; i++) {
		if (!hs_file_changes(&files[i]))
			continue;
		ret = commit_one(root, &files[i]);
		if (ret)
			break;
	}
	if (ret) {
		pr_err("cannot change %s%s: %s; undoing the changes made", root,
		       files[i].path, strerror(-ret));
		unstage(root, files, n);
		for (j = 0; j < i; j++)
			if (hs_file_changes(&files[j]))
				undo_one(root, &files[j]);
		rm_rf(dir);
		return EXIT_FAIL;
	}

	output_begin();
	open_object("host");
	print_string(PRINT_ANY, "mode", "applied %s", mode);
	print_string(PRINT_ANY, "backup", ", backup in " HS_BACKUP_DIR "/%s\n",
		     name);
	open_array("changes");
	for (i = 0; i < n; i++) {
		if (!hs_file_changes(&files[i]))
			continue;
		open_object(NULL);
		print_string(PRINT_ANY, "action", "%s ", action_of(&files[i]));
		print_string(PRINT_ANY, "path", "%s\n", files[i].path);
		close_object();
	}
	close_array();
	ret = hs_hooks_finish(hooks, run_hooks);
	close_object();
	return cli_output_end() == EXIT_OK && !ret ? EXIT_OK : EXIT_FAIL;
}

static int parse_manifest(const char *text, char mode[32],
			  struct entry *e, size_t *n, int *bad_line)
{
	const char *p, *nl;
	int line = 0;

	*n = 0;
	mode[0] = '\0';
	for (p = text; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		line++;
		if (*p == '#' || *p == '\n')
			continue;
		if (!strncmp(p, "mode ", 5)) {
			snprintf(mode, 32, "%.*s", (int)strcspn(p + 5, "\n"),
				 p + 5);
			continue;
		}
		if (*n == HS_MAX_FILES ||
		    sscanf(p, "%15s %o %u %u %255s", e[*n].action, &e[*n].mode,
			   &e[*n].uid, &e[*n].gid, e[*n].path) != 5 ||
		    e[*n].path[0] != '/' || strstr(e[*n].path, "/..") ||
		    (strcmp(e[*n].action, "modified") &&
		     strcmp(e[*n].action, "created") &&
		     strcmp(e[*n].action, "removed"))) {
			*bad_line = line;
			return -EINVAL;
		}
		(*n)++;
	}
	return 0;
}

/* Whether @path is as @text says (NULL: absent), with @mode if given. */
static bool is_as(const char *path, const char *text, unsigned int mode)
{
	struct stat st;
	char *cur;
	bool same;
	int ret = rootfs_read(path, &cur, &st);

	if (ret)
		return ret == -ENOENT && !text;
	same = text && !strcmp(cur, text) &&
	       (!mode || (st.st_mode & 07777) == mode);
	free(cur);
	return same;
}

static void entries_free(struct entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(e[i].orig);
		free(e[i].new);
	}
}

/* Reads the copies and decides what each entry needs; conflicts count. */
static int check_entries(const char *root, const char *dir, struct entry *e,
			 size_t n, bool force, int *conflicts)
{
	char path[ROOTFS_PATH_MAX];
	bool created;
	size_t i;
	int ret = 0;

	*conflicts = 0;
	for (i = 0; i < n && !ret; i++) {
		created = !strcmp(e[i].action, "created");
		if (!created)
			ret = read_copy(dir, "orig", e[i].path, &e[i].orig);
		if (!ret && strcmp(e[i].action, "removed"))
			ret = read_copy(dir, "new", e[i].path, &e[i].new);
		if (!ret)
			ret = rootfs_path(path, root, "%s", e[i].path);
		if (ret) {
			pr_err("backup %s is incomplete (%s): %s", dir,
			       e[i].path, strerror(-ret));
			return ret;
		}
		if (is_as(path, e[i].orig, e[i].mode)) {
			e[i].skip = true;
		} else if (!is_as(path, e[i].new, 0)) {
			if (force)
				pr_warn("%s changed since the apply; restoring it anyway (--force)",
					e[i].path);
			else
				pr_err("%s changed since the apply; rolling back would lose that change",
				       e[i].path);
			(*conflicts)++;
		}
	}
	return 0;
}

static int restore_all(const char *root, struct entry *e, size_t n)
{
	char path[ROOTFS_PATH_MAX], tmp[ROOTFS_PATH_MAX];
	size_t i;
	int ret = 0;

	/* Every copy first, then the renames: all or nothing, as apply. */
	for (i = 0; i < n && !ret; i++) {
		if (e[i].skip || !e[i].orig)
			continue;
		ret = tmp_path(tmp, root, e[i].path);
		if (!ret) {
			unlink(tmp);
			ret = write_text(tmp, e[i].orig, e[i].mode, e[i].uid,
					 e[i].gid, true);
		}
		if (ret)
			pr_err("cannot write %s%s: %s; nothing was rolled back",
			       root, e[i].path, strerror(-ret));
	}
	if (ret) {
		while (i-- > 0)
			if (!e[i].skip && e[i].orig &&
			    !tmp_path(tmp, root, e[i].path))
				unlink(tmp);
		return ret;
	}
	for (i = 0; i < n && !ret; i++) {
		if (e[i].skip)
			continue;
		ret = rootfs_path(path, root, "%s", e[i].path);
		if (!ret && e[i].orig)
			ret = tmp_path(tmp, root, e[i].path) ?:
			      (rename(tmp, path) < 0 ? -errno : 0);
		else if (!ret && unlink(path) < 0 && errno != ENOENT)
			ret = -errno;
		if (ret)
			pr_err("cannot restore %s%s: %s", root, e[i].path,
			       strerror(-ret));
	}
	return ret;
}

int hs_rollback(const char *root, bool force, bool run_hooks)
{
	char dir[ROOTFS_PATH_MAX], name[256], path[ROOTFS_PATH_MAX];
	char done[ROOTFS_PATH_MAX];
	struct entry e[HS_MAX_FILES];
	struct hs_hooks hooks = { 0 };
	char mode[32], *manifest = NULL;
	int ret, bad = 0, conflicts;
	size_t n = 0, i;

	memset(e, 0, sizeof(e));
	ret = find_pending(root, dir, name);
	if (ret < 0) {
		pr_err("cannot read %s%s: %s", root, HS_BACKUP_DIR,
		       strerror(-ret));
		return EXIT_FAIL;
	}
	if (!ret) {
		output_begin();
		open_object("host");
		print_bool(PRINT_JSON, "changed", NULL, false);
		print_string(PRINT_FP, NULL, "nothing to roll back: no pending backup in %s\n",
			     HS_BACKUP_DIR);
		close_object();
		return cli_output_end();
	}
	ret = rootfs_path(path, dir, "/manifest");
	if (!ret)
		ret = rootfs_read(path, &manifest, NULL);
	if (!ret)
		ret = parse_manifest(manifest, mode, e, &n, &bad);
	if (ret) {
		if (bad)
			pr_err("%s:%d: malformed line", path, bad);
		else
			pr_err("cannot read %s: %s", path, strerror(-ret));
		free(manifest);
		return EXIT_FAIL;
	}
	ret = check_entries(root, dir, e, n, force, &conflicts);
	if (!ret && conflicts && !force) {
		pr_err("nothing was rolled back; add --force to restore the files of %s anyway",
		       name);
		ret = -EBUSY;
	}
	if (!ret)
		ret = restore_all(root, e, n);
	if (!ret && (rootfs_path(done, dir, "/manifest.rolled-back") ||
		     rename(path, done) < 0)) {
		pr_err("cannot mark %s as rolled back: %s", dir, strerror(errno));
		ret = -EIO;
	}
	if (ret) {
		entries_free(e, n);
		free(manifest);
		return EXIT_FAIL;
	}

	output_begin();
	open_object("host");
	print_string(PRINT_ANY, "backup", "rolled back " HS_BACKUP_DIR "/%s",
		     name);
	print_string(PRINT_ANY, "mode", " (%s)\n", mode);
	open_array("changes");
	for (i = 0; i < n; i++) {
		open_object(NULL);
		print_string(PRINT_ANY, "action", "%s ", e[i].skip ? "unchanged" :
			     !e[i].orig ? "removed" : "restored");
		print_string(PRINT_ANY, "path", "%s\n", e[i].path);
		close_object();
		if (!e[i].skip)
			hs_hooks_for(root, e[i].path, &hooks);
	}
	close_array();
	ret = hs_hooks_finish(&hooks, run_hooks);
	close_object();
	entries_free(e, n);
	free(manifest);
	return cli_output_end() == EXIT_OK && !ret ? EXIT_OK : EXIT_FAIL;
}
