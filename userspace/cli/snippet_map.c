// SPDX-License-Identifier: GPL-2.0
/*
 * snippet_map.c - "snippet ... --format pve-mapping": this node's entry of
 * a Proxmox VE cluster resource mapping, as the pvesh command that makes it
 *
 * A clustered VM names a mapping (hostpci0: mapping=ID) instead of a host
 * address, and starts on any node that has an entry for it. The API is
 * POST /cluster/mapping/pci (pve-manager PVE/API2/Cluster/Mapping/PCI.pm)
 * with the properties of pve-guest-common's PVE::Mapping::PCI:
 *   id     the mapping's ID (pve-configid: [a-z][a-z0-9_-]+, any case)
 *   mdev   boolean: the device offers mediated devices (GVT-g)
 *   map    one property string per node entry:
 *          node          the node's name (pve-node)
 *          path          the device's address; without the function the
 *                        whole (multifunction) device, described by the
 *                        attributes of its function 0
 *          id            vendor:device, checked at VM start
 *          subsystem-id  subsystem vendor:device, required when the
 *                        device has one (assert_valid())
 *          iommugroup    the IOMMU group, checked at VM start
 * Its node is the host's name as Proxmox VE takes it (uname -n, up to the
 * first dot), from /proc/sys/kernel/hostname, or --node.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/snippet.h"
#include "host/rootfs.h"
#include "output/output.h"

/* pve-node: [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])? */
static bool valid_node(const char *n)
{
	size_t i, len = strlen(n);

	if (!len || !isalnum((unsigned char)n[0]) ||
	    !isalnum((unsigned char)n[len - 1]))
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)n[i]) && n[i] != '-')
			return false;
	return true;
}

/* pve-configid: [a-z][a-z0-9_-]+, case-insensitive. */
static bool valid_mapping(const char *n)
{
	size_t i, len = strlen(n);

	if (len < 2 || !isalpha((unsigned char)n[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!isalnum((unsigned char)n[i]) && n[i] != '_' && n[i] != '-')
			return false;
	return true;
}

static int node_name(const struct snip_args *a, char *buf, size_t len)
{
	char *h;

	if (a->node) {
		snprintf(buf, len, "%s", a->node);
	} else {
		h = rootfs_text("/proc/sys/kernel/hostname");
		if (!h)
			h = rootfs_text("/etc/hostname");
		if (!h) {
			pr_err("cannot tell this node's name (no %s/proc/sys/kernel/hostname): give --node NAME",
			       rootfs_root());
			return EXIT_FAIL;
		}
		snprintf(buf, len, "%.*s", (int)strcspn(h, ".\n"), h);
		free(h);
	}
	if (!valid_node(buf)) {
		pr_err("'%s' is not a Proxmox VE node name (letters, digits and '-' inside): give --node NAME",
		       buf);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int snip_map_write(const struct snip *s, const struct snip_args *a, FILE *f)
{
	char node[64], path[16], id[64];
	struct pci_fn fn;
	const char *dev, *prefix, *why;
	bool mdev = s->kind == SNIP_MDEV || s->mdev_parent;

	if (node_name(a, node, sizeof(node)) != EXIT_OK)
		return EXIT_FAIL;
	/* The function the entry describes: the VF, the mdev's parent, fn 0. */
	dev = s->kind == SNIP_MDEV ? s->parent : s->kind == SNIP_DEV && !mdev ?
	      s->pd.fns[0].name : s->name;
	if (pci_fn_read(dev, &fn)) {
		pr_err("no PCI device %s on this host", dev);
		return EXIT_FAIL;
	}
	if (fn.iommu_group < 0) {
		pr_err("pci/%s has no IOMMU group: the IOMMU is off (vgpu-nl doctor says why)",
		       dev);
		return EXIT_FAIL;
	}
	snprintf(path, sizeof(path), "%s", fn.name);
	if (s->kind == SNIP_DEV && !mdev && s->pd.whole_slot && s->pd.nfns > 1)
		path[strlen(path) - 2] = '\0';	/* "0000:01:00": the whole device */
	prefix = mdev ? "mdev" : s->kind == SNIP_VF ? "vf" :
		 pci_is_display(&fn) ? "gpu" : "pci";
	if (a->mapping)
		snprintf(id, sizeof(id), "%s", a->mapping);
	else
		snprintf(id, sizeof(id), "%s-%04x-%04x", prefix, fn.vendor, fn.device);
	if (!valid_mapping(id)) {
		pr_err("'%s' is not a Proxmox VE mapping ID (a letter, then letters, digits, '_' or '-')",
		       id);
		return EXIT_FAIL;
	}
	why = mdev ? "its mdevs (GVT-g): the VM names it with mapping= and mdev=TYPE" :
	      s->kind == SNIP_VF ? "this VF" :
	      strlen(path) == 10 ? "the whole device, every function of its slot" :
	      "the whole device";
	fprintf(f, "# vgpu-nl snippet: node %s's entry of the cluster mapping %s, for %s (pci/%s).\n"
		"# On every other node with such a device, run this there too and give all the nodes' --map to one\n"
		"# pvesh create (pvesh set /cluster/mapping/pci/%s --map ... replaces the list). Then: hostpciN: mapping=%s\n",
		node, id, why, dev, id, id);
	fprintf(f, "pvesh create /cluster/mapping/pci --id %s --map node=%s,path=%s,id=%04x:%04x",
		id, node, path, fn.vendor, fn.device);
	if (fn.has_subsys)
		fprintf(f, ",subsystem-id=%04x:%04x", fn.subsys_vendor,
			fn.subsys_device);
	fprintf(f, ",iommugroup=%d%s\n", fn.iommu_group, mdev ? " --mdev 1" : "");
	return EXIT_OK;
}
