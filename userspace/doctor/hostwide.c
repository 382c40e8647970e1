// SPDX-License-Identifier: GPL-2.0
/*
 * hostwide.c - host-wide findings: the IOMMU part of the kernel command
 * line, the modules vGPUs need (loaded now, and loaded at boot), Secure
 * Boot and the enrollment of DKMS's signing key
 */
#define _GNU_SOURCE	/* memmem() */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor/doctor.h"

void doctor_check_host_cmdline(struct doctor *d)
{
	char missing[64] = "", buf[64];
	bool need_on = d->intel_cpu && !d->iommu_on &&
		       !cmdline_has(d->cmdline, "intel_iommu=on");

	if (d->amd_cpu && cmdline_value(d->cmdline, "amd_iommu", buf, sizeof(buf)) &&
	    strstr(buf, "off")) {
		dr_add(d, "cmdline", DOCTOR_FAIL, "host",
		       dr_fmt("/proc/cmdline has amd_iommu=%s: AMD-Vi, on by default, is turned off",
			      buf),
		       dr_fmt("remove amd_iommu=off from the kernel command line (vgpu-nl host plan passthrough does), then reboot"));
		return;
	}
	if (need_on)
		strcat(missing, " intel_iommu=on");
	/* Host devices skip translation; VMs keep their isolation. */
	if (!cmdline_has(d->cmdline, "iommu=pt"))
		strcat(missing, " iommu=pt");
	if (!missing[0])
		dr_add(d, "cmdline", DOCTOR_OK, "host",
		       dr_fmt("/proc/cmdline has%s iommu=pt%s",
			      cmdline_has(d->cmdline, "intel_iommu=on") ?
			      " intel_iommu=on" : "",
			      d->amd_cpu ? " (AMD-Vi is on by default: no intel_iommu= needed)" : ""),
		       NULL);
	else
		dr_add(d, "cmdline", need_on ? DOCTOR_FAIL : DOCTOR_WARN, "host",
		       dr_fmt("/proc/cmdline lacks%s%s", missing,
			      need_on ? "" : " (advisable: host devices then skip IOMMU translation)"),
		       dr_boot_fix(missing + 1));
}

/* A module that loads @name as a dependency and is itself listed. */
static char *listed_holder(const char *name)
{
	char **holders, *where = NULL, *found = NULL;
	int i, n;

	n = rootfs_list(&holders, "/sys/module/%s/holders", name);
	for (i = 0; i < n && !found; i++) {
		where = modules_listed(holders[i], NULL);
		if (where)
			found = dr_fmt("%s (in %s)", holders[i], where);
		free(where);
	}
	rootfs_list_free(holders, n);
	return found;
}

static void check_module(struct doctor *d, const char *name, bool required,
			 const char *why)
{
	char *where, *holder;

	if (!modules_loaded(name, d->kver)) {
		dr_add(d, "module", required ? DOCTOR_FAIL : DOCTOR_WARN, name,
		       dr_fmt("not loaded (no /sys/module/%s); %s", name, why),
		       dr_fmt("modprobe %s, and add %s to /etc/modules", name,
			      name));
		return;
	}
	if (!rootfs_exists("/sys/module/%s/initstate", name) &&
	    !rootfs_exists("/sys/module/%s/holders", name)) {
		dr_add(d, "module", DOCTOR_OK, name,
		       dr_fmt("built into the kernel"), NULL);
		return;
	}
	where = modules_listed(name, NULL);
	holder = where ? NULL : listed_holder(name);
	if (where || holder)
		dr_add(d, "module", DOCTOR_OK, name,
		       dr_fmt("loaded, and at boot: %s%s", where ? "listed in " : "needed by ",
			      where ? where : holder), NULL);
	else
		dr_add(d, "module", DOCTOR_WARN, name,
		       dr_fmt("loaded, but not in /etc/modules or a modules-load.d/*.conf: missing after a reboot until something loads it"),
		       dr_fmt("add %s to /etc/modules", name));
	free(where);
	free(holder);
}

void doctor_check_modules(struct doctor *d)
{
	bool gvt = false, intel_gvt = false;
	size_t i;

	for (i = 0; i < d->ngpus; i++) {
		gvt |= d->gpus[i].modes & GPU_MODE_GVT;
		intel_gvt |= d->gpus[i].plat &&
			     d->gpus[i].modes & GPU_MODE_GVT;
	}
	check_module(d, "vgpu_nl", false,
		     "vgpu-nl's dev, vf, type and mdev commands need it");
	if (intel_gvt)
		check_module(d, "kvmgt", true,
			     "i915 offers GVT-g mdev types only with kvmgt");
	if (gvt)
		check_module(d, "mdev", false, "mdevs need it");
	check_module(d, "vfio", false, "VMs get VFs, mdevs and GPUs through VFIO");
	check_module(d, "vfio_iommu_type1", false,
		     "VFIO's IOMMU backend for QEMU");
	check_module(d, "vfio_pci", false, "VFs and passed-through GPUs are bound to vfio-pci");
}

#define EFI_VARS	"/sys/firmware/efi/efivars/"
#define SECURE_BOOT	EFI_VARS "SecureBoot-8be4df61-93ca-11d2-aa0d-e0f6c7b9a63e"
#define MOK_LIST_RT	EFI_VARS "MokListRT-605dab50-e046-4293-a97a-76c2e6df45dd"
#define MOK_VARS	"/sys/firmware/efi/mok-variables/MokListRT"
#define DKMS_KEY	"/var/lib/dkms/mok.pub"

/* A whole file as bytes (malloc'ed), or NULL. */
static unsigned char *read_bytes(const char *path, size_t *len)
{
	unsigned char *buf;

	return rootfs_read_bytes(&buf, len, "%s", path) ? NULL : buf;
}

static int b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* A PEM certificate's DER bytes, in place; DER stays as it is. */
static void pem_to_der(unsigned char *buf, size_t *len)
{
	unsigned char *p, *end = buf + *len, *out = buf;
	unsigned int acc = 0;
	int bits = 0, v;

	if (*len < 11 || memcmp(buf, "-----BEGIN", 10))
		return;
	p = memchr(buf, '\n', *len);
	for (p = p ? p + 1 : end; p < end && *p != '-'; p++) {
		v = b64(*p);
		if (v < 0)
			continue;
		acc = acc << 6 | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*out++ = acc >> bits;
		}
	}
	*len = out - buf;
}

/* Whether the DKMS key is among the enrolled keys (the EFI signature list). */
static bool key_enrolled(const unsigned char *key,
			 size_t klen, const char **source)
{
	static const char *const lists[] = { MOK_VARS, MOK_LIST_RT };
	unsigned char *mok;
	size_t i, len;
	bool found;

	for (i = 0; i < 2; i++) {
		mok = read_bytes(lists[i], &len);
		if (!mok)
			continue;
		*source = lists[i];
		found = klen && memmem(mok, len, key, klen);
		free(mok);
		return found;
	}
	*source = NULL;
	return false;
}

void doctor_check_secure_boot(struct doctor *d)
{
	unsigned char *sb, *key;
	const char *source;
	size_t len, klen;
	bool on;

	if (!rootfs_exists("/sys/firmware/efi")) {
		dr_add(d, "secure-boot", DOCTOR_OK, "host",
		       dr_fmt("legacy BIOS boot (no /sys/firmware/efi): no Secure Boot, unsigned modules load"),
		       NULL);
		return;
	}
	sb = read_bytes(SECURE_BOOT, &len);
	/* 4 bytes of attributes, then the value. */
	on = sb && len >= 5 && sb[4] == 1;
	free(sb);
	if (!on) {
		dr_add(d, "secure-boot", DOCTOR_OK, "host",
		       dr_fmt("off (%s)", SECURE_BOOT), NULL);
		return;
	}
	dr_add(d, "secure-boot", DOCTOR_OK, "host",
	       dr_fmt("on (%s): DKMS modules must be signed with an enrolled key",
		      SECURE_BOOT), NULL);
	key = read_bytes(DKMS_KEY, &klen);
	if (!key) {
		dr_add(d, "mok", DOCTOR_WARN, "host",
		       dr_fmt("no DKMS signing key (%s) yet: DKMS makes it on its first build",
			      DKMS_KEY),
		       dr_fmt("after the first DKMS build: mokutil --import %s, reboot and enroll it in MokManager",
			      DKMS_KEY));
		return;
	}
	pem_to_der(key, &klen);
	if (key_enrolled(key, klen, &source))
		dr_add(d, "mok", DOCTOR_OK, "host",
		       dr_fmt("%s is enrolled (found in %s)", DKMS_KEY, source),
		       NULL);
	else
		dr_add(d, "mok", DOCTOR_FAIL, "host",
		       dr_fmt("%s is not enrolled (%s): the kernel refuses the modules DKMS signs with it",
			      DKMS_KEY, source ? source : "no MokListRT in /sys/firmware/efi"),
		       dr_fmt("mokutil --import %s, reboot and enroll it in MokManager",
			      DKMS_KEY));
	free(key);
}
