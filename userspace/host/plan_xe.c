// SPDX-License-Identifier: GPL-2.0
/*
 * plan_xe.c - the xe part of an SR-IOV plan (see plan.h)
 *
 * What xe needs to make VFs of a GPU, as Linux 7.3's drivers/gpu/drm/xe
 * has it:
 *   - to bind at all, on the platforms it supports only when forced
 *     (xe_pci.c require_force_probe: Tiger Lake, Alder/Raptor Lake,
 *     Arctic Sound-M, ...): xe.force_probe=<id> and i915.force_probe=!<id>,
 *     as xe_pci_probe() itself tells;
 *   - a VF limit above 0: xe_sriov_pf_readiness() takes it from
 *     xe_configfs_get_max_vfs(), the per-device configfs attribute
 *     /sys/kernel/config/xe/<BDF>/sriov/max_vfs when the device's
 *     directory exists when xe probes it, else xe.max_vfs (whose default
 *     was 0, "no VFs", in 6.12 and is "unlimited" in 7.x: xe_defaults.h).
 *
 * configfs forgets everything at every boot and the directory must exist
 * before xe probes the GPU, which happens while xe loads. So the plan
 * writes an "install xe" rule (modprobe.d(5)) that holds the GPU back
 * from xe through driver_override, loads xe, makes the directory, writes
 * max_vfs and lets xe probe the GPU, as xe_configfs.c's documentation
 * says to do by hand (there with drivers_autoprobe, which would hold back
 * every device of the host). initramfs-tools copies modprobe.d into the
 * initramfs, so the rule also works when xe loads from there. A kernel
 * without xe's configfs (before 6.19) gets xe.max_vfs on its command line
 * instead, one value for every GPU xe drives.
 */
#define _GNU_SOURCE	/* open_memstream() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/pci.h"
#include "host/plan.h"
#include "host/platform.h"
#include "host/rootfs.h"
#include "output/output.h"

/* What a GPU's VF limit defaults to when the GPU does not say (i915's). */
#define XE_DEFAULT_VFS	7

bool hs_xe_has_configfs(char *kver, size_t len)
{
	char *rel = rootfs_text("/proc/sys/kernel/osrelease");
	unsigned int major = 0, minor = 0;

	if (len)
		snprintf(kver, len, "%s", rel ? rel : "");
	if (!rel || sscanf(rel, "%u.%u", &major, &minor) != 2)
		major = 0;
	free(rel);
	return (major > 6 || (major == 6 && minor >= 19)) &&
	       rootfs_is_dir("/sys/kernel/config");
}

/* Whether @fn goes to xe: as told, else as it is bound, else by platform. */
static bool wants_xe(const struct pci_fn *fn, const struct gpu_platform *plat,
		     const struct hs_opts *o)
{
	if (o->driver)
		return !strcmp(o->driver, "xe");
	if (!strcmp(fn->driver, "xe"))
		return true;
	if (!strcmp(fn->driver, "i915"))
		return false;
	return plat && plat->sriov == GPU_SRIOV_XE;
}

int hs_xe_plan(struct hs_plan *p, const char *dev)
{
	const struct hs_opts *o = &p->opts;
	const struct gpu_platform *plat;
	unsigned int vfs, most = 0;
	bool i915 = false;
	struct hs_xe_gpu *x;
	size_t i;

	for (i = 0; i < p->nfns; i++) {
		const struct pci_fn *fn = &p->fns[i];

		if (fn->vendor != 0x8086 || !pci_is_display(fn))
			continue;
		plat = gpu_platform_of(fn->device, NULL);
		if (!wants_xe(fn, plat, o)) {
			i915 = true;
			continue;
		}
		if (!plat || !plat->xe_sriov) {
			if (!dev && !o->driver)
				continue;
			pr_err("xe makes no VFs of pci/%s (8086:%04x%s%s): Linux 7.3's xe has no SR-IOV for it",
			       fn->name, fn->device, plat ? ", " : "",
			       plat ? plat->name : "");
			return -EINVAL;
		}
		x = &p->xe[p->nxe++];
		snprintf(x->name, sizeof(x->name), "%s", fn->name);
		x->device = fn->device;
		x->force_probe = plat->xe_force_probe;
		if (pci_fn_uint(fn->name, "sriov_totalvfs", &vfs) && vfs > most)
			most = vfs;
	}
	/* No GPU known: i915-sriov-dkms' parameters, as always. */
	p->i915 = i915 || !p->nxe;
	if (!p->nxe)
		return 0;
	p->xe_configfs = hs_xe_has_configfs(NULL, 0);
	if (o->max_vfs)
		snprintf(p->xe_max_vfs, sizeof(p->xe_max_vfs), "%u", o->max_vfs);
	else if (p->xe_configfs)
		snprintf(p->xe_max_vfs, sizeof(p->xe_max_vfs), "unlimited");
	else
		snprintf(p->xe_max_vfs, sizeof(p->xe_max_vfs), "%u",
			 most ? most : XE_DEFAULT_VFS);
	return 0;
}

/*
 * Adds @key=p->values[@slot], a list item when @list, with the comment
 * @why.
 */
static int add_param(struct hs_plan *p, size_t slot, const char *key,
		     bool list, const char *why)
{
	if (p->nparams == HS_MAX_PARAMS)
		return -E2BIG;
	p->params[p->nparams] = (struct cmdline_param){
		key, p->values[slot], list, NULL,
	};
	p->why[p->nparams++] = why;
	return 0;
}

int hs_xe_params(struct hs_plan *p)
{
	size_t i, x = 0, n = 0;
	int ret = 0;

	for (i = 0; i < p->nxe; i++) {
		if (!p->xe[i].force_probe)
			continue;
		x += snprintf(p->values[0] + x, sizeof(p->values[0]) - x,
			      "%s%04x", x ? "," : "", p->xe[i].device);
		n += snprintf(p->values[1] + n, sizeof(p->values[1]) - n,
			      "%s!%04x", n ? "," : "", p->xe[i].device);
		if (x >= sizeof(p->values[0]) || n >= sizeof(p->values[1]))
			return -E2BIG;
	}
	if (x)
		ret = add_param(p, 0, "xe.force_probe", true,
				"xe binds these GPUs only when forced (xe_pci.c require_force_probe)") ?:
		      add_param(p, 1, "i915.force_probe", true,
				"i915 leaves them to xe");
	if (!ret && p->nxe && !p->xe_configfs) {
		snprintf(p->values[2], sizeof(p->values[2]), "%s", p->xe_max_vfs);
		ret = add_param(p, 2, "xe.max_vfs", false,
				"how many VFs xe may make of each GPU it drives: this kernel has no per-device limit in xe's configfs");
	}
	if (ret)
		pr_err("too many kernel parameters for one plan");
	return ret;
}

char *hs_xe_file(const struct hs_plan *p)
{
	char *out = NULL;
	size_t len, i;
	FILE *f;

	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fputs("# Written by \"vgpu-nl host apply sriov\"; \"vgpu-nl host rollback\" removes it.\n"
	      "# xe reads a GPU's VF limit from /sys/kernel/config/xe/<BDF>/sriov/max_vfs\n"
	      "# when it probes the GPU, and configfs starts empty at every boot. So each\n"
	      "# time xe loads, this holds these GPUs back from it (driver_override), loads\n"
	      "# xe, writes their max_vfs, then lets xe probe them:\n", f);
	for (i = 0; i < p->nxe; i++)
		fprintf(f, "#   %s 8086:%04x max_vfs %s\n", p->xe[i].name,
			p->xe[i].device, p->xe_max_vfs);
	fputs("install xe for d in", f);
	for (i = 0; i < p->nxe; i++)
		fprintf(f, " %s", p->xe[i].name);
	fputs("; do echo vgpu-nl-hold >/sys/bus/pci/devices/$d/driver_override; done;"
	      " /sbin/modprobe --ignore-install xe $CMDLINE_OPTS; r=$?;"
	      " grep -qs ' /sys/kernel/config configfs ' /proc/mounts ||"
	      " mount -t configfs configfs /sys/kernel/config;"
	      " for d in", f);
	for (i = 0; i < p->nxe; i++)
		fprintf(f, " %s", p->xe[i].name);
	fprintf(f, "; do mkdir -p /sys/kernel/config/xe/$d &&"
		" echo %s >/sys/kernel/config/xe/$d/sriov/max_vfs;"
		" echo >/sys/bus/pci/devices/$d/driver_override;"
		" echo $d >/sys/bus/pci/drivers_probe; done; exit $r\n",
		p->xe_max_vfs);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}
