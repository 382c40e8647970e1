// SPDX-License-Identifier: GPL-2.0
/*
 * test_cmdline.c - cmdline_edit() with a parameter that only vetoes an
 * item (amd_iommu: "off" goes, the admin's other items stay, nothing is
 * ever added), as "host plan" uses it on AMD hosts
 */
#include <stdlib.h>

#include "host/bootloader.h"
#include "unit.h"

static const struct cmdline_param amd[] = {
	{ "amd_iommu", NULL, true, "off" },
	{ "iommu", "pt", false, NULL },
};

static void edit(const char *line, const char *want)
{
	unsigned long found = 0;
	char *out = cmdline_edit(line, amd, 2, true, &found);

	CHECK_STR(out, want);
	free(out);
}

TEST(cmdline_veto_only)
{
	edit("root=/dev/sda1 amd_iommu=off", "root=/dev/sda1 iommu=pt");
	edit("amd_iommu=off,fullflush quiet", "amd_iommu=fullflush quiet iommu=pt");
	edit("amd_iommu=fullflush,off", "amd_iommu=fullflush iommu=pt");
	edit("amd-iommu=force_isolation iommu=pt", "amd-iommu=force_isolation iommu=pt");
	edit("amd_iommu quiet iommu=pt", "amd_iommu quiet iommu=pt");
	/* Never added, and the line stays byte for byte when nothing changes. */
	edit("quiet  splash iommu=pt", "quiet  splash iommu=pt");
	edit("", "iommu=pt");
}
