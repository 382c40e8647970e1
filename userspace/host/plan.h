/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plan.h - what a mode (GVT-g, SR-IOV, whole-GPU passthrough) needs
 * changed in a host's boot files: a plan, one struct hs_file per file
 * with its old and new content, for "host plan" to show and
 * host/backup.h to apply
 */
#ifndef VGPU_NL_HOST_PLAN_H
#define VGPU_NL_HOST_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "host/bootloader.h"
#include "host/cpu.h"
#include "host/hooks.h"
#include "host/passdev.h"
#include "host/pci.h"

#define HS_MODULES_FILE	"/etc/modules-load.d/vgpu-nl.conf"
#define HS_VFIO_FILE	"/etc/modprobe.d/vgpu-nl-vfio.conf"
#define HS_XE_FILE	"/etc/modprobe.d/vgpu-nl-xe.conf"
#define HS_MAX_FNS	32
#define HS_MAX_PARAMS	12
#define HS_MAX_NOTES	24

/* One file of a plan. */
struct hs_file {
	const char *path;	/* as the host names it: "/etc/default/grub" */
	char *old;		/* its content now; NULL: it does not exist */
	struct stat st;		/* of the file now, when it exists */
	char *new;		/* what it must hold; NULL: it must go */
	bool initramfs;		/* the initramfs carries it */
};

/* A change: the content differs, or the file comes or goes. */
bool hs_file_changes(const struct hs_file *f);

struct hs_mode {
	const char *name;	/* "gvt", "sriov", "passthrough" */
	const char *what;	/* a line about it */
	const char *const *modules;
	bool passthrough;
};

/* Choices the admin makes explicitly. */
struct hs_opts {
	/* passthrough: kvm ignore_msrs=1 report_ignored_msrs=0, for Windows */
	bool windows_guest;
	/* passthrough: pcie_acs_override=downstream,multifunction (unsafe) */
	bool acs_override;
	const char *driver;	/* sriov: "i915" or "xe"; NULL: as each GPU is */
	unsigned int max_vfs;	/* sriov on xe: the limit; 0: what the GPU has */
};

/* A GPU an SR-IOV plan gives to xe (plan_xe.c). */
struct hs_xe_gpu {
	char name[16];		/* "0000:03:00.0" */
	unsigned int device;
	bool force_probe;	/* xe binds it only with xe.force_probe */
};

/* How vfio-pci takes a passed GPU at boot (host/vfioconf.c decides). */
struct hs_vfio {
	/*
	 * By address (driver_override from vfio-pci's install hook, as
	 * driverctl does) instead of ids= and driver blacklists, because the
	 * host keeps a function with the same id or a GPU of the same vendor.
	 */
	bool by_address;
	char why[512];		/* why by address; "" otherwise */
	bool disable_vga;	/* a VGA GPU that is not the boot display */
	bool boot_display;	/* the firmware's framebuffer is on it */
};

/* The mode called @name, or NULL. */
const struct hs_mode *hs_mode_find(const char *name);

struct hs_plan {
	const struct hs_mode *mode;
	struct hs_opts opts;
	enum cpu_vendor cpu;
	struct cmdline_param params[HS_MAX_PARAMS];	/* the command line's */
	const char *why[HS_MAX_PARAMS];		/* a comment for each */
	size_t nparams;
	char *notes[HS_MAX_NOTES];	/* "what and why" lines the plan prints */
	size_t nnotes;
	struct hs_vfio vfio;
	struct boot_cfg boot;
	struct hs_file files[4];
	size_t nfiles;
	struct pci_fn fns[HS_MAX_FNS];	/* the GPUs, or what passthrough takes */
	size_t nfns;
	struct passdev pass;		/* passthrough: the device and its group */
	struct hs_hooks hooks;
	/* SR-IOV: the GPUs xe takes, and how their VF limit is set. */
	struct hs_xe_gpu xe[HS_MAX_FNS];
	size_t nxe;
	bool i915;			/* some GPU stays with i915 */
	bool xe_configfs;		/* max_vfs per device, in xe's configfs */
	char xe_max_vfs[16];		/* "unlimited" or a number */
	char values[3][128];		/* xe's parameter values for this host */
};

/*
 * The plan of @mode for the host under the root, about @dev
 * ("0000:00:02.0") or every GPU when NULL, with @opts (NULL: none).
 * Returns 0, or -errno after saying what is wrong (pr_err). Free with
 * hs_plan_free().
 */
int hs_plan_make(const struct hs_mode *mode, const char *dev,
		 const struct hs_opts *opts, struct hs_plan *p);

/* Adds a printf-formatted note to @p (dropped when out of room). */
__attribute__((format(printf, 2, 3)))
void hs_plan_note(struct hs_plan *p, const char *fmt, ...);
void hs_plan_free(struct hs_plan *p);

/* How many files the plan changes. */
size_t hs_plan_changes(const struct hs_plan *p);

/*
 * plan_xe.c: which GPUs of an SR-IOV plan xe takes (p->xe, p->i915; a
 * GPU named as @dev, or with a driver in p->opts, that xe cannot make VFs
 * of is an error),
 * their command line parameters (force_probe, xe.max_vfs where xe has no
 * configfs), and HS_XE_FILE, which sets their max_vfs in xe's configfs
 * each time xe loads. Return 0 or -errno after saying why.
 */
int hs_xe_plan(struct hs_plan *p, const char *dev);
int hs_xe_params(struct hs_plan *p);
char *hs_xe_file(const struct hs_plan *p);

/*
 * Whether the running kernel's xe reads a per-device max_vfs from
 * /sys/kernel/config/xe/<BDF>/sriov/max_vfs (Linux 6.19 and later, with
 * configfs); the release it looked at into @kver (may be "").
 */
bool hs_xe_has_configfs(char *kver, size_t len);

#endif
