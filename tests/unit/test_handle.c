// SPDX-License-Identifier: GPL-2.0
/*
 * test_handle.c - DEV arguments: the three accepted forms and every way to
 * get one wrong
 */
#include <stddef.h>

#include "kernel/handle.h"
#include "unit.h"

static void check_ok(const char *in, const char *want, const char *file,
		     int line)
{
	char out[VGPU_HANDLE_MAX];

	if (handle_normalize(in, out) < 0)
		unit_fail(file, line, "'%s' refused, want %s", in, want);
	else if (strcmp(out, want))
		unit_fail(file, line, "'%s' gave %s, want %s", in, out, want);
}

static void check_bad(const char *in, const char *file, int line)
{
	char out[VGPU_HANDLE_MAX];

	if (handle_normalize(in, out) == 0)
		unit_fail(file, line, "'%s' accepted as %s", in, out);
}

#define OK(in, want)	check_ok(in, want, __FILE__, __LINE__)
#define BAD(in)		check_bad(in, __FILE__, __LINE__)

TEST(handle_three_forms)
{
	OK("pci/0000:00:02.0", "pci/0000:00:02.0");
	OK("0000:00:02.0", "pci/0000:00:02.0");
	OK("00:02.0", "pci/0000:00:02.0");
	OK("pci/00:02.0", "pci/0000:00:02.0");
}

TEST(handle_hex_any_case_normalised_lower)
{
	OK("pci/ABCD:EF:1F.7", "pci/abcd:ef:1f.7");
	OK("aBcD:eF:1f.7", "pci/abcd:ef:1f.7");
	OK("0000:0A:1e.3", "pci/0000:0a:1e.3");
}

TEST(handle_short_fields_padded)
{
	OK("1:2:3.4", "pci/0001:02:03.4");
	OK("2:3.4", "pci/0000:02:03.4");
}

TEST(handle_range_limits)
{
	OK("ffff:ff:1f.7", "pci/ffff:ff:1f.7");
	OK("0000:00:00.0", "pci/0000:00:00.0");
	BAD("10000:00:02.0");	/* domain > ffff */
	BAD("00000:00:02.0");	/* domain wider than 4 digits */
	BAD("0000:100:02.0");	/* bus > ff */
	BAD("0000:00:20.0");	/* device > 1f */
	BAD("0000:00:ff.0");
	BAD("0000:00:02.8");	/* function > 7 */
	BAD("0000:00:02.f");
	BAD("0000:00:02.10");
}

TEST(handle_empty_and_garbage)
{
	BAD("");
	BAD("pci/");
	BAD("pci");
	BAD("zz");
	BAD("pci/zz");
	BAD("zz:02.0");
	BAD("0000-00-02.0");
	BAD(":00:02.0");
	BAD("0000::02.0");
	BAD("0000:00:.0");
	BAD("0000:00:02.");
	BAD("00:02");
	BAD("+0:02.0");
	BAD("0x00:02.0");
	BAD("PCI/0000:00:02.0");
	BAD("pci/pci/0000:00:02.0");
	BAD("usb/0000:00:02.0");
}

TEST(handle_trailing_or_leading_junk)
{
	BAD("0000:00:02.0 ");
	BAD(" 0000:00:02.0");
	BAD("0000:00:02.0x");
	BAD("0000:00:02.0/");
	BAD("pci/0000:00:02.0:");
	BAD("0000:00:02.0.0");
	BAD("0:0000:00:02.0");
}

TEST(handle_parse_gives_fields)
{
	struct pci_addr a;

	CHECK_INT(handle_parse_pci("pci/00ab:cd:1e.5", &a), 0);
	CHECK_INT(a.domain, 0xab);
	CHECK_INT(a.bus, 0xcd);
	CHECK_INT(a.dev, 0x1e);
	CHECK_INT(a.fn, 5);
}

static void check_uuid(const char *in, const char *want, const char *file,
		       int line)
{
	char out[VGPU_UUID_LEN + 1];
	int ret = uuid_normalize(in, out);

	if (want && ret < 0)
		unit_fail(file, line, "'%s' refused, want %s", in, want);
	else if (want && strcmp(out, want))
		unit_fail(file, line, "'%s' gave %s, want %s", in, out, want);
	else if (!want && ret == 0)
		unit_fail(file, line, "'%s' accepted as %s", in, out);
}

#define UUID_OK(in, want)	check_uuid(in, want, __FILE__, __LINE__)
#define UUID_BAD(in)		check_uuid(in, NULL, __FILE__, __LINE__)

TEST(uuid_forms)
{
	UUID_OK("6eba5b41-176e-40db-b93e-7f18e04e0b93",
		"6eba5b41-176e-40db-b93e-7f18e04e0b93");
	/* Upper case: as sysfs and mdevctl spell it, lower case. */
	UUID_OK("6EBA5B41-176E-40DB-B93E-7F18E04E0B93",
		"6eba5b41-176e-40db-b93e-7f18e04e0b93");
	/* Any version and variant, as the kernel's uuid_parse(): Proxmox's. */
	UUID_OK("00000100-0000-0000-0000-000000000001",
		"00000100-0000-0000-0000-000000000001");
	UUID_OK("ffffffff-ffff-ffff-ffff-ffffffffffff",
		"ffffffff-ffff-ffff-ffff-ffffffffffff");
}

TEST(uuid_malformed)
{
	UUID_BAD("");
	UUID_BAD("6eba5b41-176e-40db-b93e-7f18e04e0b9");	/* short */
	UUID_BAD("6eba5b41-176e-40db-b93e-7f18e04e0b933");	/* long */
	UUID_BAD("6eba5b41176e40dbb93e7f18e04e0b93");		/* no dashes */
	UUID_BAD("6eba5b41-176e40db-b93e-7f18e04e0b93-");	/* dash moved */
	UUID_BAD("6eba5b4-1176e-40db-b93e-7f18e04e0b93");
	UUID_BAD("{6eba5b41-176e-40db-b93e-7f18e04e0b93}");
	UUID_BAD("6eba5b41-176e-40db-b93e-7f18e04e0b9g");	/* not hex */
	UUID_BAD("6eba5b41-176e-40db-b93e-7f18e04e0b9 ");
	UUID_BAD(" 6eba5b41-176e-40db-b93e-7f18e04e0b9");
	UUID_BAD("+eba5b41-176e-40db-b93e-7f18e04e0b93");
	UUID_BAD("urn:uuid:6eba5b41-176e-40db-b93e-7f18e04e0b93");
}

TEST(handle_dev_name)
{
	CHECK_STR(handle_dev_name("pci/0000:00:02.0"), "0000:00:02.0");
	CHECK_STR(handle_dev_name("0000:00:02.0"), "0000:00:02.0");
	CHECK_STR(handle_dev_name("css/0.0.0000"), "0.0.0000");
}

/*
 * Proxmox VE's own mdevs. qemu-server (PVE/QemuServer/PCI.pm, and
 * PVE::SysFSTools before it):
 *   sub generate_mdev_uuid {
 *       my ($vmid, $index) = @_;
 *       return sprintf("%08d-0000-0000-0000-%012d", $index, $vmid);
 *   }
 * so the hostpci index is first and the VM id last.
 */
TEST(uuid_pve_owner)
{
	unsigned int vmid = 0, index = 99;

	CHECK(uuid_pve_owner("00000001-0000-0000-0000-000000000100", &vmid, &index));
	CHECK_INT(vmid, 100);
	CHECK_INT(index, 1);
	CHECK(uuid_pve_owner("00000015-0000-0000-0000-000999999999", &vmid, &index));
	CHECK_INT(vmid, 999999999);
	CHECK_INT(index, 15);
	CHECK(uuid_pve_owner("00000000-0000-0000-0000-000000004711", &vmid, &index));
	CHECK_INT(vmid, 4711);
	CHECK_INT(index, 0);
	/* Not Proxmox VE's: index past hostpci15, VM id under 100, hex, other groups. */
	CHECK(!uuid_pve_owner("00000016-0000-0000-0000-000000000100", &vmid, &index));
	CHECK(!uuid_pve_owner("00000001-0000-0000-0000-000000000099", &vmid, &index));
	CHECK(!uuid_pve_owner("0000000a-0000-0000-0000-000000000100", &vmid, &index));
	CHECK(!uuid_pve_owner("00000001-0000-0000-0001-000000000100", &vmid, &index));
	CHECK(!uuid_pve_owner("6f2a7c62-3c8e-4e43-9d1b-2f0a5b0c7e11", &vmid, &index));
	CHECK(!uuid_pve_owner("00000001-0000-0000-0000-00000000010", &vmid, &index));
	/* The form DESIGN.md shows, VM id first, is not what Proxmox VE makes. */
	CHECK(!uuid_pve_owner("00000100-0000-0000-0000-000000000001", &vmid, &index));
}
