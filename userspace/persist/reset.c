// SPDX-License-Identifier: GPL-2.0
/*
 * reset.c - "vgpu-nl reset DEV": back to the plain state
 *
 * Removes the mdevs vgpu-nl created on DEV (and their mdevctl
 * definitions, or mdevctl would bring them back), restores the default
 * driver of its VFs, sets its VF count to 0 and autoprobe on - the PCI
 * core's defaults - and its provisioning back to auto, the driver's
 * default, once the VFs are gone (so none has to be made again for it). The kernel does not record who made VFs, so the VF
 * count is treated as a setting of the device, not as objects someone
 * owns. mdevs vgpu-nl did not create (Proxmox VE, mdevctl, libvirt) are
 * left and named. Nothing is done while a VF or an mdev to remove is in
 * use, unless "force". A step that fails after others were made takes
 * them back (rollback.c): the mdevs are made again with their UUIDs (not
 * their mdevctl definitions), the VFs get their drivers back. A stop
 * signal (^C, SIGTERM, a hangup) is held back and ends the steps as a
 * failure would, before the next one; it is taken after the report.
 */
#define _GNU_SOURCE	/* open_memstream() */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/dev.h"
#include "cli/mdev.h"
#include "cli/vf.h"
#include "host/holders.h"
#include "host/mdevctl.h"
#include "output/output.h"
#include "persist/change.h"
#include "persist/rollback.h"
#include "persist/state.h"

/*
 * The owned mdevs of @dev that processes hold open, as "UUID (pid 123
 * qemu), ..." in *@busy (NULL when none); 0 or -errno.
 */
static int mdevs_busy(const struct state *st, const char *dev, char **busy)
{
	struct host_dev *hd;
	size_t i, n = 0;
	int ret;

	*busy = NULL;
	hd = calloc(st->nmdevs + 1, sizeof(*hd));
	if (!hd)
		return -ENOMEM;
	for (i = 0; i < st->nmdevs; i++) {
		if (!st->mdevs[i].owned || strcmp(st->mdevs[i].parent, dev))
			continue;
		hd[n].handle = st->mdevs[i].uuid;
		hd[n].has_group = st->mdevs[i].has_group;
		hd[n++].group = st->mdevs[i].group;
	}
	ret = n ? host_find_holders(hd, n) : 0;
	if (!ret)
		ret = host_busy_list(hd, n, "mdev ", busy);
	host_devs_free(hd, n);
	free(hd);
	return ret;
}

static void said_undefined(const char *path)
{
	pr_info("removed the mdevctl definition %s", path);
}

struct reset {
	struct vgpu_nl *nl;		/* the run's client (cli_nl()) */
	struct state st;
	const char *dev;
	bool force;
	size_t done;
	bool failed;
	const struct cli_wait *cw;	/* stop signals held back */
};

static const char *result(struct reset *r, int ret)
{
	if (ret >= 0) {
		r->done++;
		return NULL;
	}
	r->failed = true;
	return vgpu_nl_strerror(r->nl);
}

static void del_mdevs(struct reset *r)
{
	char failed[4200], why[4400];
	const struct st_mdev *m;
	const char *err;
	size_t i;
	int ret;

	for (i = 0; i < r->st.nmdevs && !r->failed; i++) {
		m = &r->st.mdevs[i];
		if (!m->owned || strcmp(m->parent, r->dev))
			continue;
		if (!change_go_on(r->cw, &r->failed))
			break;
		/* Recorded but forgotten by a reloaded module: we vouch. */
		ret = mdev_del_request(r->nl, m->uuid,
				       r->force || !m->kernel_owned);
		/* Forced and held open: the kernel removes it when let go. */
		if (ret == -EBUSY && r->force) {
			pr_info("mdev %s: the removal completes when its user lets go",
				m->uuid);
			ret = 0;
		}
		err = result(r, ret);
		if (!err && mdevctl_undefine(m->uuid, said_undefined, failed,
					     sizeof(failed)) < 0) {
			snprintf(why, sizeof(why), "cannot remove its mdevctl definition %s (mdevctl would create it again)",
				 failed);
			err = why;
			r->failed = true;
		}
		change_mdev("del", m->uuid, m->parent, m->type, err);
	}
}

static void reset_vfs(struct reset *r)
{
	const struct st_vf *v;
	size_t i;

	/* Before the VFs go: vfio-pci lets go of them in order. */
	for (i = 0; i < r->st.nvfs && !r->failed; i++) {
		v = &r->st.vfs[i];
		if (strcmp(v->pf, r->dev) || !v->override[0])
			continue;
		if (!change_go_on(r->cw, &r->failed))
			break;
		change_driver(v->handle, v->driver, "",
			      result(r, vf_set_driver(r->nl, v->handle, "")));
	}
}

/* Back to auto provisioning, with no VFs left to disable and enable. */
static void reset_mode(struct reset *r, const struct st_dev *d)
{
	struct dev_settings set = { 0 };

	if (d->prov_mode != VGPU_PROV_MODE_CUSTOM ||
	    !change_go_on(r->cw, &r->failed))
		return;
	set.prov_mode = VGPU_PROV_MODE_AUTO;
	change_provisioning(r->dev, d->prov_mode, VGPU_PROV_MODE_AUTO, 0,
			    result(r, dev_set_request(r->nl, r->dev, &set)));
}

static void reset_dev(struct reset *r, const struct st_dev *d)
{
	struct dev_settings set = { 0 };
	const char *err;

	if (!d->sriov || (!d->numvfs && d->autoprobe) ||
	    !change_go_on(r->cw, &r->failed))
		return;
	set.has_numvfs = d->numvfs != 0;
	set.force = set.has_numvfs && r->force;
	set.has_autoprobe = !d->autoprobe;
	set.autoprobe = true;
	err = result(r, dev_set_request(r->nl, r->dev, &set));
	if (set.has_numvfs)
		change_numvfs(r->dev, d->numvfs, 0, err);
	if (set.has_autoprobe)
		change_autoprobe(r->dev, false, true, err);
	if (!err && set.has_numvfs && set.has_autoprobe)
		r->done++;
}

/* Refuses (EXIT_FAIL) while something to remove is in use; else CLI_GO_ON. */
static int check_busy(struct reset *r, const struct st_dev *d)
{
	char *vfs = NULL, *mdevs = NULL;
	int ret = 0;

	if (r->force)
		return CLI_GO_ON;
	if (d->sriov && d->numvfs)
		ret = vf_find_busy(r->nl, r->dev, &vfs);
	if (ret < 0)
		return cli_nl_failed(r->nl);
	ret = mdevs_busy(&r->st, r->dev, &mdevs);
	if (ret < 0) {
		pr_err("cannot look for processes using the mdevs of %s in %s: %s; add 'force' to reset anyway",
		       r->dev, host_proc(), strerror(-ret));
	} else if (vfs || mdevs) {
		pr_err("in use: %s%s%s; nothing was changed: stop them or add 'force'",
		       vfs ? vfs : "", vfs && mdevs ? ", " : "",
		       mdevs ? mdevs : "");
		ret = -EBUSY;
	}
	free(vfs);
	free(mdevs);
	return ret < 0 ? EXIT_FAIL : CLI_GO_ON;
}

int cmd_reset(const struct cli_cmd *cmd, int argc, char **argv)
{
	char dev[VGPU_HANDLE_MAX];
	struct reset r = { 0 };
	struct cli_wait cw;
	const struct st_dev *d;
	size_t i;
	int status;

	if (argc == 2 && !strcmp(argv[1], "help"))
		return cli_help(cmd);
	if (argc < 2)
		return cli_usage(cmd, "missing DEV");
	status = cli_parse_handle(cmd, argv[1], dev);
	if (status != EXIT_OK)
		return status;
	if (argc > 2 && !strcmp(argv[2], "force"))
		r.force = true;
	if (argc > 2 + r.force)
		return cli_usage(cmd, "unexpected argument '%s'", argv[2 + r.force]);
	r.dev = dev;

	if (cli_nl(&r.nl) < 0 || state_read(r.nl, STATE_ALL, &r.st) < 0) {
		status = cli_nl_failed(r.nl);
		goto out;
	}
	d = state_dev(&r.st, dev);
	if (!d) {
		pr_err("%s is not a device vgpu_nl manages (absent, or not a GPU: see vgpu-nl dev show)",
		       dev);
		status = EXIT_FAIL;
		goto out;
	}
	status = check_busy(&r, d);
	if (status != CLI_GO_ON)
		goto out;

	change_begin();
	/* A stop signal: no further step, and back as after a failure. */
	cli_wait_begin(&cw);
	r.cw = &cw;
	del_mdevs(&r);
	reset_vfs(&r);
	reset_dev(&r, d);
	reset_mode(&r, d);
	change_close(r.done, r.failed);
	/* Part-way: the mdevs and VF drivers come back (rollback.c). */
	if (r.failed && r.done)
		rollback(r.nl, &r.st, dev, NULL, 0, r.force);
	for (i = 0; i < r.st.nmdevs; i++)
		if (!r.st.mdevs[i].owned && !strcmp(r.st.mdevs[i].parent, dev))
			change_left_alone(r.st.mdevs[i].uuid, dev,
					  r.st.mdevs[i].type,
					  "not created by vgpu-nl");
	status = change_end();
	if (r.failed)
		status = EXIT_FAIL;
	cli_wait_end(&cw);	/* the report is out */
out:
	state_free(&r.st);
	return status;
}
