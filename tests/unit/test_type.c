// SPDX-License-Identifier: GPL-2.0
/*
 * test_type.c - "type show", and the type names "mdev add" accepts, run
 * whole against the fake GVT-g host (fake_gvt.h: pci/0000:00:02.0 with
 * i915's four types)
 */
#include <errno.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/type.h"
#include "fake_gvt.h"
#include "output/output.h"
#include "unit.h"

#define RUN(r, ...)	run_tool(r, __VA_ARGS__, (const char *)NULL)

#define TYPES_TEXT							\
	GVT_PARENT " i915-GVTg_V5_1: available 1 device_api vfio-pci\n"	\
	"  low_gm 512MB high_gm 2048MB fence 4 resolution 1920x1200 weight 16\n" \
	GVT_PARENT " i915-GVTg_V5_2: available 1 device_api vfio-pci\n"	\
	"  low_gm 256MB high_gm 1024MB fence 4 resolution 1920x1200 weight 8\n" \
	GVT_PARENT " i915-GVTg_V5_4: available 3 device_api vfio-pci\n"	\
	"  low_gm 128MB high_gm 512MB fence 4 resolution 1920x1200 weight 4\n" \
	GVT_PARENT " i915-GVTg_V5_8: available 7 device_api vfio-pci\n"	\
	"  low_gm 64MB high_gm 384MB fence 4 resolution 1024x768 weight 2\n"

#define TYPE_LIST							\
	"i915-GVTg_V5_1, i915-GVTg_V5_2, i915-GVTg_V5_4, i915-GVTg_V5_8"

TEST(type_show_text)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	gvt_start(NULL, 0);
	RUN(&r, "type", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, TYPES_TEXT);
	CHECK_STR(r.err, "");
	CHECK_INT(gvt_stop(), 1);
	CHECK_INT(gvt_req(0, tb), VGPU_CMD_TYPE_GET);
	CHECK(gvt_req_dump(0));
	GVT_ONLY(tb, 0);	/* unfiltered: nothing */
	run_free(&r);

	/* "type" alone is "type show" */
	gvt_start(NULL, 0);
	RUN(&r, "type");
	CHECK_STR(r.out, TYPES_TEXT);
	gvt_stop();
	run_free(&r);
}

/* A type of another form: the raw description, line by line. */
TEST(type_show_text_other_form)
{
	struct run r;

	gvt_start(NULL, 0);
	g.extra_type = "mtty-2";
	RUN(&r, "type", "show", GVT_PARENT);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, TYPES_TEXT
		  GVT_PARENT " mtty-2: available 0 device_api vfio-pci\n"
		  "  a test type\n"
		  "  second line\n");
	gvt_stop();
	run_free(&r);
}

#define FIRST_TYPE_JSON							\
	"{\"types\":[{\"parent\":\"" GVT_PARENT "\","				\
	"\"name\":\"i915-GVTg_V5_1\",\"pretty_name\":\"GVTg_V5_1\","		\
	"\"available_instances\":1,\"device_api\":\"vfio-pci\","		\
	"\"description\":\"low_gm_size: 512MB\\nhigh_gm_size: 2048MB\\n"	\
	"fence: 4\\nresolution: 1920x1200\\nweight: 16\\n\","		\
	"\"low_gm_mb\":512,\"high_gm_mb\":2048,\"fence\":4,"			\
	"\"resolution\":\"1920x1200\",\"weight\":16},"

TEST(type_show_json)
{
	json_object *doc, *types, *t, *v;
	struct run r;

	gvt_start(NULL, 0);
	g.extra_type = "mtty-2";
	RUN(&r, "-j", "type", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK(!strncmp(r.out, FIRST_TYPE_JSON, strlen(FIRST_TYPE_JSON)));
	gvt_stop();

	doc = json_tokener_parse(r.out);
	CHECK(doc && json_object_object_get_ex(doc, "types", &types) &&
	      json_object_array_length(types) == 5);
	if (doc && types && json_object_array_length(types) == 5) {
		t = json_object_array_get_idx(types, 2);
		CHECK(json_object_object_get_ex(t, "name", &v) &&
		      !strcmp(json_object_get_string(v), GVT_TYPE_4));
		CHECK(json_object_object_get_ex(t, "available_instances", &v) &&
		      json_object_is_type(v, json_type_int) &&
		      json_object_get_int(v) == 3);
		CHECK(json_object_object_get_ex(t, "low_gm_mb", &v) &&
		      json_object_get_int(v) == 128);
		CHECK(json_object_object_get_ex(t, "high_gm_mb", &v) &&
		      json_object_get_int(v) == 512);
		CHECK(json_object_object_get_ex(t, "weight", &v) &&
		      json_object_get_int(v) == 4);
		/* The other form: none of the GVT-g keys, no pretty name. */
		t = json_object_array_get_idx(types, 4);
		CHECK(json_object_object_get_ex(t, "description", &v) &&
		      !strcmp(json_object_get_string(v), "a test type\nsecond line\n"));
		CHECK(!json_object_object_get_ex(t, "pretty_name", NULL));
		CHECK(!json_object_object_get_ex(t, "low_gm_mb", NULL));
		CHECK(!json_object_object_get_ex(t, "resolution", NULL));
		CHECK(!json_object_object_get_ex(t, "weight", NULL));
	}
	json_object_put(doc);
	run_free(&r);
}

/* A pretty name that says more than the sysfs name is shown in text. */
TEST(type_print_pretty_name)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct nl_msg *m = fake_msg(VGPU_CMD_TYPE_GET);
	struct capture c;

	nla_put_string(m, VGPU_A_DEV_HANDLE, GVT_PARENT);
	nla_put_string(m, VGPU_A_TYPE_NAME, "nvidia-35");
	nla_put_string(m, VGPU_A_TYPE_PRETTY_NAME, "GRID M60-2Q");
	CHECK_INT(vgpu_nl_parse(m, tb), 0);
	output_setup(false, false);
	capture_begin(&c);
	type_print(tb);
	capture_end(&c);
	CHECK_STR(c.out, GVT_PARENT " nvidia-35: name \"GRID M60-2Q\"\n");
	capture_free(&c);
	nlmsg_free(m);
}

TEST(type_show_filtered)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	gvt_start(NULL, 0);
	RUN(&r, "type", "show", "00:02.0");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, TYPES_TEXT);
	CHECK_INT(gvt_stop(), 1);
	CHECK_INT(gvt_req(0, tb), VGPU_CMD_TYPE_GET);
	CHECK(gvt_req_dump(0));
	CHECK_STR(gvt_str(tb, VGPU_A_DEV_HANDLE), GVT_PARENT);
	GVT_ONLY(tb, VGPU_A_DEV_HANDLE);
	run_free(&r);

	/* The kernel's reason; -j still prints one document. */
	gvt_start(NULL, 0);
	RUN(&r, "-j", "type", "show", "05:00.0");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "{\"types\":[]}\n");
	CHECK_STR(r.err, "Error: pci/0000:05:00.0: no such PCI device\n");
	gvt_stop();
	run_free(&r);
}

TEST(type_show_usage)
{
	struct run r;

	gvt_start(NULL, 0);
	RUN(&r, "type", "show", "00:02");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: malformed device handle '00:02' (expected pci/DDDD:BB:DD.F)\n"
		  "Usage: vgpu-nl type show [DEV]\n");
	run_free(&r);
	RUN(&r, "type", "show", "00:02.0", "x");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, "Error: unexpected argument 'x'\nUsage: vgpu-nl type show [DEV]\n");
	run_free(&r);
	CHECK_INT(gvt_stop(), 0);
}

/* "GVTg_V5_4" is looked up among the parent's types, then created. */
TEST(mdev_add_short_type)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	gvt_start(NULL, 0);
	RUN(&r, "mdev", "add", "00:02.0", "type", "GVTg_V5_4");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, GVT_RANDOM_UUID "\n");
	CHECK_STR(r.err, "");
	CHECK_INT(gvt_stop(), 2);
	CHECK_INT(gvt_req(0, tb), VGPU_CMD_TYPE_GET);
	CHECK(gvt_req_dump(0));
	CHECK_STR(gvt_str(tb, VGPU_A_DEV_HANDLE), GVT_PARENT);
	CHECK_INT(gvt_req(1, tb), VGPU_CMD_MDEV_ADD);
	CHECK(!gvt_req_dump(1));
	CHECK_STR(gvt_str(tb, VGPU_A_DEV_HANDLE), GVT_PARENT);
	CHECK_STR(gvt_str(tb, VGPU_A_TYPE_NAME), GVT_TYPE_4);
	/* No UUID given: none sent, the kernel makes one. */
	GVT_ONLY(tb, VGPU_A_DEV_HANDLE, VGPU_A_TYPE_NAME);
	run_free(&r);
}

/* A full name goes as it is: the kernel says whether it exists. */
TEST(mdev_add_full_type)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	gvt_start(NULL, 0);
	RUN(&r, "mdev", "add", GVT_PARENT, "type", "i915-GVTg_V5_8");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_INT(gvt_stop(), 1);
	CHECK_INT(gvt_req(0, tb), VGPU_CMD_MDEV_ADD);
	CHECK_STR(gvt_str(tb, VGPU_A_TYPE_NAME), "i915-GVTg_V5_8");
	run_free(&r);

	gvt_start(NULL, 0);
	g.add_error = -ENOENT;
	g.add_text = "pci/0000:00:02.0 has no mdev type \"i915-GVTg_V5_9\" (see type show)";
	RUN(&r, "mdev", "add", GVT_PARENT, "type", "i915-GVTg_V5_9");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: pci/0000:00:02.0 has no mdev type \"i915-GVTg_V5_9\" (see type show)\n");
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}

/* No such type: refused before MDEV_ADD, with the parent's types. */
TEST(mdev_add_unknown_short_type)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	gvt_start(NULL, 0);
	RUN(&r, "mdev", "add", "00:02.0", "type", "GVTg_V5_9");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: " GVT_PARENT " has no mdev type 'GVTg_V5_9' (its types: "
		  TYPE_LIST ")\n");
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);

	/* A suffix must follow the driver's '-': "V5_4" is no type. */
	gvt_start(NULL, 0);
	RUN(&r, "mdev", "add", "00:02.0", "type", "V5_4");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: " GVT_PARENT " has no mdev type 'V5_4' (its types: "
		  TYPE_LIST ")\n");
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);

	/* No types: no parent, which MDEV_ADD explains in the kernel's words. */
	gvt_start(NULL, 0);
	g.no_types = true;
	g.add_error = -EOPNOTSUPP;
	g.add_text = "pci/0000:00:02.0 is no mdev parent (GVT-g: i915.enable_gvt=1, kvmgt)";
	RUN(&r, "mdev", "add", "00:02.0", "type", "GVTg_V5_4");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: pci/0000:00:02.0 is no mdev parent (GVT-g: i915.enable_gvt=1, kvmgt)\n");
	CHECK_INT(gvt_stop(), 2);
	CHECK_INT(gvt_req(1, tb), VGPU_CMD_MDEV_ADD);
	CHECK_STR(gvt_str(tb, VGPU_A_TYPE_NAME), "GVTg_V5_4");
	run_free(&r);

	/* Not a parent at all: the kernel's reason for the dump. */
	gvt_start(NULL, 0);
	RUN(&r, "mdev", "add", "05:00.0", "type", "GVTg_V5_4");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: pci/0000:05:00.0: no such PCI device\n");
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}

/* Two drivers' types end the same: the short name cannot choose. */
TEST(mdev_add_ambiguous_short_type)
{
	struct run r;

	gvt_start(NULL, 0);
	g.extra_type = "other-GVTg_V5_4";
	RUN(&r, "mdev", "add", "00:02.0", "type", "GVTg_V5_4");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: mdev type 'GVTg_V5_4' is ambiguous on " GVT_PARENT
		  " (its types: " TYPE_LIST ", other-GVTg_V5_4); give the full name\n");
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);

	/* The full name picks one. */
	gvt_start(NULL, 0);
	g.extra_type = "other-GVTg_V5_4";
	RUN(&r, "mdev", "add", "00:02.0", "type", "other-GVTg_V5_4");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}
