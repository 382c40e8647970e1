/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915_ids.h - the Intel GPU id table (generated, i915_ids.c) and
 * what each platform allows
 */
#ifndef VGPU_NL_DOCTOR_I915_IDS_H
#define VGPU_NL_DOCTOR_I915_IDS_H

/* One PCI device id and the i915_pciids.h macro listing it, "CML_GT2". */
struct doctor_i915_id {
	unsigned int device;
	const char *macro;
};

extern const struct doctor_i915_id doctor_i915_ids[];
extern const unsigned int doctor_i915_ids_count;

/* Modes a GPU allows (a bit mask). */
#define DOCTOR_MODE_GVT		0x1	/* GVT-g mdevs */
#define DOCTOR_MODE_SRIOV	0x2	/* SR-IOV VFs */

/* Which driver gives an SR-IOV platform its VFs. */
enum doctor_sriov_driver {
	DOCTOR_SRIOV_NONE,
	DOCTOR_SRIOV_I915_DKMS,	/* i915-sriov-dkms (also xe, where it can) */
	DOCTOR_SRIOV_XE,	/* upstream xe only */
};

struct doctor_platform {
	const char *prefix;	/* of the macro name: "CML" */
	const char *name;	/* "Comet Lake" */
	const char *gen;	/* "9.5" */
	unsigned int modes;
	enum doctor_sriov_driver sriov;
};

/* The platform of an Intel device id, or NULL; *@macro gets the macro. */
const struct doctor_platform *doctor_platform_of(unsigned int device,
						 const char **macro);

#endif
