/* SPDX-License-Identifier: GPL-2.0 */
/*
 * platform.h - Intel GPUs by PCI device id: the id table (generated,
 * i915_ids.c) and what each platform allows, with which driver
 */
#ifndef VGPU_NL_HOST_PLATFORM_H
#define VGPU_NL_HOST_PLATFORM_H

#include <stdbool.h>

/* One PCI device id and the pciids.h macro listing it, "CML_GT2". */
struct gpu_id {
	unsigned int device;
	const char *macro;
};

extern const struct gpu_id gpu_ids[];
extern const unsigned int gpu_ids_count;

/* Modes a GPU allows (a bit mask). */
#define GPU_MODE_GVT	0x1	/* GVT-g mdevs */
#define GPU_MODE_SRIOV	0x2	/* SR-IOV VFs */

/* Which driver gives an SR-IOV platform its VFs by default. */
enum gpu_sriov_driver {
	GPU_SRIOV_NONE,
	GPU_SRIOV_I915_DKMS,	/* i915-sriov-dkms (also xe, where xe_sriov) */
	GPU_SRIOV_XE,		/* upstream xe only */
};

struct gpu_platform {
	const char *prefix;	/* of the macro name: "CML" */
	const char *name;	/* "Comet Lake" */
	const char *gen;	/* "9.5" */
	unsigned int modes;
	enum gpu_sriov_driver sriov;
	/*
	 * xe (Linux 7.3 xe_pci.c): it can be an SR-IOV PF (has_sriov),
	 * and it binds only with xe.force_probe (require_force_probe).
	 */
	bool xe_sriov;
	bool xe_force_probe;
};

/* The platform of an Intel device id, or NULL; *@macro gets the macro. */
const struct gpu_platform *gpu_platform_of(unsigned int device,
					   const char **macro);

#endif
