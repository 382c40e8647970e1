// SPDX-License-Identifier: GPL-2.0
/*
 * snippet.c - "vgpu-nl snippet": the VM configuration that hands a VF, an
 * mdev or a whole device to a VM, for libvirt, Proxmox VE or plain QEMU,
 * and Proxmox VE's cluster mapping of it (snippet.h lists the parts)
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
#include "cli/snippet.h"
#include "host/pci.h"
#include "host/rootfs.h"
#include "host/vfio.h"
#include "kernel/handle.h"
#include "output/output.h"

/* qm.conf(5): hostpci0 .. hostpci15. */
#define PVE_HOSTPCI_MAX	15

/* A VF, or a whole device (snippet_dev.c checks that one). */
static int snip_pci(struct snip *s, const struct snip_args *a)
{
	char drv[64];

	if (!pci_fn_exists(s->name)) {
		pr_err("no PCI device %s on this host", s->name);
		return EXIT_FAIL;
	}
	/*
	 * A VF on a VFIO variant driver (xe-vfio-pci, with live migration):
	 * the libvirt snippet pins it, since libvirt only picks a variant
	 * itself when its modules.alias match agrees.
	 */
	if (pci_is_vf(s->name)) {
		if (!rootfs_link_name(drv, sizeof(drv), PCI_DEVICES "/%s/driver",
				      s->name) &&
		    strcmp(drv, VFIO_DRIVER) && vfio_driver_is_vfio(drv))
			snprintf(s->variant, sizeof(s->variant), "%s", drv);
		return EXIT_OK;
	}
	s->kind = SNIP_DEV;
	return snip_dev_check(s, a->format == FMT_PVE_MAPPING);
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

	if (s->kind == SNIP_MDEV) {
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
	if (s->kind == SNIP_MDEV) {
		fprintf(f, "hostpci%u: %s,mdev=%s\n", index, s->parent, s->type);
		return;
	}
	fprintf(f, "hostpci%u: %s,pcie=1\n", index, s->name);
}

static void print_qemu(const struct snip *s, FILE *f)
{
	if (s->kind == SNIP_MDEV)
		fprintf(f, "-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/%s\n",
			s->name);
	else
		fprintf(f, "-device vfio-pci,host=%s\n", s->name);
}

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
	static const char *const names[] = { "libvirt", "pve", "qemu",
					     "pve-mapping" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(arg, names[i])) {
			*fmt = i;
			return EXIT_OK;
		}
	return cli_usage(cmd, "unknown format '%s' (expected libvirt, pve, qemu or pve-mapping)",
			 arg);
}

static int parse_args(const struct cli_cmd *cmd, int argc, char **argv,
		      struct snip_args *a)
{
	const char *opt, *val;
	int i, status = EXIT_OK;

	a->what = a->root = a->mapping = a->node = NULL;
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
		    strcmp(opt, "--root") && strcmp(opt, "--mapping") &&
		    strcmp(opt, "--node"))
			return cli_usage(cmd, "unknown option '%s'", opt);
		if (++i == argc)
			return cli_usage(cmd, "%s needs a value", opt);
		val = argv[i];
		if (!strcmp(opt, "--format"))
			status = parse_format(cmd, val, &a->format);
		else if (!strcmp(opt, "--index"))
			status = parse_index(cmd, val, &a->index);
		else if (!strcmp(opt, "--mapping"))
			a->mapping = val;
		else if (!strcmp(opt, "--node"))
			a->node = val;
		else if (!*val)
			return cli_usage(cmd, "--root needs a directory");
		else
			a->root = val;
	}
	if (status != EXIT_OK)
		return status;
	if (!a->what)
		return cli_usage(cmd, "missing VF, UUID or DEV");
	if (a->format < 0)
		return cli_usage(cmd, "missing --format libvirt|pve|qemu|pve-mapping");
	if (a->index >= 0 && a->format != FMT_PVE)
		return cli_usage(cmd, "--index is for --format pve (the hostpciN number)");
	if ((a->mapping || a->node) && a->format != FMT_PVE_MAPPING)
		return cli_usage(cmd, "%s is for --format pve-mapping",
				 a->mapping ? "--mapping" : "--node");
	return EXIT_OK;
}

/* The text of the snippet into @f: EXIT_OK or EXIT_FAIL (said why). */
static int write_text(const struct snip *s, const struct snip_args *a, FILE *f)
{
	if (a->format == FMT_PVE_MAPPING)
		return snip_map_write(s, a, f);
	if (s->kind == SNIP_DEV)
		snip_dev_write(s, a, f);
	else if (a->format == FMT_LIBVIRT)
		print_libvirt(s, f);
	else if (a->format == FMT_PVE)
		print_pve(s, a->index < 0 ? 0 : a->index, f);
	else
		print_qemu(s, f);
	return EXIT_OK;
}

/* The snippet of @s for @a, read from the host under the root. */
static int snippet(const struct snip_args *a, struct snip *s,
		   const char *handle)
{
	static const char *const fmt_names[] = { "libvirt", "pve", "qemu",
						  "pve-mapping" };
	char *text = NULL;
	size_t len, i, lines;
	int status;
	FILE *f;

	status = s->kind == SNIP_MDEV ? snip_mdev(s) : snip_pci(s, a);
	if (status != EXIT_OK)
		return status;
	if (s->kind == SNIP_MDEV && (a->format == FMT_PVE ||
				     a->format == FMT_PVE_MAPPING) &&
	    !s->parent_pci) {
		pr_err("the parent of mdev %s, %s, is not a PCI device: Proxmox VE cannot create mdevs on it",
		       s->name, s->parent);
		return EXIT_FAIL;
	}
	/* One hostpci line per function when the slot is not passed whole. */
	lines = s->kind == SNIP_DEV && !(s->pd.whole_slot && s->pd.nfns > 1) ?
		s->pd.nfns : 1;
	if (a->format == FMT_PVE && (a->index < 0 ? 0 : a->index) + lines - 1 >
	    PVE_HOSTPCI_MAX) {
		pr_err("%zu hostpci lines from hostpci%d pass hostpci%d, the last (qm.conf(5)): give a lower --index",
		       lines, a->index, PVE_HOSTPCI_MAX);
		return EXIT_FAIL;
	}

	f = open_memstream(&text, &len);
	if (!f) {
		pr_err("%s", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	status = write_text(s, a, f);
	if (fclose(f) || !text) {
		free(text);
		pr_err("%s", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	if (status != EXIT_OK) {
		free(text);
		return status;
	}

	output_begin();
	open_object("snippet");
	print_string(PRINT_JSON, "format", NULL, fmt_names[a->format]);
	print_string(PRINT_JSON, s->kind == SNIP_MDEV ? "uuid" : "handle", NULL,
		     s->kind == SNIP_MDEV ? s->name : handle);
	if (s->kind == SNIP_MDEV) {
		print_string(PRINT_JSON, "parent", NULL, s->parent);
		print_string(PRINT_JSON, "type", NULL, s->type);
	}
	if (s->kind == SNIP_DEV) {
		open_array("functions");
		for (i = 0; i < s->pd.nfns; i++)
			print_string(PRINT_JSON, NULL, NULL, s->pd.fns[i].name);
		close_array();
	}
	print_string(PRINT_ANY, "text", "%s", text);
	close_object();
	status = cli_output_end();
	/* Advice on stderr, so that stdout can be pasted as it is. */
	if (status == EXIT_OK && a->format == FMT_PVE && s->kind == SNIP_MDEV)
		pr_info("Note: Proxmox VE creates an mdev of type %s on %s when the VM starts and removes it when the VM stops; mdev %s itself is not used (remove it if the parent has no instance to spare)",
			s->type, s->parent, s->name);
	else if (status == EXIT_OK && a->format == FMT_PVE &&
		 s->kind == SNIP_VF)
		pr_info("Note: pcie=1 needs the q35 machine type; drop it for i440fx");
	free(text);
	return status;
}

static const struct cli_cmd snippet_cmd = {
	"snippet", NULL,
	"snippet VF|UUID|DEV --format libvirt|pve|qemu|pve-mapping [--index N]\n"
	"               [--mapping NAME] [--node NAME] [--root DIR]",
	"Prints what a VM configuration needs to be given a VF, an mdev or a whole\n"
	"device, read from sysfs (vgpu_nl need not be loaded):\n"
	"  --format libvirt      <hostdev> elements for virsh edit\n"
	"  --format pve          hostpciN: lines for /etc/pve/qemu-server/VMID.conf\n"
	"                        (--index N: the first N, 0..15)\n"
	"  --format qemu         -device options for qemu-system-x86_64\n"
	"  --format pve-mapping  the pvesh command that makes this node's entry of a\n"
	"                        Proxmox VE cluster mapping (/cluster/mapping/pci):\n"
	"                        node, path, id, subsystem-id, iommugroup, and\n"
	"                        --mdev 1 for an mdev parent; --mapping NAME names\n"
	"                        it, --node NAME the node (default: the host name)\n"
	"A whole device (DEV, not a VF) goes with every function of its slot in its\n"
	"IOMMU group, in one guest slot (multifunction); a discrete VGA GPU gets the\n"
	"primary-GPU options, an Intel iGPU those of QEMU's legacy IGD mode (romfile,\n"
	"OpRegion, stolen memory), each with a comment. It is refused while it has\n"
	"VFs, is not bound to a VFIO driver (vgpu-nl host plan passthrough), or\n"
	"shares its IOMMU group with a device a host driver has.\n"
	"--root DIR reads DIR/sys instead of /sys.",
};

int cmd_snippet(const struct cli_cmd *cmd, int argc, char **argv)
{
	char handle[VGPU_HANDLE_MAX] = "";
	struct rootfs_saved old;
	struct snip s;

	memset(&s, 0, sizeof(s));
	struct snip_args a;
	int status, ret;

	(void)cmd;
	cmd = &snippet_cmd;
	if (argc == 2 && !strcmp(argv[1], "help"))
		return cli_help(cmd);
	status = parse_args(cmd, argc, argv, &a);
	if (status != EXIT_OK)
		return status;
	/* A UUID or a PCI address: their spellings cannot be mistaken. */
	if (!uuid_normalize(a.what, s.name)) {
		s.kind = SNIP_MDEV;
	} else if (!handle_normalize(a.what, handle)) {
		s.kind = SNIP_VF;	/* or SNIP_DEV, once looked at */
		strcpy(s.name, handle_dev_name(handle));
		handle_parse_pci(s.name, &s.addr);
	} else {
		return cli_usage(cmd, "'%s' is neither a PCI device or VF (pci/DDDD:BB:DD.F) nor an mdev UUID",
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
