// SPDX-License-Identifier: GPL-2.0
/*
 * plan.c - the boot-time settings a mode (GVT-g, SR-IOV, whole-GPU
 * passthrough) needs, as a plan of file changes (see plan.h)
 *
 * Three files at most, each with one owner:
 *   the kernel command line   /etc/default/grub or /etc/kernel/cmdline,
 *                             the admin's: edited parameter by parameter
 *   /etc/modules-load.d/vgpu-nl.conf   ours, whole: the modules to load.
 *                             Not /etc/modules: a file of our own is
 *                             created and removed without touching the
 *                             admin's lines, and systemd-modules-load
 *                             reads both (Debian links /etc/modules in).
 *   /etc/modprobe.d/vgpu-nl-vfio.conf  ours, passthrough only: vfio-pci
 *                             ids, softdeps and blacklists.
 * Switching modes removes what the other modes set (i915.enable_gvt when
 * planning SR-IOV, GuC submission when planning GVT-g, which i915 refuses
 * to combine with GVT-g, our vfio-pci file when the GPU must stay with
 * its driver). Passthrough removes no i915 parameter: another GPU of the
 * host may still use GVT-g or SR-IOV.
 */
#define _GNU_SOURCE	/* open_memstream() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/modules.h"
#include "host/plan.h"
#include "host/rootfs.h"
#include "output/output.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* intel_iommu is a list ("on,sm_on"): "on" must be in it, "off" not. */
#define P_IOMMU		{ "intel_iommu", "on", true, "off" }, \
			{ "iommu", "pt", false, NULL }

static const struct cmdline_param gvt_params[] = {
	P_IOMMU,
	{ "i915.enable_gvt", "1", false, NULL },
	{ "i915.enable_guc", NULL, false, NULL },
	{ "i915.max_vfs", NULL, false, NULL },
};

static const struct cmdline_param sriov_params[] = {
	P_IOMMU,
	{ "i915.enable_guc", "3", false, NULL },
	{ "i915.max_vfs", "7", false, NULL },
	{ "i915.enable_gvt", NULL, false, NULL },
};

static const struct cmdline_param passthrough_params[] = {
	P_IOMMU,
	/* Only for the boot GPU: the firmware framebuffer holds its BAR. */
	{ "initcall_blacklist", "sysfb_init", true, NULL },
};

static const char *const gvt_modules[] = {
	"kvmgt", "vfio", "vfio_iommu_type1", "vfio_pci", "mdev", NULL,
};

static const char *const vfio_modules[] = {
	"vfio", "vfio_iommu_type1", "vfio_pci", NULL,
};

static const struct hs_mode modes[] = {
	{ "gvt", "GVT-g mdevs (i915, Broadwell to Comet Lake)",
	  gvt_params, N(gvt_params), gvt_modules, false },
	{ "sriov", "SR-IOV VFs (i915-sriov-dkms, Tiger Lake and later)",
	  sriov_params, N(sriov_params), vfio_modules, false },
	{ "passthrough", "the whole GPU to one VM through vfio-pci",
	  passthrough_params, N(passthrough_params), vfio_modules, true },
};

const struct hs_mode *hs_mode_find(const char *name)
{
	size_t i;

	for (i = 0; i < N(modes); i++)
		if (!strcmp(name, modes[i].name))
			return &modes[i];
	return NULL;
}

bool hs_file_changes(const struct hs_file *f)
{
	if (!f->old || !f->new)
		return f->old != f->new;
	return strcmp(f->old, f->new);
}

/* Adds the functions of @dir starting with @prefix, each once, in order. */
static int add_fns(struct hs_plan *p, const char *dir, const char *prefix,
		   enum pci_filter filter)
{
	struct pci_fn *fns;
	int i, j, n;

	n = pci_list(dir, prefix, filter, &fns);
	for (i = 0; i < n; i++) {
		for (j = 0; j < (int)p->nfns; j++)
			if (!strcmp(p->fns[j].name, fns[i].name))
				break;
		if (j == (int)p->nfns && p->nfns < HS_MAX_FNS)
			p->fns[p->nfns++] = fns[i];
	}
	free(fns);
	qsort(p->fns, p->nfns, sizeof(p->fns[0]), pci_fn_cmp);
	return n < 0 ? n : 0;
}

static char *modules_content(const struct hs_mode *m)
{
	char *out = NULL, *where;
	bool any = false;
	size_t len, i;
	FILE *f;

	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fprintf(f, "# Modules for vgpu-nl mode %s, written by \"vgpu-nl host apply\".\n"
		"# \"vgpu-nl host rollback\" removes this file.\n", m->name);
	for (i = 0; m->modules[i]; i++) {
		where = modules_listed(m->modules[i], "vgpu-nl.conf");
		free(where);
		if (where)
			continue;
		fprintf(f, "%s\n", m->modules[i]);
		any = true;
	}
	if (fclose(f) || !any) {
		free(out);
		return NULL;
	}
	return out;
}

/* The drivers that could claim @fn at boot: the bound one and kin. */
static size_t fn_drivers(const struct pci_fn *fn, const char *drv[4])
{
	size_t n = 0;

	if (pci_is_display(fn) && fn->vendor == 0x8086) {
		drv[n++] = "i915";
		drv[n++] = "xe";
	} else if (pci_is_display(fn) && fn->vendor == 0x10de) {
		drv[n++] = "nouveau";
		drv[n++] = "nvidia";
	} else if (pci_is_display(fn) && fn->vendor == 0x1002) {
		drv[n++] = "amdgpu";
		drv[n++] = "radeon";
	} else if (fn->class >> 8 == 0x0403) {
		drv[n++] = "snd_hda_intel";
	}
	/*
	 * The bound one too, unless it is vfio-pci: after the first reboot
	 * it is, and the file must come out the same then.
	 */
	if (fn->driver[0] && strcmp(fn->driver, "vfio-pci")) {
		size_t i;

		for (i = 0; i < n && strcmp(drv[i], fn->driver); i++)
			;
		if (i == n)
			drv[n++] = fn->driver;
	}
	return n;
}

static char *vfio_content(const struct hs_plan *p)
{
	const char *drv[4];
	char *out = NULL;
	size_t len, i, j, k, n;
	FILE *f;

	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fputs("# Written by \"vgpu-nl host apply passthrough\"; \"vgpu-nl host rollback\"\n"
	      "# removes it. vfio-pci takes these functions at boot:\n", f);
	for (i = 0; i < p->nfns; i++)
		fprintf(f, "#   %s %04x:%04x%s%s\n", p->fns[i].name,
			p->fns[i].vendor, p->fns[i].device,
			p->fns[i].driver[0] ? " was " : "", p->fns[i].driver);
	fputs("options vfio-pci ids=", f);
	for (i = 0; i < p->nfns; i++) {
		for (j = 0; j < i && (p->fns[j].vendor != p->fns[i].vendor ||
				      p->fns[j].device != p->fns[i].device); j++)
			;
		if (j == i)
			fprintf(f, "%s%04x:%04x", i ? "," : "",
				p->fns[i].vendor, p->fns[i].device);
	}
	fputc('\n', f);
	/* vfio-pci first, so that it claims them before their driver can. */
	for (i = 0; i < p->nfns; i++) {
		n = fn_drivers(&p->fns[i], drv);
		for (k = 0; k < n; k++)
			fprintf(f, "softdep %s pre: vfio-pci\n", drv[k]);
	}
	/* And the GPU's own drivers not at all: the host must not use it. */
	for (i = 0; i < p->nfns; i++) {
		if (!pci_is_display(&p->fns[i]))
			continue;
		n = fn_drivers(&p->fns[i], drv);
		for (k = 0; k < n; k++)
			fprintf(f, "blacklist %s\n", drv[k]);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

void hs_plan_free(struct hs_plan *p)
{
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		free(p->files[i].old);
		free(p->files[i].new);
	}
}

/* Reads the file's present state into a new entry of @p. */
static int plan_file(struct hs_plan *p, const char *rel, struct hs_file **fp)
{
	struct hs_file *f = &p->files[p->nfiles];
	int ret;

	memset(f, 0, sizeof(*f));
	f->path = rel;
	ret = rootfs_read(&f->old, &f->st, "%s", rel);
	if (ret == -ENOENT)
		ret = 0;
	if (ret == -EINVAL)
		pr_err("%s%s is not a text file", rootfs_root(), rel);
	else if (ret)
		pr_err("cannot read %s%s: %s", rootfs_root(), rel,
		       strerror(-ret));
	if (!ret)
		*fp = &p->files[p->nfiles++];
	return ret;
}

/*
 * The GPU(s) the plan is about: @dev, or every display function. For
 * passthrough, its slot and IOMMU group come along, and exactly one GPU
 * must be meant: passing every GPU would leave the host blind.
 */
static int plan_devices(struct hs_plan *p, const char *dev)
{
	char name[16], slot[16], group[64];
	bool pt = p->mode->passthrough;
	struct pci_fn fn;
	int ret;

	if (dev) {
		if (pci_fn_read(dev, &fn)) {
			pr_err("no PCI device %s in %s" PCI_DEVICES, dev,
			       rootfs_root());
			return -ENODEV;
		}
		if (pci_is_bridge(&fn)) {
			pr_err("%s is a PCI bridge, not a device a VM can take", dev);
			return -EINVAL;
		}
		p->fns[p->nfns++] = fn;
	} else {
		ret = add_fns(p, PCI_DEVICES, "", PCI_DISPLAY);
		if (ret && pt) {
			pr_err("cannot list %s" PCI_DEVICES ": %s", rootfs_root(),
			       strerror(-ret));
			return ret;
		}
		if (pt && p->nfns > 1) {
			pr_err("%zu GPUs found; name the one to pass through (DEV)",
			       p->nfns);
			return -EINVAL;
		}
		if (pt && !p->nfns) {
			pr_err("no GPU found in %s" PCI_DEVICES "; name the device to pass through (DEV)",
			       rootfs_root());
			return -ENODEV;
		}
	}
	if (!pt)
		return 0;
	/* A discrete card's audio (and USB-C) functions go with it. */
	strcpy(name, p->fns[0].name);
	snprintf(slot, sizeof(slot), "%.*s", (int)(strrchr(name, '.') - name + 1),
		 name);
	add_fns(p, PCI_DEVICES, slot, PCI_NO_BRIDGES);
	snprintf(group, sizeof(group), PCI_DEVICES "/%s/iommu_group/devices",
		 name);
	add_fns(p, group, "", PCI_NO_BRIDGES);
	return 0;
}

/* The one GPU passthrough takes, or NULL. */
static const struct pci_fn *boot_gpu(const struct hs_plan *p)
{
	size_t i;

	for (i = 0; i < p->nfns; i++)
		/* An iGPU sits on the root bus; the firmware's is boot_vga. */
		if (pci_is_display(&p->fns[i]) && (p->fns[i].boot_vga ||
		    !strncmp(p->fns[i].name + 5, "00:", 3)))
			return &p->fns[i];
	return NULL;
}

static int plan_cmdline(struct hs_plan *p)
{
	const struct hs_mode *m = p->mode;
	size_t nparams = m->nparams;
	struct hs_file *f;
	const char *why;
	int ret;

	if (bootcfg_detect(&p->boot)) {
		pr_err("no boot loader configuration in %s: neither /etc/default/grub nor /etc/kernel/cmdline",
		       rootfs_name());
		return -ENOENT;
	}
	ret = plan_file(p, p->boot.path, &f);
	if (ret)
		return ret;
	if (!f->old) {
		pr_err("cannot read %s%s: %s", rootfs_root(), f->path,
		       strerror(ENOENT));
		return -ENOENT;
	}
	if (m->passthrough && !boot_gpu(p))
		nparams--;	/* initcall_blacklist: last, boot GPU only */
	ret = bootcfg_edit(&p->boot, f->old, m->params, nparams, &f->new, &why);
	if (ret == -EINVAL)
		pr_err("%s%s: %s", rootfs_root(), f->path, why);
	else if (ret)
		pr_err("%s", strerror(-ret));
	return ret;
}

int hs_plan_make(const struct hs_mode *m, const char *dev, struct hs_plan *p)
{
	struct hs_file *f;
	size_t i;
	int ret;

	memset(p, 0, sizeof(*p));
	p->mode = m;
	ret = plan_devices(p, dev);
	if (!ret)
		ret = plan_cmdline(p);
	if (!ret)
		ret = plan_file(p, HS_MODULES_FILE, &f);
	if (!ret) {
		f->new = modules_content(m);
		f->initramfs = true;
		ret = plan_file(p, HS_VFIO_FILE, &f);
	}
	if (!ret && m->passthrough) {
		f->new = vfio_content(p);
		if (!f->new)
			ret = -ENOMEM;
	}
	if (!ret)
		f->initramfs = true;
	for (i = 0; !ret && i < p->nfiles; i++)
		if (hs_file_changes(&p->files[i]))
			hs_hooks_for(p->files[i].path, &p->hooks);
	if (ret)
		hs_plan_free(p);
	return ret;
}

size_t hs_plan_changes(const struct hs_plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nfiles; i++)
		n += hs_file_changes(&p->files[i]);
	return n;
}
