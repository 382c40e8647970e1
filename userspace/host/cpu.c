// SPDX-License-Identifier: GPL-2.0
/*
 * cpu.c - see cpu.h
 */
#include <stdlib.h>
#include <string.h>

#include "host/cpu.h"
#include "host/rootfs.h"

enum cpu_vendor cpu_vendor(void)
{
	char *info = rootfs_text("/proc/cpuinfo"), *p, *end;
	enum cpu_vendor v = CPU_UNKNOWN;
	size_t len;

	/* "vendor_id\t: GenuineIntel": the first line of that name counts. */
	p = info ? strstr(info, "vendor_id") : NULL;
	if (p) {
		p = strchr(p, ':');
		end = p ? strchr(p, '\n') : NULL;
		if (p) {
			p += 1 + strspn(p + 1, " \t");
			len = end ? (size_t)(end - p) : strlen(p);
			if (len == 12 && !strncmp(p, "GenuineIntel", 12))
				v = CPU_INTEL;
			else if (len == 12 && (!strncmp(p, "AuthenticAMD", 12) ||
					       !strncmp(p, "HygonGenuine", 12)))
				v = CPU_AMD;
		}
	}
	free(info);
	return v;
}

const char *cpu_vendor_name(enum cpu_vendor v)
{
	return v == CPU_INTEL ? "Intel" : v == CPU_AMD ? "AMD" : "unknown";
}
