// SPDX-License-Identifier: GPL-2.0
/*
 * iommu.c - the IOMMU, interrupt remapping and IOMMU groups
 *
 * Evidence, all without dmesg:
 * - IOMMU on: an entry in /sys/class/iommu (dmarN for Intel VT-d, ivhdN
 *   for AMD-Vi) and groups in /sys/kernel/iommu_groups. VT-d is off
 *   unless intel_iommu=on; AMD-Vi is on unless amd_iommu=off.
 * - Interrupt remapping in use: /proc/interrupts names the irq chips, and
 *   remapped ones are "IR-PCI-MSI", "IR-IO-APIC" (x86 prefixes the chip
 *   name with "IR-" when its parent domain is the remapping domain).
 *   Hardware support: bit 3 (IR) of Intel's extended capability register,
 *   /sys/class/iommu/dmarN/intel-iommu/ecap. AMD-Vi remaps interrupts
 *   whenever its firmware table (IVRS) allows, which sysfs does not show.
 *   VFIO refuses to assign a device without it unless
 *   vfio_iommu_type1.allow_unsafe_interrupts=1.
 * - IOMMU groups: host/passdev.h says what sharing one means for giving
 *   the GPU to a VM whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor/doctor.h"
#include "host/passdev.h"

static char *iommu_fix(const struct doctor *d)
{
	char buf[32];
	char *boot, *fix;

	if (cmdline_value(d->cmdline, "intel_iommu", buf, sizeof(buf)) &&
	    !strcmp(buf, "off"))
		return dr_fmt("remove intel_iommu=off from the kernel command line and reboot");
	if (cmdline_has(d->cmdline, "iommu=off"))
		return dr_fmt("remove iommu=off from the kernel command line and reboot");
	if (cmdline_value(d->cmdline, "amd_iommu", buf, sizeof(buf)) &&
	    strstr(buf, "off"))
		return dr_fmt("remove amd_iommu=off from the kernel command line and reboot (AMD-Vi is on by default)");
	if (!d->intel_cpu)
		return dr_fmt("enable the IOMMU (AMD-Vi/IOMMU, SVM) in the firmware setup and reboot");
	if (cmdline_has(d->cmdline, "intel_iommu=on"))
		return dr_fmt("intel_iommu=on is given: enable VT-d in the firmware setup and reboot");
	boot = dr_boot_fix("intel_iommu=on");
	fix = dr_fmt("enable VT-d in the firmware setup, and %s", boot ? boot : "");
	free(boot);
	return fix;
}

/* Intel VT-d units whose ecap has IR (bit 3); their names in @names. */
static int ir_capable(char **units, int n,
		      char *names, size_t len)
{
	unsigned long long ecap;
	int i, count = 0;
	size_t off = 0;
	char *s;

	names[0] = '\0';
	for (i = 0; i < n; i++) {
		s = rootfs_text("/sys/class/iommu/%s/intel-iommu/ecap", units[i]);
		if (s) {
			ecap = strtoull(s, NULL, 16);
			if (ecap & (1ull << 3)) {
				count++;
				off += snprintf(names + off, off < len ? len - off : 0,
						"%s%s ecap %s", count > 1 ? ", " : "",
						units[i], s);
			}
		}
		free(s);
	}
	return count;
}

/* How many /proc/interrupts lines go through an "IR-" chip. */
static int remapped_irqs(void)
{
	char *irqs = rootfs_text("/proc/interrupts"), *p;
	int n = 0;

	for (p = irqs; p && (p = strstr(p, " IR-")); p++)
		n++;
	free(irqs);
	return n;
}

static void check_remapping(struct doctor *d, char **units, int n)
{
	char caps[512], *unsafe;
	int irqs = remapped_irqs(), capable = ir_capable(units, n, caps,
							   sizeof(caps));

	if (irqs) {
		dr_add(d, "interrupt-remapping", DOCTOR_OK, "host",
		       dr_fmt("in use: %d interrupts through IR- chips in /proc/interrupts%s%s",
			      irqs, capable ? "; " : "", caps),
		       NULL);
		return;
	}
	if (cmdline_has(d->cmdline, "intremap=off")) {
		dr_add(d, "interrupt-remapping", DOCTOR_FAIL, "host",
		       dr_fmt("turned off by intremap=off on /proc/cmdline"),
		       dr_fmt("remove intremap=off from the kernel command line and reboot"));
		return;
	}
	unsafe = rootfs_text("/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts");
	if (!strncmp(units[0], "ivhd", 4) && !(unsafe && !strcmp(unsafe, "Y"))) {
		dr_add(d, "interrupt-remapping", DOCTOR_FAIL, "host",
		       dr_fmt("not in use: AMD-Vi (%s) is on but no interrupt in /proc/interrupts goes through an IR- chip: VFIO refuses to assign devices",
			      units[0]),
		       dr_fmt("AMD-Vi remaps interrupts when the firmware's IVRS table allows it: update the firmware, enable the IOMMU option in its setup (not just \"auto\"), remove any amd_iommu= or intremap= parameter; dmesg | grep AMD-Vi should then say \"Interrupt remapping enabled\""));
	} else if (capable) {
		dr_add(d, "interrupt-remapping", DOCTOR_WARN, "host",
		       dr_fmt("the IOMMU supports it (%s: IR, bit 3) but no interrupt in /proc/interrupts goes through an IR- chip",
			      caps),
		       dr_fmt("enable x2APIC/interrupt remapping in the firmware setup; check that nothing disables intremap"));
	} else if (unsafe && !strcmp(unsafe, "Y")) {
		dr_add(d, "interrupt-remapping", DOCTOR_WARN, "host",
		       dr_fmt("not in use (no IR- chip in /proc/interrupts); VFIO is told to accept that (vfio_iommu_type1 allow_unsafe_interrupts=Y): a VM can forge interrupts"),
		       dr_fmt("use a platform with interrupt remapping (enable it in the firmware setup) and drop allow_unsafe_interrupts"));
	} else {
		dr_add(d, "interrupt-remapping", DOCTOR_FAIL, "host",
		       dr_fmt("not in use (no IR- chip in /proc/interrupts, no IR bit in an intel-iommu ecap): VFIO refuses to assign devices"),
		       dr_fmt("enable interrupt remapping in the firmware setup; if the platform has none, vfio_iommu_type1.allow_unsafe_interrupts=1 on the kernel command line (unsafe)"));
	}
	free(unsafe);
}

void doctor_check_iommu(struct doctor *d)
{
	char **units, **groups;
	int n, ngroups;

	n = rootfs_list(&units, "/sys/class/iommu");
	ngroups = rootfs_list(&groups, "/sys/kernel/iommu_groups");
	d->iommu_on = n > 0 && ngroups > 0;
	if (d->iommu_on) {
		dr_add(d, "iommu", DOCTOR_OK, "host",
		       dr_fmt("%s%s%s in /sys/class/iommu; /sys/kernel/iommu_groups has %d",
			      !strncmp(units[0], "ivhd", 4) ? "AMD-Vi " :
			      !strncmp(units[0], "dmar", 4) ? "VT-d " : "",
			      units[0], n > 1 ? " and more" : "", ngroups),
		       NULL);
		check_remapping(d, units, n);
	} else {
		dr_add(d, "iommu", DOCTOR_FAIL, "host",
		       dr_fmt("off: %s /sys/class/iommu, %s /sys/kernel/iommu_groups; /proc/cmdline: %s",
			      n > 0 ? "units in" : "nothing in",
			      ngroups > 0 ? "groups in" : "no groups in",
			      d->cmdline[0] ? d->cmdline : "(empty)"),
		       iommu_fix(d));
	}
	rootfs_list_free(units, n);
	rootfs_list_free(groups, ngroups);
}

/* The other members of @name's IOMMU group, into @others; the group or -1. */
static int vf_group_of(const char *name, char *others,
		    size_t len)
{
	char group[32];
	char **devs;
	size_t off = 0;
	int i, n;

	others[0] = '\0';
	if (rootfs_link_name(group, sizeof(group),
			  "/sys/bus/pci/devices/%s/iommu_group", name))
		return -1;
	n = rootfs_list(&devs, "/sys/kernel/iommu_groups/%s/devices", group);
	for (i = 0; i < n; i++)
		if (strcmp(devs[i], name))
			off += snprintf(others + off, off < len ? len - off : 0,
					"%s%s", off ? " " : "", devs[i]);
	rootfs_list_free(devs, n);
	return atoi(group);
}

/*
 * The GPU's own group, for giving it to a VM whole: every other member,
 * what it is and what to do about it (host/passdev.h).
 */
static void check_own_group(struct doctor *d, const struct doctor_gpu *g)
{
	char advice[512], *list = NULL, *t;
	size_t i, n = 0, blockers;
	struct passdev pd;

	if (passdev_read(g->name, &pd) || pd.dev.iommu_group < 0) {
		dr_add(d, "iommu-group", DOCTOR_FAIL, g->handle,
		       dr_fmt("no iommu_group link: the IOMMU is off (see check iommu)"),
		       iommu_fix(d));
		return;
	}
	for (i = 0; i < pd.nfns + pd.npeers; i++) {
		const struct pci_fn *m = i < pd.nfns ? &pd.fns[i] :
					 &pd.peers[i - pd.nfns];

		if (!strcmp(m->name, g->name))
			continue;
		passdev_peer_advice(&pd, m, advice, sizeof(advice));
		t = dr_fmt("%s%s%s", list ? list : "", list ? "; " : "", advice);
		free(list);
		list = t;
		n++;
	}
	if (!n) {
		dr_add(d, "iommu-group", DOCTOR_OK, g->handle,
		       dr_fmt("group %d, alone", pd.dev.iommu_group), NULL);
		return;
	}
	blockers = passdev_blockers(&pd);
	dr_add(d, "iommu-group", blockers ? DOCTOR_WARN : DOCTOR_OK, g->handle,
	       dr_fmt("group %d also holds %zu device%s%s, which matter when the whole GPU goes to a VM (VFs and mdevs do not care): %s",
		      pd.dev.iommu_group, n, n == 1 ? "" : "s",
		      pd.peers_cut ? " and more" : "", list ? list : "?"),
	       blockers ? dr_fmt("to give the GPU to a VM whole, pass %s to the same VM too, or move the card to a slot with its own IOMMU group; pcie_acs_override (vgpu-nl host plan passthrough %s --acs-override) splits groups but gives up the isolation between those devices",
				 blockers == 1 ? "that device" : "those devices",
				 g->name) : NULL);
	free(list);
}

void doctor_check_groups(struct doctor *d, const struct doctor_gpu *g)
{
	char others[512], bad[512] = "", vf[32];
	unsigned int i;
	size_t off = 0;
	int group, nvf = 0, alone = 0;

	check_own_group(d, g);
	for (i = 0; i < g->numvfs; i++) {
		if (rootfs_link_name(vf, sizeof(vf),
				  "/sys/bus/pci/devices/%s/virtfn%u", g->name, i))
			continue;
		nvf++;
		group = vf_group_of(vf, others, sizeof(others));
		if (group >= 0 && !others[0])
			alone++;
		else
			off += snprintf(bad + off, off < sizeof(bad) ? sizeof(bad) - off : 0,
					"%s%s %s", off ? "; " : "", vf,
					group < 0 ? "has no group" : "shares its group");
	}
	if (!nvf)
		return;
	if (alone == nvf)
		dr_add(d, "vf-iommu-groups", DOCTOR_OK, g->handle,
		       dr_fmt("each of the %d VFs has a group of its own", nvf),
		       NULL);
	else
		dr_add(d, "vf-iommu-groups", DOCTOR_WARN, g->handle,
		       dr_fmt("%d of %d VFs alone in their group; %s", alone,
			      nvf, bad),
		       dr_fmt("a VF that shares its group cannot go to a VM alone: check the IOMMU and ACS setup"));
}
