// SPDX-License-Identifier: GPL-2.0
/*
 * snippet_dev.c - the snippet that gives a VM a whole device
 *
 * What goes: the functions of the device's slot in its IOMMU group
 * (host/passdev.h), in one guest slot as on the host, so that a GPU's
 * audio (and USB-C) functions stay with it. Each option comes with a
 * comment saying what it is for and when to leave it out.
 *
 * A discrete VGA GPU as the guest's primary display: a UEFI (OVMF) guest
 * boots on the card's own option ROM; a BIOS (SeaBIOS) guest needs the
 * legacy VGA ranges, QEMU's x-vga=on, which vfio-pci offers only without
 * disable_vga=1 (drivers/vfio/pci/vfio_pci_core.c: has_vga).
 *
 * Intel's iGPU (IGD) in QEMU's legacy mode, as QEMU's docs/igd-assign.txt
 * and Proxmox VE's qm.conf(5) (legacy-igd) describe it: machine i440fx,
 * guest address 00:02.0, a ROM (romfile), no other display; OpRegion
 * (x-igd-opregion) and stolen memory (x-igd-gms) as the tutorials set them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/snippet.h"
#include "host/rootfs.h"
#include "output/output.h"

/* libvirt's guest bus for a multifunction device: see the comment it gets. */
#define LIBVIRT_GUEST_BUS	0x10

static bool is_mdev_parent(const struct snip *s)
{
	return rootfs_exists(PCI_DEVICES "/%s/mdev_supported_types", s->name);
}

int snip_dev_check(struct snip *s, bool mapping)
{
	const struct passdev *pd = &s->pd;
	char advice[512], bad[512] = "";
	bool vfio_needed;
	size_t i, off = 0;
	int ret;

	ret = passdev_read(s->name, &s->pd);
	if (ret == -ENOENT) {
		pr_err("no PCI device %s on this host", s->name);
		return EXIT_FAIL;
	}
	if (ret) {
		pr_err("pci/%s: %s", s->name, ret == -EINVAL ?
		       "a PCI bridge stays with the host" : strerror(-ret));
		return EXIT_FAIL;
	}
	s->mdev_parent = is_mdev_parent(s);
	vfio_needed = !(mapping && s->mdev_parent);
	/* A PF with VFs stays with the host: its driver runs the VFs. */
	if (pd->numvfs) {
		pr_err("pci/%s is an SR-IOV PF with %u VFs enabled: pass a VF to the VM, never the PF (vgpu-nl vf show pci/%s lists them)",
		       s->name, pd->numvfs, s->name);
		return EXIT_FAIL;
	}
	for (i = 0; vfio_needed && i < pd->nfns; i++) {
		if (pci_is_vfio(&pd->fns[i]))
			continue;
		off += snprintf(bad + off, off < sizeof(bad) ? sizeof(bad) - off : 0,
				"%s%s %s", off ? ", " : "", pd->fns[i].name,
				pd->fns[i].driver[0] ? "is bound to" : "has no driver");
		if (pd->fns[i].driver[0])
			off += snprintf(bad + off, off < sizeof(bad) ? sizeof(bad) - off : 0,
					" %s", pd->fns[i].driver);
	}
	if (off) {
		pr_err("pci/%s is not bound to a VFIO driver, so a VM cannot have it: %s (vgpu-nl host plan passthrough %s binds it to vfio-pci at boot%s)",
		       s->name, bad, s->name, s->mdev_parent ?
		       "; for an mdev of it, give the mdev's UUID" : "");
		return EXIT_FAIL;
	}
	if (pd->dev.iommu_group < 0) {
		pr_err("pci/%s has no IOMMU group: the IOMMU is off (vgpu-nl doctor says why)",
		       s->name);
		return EXIT_FAIL;
	}
	if (passdev_blockers(pd)) {
		for (i = 0; i < pd->npeers; i++) {
			if (passdev_peer_role(pd, &pd->peers[i]) != PEER_BLOCKS)
				continue;
			passdev_peer_advice(pd, &pd->peers[i], advice, sizeof(advice));
			pr_err("pci/%s shares IOMMU group %d with %s", s->name,
			       pd->dev.iommu_group, advice);
		}
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* "with 0000:01:00.1 (audio 10de:22eb)": the header's comment text. */
static void describe(const struct snip *s, FILE *f)
{
	const struct passdev *pd = &s->pd;
	size_t i;

	fprintf(f, "vgpu-nl snippet: pci/%s whole (%s%04x:%04x %s)", s->name,
		pd->kind == PASSDEV_IGD ? "Intel IGD " : "", pd->dev.vendor,
		pd->dev.device, pci_class_name(&pd->dev));
	if (pd->nfns > 1) {
		fputs(", with every function of its slot in its IOMMU group:", f);
		for (i = 0; i < pd->nfns; i++)
			if (strcmp(pd->fns[i].name, s->name))
				fprintf(f, " %s (%s %04x:%04x)", pd->fns[i].name,
					pci_class_name(&pd->fns[i]),
					pd->fns[i].vendor, pd->fns[i].device);
	}
	fprintf(f, "; IOMMU group %d", pd->dev.iommu_group);
}

/* Whether vfio-pci gives a VGA device its legacy ranges (disable_vga N). */
static bool vfio_vga(void)
{
	char *v = rootfs_text("/sys/module/vfio_pci/parameters/disable_vga");
	bool on = !v || strcmp(v, "Y");

	free(v);
	return on;
}

#define IGD_ROM_DIR	"/usr/share/kvm"

static void igd_rom(const struct snip *s, char *buf, size_t len)
{
	snprintf(buf, len, "igd-%04x-%04x.rom", s->pd.dev.vendor, s->pd.dev.device);
}

static const char igd_legacy[] =
	"QEMU's legacy IGD mode: the iGPU as the guest's primary and only GPU. It needs machine pc (i440fx), the guest address 00:02.0 and a ROM, and no other display; for the iGPU next to an emulated display (UPT mode) leave out the legacy-mode options";
static const char igd_romfile[] =
	"romfile: the IGD's video BIOS or UEFI option ROM (VBIOS for SeaBIOS, a GOP ROM for OVMF), which the guest firmware runs to light the display; QEMU's docs/igd-assign.txt says how to get one. Leave romfile out in UPT mode";
static const char igd_opregion[] =
	"x-igd-opregion=on: a copy of the host's OpRegion, whose VBT names the display outputs; the guest's driver needs it to drive them. Leave it out only for a headless iGPU";
static const char igd_gms[] =
	"x-igd-gms=0x2: 2 x 32 MB of stolen memory (DSM), the framebuffer of the guest's firmware, as the tutorials set it: QEMU 7.2 gives none unless it is set, newer QEMU keeps the host's size (firmware setup, DVMT Pre-Allocated) when it is left out";
static const char igd_bdsm[] =
	"an iGPU of gen 11 or later (Ice Lake, Alder Lake, the N100...) keeps its stolen memory's base in a 64-bit register (BDSM at 0xC0), which the guest firmware or the ROM must set up (docs/igd-assign.txt)";

static void write_qemu(const struct snip *s, FILE *f)
{
	const struct passdev *pd = &s->pd;
	char rom[64];
	size_t i;

	fputs("# ", f);
	describe(s, f);
	fputc('\n', f);
	if (pd->kind == PASSDEV_IGD) {
		igd_rom(s, rom, sizeof(rom));
		fprintf(f, "# %s.\n-vga none\n# addr=02.0: guest 00:02.0, where the ROM and the guest's drivers look for the IGD.\n# %s; put the file at this path.\n# %s.\n# %s.\n",
			igd_legacy, igd_romfile, igd_opregion, igd_gms);
		fprintf(f, "# Note: %s.\n", igd_bdsm);
		fprintf(f, "-device vfio-pci,host=%s,addr=02.0,romfile=" IGD_ROM_DIR "/%s,x-igd-opregion=on,x-igd-gms=0x2\n",
			s->name, rom);
		return;
	}
	fprintf(f, "# A PCIe root port of its own (machine q35), so that the functions share one guest slot as on the host.\n"
		"-device pcie-root-port,id=vgpu-nl-rp-%02x-%02x,chassis=%u,slot=%u\n",
		s->addr.bus, s->addr.dev, s->addr.bus, s->addr.dev);
	if (pd->kind == PASSDEV_VGA && vfio_vga())
		fputs("# x-vga=on: the card also gets the legacy VGA ranges, which a BIOS (SeaBIOS) guest's primary GPU needs (add -vga none); a UEFI (OVMF) guest boots on the card's own ROM without it.\n", f);
	else if (pd->kind == PASSDEV_VGA)
		fputs("# No x-vga=on: vfio-pci has disable_vga=Y (/sys/module/vfio_pci/parameters/disable_vga), so there are no legacy VGA ranges to give: use a UEFI (OVMF) guest, which boots on the card's own ROM (-vga none makes it the only display).\n", f);
	else if (pd->kind == PASSDEV_GPU)
		fputs("# A GPU without VGA (3D controller): for compute or as a second GPU; the guest keeps its emulated display.\n", f);
	for (i = 0; i < pd->nfns; i++) {
		fprintf(f, "-device vfio-pci,host=%s,bus=vgpu-nl-rp-%02x-%02x,addr=00.%zx",
			pd->fns[i].name, s->addr.bus, s->addr.dev, i);
		if (!i && pd->nfns > 1)
			fputs(",multifunction=on", f);
		if (!strcmp(pd->fns[i].name, s->name) && pd->kind == PASSDEV_VGA &&
		    vfio_vga())
			fputs(",x-vga=on", f);
		fputc('\n', f);
	}
}

static void write_pve(const struct snip *s, unsigned int index, FILE *f)
{
	const struct passdev *pd = &s->pd;
	char rom[64], slot[16];
	size_t i;

	fputs("# ", f);
	describe(s, f);
	fputc('\n', f);
	if (pd->kind == PASSDEV_IGD) {
		igd_rom(s, rom, sizeof(rom));
		fprintf(f, "# legacy-igd=1: %s: qm.conf(5) wants machine pc-i440fx and vga none (the two lines below), and no x-vga, mdev or other function with it.\n"
			"machine: pc\nvga: none\n# %s. Proxmox VE looks for the file in " IGD_ROM_DIR "/.\n"
			"hostpci%u: %s,legacy-igd=1,romfile=%s\n"
			"# args: QEMU's IGD options, for which hostpci has no key (the device's id is hostpci%u). %s. %s.\n",
			igd_legacy, igd_romfile, index, s->name, rom, index,
			igd_opregion, igd_gms);
		fprintf(f, "# Note: %s.\n", igd_bdsm);
		fprintf(f, "args: -set device.hostpci%u.x-igd-opregion=on -set device.hostpci%u.x-igd-gms=0x2\n",
			index, index);
		return;
	}
	if (pd->kind == PASSDEV_VGA)
		fputs("# x-vga=1: the guest's primary GPU: Proxmox VE sets vga none and, for a SeaBIOS guest, QEMU's x-vga=on, which needs vfio-pci's VGA ranges (disable_vga=1 leaves none: use bios ovmf, where the card's own ROM does it).\n", f);
	if (pd->whole_slot && pd->nfns > 1) {
		pci_slot_prefix(s->name, slot);
		slot[strlen(slot) - 1] = '\0';
		fprintf(f, "# %s (no function): every function of the slot, in one guest slot (multifunction); pcie=1: behind a PCIe port (machine q35).\n"
			"hostpci%u: %s,pcie=1%s\n", slot, index, slot,
			pd->kind == PASSDEV_VGA ? ",x-vga=1" : "");
		return;
	}
	fputs("# pcie=1: behind a PCIe port (machine q35).\n", f);
	for (i = 0; i < pd->nfns; i++)
		fprintf(f, "hostpci%zu: %s,pcie=1%s\n", index + i, pd->fns[i].name,
			!strcmp(pd->fns[i].name, s->name) && pd->kind == PASSDEV_VGA ?
			",x-vga=1" : "");
}

static void libvirt_source(const struct pci_fn *fn, FILE *f)
{
	struct pci_addr a;

	handle_parse_pci(fn->name, &a);
	fprintf(f, "  <source>\n"
		"    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>\n"
		"  </source>\n", a.domain, a.bus, a.dev, a.fn);
}

static void write_libvirt_igd(const struct snip *s, FILE *f)
{
	char rom[64];

	igd_rom(s, rom, sizeof(rom));
	fprintf(f, "<!-- %s: the domain's <os><type machine='pc'> and the video model none below. -->\n"
		"<!-- %s. -->\n", igd_legacy, igd_romfile);
	fputs("<hostdev mode='subsystem' type='pci' managed='no'>\n"
	      "  <alias name='ua-vgpu-nl-igd'/>\n", f);
	libvirt_source(&s->pd.dev, f);
	fprintf(f, "  <rom file='" IGD_ROM_DIR "/%s'/>\n"
		"  <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n"
		"</hostdev>\n"
		"<video>\n  <model type='none'/>\n</video>\n", rom);
	fprintf(f, "<!-- Note: %s. -->\n", igd_bdsm);
	fprintf(f, "<!-- QEMU's IGD options, which libvirt has no element for: in <domain>, after </devices>. %s. %s. -->\n"
		"<qemu:override xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
		"  <qemu:device alias='ua-vgpu-nl-igd'>\n"
		"    <qemu:frontend>\n"
		"      <qemu:property name='x-igd-opregion' type='bool' value='true'/>\n"
		"      <qemu:property name='x-igd-gms' type='unsigned' value='2'/>\n"
		"    </qemu:frontend>\n"
		"  </qemu:device>\n"
		"</qemu:override>\n", igd_opregion, igd_gms);
}

static void write_libvirt(const struct snip *s, FILE *f)
{
	const struct passdev *pd = &s->pd;
	size_t i;

	fputs("<!-- ", f);
	describe(s, f);
	fputs(" -->\n<!-- managed='no': the host keeps it on vfio-pci from boot (vgpu-nl host plan passthrough); libvirt does not rebind it. -->\n", f);
	if (pd->kind == PASSDEV_IGD) {
		write_libvirt_igd(s, f);
		return;
	}
	if (pd->nfns > 1)
		fprintf(f, "<!-- The guest address keeps the functions in one slot as on the host (multifunction); bus 0x%02x: a bus number the domain uses for nothing else. -->\n",
			LIBVIRT_GUEST_BUS);
	for (i = 0; i < pd->nfns; i++) {
		fputs("<hostdev mode='subsystem' type='pci' managed='no'>\n", f);
		libvirt_source(&pd->fns[i], f);
		if (pd->nfns > 1)
			fprintf(f, "  <address type='pci' domain='0x0000' bus='0x%02x' slot='0x00' function='0x%zx'%s/>\n",
				LIBVIRT_GUEST_BUS, i, i ? "" : " multifunction='on'");
		fputs("</hostdev>\n", f);
	}
	if (pd->kind == PASSDEV_VGA)
		fputs("<!-- The guest's primary GPU: a UEFI (OVMF) guest boots on the card's own ROM; <video><model type='none'/></video> makes it the only display. -->\n", f);
}

void snip_dev_write(const struct snip *s, const struct snip_args *a, FILE *f)
{
	if (a->format == FMT_LIBVIRT)
		write_libvirt(s, f);
	else if (a->format == FMT_PVE)
		write_pve(s, a->index < 0 ? 0 : a->index, f);
	else
		write_qemu(s, f);
}
