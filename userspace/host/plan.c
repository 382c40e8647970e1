// SPDX-License-Identifier: GPL-2.0
/*
 * plan.c - "vgpu-nl host": plan, apply and roll back the boot-time
 * settings a mode (GVT-g, SR-IOV, whole-GPU passthrough) needs
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
#define _GNU_SOURCE	/* open_memstream(), asprintf() */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "host/bootloader.h"
#include "host/plan.h"
#include "host/rootfs.h"
#include "kernel/handle.h"
#include "output/output.h"
#include "output/udiff.h"

#define HS_MODULES_FILE	"/etc/modules-load.d/vgpu-nl.conf"
#define HS_VFIO_FILE	"/etc/modprobe.d/vgpu-nl-vfio.conf"
#define HS_PCI_DIR	"/sys/bus/pci/devices"
#define HS_MAX_FNS	32

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

struct hs_mode {
	const char *name;
	const char *what;
	const struct cmdline_param *params;
	size_t nparams;
	const char *const *modules;
};

static const struct hs_mode modes[] = {
	{ "gvt", "GVT-g mdevs (i915, Broadwell to Comet Lake)",
	  gvt_params, ARRAY_SIZE(gvt_params), gvt_modules },
	{ "sriov", "SR-IOV VFs (i915-sriov-dkms, Tiger Lake and later)",
	  sriov_params, ARRAY_SIZE(sriov_params), vfio_modules },
	{ "passthrough", "the whole GPU to one VM through vfio-pci",
	  passthrough_params, ARRAY_SIZE(passthrough_params), vfio_modules },
};

struct pci_fn {
	char name[16];		/* "0000:00:02.0" */
	unsigned int vendor, device, class;
	char driver[64];	/* "" when none is bound */
	bool boot_vga;
};

struct hs_plan {
	const struct hs_mode *mode;
	struct boot_cfg boot;
	struct hs_file files[3];
	size_t nfiles;
	struct pci_fn fns[HS_MAX_FNS];	/* the GPUs, or what passthrough takes */
	size_t nfns;
	struct hs_hooks hooks;
};

bool hs_file_changes(const struct hs_file *f)
{
	if (!f->old || !f->new)
		return f->old != f->new;
	return strcmp(f->old, f->new);
}

void hs_hooks_for(const char *root, const char *path, struct hs_hooks *h)
{
	struct boot_cfg cfg;

	if (!bootcfg_detect(root, &cfg) && !strcmp(path, cfg.path))
		h->boot = cfg.hook;
	else if (!strcmp(path, "/etc/default/grub"))
		h->boot = "update-grub";
	else if (!strcmp(path, "/etc/kernel/cmdline"))
		h->boot = "proxmox-boot-tool refresh";
	else
		h->initramfs = true;
}

static int run_cmd(const char *cmd)
{
	char *argv[4] = { NULL }, *copy = strdup(cmd), *save = NULL;
	int i = 0, status;
	pid_t pid;

	if (!copy)
		return -1;
	for (argv[i] = strtok_r(copy, " ", &save); argv[i] && i < 2;)
		argv[++i] = strtok_r(NULL, " ", &save);
	pr_info("running: %s", cmd);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	free(copy);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		pr_err("'%s' failed; run it by hand before rebooting", cmd);
		return -1;
	}
	return 0;
}

int hs_hooks_finish(const struct hs_hooks *h, bool run)
{
	int ret = 0;

	if (!h->initramfs && !h->boot)
		return 0;
	if (!run) {
		print_string(PRINT_FP, NULL,
			     "Now run (as root), then reboot: %s", "");
		open_array("commands");
		if (h->initramfs)
			print_string(PRINT_ANY, NULL, "%s", "update-initramfs -u");
		if (h->initramfs && h->boot)
			print_string(PRINT_FP, NULL, "%s", " && ");
		if (h->boot)
			print_string(PRINT_ANY, NULL, "%s", h->boot);
		close_array();
		print_nl();
		return 0;
	}
	if (h->initramfs && run_cmd("update-initramfs -u"))
		ret = -1;
	if (!ret && h->boot && run_cmd(h->boot))
		ret = -1;
	return ret;
}

/* sys/bus/pci/devices/@name: ids, class, driver, boot_vga. */
static int fn_read(const char *root, const char *name, struct pci_fn *fn)
{
	char path[ROOTFS_PATH_MAX], buf[32];
	int ret;

	memset(fn, 0, sizeof(*fn));
	if (strlen(name) >= sizeof(fn->name))
		return -EINVAL;
	strcpy(fn->name, name);
	ret = rootfs_path(path, root, HS_PCI_DIR "/%s/vendor", name);
	if (!ret)
		ret = rootfs_attr(path, buf, sizeof(buf));
	if (ret)
		return ret;
	fn->vendor = strtoul(buf, NULL, 16);
	if (!rootfs_path(path, root, HS_PCI_DIR "/%s/device", name) &&
	    !rootfs_attr(path, buf, sizeof(buf)))
		fn->device = strtoul(buf, NULL, 16);
	if (!rootfs_path(path, root, HS_PCI_DIR "/%s/class", name) &&
	    !rootfs_attr(path, buf, sizeof(buf)))
		fn->class = strtoul(buf, NULL, 16);
	if (!rootfs_path(path, root, HS_PCI_DIR "/%s/boot_vga", name) &&
	    !rootfs_attr(path, buf, sizeof(buf)))
		fn->boot_vga = !strcmp(buf, "1");
	if (!rootfs_path(path, root, HS_PCI_DIR "/%s/driver", name))
		rootfs_link_name(path, fn->driver, sizeof(fn->driver));
	return 0;
}

static bool is_display(const struct pci_fn *fn)
{
	return fn->class >> 16 == 0x03;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pci_fn *)a)->name,
		      ((const struct pci_fn *)b)->name);
}

/* Adds @name to the plan's functions, once; bridges stay with the host. */
static void add_fn(const char *root, struct hs_plan *p, const char *name)
{
	struct pci_fn fn;
	size_t i;

	for (i = 0; i < p->nfns; i++)
		if (!strcmp(p->fns[i].name, name))
			return;
	if (p->nfns == HS_MAX_FNS || fn_read(root, name, &fn) ||
	    fn.class >> 16 == 0x06)
		return;
	p->fns[p->nfns++] = fn;
}

/*
 * Functions under sys/bus/pci/devices whose name starts with @prefix
 * ("" for all; "0000:01:00." for a slot), display-class only if @display.
 */
static int add_fns(const char *root, struct hs_plan *p, const char *dir,
		   const char *prefix, bool display)
{
	char path[ROOTFS_PATH_MAX];
	struct dirent *de;
	struct pci_fn fn;
	DIR *d;
	int ret = rootfs_path(path, root, "%s", dir);

	if (ret)
		return ret;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		if (display && (fn_read(root, de->d_name, &fn) ||
				!is_display(&fn)))
			continue;
		add_fn(root, p, de->d_name);
	}
	closedir(d);
	qsort(p->fns, p->nfns, sizeof(p->fns[0]), name_cmp);
	return 0;
}

/* "MODULE ..." lines of a modules-load file, comments ('#', ';') out. */
static bool lists_module(const char *text, const char *module)
{
	const char *p, *nl;
	size_t len, i;

	for (p = text; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		p += strspn(p, " \t");
		len = strcspn(p, " \t\n#;");
		if (len != strlen(module))
			continue;
		/* modprobe spells '-' and '_' alike. */
		for (i = 0; i < len; i++)
			if ((p[i] == '-' ? '_' : p[i]) !=
			    (module[i] == '-' ? '_' : module[i]))
				break;
		if (i == len)
			return true;
	}
	return false;
}

/* Whether /etc/modules or another modules-load.d file loads @module. */
static bool loaded_elsewhere(const char *root, const char *module)
{
	char path[ROOTFS_PATH_MAX], *text;
	struct dirent *de;
	bool found = false;
	size_t len;
	DIR *d;

	if (!rootfs_path(path, root, "/etc/modules") &&
	    !rootfs_read(path, &text, NULL)) {
		found = lists_module(text, module);
		free(text);
	}
	if (found || rootfs_path(path, root, "/etc/modules-load.d"))
		return found;
	d = opendir(path);
	while (d && !found && (de = readdir(d))) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".conf") ||
		    !strcmp(de->d_name, "vgpu-nl.conf"))
			continue;
		if (rootfs_path(path, root, "/etc/modules-load.d/%s",
				de->d_name) || rootfs_read(path, &text, NULL))
			continue;
		found = lists_module(text, module);
		free(text);
	}
	if (d)
		closedir(d);
	return found;
}

static char *modules_content(const char *root, const struct hs_mode *m)
{
	char *out = NULL;
	bool any = false;
	size_t len, i;
	FILE *f;

	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fprintf(f, "# Modules for vgpu-nl mode %s, written by \"vgpu-nl host apply\".\n"
		"# \"vgpu-nl host rollback\" removes this file.\n", m->name);
	for (i = 0; m->modules[i]; i++) {
		if (loaded_elsewhere(root, m->modules[i]))
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

	if (is_display(fn) && fn->vendor == 0x8086) {
		drv[n++] = "i915";
		drv[n++] = "xe";
	} else if (is_display(fn) && fn->vendor == 0x10de) {
		drv[n++] = "nouveau";
		drv[n++] = "nvidia";
	} else if (is_display(fn) && fn->vendor == 0x1002) {
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
		if (!is_display(&p->fns[i]))
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

static void plan_free(struct hs_plan *p)
{
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		free(p->files[i].old);
		free(p->files[i].new);
	}
}

/* Reads the file's present state into a new entry of @p. */
static int plan_file(const char *root, struct hs_plan *p, const char *rel,
		     struct hs_file **fp)
{
	char path[ROOTFS_PATH_MAX];
	struct hs_file *f = &p->files[p->nfiles];
	int ret;

	memset(f, 0, sizeof(*f));
	f->path = rel;
	ret = rootfs_path(path, root, "%s", rel);
	if (!ret)
		ret = rootfs_read(path, &f->old, &f->st);
	if (ret == -ENOENT)
		ret = 0;
	if (ret == -EINVAL)
		pr_err("%s is not a text file", path);
	else if (ret)
		pr_err("cannot read %s: %s", path, strerror(-ret));
	if (!ret)
		*fp = &p->files[p->nfiles++];
	return ret;
}

/*
 * The GPU(s) the plan is about: @dev, or every display function. For
 * passthrough, its slot and IOMMU group come along, and exactly one GPU
 * must be meant: passing every GPU would leave the host blind.
 */
static int plan_devices(const char *root, struct hs_plan *p, const char *dev)
{
	char path[ROOTFS_PATH_MAX], name[16], slot[16];
	bool pt = p->mode->params == passthrough_params;
	struct pci_fn fn;
	int ret;

	if (dev) {
		if (fn_read(root, dev, &fn)) {
			pr_err("no PCI device %s in %s%s", dev, root, HS_PCI_DIR);
			return -ENODEV;
		}
		add_fn(root, p, dev);
		if (!p->nfns) {
			pr_err("%s is a PCI bridge, not a device a VM can take", dev);
			return -EINVAL;
		}
	} else {
		ret = add_fns(root, p, HS_PCI_DIR, "", true);
		if (ret && pt) {
			pr_err("cannot list %s%s: %s", root, HS_PCI_DIR,
			       strerror(-ret));
			return ret;
		}
		if (pt && p->nfns > 1) {
			pr_err("%zu GPUs found; name the one to pass through (DEV)",
			       p->nfns);
			return -EINVAL;
		}
		if (pt && !p->nfns) {
			pr_err("no GPU found in %s%s; name the device to pass through (DEV)",
			       root, HS_PCI_DIR);
			return -ENODEV;
		}
	}
	if (!pt)
		return 0;
	/* A discrete card's audio (and USB-C) functions go with it. */
	strcpy(name, p->fns[0].name);
	snprintf(slot, sizeof(slot), "%.*s", (int)(strrchr(name, '.') - name + 1),
		 name);
	add_fns(root, p, HS_PCI_DIR, slot, false);
	if (!rootfs_path(path, root, HS_PCI_DIR "/%s/iommu_group/devices", name))
		add_fns(root, p, path + strlen(root), "", false);
	return 0;
}

/* The one GPU passthrough takes, or NULL. */
static const struct pci_fn *boot_gpu(const struct hs_plan *p)
{
	size_t i;

	for (i = 0; i < p->nfns; i++)
		/* An iGPU sits on the root bus; the firmware's is boot_vga. */
		if (is_display(&p->fns[i]) && (p->fns[i].boot_vga ||
		    !strncmp(p->fns[i].name + 5, "00:", 3)))
			return &p->fns[i];
	return NULL;
}

static int plan_cmdline(const char *root, struct hs_plan *p)
{
	const struct hs_mode *m = p->mode;
	size_t nparams = m->nparams;
	struct hs_file *f;
	const char *why;
	int ret;

	if (bootcfg_detect(root, &p->boot)) {
		pr_err("no boot loader configuration in %s: neither /etc/default/grub nor /etc/kernel/cmdline",
		       *root ? root : "/");
		return -ENOENT;
	}
	ret = plan_file(root, p, p->boot.path, &f);
	if (ret)
		return ret;
	if (!f->old) {
		pr_err("cannot read %s%s: %s", root, f->path, strerror(ENOENT));
		return -ENOENT;
	}
	if (m->params == passthrough_params && !boot_gpu(p))
		nparams--;	/* initcall_blacklist: last, boot GPU only */
	ret = bootcfg_edit(&p->boot, f->old, m->params, nparams, &f->new, &why);
	if (ret == -EINVAL)
		pr_err("%s%s: %s", root, f->path, why);
	else if (ret)
		pr_err("%s", strerror(-ret));
	return ret;
}

static int plan_make(const char *root, const struct hs_mode *m,
		     const char *dev, struct hs_plan *p)
{
	struct hs_file *f;
	size_t i;
	int ret;

	memset(p, 0, sizeof(*p));
	p->mode = m;
	ret = plan_devices(root, p, dev);
	if (!ret)
		ret = plan_cmdline(root, p);
	if (!ret)
		ret = plan_file(root, p, HS_MODULES_FILE, &f);
	if (!ret) {
		f->new = modules_content(root, m);
		f->initramfs = true;
		ret = plan_file(root, p, HS_VFIO_FILE, &f);
	}
	if (!ret && m->params == passthrough_params) {
		f->new = vfio_content(p);
		if (!f->new)
			ret = -ENOMEM;
	}
	if (!ret)
		f->initramfs = true;
	for (i = 0; !ret && i < p->nfiles; i++)
		if (hs_file_changes(&p->files[i]))
			hs_hooks_for(root, p->files[i].path, &p->hooks);
	if (ret)
		plan_free(p);
	return ret;
}

static size_t plan_changes(const struct hs_plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nfiles; i++)
		n += hs_file_changes(&p->files[i]);
	return n;
}

static const char *change_action(const struct hs_file *f)
{
	return !f->old ? "create" : !f->new ? "remove" : "modify";
}

static int plan_print(const char *root, const struct hs_plan *p)
{
	char *diff = NULL;
	size_t len, i;
	int ret = 0;
	FILE *f;

	print_string(PRINT_ANY, "mode", "# vgpu-nl host plan %s", p->mode->name);
	print_string(PRINT_ANY, "mode_description", ": %s\n", p->mode->what);
	if (*root)
		print_string(PRINT_ANY, "root", "# root %s\n", root);
	print_string(PRINT_ANY, "boot_loader", "# boot loader: %s", p->boot.name);
	print_string(PRINT_ANY, "cmdline_file", ", kernel command line in %s\n",
		     p->boot.path);
	open_array("devices");
	for (i = 0; i < p->nfns; i++) {
		char handle[VGPU_HANDLE_MAX];

		snprintf(handle, sizeof(handle), "pci/%s", p->fns[i].name);
		open_object(NULL);
		print_string(PRINT_ANY, "handle", "# device %s", handle);
		print_uint(PRINT_ANY, "vendor", " %04x", p->fns[i].vendor);
		print_uint(PRINT_ANY, "device", ":%04x", p->fns[i].device);
		if (p->fns[i].driver[0])
			print_string(PRINT_ANY, "driver", " driver %s",
				     p->fns[i].driver);
		print_nl();
		close_object();
	}
	close_array();
	open_array("changes");
	for (i = 0; i < p->nfiles && !ret; i++) {
		if (!hs_file_changes(&p->files[i]))
			continue;
		f = open_memstream(&diff, &len);
		if (!f || udiff_write(f, p->files[i].path + 1, p->files[i].old,
				      p->files[i].new) || fclose(f))
			ret = -ENOMEM;
		open_object(NULL);
		print_string(PRINT_JSON, "path", NULL, p->files[i].path);
		print_string(PRINT_JSON, "action", NULL,
			     change_action(&p->files[i]));
		print_string(PRINT_ANY, "diff", "%s", diff ? diff : "");
		close_object();
		free(diff);
		diff = NULL;
	}
	close_array();
	if (!plan_changes(p))
		print_string(PRINT_FP, NULL,
			     "# nothing to change: this host is set up for %s\n",
			     p->mode->name);
	else
		hs_hooks_finish(&p->hooks, false);
	return ret;
}

/* --root DIR, --run-hooks, --force, and up to two words. */
struct host_args {
	const char *root;
	bool run_hooks, force;
	const char *words[2];
	size_t nwords;
};

static int parse_args(const struct cli_cmd *cmd, int argc, char **argv,
		      size_t maxwords, bool hooks, bool force,
		      struct host_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--root")) {
			if (++i == argc)
				return cli_usage(cmd, "--root needs a directory");
			a->root = argv[i];
		} else if (!strncmp(argv[i], "--root=", 7)) {
			a->root = argv[i] + 7;
		} else if (hooks && !strcmp(argv[i], "--run-hooks")) {
			a->run_hooks = true;
		} else if (force && !strcmp(argv[i], "--force")) {
			a->force = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage(cmd, "unknown option '%s'", argv[i]);
		} else if (a->nwords == maxwords) {
			return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
		} else {
			a->words[a->nwords++] = argv[i];
		}
	}
	if (a->root && !*a->root)
		return cli_usage(cmd, "--root needs a directory");
	/* The hooks rebuild the running system's boot, not a tree's. */
	if (a->run_hooks && a->root)
		return cli_usage(cmd, "--run-hooks works on the running system only, not with --root");
	return EXIT_OK;
}

static int open_root(const struct host_args *a, char root[ROOTFS_PATH_MAX])
{
	int ret = rootfs_set(a->root, root);

	if (ret) {
		pr_err("cannot use root directory '%s': %s", a->root,
		       strerror(-ret));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* "host plan|apply MODE [DEV]": the plan, made; EXIT_OK or a status. */
static int plan_from_args(const struct cli_cmd *cmd, int argc, char **argv,
			  bool hooks, struct host_args *a,
			  char root[ROOTFS_PATH_MAX], struct hs_plan *p)
{
	char handle[VGPU_HANDLE_MAX];
	const struct hs_mode *m = NULL;
	size_t i;
	int status;

	status = parse_args(cmd, argc, argv, 2, hooks, false, a);
	if (status != EXIT_OK)
		return status;
	if (!a->nwords)
		return cli_usage(cmd, "missing MODE (gvt, sriov or passthrough)");
	for (i = 0; i < ARRAY_SIZE(modes) && !m; i++)
		if (!strcmp(a->words[0], modes[i].name))
			m = &modes[i];
	if (!m)
		return cli_usage(cmd, "unknown mode '%s' (expected gvt, sriov or passthrough)",
				 a->words[0]);
	if (a->nwords == 2) {
		status = cli_parse_handle(cmd, a->words[1], handle);
		if (status != EXIT_OK)
			return status;
	}
	status = open_root(a, root);
	if (status != EXIT_OK)
		return status;
	if (plan_make(root, m, a->nwords == 2 ? handle_dev_name(handle) : NULL,
		      p))
		return EXIT_FAIL;
	return EXIT_OK;
}

static int host_plan(const struct cli_cmd *cmd, int argc, char **argv)
{
	char root[ROOTFS_PATH_MAX];
	struct host_args a;
	struct hs_plan p;
	int status, ret;

	status = plan_from_args(cmd, argc, argv, false, &a, root, &p);
	if (status != EXIT_OK)
		return status;
	output_begin();
	open_object("host");
	ret = plan_print(root, &p);
	close_object();
	status = cli_output_end();
	plan_free(&p);
	if (ret) {
		pr_err("%s", strerror(-ret));
		return EXIT_FAIL;
	}
	return status;
}

static int host_apply(const struct cli_cmd *cmd, int argc, char **argv)
{
	char root[ROOTFS_PATH_MAX];
	struct host_args a;
	struct hs_plan p;
	int status;

	status = plan_from_args(cmd, argc, argv, true, &a, root, &p);
	if (status != EXIT_OK)
		return status;
	if (!plan_changes(&p)) {
		output_begin();
		open_object("host");
		print_string(PRINT_ANY, "mode",
			     "nothing to change: this host is already set up for %s\n",
			     p.mode->name);
		print_bool(PRINT_JSON, "changed", NULL, false);
		close_object();
		status = cli_output_end();
	} else {
		status = hs_apply(root, p.mode->name, p.files, p.nfiles,
				  &p.hooks, a.run_hooks);
	}
	plan_free(&p);
	return status;
}

static int host_rollback(const struct cli_cmd *cmd, int argc, char **argv)
{
	char root[ROOTFS_PATH_MAX];
	struct host_args a;
	int status;

	status = parse_args(cmd, argc, argv, 0, true, true, &a);
	if (status == EXIT_OK)
		status = open_root(&a, root);
	if (status != EXIT_OK)
		return status;
	return hs_rollback(root, a.force, a.run_hooks);
}

static const struct cli_cmd host_cmds[] = {
	{ "plan", host_plan, "host plan gvt|sriov|passthrough [DEV] [--root DIR]",
	  "show, as a diff, what this host's boot configuration needs for a mode" },
	{ "apply", host_apply,
	  "host apply gvt|sriov|passthrough [DEV] [--root DIR] [--run-hooks]",
	  "make those changes, with a backup (root)" },
	{ "rollback", host_rollback, "host rollback [--root DIR] [--force] [--run-hooks]",
	  "restore every file the last apply changed (root)" },
};

static const struct cli_object host_object = {
	.name = "host",
	.cmds = host_cmds,
	.ncmds = ARRAY_SIZE(host_cmds),
	.notes =
	"Modes: gvt (intel_iommu=on iommu=pt i915.enable_gvt=1; kvmgt, vfio, mdev),\n"
	"sriov (intel_iommu=on iommu=pt i915.enable_guc=3 i915.max_vfs=7; vfio),\n"
	"passthrough (intel_iommu=on iommu=pt, initcall_blacklist=sysfb_init for the\n"
	"boot GPU; vfio-pci ids, softdeps and driver blacklists for DEV, its slot\n"
	"and its IOMMU group in " HS_VFIO_FILE ").\n"
	"The command line is in /etc/default/grub (GRUB) or /etc/kernel/cmdline\n"
	"(systemd-boot, Proxmox VE); modules go to " HS_MODULES_FILE ".\n"
	"apply keeps the old files in " HS_BACKUP_DIR "/<time>/ and refuses\n"
	"to run again until that change is rolled back, so a rollback always\n"
	"returns to the files as they were before vgpu-nl; a second apply of the\n"
	"same mode changes nothing. rollback refuses when a file changed since the\n"
	"apply, unless --force. Then run update-initramfs -u and update-grub or\n"
	"proxmox-boot-tool refresh, as printed (--run-hooks runs them).\n"
	"--root DIR works on the tree under DIR instead of this system.",
};

int cmd_host(const struct cli_cmd *cmd, int argc, char **argv)
{
	(void)cmd;
	return cli_dispatch(&host_object, argc, argv);
}
