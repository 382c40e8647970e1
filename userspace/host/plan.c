// SPDX-License-Identifier: GPL-2.0
/*
 * plan.c - the boot-time settings a mode (GVT-g, SR-IOV, whole-GPU
 * passthrough) needs, as a plan of file changes (see plan.h)
 *
 * Four files at most, each with one owner:
 *   the kernel command line   /etc/default/grub or /etc/kernel/cmdline,
 *                             the admin's: edited parameter by parameter
 *   /etc/modules-load.d/vgpu-nl.conf   ours, whole: the modules to load.
 *                             Not /etc/modules: a file of our own is
 *                             created and removed without touching the
 *                             admin's lines, and systemd-modules-load
 *                             reads both (Debian links /etc/modules in).
 *   /etc/modprobe.d/vgpu-nl-vfio.conf  ours, passthrough only: how
 *                             vfio-pci takes the GPU at boot (host/vfioconf.c).
 *   /etc/modprobe.d/vgpu-nl-xe.conf    ours, SR-IOV through xe where xe
 *                             has configfs: its max_vfs, set each time xe
 *                             loads (plan_xe.c).
 * The IOMMU parameters follow the CPU's vendor (host/cpu.h): Intel's
 * VT-d needs intel_iommu=on, AMD-Vi is on unless amd_iommu=off.
 * Switching modes removes what the other modes set (i915.enable_gvt when
 * planning SR-IOV, GuC submission when planning GVT-g, which i915 refuses
 * to combine with GVT-g, our vfio-pci file when the GPU must stay with
 * its driver). Passthrough removes no i915 parameter: another GPU of the
 * host may still use GVT-g or SR-IOV.
 */
#define _GNU_SOURCE	/* open_memstream(), vasprintf() */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/modules.h"
#include "host/plan.h"
#include "host/rootfs.h"
#include "host/vfioconf.h"
#include "output/output.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* A kernel parameter a mode wants, with the comment the plan gives it. */
struct param_why {
	struct cmdline_param p;
	const char *why;
};

/* intel_iommu is a list ("on,sm_on"): "on" must be in it, "off" not. */
static const struct param_why p_intel_iommu = {
	{ "intel_iommu", "on", true, "off" },
	"Intel's IOMMU (VT-d) is off unless asked for; VFIO needs it",
};
static const struct param_why p_intel_unknown = {
	{ "intel_iommu", "on", true, "off" },
	"no CPU vendor in /proc/cpuinfo: set as for Intel (an AMD kernel ignores it)",
};
/* Only the "off" goes: amd_iommu's other items are the admin's. */
static const struct param_why p_amd_iommu = {
	{ "amd_iommu", NULL, true, "off" },
	"AMD's IOMMU (AMD-Vi) is on by default: nothing to add (intel_iommu= is Intel's), only amd_iommu=off would go",
};
static const struct param_why p_iommu_pt = {
	{ "iommu", "pt", false, NULL },
	"the host's own devices skip IOMMU translation (faster DMA); devices given to VMs keep their isolation",
};

static const struct param_why gvt_params[] = {
	{ { "i915.enable_gvt", "1", false, NULL },
	  "i915 offers GVT-g mdev types only with it" },
	{ { "i915.enable_guc", NULL, false, NULL },
	  "goes: GVT-g refuses GuC submission" },
	{ { "i915.max_vfs", NULL, false, NULL },
	  "goes: SR-IOV's, which GVT-g does not use" },
};

static const struct param_why sriov_params[] = {
	{ { "i915.enable_guc", "3", false, NULL },
	  "GuC submission and SR-IOV: i915-sriov-dkms makes VFs only with both" },
	{ { "i915.max_vfs", "7", false, NULL },
	  "how many VFs the PF may make (vgpu-nl dev set DEV numvfs N picks)" },
	{ { "i915.enable_gvt", NULL, false, NULL },
	  "goes: GVT-g's, which SR-IOV excludes" },
};

/* Only for the boot display: the firmware framebuffer holds its BAR. */
static const struct param_why p_sysfb = {
	{ "initcall_blacklist", "sysfb_init", true, NULL },
	"the boot display: without sysfb the firmware's framebuffer (simplefb, efifb) does not hold its memory, so vfio-pci gets it whole",
};

static const struct param_why p_acs = {
	{ "pcie_acs_override", "downstream,multifunction", false, NULL },
	"asked for (--acs-override). It GIVES UP ISOLATION between devices: the kernel then puts devices in separate IOMMU groups that can still reach each other by peer-to-peer DMA, so a VM can read and write the memory of devices the host kept. Only patched kernels (Proxmox VE's) know it; Debian's ignore it",
};

static const char *const gvt_modules[] = {
	"kvmgt", "vfio", "vfio_iommu_type1", "vfio_pci", "mdev", NULL,
};

static const char *const vfio_modules[] = {
	"vfio", "vfio_iommu_type1", "vfio_pci", NULL,
};

static const struct hs_mode modes[] = {
	{ "gvt", "GVT-g mdevs (i915, Broadwell to Comet Lake)",
	  gvt_modules, false },
	{ "sriov", "SR-IOV VFs (i915-sriov-dkms or xe, Tiger Lake and later)",
	  vfio_modules, false },
	{ "passthrough", "the whole GPU to one VM through vfio-pci",
	  vfio_modules, true },
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

void hs_plan_free(struct hs_plan *p)
{
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		free(p->files[i].old);
		free(p->files[i].new);
	}
	for (i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
}

void hs_plan_note(struct hs_plan *p, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (p->nnotes == HS_MAX_NOTES)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0)
		p->notes[p->nnotes++] = s;
	va_end(ap);
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

/* The GPU passthrough takes, its slot's functions in its group (passdev.h). */
static int plan_passthrough(struct hs_plan *p, const char *dev)
{
	char advice[512];
	size_t i;
	int ret;

	ret = passdev_read(dev, &p->pass);
	if (ret == -ENOENT) {
		pr_err("no PCI device %s in %s" PCI_DEVICES, dev, rootfs_root());
		return -ENODEV;
	}
	if (ret == -EINVAL && p->pass.dev.is_vf) {
		pr_err("%s is an SR-IOV VF: a VF goes to a VM as it is (vgpu-nl vf set %s driver vfio-pci), no boot setup needed",
		       dev, dev);
		return ret;
	}
	if (ret == -EINVAL) {
		pr_err("%s is a PCI bridge, not a device a VM can take", dev);
		return ret;
	}
	if (ret) {
		pr_err("cannot read %s" PCI_DEVICES ": %s", rootfs_root(),
		       strerror(-ret));
		return ret;
	}
	for (i = 0; i < p->pass.nfns && p->nfns < HS_MAX_FNS; i++)
		p->fns[p->nfns++] = p->pass.fns[i];
	/*
	 * Anything else of its group that a host driver has stays with the
	 * host: binding it at boot could take the host's disk or network.
	 * The VM cannot start until it is dealt with; say how.
	 */
	for (i = 0; i < p->pass.npeers; i++) {
		if (passdev_peer_role(&p->pass, &p->pass.peers[i]) != PEER_BLOCKS)
			continue;
		passdev_peer_advice(&p->pass, &p->pass.peers[i], advice, sizeof(advice));
		hs_plan_note(p, "IOMMU group %d: %s", p->pass.dev.iommu_group,
			     advice);
	}
	return 0;
}

/*
 * The GPU(s) the plan is about: @dev, or every display function. For
 * passthrough exactly one GPU must be meant: passing every GPU would
 * leave the host blind.
 */
static int plan_devices(struct hs_plan *p, const char *dev)
{
	bool pt = p->mode->passthrough;
	struct pci_fn fn;
	int ret;

	if (dev && pt)
		return plan_passthrough(p, dev);
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
		return 0;
	}
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
	if (pt) {
		fn = p->fns[0];
		p->nfns = 0;
		return plan_passthrough(p, fn.name);
	}
	return 0;
}

static void add_param(struct hs_plan *p, const struct param_why *pw)
{
	if (p->nparams == HS_MAX_PARAMS)
		return;
	p->params[p->nparams] = pw->p;
	p->why[p->nparams++] = pw->why;
}

/*
 * The command line's parameters for this mode, host and options: an
 * SR-IOV plan sets i915's only when a GPU stays with i915, and xe's for
 * the GPUs xe takes.
 */
static int plan_params(struct hs_plan *p)
{
	const struct hs_mode *m = p->mode;
	size_t i;

	p->cpu = cpu_vendor();
	if (p->cpu == CPU_AMD)
		add_param(p, &p_amd_iommu);
	else
		add_param(p, p->cpu == CPU_INTEL ? &p_intel_iommu :
			  &p_intel_unknown);
	add_param(p, &p_iommu_pt);
	if (!strcmp(m->name, "gvt"))
		for (i = 0; i < N(gvt_params); i++)
			add_param(p, &gvt_params[i]);
	if (!strcmp(m->name, "sriov") && p->i915)
		for (i = 0; i < N(sriov_params); i++)
			add_param(p, &sriov_params[i]);
	if (m->passthrough && p->vfio.boot_display)
		add_param(p, &p_sysfb);
	if (m->passthrough && p->opts.acs_override)
		add_param(p, &p_acs);
	return strcmp(m->name, "sriov") ? 0 : hs_xe_params(p);
}

static int plan_cmdline(struct hs_plan *p)
{
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
	ret = plan_params(p);
	if (ret)
		return ret;
	ret = bootcfg_edit(&p->boot, f->old, p->params, p->nparams, &f->new,
			   &why);
	if (ret == -EINVAL)
		pr_err("%s%s: %s", rootfs_root(), f->path, why);
	else if (ret)
		pr_err("%s", strerror(-ret));
	return ret;
}

int hs_plan_make(const struct hs_mode *m, const char *dev,
		 const struct hs_opts *opts, struct hs_plan *p)
{
	struct hs_file *f;
	size_t i;
	int ret;

	memset(p, 0, sizeof(*p));
	p->mode = m;
	if (opts)
		p->opts = *opts;
	p->i915 = true;
	ret = plan_devices(p, dev);
	if (!ret && m->passthrough)
		vfioconf_decide(p);
	if (!ret && !strcmp(m->name, "sriov"))
		ret = hs_xe_plan(p, dev);
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
		f->new = vfioconf_text(p);
		if (!f->new)
			ret = -ENOMEM;
	}
	if (!ret) {
		f->initramfs = true;
		ret = plan_file(p, HS_XE_FILE, &f);
	}
	/* Another mode, or xe without configfs: our xe file goes. */
	if (!ret && p->nxe && p->xe_configfs) {
		f->new = hs_xe_file(p);
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
