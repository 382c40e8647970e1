// SPDX-License-Identifier: GPL-2.0
/*
 * passdev.c - see passdev.h
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/passdev.h"

const char *pci_class_name(const struct pci_fn *fn)
{
	static const struct {
		unsigned int class, shift;
		const char *name;
	} names[] = {
		{ 0x0300, 8, "VGA" }, { 0x0302, 8, "3D" }, { 0x03, 16, "display" },
		{ 0x0403, 8, "audio" }, { 0x04, 16, "multimedia" },
		{ 0x0604, 8, "PCI bridge" }, { 0x0601, 8, "ISA bridge" },
		{ 0x0600, 8, "host bridge" }, { 0x06, 16, "bridge" },
		{ 0x0c03, 8, "USB" }, { 0x0c05, 8, "SMBus" },
		{ 0x0c80, 8, "serial bus" }, { 0x0c, 16, "serial bus" },
		{ 0x02, 16, "network" }, { 0x01, 16, "storage" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (fn->class >> names[i].shift == names[i].class)
			return names[i].name;
	return "device";
}

static enum passdev_kind kind_of(const struct pci_fn *fn)
{
	if (!pci_is_display(fn))
		return PASSDEV_OTHER;
	if (pci_is_igd(fn))
		return PASSDEV_IGD;
	return pci_is_vga(fn) ? PASSDEV_VGA : PASSDEV_GPU;
}

static bool in_set(const struct passdev *pd, const char *name)
{
	size_t i;

	for (i = 0; i < pd->nfns; i++)
		if (!strcmp(pd->fns[i].name, name))
			return true;
	return false;
}

int passdev_read(const char *name, struct passdev *pd)
{
	char slot[16], dir[64];
	struct pci_fn *fns, *fns2;
	bool root_bus;
	int i, n, others;

	memset(pd, 0, sizeof(*pd));
	if (pci_fn_read(name, &pd->dev))
		return -ENOENT;
	if (pd->dev.is_vf || pci_is_bridge(&pd->dev))
		return -EINVAL;
	pd->kind = kind_of(&pd->dev);
	pci_fn_uint(name, "sriov_numvfs", &pd->numvfs);

	/*
	 * The slot's functions in the device's group. Not on the root bus:
	 * there a slot's functions are separate parts of the chipset (the
	 * PCH's 00:1f.x: LPC, audio, SMBus, SPI), not one card's.
	 */
	pci_slot_prefix(name, slot);
	root_bus = !strncmp(name + 5, "00:", 3);
	n = pci_list(PCI_DEVICES, root_bus ? name : slot, PCI_NO_BRIDGES, &fns);
	if (n < 0)
		return n;
	pd->whole_slot = true;
	if (root_bus) {
		others = pci_list(PCI_DEVICES, slot, PCI_ALL, &fns2);
		pd->whole_slot = others == 1;
		free(fns2);
	}
	for (i = 0; i < n; i++) {
		if (fns[i].is_vf)
			continue;	/* VFs are the PF's, and refused with it */
		if (fns[i].iommu_group != pd->dev.iommu_group ||
		    pd->nfns == sizeof(pd->fns) / sizeof(pd->fns[0])) {
			pd->whole_slot = false;
			continue;
		}
		pd->fns[pd->nfns++] = fns[i];
	}
	free(fns);
	if (pd->dev.iommu_group < 0)
		return 0;

	/* The rest of the group. */
	snprintf(dir, sizeof(dir), "/sys/kernel/iommu_groups/%d/devices",
		 pd->dev.iommu_group);
	n = pci_list(dir, "", PCI_ALL, &fns);
	for (i = 0; i < n; i++) {
		if (in_set(pd, fns[i].name))
			continue;
		if (pd->npeers == PASSDEV_MAX) {
			pd->peers_cut = true;
			break;
		}
		pd->peers[pd->npeers++] = fns[i];
	}
	free(fns);
	return n == -ENOMEM ? n : 0;
}

enum passdev_peer passdev_peer_role(const struct passdev *pd,
				    const struct pci_fn *peer)
{
	if (in_set(pd, peer->name))
		return PEER_SLOT;
	if (pci_is_pci_bridge(peer))
		return PEER_BRIDGE;
	/* pci-stub is VFIO's other allowed driver. */
	if (!peer->driver[0] || pci_is_vfio(peer) ||
	    !strcmp(peer->driver, "pci-stub"))
		return PEER_UNBOUND;
	return PEER_BLOCKS;
}

size_t passdev_blockers(const struct passdev *pd)
{
	size_t i, n = 0;

	for (i = 0; i < pd->npeers; i++)
		n += passdev_peer_role(pd, &pd->peers[i]) == PEER_BLOCKS;
	return n;
}

void passdev_peer_advice(const struct passdev *pd, const struct pci_fn *peer,
			 char *buf, size_t len)
{
	char what[160];

	snprintf(what, sizeof(what), "%s (%s %04x:%04x, %s%s)", peer->name,
		 pci_class_name(peer), peer->vendor, peer->device,
		 peer->driver[0] ? "driver " : "no driver", peer->driver);
	switch (passdev_peer_role(pd, peer)) {
	case PEER_SLOT:
		snprintf(buf, len, "%s: a function of the same card, it goes to the VM with it", what);
		break;
	case PEER_BRIDGE:
		snprintf(buf, len, "%s: the bridge above it, it stays with the host (VFIO allows bridges in the group)",
			 what);
		break;
	case PEER_UNBOUND:
		snprintf(buf, len, "%s: VFIO allows it while %s; the VM does not get it, and no host driver may take it",
			 what, peer->driver[0] ? "on that driver" : "unbound");
		break;
	default:
		snprintf(buf, len, "%s: a host driver has it, so VFIO refuses the group: pass it to the same VM too (bind it to vfio-pci), or %s",
			 what, strncmp(pd->dev.name + 5, "00:", 3) ?
			 "move the card to a slot with its own IOMMU group" :
			 "leave both with the host (the chipset gives them one group)");
	}
}
