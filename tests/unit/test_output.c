// SPDX-License-Identifier: GPL-2.0
/*
 * test_output.c - the one print path, and devices printed through it from
 * hand-built DEV_GET replies, as text and as JSON
 */
#include <stdlib.h>

#include <json-c/json.h>

#include "cli/dev.h"
#include "fake.h"
#include "kernel/nl.h"
#include "output/output.h"
#include "unit.h"

/* The emulated NVMe PF of the test bed, bound, in group 5, 7 VFs. */
static struct nl_msg *fake_pf(void)
{
	struct nl_msg *msg = fake_msg(VGPU_CMD_DEV_GET);

	nla_put_string(msg, VGPU_A_DEV_HANDLE, "pci/0000:01:00.0");
	nla_put_u16(msg, VGPU_A_DEV_VENDOR, 0x1b36);
	nla_put_u16(msg, VGPU_A_DEV_DEVICE, 0x0010);
	nla_put_u16(msg, VGPU_A_DEV_SUBSYS_VENDOR, 0x1af4);
	nla_put_u16(msg, VGPU_A_DEV_SUBSYS_DEVICE, 0x1100);
	nla_put_u32(msg, VGPU_A_DEV_CLASS, 0x010802);
	nla_put_string(msg, VGPU_A_DEV_DRIVER, "vgpu_sim");
	nla_put_u32(msg, VGPU_A_DEV_IOMMU_GROUP, 5);
	fake_sriov(msg, 7, 0, 1);
	nla_put_u8(msg, VGPU_A_DEV_MDEV_PARENT, 1);
	return msg;
}

/* An unbound iGPU without IOMMU, SR-IOV or mdev: only the ids. */
static struct nl_msg *fake_bare(void)
{
	struct nl_msg *msg = fake_msg(VGPU_CMD_DEV_GET);

	nla_put_string(msg, VGPU_A_DEV_HANDLE, "pci/0000:00:02.0");
	nla_put_u16(msg, VGPU_A_DEV_VENDOR, 0x8086);
	nla_put_u16(msg, VGPU_A_DEV_DEVICE, 0x3e92);
	nla_put_u16(msg, VGPU_A_DEV_SUBSYS_VENDOR, 0x8086);
	nla_put_u16(msg, VGPU_A_DEV_SUBSYS_DEVICE, 0x2212);
	nla_put_u32(msg, VGPU_A_DEV_CLASS, 0x030000);
	nla_put_u8(msg, VGPU_A_DEV_MDEV_PARENT, 0);
	return msg;
}

/* Prints "dev show" for @msgs the way dev.c does, into @c. */
static void print_devices(struct capture *c, bool json, bool pretty,
			  struct nl_msg **msgs, int n)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	int i;

	output_setup(json, pretty);
	capture_begin(c);
	output_begin();
	open_array("devices");
	for (i = 0; i < n; i++) {
		if (vgpu_nl_parse(msgs[i], tb) < 0)
			unit_fail(__FILE__, __LINE__, "fake message %d refused", i);
		else
			dev_print(tb);
	}
	close_array();
	if (output_end() < 0)
		unit_fail(__FILE__, __LINE__, "output_end failed");
	capture_end(c);
	output_setup(false, false);
}

TEST(dev_text_full)
{
	struct nl_msg *m[] = { fake_pf(), fake_bare() };
	struct capture c;

	print_devices(&c, false, false, m, 2);
	CHECK_STR(c.out,
		  "pci/0000:01:00.0: vendor 1b36 device 0010 subsystem 1af4:1100 class 010802 driver vgpu_sim iommu_group 5\n"
		  "  sriov totalvfs 7 numvfs 0 autoprobe on\n"
		  "  mdev parent\n"
		  "pci/0000:00:02.0: vendor 8086 device 3e92 subsystem 8086:2212 class 030000\n");
	CHECK_STR(c.err, "");
	capture_free(&c);
	nlmsg_free(m[0]);
	nlmsg_free(m[1]);
}

TEST(dev_json_full)
{
	struct nl_msg *m[] = { fake_pf(), fake_bare() };
	struct capture c;

	print_devices(&c, true, false, m, 2);
	CHECK_STR(c.out,
		  "{\"devices\":["
		  "{\"handle\":\"pci/0000:01:00.0\",\"vendor\":6966,\"device\":16,"
		  "\"subsystem_vendor\":6900,\"subsystem_device\":4352,"
		  "\"class\":67586,\"driver\":\"vgpu_sim\",\"iommu_group\":5,"
		  "\"sriov\":{\"totalvfs\":7,\"numvfs\":0,\"autoprobe\":true},"
		  "\"mdev_parent\":true},"
		  "{\"handle\":\"pci/0000:00:02.0\",\"vendor\":32902,\"device\":16018,"
		  "\"subsystem_vendor\":32902,\"subsystem_device\":8722,"
		  "\"class\":196608,\"mdev_parent\":false}"
		  "]}\n");
	capture_free(&c);
	nlmsg_free(m[0]);
	nlmsg_free(m[1]);
}

/* Checked through a JSON parser: types, not just characters. */
TEST(dev_json_types_and_absent_keys)
{
	struct nl_msg *m[] = { fake_pf(), fake_bare() };
	json_object *doc, *devs, *pf, *bare, *v, *sriov;
	struct capture c;

	print_devices(&c, true, true, m, 2);
	doc = json_tokener_parse(c.out);
	CHECK(doc);
	if (!doc)
		goto out;
	CHECK(json_object_object_get_ex(doc, "devices", &devs));
	CHECK(json_object_is_type(devs, json_type_array));
	CHECK_INT(json_object_array_length(devs), 2);
	pf = json_object_array_get_idx(devs, 0);
	bare = json_object_array_get_idx(devs, 1);

	CHECK(json_object_object_get_ex(pf, "vendor", &v) &&
	      json_object_is_type(v, json_type_int) &&
	      json_object_get_int(v) == 0x1b36);
	CHECK(json_object_object_get_ex(pf, "class", &v) &&
	      json_object_get_int(v) == 0x010802);
	CHECK(json_object_object_get_ex(pf, "iommu_group", &v) &&
	      json_object_is_type(v, json_type_int));
	CHECK(json_object_object_get_ex(pf, "sriov", &sriov) &&
	      json_object_is_type(sriov, json_type_object));
	CHECK(json_object_object_get_ex(sriov, "autoprobe", &v) &&
	      json_object_is_type(v, json_type_boolean) &&
	      json_object_get_boolean(v));
	CHECK(json_object_object_get_ex(pf, "mdev_parent", &v) &&
	      json_object_is_type(v, json_type_boolean));

	/* Absent is omitted: never "none", never a placeholder. */
	CHECK(!json_object_object_get_ex(bare, "driver", NULL));
	CHECK(!json_object_object_get_ex(bare, "iommu_group", NULL));
	CHECK(!json_object_object_get_ex(bare, "sriov", NULL));
	CHECK(!strstr(c.out, "none"));
	/* -p: more than one line, still one document. */
	CHECK(strchr(c.out, '\n') != c.out + strlen(c.out) - 1);
	json_object_put(doc);
out:
	capture_free(&c);
	nlmsg_free(m[0]);
	nlmsg_free(m[1]);
}

TEST(dev_empty_list)
{
	struct capture c;

	print_devices(&c, true, false, NULL, 0);
	CHECK_STR(c.out, "{\"devices\":[]}\n");
	capture_free(&c);
	print_devices(&c, false, false, NULL, 0);
	CHECK_STR(c.out, "");
	capture_free(&c);
}

/* A partial nest (an older module) prints what is there. */
TEST(dev_sriov_partial_nest)
{
	struct nl_msg *m = fake_msg(VGPU_CMD_DEV_GET);
	struct capture c;

	nla_put_string(m, VGPU_A_DEV_HANDLE, "pci/0000:01:00.0");
	fake_sriov(m, 7, -1, -1);
	print_devices(&c, false, false, &m, 1);
	CHECK_STR(c.out, "pci/0000:01:00.0:\n  sriov totalvfs 7\n");
	capture_free(&c);
	print_devices(&c, true, false, &m, 1);
	CHECK_STR(c.out, "{\"devices\":[{\"handle\":\"pci/0000:01:00.0\","
		  "\"sriov\":{\"totalvfs\":7},\"mdev_parent\":false}]}\n");
	capture_free(&c);
	nlmsg_free(m);
}

/* API 3: an mdev parent says how many types it has. */
TEST(dev_mdev_types)
{
	struct nl_msg *m = fake_msg(VGPU_CMD_DEV_GET);
	struct capture c;

	nla_put_string(m, VGPU_A_DEV_HANDLE, "pci/0000:00:02.0");
	nla_put_string(m, VGPU_A_DEV_DRIVER, "i915");
	nla_put_u8(m, VGPU_A_DEV_MDEV_PARENT, 1);
	nla_put_u32(m, VGPU_A_DEV_MDEV_TYPES, 4);
	print_devices(&c, false, false, &m, 1);
	CHECK_STR(c.out, "pci/0000:00:02.0: driver i915\n  mdev types 4\n");
	capture_free(&c);
	print_devices(&c, true, false, &m, 1);
	CHECK_STR(c.out, "{\"devices\":[{\"handle\":\"pci/0000:00:02.0\","
		  "\"driver\":\"i915\",\"mdev_parent\":true,\"mdev\":{\"types\":4}}]}\n");
	capture_free(&c);
	nlmsg_free(m);
}

/* Policy: a reply that breaks it is refused before anything prints. */
TEST(dev_reply_policy)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct nl_msg *m;
	char raw[3] = { 'a', 'b', 'c' };

	m = fake_msg(VGPU_CMD_DEV_GET);
	nla_put_u8(m, VGPU_A_DEV_VENDOR, 1);		/* u16 expected */
	CHECK(vgpu_nl_parse(m, tb) < 0);
	nlmsg_free(m);

	m = fake_msg(VGPU_CMD_DEV_GET);
	nla_put(m, VGPU_A_DEV_HANDLE, sizeof(raw), raw);	/* no NUL */
	CHECK(vgpu_nl_parse(m, tb) < 0);
	nlmsg_free(m);

	/* Inside the nest too. */
	m = fake_msg(VGPU_CMD_DEV_GET);
	{
		struct nlattr *nest = nla_nest_start(m, VGPU_A_DEV_SRIOV);

		nla_put_u8(m, VGPU_A_SRIOV_NUMVFS, 3);	/* u16 expected */
		nla_nest_end(m, nest);
	}
	CHECK(vgpu_nl_parse(m, tb) < 0);
	nlmsg_free(m);

	/* Attributes of a newer module are ignored, not refused. */
	m = fake_msg(VGPU_CMD_DEV_GET);
	nla_put_string(m, VGPU_A_DEV_HANDLE, "pci/0000:01:00.0");
	nla_put_u32(m, VGPU_A_MAX + 1, 42);
	CHECK_INT(vgpu_nl_parse(m, tb), 0);
	nlmsg_free(m);
}

TEST(output_text_and_json_from_one_call)
{
	struct capture c;

	output_setup(false, false);
	capture_begin(&c);
	output_begin();
	print_uint(PRINT_ANY, "n", "n %u", 42);
	print_string(PRINT_FP, NULL, "%s", " text-only");
	print_uint(PRINT_JSON, "json_only", " json-only %u", 1);
	print_bool(PRINT_ANY, "b", " b %s", true);
	print_on_off(PRINT_ANY, "sw", " sw %s", false);
	print_nl();
	output_end();
	capture_end(&c);
	CHECK_STR(c.out, "n 42 text-only b true sw off\n");
	capture_free(&c);

	output_setup(true, false);
	capture_begin(&c);
	output_begin();
	print_uint(PRINT_ANY, "n", "n %u", 42);
	print_string(PRINT_FP, NULL, "%s", " text-only");
	print_uint(PRINT_JSON, "json_only", " json-only %u", 1);
	print_bool(PRINT_ANY, "b", " b %s", true);
	print_on_off(PRINT_ANY, "sw", " sw %s", false);
	print_nl();
	output_end();
	capture_end(&c);
	output_setup(false, false);
	CHECK_STR(c.out, "{\"n\":42,\"json_only\":1,\"b\":true,\"sw\":false}\n");
	capture_free(&c);
}

/* json-c escapes; slashes stay readable in handles. */
TEST(output_json_escaping)
{
	struct capture c;
	json_object *doc, *v;

	output_setup(true, false);
	capture_begin(&c);
	output_begin();
	print_string(PRINT_ANY, "s", "%s", "a\"b\\c\n/d\x01");
	output_end();
	capture_end(&c);
	output_setup(false, false);
	CHECK_STR(c.out, "{\"s\":\"a\\\"b\\\\c\\n/d\\u0001\"}\n");
	doc = json_tokener_parse(c.out);
	CHECK(doc && json_object_object_get_ex(doc, "s", &v) &&
	      !strcmp(json_object_get_string(v), "a\"b\\c\n/d\x01"));
	json_object_put(doc);
	capture_free(&c);
}

TEST(output_nesting)
{
	struct capture c;

	output_setup(true, false);
	capture_begin(&c);
	output_begin();
	open_array("a");
	open_object(NULL);
	open_array("inner");
	print_uint(PRINT_ANY, NULL, "%u", 1);
	print_uint(PRINT_ANY, NULL, "%u", 2);
	close_array();
	close_object();
	open_object(NULL);
	close_object();
	close_array();
	open_object("o");
	close_object();
	/* Too many closes must not take the document's root away. */
	close_object();
	close_object();
	print_uint(PRINT_ANY, "after", "%u", 3);
	output_end();
	capture_end(&c);
	output_setup(false, false);
	CHECK_STR(c.out, "{\"a\":[{\"inner\":[1,2]},{}],\"o\":{},\"after\":3}\n");
	capture_free(&c);
}

/* Depth past the stack is reported, and nothing leaks or crashes. */
TEST(output_too_deep_fails_cleanly)
{
	struct capture c;
	int i;

	output_setup(true, false);
	capture_begin(&c);
	output_begin();
	for (i = 0; i < 20; i++)
		open_object("x");
	print_uint(PRINT_ANY, "deep", "%u", 1);
	for (i = 0; i < 20; i++)
		close_object();
	CHECK(output_end() < 0);
	capture_end(&c);
	output_setup(false, false);
	CHECK_STR(c.out, "");
	capture_free(&c);
}

TEST(output_errors_and_warnings)
{
	struct capture c;

	capture_begin(&c);
	pr_err("bad %s", "thing");
	pr_warn("odd %d", 3);
	capture_end(&c);
	CHECK_STR(c.err, "Error: bad thing\nWarning: odd 3\n");
	CHECK_STR(c.out, "");
	capture_free(&c);
}
