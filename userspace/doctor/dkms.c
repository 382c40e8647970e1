// SPDX-License-Identifier: GPL-2.0
/*
 * dkms.c - whether DKMS has built vgpu-nl (and i915-sriov-dkms,
 * where a GPU needs it) for every installed kernel
 *
 * Read from DKMS's tree, as "dkms status" does: a package is added when
 * /var/lib/dkms/PKG/VER exists, built for K when
 * /var/lib/dkms/PKG/VER/K/ARCH/module/MOD.ko* does, installed when
 * /lib/modules/K/updates/dkms/MOD.ko* does. A kernel is installed when
 * /boot/vmlinuz-K or /lib/modules/K/modules.dep exists; it has headers
 * when /lib/modules/K/build does. A kernel that the package excludes
 * (BUILD_EXCLUSIVE_KERNEL in /usr/src/PKG-VER/dkms.conf) needs nothing.
 */
#define _GNU_SOURCE	/* strverscmp() */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor/doctor.h"

struct dkms_pkg {
	const char *name;	/* DKMS PACKAGE_NAME */
	const char *module;	/* the module it builds */
};

static const char *const ko_suffixes[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };

static bool has_ko(const char *dir, const char *mod)
{
	size_t i;

	for (i = 0; i < sizeof(ko_suffixes) / sizeof(ko_suffixes[0]); i++)
		if (rootfs_exists("%s/%s%s", dir, mod, ko_suffixes[i]))
			return true;
	return false;
}

/* Built in DKMS's tree for @kver, whatever the architecture directory. */
static bool built(const struct dkms_pkg *p,
		  const char *ver, const char *kver)
{
	char dir[1024], **arch;
	bool found = false;
	int i, n;

	n = rootfs_list(&arch, "/var/lib/dkms/%s/%s/%s", p->name, ver, kver);
	for (i = 0; i < n && !found; i++) {
		snprintf(dir, sizeof(dir), "/var/lib/dkms/%s/%s/%s/%s/module",
			 p->name, ver, kver, arch[i]);
		found = has_ko(dir, p->module);
	}
	rootfs_list_free(arch, n);
	return found;
}

/* Whether the package's BUILD_EXCLUSIVE_KERNEL regex leaves @kver out. */
static bool excluded(const struct dkms_pkg *p,
		     const char *ver, const char *kver, char *re, size_t len)
{
	char *conf = rootfs_text("/usr/src/%s-%s/dkms.conf", p->name, ver);
	char *line;
	size_t n;
	regex_t rx;
	bool out = false;

	re[0] = '\0';
	line = conf ? strstr(conf, "BUILD_EXCLUSIVE_KERNEL=") : NULL;
	if (line) {
		line += strlen("BUILD_EXCLUSIVE_KERNEL=");
		line += *line == '"';
		n = strcspn(line, "\"\n");
		snprintf(re, len, "%.*s", (int)n, line);
		if (re[0] && !regcomp(&rx, re, REG_EXTENDED | REG_NOSUB)) {
			out = regexec(&rx, kver, 0, NULL, 0) != 0;
			regfree(&rx);
		}
	}
	free(conf);
	return out;
}

/* Whether /lib/modules/@kver is a kernel that is installed. */
static bool kernel_installed(const char *kver)
{
	return rootfs_exists("/boot/vmlinuz-%s", kver) ||
	       rootfs_exists("/lib/modules/%s/modules.dep", kver);
}

static const char *headers_pkg(const char *kver)
{
	/* Proxmox VE kernels end in -pve and have their own headers. */
	size_t n = strlen(kver);

	return n > 4 && !strcmp(kver + n - 4, "-pve") ? "proxmox-headers-" :
							 "linux-headers-";
}

static void check_kernel(struct doctor *d, const struct dkms_pkg *p,
			 const char *ver, const char *kver)
{
	char subject[256], re[128], dir[300];
	/* A kernel at least as new as this one is what boots next. */
	bool next = strverscmp(kver, d->kver) >= 0;
	enum doctor_status bad = next ? DOCTOR_FAIL : DOCTOR_WARN;
	bool headers, b, inst;

	snprintf(subject, sizeof(subject), "%s/%s", p->name, kver);
	snprintf(dir, sizeof(dir), "/lib/modules/%s/updates/dkms", kver);
	inst = has_ko(dir, p->module);
	b = built(p, ver, kver);
	headers = rootfs_exists("/lib/modules/%s/build", kver);
	if (inst) {
		dr_add(d, "dkms", DOCTOR_OK, subject,
		       dr_fmt("%s %s installed: %s/%s.ko*", p->name, ver, dir,
			      p->module),
		       NULL);
	} else if (excluded(p, ver, kver, re, sizeof(re))) {
		dr_add(d, "dkms", DOCTOR_OK, subject,
		       dr_fmt("%s %s does not support %s (BUILD_EXCLUSIVE_KERNEL=\"%s\")",
			      p->name, ver, kver, re),
		       NULL);
	} else if (!headers) {
		dr_add(d, "dkms", bad, subject,
		       dr_fmt("%s has no headers (/lib/modules/%s/build missing): DKMS cannot build %s %s for it",
			      kver, kver, p->name, ver),
		       dr_fmt("apt install %s%s (DKMS then builds %s for it)",
			      headers_pkg(kver), kver, p->name));
	} else if (b) {
		dr_add(d, "dkms", bad, subject,
		       dr_fmt("%s %s is built for %s but not installed (no %s/%s.ko*)",
			      p->name, ver, kver, dir, p->module),
		       dr_fmt("dkms install %s/%s -k %s", p->name, ver, kver));
	} else {
		dr_add(d, "dkms", bad, subject,
		       dr_fmt("%s %s is not built for %s (headers present; no %s.ko in /var/lib/dkms/%s/%s/%s or %s)",
			      p->name, ver, kver, p->module, p->name, ver,
			      kver, dir),
		       dr_fmt("dkms autoinstall -k %s", kver));
	}
}

/* The versions added to DKMS (directories other than kernel-* links). */
static int versions(const char *name, char ***v)
{
	int i, n = rootfs_list(v, "/var/lib/dkms/%s", name), m = 0;

	for (i = 0; i < n; i++) {
		if (!strncmp((*v)[i], "kernel-", 7) ||
		    !strcmp((*v)[i], "original_module") ||
		    !rootfs_exists("/var/lib/dkms/%s/%s/source", name, (*v)[i]))
			free((*v)[i]);
		else
			(*v)[m++] = (*v)[i];
	}
	return n < 0 ? -1 : m;
}

static void check_pkg(struct doctor *d, const struct dkms_pkg *p,
		      bool needed, const char *need_fix)
{
	/* i915 is loaded either way: only our module tells by its name. */
	bool loaded = !strcmp(p->module, "vgpu_nl") &&
		      modules_loaded(p->module, d->kver);
	char **vers, **kernels;
	int i, j, nv, nk;

	nv = versions(p->name, &vers);
	if (nv <= 0) {
		if (needed)
			dr_add(d, "dkms", loaded ? DOCTOR_WARN : DOCTOR_FAIL,
			       p->name,
			       dr_fmt("%s is not in DKMS (no /var/lib/dkms/%s/VERSION/source)%s",
				      p->name, p->name,
				      loaded ? ": the module is loaded, but no new kernel will get it" : ""),
			       dr_fmt("%s", need_fix));
		rootfs_list_free(vers, nv < 0 ? 0 : nv);
		return;
	}
	nk = rootfs_list(&kernels, "/lib/modules");
	for (i = 0; i < nv; i++)
		for (j = 0; j < nk; j++)
			if (kernel_installed(kernels[j]))
				check_kernel(d, p, vers[i], kernels[j]);
	rootfs_list_free(kernels, nk);
	rootfs_list_free(vers, nv);
}

void doctor_check_dkms(struct doctor *d)
{
	static const struct dkms_pkg vgpu = { "vgpu-nl", "vgpu_nl" };
	static const struct dkms_pkg i915 = { "i915-sriov-dkms", "i915" };
	bool want_i915 = false;
	size_t i;

	for (i = 0; i < d->ngpus; i++)
		want_i915 |= d->gpus[i].plat &&
			     d->gpus[i].modes & GPU_MODE_SRIOV &&
			     d->gpus[i].plat->sriov == GPU_SRIOV_I915_DKMS &&
			     strcmp(d->gpus[i].driver, "xe");
	check_pkg(d, &vgpu, true,
		  "install it through DKMS: make install in the vgpu-nl checkout (or apt install ./vgpu-nl-dkms_*.deb)");
	check_pkg(d, &i915, want_i915,
		  "install i915-sriov-dkms (apt install ./i915-sriov-dkms_*.deb from its releases)");
}
