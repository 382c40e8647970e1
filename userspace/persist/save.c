// SPDX-License-Identifier: GPL-2.0
/*
 * save.c - "vgpu-nl save": the current state as a desired-state file
 *
 * What is written is what "apply" needs to make the same again: the VF
 * count and autoprobe of every SR-IOV PF that has VFs or autoprobe off,
 * "provisioning auto" for a PF whose driver provisions its VFs by itself,
 * every VF bound to a VFIO driver, the quotas of the VFs of a PF in
 * custom provisioning (or with no modes: xe before 6.19), and every mdev
 * vgpu-nl created. The quotas of a PF in auto provisioning are the
 * driver's shares: written out, the next apply would set them by hand and
 * turn auto provisioning off. mdevs made by others (Proxmox VE, mdevctl, libvirt) are only
 * listed as comments: they are theirs to recreate, and an apply that made
 * them first would make their own creation fail.
 *
 * Without FILE it goes to /etc/vgpu-nl/vgpu-nl.conf, which
 * vgpu-nl-apply.service applies at every boot (the directory is made if
 * missing); "-" prints it on stdout; FILE writes FILE. A file is written as
 * FILE.tmp (mode 0644, synced) and renamed over FILE, so that a reader - the
 * boot-time apply after a power cut - finds all of the old file or all of
 * the new one; the old one is kept as FILE.bak. Where it went is said on
 * stderr, so stdout keeps only what "save -" prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "output/output.h"
#include "persist/config.h"
#include "persist/state.h"

/* Fills @c from @st; 0 or -ENOMEM. */
static int build(const struct state *st, struct config *c)
{
	const struct st_dev *sd;
	const struct st_vf *sv;
	struct cfg_device *d;
	struct cfg_mdev *m;
	unsigned int k;
	size_t i;

	for (i = 0; i < st->ndevs; i++) {
		sd = &st->devs[i];
		if (!sd->sriov || (!sd->numvfs && sd->autoprobe &&
				   sd->prov_mode != VGPU_PROV_MODE_AUTO))
			continue;
		d = config_add_device(c);
		if (!d)
			return -ENOMEM;
		snprintf(d->handle, sizeof(d->handle), "%s", sd->handle);
		d->has_numvfs = sd->numvfs || !sd->autoprobe;
		d->has_autoprobe = d->has_numvfs;
		d->numvfs = sd->numvfs;
		d->autoprobe = sd->autoprobe;
		if (sd->prov_mode == VGPU_PROV_MODE_AUTO)
			d->prov_mode = VGPU_PROV_MODE_AUTO;
	}
	for (i = 0; i < st->nvfs; i++) {
		const char *vfio;
		bool quota = false;

		sv = &st->vfs[i];
		vfio = state_vf_vfio(sv);
		sd = state_dev(st, sv->pf);
		for (k = 0; k < quota_nkeys; k++)
			quota |= sv->quota.has[quota_keys[k].attr];
		if (sd && sd->prov_mode == VGPU_PROV_MODE_AUTO)
			quota = false;
		if (!vfio && !quota)
			continue;
		if (!state_vf_line(c, sv, CFG_DRIVER_KEEP, quota))
			return -ENOMEM;
	}
	for (i = 0; i < st->nmdevs; i++) {
		if (!st->mdevs[i].owned || st->mdevs[i].removing)
			continue;
		m = config_add_mdev(c);
		if (!m)
			return -ENOMEM;
		snprintf(m->uuid, sizeof(m->uuid), "%s", st->mdevs[i].uuid);
		snprintf(m->parent, sizeof(m->parent), "%s", st->mdevs[i].parent);
		snprintf(m->type, sizeof(m->type), "%s", st->mdevs[i].type);
	}
	return 0;
}

static int write_file(FILE *f, const struct state *st, const struct config *c)
{
	const struct st_mdev *sm;
	size_t i;

	fputs("# vgpu-nl desired state, written by \"vgpu-nl save\".\n"
	      "# \"vgpu-nl apply\" makes the system match it (at boot: vgpu-nl-apply.service).\n"
	      "# Format: device DEV [numvfs N autoprobe on|off] [provisioning auto]\n"
	      "#         vf PF/INDEX [driver vfio|NAME|default] [quota KEY VALUE ...]\n"
	      "#         mdev UUID parent DEV type TYPE\n", f);
	config_write(f, c);
	for (i = 0; i < st->nmdevs; i++) {
		sm = &st->mdevs[i];
		if (!sm->owned)
			fprintf(f, "# not created by vgpu-nl, left out: mdev %s parent %s type %s\n",
				sm->uuid, sm->parent, sm->type);
	}
	return ferror(f) ? -EIO : 0;
}

/*
 * @path's directory, made if missing with mode 0755 whatever the umask (a
 * 0644 file in it is for every user to read). 0 or -errno.
 */
static int make_dir(const char *path, char *dir, size_t len)
{
	char copy[4200];

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(dir, len, "%s", dirname(copy));
	if (mkdir(dir, 0755) == 0)
		return chmod(dir, 0755) < 0 ? -errno : 0;
	return errno == EEXIST ? 0 : -errno;
}

/* The whole file into @tmp, mode 0644 whatever the umask, on disk. */
static int write_tmp(const char *tmp, const struct state *st,
		     const struct config *c)
{
	int fd, ret;
	FILE *f;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = fchmod(fd, 0644) < 0 ? -errno : write_file(f, st, c);
	if (!ret && (fflush(f) || fsync(fd) < 0))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

/*
 * The old @path, if any, as @bak: a second link to it, so that the
 * rename of the new file over @path leaves no moment without one.
 * 1 if there was one, 0 if not, or -errno.
 */
static int keep_old(const char *path, const char *bak)
{
	char tmp[4210];

	if (access(path, F_OK) < 0)
		return errno == ENOENT ? 0 : -errno;
	snprintf(tmp, sizeof(tmp), "%s.tmp", bak);
	unlink(tmp);
	if (link(path, tmp) < 0)
		return -errno;
	if (rename(tmp, bak) < 0) {
		unlink(tmp);
		return -errno;
	}
	return 1;
}

/* Whether a rename in @dir is on disk once this returns. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* FILE.tmp, FILE.bak, then rename: all of the new file or the old one. */
static int save_to(const char *path, const struct state *st,
		   const struct config *c)
{
	char tmp[4200], bak[4200], dir[4200];
	int ret, old;

	if (strlen(path) + 5 > sizeof(tmp)) {
		pr_err("%s: %s", path, strerror(ENAMETOOLONG));
		return EXIT_FAIL;
	}
	ret = make_dir(path, dir, sizeof(dir));
	if (ret < 0) {
		pr_err("cannot create %s: %s", dir, strerror(-ret));
		return EXIT_FAIL;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(bak, sizeof(bak), "%s.bak", path);
	ret = write_tmp(tmp, st, c);
	if (ret < 0) {
		pr_err("cannot write %s: %s", tmp, strerror(-ret));
		unlink(tmp);
		return EXIT_FAIL;
	}
	old = keep_old(path, bak);
	if (old < 0) {
		pr_err("cannot keep the previous %s as %s: %s; nothing saved",
		       path, bak, strerror(-old));
		unlink(tmp);
		return EXIT_FAIL;
	}
	if (rename(tmp, path) < 0) {
		pr_err("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return EXIT_FAIL;
	}
	sync_dir(dir);
	if (old)
		pr_info("saved the state to %s (the previous one is %s)", path, bak);
	else
		pr_info("saved the state to %s", path);
	return EXIT_OK;
}

int cmd_save(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct config c = { 0 };
	struct state st = { 0 };
	const char *path = NULL;
	struct vgpu_nl *nl;
	int ret, status;

	if (argc == 2 && !strcmp(argv[1], "help"))
		return cli_help(cmd);
	if (argc > 2)
		return cli_usage(cmd, "unexpected argument '%s'", argv[2]);
	if (argc == 1)
		path = config_path;
	else if (strcmp(argv[1], "-"))
		path = argv[1];

	ret = cli_nl(&nl);
	if (!ret)
		ret = state_read(nl, STATE_ALL, &st);
	if (ret < 0) {
		status = cli_nl_failed(nl);
	} else if (build(&st, &c) < 0) {
		pr_err("%s", strerror(ENOMEM));
		status = EXIT_FAIL;
	} else if (path) {
		status = save_to(path, &st, &c);
	} else if (write_file(output_out(), &st, &c) < 0 ||
		   fflush(output_out())) {
		pr_err("cannot write the output: %s", strerror(errno));
		status = EXIT_FAIL;
	} else {
		status = EXIT_OK;
	}
	config_free(&c);
	state_free(&st);
	return status;
}
