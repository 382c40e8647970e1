// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_bootcfg.c - libFuzzer target: the boot loader's files as "host
 * plan" edits them (host/bootloader.c): /etc/default/grub and
 * /etc/kernel/cmdline, written by hand, so anything
 *
 * The first byte picks the file kind and a mode's parameter list (those
 * of "host plan"); the rest is the file. Properties besides memory
 * errors: an edited file, edited again, does not change (a second "host
 * apply" of the same mode changes nothing), and it then holds every
 * parameter the mode wants (as doctor reads it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/bootloader.h"

static const struct cmdline_param sriov[] = {
	{ "intel_iommu", "on", true, "off" },
	{ "iommu", "pt", false, NULL },
	{ "i915.enable_guc", "3", false, NULL },
	{ "i915.max_vfs", "7", false, NULL },
	{ "i915.enable_gvt", NULL, false, NULL },
};

static const struct cmdline_param gvt[] = {
	{ "intel_iommu", "on", true, "off" },
	{ "iommu", "pt", false, NULL },
	{ "i915.enable_gvt", "1", false, NULL },
	{ "i915.enable_guc", NULL, false, NULL },
	{ "i915.max_vfs", NULL, false, NULL },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_cfg cfg = { .name = "fuzz", .hook = "none" };
	const struct cmdline_param *want;
	const char *why, *params;
	char *text, *once = NULL, *twice = NULL;
	size_t n;

	if (size < 1)
		return 0;
	cfg.loader = data[0] & 1 ? BOOT_SYSTEMD : BOOT_GRUB;
	cfg.path = data[0] & 1 ? "/etc/kernel/cmdline" : "/etc/default/grub";
	want = data[0] & 2 ? gvt : sriov;
	n = data[0] & 2 ? sizeof(gvt) / sizeof(gvt[0]) : sizeof(sriov) / sizeof(sriov[0]);
	params = data[0] & 2 ? "iommu=pt i915.enable_gvt=1" :
		 "iommu=pt i915.enable_guc=3 i915.max_vfs=7";
	/* A file with a NUL byte is refused before it gets here. */
	text = strndup((const char *)data + 1, size - 1);
	if (!text)
		return 0;
	if (!bootcfg_edit(&cfg, text, want, n, &once, &why)) {
		if (bootcfg_edit(&cfg, once, want, n, &twice, &why)) {
			fprintf(stderr, "the edited file is refused: %s\n%s", why, once);
			abort();
		}
		if (strcmp(once, twice)) {
			fprintf(stderr, "second edit changes:\n%s---\n%s", once, twice);
			abort();
		}
		if (!bootcfg_holds(&cfg, once, params)) {
			fprintf(stderr, "edited file lacks %s:\n%s", params, once);
			abort();
		}
	}
	bootcfg_holds(&cfg, text, params);
	free(text);
	free(once);
	free(twice);
	return 0;
}
