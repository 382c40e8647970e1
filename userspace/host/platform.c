// SPDX-License-Identifier: GPL-2.0
/*
 * platform.c - what an Intel GPU allows, by the pciids.h macro that lists
 * its PCI device id (the table is generated: i915_ids.c, from
 * data/i915_pciids.h by scripts/gen-i915-ids.py; only the platform names
 * and what each allows are written here)
 *
 * GVT-g: Broadwell to Comet Lake, as i915's GVT-g supports them (Whiskey
 * and Amber Lake are i915's Coffee/Kaby Lake). SR-IOV: gen12 and later,
 * through i915-sriov-dkms up to Arrow Lake, xe alone from Battlemage on.
 * xe's own view (Linux 7.3, drivers/gpu/drm/xe/xe_pci.c): which of them
 * it can run as an SR-IOV PF (has_sriov: Tiger Lake, Alder/Raptor Lake,
 * Arctic Sound-M, Battlemage, Panther/Wildcat Lake, Nova Lake, Crescent
 * Island; not Rocket Lake, Meteor/Arrow Lake or Lunar Lake) and which it
 * binds only with xe.force_probe (require_force_probe).
 * Longest prefix wins ("AML_CFL" before "CFL").
 */
#include <stddef.h>
#include <string.h>

#include "host/platform.h"

#define GVT	GPU_MODE_GVT
#define SRIOV	GPU_MODE_SRIOV
#define I915S	GPU_SRIOV_I915_DKMS
#define XE	GPU_SRIOV_XE

static const struct gpu_platform platforms[] = {
	{ "BDW", "Broadwell", "8", GVT, 0, false, false },
	{ "CHV", "Cherryview", "8", 0, 0, false, false },
	{ "SKL", "Skylake", "9", GVT, 0, false, false },
	{ "BXT", "Broxton", "9", GVT, 0, false, false },
	{ "GLK", "Gemini Lake", "9", 0, 0, false, false },
	{ "KBL", "Kaby Lake", "9.5", GVT, 0, false, false },
	{ "AML_KBL", "Amber Lake (Kaby Lake)", "9.5", GVT, 0, false, false },
	{ "CFL", "Coffee Lake", "9.5", GVT, 0, false, false },
	{ "AML_CFL", "Amber Lake (Coffee Lake)", "9.5", GVT, 0, false, false },
	{ "WHL", "Whiskey Lake", "9.5", GVT, 0, false, false },
	{ "CML", "Comet Lake", "9.5", GVT, 0, false, false },
	{ "CNL", "Cannon Lake", "10", 0, 0, false, false },
	{ "ICL", "Ice Lake", "11", 0, 0, false, false },
	{ "EHL", "Elkhart Lake", "11", 0, 0, false, false },
	{ "JSL", "Jasper Lake", "11", 0, 0, false, false },
	{ "TGL", "Tiger Lake", "12", SRIOV, I915S, true, true },
	{ "RKL", "Rocket Lake", "12", SRIOV, I915S, false, true },
	{ "DG1", "DG1", "12", 0, 0, false, true },
	{ "ADLS", "Alder Lake-S", "12", SRIOV, I915S, true, true },
	{ "ADLP", "Alder Lake-P", "12", SRIOV, I915S, true, true },
	{ "ADLN", "Alder Lake-N", "12", SRIOV, I915S, true, true },
	{ "RPLS", "Raptor Lake-S", "12", SRIOV, I915S, true, true },
	{ "RPLU", "Raptor Lake-U", "12", SRIOV, I915S, true, true },
	{ "RPLP", "Raptor Lake-P", "12", SRIOV, I915S, true, true },
	{ "DG2", "DG2 (Arc Alchemist)", "12.55", 0, 0, false, true },
	{ "ATS_M", "Arctic Sound-M (Data Center GPU Flex)", "12.55", SRIOV, I915S,
	  true, true },
	{ "PVC", "Ponte Vecchio", "12.60", 0, 0, false, false },
	{ "MTL", "Meteor Lake", "12.70", SRIOV, I915S, false, true },
	{ "ARL", "Arrow Lake", "12.74", SRIOV, I915S, false, true },
	{ "LNL", "Lunar Lake", "20", 0, 0, false, false },
	{ "BMG", "Battlemage", "20", SRIOV, XE, true, false },
	{ "PTL", "Panther Lake", "30", SRIOV, XE, true, false },
	{ "WCL", "Wildcat Lake", "30", SRIOV, XE, true, false },
	{ "NVLS", "Nova Lake-S", "35", SRIOV, XE, true, false },
	{ "NVLP", "Nova Lake-P", "35", SRIOV, XE, true, true },
	{ "CRI", "Crescent Island", "35", SRIOV, XE, true, true },
};

/* Anything older than Broadwell: no vGPU mode. */
static const struct gpu_platform older = {
	"", "pre-Broadwell", "<8", 0, 0, false, false,
};

const struct gpu_platform *gpu_platform_of(unsigned int device,
					   const char **macro)
{
	const struct gpu_platform *best = NULL;
	unsigned int lo = 0, hi = gpu_ids_count, mid;
	const char *m = NULL;
	size_t i, n;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (gpu_ids[mid].device == device) {
			m = gpu_ids[mid].macro;
			break;
		}
		if (gpu_ids[mid].device < device)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (macro)
		*macro = m;
	if (!m)
		return NULL;
	for (i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++) {
		n = strlen(platforms[i].prefix);
		if (!strncmp(m, platforms[i].prefix, n) &&
		    (!best || n > strlen(best->prefix)))
			best = &platforms[i];
	}
	return best ? best : &older;
}
