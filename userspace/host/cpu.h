/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpu.h - the host's CPU vendor, from /proc/cpuinfo under the root
 * (host/rootfs.h): it decides the IOMMU's kernel parameters, which
 * "host plan" sets and "doctor" checks
 *
 * Intel's VT-d is off unless intel_iommu=on is given (Debian's kernels
 * are built without CONFIG_INTEL_IOMMU_DEFAULT_ON); AMD-Vi is on by
 * default and amd_iommu=off turns it off. Hygon's CPUs are AMD's design.
 */
#ifndef VGPU_NL_HOST_CPU_H
#define VGPU_NL_HOST_CPU_H

enum cpu_vendor {
	CPU_UNKNOWN,	/* no /proc/cpuinfo, or another vendor */
	CPU_INTEL,	/* GenuineIntel */
	CPU_AMD,	/* AuthenticAMD, HygonGenuine */
};

/* The vendor_id of the first CPU in /proc/cpuinfo. */
enum cpu_vendor cpu_vendor(void);

/* "Intel", "AMD" or "unknown", for messages. */
const char *cpu_vendor_name(enum cpu_vendor v);

#endif
