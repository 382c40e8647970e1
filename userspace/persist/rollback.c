// SPDX-License-Identifier: GPL-2.0
/*
 * rollback.c - an "apply" or "reset" that failed part-way is taken back
 *
 * DESIGN: nothing is left half done. The kernel makes each request all or
 * nothing (a VF count change, a VF's quotas and driver, an mdev); a run is
 * several requests, so when one fails after others were made, the run is
 * taken back here: the mdevs it created are removed, then the devices are
 * converged back to the state read before the run, by the same planning
 * and requests as apply (apply_converge()), from a desired state built
 * from that snapshot. What cannot come back is said: a VF count the driver
 * will not restore, a quota the pools no longer allow, an mdevctl
 * definition "reset" removed (it is not written again).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/mdev.h"
#include "output/output.h"
#include "persist/change.h"
#include "persist/rollback.h"

static bool in_scope(const char *only, const char *dev)
{
	return !only || !strcmp(only, dev);
}

static int add_devices(const struct state *st, const char *only,
		       struct config *c)
{
	const struct st_dev *sd;
	struct cfg_device *d;
	size_t i;

	for (i = 0; i < st->ndevs; i++) {
		sd = &st->devs[i];
		if (!sd->sriov || !in_scope(only, sd->handle))
			continue;
		d = config_add_device(c);
		if (!d)
			return -ENOMEM;
		snprintf(d->handle, sizeof(d->handle), "%s", sd->handle);
		d->has_numvfs = d->has_autoprobe = true;
		d->numvfs = sd->numvfs;
		d->autoprobe = sd->autoprobe;
		d->prov_mode = sd->prov_mode;
	}
	return 0;
}

/*
 * Each VF: its VFIO driver, or none (an override of another driver cannot
 * be written in the file: such a VF is left as it is); its quotas when
 * they were set by hand (custom provisioning), else auto gives them again.
 */
static int add_vfs(const struct state *st, const char *only,
		   struct config *c)
{
	const struct st_dev *sd;
	const struct st_vf *sv;
	size_t i;

	for (i = 0; i < st->nvfs; i++) {
		sv = &st->vfs[i];
		if (!in_scope(only, sv->pf))
			continue;
		sd = state_dev(st, sv->pf);
		if (!state_vf_line(c, sv, sv->override[0] ? CFG_DRIVER_KEEP :
					  CFG_DRIVER_DEFAULT,
				   sd && sd->prov_mode != VGPU_PROV_MODE_AUTO))
			return -ENOMEM;
	}
	return 0;
}

static int add_mdevs(const struct state *st, const char *only,
		     struct config *c)
{
	const struct st_mdev *sm;
	struct cfg_mdev *m;
	size_t i;

	for (i = 0; i < st->nmdevs; i++) {
		sm = &st->mdevs[i];
		/* Only vgpu-nl's: another's may have been removed by it. */
		if (!sm->owned || sm->removing || !in_scope(only, sm->parent))
			continue;
		m = config_add_mdev(c);
		if (!m)
			return -ENOMEM;
		snprintf(m->uuid, sizeof(m->uuid), "%s", sm->uuid);
		snprintf(m->parent, sizeof(m->parent), "%s", sm->parent);
		snprintf(m->type, sizeof(m->type), "%s", sm->type);
	}
	return 0;
}

/* The mdevs the failed run created, newest first. */
static bool del_made(struct vgpu_nl *nl, const struct cfg_mdev *made,
		     size_t nmade, size_t *n)
{
	const char *err;
	bool failed = false;
	size_t i;

	for (i = nmade; i-- > 0;) {
		err = mdev_del_request(nl, made[i].uuid, false) < 0 ?
		      vgpu_nl_strerror(nl) : NULL;
		change_mdev("del", made[i].uuid, made[i].parent, made[i].type,
			    err);
		failed |= err != NULL;
		*n += !err;
	}
	return failed;
}

int rollback(struct vgpu_nl *nl, const struct state *before,
	     const char *only, const struct cfg_mdev *made, size_t nmade,
	     bool force)
{
	struct config c = { 0 };
	bool failed;
	size_t n = 0;

	pr_info("rolling back the changes made, to the state before");
	open_array("rollback");
	change_rollback(true);
	failed = del_made(nl, made, nmade, &n);
	c.name = strdup("the state before");
	if (!c.name || add_devices(before, only, &c) ||
	    add_vfs(before, only, &c) || add_mdevs(before, only, &c)) {
		pr_err("cannot roll back: %s", strerror(ENOMEM));
		failed = true;
	} else {
		n += apply_converge(nl, &c, only, force, &failed);
	}
	change_rollback(false);
	close_array();
	config_free(&c);
	if (failed) {
		pr_err("the rollback is incomplete: the state is not as before (see above)");
		return -1;
	}
	pr_info("rolled back: %zu change%s, the state is as before", n,
		n == 1 ? "" : "s");
	return 0;
}
