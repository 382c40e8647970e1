// SPDX-License-Identifier: GPL-2.0
/*
 * host.c - "vgpu-nl host": plan, apply and roll back the boot-time
 * settings a mode (GVT-g, SR-IOV, whole-GPU passthrough) needs
 *
 * The host layer does the work (host/plan.c, host/backup.c); this file
 * reads the command line, moves the root for --root and prints what was
 * planned or done through the one output path.
 */
#define _GNU_SOURCE	/* open_memstream() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "host/backup.h"
#include "host/cpu.h"
#include "host/plan.h"
#include "host/rootfs.h"
#include "kernel/handle.h"
#include "output/output.h"
#include "output/udiff.h"

static const char *change_action(const struct hs_file *f)
{
	return !f->old ? "create" : !f->new ? "remove" : "modify";
}

static int plan_print(const struct hs_plan *p)
{
	char *diff = NULL;
	size_t len, i, j;
	int ret = 0;
	FILE *f;

	print_string(PRINT_ANY, "mode", "# vgpu-nl host plan %s", p->mode->name);
	print_string(PRINT_ANY, "mode_description", ": %s\n", p->mode->what);
	if (*rootfs_root())
		print_string(PRINT_ANY, "root", "# root %s\n", rootfs_root());
	print_string(PRINT_ANY, "boot_loader", "# boot loader: %s", p->boot.name);
	print_string(PRINT_ANY, "cmdline_file", ", kernel command line in %s\n",
		     p->boot.path);
	print_string(PRINT_ANY, "cpu", "# CPU: %s\n", cpu_vendor_name(p->cpu));
	open_array("params");
	for (i = 0; i < p->nparams; i++) {
		char param[128];

		snprintf(param, sizeof(param), "%s%s%s", p->params[i].key,
			 p->params[i].value ? "=" : "",
			 p->params[i].value ? p->params[i].value : "");
		open_object(NULL);
		print_string(PRINT_ANY, "param", "# cmdline %s: ", param);
		print_string(PRINT_ANY, "why", "%s\n", p->why[i]);
		close_object();
	}
	close_array();
	open_array("notes");
	for (i = 0; i < p->nnotes; i++)
		print_string(PRINT_ANY, NULL, "# %s\n", p->notes[i]);
	close_array();
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
		for (j = 0; j < p->nxe; j++)
			if (!strcmp(p->xe[j].name, p->fns[i].name))
				print_string(PRINT_ANY, "sriov_driver",
					     ", VFs through %s", "xe");
		print_nl();
		close_object();
	}
	close_array();
	if (p->nxe) {
		char kver[64];

		hs_xe_has_configfs(kver, sizeof(kver));
		open_object("xe");
		print_string(PRINT_ANY, "max_vfs", "# xe: max_vfs %s", p->xe_max_vfs);
		print_bool(PRINT_JSON, "configfs", NULL, p->xe_configfs);
		if (p->xe_configfs)
			print_string(PRINT_FP, NULL,
				     " per device in xe's configfs (kernel %s), set each time xe loads by " HS_XE_FILE "\n",
				     kver);
		else
			print_string(PRINT_FP, NULL,
				     " on the kernel command line (xe.max_vfs): kernel %s has no per-device configfs for it (6.19 and later have)\n",
				     kver[0] ? kver : "(unknown)");
		close_object();
	}
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
	if (!hs_plan_changes(p))
		print_string(PRINT_FP, NULL,
			     "# nothing to change: this host is set up for %s\n",
			     p->mode->name);
	else
		hs_hooks_finish(&p->hooks, false);
	return ret;
}

/*
 * --root DIR, --run-hooks, --force, --windows-guest, --acs-override,
 * --driver, --max-vfs, and up to two words.
 */
struct host_args {
	const char *root;
	bool run_hooks, force;
	struct hs_opts opts;
	const char *words[2];
	size_t nwords;
};

/* --driver i915|xe, --max-vfs N: what an SR-IOV plan may be told. */
static int parse_opt(const struct cli_cmd *cmd, int argc, char **argv,
		     int *i, struct host_args *a)
{
	const char *v;
	char *end;
	unsigned long n;

	if (*i + 1 == argc)
		return cli_usage(cmd, "%s needs a value", argv[*i]);
	v = argv[++*i];
	if (!strcmp(argv[*i - 1], "--driver")) {
		if (strcmp(v, "i915") && strcmp(v, "xe"))
			return cli_usage(cmd, "invalid driver '%s' (expected i915 or xe)", v);
		a->opts.driver = v;
		return EXIT_OK;
	}
	n = strtoul(v, &end, 10);
	if (!*v || *end || n < 1 || n > 65535)
		return cli_usage(cmd, "invalid --max-vfs '%s' (expected 1 to 65535)", v);
	a->opts.max_vfs = n;
	return EXIT_OK;
}

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
		} else if (maxwords && !strcmp(argv[i], "--windows-guest")) {
			a->opts.windows_guest = true;
		} else if (maxwords && !strcmp(argv[i], "--acs-override")) {
			a->opts.acs_override = true;
		} else if (maxwords && (!strcmp(argv[i], "--driver") ||
					!strcmp(argv[i], "--max-vfs"))) {
			int status = parse_opt(cmd, argc, argv, &i, a);

			if (status != EXIT_OK)
				return status;
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

/* --root DIR: the host layer reads DIR until rootfs_leave(@old). */
static int open_root(const struct host_args *a, struct rootfs_saved *old)
{
	int ret = rootfs_enter(a->root, old);

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
			  struct rootfs_saved *old, struct hs_plan *p)
{
	char handle[VGPU_HANDLE_MAX];
	const struct hs_mode *m;
	int status;

	status = parse_args(cmd, argc, argv, 2, hooks, false, a);
	if (status != EXIT_OK)
		return status;
	if (!a->nwords)
		return cli_usage(cmd, "missing MODE (gvt, sriov or passthrough)");
	m = hs_mode_find(a->words[0]);
	if (!m)
		return cli_usage(cmd, "unknown mode '%s' (expected gvt, sriov or passthrough)",
				 a->words[0]);
	if ((a->opts.windows_guest || a->opts.acs_override) && !m->passthrough)
		return cli_usage(cmd, "%s is for mode passthrough",
				 a->opts.windows_guest ? "--windows-guest" : "--acs-override");
	if ((a->opts.driver || a->opts.max_vfs) && strcmp(m->name, "sriov"))
		return cli_usage(cmd, "--driver and --max-vfs are for mode sriov");
	if (a->nwords == 2) {
		status = cli_parse_handle(cmd, a->words[1], handle);
		if (status != EXIT_OK)
			return status;
	}
	status = open_root(a, old);
	if (status != EXIT_OK)
		return status;
	if (hs_plan_make(m, a->nwords == 2 ? handle_dev_name(handle) : NULL,
			 &a->opts, p)) {
		rootfs_leave(old);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int host_plan(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct rootfs_saved old;
	struct host_args a;
	struct hs_plan p;
	int status, ret;

	status = plan_from_args(cmd, argc, argv, false, &a, &old, &p);
	if (status != EXIT_OK)
		return status;
	output_begin();
	open_object("host");
	ret = plan_print(&p);
	close_object();
	status = cli_output_end();
	hs_plan_free(&p);
	rootfs_leave(&old);
	if (ret) {
		pr_err("%s", strerror(-ret));
		return EXIT_FAIL;
	}
	return status;
}

/* What apply or rollback did, and the commands still to run. */
static int print_done(const char *verb, const struct hs_done *done,
		      const struct hs_hooks *hooks, bool run_hooks)
{
	size_t i;
	int ret;

	output_begin();
	open_object("host");
	if (!strcmp(verb, "applied")) {
		print_string(PRINT_ANY, "mode", "applied %s", done->mode);
		print_string(PRINT_ANY, "backup", ", backup in " HS_BACKUP_DIR "/%s\n",
			     done->backup);
	} else {
		print_string(PRINT_ANY, "backup", "rolled back " HS_BACKUP_DIR "/%s",
			     done->backup);
		print_string(PRINT_ANY, "mode", " (%s)\n", done->mode);
	}
	open_array("changes");
	for (i = 0; i < done->n; i++) {
		open_object(NULL);
		print_string(PRINT_ANY, "action", "%s ", done->files[i].action);
		print_string(PRINT_ANY, "path", "%s\n", done->files[i].path);
		close_object();
	}
	close_array();
	ret = hs_hooks_finish(hooks, run_hooks);
	close_object();
	return cli_output_end() == EXIT_OK && !ret ? EXIT_OK : EXIT_FAIL;
}

/*
 * Applies plan @p or, without one, rolls back (with --force if @force),
 * and prints what was done with the hooks the plan or the restored files
 * need. The stop signals (^C, SIGTERM, the hangup of a dropped ssh
 * session) are held back while the files change: a signal never leaves
 * some files of a mode changed and others not, nor staged copies beside
 * them. The change is quick and all or nothing, so it is finished; the
 * report follows, the commands still to run are listed rather than run,
 * and the signal then takes its course. A signal during the hooks ends
 * them as usual: they are safe to run again.
 */
static int host_change(struct hs_done *done, bool run_hooks,
		       const struct hs_plan *p, bool force)
{
	struct cli_wait cw;
	int ret, sig, status;

	cli_wait_begin(&cw);
	ret = p ? hs_apply(p->mode->name, p->files, p->nfiles, done) :
		  hs_rollback(force, done);
	sig = cli_wait_held(&cw);
	if (!sig)
		cli_wait_end(&cw);
	if (ret)
		status = EXIT_FAIL;
	else if (!p && !done->backup[0])
		status = EXIT_OK;	/* nothing to roll back: the caller says so */
	else
		status = print_done(p ? "applied" : "rolled back", done,
				    p ? &p->hooks : &done->hooks, run_hooks && !sig);
	if (sig) {
		if (!ret && done->backup[0])
			pr_err("interrupted (%s) once the files had changed%s",
			       cli_signal_name(sig), run_hooks ?
			       ": the commands above were not run" : "");
		cli_wait_end(&cw);
	}
	return status;
}

static int host_apply(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct rootfs_saved old;
	struct hs_done done;
	struct host_args a;
	struct hs_plan p;
	int status;

	status = plan_from_args(cmd, argc, argv, true, &a, &old, &p);
	if (status != EXIT_OK)
		return status;
	if (a.opts.acs_override)
		pr_warn("pcie_acs_override GIVES UP ISOLATION between devices: devices the kernel then puts in separate IOMMU groups can still reach each other by peer-to-peer DMA, so a VM can read and write the memory of devices the host kept");
	if (!hs_plan_changes(&p)) {
		output_begin();
		open_object("host");
		print_string(PRINT_ANY, "mode",
			     "nothing to change: this host is already set up for %s\n",
			     p.mode->name);
		print_bool(PRINT_JSON, "changed", NULL, false);
		close_object();
		status = cli_output_end();
	} else {
		status = host_change(&done, a.run_hooks, &p, false);
	}
	hs_plan_free(&p);
	rootfs_leave(&old);
	return status;
}

static int host_rollback(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct rootfs_saved old;
	struct hs_done done;
	struct host_args a;
	int status;

	status = parse_args(cmd, argc, argv, 0, true, true, &a);
	if (status == EXIT_OK)
		status = open_root(&a, &old);
	if (status != EXIT_OK)
		return status;
	status = host_change(&done, a.run_hooks, NULL, a.force);
	if (status == EXIT_OK && !done.backup[0]) {
		output_begin();
		open_object("host");
		print_bool(PRINT_JSON, "changed", NULL, false);
		print_string(PRINT_FP, NULL, "nothing to roll back: no pending backup in %s\n",
			     HS_BACKUP_DIR);
		close_object();
		status = cli_output_end();
	}
	rootfs_leave(&old);
	return status;
}

static const struct cli_cmd host_cmds[] = {
	{ "plan", host_plan,
	  "host plan gvt|sriov|passthrough [DEV] [--windows-guest] [--acs-override] [--driver i915|xe] [--max-vfs N] [--root DIR]",
	  "show, as a diff, what this host's boot configuration needs for a mode" },
	{ "apply", host_apply,
	  "host apply gvt|sriov|passthrough [DEV] [--windows-guest] [--acs-override] [--driver i915|xe] [--max-vfs N] [--root DIR] [--run-hooks]",
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
	"sriov (intel_iommu=on iommu=pt; vfio; i915.enable_guc=3 i915.max_vfs=7 for a GPU\n"
	"on i915-sriov-dkms; for a GPU on xe: its VF limit (--max-vfs N, default all\n"
	"it has) per device in xe's configfs, set at every boot by\n"
	HS_XE_FILE " (Linux 6.19 and later), else\n"
	"xe.max_vfs=N, and xe.force_probe=ID i915.force_probe=!ID where xe takes the\n"
	"GPU only when forced; --driver i915|xe overrides the bound driver),\n"
	"passthrough (iommu=pt, initcall_blacklist=sysfb_init for the boot display;\n"
	"in " HS_VFIO_FILE " how vfio-pci takes DEV and the functions of\n"
	"its slot in its IOMMU group: by id (vfio-pci ids=, softdeps, the GPU\n"
	"vendor's driver blacklists) or, when the host keeps a function with the\n"
	"same id or a GPU of the same vendor, by address (driver_override);\n"
	"disable_vga=1 for a VGA GPU that is not the boot display).\n"
	"intel_iommu=on only on Intel CPUs: AMD-Vi is on by default.\n"
	"--windows-guest: kvm ignore_msrs=1 report_ignored_msrs=0 (Windows reads\n"
	"MSRs KVM does not emulate). --acs-override: pcie_acs_override=\n"
	"downstream,multifunction, which gives up isolation between devices (a VM\n"
	"can reach devices the host kept); only patched kernels (Proxmox VE) know it.\n"
	"The command line is in /etc/default/grub (GRUB) or /etc/kernel/cmdline\n"
	"(systemd-boot, Proxmox VE); modules go to " HS_MODULES_FILE ".\n"
	"apply keeps the old files in " HS_BACKUP_DIR "/<time>/ and refuses\n"
	"to run again until that change is rolled back, so a rollback always\n"
	"returns to the files as they were before vgpu-nl; a second apply of the\n"
	"same mode changes nothing. rollback refuses when a file changed since the\n"
	"apply, unless --force. Then run update-initramfs -u and update-grub or\n"
	"proxmox-boot-tool refresh, as printed (--run-hooks runs them).\n"
	"A ^C (or SIGTERM, SIGHUP) while the files change waits until they all\n"
	"have: the report follows, the commands are listed, not run.\n"
	"--root DIR works on the tree under DIR instead of this system.",
};

int cmd_host(const struct cli_cmd *cmd, int argc, char **argv)
{
	(void)cmd;
	return cli_dispatch(&host_object, argc, argv);
}
