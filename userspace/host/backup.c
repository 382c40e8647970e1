// SPDX-License-Identifier: GPL-2.0
/*
 * backup.c - "host apply" and "host rollback": changing a host's boot
 * files all or nothing, with a backup to return to
 *
 * A backup is /var/lib/vgpu-nl/backup/<UTC time>/ (under the root) holding
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

#include "host/backup.h"
#include "host/rootfs.h"
#include "output/output.h"

#define HS_TMP_SUFFIX	".vgpu-nl-new"

struct entry {
	char action[16];	/* modified, created, removed */
	unsigned int mode, uid, gid;
	char path[256];
	char *orig, *new;	/* from the backup */
	bool skip;		/* already as before: nothing to do */
};

/*
 * rmdir of @path and of its parents up to @made (the first directory an
 * mkdirs() made), deepest first; one not empty stays, and so above it.
 */
static void rmdirs(const char *path, const char *made)
{
	char buf[ROOTFS_PATH_MAX], *slash;
	size_t top = strlen(made);

	if (!top || snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return;
	while (strlen(buf) >= top) {
		if (rmdir(buf) < 0 && errno != ENOENT)
			return;
		slash = strrchr(buf, '/');
		if (!strcmp(buf, made) || !slash)
			return;
		*slash = '\0';
	}
}

/*
 * mkdir -p of @path, the last one 0700. @made (if not NULL) gets the first
 * directory that had to be made, "" if none, so that a failed apply takes
 * them away again (rmdirs()); a failure here takes away what it made.
 */
static int mkdirs(const char *path, char made[ROOTFS_PATH_MAX])
{
	char buf[ROOTFS_PATH_MAX], first[ROOTFS_PATH_MAX] = "", *p;
	int ret = 0;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	for (p = buf + 1; !ret; p++) {
		p = strchr(p, '/');
		if (p)
			*p = '\0';
		if (mkdir(buf, p ? 0755 : 0700) == 0) {
			if (!first[0])
				strcpy(first, buf);
		} else if (errno != EEXIST) {
			ret = -errno;
		}
		if (!p)
			break;
		*p = '/';
	}
	if (ret)
		rmdirs(path, first);
	else if (made)
		strcpy(made, first);
	return ret;
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

/* Backup copy of @text as @dir/@sub@path (@dir as the host names it). */
static int save_copy(const char *dir, const char *sub, const char *path,
		     const char *text)
{
	char p[ROOTFS_PATH_MAX], *slash;
	int ret = rootfs_path(p, "%s/%s%s", dir, sub, path);

	if (ret)
		return ret;
	slash = strrchr(p, '/');
	*slash = '\0';
	ret = mkdirs(p, NULL);
	*slash = '/';
	return ret ? ret : write_text(p, text, 0600, 0, 0, false);
}

static int read_copy(const char *dir, const char *sub, const char *path,
		     char **text)
{
	return rootfs_read(text, NULL, "%s/%s%s", dir, sub, path);
}

static int tmp_path(char out[ROOTFS_PATH_MAX], const char *path)
{
	return rootfs_path(out, "%s" HS_TMP_SUFFIX, path);
}

/*
 * The pending backup (the newest, should there ever be more) into @dir
 * (as the host names it), its name into @name. Returns 1, 0 if there is
 * none, or -errno.
 */
static int find_pending(char dir[ROOTFS_PATH_MAX], char name[256])
{
	char **names;
	int i, n, found = 0;

	n = rootfs_list(&names, HS_BACKUP_DIR);
	if (n < 0)
		return n == -ENOENT ? 0 : n;
	/* Sorted: the last with a manifest is the newest. */
	for (i = 0; i < n; i++) {
		if (strlen(names[i]) >= 256 ||
		    !rootfs_exists(HS_BACKUP_DIR "/%s/manifest", names[i]))
			continue;
		strcpy(name, names[i]);
		found = 1;
	}
	rootfs_list_free(names, n);
	if (found)
		snprintf(dir, ROOTFS_PATH_MAX, HS_BACKUP_DIR "/%s", name);
	return found;
}

/*
 * A new backup directory named for the time; "-2", "-3"... if taken.
 * @made: the first of its parents that had to be made, for rm_backup().
 */
static int new_backup(char dir[ROOTFS_PATH_MAX], char name[64],
		      char made[ROOTFS_PATH_MAX])
{
	char base[ROOTFS_PATH_MAX], path[ROOTFS_PATH_MAX], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int ret, i;

	made[0] = '\0';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	ret = rootfs_path(base, HS_BACKUP_DIR);
	if (!ret)
		ret = mkdirs(base, made);
	for (i = 1; !ret && i < 100; i++) {
		snprintf(name, 64, i == 1 ? "%s" : "%s-%d", stamp, i);
		snprintf(dir, ROOTFS_PATH_MAX, HS_BACKUP_DIR "/%s", name);
		ret = rootfs_path(path, "%s", dir);
		if (!ret && mkdir(path, 0700) == 0)
			return 0;
		if (!ret && errno != EEXIST)
			ret = -errno;
	}
	rmdirs(base, made);
	return ret ? ret : -EEXIST;
}

/*
 * rm -r of the backup @dir (as the host names it), and of the parents
 * new_backup() made for it (@made), which were not there before.
 */
static void rm_backup(const char *dir, const char *made)
{
	char path[ROOTFS_PATH_MAX];

	if (!rootfs_path(path, "%s", dir))
		rm_rf(path);
	if (!rootfs_path(path, HS_BACKUP_DIR))
		rmdirs(path, made);
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
		ret = save_copy(dir, "manifest", "", manifest);
	free(manifest);
	return ret;
}

/* Puts the staged copy of @f in place (or removes it). */
static int commit_one(const struct hs_file *f)
{
	char path[ROOTFS_PATH_MAX], tmp[ROOTFS_PATH_MAX];

	if (rootfs_path(path, "%s", f->path) || tmp_path(tmp, f->path))
		return -ENAMETOOLONG;
	if (f->new)
		return rename(tmp, path) < 0 ? -errno : 0;
	return unlink(path) < 0 ? -errno : 0;
}

/* Takes back one committed change of apply, from the plan's old text. */
static void undo_one(const struct hs_file *f)
{
	char path[ROOTFS_PATH_MAX], tmp[ROOTFS_PATH_MAX];

	if (rootfs_path(path, "%s", f->path) || tmp_path(tmp, f->path))
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

static void unstage(const struct hs_file *files, size_t n)
{
	char tmp[ROOTFS_PATH_MAX];
	size_t i;

	for (i = 0; i < n; i++)
		if (hs_file_changes(&files[i]) && files[i].new &&
		    !tmp_path(tmp, files[i].path))
			unlink(tmp);
}

static int stage_all(const struct hs_file *files, size_t n)
{
	char tmp[ROOTFS_PATH_MAX];
	const struct hs_file *f;
	size_t i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		f = &files[i];
		if (!hs_file_changes(f) || !f->new)
			continue;
		ret = tmp_path(tmp, f->path);
		if (!ret) {
			unlink(tmp);
			ret = write_text(tmp, f->new,
					 f->old ? f->st.st_mode & 07777 : 0644,
					 f->old ? f->st.st_uid : geteuid(),
					 f->old ? f->st.st_gid : getegid(), true);
		}
		if (ret)
			pr_err("cannot write %s%s: %s", rootfs_root(), f->path,
			       strerror(-ret));
	}
	if (ret)
		unstage(files, i);
	return ret;
}

int hs_apply(const char *mode, const struct hs_file *files, size_t n,
	     struct hs_done *done)
{
	char dir[ROOTFS_PATH_MAX], name[256], made[ROOTFS_PATH_MAX] = "";
	size_t i, j;
	int ret;

	memset(done, 0, sizeof(*done));
	ret = find_pending(dir, name);
	if (ret > 0) {
		pr_err("the apply of %s%s/%s is not rolled back; run 'vgpu-nl host rollback' first (backups are not stacked: a rollback returns to the files as they were before vgpu-nl)",
		       rootfs_root(), HS_BACKUP_DIR, name);
		return -EBUSY;
	}
	if (!ret)
		ret = new_backup(dir, name, made);
	if (ret) {
		pr_err("cannot make a backup in %s%s: %s", rootfs_root(),
		       HS_BACKUP_DIR, strerror(-ret));
		return ret;
	}
	ret = write_backup(dir, mode, files, n);
	if (ret) {
		pr_err("cannot write the backup %s%s: %s; nothing was changed",
		       rootfs_root(), dir, strerror(-ret));
		rm_backup(dir, made);
		return ret;
	}
	if (stage_all(files, n)) {
		pr_err("nothing was changed");
		rm_backup(dir, made);
		return -EIO;
	}
	for (i = 0; i < n; i++) {
		if (!hs_file_changes(&files[i]))
			continue;
		ret = commit_one(&files[i]);
		if (ret)
			break;
	}
	if (ret) {
		pr_err("cannot change %s%s: %s; undoing the changes made",
		       rootfs_root(), files[i].path, strerror(-ret));
		unstage(files, n);
		for (j = 0; j < i; j++)
			if (hs_file_changes(&files[j]))
				undo_one(&files[j]);
		rm_backup(dir, made);
		return ret;
	}

	snprintf(done->backup, sizeof(done->backup), "%s", name);
	snprintf(done->mode, sizeof(done->mode), "%s", mode);
	for (i = 0; i < n && done->n < HS_MAX_FILES; i++) {
		if (!hs_file_changes(&files[i]))
			continue;
		done->files[done->n].action = action_of(&files[i]);
		snprintf(done->files[done->n++].path, sizeof(done->files[0].path),
			 "%s", files[i].path);
	}
	return 0;
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
	int ret = rootfs_read(&cur, &st, "%s", path);

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
static int check_entries(const char *dir, struct entry *e, size_t n,
			 bool force, int *conflicts)
{
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
		if (ret) {
			pr_err("backup %s%s is incomplete (%s): %s",
			       rootfs_root(), dir, e[i].path, strerror(-ret));
			return ret;
		}
		if (is_as(e[i].path, e[i].orig, e[i].mode)) {
			e[i].skip = true;
		} else if (!is_as(e[i].path, e[i].new, 0)) {
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

static int restore_all(struct entry *e, size_t n)
{
	char path[ROOTFS_PATH_MAX], tmp[ROOTFS_PATH_MAX];
	size_t i;
	int ret = 0;

	/* Every copy first, then the renames: all or nothing, as apply. */
	for (i = 0; i < n && !ret; i++) {
		if (e[i].skip || !e[i].orig)
			continue;
		ret = tmp_path(tmp, e[i].path);
		if (!ret) {
			unlink(tmp);
			ret = write_text(tmp, e[i].orig, e[i].mode, e[i].uid,
					 e[i].gid, true);
		}
		if (ret)
			pr_err("cannot write %s%s: %s; nothing was rolled back",
			       rootfs_root(), e[i].path, strerror(-ret));
	}
	if (ret) {
		while (i-- > 0)
			if (!e[i].skip && e[i].orig &&
			    !tmp_path(tmp, e[i].path))
				unlink(tmp);
		return ret;
	}
	for (i = 0; i < n && !ret; i++) {
		if (e[i].skip)
			continue;
		ret = rootfs_path(path, "%s", e[i].path);
		if (!ret && e[i].orig)
			ret = tmp_path(tmp, e[i].path) ?:
			      (rename(tmp, path) < 0 ? -errno : 0);
		else if (!ret && unlink(path) < 0 && errno != ENOENT)
			ret = -errno;
		if (ret)
			pr_err("cannot restore %s%s: %s", rootfs_root(),
			       e[i].path, strerror(-ret));
	}
	return ret;
}

int hs_rollback(bool force, struct hs_done *done)
{
	char dir[ROOTFS_PATH_MAX], name[256], path[ROOTFS_PATH_MAX];
	char done_path[ROOTFS_PATH_MAX];
	struct entry e[HS_MAX_FILES];
	char mode[32], *manifest = NULL;
	int ret, bad = 0, conflicts;
	size_t n = 0, i;

	memset(done, 0, sizeof(*done));
	memset(e, 0, sizeof(e));
	ret = find_pending(dir, name);
	if (ret < 0) {
		pr_err("cannot read %s%s: %s", rootfs_root(), HS_BACKUP_DIR,
		       strerror(-ret));
		return ret;
	}
	if (!ret)
		return 0;
	ret = rootfs_path(path, "%s/manifest", dir);
	if (!ret)
		ret = rootfs_read(&manifest, NULL, "%s/manifest", dir);
	if (!ret)
		ret = parse_manifest(manifest, mode, e, &n, &bad);
	if (ret) {
		if (bad)
			pr_err("%s:%d: malformed line", path, bad);
		else
			pr_err("cannot read %s: %s", path, strerror(-ret));
		free(manifest);
		return ret;
	}
	ret = check_entries(dir, e, n, force, &conflicts);
	if (!ret && conflicts && !force) {
		pr_err("nothing was rolled back; add --force to restore the files of %s anyway",
		       name);
		ret = -EBUSY;
	}
	if (!ret)
		ret = restore_all(e, n);
	if (!ret && (rootfs_path(done_path, "%s/manifest.rolled-back", dir) ||
		     rename(path, done_path) < 0)) {
		pr_err("cannot mark %s%s as rolled back: %s", rootfs_root(), dir,
		       strerror(errno));
		ret = -EIO;
	}
	if (!ret) {
		snprintf(done->backup, sizeof(done->backup), "%s", name);
		snprintf(done->mode, sizeof(done->mode), "%s", mode);
		for (i = 0; i < n; i++) {
			done->files[i].action = e[i].skip ? "unchanged" :
						!e[i].orig ? "removed" : "restored";
			snprintf(done->files[i].path, sizeof(done->files[0].path),
				 "%s", e[i].path);
			if (!e[i].skip)
				hs_hooks_for(e[i].path, &done->hooks);
		}
		done->n = n;
	}
	entries_free(e, n);
	free(manifest);
	return ret;
}
