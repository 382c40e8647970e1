/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doctor.h - "vgpu-nl doctor": the state every check shares, the findings
 * they add and the root-relative file helpers they read the host with
 *
 * Doctor reads only files (sysfs, procfs, /boot, /etc, /lib/modules,
 * /var/lib/dkms, /usr/src), all below a root that is "/" on a real host
 * and a fake tree in the tests (--root DIR), so that every finding can be
 * produced without the hardware. It never needs the vgpu_nl module.
 */
#ifndef VGPU_NL_DOCTOR_H
#define VGPU_NL_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "doctor/i915_ids.h"
#include "vgpu_nl.h"

enum doctor_status {
	DOCTOR_OK,
	DOCTOR_WARN,
	DOCTOR_FAIL,
};

struct doctor_finding {
	const char *check;	/* "iommu", "driver", ... (static) */
	enum doctor_status status;
	char *subject;		/* "host", "pci/0000:00:02.0", "kvmgt", "vgpu-nl/KVER" */
	char *evidence;		/* what was seen, and where */
	char *fix;		/* what to do; NULL when nothing is to be done */
};

/* A GPU (or managed device) under examination. */
struct doctor_gpu {
	char name[16];			/* "0000:00:02.0", its sysfs name */
	char handle[VGPU_HANDLE_MAX];	/* "pci/0000:00:02.0" */
	unsigned int vendor, device, class;
	char driver[64];		/* "" when none is bound */
	bool managed;			/* listed in /sys/kernel/vgpu_nl/ */
	const struct doctor_platform *plat;	/* Intel and in the table */
	const char *macro;
	unsigned int modes;		/* DOCTOR_MODE_*: what it allows */
	bool has_totalvfs;		/* sriov_totalvfs exists */
	unsigned int totalvfs, numvfs;
	bool has_mdev;			/* mdev_supported_types exists */
};

struct doctor {
	const char *root;		/* "" for the real root */
	char *cmdline;			/* /proc/cmdline, "" if unreadable */
	char kver[128];			/* the running kernel's release */
	bool intel_cpu;
	bool iommu_on;
	struct doctor_gpu *gpus;
	size_t ngpus;
	struct doctor_finding *f;
	size_t n, cap;
	bool nomem;			/* a finding could not be recorded */
};

/* Adds a finding; takes @evidence and @fix (from dr_fmt(), may be NULL). */
void dr_add(struct doctor *d, const char *check, enum doctor_status status,
	    const char *subject, char *evidence, char *fix);
/* A malloc'ed formatted string; NULL when memory ran out. */
__attribute__((format(printf, 1, 2))) char *dr_fmt(const char *fmt, ...);

/* root + the formatted path into @buf. */
__attribute__((format(printf, 4, 5)))
void dr_path(const struct doctor *d, char *buf, size_t len, const char *fmt, ...);
/* The file's content without its trailing newline (malloc'ed), or NULL. */
__attribute__((format(printf, 2, 3)))
char *dr_read(const struct doctor *d, const char *fmt, ...);
/* A decimal or 0x-hex number from a file; false if none. */
__attribute__((format(printf, 3, 4)))
bool dr_read_uint(const struct doctor *d, unsigned int *v, const char *fmt, ...);
/* Whether the path exists (the last component is not followed). */
__attribute__((format(printf, 2, 3)))
bool dr_exists(const struct doctor *d, const char *fmt, ...);
/* The last component of a symlink's target into @out; false if no link. */
__attribute__((format(printf, 4, 5)))
bool dr_link_name(const struct doctor *d, char *out, size_t len,
		  const char *fmt, ...);
/*
 * A directory's entries, sorted, without "." and ".."; the count or -1.
 * Free with dr_list_free().
 */
__attribute__((format(printf, 3, 4)))
int dr_list(const struct doctor *d, char ***names, const char *fmt, ...);
void dr_list_free(char **names, int n);

/* Whether /proc/cmdline has the word @word ("iommu=pt"). */
bool dr_cmdline_has(const struct doctor *d, const char *word);
/* The value of the last "@key=" word of /proc/cmdline, or NULL (in @buf). */
const char *dr_cmdline_value(const struct doctor *d, const char *key,
			     char *buf, size_t len);
/*
 * The fix that puts @params on the kernel command line, naming the file
 * to edit on this host (GRUB or Proxmox's /etc/kernel/cmdline).
 */
char *dr_boot_fix(const struct doctor *d, const char *params);

/* Module @name loaded (/sys/module) or built in (modules.builtin). */
bool dr_module_loaded(const struct doctor *d, const char *name);

/* The checks, in the order they print. */
void doctor_check_iommu(struct doctor *d);
void doctor_check_host_cmdline(struct doctor *d);
int doctor_find_gpus(struct doctor *d, const char *dev);
void doctor_check_gpu(struct doctor *d, const struct doctor_gpu *g);
void doctor_check_groups(struct doctor *d, const struct doctor_gpu *g);
void doctor_check_modules(struct doctor *d);
void doctor_check_dkms(struct doctor *d);
void doctor_check_secure_boot(struct doctor *d);

#endif
