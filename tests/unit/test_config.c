// SPDX-License-Identifier: GPL-2.0
/*
 * test_config.c - the desired-state file: every parse error with its
 * "FILE:LINE: reason" text, the accepted forms, and the writer's lines
 * parsing back to the same config
 */
#define _GNU_SOURCE	/* fmemopen() */
#include <stdio.h>
#include <stdlib.h>

#include "persist/config.h"
#include "unit.h"

#define PF	"pci/0000:01:00.0"
#define UUID	"3f6c1a2e-4b1d-4c8e-9a57-0e2d5b7c9f10"

/* Parses @n bytes of @text as file "t.conf"; the result, @why the message. */
static int parse_bytes(const char *text, size_t n, struct config *c,
		       char *why, size_t len)
{
	FILE *f = fmemopen((void *)text, n, "r");
	int ret;

	if (!f)
		abort();
	why[0] = '\0';
	ret = config_parse(f, "t.conf", c, why, len);
	fclose(f);
	return ret;
}

static int parse(const char *text, struct config *c, char *why, size_t len)
{
	return parse_bytes(text, strlen(text), c, why, len);
}

static void check_error(const char *text, const char *want, const char *file,
			int line)
{
	struct config c;
	char why[512];
	int ret = parse(text, &c, why, sizeof(why));

	if (ret != CONFIG_ESYNTAX)
		unit_fail(file, line, "parse returned %d, want CONFIG_ESYNTAX", ret);
	if (strcmp(why, want))
		unit_fail(file, line, "error is\n#   \"%s\"\n# want\n#   \"%s\"",
			  why, want);
	config_free(&c);
}

#define CHECK_ERROR(text, want) check_error(text, want, __FILE__, __LINE__)

TEST(config_parses_every_form)
{
	static const char text[] =
		"# vgpu-nl desired state\n"
		"\n"
		"device 01:00.0 numvfs 3 autoprobe off   # a comment\n"
		"   vf " PF "/1 driver vfio-pci quota ggtt 512M contexts 1024 "
		"doorbells 32 exec-quantum 20 preempt-timeout 40000 priority high\n"
		"vf 0000:01:00.3\tdriver default\n"
		"vf " PF "/0 quota exec_quantum_ms 5\n"
		"mdev 3F6C1A2E-4B1D-4C8E-9A57-0E2D5B7C9F10 type GVTg_V5_4 parent 00:02.0\n";
	struct config c;
	char why[512];

	CHECK_INT(parse(text, &c, why, sizeof(why)), 0);
	CHECK_STR(why, "");
	CHECK_INT(c.ndevs, 1);
	CHECK_STR(c.devs[0].handle, PF);
	CHECK_INT(c.devs[0].line, 3);
	CHECK(c.devs[0].has_numvfs && c.devs[0].numvfs == 3);
	CHECK(c.devs[0].has_autoprobe && !c.devs[0].autoprobe);
	CHECK_INT(c.nvfs, 3);
	CHECK_STR(c.vfs[0].pf, PF);
	CHECK_INT(c.vfs[0].index, 1);
	CHECK_INT(c.vfs[0].driver, CFG_DRIVER_VFIO);
	CHECK(c.vfs[0].has_quota);
	CHECK(c.vfs[0].quota.val[VGPU_A_QUOTA_GGTT] == 512ULL << 20);
	CHECK_INT(c.vfs[0].quota.val[VGPU_A_QUOTA_CONTEXTS], 1024);
	CHECK_INT(c.vfs[0].quota.val[VGPU_A_QUOTA_PREEMPT_TIMEOUT_US], 40000);
	CHECK_INT(c.vfs[0].quota.val[VGPU_A_QUOTA_PRIORITY], VGPU_PRIORITY_HIGH);
	CHECK(!c.vfs[0].quota.has[VGPU_A_QUOTA_VRAM]);
	CHECK_INT(c.vfs[1].index, -1);
	CHECK_STR(c.vfs[1].handle, "pci/0000:01:00.3");
	CHECK_INT(c.vfs[1].driver, CFG_DRIVER_DEFAULT);
	CHECK_INT(c.vfs[2].driver, CFG_DRIVER_KEEP);
	CHECK_INT(c.vfs[2].quota.val[VGPU_A_QUOTA_EXEC_QUANTUM_MS], 5);
	CHECK_INT(c.nmdevs, 1);
	CHECK_STR(c.mdevs[0].uuid, UUID);
	CHECK_STR(c.mdevs[0].parent, "pci/0000:00:02.0");
	CHECK_STR(c.mdevs[0].type, "GVTg_V5_4");
	CHECK_INT(c.mdevs[0].line, 7);
	config_free(&c);
}

TEST(config_empty_file_is_fine)
{
	struct config c;
	char why[512];

	CHECK_INT(parse("", &c, why, sizeof(why)), 0);
	CHECK_INT(c.ndevs + c.nvfs + c.nmdevs, 0);
	config_free(&c);
	CHECK_INT(parse("# only\n\n   \t\n", &c, why, sizeof(why)), 0);
	config_free(&c);
}

TEST(config_errors_name_file_and_line)
{
	CHECK_ERROR("\n\nfoo bar\n",
		    "t.conf:3: unknown keyword 'foo' (expected device, vf or mdev)");
	CHECK_ERROR("device\n", "t.conf:1: device: missing DEV");
	CHECK_ERROR("device pci/0000:01:00 numvfs 1\n",
		    "t.conf:1: malformed device handle 'pci/0000:01:00' (expected pci/DDDD:BB:DD.F)");
	CHECK_ERROR("device " PF " numvfs 1 color red\n",
		    "t.conf:1: unknown device setting 'color' (expected numvfs, autoprobe or provisioning)");
	CHECK_ERROR("device " PF " numvfs\n", "t.conf:1: missing value for 'numvfs'");
	CHECK_ERROR("device " PF " numvfs 1 numvfs 2\n", "t.conf:1: 'numvfs' given twice");
	CHECK_ERROR("device " PF " autoprobe on autoprobe on\n",
		    "t.conf:1: 'autoprobe' given twice");
	CHECK_ERROR("device " PF " numvfs -1\n",
		    "t.conf:1: invalid numvfs value '-1' (expected a number 0..65535)");
	CHECK_ERROR("device " PF " numvfs 65536\n",
		    "t.conf:1: invalid numvfs value '65536' (expected a number 0..65535)");
	CHECK_ERROR("device " PF " autoprobe yes\n",
		    "t.conf:1: invalid autoprobe value 'yes' (expected on or off)");
	CHECK_ERROR("device " PF "\n",
		    "t.conf:1: device " PF ": nothing to set (numvfs N, autoprobe on|off, provisioning auto|custom)");
	CHECK_ERROR("device " PF " provisioning manual\n",
		    "t.conf:1: invalid provisioning value 'manual' (expected auto or custom)");
	CHECK_ERROR("device " PF " provisioning auto provisioning custom\n",
		    "t.conf:1: 'provisioning' given twice");
	CHECK_ERROR("device " PF " provisioning\n",
		    "t.conf:1: missing value for 'provisioning'");
	/* Quotas by hand make a PF custom: not with "provisioning auto". */
	CHECK_ERROR("vf " PF "/1 quota ggtt 1G\ndevice " PF " numvfs 2 provisioning auto\n",
		    "t.conf:1: VF " PF "/1: quotas set by hand make the provisioning of " PF " custom, and line 2 says auto");
	CHECK_ERROR("device " PF " numvfs 1\n# x\ndevice 0000:01:00.0 autoprobe on\n",
		    "t.conf:3: device " PF " already given on line 1");
}

/*
 * Not text: a NUL byte would cut the line short ("numvfs 1" of "numvfs
 * 12"), a line past 65535 bytes is no config line; both are refused.
 */
TEST(config_not_text)
{
	static const char nul[] = "# ok\ndevice " PF " numvfs 1\0" "2\n";
	struct config c;
	char why[512], *big;

	CHECK_INT(parse_bytes(nul, sizeof(nul) - 1, &c, why, sizeof(why)),
		  CONFIG_ESYNTAX);
	CHECK_STR(why, "t.conf:2: a NUL byte in the line (not a text file?)");
	config_free(&c);

	big = malloc(70000);
	if (!big)
		abort();
	memset(big, ' ', 70000);
	memcpy(big, "#", 1);
	big[69999] = '\n';
	CHECK_INT(parse_bytes(big, 70000, &c, why, sizeof(why)), CONFIG_ESYNTAX);
	CHECK_STR(why, "t.conf:1: line longer than 65535 bytes");
	config_free(&c);
	free(big);
}

TEST(config_vf_errors)
{
	CHECK_ERROR("vf\n", "t.conf:1: vf: missing VF (PF/INDEX or pci/DDDD:BB:DD.F)");
	CHECK_ERROR("vf pci/0000:01:00/1 driver vfio-pci\n",
		    "t.conf:1: malformed VF 'pci/0000:01:00/1' (expected PF/INDEX or pci/DDDD:BB:DD.F)");
	CHECK_ERROR("vf " PF "/65535 driver vfio-pci\n",
		    "t.conf:1: invalid VF index '65535' in '" PF "/65535' (expected 0..65534)");
	CHECK_ERROR("vf " PF "/x driver vfio-pci\n",
		    "t.conf:1: malformed VF '" PF "/x' (expected PF/INDEX or pci/DDDD:BB:DD.F)");
	CHECK_ERROR("vf " PF "/1 driver vfio/pci\n",
		    "t.conf:1: invalid driver 'vfio/pci' (expected vfio, a VFIO PCI driver's name or default)");
	CHECK_ERROR("vf " PF "/1 driver "
		    "a123456789b123456789c123456789d123456789e123456789f123456789g1234\n",
		    "t.conf:1: invalid driver 'a123456789b123456789c123456789d123456789e123456789f123456789g1234' (expected vfio, a VFIO PCI driver's name or default)");
	CHECK_ERROR("vf " PF "/1 driver\n", "t.conf:1: missing value for 'driver'");
	CHECK_ERROR("vf " PF "/1\n", "t.conf:1: vf " PF "/1: nothing to set (driver, quota)");
	CHECK_ERROR("vf " PF "/1 speed 3\n",
		    "t.conf:1: unknown VF setting 'speed' (expected driver or quota)");
	CHECK_ERROR("vf " PF "/1 quota ggtt 1G driver vfio-pci\n",
		    "t.conf:1: unknown quota key 'driver' (ggtt, contexts, doorbells, vram, exec-quantum, preempt-timeout, priority)");
	CHECK_ERROR("vf " PF "/1 quota\n", "t.conf:1: quota needs KEY VALUE pairs");
	CHECK_ERROR("vf " PF "/1 quota ggtt\n", "t.conf:1: quota key 'ggtt' needs a value");
	CHECK_ERROR("vf " PF "/1 quota ggtt 5X\n",
		    "t.conf:1: invalid ggtt value '5X': unknown unit: use K, M, G or T (binary), or bytes");
	CHECK_ERROR("vf " PF "/1 quota contexts 1k\n",
		    "t.conf:1: invalid contexts value '1k': expected a decimal number without unit");
	CHECK_ERROR("vf " PF "/1 quota priority urgent\n",
		    "t.conf:1: invalid priority value 'urgent': expected low, normal or high");
	CHECK_ERROR("vf " PF "/1 quota ggtt 1G ggtt 2G\n",
		    "t.conf:1: quota key 'ggtt' given twice");
	CHECK_ERROR("vf " PF "/1 driver vfio-pci\nvf 01:00.0/1 quota ggtt 1G\n",
		    "t.conf:2: VF " PF "/1 already given on line 1");
	CHECK_ERROR("vf 01:00.3 driver vfio-pci\n\nvf pci/0000:01:00.3 quota ggtt 1G\n",
		    "t.conf:3: VF pci/0000:01:00.3 already given on line 1");
	/* Needs the whole file: the device line may come after. */
	CHECK_ERROR("vf " PF "/3 driver vfio-pci\ndevice " PF " numvfs 3\n",
		    "t.conf:1: VF " PF "/3: index beyond numvfs 3 of " PF " (line 2)");
}

TEST(config_mdev_errors)
{
	CHECK_ERROR("mdev\n", "t.conf:1: mdev: missing UUID");
	CHECK_ERROR("mdev 3f6c1a2e parent " PF " type x-y\n",
		    "t.conf:1: malformed UUID '3f6c1a2e' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
	CHECK_ERROR("mdev " UUID " parent " PF "\n",
		    "t.conf:1: mdev " UUID ": missing 'type TYPE'");
	CHECK_ERROR("mdev " UUID " type i915-GVTg_V5_4\n",
		    "t.conf:1: mdev " UUID ": missing 'parent DEV'");
	CHECK_ERROR("mdev " UUID " parent " PF " type a-b weight 3\n",
		    "t.conf:1: unknown mdev setting 'weight' (expected parent or type)");
	CHECK_ERROR("mdev " UUID " parent " PF " parent " PF " type a-b\n",
		    "t.conf:1: 'parent' given twice");
	CHECK_ERROR("mdev " UUID " parent " PF " type\n",
		    "t.conf:1: missing value for 'type'");
	CHECK_ERROR("mdev " UUID " parent 1:2:3 type a-b\n",
		    "t.conf:1: malformed device handle '1:2:3' (expected pci/DDDD:BB:DD.F)");
	CHECK_ERROR("mdev " UUID " parent " PF " type a-b\n"
		    "mdev 3F6C1A2E-4B1D-4C8E-9A57-0E2D5B7C9F10 parent " PF " type a-b\n",
		    "t.conf:2: mdev " UUID " already given on line 1");
}

TEST(config_load_missing_file_and_stdin_name)
{
	struct config c;
	char why[512];

	CHECK_INT(config_load("/nonexistent/vgpu-nl.conf", &c, why, sizeof(why)),
		  CONFIG_EIO);
	CHECK_STR(why, "cannot read /nonexistent/vgpu-nl.conf: No such file or directory");
	config_free(&c);
}

/* What save writes parses back into the same lines. */
TEST(config_write_round_trip)
{
	static const char text[] =
		"device " PF " numvfs 3 autoprobe on\n"
		"device pci/0000:03:00.0 numvfs 2 autoprobe on provisioning auto\n"
		"device pci/0000:04:00.0 provisioning custom\n"
		"vf " PF "/1 driver vfio-pci quota ggtt 512M contexts 1024 exec-quantum 20 priority low\n"
		"vf pci/0000:01:00.3 driver default\n"
		"vf " PF "/2 quota ggtt 1536K vram 3G\n"
		"vf pci/0000:03:00.0/0 driver vfio\n"
		"vf pci/0000:03:00.0/1 driver xe-vfio-pci\n"
		"mdev " UUID " parent pci/0000:00:02.0 type i915-GVTg_V5_4\n";
	struct config c, back;
	char why[512], *out = NULL;
	size_t len;
	FILE *f;

	CHECK_INT(parse(text, &c, why, sizeof(why)), 0);
	f = open_memstream(&out, &len);
	CHECK_INT(config_write(f, &c), 0);
	fclose(f);
	CHECK_STR(out, text);
	CHECK_INT(parse(out, &back, why, sizeof(why)), 0);
	CHECK_INT(back.nvfs, 5);
	CHECK_INT(back.devs[1].prov_mode, VGPU_PROV_MODE_AUTO);
	CHECK_INT(back.devs[2].prov_mode, VGPU_PROV_MODE_CUSTOM);
	CHECK(!back.devs[2].has_numvfs && !back.devs[2].has_autoprobe);
	CHECK_INT(back.vfs[3].driver, CFG_DRIVER_VFIO);
	CHECK_STR(back.vfs[3].drvname, "vfio");
	CHECK_STR(back.vfs[4].drvname, "xe-vfio-pci");
	CHECK(!memcmp(&back.vfs[0].quota, &c.vfs[0].quota, sizeof(c.vfs[0].quota)));
	CHECK(back.vfs[2].quota.val[VGPU_A_QUOTA_GGTT] == 1536ULL << 10);
	free(out);
	config_free(&c);
	config_free(&back);
}
