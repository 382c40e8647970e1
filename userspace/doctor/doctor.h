/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doctor.h - "vgpu-nl doctor": the state every check shares and the
 * findings they add
 *
 * Doctor reads only files (sysfs, procfs, /boot, /etc, /lib/modules,
 * /var/lib/dkms, /usr/src), through the host layer (host/rootfs.h and
 * what is built on it), all below a root that is "/" on a real host and a
 * fake tree in the tests (--root DIR), so that every finding can be
 * produced without the hardware. It never needs the vgpu_nl module.
 */
#ifndef VGPU_NL_DOCTOR_H
#define VGPU_NL_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "host/platform.h"
#include "host/bootloader.h"
#include "host/cpu.h"
#include "host/modules.h"
#include "host/pci.h"
#include "host/rootfs.h"
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
	const struct gpu_platform *plat;	/* Intel and in the table */
	const char *macro;
	unsigned int modes;		/* GPU_MODE_*: what it allows */
	bool has_totalvfs;		/* sriov_totalvfs exists */
	unsigned int totalvfs, numvfs;
	bool has_mdev;			/* mdev_supported_types exists */
};

struct doctor {
	char *cmdline;			/* /proc/cmdline, "" if unreadable */
	char kver[128];			/* the running kernel's release */
	bool intel_cpu;
	bool amd_cpu;			/* AMD-Vi: on by default */
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

/*
 * The fix that puts @params on the kernel command line, naming the file
 * to edit on this host: the boot loader host/bootloader.h finds, the one
 * "vgpu-nl host plan" edits.
 */
char *dr_boot_fix(const char *params);

/* The checks, in the order they print. */
void doctor_check_iommu(struct doctor *d);
void doctor_check_host_cmdline(struct doctor *d);
int doctor_find_gpus(struct doctor *d, const char *dev);
void doctor_check_gpu(struct doctor *d, const struct doctor_gpu *g);
void doctor_check_groups(struct doctor *d, const struct doctor_gpu *g);
void doctor_check_xe(struct doctor *d, const struct doctor_gpu *g);
void doctor_check_modules(struct doctor *d);
void doctor_check_dkms(struct doctor *d);
void doctor_check_secure_boot(struct doctor *d);

#endif
