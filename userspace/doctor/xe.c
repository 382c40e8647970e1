// SPDX-License-Identifier: GPL-2.0
/*
 * xe.c - what xe needs to make VFs of a GPU on this kernel, and which of
 * those this host has: force_probe for the platforms xe binds only when
 * forced, and a VF limit, per device in xe's configfs (kernel 6.19 and
 * later) or xe.max_vfs on the command line. The facts are the host
 * layer's (host/platform.h, hs_xe_has_configfs()), the ones "host plan
 * sriov" acts on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor/doctor.h"
#include "host/plan.h"

/* Whether the command line's @key list ("xe.force_probe") holds @item. */
static bool cmdline_lists(const char *cmdline, const char *key,
			  const char *item)
{
	char buf[256], *tok, *save = NULL;

	if (!cmdline_value(cmdline, key, buf, sizeof(buf)))
		return false;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, item))
			return true;
	return false;
}

/* Whether our install rule sets this GPU's max_vfs at every boot. */
static bool rule_sets(const struct doctor_gpu *g)
{
	char *conf = rootfs_text(HS_XE_FILE);
	bool found = conf && strstr(conf, "\ninstall xe ") &&
		     strstr(conf, g->name);

	free(conf);
	return found;
}

static void check_force_probe(struct doctor *d, const struct doctor_gpu *g)
{
	char id[8], not[8], params[64];

	snprintf(id, sizeof(id), "%04x", g->device);
	snprintf(not, sizeof(not), "!%04x", g->device);
	if (cmdline_lists(d->cmdline, "xe.force_probe", id)) {
		dr_add(d, "xe-probe", DOCTOR_OK, g->handle,
		       dr_fmt("%s needs xe.force_probe=%s for xe, which /proc/cmdline has%s",
			      g->plat->name, id,
			      cmdline_lists(d->cmdline, "i915.force_probe", not) ?
			      " (and i915.force_probe=!ID)" : ""),
		       NULL);
		return;
	}
	if (!strcmp(g->driver, "xe")) {
		char *fp = rootfs_text("/sys/module/xe/parameters/force_probe");

		dr_add(d, "xe-probe", DOCTOR_OK, g->handle,
		       dr_fmt("%s is bound to xe, which takes it only when forced: force_probe is %s (/sys/module/xe/parameters/force_probe), not from /proc/cmdline",
			      g->plat->name, fp ? fp : "(unreadable)"),
		       NULL);
		free(fp);
		return;
	}
	if (g->driver[0] || !rootfs_exists("/sys/module/xe")) {
		/* i915(-sriov-dkms) has it, or xe is not in the picture. */
		dr_add(d, "xe-probe", DOCTOR_OK, g->handle,
		       dr_fmt("xe can make VFs of %s too, but binds it only with xe.force_probe=%s (and i915.force_probe=!%s); %s has it now",
			      g->plat->name, id, id,
			      g->driver[0] ? g->driver : "no driver"),
		       NULL);
		return;
	}
	snprintf(params, sizeof(params), "xe.force_probe=%s i915.force_probe=!%s",
		 id, id);
	dr_add(d, "xe-probe", DOCTOR_FAIL, g->handle,
	       dr_fmt("no driver, and xe is loaded: xe binds %s only with xe.force_probe=%s, which /proc/cmdline lacks",
		      g->plat->name, id),
	       dr_boot_fix(params));
}

/* Where the VF limit comes from on this kernel, and whether it is set. */
static void check_limit(struct doctor *d, const struct doctor_gpu *g)
{
	char kver[64], where[256], buf[32];
	bool configfs = hs_xe_has_configfs(kver, sizeof(kver));
	bool rule = rule_sets(g);

	if (configfs)
		snprintf(where, sizeof(where),
			 "per device in /sys/kernel/config/xe/%s/sriov/max_vfs (kernel %s has xe's configfs)%s",
			 g->name, kver, rule ? ", set at every boot by " HS_XE_FILE : "");
	else if (cmdline_value(d->cmdline, "xe.max_vfs", buf, sizeof(buf)))
		snprintf(where, sizeof(where),
			 "xe.max_vfs=%s on /proc/cmdline (kernel %s has no per-device configfs for it)",
			 buf, kver[0] ? kver : "(unknown)");
	else
		snprintf(where, sizeof(where),
			 "xe.max_vfs, not on /proc/cmdline (kernel %s has no per-device configfs for it)",
			 kver[0] ? kver : "(unknown)");
	if (g->has_totalvfs && g->totalvfs) {
		dr_add(d, "xe-vfs", DOCTOR_OK, g->handle,
		       dr_fmt("xe makes up to %u VFs; the limit is %s",
			      g->totalvfs, where),
		       NULL);
		return;
	}
	dr_add(d, "xe-vfs", DOCTOR_FAIL, g->handle,
	       dr_fmt("xe makes no VFs (sriov_totalvfs %s); the limit is %s",
		      g->has_totalvfs ? "0" : "missing", where),
	       configfs ?
	       dr_fmt("vgpu-nl host apply sriov %s (writes " HS_XE_FILE ", which sets it each time xe loads), then reboot",
		      g->handle) :
	       dr_fmt("vgpu-nl host apply sriov %s (adds xe.max_vfs to the command line), then reboot",
		      g->handle));
}

void doctor_check_xe(struct doctor *d, const struct doctor_gpu *g)
{
	if (!g->plat || !g->plat->xe_sriov)
		return;
	if (g->plat->xe_force_probe)
		check_force_probe(d, g);
	if (!strcmp(g->driver, "xe"))
		check_limit(d, g);
}
