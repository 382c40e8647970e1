// SPDX-License-Identifier: GPL-2.0
/*
 * doctor.c - "vgpu-nl doctor [DEV] [--root DIR]": a host self-check that
 * prints every finding with its evidence and the fix
 *
 * The checks live in iommu.c, gpu.c, hostwide.c and dkms.c; this file
 * parses the command line, runs them in order and prints the findings
 * through the one output path.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "doctor/doctor.h"
#include "kernel/handle.h"
#include "output/output.h"

static const char *const status_names[] = {
	[DOCTOR_OK]	= "ok",
	[DOCTOR_WARN]	= "warn",
	[DOCTOR_FAIL]	= "fail",
};

static const struct cli_cmd doctor_cmd = {
	"doctor", NULL, "doctor [DEV] [--root DIR]",
	"Checks what GPU sharing needs on this host and prints one finding per\n"
	"line: status (ok, warn, fail), check, subject, evidence, and the fix.\n"
	"Exit status 1 if any check fails, 0 otherwise.\n"
	"\n"
	"Checks: iommu (Intel VT-d dmarN, AMD-Vi ivhdN), interrupt-remapping,\n"
	"cmdline (host: intel_iommu=on on Intel, no amd_iommu=off on AMD,\n"
	"iommu=pt); per GPU (every display-class PCI function and every device\n"
	"vgpu_nl manages, or only DEV): gpu (generation and mode from the PCI id:\n"
	"GVT-g Broadwell..Comet Lake, SR-IOV Tiger Lake and later), driver,\n"
	"cmdline (i915.enable_gvt=1, or i915.enable_guc=3 i915.max_vfs=N),\n"
	"sriov, mdev (why there are no VFs or mdev types), passthrough (a PF on\n"
	"vfio-pci with VFs), iommu-group (every device sharing the GPU's group\n"
	"and what to do about it), vf-iommu-groups; module (vgpu_nl,\n"
	"kvmgt, mdev, vfio, vfio_iommu_type1, vfio_pci: loaded, and at boot);\n"
	"dkms (vgpu-nl and i915-sriov-dkms for every installed kernel);\n"
	"secure-boot, mok (the DKMS key /var/lib/dkms/mok.pub enrolled).\n"
	"\n"
	"Subjects: \"host\", a device handle, a module or package name, or\n"
	"PACKAGE/KERNEL for dkms.\n"
	"\n"
	"--root DIR reads DIR/sys, DIR/proc, DIR/boot, DIR/etc, DIR/lib/modules,\n"
	"DIR/usr/src and DIR/var/lib/dkms instead of the host's (a copy, or a\n"
	"test tree). Only files are read: vgpu_nl need not be loaded.\n"
	"\n"
	"-j prints {\"findings\": [{\"check\", \"status\", \"subject\", \"evidence\",\n"
	"\"fix\"}, ...], \"summary\": {\"ok\", \"warn\", \"fail\"}}; \"fix\" is left\n"
	"out when there is nothing to do.",
};

struct doctor_args {
	const char *root;
	const char *dev;
	char handle[VGPU_HANDLE_MAX];
};

/* CLI_GO_ON, or the exit status (help, usage error). */
static int parse_args(int argc, char **argv, struct doctor_args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "help"))
			return cli_help(&doctor_cmd);
		if (!strcmp(argv[i], "--root")) {
			if (i + 1 == argc)
				return cli_usage(&doctor_cmd, "--root needs a directory");
			a->root = argv[++i];
			continue;
		}
		if (argv[i][0] == '-')
			return cli_usage(&doctor_cmd, "unknown option '%s'", argv[i]);
		if (a->dev)
			return cli_usage(&doctor_cmd, "unexpected argument '%s'", argv[i]);
		if (cli_parse_handle(&doctor_cmd, argv[i], a->handle) != EXIT_OK)
			return EXIT_USAGE;
		a->dev = a->handle;
	}
	return CLI_GO_ON;
}

/*
 * --root DIR: the host layer reads DIR until rootfs_leave(@old). EXIT_OK,
 * or EXIT_FAIL after saying what is wrong with DIR.
 */
static int enter_root(const char *root, struct rootfs_saved *old)
{
	if (!root)
		root = "/";
	if (rootfs_enter(root, old)) {
		pr_err("--root %s: no such directory", root);
		return EXIT_FAIL;
	}
	if (!rootfs_is_dir("/sys") || !rootfs_is_dir("/proc")) {
		pr_err("--root %s: no sys/ or proc/ in it (a root needs both)",
		       root);
		rootfs_leave(old);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static void read_host(struct doctor *d)
{
	char *s;

	d->cmdline = rootfs_text("/proc/cmdline");
	if (!d->cmdline)
		d->cmdline = strdup("");
	s = rootfs_text("/proc/sys/kernel/osrelease");
	snprintf(d->kver, sizeof(d->kver), "%s", s ? s : "");
	free(s);
	d->intel_cpu = cpu_vendor() == CPU_INTEL;
	d->amd_cpu = cpu_vendor() == CPU_AMD;
}

static void print_findings(const struct doctor *d)
{
	unsigned int count[3] = { 0 };
	size_t i;

	open_array("findings");
	for (i = 0; i < d->n; i++) {
		const struct doctor_finding *f = &d->f[i];

		count[f->status]++;
		open_object(NULL);
		print_string(PRINT_ANY, "status", "%-4s ", status_names[f->status]);
		print_string(PRINT_ANY, "check", "%-19s ", f->check);
		print_string(PRINT_ANY, "subject", "%s: ", f->subject);
		print_string(PRINT_ANY, "evidence", "%s\n", f->evidence);
		if (f->fix)
			print_string(PRINT_ANY, "fix", "     fix: %s\n", f->fix);
		close_object();
	}
	close_array();
	open_object("summary");
	print_uint(PRINT_ANY, "ok", "%u ok, ", count[DOCTOR_OK]);
	print_uint(PRINT_ANY, "warn", "%u warn, ", count[DOCTOR_WARN]);
	print_uint(PRINT_ANY, "fail", "%u fail\n", count[DOCTOR_FAIL]);
	close_object();
}

static void doctor_free(struct doctor *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->f[i].subject);
		free(d->f[i].evidence);
		free(d->f[i].fix);
	}
	free(d->f);
	free(d->gpus);
	free(d->cmdline);
}

static int run(struct doctor *d, const char *dev)
{
	size_t i, fails = 0;
	int ret;

	read_host(d);
	if (dev && !pci_fn_exists(handle_dev_name(dev))) {
		pr_err("%s: no such PCI device", dev);
		return EXIT_FAIL;
	}
	doctor_check_iommu(d);
	doctor_check_host_cmdline(d);
	if (doctor_find_gpus(d, dev ? handle_dev_name(dev) : NULL) < 0)
		d->nomem = true;
	if (!d->ngpus)
		dr_add(d, "gpu", DOCTOR_WARN, "host",
		       dr_fmt("no display-class PCI function, and no device managed by vgpu_nl"),
		       dr_fmt("nothing to share: check lspci -nn for the GPU"));
	for (i = 0; i < d->ngpus; i++)
		doctor_check_gpu(d, &d->gpus[i]);
	doctor_check_modules(d);
	doctor_check_dkms(d);
	doctor_check_secure_boot(d);
	if (d->nomem) {
		pr_err("out of memory");
		return EXIT_FAIL;
	}

	output_begin();
	print_findings(d);
	ret = cli_output_end();
	for (i = 0; i < d->n; i++)
		fails += d->f[i].status == DOCTOR_FAIL;
	if (ret == EXIT_OK && fails) {
		pr_err("%zu check%s failed", fails, fails == 1 ? "" : "s");
		ret = EXIT_FAIL;
	}
	return ret;
}

int cmd_doctor(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct doctor_args a = { 0 };
	struct doctor d = { 0 };
	struct rootfs_saved old;
	int ret;

	(void)cmd;
	ret = parse_args(argc, argv, &a);
	if (ret != CLI_GO_ON)
		return ret;
	ret = enter_root(a.root, &old);
	if (ret != EXIT_OK)
		return ret;
	ret = run(&d, a.dev);
	doctor_free(&d);
	rootfs_leave(&old);
	return ret;
}
