// SPDX-License-Identifier: GPL-2.0
/*
 * gpu.c - which GPUs the host has, what each allows and why it
 * does not do it yet: generation, driver, SR-IOV, GVT-g, command line,
 * passthrough of a PF
 *
 * An Intel GPU's mode comes from its PCI device id: the pciids.h macro
 * that lists it names the platform (host/platform.h). A
 * device vgpu_nl manages that is not in the table (the test bed's
 * simulated PF, any extra_ids device) is judged by what it offers in
 * sysfs: sriov_totalvfs, mdev_supported_types.
 */
#define _GNU_SOURCE	/* strcasestr(), memmem() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor/doctor.h"

#define GVT	GPU_MODE_GVT
#define SRIOV	GPU_MODE_SRIOV
#define I915S	GPU_SRIOV_I915_DKMS
#define XE	GPU_SRIOV_XE

#define PCI	PCI_DEVICES "/"

/* Whether @vendor:@device is in vgpu_nl's extra_ids ("1b36:0010,..."). */
static bool in_extra_ids(unsigned int vendor, unsigned int device)
{
	char *ids = rootfs_text("/sys/module/vgpu_nl/parameters/extra_ids");
	char want[16];
	bool found;

	if (!ids)
		return false;
	snprintf(want, sizeof(want), "%04x:%04x", vendor, device);
	found = strcasestr(ids, want);
	free(ids);
	return found;
}

static int add_gpu(struct doctor *d, const struct pci_fn *fn)
{
	struct doctor_gpu *g, *v;

	v = realloc(d->gpus, (d->ngpus + 1) * sizeof(*v));
	if (!v)
		return -1;
	d->gpus = v;
	g = &v[d->ngpus++];
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", fn->name);
	snprintf(g->handle, sizeof(g->handle), "pci/%s", fn->name);
	g->vendor = fn->vendor;
	g->device = fn->device;
	g->class = fn->class;
	snprintf(g->driver, sizeof(g->driver), "%s", fn->driver);
	g->managed = rootfs_exists("/sys/kernel/vgpu_nl/%s", fn->name);
	g->has_totalvfs = pci_fn_uint(fn->name, "sriov_totalvfs", &g->totalvfs);
	pci_fn_uint(fn->name, "sriov_numvfs", &g->numvfs);
	g->has_mdev = rootfs_exists(PCI "%s/mdev_supported_types", fn->name);
	if (g->vendor == 0x8086)
		g->plat = gpu_platform_of(g->device, &g->macro);
	if (g->plat)
		g->modes = g->plat->modes;
	else
		g->modes = (g->has_totalvfs && g->totalvfs ? SRIOV : 0) |
			   (g->has_mdev ? GVT : 0);
	return 0;
}

int doctor_find_gpus(struct doctor *d, const char *dev)
{
	struct pci_fn one, *fns;
	int i, n, ret = 0;

	if (dev) {
		pci_fn_read(dev, &one);
		return add_gpu(d, &one);
	}
	n = pci_list(PCI_DEVICES, "", PCI_ALL, &fns);
	for (i = 0; i < n && !ret; i++) {
		/* A VF is looked at with its PF. */
		if (fns[i].is_vf)
			continue;
		if (pci_is_display(&fns[i]) ||
		    rootfs_exists("/sys/kernel/vgpu_nl/%s", fns[i].name) ||
		    in_extra_ids(fns[i].vendor, fns[i].device))
			ret = add_gpu(d, &fns[i]);
	}
	free(fns);
	return n == -ENOMEM ? -1 : ret;
}

static const char *mode_text(unsigned int modes)
{
	switch (modes) {
	case GVT:
		return "GVT-g (mdev)";
	case SRIOV:
		return "SR-IOV (VFs)";
	case GVT | SRIOV:
		return "SR-IOV (VFs) and mdev";
	}
	return "no vGPU mode: whole-device passthrough only";
}

/* Which i915 is loaded: i915-sriov-dkms has the max_vfs parameter. */
static bool i915_is_sriov_dkms(void)
{
	return rootfs_exists("/sys/module/i915/parameters/max_vfs");
}

static void check_identity(struct doctor *d, const struct doctor_gpu *g)
{
	char extra[64] = "";

	if (g->plat) {
		dr_add(d, "gpu", DOCTOR_OK, g->handle,
		       dr_fmt("%04x:%04x is %s (gen %s; INTEL_%s_IDS in pciids.h): %s%s",
			      g->vendor, g->device, g->plat->name,
			      g->plat->gen, g->macro, mode_text(g->modes),
			      g->modes & SRIOV ?
			      (g->plat->sriov == XE ? " through xe" :
			       " through i915-sriov-dkms") : ""),
		       NULL);
		return;
	}
	if (in_extra_ids(g->vendor, g->device))
		snprintf(extra, sizeof(extra), ", listed in its extra_ids");
	if (g->vendor == 0x8086 && (g->class >> 16) == 0x03) {
		dr_add(d, "gpu", DOCTOR_WARN, g->handle,
		       dr_fmt("Intel GPU %04x:%04x is not in this tool's GPU id table (Linux 7.3): its mode is not known; it offers %s",
			      g->vendor, g->device, mode_text(g->modes)),
		       dr_fmt("update vgpu-nl (userspace/data/i915_pciids.h, from the kernel's pciids.h)"));
		return;
	}
	dr_add(d, "gpu", DOCTOR_OK, g->handle,
	       dr_fmt("%04x:%04x class %06x%s%s; offers %s (sriov_totalvfs %s, mdev_supported_types %s)",
		      g->vendor, g->device, g->class,
		      g->managed ? ", managed by vgpu_nl" : "", extra,
		      mode_text(g->modes), g->has_totalvfs ? "present" : "absent",
		      g->has_mdev ? "present" : "absent"),
	       NULL);
}

static char *unbind_vfio_fix(const struct doctor_gpu *g)
{
	return dr_fmt("give it back to its driver: echo %s > /sys/bus/pci/drivers/vfio-pci/unbind; echo %s > /sys/bus/pci/drivers_probe (and drop %04x:%04x from vfio-pci ids= in /etc/modprobe.d)",
		      g->name, g->name, g->vendor, g->device);
}

static void check_driver(struct doctor *d, const struct doctor_gpu *g)
{
	const char *want = "its driver";
	bool vgpu = g->modes && g->plat;

	if (g->plat && g->modes)
		want = g->plat->sriov == XE ? "xe" : "i915";
	if (!g->driver[0] && !g->modes) {
		dr_add(d, "driver", DOCTOR_OK, g->handle,
		       dr_fmt("no driver bound: free for whole-device passthrough (vfio-pci takes it when a VM starts)"),
		       NULL);
		return;
	}
	if (!g->driver[0]) {
		dr_add(d, "driver", DOCTOR_FAIL,
		       g->handle, dr_fmt("no driver bound (no %s%s/driver link)",
					 PCI, g->name),
		       dr_fmt("load and bind %s: modprobe %s", want,
			      strcmp(want, "its driver") ? want : "<driver>"));
		return;
	}
	if (!strcmp(g->driver, "vfio-pci")) {
		if (!g->modes) {
			dr_add(d, "driver", DOCTOR_OK, g->handle,
			       dr_fmt("bound to vfio-pci: ready for whole-device passthrough"),
			       NULL);
			return;
		}
		dr_add(d, "driver", DOCTOR_WARN, g->handle,
		       dr_fmt("bound to vfio-pci (passed through whole): no %s while vfio-pci has it",
			      g->modes & SRIOV ? "VFs" : "mdevs"),
		       unbind_vfio_fix(g));
		return;
	}
	if (!vgpu) {
		dr_add(d, "driver", DOCTOR_OK, g->handle,
		       dr_fmt("bound to %s", g->driver), NULL);
		return;
	}
	if (g->modes & SRIOV && !strcmp(g->driver, "i915") &&
	    g->plat->sriov == I915S) {
		if (i915_is_sriov_dkms())
			dr_add(d, "driver", DOCTOR_OK, g->handle,
			       dr_fmt("bound to i915 from i915-sriov-dkms (/sys/module/i915/parameters/max_vfs exists)"),
			       NULL);
		else
			dr_add(d, "driver", DOCTOR_FAIL, g->handle,
			       dr_fmt("bound to the stock i915, which has no SR-IOV for %s (no max_vfs in /sys/module/i915/parameters)",
				      g->plat->name),
			       dr_fmt("install i915-sriov-dkms (its .deb from the project's releases: apt install ./i915-sriov-dkms_*.deb), then reboot with i915.enable_guc=3 i915.max_vfs=7"));
		return;
	}
	if (!strcmp(g->driver, want) || (g->modes & SRIOV &&
					 !strcmp(g->driver, "xe"))) {
		dr_add(d, "driver", DOCTOR_OK, g->handle,
		       dr_fmt("bound to %s", g->driver), NULL);
		return;
	}
	dr_add(d, "driver", DOCTOR_WARN, g->handle,
	       dr_fmt("bound to %s; %s needs %s", g->driver,
		      mode_text(g->modes), want),
	       dr_fmt("unbind it (echo %s > /sys/bus/pci/devices/%s/driver/unbind) and modprobe %s",
		      g->name, g->name, want));
}

/* Why a GPU that should have VFs has none. */
static void check_sriov(struct doctor *d, const struct doctor_gpu *g)
{
	unsigned int guc = 0, maxvfs = 0;
	char *why = NULL, *fix = NULL;

	if (g->has_totalvfs && g->totalvfs) {
		dr_add(d, "sriov", DOCTOR_OK, g->handle,
		       dr_fmt("sriov_totalvfs %u, sriov_numvfs %u%s", g->totalvfs,
			      g->numvfs, g->numvfs ? "" :
			      " (vgpu-nl dev set DEV numvfs N makes VFs)"),
		       NULL);
		return;
	}
	/* xe's own check says where its limit comes from: doctor/xe.c */
	if (!strcmp(g->driver, "xe") && g->plat && g->plat->xe_sriov)
		return;
	if (!(g->modes & SRIOV)) {
		if (g->has_totalvfs)
			dr_add(d, "sriov", DOCTOR_OK, g->handle,
			       dr_fmt("sriov_totalvfs 0: no VFs offered"), NULL);
		return;
	}
	if (!g->driver[0]) {
		why = dr_fmt("no driver is bound");
	} else if (!strcmp(g->driver, "vfio-pci")) {
		why = dr_fmt("vfio-pci has the PF");
		fix = unbind_vfio_fix(g);
	} else if (!strcmp(g->driver, "i915") && !i915_is_sriov_dkms()) {
		why = dr_fmt("the stock i915 does not enable SR-IOV");
		fix = dr_fmt("install i915-sriov-dkms (see check driver)");
	} else if (!strcmp(g->driver, "i915") &&
		   (!rootfs_uint(&guc, "/sys/module/i915/parameters/enable_guc") ||
		    guc != 3)) {
		why = dr_fmt("i915.enable_guc is %u (/sys/module/i915/parameters/enable_guc); SR-IOV needs 3",
			     guc);
		fix = dr_boot_fix("i915.enable_guc=3");
	} else if (!strcmp(g->driver, "i915") &&
		   (!rootfs_uint(&maxvfs, "/sys/module/i915/parameters/max_vfs") ||
		    !maxvfs)) {
		why = dr_fmt("i915.max_vfs is 0 (/sys/module/i915/parameters/max_vfs)");
		fix = dr_boot_fix("i915.max_vfs=7");
	} else if (!strcmp(g->driver, "xe")) {
		why = dr_fmt("xe offers none (see /sys/module/xe/parameters/max_vfs)");
		fix = dr_boot_fix("xe.max_vfs=7");
	} else {
		why = dr_fmt("%s offers none; SR-IOV may be off in the firmware setup",
			     g->driver);
		fix = dr_fmt("enable SR-IOV in the firmware (BIOS) setup");
	}
	dr_add(d, "sriov", DOCTOR_FAIL, g->handle,
	       dr_fmt("sriov_totalvfs %s: %s",
		      g->has_totalvfs ? "0" : "missing", why ? why : "?"),
	       fix);
	free(why);
}

/* The mdev types, or why a GVT-g GPU has none. */
static void check_mdev(struct doctor *d, const struct doctor_gpu *g)
{
	unsigned int avail, sum = 0;
	char **types, *gvt, *why, *fix = NULL;
	int i, n;

	if (g->has_mdev) {
		n = rootfs_list(&types, PCI "%s/mdev_supported_types", g->name);
		for (i = 0; i < n; i++)
			if (rootfs_uint(&avail, PCI "%s/mdev_supported_types/%s/available_instances",
					 g->name, types[i]))
				sum += avail;
		dr_add(d, "mdev", DOCTOR_OK, g->handle,
		       dr_fmt("%d mdev types in mdev_supported_types (%s%s), %u instances available",
			      n < 0 ? 0 : n, n > 0 ? types[0] : "",
			      n > 1 ? ", ..." : "", sum),
		       NULL);
		rootfs_list_free(types, n);
		return;
	}
	if (!(g->modes & GVT))
		return;
	gvt = rootfs_text("/sys/module/i915/parameters/enable_gvt");
	if (strcmp(g->driver, "i915")) {
		why = dr_fmt("not bound to i915");
	} else if (!gvt || strcmp(gvt, "Y")) {
		why = dr_fmt("i915.enable_gvt is %s (/sys/module/i915/parameters/enable_gvt)",
			     gvt ? gvt : "missing");
		fix = dr_boot_fix("i915.enable_gvt=1");
	} else if (!modules_loaded("kvmgt", d->kver)) {
		why = dr_fmt("kvmgt is not loaded (no /sys/module/kvmgt)");
		fix = dr_fmt("modprobe kvmgt, and add kvmgt to /etc/modules");
	} else {
		why = dr_fmt("i915 registered no GVT-g types although enable_gvt is Y and kvmgt is loaded (see dmesg for GVT-g errors)");
		fix = dr_fmt("check dmesg | grep -i gvt; GVT-g needs i915.enable_guc=0");
	}
	free(gvt);
	dr_add(d, "mdev", DOCTOR_FAIL, g->handle,
	       dr_fmt("no mdev_supported_types: %s", why ? why : "?"), fix);
	free(why);
}

/* The kernel parameters the GPU's mode needs, given or in effect. */
static void check_cmdline(struct doctor *d, const struct doctor_gpu *g)
{
	char missing[128] = "", have[160] = "", buf[32];
	unsigned int v;
	char *gvt;
	size_t m = 0, h = 0;

	if (!g->plat || !g->modes)
		return;
	if (g->modes & GVT) {
		gvt = rootfs_text("/sys/module/i915/parameters/enable_gvt");
		if (cmdline_has(d->cmdline, "i915.enable_gvt=1"))
			h += snprintf(have + h, sizeof(have) - h, " i915.enable_gvt=1");
		else if (gvt && !strcmp(gvt, "Y"))
			h += snprintf(have + h, sizeof(have) - h, " enable_gvt=Y (in /sys/module/i915/parameters)");
		else
			m += snprintf(missing + m, sizeof(missing) - m, " i915.enable_gvt=1");
		free(gvt);
	}
	/* A GPU on xe has its own check (doctor/xe.c). */
	if (g->modes & SRIOV && g->plat->sriov == I915S &&
	    strcmp(g->driver, "xe")) {
		if (cmdline_value(d->cmdline, "i915.enable_guc", buf, sizeof(buf)) &&
		    !strcmp(buf, "3"))
			h += snprintf(have + h, sizeof(have) - h, " i915.enable_guc=3");
		else if (rootfs_uint(&v, "/sys/module/i915/parameters/enable_guc") && v == 3)
			h += snprintf(have + h, sizeof(have) - h, " enable_guc=3 (in /sys/module/i915/parameters)");
		else
			m += snprintf(missing + m, sizeof(missing) - m, " i915.enable_guc=3");
		if (cmdline_value(d->cmdline, "i915.max_vfs", buf, sizeof(buf)) &&
		    strtoul(buf, NULL, 10) > 0)
			h += snprintf(have + h, sizeof(have) - h, " i915.max_vfs=%s", buf);
		else if (rootfs_uint(&v, "/sys/module/i915/parameters/max_vfs") && v)
			h += snprintf(have + h, sizeof(have) - h, " max_vfs=%u (in /sys/module/i915/parameters)", v);
		else
			m += snprintf(missing + m, sizeof(missing) - m, " i915.max_vfs=7");
	}
	if (!m && !h)
		return;
	if (!m)
		dr_add(d, "cmdline", DOCTOR_OK, g->handle,
		       dr_fmt("%s has what it needs:%s", mode_text(g->modes), have),
		       NULL);
	else
		dr_add(d, "cmdline", DOCTOR_FAIL, g->handle,
		       dr_fmt("%s on %s needs%s, which /proc/cmdline lacks%s%s",
			      mode_text(g->modes), g->plat->name, missing,
			      h ? "; it has" : "", have),
		       dr_boot_fix(missing + 1));
}

/* Whether vfio-pci is told to take @g at boot (ids= in modprobe.d or cmdline). */
static bool vfio_ids_claim(const struct doctor *d, const struct doctor_gpu *g,
			   char *where, size_t len)
{
	char id[16], buf[256], **names, *conf, *p;
	bool found = false;
	int i, n;

	snprintf(id, sizeof(id), "%04x:%04x", g->vendor, g->device);
	if (cmdline_value(d->cmdline, "vfio-pci.ids", buf, sizeof(buf)) &&
	    strcasestr(buf, id)) {
		snprintf(where, len, "/proc/cmdline vfio-pci.ids=%s", buf);
		return true;
	}
	n = rootfs_list(&names, "/etc/modprobe.d");
	for (i = 0; i < n && !found; i++) {
		conf = rootfs_text("/etc/modprobe.d/%s", names[i]);
		for (p = conf; p && (p = strstr(p, "options vfio")); p++) {
			size_t l = strcspn(p, "\n");

			if (memmem(p, l, id, strlen(id)) && memmem(p, l, "ids=", 4)) {
				snprintf(where, len, "/etc/modprobe.d/%s", names[i]);
				found = true;
				break;
			}
		}
		free(conf);
	}
	rootfs_list_free(names, n);
	return found;
}

static void check_passthrough(struct doctor *d, const struct doctor_gpu *g)
{
	char where[300];

	if (!g->has_totalvfs && !(g->modes & SRIOV))
		return;
	if (!strcmp(g->driver, "vfio-pci") && g->numvfs) {
		dr_add(d, "passthrough", DOCTOR_FAIL, g->handle,
		       dr_fmt("the PF is bound to vfio-pci while it has %u VFs: a VM given the PF takes every VF with it",
			      g->numvfs),
		       dr_fmt("pass VFs to VMs, never the PF: give the PF back to its driver (echo %s > /sys/bus/pci/drivers/vfio-pci/unbind; echo %s > /sys/bus/pci/drivers_probe), or remove the VFs first (vgpu-nl dev set %s numvfs 0) if the whole GPU is meant for one VM",
			      g->name, g->name, g->handle));
		return;
	}
	if (g->modes && vfio_ids_claim(d, g, where, sizeof(where))) {
		dr_add(d, "passthrough", DOCTOR_WARN, g->handle,
		       dr_fmt("%04x:%04x is given to vfio-pci at boot (%s): no VFs or mdevs then",
			      g->vendor, g->device, where),
		       dr_fmt("remove %04x:%04x from the vfio-pci ids in %s, update-initramfs -u, reboot",
			      g->vendor, g->device, where));
		return;
	}
	if (!g->numvfs)
		return;
	dr_add(d, "passthrough", DOCTOR_OK, g->handle,
	       dr_fmt("the PF stays with %s (%u VFs); VMs get VFs",
		      g->driver[0] ? g->driver : "no driver", g->numvfs),
	       NULL);
}

void doctor_check_gpu(struct doctor *d, const struct doctor_gpu *g)
{
	/*
	 * On vfio-pci (and no VFs) it is passed through whole: what its vGPU
	 * modes would need is beside the point; check driver says how to
	 * have them back.
	 */
	bool whole = !strcmp(g->driver, "vfio-pci") && !g->numvfs;

	check_identity(d, g);
	check_driver(d, g);
	if (!whole) {
		check_cmdline(d, g);
		doctor_check_xe(d, g);
		check_sriov(d, g);
		check_mdev(d, g);
	}
	check_passthrough(d, g);
	doctor_check_groups(d, g);
}
