// SPDX-License-Identifier: GPL-2.0
/*
 * vfioconf.c - see vfioconf.h
 */
#define _GNU_SOURCE	/* open_memstream() */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/passdev.h"
#include "host/pci.h"
#include "host/vfioconf.h"

/* A GPU vendor's drivers: those that bind PCI functions, those to keep out. */
static const struct gpu_vendor {
	unsigned int vendor;
	const char *name;
	const char *probe[4];		/* PCI drivers: softdep ... pre: vfio-pci */
	const char *blacklist[5];
} vendors[] = {
	{ 0x10de, "NVIDIA", { "nouveau", "nvidia", "nvidiafb" },
	  { "nouveau", "nvidia", "nvidia_drm", "nvidiafb" } },
	{ 0x1002, "AMD", { "amdgpu", "radeon" }, { "amdgpu", "radeon" } },
	{ 0x8086, "Intel", { "i915", "xe" }, { "i915", "xe" } },
};

static const struct gpu_vendor *vendor_of(const struct pci_fn *fn)
{
	size_t i;

	for (i = 0; pci_is_display(fn) && i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (vendors[i].vendor == fn->vendor)
			return &vendors[i];
	return NULL;
}

static bool in_fns(const struct hs_plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nfns; i++)
		if (!strcmp(p->fns[i].name, name))
			return true;
	return false;
}

void vfioconf_decide(struct hs_plan *p)
{
	const struct pci_fn *gpu = &p->pass.dev;
	const struct gpu_vendor *gv = vendor_of(gpu);
	struct pci_fn *all;
	size_t i, off = 0;
	int j, n;

	p->vfio.disable_vga = pci_is_vga(gpu) && !gpu->boot_vga;
	for (i = 0; i < p->nfns; i++)
		p->vfio.boot_display |= p->fns[i].boot_vga;
	n = pci_list(PCI_DEVICES, "", PCI_ALL, &all);
	for (j = 0; j < n; j++) {
		const struct pci_fn *a = &all[j];

		if (in_fns(p, a->name))
			continue;
		for (i = 0; i < p->nfns; i++)
			if (a->vendor == p->fns[i].vendor &&
			    a->device == p->fns[i].device)
				break;
		if (i < p->nfns) {
			off += snprintf(p->vfio.why + off,
					off < sizeof(p->vfio.why) ? sizeof(p->vfio.why) - off : 0,
					"%s%s has the same id %04x:%04x and stays with the host",
					off ? "; " : "", a->name, a->vendor, a->device);
			continue;
		}
		if (gv && pci_is_display(a) && a->vendor == gpu->vendor)
			off += snprintf(p->vfio.why + off,
					off < sizeof(p->vfio.why) ? sizeof(p->vfio.why) - off : 0,
					"%sthe host keeps %s (%04x:%04x, %s), another %s GPU, which a blacklist of %s's drivers would take too",
					off ? "; " : "", a->name, a->vendor, a->device,
					pci_class_name(a), gv->name, gv->name);
	}
	free(all);
	p->vfio.by_address = off > 0;
	if (p->vfio.by_address)
		hs_plan_note(p, "vfio-pci takes %s by address (driver_override), not by id: %s",
			     gpu->name, p->vfio.why);
	else
		hs_plan_note(p, "vfio-pci takes %s by id: no other function has its ids%s",
			     gpu->name, gv ? ", and the host keeps no GPU of its vendor" : "");
	if (p->vfio.disable_vga)
		hs_plan_note(p, "vfio-pci disable_vga=1: %s is a VGA GPU but not the boot display",
			     gpu->name);
	if (p->opts.windows_guest)
		hs_plan_note(p, "kvm ignore_msrs=1 report_ignored_msrs=0: asked for (--windows-guest)");
}

/* Adds @drv to @list (@n entries, room for @max) unless there. */
static void add_driver(const char **list, size_t *n, size_t max,
		       const char *drv)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp(list[i], drv))
			return;
	if (*n < max)
		list[(*n)++] = drv;
}

/* The drivers that could claim @fn at boot: its vendor's, its class's, the bound one. */
static void fn_drivers(const struct pci_fn *fn, const char **list, size_t *n,
		       size_t max)
{
	const struct gpu_vendor *gv = vendor_of(fn);
	size_t i;

	for (i = 0; gv && i < 4 && gv->probe[i]; i++)
		add_driver(list, n, max, gv->probe[i]);
	if (fn->class >> 8 == 0x0403)		/* HD audio: the HDMI/DP sound */
		add_driver(list, n, max, "snd_hda_intel");
	else if (fn->class >> 8 == 0x0c03)	/* USB-C's xHCI */
		add_driver(list, n, max, "xhci_pci");
	else if (fn->class >> 8 == 0x0c80 && fn->vendor == 0x10de)
		add_driver(list, n, max, "i2c_nvidia_gpu");	/* USB-C's UCSI */
	/*
	 * The bound one too, unless it is vfio-pci: after the first reboot
	 * it is, and the file must come out the same then.
	 */
	if (fn->driver[0] && !pci_is_vfio(fn) && strcmp(fn->driver, "xhci_hcd"))
		add_driver(list, n, max, fn->driver);
}

static void write_header(const struct hs_plan *p, FILE *f)
{
	size_t i;

	/* No driver names: after the reboot vfio-pci has them, same file. */
	fputs("# Written by \"vgpu-nl host apply passthrough\"; \"vgpu-nl host rollback\"\n"
	      "# removes it. vfio-pci takes these functions at boot:\n", f);
	for (i = 0; i < p->nfns; i++)
		fprintf(f, "#   %s %04x:%04x %s\n", p->fns[i].name,
			p->fns[i].vendor, p->fns[i].device,
			pci_class_name(&p->fns[i]));
}

static void write_bind(const struct hs_plan *p, FILE *f)
{
	size_t i, j;

	if (p->vfio.by_address) {
		fprintf(f, "# By address, not by id: %s.\n"
			"# Loading vfio-pci first sets their driver_override, so that vfio-pci\n"
			"# and no other driver binds them (what driverctl does), then loads it:\n"
			"install vfio-pci for f in", p->vfio.why);
		for (i = 0; i < p->nfns; i++)
			fprintf(f, " %s", p->fns[i].name);
		fputs("; do echo vfio-pci > /sys/bus/pci/devices/$f/driver_override; done; "
		      "/sbin/modprobe --ignore-install vfio-pci $CMDLINE_OPTS\n", f);
		if (p->vfio.disable_vga)
			fprintf(f, "# disable_vga=1: %s is a VGA GPU but not the boot display: vfio-pci\n"
				"# stays out of VGA arbitration, so the host's console keeps the legacy\n"
				"# VGA ranges (QEMU's x-vga=on then cannot be used; UEFI guests need none).\n"
				"options vfio-pci disable_vga=1\n", p->pass.dev.name);
		return;
	}
	fputs("# By id: vfio-pci claims every function with these vendor:device ids.\n", f);
	if (p->vfio.disable_vga)
		fprintf(f, "# disable_vga=1: %s is a VGA GPU but not the boot display: vfio-pci\n"
			"# stays out of VGA arbitration, so the host's console keeps the legacy\n"
			"# VGA ranges (QEMU's x-vga=on then cannot be used; UEFI guests need none).\n",
			p->pass.dev.name);
	fputs("options vfio-pci ids=", f);
	for (i = 0; i < p->nfns; i++) {
		for (j = 0; j < i && (p->fns[j].vendor != p->fns[i].vendor ||
				      p->fns[j].device != p->fns[i].device); j++)
			;
		if (j == i)
			fprintf(f, "%s%04x:%04x", i ? "," : "",
				p->fns[i].vendor, p->fns[i].device);
	}
	fputs(p->vfio.disable_vga ? " disable_vga=1\n" : "\n", f);
}

char *vfioconf_text(const struct hs_plan *p)
{
	const struct gpu_vendor *gv = vendor_of(&p->pass.dev);
	const char *drv[16];
	size_t len, i, n = 0;
	char *out = NULL;
	FILE *f;

	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	write_header(p, f);
	write_bind(p, f);
	for (i = 0; i < p->nfns; i++)
		fn_drivers(&p->fns[i], drv, &n, sizeof(drv) / sizeof(drv[0]));
	if (n)
		fputs("# vfio-pci loads before each driver that could claim them, so it comes first:\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, "softdep %s pre: vfio-pci\n", drv[i]);
	if (gv && !p->vfio.by_address) {
		fprintf(f, "# %s's GPU drivers do not load at all: the host keeps no %s GPU.\n",
			gv->name, gv->name);
		for (i = 0; i < 5 && gv->blacklist[i]; i++)
			fprintf(f, "blacklist %s\n", gv->blacklist[i]);
	}
	if (p->opts.windows_guest)
		fputs("# --windows-guest: Windows reads MSRs that KVM does not emulate; ignore_msrs=1\n"
		      "# answers them instead of failing the read (a blue screen in the guest),\n"
		      "# report_ignored_msrs=0 keeps each one out of the kernel log.\n"
		      "options kvm ignore_msrs=1 report_ignored_msrs=0\n", f);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}
