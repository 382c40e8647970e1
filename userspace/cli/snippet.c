// SPDX-License-Identifier: GPL-2.0
/*
 * snippet.c - "vgpu-nl snippet": the VM configuration that hands a VF or
 * an mdev to a VM, for libvirt, Proxmox VE or plain QEMU
 *
 * Read from sysfs, not from the kernel module: a snippet is wanted on
 * hosts where vgpu_nl is not loaded too, and --root points it at a copy.
 *
 * Proxmox VE is the odd one: its hostpci line names the parent and the
 * mdev type, and Proxmox creates (and removes) the mdev itself when the
 * VM starts (qm.conf(5): hostpci[n] mdev=), so an existing mdev's UUID
 * cannot be given to it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "host/pci.h"
#include "host/rootfs.h"
#include "host/vfio.h"
#include "kernel/handle.h"
#include "output/output.h"

/* qm.conf(5): hostpci0 .. hostpci15. */
#define PVE_HOSTPCI_MAX	15

enum snip_format { FMT_LIBVIRT, FMT_PVE, FMT_QEMU };

struct snip {
	bool mdev;
	char name[VGPU_HANDLE_MAX];	/* "0000:01:00.1", or the UUID */
	char parent[256];		/* an mdev's parent device */
	char type[256];			/* an mdev's type */
	struct pci_addr addr;		/* of the VF, or of the mdev's parent */
	bool parent_pci;
	char variant[64];		/* its VFIO variant driver, "" if none */
};

static int snip_pci(struct snip *s)
{
	char drv[64];
	unsigned int numvfs;

	if (!pci_fn_exists(s->name)) {
		pr_err("no PCI device %s on this host", s->name);
		return EXIT_FAIL;
	}
	/* A PF with VFs stays with the host: its driver runs the VFs. */
	if (pci_fn_uint(s->name, "sriov_numvfs", &numvfs) && numvfs) {
		pr_err("pci/%s is an SR-IOV PF with %u VFs enabled: pass a VF to the VM, never the PF (vgpu-nl vf show pci/%s lists them)",
		       s->name, numvfs, s->name);
		return EXIT_FAIL;
	}
	/*
	 * Bound to a VFIO variant driver (xe-vfio-pci, with live migration):
	 * the libvirt snippet pins it, since libvirt only picks a variant
	 * itself when its modules.alias match agrees.
	 */
	if (!rootfs_link_name(drv, sizeof(drv), PCI_DEVICES "/%s/driver",
			      s->name) &&
	    strcmp(drv, VFIO_DRIVER) && vfio_driver_is_vfio(drv))
		snprintf(s->variant, sizeof(s->variant), "%s", drv);
	return EXIT_OK;
}

static int snip_mdev(struct snip *s)
{
	char path[ROOTFS_PATH_MAX], *real, *slash;
	int ret;

	if (rootfs_path(path, "/sys/bus/mdev/devices/%s", s->name) ||
	    !rootfs_exists("/sys/bus/mdev/devices/%s", s->name)) {
		pr_err("no mdev %s on this host (vgpu-nl mdev show lists them)",
		       s->name);
		return EXIT_FAIL;
	}
	/* The mdev's directory sits in its parent's: .../0000:00:02.0/UUID */
	real = realpath(path, NULL);
	slash = real ? strrchr(real, '/') : NULL;
	if (slash) {
		*slash = '\0';
		slash = strrchr(real, '/');
	}
	if (!slash || strlen(slash + 1) >= sizeof(s->parent)) {
		pr_err("cannot find the parent of mdev %s: %s", s->name,
		       real ? "unexpected sysfs layout" : strerror(errno));
		free(real);
		return EXIT_FAIL;
	}
	strcpy(s->parent, slash + 1);
	free(real);
	ret = rootfs_link_name(s->type, sizeof(s->type),
			       "/sys/bus/mdev/devices/%s/mdev_type", s->name);
	if (ret) {
		pr_err("cannot read the type of mdev %s: %s", s->name,
		       strerror(-ret));
		return EXIT_FAIL;
	}
	s->parent_pci = !handle_parse_pci(s->parent, &s->addr);
	return EXIT_OK;
}

/*
 * libvirt's major version from dpkg's status (libvirt0), 0 if not known:
 * <driver model=> in a PCI <hostdev> is libvirt 10.0's.
 */
static unsigned int libvirt_major(void)
{
	char *status = rootfs_text("/var/lib/dpkg/status"), *p, *end;
	unsigned int major = 0;

	for (p = status; p && (p = strstr(p, "Package: libvirt0\n")); p++) {
		end = strstr(p, "\n\n");
		p = strstr(p, "\nVersion: ");
		if (p && (!end || p < end))
			sscanf(p, "\nVersion: %u", &major);
		break;
	}
	free(status);
	return major;
}

static void print_libvirt(const struct snip *s, FILE *f)
{
	bool model = s->variant[0] && libvirt_major() >= 10;

	if (s->mdev) {
		fprintf(f, "<hostdev mode='subsystem' type='mdev' model='vfio-pci' managed='no'>\n"
			"  <source>\n"
			"    <address uuid='%s'/>\n"
			"  </source>\n"
			"</hostdev>\n", s->name);
		return;
	}
	/*
	 * managed: libvirt binds it to its VFIO driver and back around the
	 * VM; <driver model=> (libvirt 10.0 and later) names a variant.
	 */
	if (s->variant[0] && !model) {
		fprintf(f, "<hostdev mode='subsystem' type='pci' managed='no'>\n"
			"  <!-- %s is a VFIO variant driver: managed='no' keeps the VF on it;\n"
			"       libvirt before 10.0 has no <driver model=> and would move it to vfio-pci -->\n",
			s->variant);
	} else {
		fprintf(f, "<hostdev mode='subsystem' type='pci' managed='yes'>\n");
	}
	if (model)
		fprintf(f, "  <driver model='%s'/>\n", s->variant);
	fprintf(f, "  <source>\n"
		"    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>\n"
		"  </source>\n"
		"</hostdev>\n", s->addr.domain, s->addr.bus, s->addr.dev,
		s->addr.fn);
}

static void print_pve(const struct snip *s, unsigned int index, FILE *f)
{
	if (s->mdev) {
		fprintf(f, "hostpci%u: %s,mdev=%s\n", index, s->parent, s->type);
		return;
	}
	fprintf(f, "hostpci%u: %s,pcie=1\n", index, s->name);
}

static void print_qemu(const struct snip *s, FILE *f)
{
	if (s->mdev)
		fprintf(f, "-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/%s\n",
			s->name);
	else
		fprintf(f, "-device vfio-pci,host=%s\n", s->name);
}

struct snip_args {
	const char *what, *root;
	int format;		/* -1 until given */
	int index;		/* -1 until given */
};

static int parse_index(const struct cli_cmd *cmd, const char *arg, int *index)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end || errno ||
	    v > PVE_HOSTPCI_MAX)
		return cli_usage(cmd, "invalid --index value '%s' (expected 0..%d)",
				 arg, PVE_HOSTPCI_MAX);
	*index = v;
	return EXIT_OK;
}

static int parse_format(const struct cli_cmd *cmd, const char *arg, int *fmt)
{
	static const char *const names[] = { "libvirt", "pve", "qemu" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(arg, names[i])) {
			*fmt = i;
			return EXIT_OK;
		}
	return cli_usage(cmd, "unknown format '%s' (expected libvirt, pve or qemu)",
			 arg);
}

static int parse_args(const struct cli_cmd *cmd, int argc, char **argv,
		      struct snip_args *a)
{
	const char *opt, *val;
	int i, status = EXIT_OK;

	a->what = a->root = NULL;
	a->format = a->index = -1;
	for (i = 1; i < argc && status == EXIT_OK; i++) {
		opt = argv[i];
		if (opt[0] != '-' || !opt[1]) {
			if (a->what)
				return cli_usage(cmd, "unexpected argument '%s'", opt);
			a->what = opt;
			continue;
		}
		if (strcmp(opt, "--format") && strcmp(opt, "--index") &&
		    strcmp(opt, "--root"))
			return cli_usage(cmd, "unknown option '%s'", opt);
		if (++i == argc)
			return cli_usage(cmd, "%s needs a value", opt);
		val = argv[i];
		if (!strcmp(opt, "--format"))
			status = parse_format(cmd, val, &a->format);
		else if (!strcmp(opt, "--index"))
			status = parse_index(cmd, val, &a->index);
		else if (!*val)
			return cli_usage(cmd, "--root needs a directory");
		else
			a->root = val;
	}
	if (status != EXIT_OK)
		return status;
	if (!a->what)
		return cli_usage(cmd, "missing VF or UUID");
	if (a->format < 0)
		return cli_usage(cmd, "missing --format libvirt|pve|qemu");
	if (a->index >= 0 && a->format != FMT_PVE)
		return cli_usage(cmd, "--index is for --format pve (the hostpciN number)");
	return EXIT_OK;
}

/* The snippet of @s for @a, read from the host under the root. */
static int snippet(const struct snip_args *a, struct snip *s,
		   const char *handle)
{
	static const char *const fmt_names[] = { "libvirt", "pve", "qemu" };
	char *text = NULL;
	size_t len;
	int status;
	FILE *f;

	status = s->mdev ? snip_mdev(s) : snip_pci(s);
	if (status != EXIT_OK)
		return status;
	if (s->mdev && a->format == FMT_PVE && !s->parent_pci) {
		pr_err("the parent of mdev %s, %s, is not a PCI device: Proxmox VE cannot create mdevs on it",
		       s->name, s->parent);
		return EXIT_FAIL;
	}

	f = open_memstream(&text, &len);
	if (!f) {
		pr_err("%s", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	if (a->format == FMT_LIBVIRT)
		print_libvirt(s, f);
	else if (a->format == FMT_PVE)
		print_pve(s, a->index < 0 ? 0 : a->index, f);
	else
		print_qemu(s, f);
	if (fclose(f) || !text) {
		free(text);
		pr_err("%s", strerror(ENOMEM));
		return EXIT_FAIL;
	}

	output_begin();
	open_object("snippet");
	print_string(PRINT_JSON, "format", NULL, fmt_names[a->format]);
	print_string(PRINT_JSON, s->mdev ? "uuid" : "handle", NULL,
		     s->mdev ? s->name : handle);
	if (s->mdev) {
		print_string(PRINT_JSON, "parent", NULL, s->parent);
		print_string(PRINT_JSON, "type", NULL, s->type);
	}
	print_string(PRINT_ANY, "text", "%s", text);
	close_object();
	status = cli_output_end();
	/* Advice on stderr, so that stdout can be pasted as it is. */
	if (status == EXIT_OK && a->format == FMT_PVE && s->mdev)
		pr_info("Note: Proxmox VE creates an mdev of type %s on %s when the VM starts and removes it when the VM stops; mdev %s itself is not used (remove it if the parent has no instance to spare)",
			s->type, s->parent, s->name);
	else if (status == EXIT_OK && a->format == FMT_PVE)
		pr_info("Note: pcie=1 needs the q35 machine type; drop it for i440fx");
	free(text);
	return status;
}

int cmd_snippet(const struct cli_cmd *cmd, int argc, char **argv)
{
	char handle[VGPU_HANDLE_MAX] = "";
	struct rootfs_saved old;
	struct snip s = { 0 };
	struct snip_args a;
	int status, ret;

	if (argc == 2 && !strcmp(argv[1], "help"))
		return cli_help(cmd);
	status = parse_args(cmd, argc, argv, &a);
	if (status != EXIT_OK)
		return status;
	/* A UUID or a PCI address: their spellings cannot be mistaken. */
	if (!uuid_normalize(a.what, s.name)) {
		s.mdev = true;
	} else if (!handle_normalize(a.what, handle)) {
		strcpy(s.name, handle_dev_name(handle));
		handle_parse_pci(s.name, &s.addr);
	} else {
		return cli_usage(cmd, "'%s' is neither a VF (pci/DDDD:BB:DD.F) nor an mdev UUID",
				 a.what);
	}
	ret = rootfs_enter(a.root, &old);
	if (ret) {
		pr_err("cannot use root directory '%s': %s", a.root,
		       strerror(-ret));
		return EXIT_FAIL;
	}
	status = snippet(&a, &s, handle);
	rootfs_leave(&old);
	return status;
}
