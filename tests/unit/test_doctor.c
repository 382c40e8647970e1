// SPDX-License-Identifier: GPL-2.0
/*
 * test_doctor.c - "vgpu-nl doctor --root DIR" on fake hosts
 *
 * Each case builds a host with tests/doctor/mkroot.sh (see its list of
 * cases) in a temporary directory, runs the tool in-process on it and
 * checks the finding that matters - its check, subject, status and fix -
 * in the text output and in -j, and the exit status. Some cases change a
 * file or two of a built host first (an Proxmox /etc/kernel/cmdline, a
 * kernel without headers, an enrolled key).
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/platform.h"
#include "unit.h"

#define NEW_K	"6.12.117+deb12-amd64"
#define GPU	"pci/0000:00:02.0"

static char root[64];

/* The checkout's tests/ directory, from this file's path. */
static void mkroot(const char *name)
{
	char cmd[512];
	const char *slash = strrchr(__FILE__, '/');

	snprintf(root, sizeof(root), "/tmp/vgpu-doctor-XXXXXX");
	CHECK(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "%.*s/../doctor/mkroot.sh %s %s",
		 (int)(slash - __FILE__), __FILE__, name, root);
	CHECK_INT(system(cmd), 0);
}

static void rmroot(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK_INT(system(cmd), 0);
}

/* root/@rel := @text (the directory must exist). */
static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	CHECK(f);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void shell(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int n;

	n = snprintf(cmd, sizeof(cmd), "cd %s && ", root);
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - n, fmt, ap);
	va_end(ap);
	CHECK_INT(system(cmd), 0);
}

/* The text line "STATUS CHECK SUBJECT: ..." (and its fix line) is in @out. */
static void check_text(const char *out, const char *status, const char *check,
		       const char *subject, const char *evidence,
		       const char *fix)
{
	char line[1024];

	snprintf(line, sizeof(line), "%-4s %-19s %s: %s", status, check,
		 subject, evidence);
	if (!strstr(out, line))
		unit_fail(__FILE__, __LINE__, "no line\n#   %s\n# in\n%s", line, out);
	if (fix) {
		snprintf(line, sizeof(line), "\n     fix: %s\n", fix);
		if (!strstr(out, line))
			unit_fail(__FILE__, __LINE__, "no fix line\n#   %s# in\n%s",
				  line + 1, out);
	}
}

static const char *get(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	       json_object_get_string(v) : NULL;
}

/*
 * In -j output: the finding (@check, @subject) has @status, its evidence
 * starts with @evidence and its fix is @fix (NULL: no "fix" key).
 */
static void check_json(const char *out, const char *status, const char *check,
		       const char *subject, const char *evidence,
		       const char *fix)
{
	json_object *doc = json_tokener_parse(out), *arr, *f, *found = NULL;
	size_t i;

	CHECK(doc && json_object_object_get_ex(doc, "findings", &arr));
	for (i = 0; doc && arr && i < json_object_array_length(arr); i++) {
		f = json_object_array_get_idx(arr, i);
		if (!strcmp(get(f, "check"), check) &&
		    !strcmp(get(f, "subject"), subject))
			found = f;
	}
	if (!found) {
		unit_fail(__FILE__, __LINE__, "no finding %s %s in -j", check,
			  subject);
	} else {
		CHECK_STR(get(found, "status"), status);
		CHECK(!strncmp(get(found, "evidence"), evidence, strlen(evidence)));
		if (fix)
			CHECK_STR(get(found, "fix"), fix);
		else
			CHECK(!get(found, "fix"));
	}
	json_object_put(doc);
}

/* Both outputs: one finding, and the exit status. */
static void expect(int status_code, const char *status, const char *check,
		   const char *subject, const char *evidence, const char *fix)
{
	struct run r;

	run_tool(&r, "doctor", "--root", root, NULL);
	CHECK_INT(r.status, status_code);
	check_text(r.out, status, check, subject, evidence, fix);
	if (status_code)
		CHECK(strstr(r.err, "Error: ") && strstr(r.err, "failed"));
	run_free(&r);
	run_tool(&r, "-j", "doctor", "--root", root, NULL);
	CHECK_INT(r.status, status_code);
	check_json(r.out, status, check, subject, evidence, fix);
	run_free(&r);
}

/* -j summary counts. */
static void expect_summary(unsigned int warn, unsigned int fail)
{
	json_object *doc, *sum, *v;
	struct run r;

	run_tool(&r, "-j", "doctor", "--root", root, NULL);
	doc = json_tokener_parse(r.out);
	CHECK(doc && json_object_object_get_ex(doc, "summary", &sum));
	if (doc && sum) {
		CHECK(json_object_object_get_ex(sum, "warn", &v) &&
		      json_object_get_int(v) == (int)warn);
		CHECK(json_object_object_get_ex(sum, "fail", &v) &&
		      json_object_get_int(v) == (int)fail);
	}
	json_object_put(doc);
	run_free(&r);
}

#define GRUB_FIX(p) \
	"add " p " to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then run update-grub and reboot"

TEST(doctor_platforms_from_the_generated_table)
{
	const char *m;
	const struct gpu_platform *p;
	unsigned int i;

	for (i = 1; i < gpu_ids_count; i++)
		CHECK(gpu_ids[i - 1].device < gpu_ids[i].device);
	p = gpu_platform_of(0x9bc8, &m);
	CHECK(p && !strcmp(p->name, "Comet Lake") && p->modes == GPU_MODE_GVT);
	CHECK_STR(m, "CML_GT2");
	p = gpu_platform_of(0x5912, NULL);
	CHECK(p && !strcmp(p->name, "Kaby Lake") && p->modes == GPU_MODE_GVT);
	p = gpu_platform_of(0x1616, NULL);	/* Broadwell */
	CHECK(p && p->modes == GPU_MODE_GVT);
	p = gpu_platform_of(0x4680, NULL);
	CHECK(p && !strcmp(p->name, "Alder Lake-S") &&
	      p->modes == GPU_MODE_SRIOV && p->sriov == GPU_SRIOV_I915_DKMS);
	p = gpu_platform_of(0x46a6, NULL);
	CHECK(p && !strcmp(p->name, "Alder Lake-P"));
	p = gpu_platform_of(0xe20b, NULL);
	CHECK(p && !strcmp(p->name, "Battlemage") && p->sriov == GPU_SRIOV_XE &&
	      p->xe_sriov && !p->xe_force_probe);
	/* Linux 7.3's ids: Panther Lake, an uppercase 0X in Nova Lake-P */
	p = gpu_platform_of(0xb080, &m);
	CHECK(p && !strcmp(p->name, "Panther Lake") && p->xe_sriov);
	CHECK_STR(m, "PTL");
	p = gpu_platform_of(0xd754, NULL);
	CHECK(p && !strcmp(p->name, "Nova Lake-P") && p->xe_force_probe);
	/* xe runs Tiger Lake as a PF only when forced; Lunar Lake has no SR-IOV */
	p = gpu_platform_of(0x9a49, NULL);
	CHECK(p && !strcmp(p->name, "Tiger Lake") && p->xe_sriov && p->xe_force_probe);
	p = gpu_platform_of(0x64a0, NULL);
	CHECK(p && !strcmp(p->name, "Lunar Lake") && p->modes == 0);
	p = gpu_platform_of(0x8a51, NULL);	/* Ice Lake: neither */
	CHECK(p && p->modes == 0);
	p = gpu_platform_of(0x0412, NULL);	/* Haswell */
	CHECK(p && p->modes == 0 && !strcmp(p->name, "pre-Broadwell"));
	CHECK(!gpu_platform_of(0x1111, &m) && !m);
}

TEST(doctor_gvt_host_healthy)
{
	mkroot("gvt-ok");
	expect(0, "ok", "gpu", GPU,
	       "8086:9bc8 is Comet Lake (gen 9.5; INTEL_CML_GT2_IDS in pciids.h): GVT-g (mdev)",
	       NULL);
	expect(0, "ok", "mdev", GPU, "2 mdev types in mdev_supported_types", NULL);
	expect(0, "ok", "module", "kvmgt", "loaded, and at boot: listed in /etc/modules-load.d/vgpu.conf", NULL);
	expect(0, "ok", "interrupt-remapping", "host", "in use: 2 interrupts", NULL);
	expect_summary(0, 0);
	rmroot();
}

/*
 * vgpu-nl-dkms lists vgpu_nl in /usr/lib/modules-load.d, as packages do;
 * a file of the same name in /etc hides it, as for systemd-modules-load.
 */
TEST(doctor_modules_load_d_of_packages)
{
	mkroot("gvt-ok");
	shell("sed -i /vgpu_nl/d etc/modules-load.d/vgpu.conf");
	expect(0, "warn", "module", "vgpu_nl",
	       "loaded, but not in /etc/modules or a modules-load.d/*.conf: missing after a reboot",
	       "add vgpu_nl to /etc/modules");
	shell("mkdir -p usr/lib/modules-load.d");
	put("usr/lib/modules-load.d/vgpu_nl.conf", "vgpu_nl\n");
	expect(0, "ok", "module", "vgpu_nl",
	       "loaded, and at boot: listed in /usr/lib/modules-load.d/vgpu_nl.conf", NULL);
	put("etc/modules-load.d/vgpu_nl.conf", "# not here\n");
	expect(0, "warn", "module", "vgpu_nl", "loaded, but not in",
	       "add vgpu_nl to /etc/modules");
	rmroot();
}

TEST(doctor_gvt_without_enable_gvt)
{
	mkroot("gvt-no-enable");
	expect(1, "fail", "cmdline", GPU,
	       "GVT-g (mdev) on Comet Lake needs i915.enable_gvt=1, which /proc/cmdline lacks",
	       GRUB_FIX("i915.enable_gvt=1"));
	expect(1, "fail", "mdev", GPU,
	       "no mdev_supported_types: i915.enable_gvt is N (/sys/module/i915/parameters/enable_gvt)",
	       GRUB_FIX("i915.enable_gvt=1"));
	expect_summary(0, 2);

	/* Written to GRUB's file but not booted with it yet. */
	put("etc/default/grub", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet i915.enable_gvt=1\"\n");
	expect(1, "fail", "cmdline", GPU, "GVT-g (mdev) on Comet Lake needs",
	       "i915.enable_gvt=1 is in /etc/default/grub but not in use: run update-grub and reboot");

	/*
	 * A GRUB host with a /etc/kernel/cmdline that kernel-install left
	 * behind: GRUB's file is still the one that counts, as for "host
	 * plan" (host/bootloader.c).
	 */
	shell("mkdir -p etc/kernel");
	put("etc/kernel/cmdline", "root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on\n");
	expect(1, "fail", "cmdline", GPU, "GVT-g (mdev) on Comet Lake needs",
	       "i915.enable_gvt=1 is in /etc/default/grub but not in use: run update-grub and reboot");

	/* Proxmox VE with proxmox-boot-tool: /etc/kernel/cmdline. */
	put("etc/kernel/proxmox-boot-uuids", "5A1B-2C3D\n");
	expect(1, "fail", "cmdline", GPU, "GVT-g (mdev) on Comet Lake needs",
	       "add i915.enable_gvt=1 to /etc/kernel/cmdline (its one line), then run proxmox-boot-tool refresh and reboot");
	/* Written there but not booted with it yet. */
	put("etc/kernel/cmdline", "root=ZFS=rpool/ROOT/pve-1 boot=zfs i915.enable_gvt=1\n");
	expect(1, "fail", "cmdline", GPU, "GVT-g (mdev) on Comet Lake needs",
	       "i915.enable_gvt=1 is in /etc/kernel/cmdline but not in use: run proxmox-boot-tool refresh and reboot");

	/* enable_gvt on but kvmgt missing: the next reason. */
	put("sys/module/i915/parameters/enable_gvt", "Y\n");
	shell("rm -r sys/module/kvmgt");
	expect(1, "fail", "mdev", GPU,
	       "no mdev_supported_types: kvmgt is not loaded (no /sys/module/kvmgt)",
	       "modprobe kvmgt, and add kvmgt to /etc/modules");
	expect(1, "fail", "module", "kvmgt", "not loaded (no /sys/module/kvmgt)",
	       "modprobe kvmgt, and add kvmgt to /etc/modules");
	rmroot();
}

TEST(doctor_sriov_host_healthy)
{
	mkroot("sriov-ok");
	expect(0, "ok", "gpu", GPU,
	       "8086:4680 is Alder Lake-S (gen 12; INTEL_ADLS_IDS in pciids.h): SR-IOV (VFs) through i915-sriov-dkms",
	       NULL);
	expect(0, "ok", "driver", GPU, "bound to i915 from i915-sriov-dkms", NULL);
	expect(0, "ok", "sriov", GPU, "sriov_totalvfs 7, sriov_numvfs 2", NULL);
	expect(0, "ok", "vf-iommu-groups", GPU,
	       "each of the 2 VFs has a group of its own", NULL);
	expect(0, "ok", "dkms", "i915-sriov-dkms/" NEW_K,
	       "i915-sriov-dkms 2024.12.30 installed", NULL);
	expect_summary(0, 0);
	rmroot();
}

TEST(doctor_sriov_gpu_on_stock_i915)
{
	mkroot("sriov-stock");
	expect(1, "fail", "driver", GPU,
	       "bound to the stock i915, which has no SR-IOV for Alder Lake-S (no max_vfs in /sys/module/i915/parameters)",
	       "install i915-sriov-dkms (its .deb from the project's releases: apt install ./i915-sriov-dkms_*.deb), then reboot with i915.enable_guc=3 i915.max_vfs=7");
	expect(1, "fail", "sriov", GPU,
	       "sriov_totalvfs 0: the stock i915 does not enable SR-IOV",
	       "install i915-sriov-dkms (see check driver)");
	expect(1, "fail", "dkms", "i915-sriov-dkms",
	       "i915-sriov-dkms is not in DKMS", "install i915-sriov-dkms (apt install ./i915-sriov-dkms_*.deb from its releases)");
	rmroot();
}

TEST(doctor_xe_limit_in_configfs)
{
	mkroot("xe-configfs");
	expect(1, "fail", "xe-vfs", GPU,
	       "xe makes no VFs (sriov_totalvfs 0); the limit is per device in /sys/kernel/config/xe/0000:00:02.0/sriov/max_vfs (kernel 7.3.4+deb13-amd64 has xe's configfs)",
	       "vgpu-nl host apply sriov " GPU " (writes /etc/modprobe.d/vgpu-nl-xe.conf, which sets it each time xe loads), then reboot");
	/* after the apply and a reboot */
	put("etc/modprobe.d/vgpu-nl-xe.conf",
	    "# ...\ninstall xe for d in 0000:00:02.0; do ...; done\n");
	put("sys/bus/pci/devices/0000:00:02.0/sriov_totalvfs", "24\n");
	expect(0, "ok", "xe-vfs", GPU,
	       "xe makes up to 24 VFs; the limit is per device in /sys/kernel/config/xe/0000:00:02.0/sriov/max_vfs (kernel 7.3.4+deb13-amd64 has xe's configfs), set at every boot by /etc/modprobe.d/vgpu-nl-xe.conf",
	       NULL);
	rmroot();
}

TEST(doctor_xe_force_probe_and_cmdline)
{
	mkroot("xe-tgl");
	expect(0, "ok", "xe-probe", GPU,
	       "Tiger Lake is bound to xe, which takes it only when forced: force_probe is 9a49 (/sys/module/xe/parameters/force_probe), not from /proc/cmdline",
	       NULL);
	expect(0, "ok", "xe-vfs", GPU,
	       "xe makes up to 7 VFs; the limit is xe.max_vfs=7 on /proc/cmdline (kernel " NEW_K " has no per-device configfs for it)",
	       NULL);
	/* the i915-sriov-dkms platform on xe wants neither i915's options nor the DKMS driver */
	expect_summary(0, 0);
	put("proc/cmdline", "BOOT_IMAGE=/vmlinuz intel_iommu=on iommu=pt xe.max_vfs=7 xe.force_probe=46a6,9a49 i915.force_probe=!9a49\n");
	expect(0, "ok", "xe-probe", GPU,
	       "Tiger Lake needs xe.force_probe=9a49 for xe, which /proc/cmdline has (and i915.force_probe=!ID)",
	       NULL);
	/* unbound while xe is loaded and nothing forces it */
	shell("rm sys/bus/pci/devices/0000:00:02.0/driver");
	put("proc/cmdline", "BOOT_IMAGE=/vmlinuz intel_iommu=on iommu=pt\n");
	expect(1, "fail", "xe-probe", GPU,
	       "no driver, and xe is loaded: xe binds Tiger Lake only with xe.force_probe=9a49, which /proc/cmdline lacks",
	       GRUB_FIX("xe.force_probe=9a49 i915.force_probe=!9a49"));
	rmroot();
}

TEST(doctor_iommu_off)
{
	mkroot("iommu-off");
	expect(1, "fail", "iommu", "host",
	       "off: nothing in /sys/class/iommu, no groups in /sys/kernel/iommu_groups; /proc/cmdline: BOOT_IMAGE=/vmlinuz quiet i915.enable_gvt=1",
	       "enable VT-d in the firmware setup, and " GRUB_FIX("intel_iommu=on"));
	expect(1, "fail", "cmdline", "host", "/proc/cmdline lacks intel_iommu=on iommu=pt",
	       GRUB_FIX("intel_iommu=on iommu=pt"));
	expect(1, "fail", "iommu-group", GPU, "no iommu_group link", "enable VT-d in the firmware setup, and " GRUB_FIX("intel_iommu=on"));
	rmroot();
}

TEST(doctor_interrupt_remapping)
{
	mkroot("gvt-ok");
	put("proc/interrupts", " 24: 0 PCI-MSI 49152-edge PCIe PME\n");
	expect(0, "warn", "interrupt-remapping", "host",
	       "the IOMMU supports it (dmar0 ecap f00f4a: IR, bit 3) but no interrupt", "enable x2APIC/interrupt remapping in the firmware setup; check that nothing disables intremap");
	put("sys/class/iommu/dmar0/intel-iommu/ecap", "f00f42\n");
	expect(1, "fail", "interrupt-remapping", "host", "not in use",
	       "enable interrupt remapping in the firmware setup; if the platform has none, vfio_iommu_type1.allow_unsafe_interrupts=1 on the kernel command line (unsafe)");
	shell("mkdir -p sys/module/vfio_iommu_type1/parameters");
	put("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "Y\n");
	expect(0, "warn", "interrupt-remapping", "host",
	       "not in use (no IR- chip in /proc/interrupts); VFIO is told to accept that", "use a platform with interrupt remapping (enable it in the firmware setup) and drop allow_unsafe_interrupts");
	rmroot();
}

TEST(doctor_dkms_module_missing_for_a_kernel)
{
	mkroot("dkms-missing");
	expect(1, "fail", "dkms", "vgpu-nl/" NEW_K,
	       "vgpu-nl 0.1.0 is not built for " NEW_K " (headers present",
	       "dkms autoinstall -k " NEW_K);
	expect(1, "ok", "dkms", "vgpu-nl/6.1.0-56-amd64",
	       "vgpu-nl 0.1.0 installed", NULL);
	expect_summary(0, 1);

	/* Without headers, the fix is the headers. */
	shell("rm -r lib/modules/" NEW_K "/build");
	expect(1, "fail", "dkms", "vgpu-nl/" NEW_K,
	       NEW_K " has no headers (/lib/modules/" NEW_K "/build missing)",
	       "apt install linux-headers-" NEW_K " (DKMS then builds vgpu-nl for it)");

	/* A kernel the package excludes needs nothing. */
	put("usr/src/vgpu-nl-0.1.0/dkms.conf", "BUILD_EXCLUSIVE_KERNEL=\"^6\\.1\\.\"\n");
	expect(0, "ok", "dkms", "vgpu-nl/" NEW_K,
	       "vgpu-nl 0.1.0 does not support " NEW_K, NULL);

	/* Not in DKMS at all, while the module is loaded. */
	shell("rm -r var/lib/dkms/vgpu-nl");
	expect(0, "warn", "dkms", "vgpu-nl",
	       "vgpu-nl is not in DKMS (no /var/lib/dkms/vgpu-nl/VERSION/source): the module is loaded",
	       "install it through DKMS: make install in the vgpu-nl checkout (or apt install ./vgpu-nl-dkms_*.deb)");
	rmroot();
}

TEST(doctor_pf_passed_through_with_vfs)
{
	mkroot("pf-passthrough");
	expect(1, "fail", "passthrough", GPU,
	       "the PF is bound to vfio-pci while it has 2 VFs: a VM given the PF takes every VF with it",
	       "pass VFs to VMs, never the PF: give the PF back to its driver (echo 0000:00:02.0 > /sys/bus/pci/drivers/vfio-pci/unbind; echo 0000:00:02.0 > /sys/bus/pci/drivers_probe), or remove the VFs first (vgpu-nl dev set pci/0000:00:02.0 numvfs 0) if the whole GPU is meant for one VM");
	expect_summary(1, 1);
	rmroot();
}

TEST(doctor_secure_boot_and_mok)
{
	mkroot("sb-unenrolled");
	expect(1, "fail", "mok", "host",
	       "/var/lib/dkms/mok.pub is not enrolled (/sys/firmware/efi/mok-variables/MokListRT)",
	       "mokutil --import /var/lib/dkms/mok.pub, reboot and enroll it in MokManager");
	put("sys/firmware/efi/mok-variables/MokListRT", "OTHER-KEY KEY-DER-BYTES\n");
	expect(0, "ok", "mok", "host", "/var/lib/dkms/mok.pub is enrolled", NULL);
	put("sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0f6c7b9a63e", "\x06");
	expect(0, "ok", "secure-boot", "host", "off (", NULL);
	rmroot();
}

TEST(doctor_unknown_intel_gpu_and_dev_filter)
{
	struct run r;

	mkroot("gvt-ok");
	shell("mkdir -p sys/bus/pci/devices/0000:03:00.0");
	put("sys/bus/pci/devices/0000:03:00.0/vendor", "0x8086\n");
	put("sys/bus/pci/devices/0000:03:00.0/device", "0xfff0\n");
	put("sys/bus/pci/devices/0000:03:00.0/class", "0x030000\n");
	shell("ln -s ../../../../kernel/iommu_groups/9 sys/bus/pci/devices/0000:03:00.0/iommu_group && mkdir -p sys/kernel/iommu_groups/9/devices && touch sys/kernel/iommu_groups/9/devices/0000:03:00.0");
	expect(0, "warn", "gpu", "pci/0000:03:00.0",
	       "Intel GPU 8086:fff0 is not in this tool's GPU id table",
	       "update vgpu-nl (userspace/data/i915_pciids.h, from the kernel's pciids.h)");

	/* DEV: that device's findings only (and the host's). */
	run_tool(&r, "doctor", "00:02.0", "--root", root, NULL);
	CHECK_INT(r.status, 0);
	CHECK(strstr(r.out, "pci/0000:00:02.0: bound to i915"));
	CHECK(!strstr(r.out, "pci/0000:03:00.0"));
	run_free(&r);
	rmroot();
}

TEST(doctor_bad_input)
{
	struct run r;

	mkroot("gvt-ok");
	run_tool(&r, "doctor", "pci/0000:99:00.0", "--root", root, NULL);
	CHECK_INT(r.status, 1);
	CHECK_STR(r.err, "Error: pci/0000:99:00.0: no such PCI device\n");
	CHECK_STR(r.out, "");
	run_free(&r);

	run_tool(&r, "doctor", "--root", "/nonexistent/vgpu", NULL);
	CHECK_INT(r.status, 1);
	CHECK_STR(r.err, "Error: --root /nonexistent/vgpu: no such directory\n");
	run_free(&r);

	run_tool(&r, "doctor", "--root", "/usr/share", NULL);
	CHECK_INT(r.status, 1);
	CHECK_STR(r.err, "Error: --root /usr/share: no sys/ or proc/ in it (a root needs both)\n");
	run_free(&r);

	run_tool(&r, "doctor", "--root", NULL);
	CHECK_INT(r.status, 2);
	CHECK(!strncmp(r.err, "Error: --root needs a directory\nUsage: vgpu-nl doctor [DEV] [--root DIR]\n", 200));
	run_free(&r);

	run_tool(&r, "doctor", "gpu0", NULL);
	CHECK_INT(r.status, 2);
	CHECK(strstr(r.err, "Error: malformed device handle 'gpu0'"));
	run_free(&r);

	run_tool(&r, "doctor", "00:02.0", "00:03.0", NULL);
	CHECK_INT(r.status, 2);
	CHECK(strstr(r.err, "Error: unexpected argument '00:03.0'"));
	run_free(&r);

	run_tool(&r, "doctor", "--fast", NULL);
	CHECK_INT(r.status, 2);
	CHECK(strstr(r.err, "Error: unknown option '--fast'"));
	run_free(&r);

	run_tool(&r, "doctor", "help", NULL);
	CHECK_INT(r.status, 0);
	CHECK(!strncmp(r.out, "Usage: vgpu-nl doctor [DEV] [--root DIR]\n", 41));
	CHECK(strstr(r.out, "\"findings\""));
	run_free(&r);
	rmroot();
}

/*
 * An AMD host: AMD-Vi (ivhd0) is on without intel_iommu=on, interrupts
 * are remapped by it, and the GPU's group is named member by member.
 */
TEST(doctor_amd_host_and_group_members)
{
	mkroot("amd-passthrough");
	expect(0, "ok", "iommu", "host",
	       "AMD-Vi ivhd0 in /sys/class/iommu; /sys/kernel/iommu_groups has 1", NULL);
	expect(0, "ok", "interrupt-remapping", "host",
	       "in use: 1 interrupts through IR- chips in /proc/interrupts", NULL);
	expect(0, "ok", "cmdline", "host",
	       "/proc/cmdline has iommu=pt (AMD-Vi is on by default: no intel_iommu= needed)",
	       NULL);
	expect(0, "warn", "iommu-group", "pci/0000:01:00.0",
	       "group 12 also holds 3 devices, which matter when the whole GPU goes to a VM (VFs and mdevs do not care): "
	       "0000:01:00.1 (audio 10de:22eb, driver snd_hda_intel): a function of the same card, it goes to the VM with it; "
	       "0000:00:01.1 (PCI bridge 1022:14db, driver pcieport): the bridge above it, it stays with the host (VFIO allows bridges in the group); "
	       "0000:02:00.0 (network 10ec:8125, driver r8169): a host driver has it, so VFIO refuses the group: pass it to the same VM too (bind it to vfio-pci), or move the card to a slot with its own IOMMU group",
	       "to give the GPU to a VM whole, pass that device to the same VM too, or move the card to a slot with its own IOMMU group; pcie_acs_override (vgpu-nl host plan passthrough 0000:01:00.0 --acs-override) splits groups but gives up the isolation between those devices");
	/* Without the NIC, only the bridge and the card's own audio: ok. */
	shell("rm -r sys/bus/pci/devices/0000:02:00.0 sys/kernel/iommu_groups/12/devices/0000:02:00.0");
	expect(0, "ok", "iommu-group", "pci/0000:01:00.0",
	       "group 12 also holds 2 devices", NULL);
	/* No interrupt through AMD-Vi's remapping: VFIO would refuse. */
	put("proc/interrupts", " 24: 0 PCI-MSI 49152-edge PCIe PME\n");
	expect(1, "fail", "interrupt-remapping", "host",
	       "not in use: AMD-Vi (ivhd0) is on but no interrupt in /proc/interrupts goes through an IR- chip",
	       "AMD-Vi remaps interrupts when the firmware's IVRS table allows it: update the firmware, enable the IOMMU option in its setup (not just \"auto\"), remove any amd_iommu= or intremap= parameter; dmesg | grep AMD-Vi should then say \"Interrupt remapping enabled\"");
	/* amd_iommu=off: the fix names it, intel_iommu is never asked for. */
	put("proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 amd_iommu=off\n");
	shell("rm -r sys/class/iommu sys/kernel/iommu_groups");
	expect(1, "fail", "iommu", "host", "off: nothing in /sys/class/iommu",
	       "remove amd_iommu=off from the kernel command line and reboot (AMD-Vi is on by default)");
	expect(1, "fail", "cmdline", "host",
	       "/proc/cmdline has amd_iommu=off: AMD-Vi, on by default, is turned off",
	       "remove amd_iommu=off from the kernel command line (vgpu-nl host plan passthrough does), then reboot");
	rmroot();
}
