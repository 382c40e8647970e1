// SPDX-License-Identifier: GPL-2.0
/*
 * test_mdev.c - "mdev show", "mdev add" and "mdev del" run whole against
 * the fake GVT-g host (fake_gvt.h), on a fake /proc, /sys and
 * /etc/mdevctl.d (fake_host.h)
 *
 * The mdevs most cases start from, on pci/0000:00:02.0:
 *
 *   A 11111111-...  i915-GVTg_V5_4  group 31  driver vfio_mdev  owned
 *   B 22222222-...  i915-GVTg_V5_8  group 32  cdev vfio7        not owned
 *   C 33333333-...  i915-GVTg_V5_4  no group  removal queued    owned
 *
 * and the processes each case adds: pid 123 qemu-system-x86 with
 * /dev/vfio/31 open (holds A), pid 124 virsh with /dev/vfio/devices/vfio7
 * (holds B).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "fake_gvt.h"
#include "fake_host.h"
#include "host/holders.h"
#include "host/mdevctl.h"
#include "unit.h"

#define RUN(r, ...)	run_tool(r, __VA_ARGS__, (const char *)NULL)

#define A	"11111111-1111-4111-8111-111111111111"
#define B	"22222222-2222-4222-8222-222222222222"
#define C	"33333333-3333-4333-8333-333333333333"
#define U	"6eba5b41-176e-40db-b93e-7f18e04e0b93"

static const struct gvt_mdev abc[] = {
	{ .uuid = A, .group = 31, .driver = "vfio_mdev", .owned = true },
	{ .uuid = B, .type = "i915-GVTg_V5_8", .group = 32 },
	{ .uuid = C, .group = -1, .owned = true, .removing = true },
};

#define DEF_PATH(uuid)	"etc/mdevctl.d/" GVT_PARENT_NAME "/" uuid
/* Where vgpu-nl records the mdevs it made (host/mdevown.h). */
#define OWN_DIR		"run/vgpu-nl/mdevs/"

/* What "mdevctl define -a -u UUID -p 0000:00:02.0 -t i915-GVTg_V5_4" writes. */
#define DEF_TEXT							\
	"{\n  \"mdev_type\": \"i915-GVTg_V5_4\",\n  \"start\": \"auto\",\n  \"attrs\": []\n}"

static void qemu_holds_a(void)
{
	fh_comm(123, "qemu-system-x86");
	fh_fd(123, 0, "/dev/null");
	fh_fd(123, 20, "/dev/vfio/31");
}

static void virsh_holds_b(void)
{
	fh_mdev(B, "vfio7");
	fh_comm(124, "virsh");
	fh_fd(124, 3, "/dev/vfio/devices/vfio7");
}

/* abc, where the kernel answers that A is unused (VGPU_A_MDEV_IN_USE). */
static void abc_a_unused(struct gvt_mdev mine[3])
{
	memcpy(mine, abc, sizeof(abc));
	mine[0].in_use = GVT_IN_USE_NO;
}

/* What a request must carry besides its UUID: */
#define REQ_FORCE	1	/* VGPU_A_FORCE */
#define REQ_IF_UNUSED	2	/* VGPU_A_MDEV_IF_UNUSED (MDEV_DEL) */

static void check_flag(struct nlattr **tb, int i, int attr, const char *name,
		       bool want, const char *file, int line)
{
	if (want ? !tb[attr] || nla_len(tb[attr]) != 0 : tb[attr] != NULL)
		unit_fail(file, line, "request %d: %s %s, want %s", i, name,
			  tb[attr] ? "sent" : "absent", want ? "sent" : "absent");
}

static void check_req(int i, int cmd, bool dump, const char *uuid,
		      int flags, const char *file, int line)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	int got = gvt_req(i, tb);

	if (got != cmd || gvt_req_dump(i) != dump) {
		unit_fail(file, line, "request %d: cmd %d%s, want %d%s", i, got,
			  gvt_req_dump(i) ? " dump" : "", cmd, dump ? " dump" : "");
		return;
	}
	if (uuid && (!tb[VGPU_A_MDEV_UUID] ||
		     nla_len(tb[VGPU_A_MDEV_UUID]) != VGPU_UUID_LEN + 1 ||
		     strcmp(nla_data(tb[VGPU_A_MDEV_UUID]), uuid)))
		unit_fail(file, line, "request %d: uuid %s, want %s", i,
			  gvt_str(tb, VGPU_A_MDEV_UUID), uuid);
	check_flag(tb, i, VGPU_A_FORCE, "FORCE", flags & REQ_FORCE, file, line);
	check_flag(tb, i, VGPU_A_MDEV_IF_UNUSED, "IF_UNUSED",
		   flags & REQ_IF_UNUSED, file, line);
	/* Strict validation refuses anything else. */
	if (cmd == VGPU_CMD_MDEV_DEL)
		gvt_only(tb, (const int[]){ VGPU_A_MDEV_UUID, VGPU_A_FORCE,
					    VGPU_A_MDEV_IF_UNUSED, 0 },
			 file, line);
	else if (cmd == VGPU_CMD_MDEV_GET && !dump)
		gvt_only(tb, (const int[]){ VGPU_A_MDEV_UUID, 0 }, file, line);
}

#define CHECK_REQ(i, cmd, dump, uuid, flags) \
	check_req(i, cmd, dump, uuid, flags, __FILE__, __LINE__)

/* ---- mdev show ---- */

#define ABC_TEXT							\
	A ": parent " GVT_PARENT " type i915-GVTg_V5_4 driver vfio_mdev iommu_group 31 " \
	"in_use yes (pid 123 qemu-system-x86) owned yes persistent no\n" \
	B ": parent " GVT_PARENT " type i915-GVTg_V5_8 iommu_group 32 "	\
	"in_use yes (pid 124 virsh) owned no persistent yes\n"		\
	C ": parent " GVT_PARENT " type i915-GVTg_V5_4 "			\
	"in_use no owned yes persistent no removing\n"

TEST(mdev_show_text)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	gvt_start(abc, 3);
	qemu_holds_a();
	virsh_holds_b();
	fh_define(GVT_PARENT_NAME, B, DEF_TEXT);
	RUN(&r, "mdev", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, ABC_TEXT);
	CHECK_STR(r.err, "");
	CHECK_INT(gvt_stop(), 1);
	CHECK_REQ(0, VGPU_CMD_MDEV_GET, true, NULL, false);
	gvt_req(0, tb);
	GVT_ONLY(tb, 0);
	run_free(&r);

	/* "mdev" alone is "mdev show" */
	gvt_start(abc, 1);
	RUN(&r, "mdev");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, A ": parent " GVT_PARENT " type i915-GVTg_V5_4 driver vfio_mdev "
		  "iommu_group 31 in_use no owned yes persistent no\n");
	gvt_stop();
	run_free(&r);
}

TEST(mdev_show_json)
{
	json_object *doc, *mdevs, *m, *v;
	struct run r;

	gvt_start(abc, 3);
	qemu_holds_a();
	virsh_holds_b();
	fh_define(GVT_PARENT_NAME, B, DEF_TEXT);
	RUN(&r, "-j", "mdev", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out,
		  "{\"mdevs\":["
		  "{\"uuid\":\"" A "\",\"parent\":\"" GVT_PARENT "\",\"type\":\"i915-GVTg_V5_4\","
		  "\"driver\":\"vfio_mdev\",\"iommu_group\":31,\"in_use\":true,"
		  "\"holders\":[{\"pid\":123,\"comm\":\"qemu-system-x86\"}],"
		  "\"owned\":true,\"persistent\":false},"
		  "{\"uuid\":\"" B "\",\"parent\":\"" GVT_PARENT "\",\"type\":\"i915-GVTg_V5_8\","
		  "\"iommu_group\":32,\"in_use\":true,"
		  "\"holders\":[{\"pid\":124,\"comm\":\"virsh\"}],"
		  "\"owned\":false,\"persistent\":true},"
		  "{\"uuid\":\"" C "\",\"parent\":\"" GVT_PARENT "\",\"type\":\"i915-GVTg_V5_4\","
		  "\"in_use\":false,\"owned\":true,\"persistent\":false,\"removing\":true}"
		  "]}\n");
	CHECK_STR(r.err, "");
	gvt_stop();

	doc = json_tokener_parse(r.out);
	CHECK(doc && json_object_object_get_ex(doc, "mdevs", &mdevs) &&
	      json_object_array_length(mdevs) == 3);
	if (doc && mdevs && json_object_array_length(mdevs) == 3) {
		m = json_object_array_get_idx(mdevs, 1);
		CHECK(json_object_object_get_ex(m, "in_use", &v) &&
		      json_object_is_type(v, json_type_boolean));
		CHECK(json_object_object_get_ex(m, "owned", &v) &&
		      json_object_is_type(v, json_type_boolean));
		CHECK(json_object_object_get_ex(m, "iommu_group", &v) &&
		      json_object_is_type(v, json_type_int));
		/* Absent: omitted, never "none" or false placeholders. */
		CHECK(!json_object_object_get_ex(m, "driver", NULL));
		CHECK(!json_object_object_get_ex(m, "removing", NULL));
		m = json_object_array_get_idx(mdevs, 2);
		CHECK(!json_object_object_get_ex(m, "holders", NULL));
		CHECK(!json_object_object_get_ex(m, "iommu_group", NULL));
	}
	json_object_put(doc);
	run_free(&r);
}

TEST(mdev_show_filtered)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	gvt_start(abc, 2);
	RUN(&r, "mdev", "show", "0000:00:02.0");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_INT(gvt_stop(), 1);
	CHECK_REQ(0, VGPU_CMD_MDEV_GET, true, NULL, false);
	gvt_req(0, tb);
	CHECK_STR(gvt_str(tb, VGPU_A_DEV_HANDLE), GVT_PARENT);
	GVT_ONLY(tb, VGPU_A_DEV_HANDLE);
	run_free(&r);

	gvt_start(abc, 2);
	RUN(&r, "mdev", "show", "0000:00:02");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, "Error: malformed device handle '0000:00:02' (expected pci/DDDD:BB:DD.F)\n"
		  "Usage: vgpu-nl mdev show [DEV]\n");
	CHECK_INT(gvt_stop(), 0);
	run_free(&r);
}

/* /proc unreadable: the kernel's view is shown, with a warning. */
TEST(mdev_show_without_proc)
{
	struct run r;

	gvt_start(abc, 1);
	fh_remove("proc");
	RUN(&r, "mdev", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, A ": parent " GVT_PARENT " type i915-GVTg_V5_4 driver vfio_mdev "
		  "iommu_group 31 in_use no owned yes persistent no\n");
	CHECK(!strncmp(r.err, "Warning: cannot look for processes using the mdevs in /tmp/",
		       strlen("Warning: cannot look for processes using the mdevs in /tmp/")));
	gvt_stop();
	run_free(&r);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/*
 * 5000 mdevs, 64 to a datagram: every one listed, text and JSON, with the
 * holders of the first and the last found in one scan, in linear time (a
 * quadratic step would take minutes under valgrind, not seconds).
 */
#define FIRST_OF_5000							\
	"00000000-0000-4000-8000-000000000000: parent " GVT_PARENT		\
	" type i915-GVTg_V5_4 iommu_group 100 in_use yes (pid 200 qemu-a) owned yes persistent no\n"

TEST(mdev_show_5000)
{
	json_object *doc, *mdevs, *m, *h;
	double t0, t;
	struct run r;

	gvt_start(NULL, 0);
	g.ndump = 5000;
	fh_comm(200, "qemu-a");
	fh_fd(200, 5, "/dev/vfio/100");		/* the first */
	fh_comm(201, "qemu-b");
	fh_fd(201, 5, "/dev/vfio/5099");	/* the last */
	fh_fd(201, 6, "/dev/vfio/5100");	/* nobody's */

	t0 = now();
	RUN(&r, "mdev", "show");
	t = now() - t0;
	CHECK_INT(r.status, EXIT_OK);
	CHECK_INT(count_lines(r.out), 5000);
	CHECK(!strncmp(r.out, FIRST_OF_5000, strlen(FIRST_OF_5000)));
	CHECK(strstr(r.out, "\n00001387-0000-4000-8000-000000001387: parent " GVT_PARENT
		     " type i915-GVTg_V5_4 iommu_group 5099 in_use yes (pid 201 qemu-b) owned yes persistent no\n"));
	CHECK_STR(r.err, "");
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
	/* A figure, not a verdict: make bench measures the cost per mdev. */
	printf("# 5000 mdevs listed in %.1f s (under valgrind when make test)\n", t);

	gvt_start(NULL, 0);
	g.ndump = 5000;
	fh_comm(201, "qemu-b");
	fh_fd(201, 5, "/dev/vfio/5099");
	RUN(&r, "-j", "mdev", "show");
	CHECK_INT(r.status, EXIT_OK);
	gvt_stop();
	doc = json_tokener_parse(r.out);
	CHECK(doc && json_object_object_get_ex(doc, "mdevs", &mdevs) &&
	      json_object_array_length(mdevs) == 5000);
	if (doc && mdevs && json_object_array_length(mdevs) == 5000) {
		m = json_object_array_get_idx(mdevs, 4999);
		CHECK(json_object_object_get_ex(m, "holders", &h) &&
		      json_object_array_length(h) == 1);
		m = json_object_array_get_idx(mdevs, 4998);
		CHECK(!json_object_object_get_ex(m, "holders", NULL));
	}
	json_object_put(doc);
	run_free(&r);
}

/* ---- mdev add ---- */

TEST(mdev_add_uuid_and_json)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	gvt_start(NULL, 0);
	/* Upper case is accepted and sent as sysfs spells it. */
	RUN(&r, "-j", "mdev", "add", "00:02.0", "uuid",
	    "6EBA5B41-176E-40DB-B93E-7F18E04E0B93", "type", GVT_TYPE_4);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "{\"mdevs\":[{\"uuid\":\"" U "\",\"parent\":\"" GVT_PARENT "\","
		  "\"type\":\"" GVT_TYPE_4 "\",\"iommu_group\":20,\"in_use\":false,"
		  "\"owned\":true,\"persistent\":false}]}\n");
	CHECK_STR(r.err, "");
	CHECK_INT(gvt_stop(), 1);
	CHECK_INT(gvt_req(0, tb), VGPU_CMD_MDEV_ADD);
	CHECK_STR(gvt_str(tb, VGPU_A_DEV_HANDLE), GVT_PARENT);
	CHECK_STR(gvt_str(tb, VGPU_A_TYPE_NAME), GVT_TYPE_4);
	CHECK_STR(gvt_str(tb, VGPU_A_MDEV_UUID), U);
	CHECK_INT(nla_len(tb[VGPU_A_MDEV_UUID]), VGPU_UUID_LEN + 1);
	GVT_ONLY(tb, VGPU_A_DEV_HANDLE, VGPU_A_TYPE_NAME, VGPU_A_MDEV_UUID);
	run_free(&r);

	gvt_start(NULL, 0);
	RUN(&r, "mdev", "add", "00:02.0", "type", GVT_TYPE_4, "uuid", U);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, U "\n");
	gvt_stop();
	run_free(&r);
}

/* The kernel's refusal as it words it; -j still prints one document. */
TEST(mdev_add_kernel_refusal)
{
	struct run r;

	gvt_start(NULL, 0);
	g.add_error = -ENOSPC;
	g.add_text = "no i915-GVTg_V5_1 instances left on pci/0000:00:02.0";
	RUN(&r, "-j", "mdev", "add", "00:02.0", "type", "i915-GVTg_V5_1");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "{\"mdevs\":[]}\n");
	CHECK_STR(r.err, "Error: no i915-GVTg_V5_1 instances left on pci/0000:00:02.0\n");
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}

static void check_add_usage(const char *want, const char *const *args,
			    const char *file, int line)
{
	const char *a[8] = { NULL };
	struct run r;
	int i;

	for (i = 0; i < 7 && args[i]; i++)
		a[i] = args[i];
	gvt_start(NULL, 0);
	RUN(&r, "mdev", "add", a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
	if (r.status != EXIT_USAGE)
		unit_fail(file, line, "exit %d, want 2", r.status);
	if (strcmp(r.err, want))
		unit_fail(file, line, "stderr is\n#   \"%s\"\n# want\n#   \"%s\"",
			  r.err, want);
	if (r.out[0])
		unit_fail(file, line, "stdout: %s", r.out);
	/* Nothing was sent. */
	if (gvt_stop())
		unit_fail(file, line, "requests sent");
	run_free(&r);
}

#define ADD_USAGE "\nUsage: vgpu-nl mdev add DEV type TYPE [uuid UUID] [persist]\n"
#define ADD_BAD(want, ...) \
	check_add_usage("Error: " want ADD_USAGE, \
			(const char *const[]){ __VA_ARGS__, NULL }, \
			__FILE__, __LINE__)

TEST(mdev_add_usage)
{
	/* A malformed UUID is refused before anything is asked. */
	ADD_BAD("malformed UUID '6eba5b41-176e-40db-b93e-7f18e04e0b9' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)",
		"00:02.0", "type", "GVTg_V5_4", "uuid",
		"6eba5b41-176e-40db-b93e-7f18e04e0b9");
	ADD_BAD("malformed UUID '6eba5b41-176e-40db-b93e-7f18e04e0b933' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)",
		"00:02.0", "uuid", "6eba5b41-176e-40db-b93e-7f18e04e0b933", "type", "GVTg_V5_4");
	ADD_BAD("malformed UUID '6eba5b41176e-40db-b93e-7f18e04e0b93a' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)",
		"00:02.0", "uuid", "6eba5b41176e-40db-b93e-7f18e04e0b93a", "type", "GVTg_V5_4");
	ADD_BAD("malformed UUID 'g6eba5b4-176e-40db-b93e-7f18e04e0b93' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)",
		"00:02.0", "uuid", "g6eba5b4-176e-40db-b93e-7f18e04e0b93", "type", "GVTg_V5_4");
	ADD_BAD("malformed UUID '{6eba5b41-176e-40db-b93e-7f18e04e0b93}' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)",
		"00:02.0", "uuid", "{6eba5b41-176e-40db-b93e-7f18e04e0b93}", "type", "GVTg_V5_4");
	ADD_BAD("malformed UUID '' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)",
		"00:02.0", "type", "GVTg_V5_4", "uuid", "");
	ADD_BAD("missing DEV", NULL);
	ADD_BAD("malformed device handle '00:02' (expected pci/DDDD:BB:DD.F)",
		"00:02", "type", "GVTg_V5_4");
	ADD_BAD("missing 'type TYPE'", "00:02.0");
	ADD_BAD("missing 'type TYPE'", "00:02.0", "uuid", U, "persist");
	ADD_BAD("missing value for 'type'", "00:02.0", "type");
	ADD_BAD("missing value for 'uuid'", "00:02.0", "type", "GVTg_V5_4", "uuid");
	ADD_BAD("'type' given twice", "00:02.0", "type", "a-b", "type", "a-b");
	ADD_BAD("'uuid' given twice", "00:02.0", "type", "a-b", "uuid", U, "uuid", U);
	ADD_BAD("'persist' given twice", "00:02.0", "type", "a-b", "persist", "persist");
	ADD_BAD("empty type name", "00:02.0", "type", "");
	ADD_BAD("unexpected argument 'force'", "00:02.0", "type", "a-b", "force");
}

TEST(mdev_add_persist)
{
	struct stat st;
	char *text;
	struct run r;

	gvt_start(NULL, 0);
	RUN(&r, "mdev", "add", "00:02.0", "type", "GVTg_V5_4", "uuid", U, "persist");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, U "\n");
	CHECK_STR(r.err, "");
	text = fh_read(DEF_PATH(U));
	CHECK_STR(text, DEF_TEXT);
	free(text);
	CHECK(stat(fh_path(DEF_PATH(U)), &st) == 0 && (st.st_mode & 07777) == 0644);
	CHECK(stat(fh_path("etc/mdevctl.d/" GVT_PARENT_NAME), &st) == 0 &&
	      (st.st_mode & 07777) == 0755);
	/* Nothing else in the directory: the temporary file is gone. */
	CHECK(!fh_exists("etc/mdevctl.d/" GVT_PARENT_NAME "/." U ".vgpu-nl"));
	/* TYPE_GET, MDEV_ADD: nothing removed. */
	CHECK_INT(gvt_stop(), 2);
	run_free(&r);

	/* A random UUID: the file is named by the kernel's answer; -j says so. */
	gvt_start(NULL, 0);
	RUN(&r, "-j", "mdev", "add", "00:02.0", "type", GVT_TYPE_4, "persist");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "{\"mdevs\":[{\"uuid\":\"" GVT_RANDOM_UUID "\",\"parent\":\"" GVT_PARENT "\","
		  "\"type\":\"" GVT_TYPE_4 "\",\"iommu_group\":20,\"in_use\":false,"
		  "\"owned\":true,\"persistent\":true}]}\n");
	text = fh_read(DEF_PATH(GVT_RANDOM_UUID));
	CHECK_STR(text, DEF_TEXT);
	free(text);
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}

/* Under a strict umask the definition and the record are still 0644. */
TEST(mdev_add_persist_umask)
{
	mode_t umask_was;
	struct stat st;
	struct run r;

	gvt_start(NULL, 0);
	umask_was = umask(077);
	RUN(&r, "mdev", "add", "00:02.0", "type", GVT_TYPE_4, "uuid", U, "persist");
	umask(umask_was);
	CHECK_INT(r.status, EXIT_OK);
	CHECK(stat(fh_path(DEF_PATH(U)), &st) == 0 && (st.st_mode & 07777) == 0644);
	CHECK(stat(fh_path(OWN_DIR U), &st) == 0 &&
	      (st.st_mode & 07777) == 0644);
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}

/* mdevctl itself would refuse a second definition: checked up front. */
TEST(mdev_add_persist_already_defined)
{
	struct run r;

	gvt_start(NULL, 0);
	fh_define(GVT_PARENT_NAME, U, "{}");
	RUN(&r, "mdev", "add", "00:02.0", "type", GVT_TYPE_4, "uuid", U, "persist");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK(!strncmp(r.err, "Error: mdev " U " is already defined in /tmp/",
		       strlen("Error: mdev " U " is already defined in /tmp/")));
	CHECK(strstr(r.err, "/" DEF_PATH(U) "\n"));
	CHECK_INT(gvt_stop(), 0);
	run_free(&r);
}

/*
 * The definition cannot be written: the mdev is removed again (MDEV_DEL
 * of its UUID, no force: it is ours), and the error says both.
 */
static void check_rollback(const char *why_start, const char *why_end,
			   const char *file, int line)
{
	struct run r;

	RUN(&r, "mdev", "add", "00:02.0", "type", GVT_TYPE_4, "uuid", U, "persist");
	if (r.status != EXIT_FAIL)
		unit_fail(file, line, "exit %d, want 1", r.status);
	if (r.out[0])
		unit_fail(file, line, "stdout: %s", r.out);
	if (strncmp(r.err, why_start, strlen(why_start)) || !strstr(r.err, why_end))
		unit_fail(file, line, "stderr is\n#   \"%s\"\n# want\n#   \"%s...%s\"",
			  r.err, why_start, why_end);
	run_free(&r);
	/* Nothing is left behind: no mdev, no file. */
	if (g.nmdevs)
		unit_fail(file, line, "the mdev is still there");
	if (fh_exists(DEF_PATH(U)) && !fh_exists(DEF_PATH(U) "/in-the-way"))
		unit_fail(file, line, "the definition is there");
	if (fh_exists("etc/mdevctl.d/" GVT_PARENT_NAME "/." U ".vgpu-nl"))
		unit_fail(file, line, "the temporary file is there");
}

/* Ends a rollback case: exactly MDEV_ADD and the MDEV_DEL of its UUID. */
static void check_rollback_sent(const char *file, int line)
{
	int n = gvt_stop();

	if (n != 2)
		unit_fail(file, line, "%d requests, want MDEV_ADD and MDEV_DEL", n);
	check_req(0, VGPU_CMD_MDEV_ADD, false, U, false, file, line);
	check_req(1, VGPU_CMD_MDEV_DEL, false, U, false, file, line);
}

TEST(mdev_add_persist_rollback)
{
	struct run r;

	/* The parent's directory cannot be made. */
	gvt_start(NULL, 0);
	fh_write("etc/mdevctl.d/" GVT_PARENT_NAME, "a file");
	check_rollback("Error: cannot make /tmp/",
		       "/etc/mdevctl.d/" GVT_PARENT_NAME ": Not a directory; mdev " U
		       " was removed again\n", __FILE__, __LINE__);
	check_rollback_sent(__FILE__, __LINE__);

	/* The file cannot be put in place (a directory is in the way). */
	gvt_start(NULL, 0);
	fh_mkdir(DEF_PATH(U) "/in-the-way");
	check_rollback("Error: cannot write /tmp/",
		       "/" DEF_PATH(U) ": Is a directory; mdev " U " was removed again\n",
		       __FILE__, __LINE__);
	check_rollback_sent(__FILE__, __LINE__);

	/* -j: one document, empty. */
	gvt_start(NULL, 0);
	fh_write("etc/mdevctl.d/" GVT_PARENT_NAME, "a file");
	RUN(&r, "-j", "mdev", "add", "00:02.0", "type", GVT_TYPE_4, "uuid", U, "persist");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "{\"mdevs\":[]}\n");
	check_rollback_sent(__FILE__, __LINE__);
	run_free(&r);

	/* No mdevctl: nothing would bring the mdev back. */
	gvt_start(NULL, 0);
	fh_remove("etc/mdevctl.d");
	check_rollback("Error: /tmp/",
		       "/etc/mdevctl.d: No such file or directory (is mdevctl installed? without it "
		       "nothing recreates the mdev after a reboot); mdev " U " was removed again\n",
		       __FILE__, __LINE__);
	check_rollback_sent(__FILE__, __LINE__);

	/* The removal fails too: both are said. */
	gvt_start(NULL, 0);
	fh_write("etc/mdevctl.d/" GVT_PARENT_NAME, "a file");
	g.del = GVT_DEL_REFUSE;
	g.del_error = -EBUSY;
	g.del_text = "mdev " U " is open; removal completes when it is closed";
	RUN(&r, "mdev", "add", "00:02.0", "type", GVT_TYPE_4, "uuid", U, "persist");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK(strstr(r.err, ": Not a directory; removing mdev " U " again failed too: mdev " U
		     " is open; removal completes when it is closed\n"));
	check_rollback_sent(__FILE__, __LINE__);
	run_free(&r);
}

/* ---- mdev del ---- */

TEST(mdev_del_not_in_use)
{
	struct gvt_mdev mine[3];
	struct run r;
	char *err;

	abc_a_unused(mine);
	gvt_start(mine, 3);
	fh_define(GVT_PARENT_NAME, A, DEF_TEXT);
	fh_define("0000:00:02.1", A, DEF_TEXT);		/* stale, elsewhere */
	fh_define(GVT_PARENT_NAME, B, DEF_TEXT);	/* another mdev's */
	fh_comm(300, "bash");
	fh_fd(300, 3, "/dev/vfio/32");			/* B's group, not A's */
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "");
	/* Both definitions removed, each said; readdir order is the fs's. */
	err = r.err;
	CHECK(strstr(err, "removed the mdevctl definition /tmp/"));
	CHECK(strstr(err, "/etc/mdevctl.d/" GVT_PARENT_NAME "/" A "\n"));
	CHECK(strstr(err, "/etc/mdevctl.d/0000:00:02.1/" A "\n"));
	CHECK_INT(count_lines(err), 2);
	CHECK(!fh_exists(DEF_PATH(A)));
	CHECK(!fh_exists("etc/mdevctl.d/0000:00:02.1/" A));
	CHECK(fh_exists(DEF_PATH(B)));
	/* One request: the kernel checks that nobody holds A, and removes it. */
	CHECK_INT(gvt_stop(), 1);
	CHECK_REQ(0, VGPU_CMD_MDEV_DEL, false, A, REQ_IF_UNUSED);
	/* A removal the kernel completes needs no listener, no second socket. */
	CHECK_INT(g.subscribed_at[0], 0);
	CHECK_INT(fk_connects(), 1);
	CHECK_INT(g.nmdevs, 2);
	run_free(&r);

	/*
	 * A module older than the flag (API 6) refuses it as an unknown
	 * attribute, having done nothing: the tool asks (MDEV_GET, and /proc,
	 * which shows no holder of A) and removes A without it.
	 */
	gvt_start(abc, 3);
	fh_comm(300, "bash");
	fh_fd(300, 3, "/dev/vfio/32");
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "");
	CHECK_INT(gvt_stop(), 3);
	CHECK_REQ(0, VGPU_CMD_MDEV_DEL, false, A, REQ_IF_UNUSED);
	CHECK_REQ(1, VGPU_CMD_MDEV_GET, false, A, 0);
	CHECK_REQ(2, VGPU_CMD_MDEV_DEL, false, A, 0);
	CHECK_INT(g.nmdevs, 2);
	run_free(&r);

	/* Upper case names the same mdev; no definition: nothing said. */
	gvt_start(abc, 3);
	RUN(&r, "mdev", "del", "11111111-1111-4111-8111-111111111111");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "");
	gvt_stop();
	run_free(&r);
}

/*
 * Held, with a module that cannot refuse it itself (API 6): refused after
 * the question, before any removal is asked for, every holder named.
 */
TEST(mdev_del_refused_when_held)
{
	struct run r;

	gvt_start(abc, 3);
	qemu_holds_a();
	fh_define(GVT_PARENT_NAME, A, DEF_TEXT);
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: mdev " A " is in use by pid 123 (qemu-system-x86); stop it or add 'force'\n");
	CHECK(fh_exists(DEF_PATH(A)));
	CHECK_INT(gvt_stop(), 2);
	CHECK_REQ(0, VGPU_CMD_MDEV_DEL, false, A, REQ_IF_UNUSED);
	CHECK_REQ(1, VGPU_CMD_MDEV_GET, false, A, 0);
	CHECK_INT(g.subscribed_at[1], 0);
	CHECK_INT(g.nmdevs, 3);
	run_free(&r);

	/* Through its iommufd cdev, and by two processes. */
	gvt_start(abc, 3);
	qemu_holds_a();
	fh_mdev(A, "vfio4");
	fh_comm(456, "virsh");
	fh_fd(456, 9, "/dev/vfio/devices/vfio4");
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: mdev " A " is in use by pid 123 (qemu-system-x86), "
		  "pid 456 (virsh); stop it or add 'force'\n");
	CHECK_INT(gvt_stop(), 2);
	run_free(&r);
}

/*
 * The kernel decides (MDEV_DEL's VGPU_A_MDEV_IF_UNUSED): an mdev nobody
 * holds goes without a look at /proc (here a stale fake holder of A's
 * group, which a look would find); one held is refused, and only then
 * does the tool ask (MDEV_GET's VGPU_A_MDEV_IN_USE) and name the holders
 * /proc shows, or say none is visible.
 */
TEST(mdev_del_kernel_in_use)
{
	struct gvt_mdev mine[3];
	struct run r;

	abc_a_unused(mine);
	gvt_start(mine, 3);
	qemu_holds_a();
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "");
	CHECK_INT(gvt_stop(), 1);
	CHECK_REQ(0, VGPU_CMD_MDEV_DEL, false, A, REQ_IF_UNUSED);
	run_free(&r);

	mine[0].in_use = GVT_IN_USE_YES;
	gvt_start(mine, 3);
	qemu_holds_a();
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: mdev " A " is in use by pid 123 (qemu-system-x86); stop it or add 'force'\n");
	CHECK_INT(gvt_stop(), 2);
	CHECK_REQ(0, VGPU_CMD_MDEV_DEL, false, A, REQ_IF_UNUSED);
	CHECK_REQ(1, VGPU_CMD_MDEV_GET, false, A, 0);
	CHECK_INT(g.subscribed_at[1], 0);
	run_free(&r);

	/* Held where this tool's /proc does not show it. */
	gvt_start(mine, 3);
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: mdev " A " is in use by a process this tool cannot name "
		  "(in another PID namespace, or holding only the VFIO device file); "
		  "stop it or add 'force'\n");
	CHECK_INT(gvt_stop(), 2);
	CHECK_INT(g.nmdevs, 3);
	run_free(&r);
}

/*
 * force: held or not, MDEV_DEL goes with VGPU_A_FORCE, and it is all that
 * is sent: the question and the /proc pass were for the refusal only.
 */
TEST(mdev_del_force)
{
	struct run r;

	gvt_start(abc, 3);
	qemu_holds_a();
	RUN(&r, "mdev", "del", A, "force");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "");
	CHECK_INT(gvt_stop(), 1);
	CHECK_REQ(0, VGPU_CMD_MDEV_DEL, false, A, true);
	CHECK_INT(g.nmdevs, 2);
	run_free(&r);

	/* No such mdev: the kernel says so. */
	gvt_start(abc, 3);
	RUN(&r, "mdev", "del", U, "force");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: no mdev " U "\n");
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}

/* Not made by vgpu-nl: the kernel refuses in its own words. */
TEST(mdev_del_kernel_refusal)
{
	struct gvt_mdev mine[3];
	struct run r;

	gvt_start(abc, 3);
	fh_define(GVT_PARENT_NAME, B, DEF_TEXT);
	g.del = GVT_DEL_REFUSE;
	g.del_error = -EPERM;
	g.del_text = "mdev " B " was not made by vgpu-nl; add force to remove it";
	RUN(&r, "mdev", "del", B);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: mdev " B " was not made by vgpu-nl; add force to remove it\n");
	/* Refused: the definition stays. */
	CHECK(fh_exists(DEF_PATH(B)));
	/* an older module: DEL with the flag (unknown), GET, DEL */
	CHECK_INT(gvt_stop(), 3);
	CHECK_REQ(2, VGPU_CMD_MDEV_DEL, false, B, 0);
	run_free(&r);

	/* Not root: the genl core refuses without a text; one request. */
	abc_a_unused(mine);
	gvt_start(mine, 3);
	fh_define(GVT_PARENT_NAME, A, DEF_TEXT);
	g.del = GVT_DEL_REFUSE;
	g.del_error = -EPERM;
	g.del_text = NULL;
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: Operation not permitted: changes need root (CAP_NET_ADMIN)\n");
	CHECK(fh_exists(DEF_PATH(A)));
	CHECK_INT(gvt_stop(), 1);
	CHECK_REQ(0, VGPU_CMD_MDEV_DEL, false, A, REQ_IF_UNUSED);
	run_free(&r);

	/* EBUSY for another reason than a queued removal: said as it is. */
	gvt_start(abc, 3);
	g.del = GVT_DEL_REFUSE;
	g.del_error = -EBUSY;
	g.del_text = "the parent is busy";
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: the parent is busy\n");
	/* DEL (flag unknown), GET, DEL, GET (not removing) */
	CHECK_INT(gvt_stop(), 4);
	CHECK_REQ(3, VGPU_CMD_MDEV_GET, false, A, 0);
	run_free(&r);

	/* No such mdev. */
	gvt_start(abc, 3);
	RUN(&r, "mdev", "del", U);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: no mdev " U "\n");
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}

/*
 * A forced removal the kernel queues (EBUSY): listen, ask, wait for the
 * mdev-del event, which the fake kernel sends once the tool has asked.
 */
TEST(mdev_del_waits_for_the_event)
{
	struct run r;

	gvt_start(abc, 3);
	qemu_holds_a();
	fh_define(GVT_PARENT_NAME, A, DEF_TEXT);
	g.del = GVT_DEL_QUEUE;
	RUN(&r, "mdev", "del", A, "force");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "");
	CHECK(!strncmp(r.err, "removed the mdevctl definition /tmp/", 36));
	CHECK(strstr(r.err, "/" DEF_PATH(A) "\n"
		     "waiting for pid 123 (qemu-system-x86) to release mdev " A "...\n"));
	CHECK_INT(count_lines(r.err), 2);
	CHECK_INT(gvt_stop(), 2);
	CHECK_REQ(0, VGPU_CMD_MDEV_DEL, false, A, true);
	CHECK_REQ(1, VGPU_CMD_MDEV_GET, false, A, false);
	/* Listening before asking: the event cannot slip by. */
	CHECK_INT(g.subscribed_at[1], 1);
	CHECK_INT(g.nmdevs, 2);
	run_free(&r);
}

/*
 * Queued, but gone before the tool listened (its event reached nobody):
 * the question after subscribing finds it gone, and nothing is awaited.
 */
TEST(mdev_del_queued_gone_before_listening)
{
	struct run r;

	gvt_start(abc, 3);
	fh_define(GVT_PARENT_NAME, A, DEF_TEXT);
	g.del = GVT_DEL_QUEUE_GONE;
	RUN(&r, "mdev", "del", A, "force");
	CHECK_INT(r.status, EXIT_OK);
	CHECK(!strncmp(r.err, "removed the mdevctl definition /tmp/", 36));
	CHECK_INT(count_lines(r.err), 1);
	CHECK(!fh_exists(DEF_PATH(A)));
	CHECK_INT(gvt_stop(), 2);
	CHECK_REQ(1, VGPU_CMD_MDEV_GET, false, A, false);
	CHECK_INT(g.subscribed_at[1], 1);
	run_free(&r);
}

/*
 * "mdev del A" of the mdevs @m, which the kernel queues: the request that
 * came back EBUSY is the one before the last, @n requests in all, the last
 * the MDEV_GET that found A removing.
 */
static void del_queued_unforced(const struct gvt_mdev *m, int n,
				const char *file, int line)
{
	struct run r;
	int sent;

	gvt_start(m, 3);
	g.del = GVT_DEL_QUEUE;
	RUN(&r, "mdev", "del", A);
	if (r.status != EXIT_OK ||
	    strcmp(r.err, "waiting for its user to release mdev " A "...\n"))
		unit_fail(file, line, "status %d, stderr '%s'", r.status, r.err);
	sent = gvt_stop();
	if (sent != n)
		unit_fail(file, line, "%d requests, want %d", sent, n);
	check_req(n - 1, VGPU_CMD_MDEV_GET, false, A, 0, file, line);
	run_free(&r);
}

/*
 * Without force the kernel is not meant to queue: its EBUSY is checked
 * against the mdev's REMOVING flag, and waited for if it did queue.
 */
TEST(mdev_del_waits_unforced)
{
	struct gvt_mdev mine[3];
	struct run r;

	/* Free when the kernel looked, opened before the removal ran. */
	abc_a_unused(mine);
	del_queued_unforced(mine, 2, __FILE__, __LINE__);
	CHECK_REQ(0, VGPU_CMD_MDEV_DEL, false, A, REQ_IF_UNUSED);

	/* The same with an older module: asked first, DEL without the flag. */
	del_queued_unforced(abc, 4, __FILE__, __LINE__);
	CHECK_REQ(2, VGPU_CMD_MDEV_DEL, false, A, 0);

	/* A removal already queued (by another del) is waited for too. */
	gvt_start(abc, 3);
	g.del = GVT_DEL_QUEUE;
	RUN(&r, "mdev", "del", C, "force");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "waiting for its user to release mdev " C "...\n");
	CHECK_INT(gvt_stop(), 2);
	run_free(&r);
}

/* The events overflowed: the kernel is asked instead, and says gone. */
TEST(mdev_del_events_lost)
{
	struct run r;

	gvt_start(abc, 3);
	g.del = GVT_DEL_QUEUE_LOST;
	RUN(&r, "mdev", "del", A, "force");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "waiting for its user to release mdev " A "...\n");
	CHECK_INT(gvt_stop(), 3);
	CHECK_REQ(2, VGPU_CMD_MDEV_GET, false, A, false);
	CHECK_INT(g.nmdevs, 2);
	run_free(&r);
}

/* ^C while waiting: exit 1, and the removal stays queued. */
TEST(mdev_del_wait_interrupted)
{
	struct sigaction before, old;
	struct run r;

	/* SIG_DFL, or SIG_IGN in a job a non-interactive shell started. */
	sigaction(SIGINT, NULL, &before);
	gvt_start(abc, 3);
	qemu_holds_a();
	g.del = GVT_DEL_QUEUE_SILENT;
	g.signal_on_del = SIGINT;
	RUN(&r, "mdev", "del", A, "force");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "waiting for pid 123 (qemu-system-x86) to release mdev " A "...\n"
		  "Error: interrupted; the removal of mdev " A " stays queued: the kernel "
		  "completes it when pid 123 (qemu-system-x86) lets go\n");
	CHECK_INT(gvt_stop(), 2);
	run_free(&r);
	/* The action from before is back, nothing is left pending. */
	sigaction(SIGINT, NULL, &old);
	CHECK(old.sa_handler == before.sa_handler);
}

static int signal_seen;
static bool signal_after_bookkeeping;
static bool (*signal_bookkeeping_done)(void);

/* The process's own action for the signal in these tests: count, look. */
static void count_signal(int sig)
{
	(void)sig;
	signal_seen++;
	signal_after_bookkeeping = signal_bookkeeping_done();
}

/* count_signal() as @sig's action until signal_count_end(). */
static void signal_count_begin(int sig, bool (*done)(void),
			       struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = count_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, old);
	signal_seen = 0;
	signal_after_bookkeeping = false;
	signal_bookkeeping_done = done;
}

static void signal_count_end(int sig, const struct sigaction *old)
{
	sigaction(sig, old, NULL);
}

static bool definition_a_gone(void)
{
	return !fh_exists(DEF_PATH(A));
}

/*
 * ^C (or a hangup: the admin's ssh session went) while a del that does not
 * wait runs: held back until its bookkeeping is done, then delivered to
 * what the process had (here a counter; by default it ends the process),
 * not swallowed.
 */
static void del_signal_after_bookkeeping(int sig)
{
	struct gvt_mdev mine[3];
	struct sigaction old;
	struct run r;

	abc_a_unused(mine);
	gvt_start(mine, 3);
	fh_define(GVT_PARENT_NAME, A, DEF_TEXT);
	g.signal_on_del = sig;
	signal_count_begin(sig, definition_a_gone, &old);
	RUN(&r, "mdev", "del", A);
	signal_count_end(sig, &old);
	CHECK_INT(r.status, EXIT_OK);
	CHECK(!strstr(r.err, "Error"));
	CHECK_INT(signal_seen, 1);
	CHECK(signal_after_bookkeeping);
	CHECK(!fh_exists(DEF_PATH(A)));
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}

TEST(mdev_del_sigint_after_bookkeeping)
{
	del_signal_after_bookkeeping(SIGINT);
}

TEST(mdev_del_sighup_after_bookkeeping)
{
	del_signal_after_bookkeeping(SIGHUP);
}

static bool u_recorded_and_defined(void)
{
	return fh_exists(OWN_DIR U) && fh_exists(DEF_PATH(U));
}

/*
 * ^C (or a hangup) as the kernel makes the mdev: the add still records
 * it, writes its definition and prints its UUID, and only then is the
 * signal taken.
 */
static void add_signal_after_bookkeeping(int sig)
{
	struct sigaction old;
	struct run r;

	gvt_start(NULL, 0);
	g.signal_on_add = sig;
	signal_count_begin(sig, u_recorded_and_defined, &old);
	RUN(&r, "mdev", "add", "00:02.0", "type", GVT_TYPE_4, "uuid", U, "persist");
	signal_count_end(sig, &old);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, U "\n");
	CHECK_INT(signal_seen, 1);
	CHECK(signal_after_bookkeeping);
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}

TEST(mdev_add_sigint_after_bookkeeping)
{
	add_signal_after_bookkeeping(SIGINT);
}

TEST(mdev_add_sighup_after_bookkeeping)
{
	add_signal_after_bookkeeping(SIGHUP);
}

/* Without /proc: refused unless forced, as not knowing is not "free". */
TEST(mdev_del_without_proc)
{
	struct run r;

	gvt_start(abc, 3);
	fh_remove("proc");
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK(!strncmp(r.err, "Error: cannot look for processes using mdev " A " in /tmp/",
		       strlen("Error: cannot look for processes using mdev " A " in /tmp/")));
	CHECK(strstr(r.err, "/proc: No such file or directory; add 'force' to remove it anyway\n"));
	CHECK_INT(gvt_stop(), 2);
	run_free(&r);

	gvt_start(abc, 3);
	fh_remove("proc");
	RUN(&r, "mdev", "del", A, "force");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}

TEST(mdev_del_usage)
{
	struct run r;

	gvt_start(abc, 3);
	RUN(&r, "mdev", "del", "11111111-1111-4111-8111-11111111111");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: malformed UUID '11111111-1111-4111-8111-11111111111' "
		  "(expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)\n"
		  "Usage: vgpu-nl mdev del UUID [force]\n");
	run_free(&r);
	RUN(&r, "mdev", "del", "11111111_1111-4111-8111-111111111111", "force");
	CHECK_INT(r.status, EXIT_USAGE);
	run_free(&r);
	RUN(&r, "mdev", "del");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, "Error: missing UUID\nUsage: vgpu-nl mdev del UUID [force]\n");
	run_free(&r);
	RUN(&r, "mdev", "del", A, "now");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, "Error: unexpected argument 'now'\nUsage: vgpu-nl mdev del UUID [force]\n");
	run_free(&r);
	RUN(&r, "mdev", "del", A, "force", "force");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, "Error: unexpected argument 'force'\nUsage: vgpu-nl mdev del UUID [force]\n");
	run_free(&r);
	/* Nothing was sent. */
	CHECK_INT(gvt_stop(), 0);
}

/* ---- who made an mdev, across a reload of the module (mdevown.h) ---- */

#define OWN_TEXT(type)	"parent " GVT_PARENT "\ntype " type "\n"

/* The mdevs of abc after a reload of vgpu_nl: the kernel owns none. */
static const struct gvt_mdev reloaded[] = {
	{ .uuid = A, .group = 31, .driver = "vfio_mdev",
	  .in_use = GVT_IN_USE_NO },
	{ .uuid = B, .type = "i915-GVTg_V5_8", .group = 32,
	  .in_use = GVT_IN_USE_NO },
};

/* mdev add records what it made: a file per mdev, root's, 0644. */
TEST(mdev_own_add_records)
{
	struct stat st;
	struct run r;
	char *text;

	gvt_start(NULL, 0);
	RUN(&r, "mdev", "add", "00:02.0", "type", "GVTg_V5_4", "uuid", U);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "");
	text = fh_read(OWN_DIR U);
	CHECK_STR(text ? text : "(none)", OWN_TEXT(GVT_TYPE_4));
	CHECK(stat(fh_path(OWN_DIR U), &st) == 0 && (st.st_mode & 07777) == 0644);
	CHECK(!fh_exists(OWN_DIR "." U ".tmp"));
	free(text);
	run_free(&r);

	/* Removed through vgpu-nl: the record goes. */
	RUN(&r, "mdev", "del", U);
	CHECK_INT(r.status, EXIT_OK);
	CHECK(!fh_exists(OWN_DIR U));
	run_free(&r);
	gvt_stop();

	/* The directory there, a leftover of an interrupted write in it. */
	gvt_start(NULL, 0);
	fh_mkdir("run/vgpu-nl");
	fh_mkdir(OWN_DIR);
	fh_write(OWN_DIR "." U ".tmp", "parent half");
	RUN(&r, "mdev", "add", "00:02.0", "type", "GVTg_V5_4", "uuid", U);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "");
	text = fh_read(OWN_DIR U);
	CHECK_STR(text ? text : "(none)", OWN_TEXT(GVT_TYPE_4));
	CHECK(!fh_exists(OWN_DIR "." U ".tmp"));
	free(text);
	run_free(&r);
	gvt_stop();

	/* A random UUID: the one the kernel made is recorded. */
	gvt_start(NULL, 0);
	RUN(&r, "mdev", "add", "00:02.0", "type", GVT_TYPE_4);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, GVT_RANDOM_UUID "\n");
	CHECK(fh_exists(OWN_DIR GVT_RANDOM_UUID));
	run_free(&r);
	gvt_stop();
}

/* A refused creation records nothing; a record that cannot be written warns. */
TEST(mdev_own_add_failures)
{
	struct run r;

	gvt_start(NULL, 0);
	g.add_error = -ENOSPC;
	g.add_text = "no instances of " GVT_TYPE_4 " left";
	RUN(&r, "mdev", "add", "00:02.0", "type", GVT_TYPE_4, "uuid", U);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK(!fh_exists(OWN_DIR U));
	run_free(&r);
	gvt_stop();

	gvt_start(NULL, 0);
	fh_mkdir("run");
	fh_write("run/vgpu-nl", "a file where the directory would be");
	RUN(&r, "mdev", "add", "00:02.0", "type", GVT_TYPE_4, "uuid", U);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, U "\n");
	CHECK(strstr(r.err, "Warning: cannot record mdev " U " as vgpu-nl's in /tmp/"));
	CHECK(strstr(r.err, "/run/vgpu-nl/mdevs: Not a directory; it counts as vgpu-nl's only while vgpu_nl stays loaded\n"));
	run_free(&r);
	gvt_stop();
}

/* After a reload: owned by the record, removed without force (FORCE vouches). */
TEST(mdev_own_survives_a_reload)
{
	struct run r;

	gvt_start(reloaded, 2);
	fh_mkdir(OWN_DIR);
	fh_write(OWN_DIR A, OWN_TEXT(GVT_TYPE_4));
	RUN(&r, "-j", "mdev", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK(strstr(r.out, "\"uuid\":\"" A "\",") &&
	      strstr(strstr(r.out, "\"uuid\":\"" A "\","), "\"owned\":true"));
	CHECK(strstr(r.out, "\"uuid\":\"" B "\",") &&
	      strstr(strstr(r.out, "\"uuid\":\"" B "\","), "\"owned\":false"));
	run_free(&r);
	CHECK_INT(gvt_stop(), 1);

	gvt_start(reloaded, 2);
	fh_mkdir(OWN_DIR);
	fh_write(OWN_DIR A, OWN_TEXT(GVT_TYPE_4));
	RUN(&r, "mdev", "del", A);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "");
	CHECK(!fh_exists(OWN_DIR A));
	/* DEL refused (not the kernel's), GET, DEL with FORCE */
	CHECK_INT(gvt_stop(), 3);
	CHECK_REQ(0, VGPU_CMD_MDEV_DEL, false, A, REQ_IF_UNUSED);
	CHECK_REQ(2, VGPU_CMD_MDEV_DEL, false, A, REQ_FORCE);
	run_free(&r);

	/* Not recorded (Proxmox VE's): no FORCE; the kernel refuses. */
	gvt_start(reloaded, 2);
	fh_mkdir(OWN_DIR);
	fh_write(OWN_DIR A, OWN_TEXT(GVT_TYPE_4));
	g.del = GVT_DEL_REFUSE;
	g.del_error = -EPERM;
	g.del_text = "mdev " B " not created by vgpu-nl; use force";
	RUN(&r, "mdev", "del", B);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: mdev " B " not created by vgpu-nl; use force\n");
	CHECK(fh_exists(OWN_DIR A));
	CHECK_INT(gvt_stop(), 3);
	CHECK_REQ(2, VGPU_CMD_MDEV_DEL, false, B, 0);
	run_free(&r);
}

/* A record of another parent or type is no claim on an mdev. */
TEST(mdev_own_record_must_match)
{
	struct run r;

	gvt_start(reloaded, 2);
	fh_mkdir(OWN_DIR);
	fh_write(OWN_DIR A, OWN_TEXT("i915-GVTg_V5_8"));
	fh_write(OWN_DIR B, "parent pci/0000:00:02.1\ntype i915-GVTg_V5_8\n");
	RUN(&r, "mdev", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK(strstr(r.out, A ": ") && strstr(strstr(r.out, A ": "), " owned no "));
	CHECK(strstr(r.out, B ": ") && strstr(strstr(r.out, B ": "), " owned no "));
	run_free(&r);
	RUN(&r, "mdev", "del", A);
	/* show's dump, then del's DEL (refused), GET and DEL, without FORCE. */
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_INT(gvt_stop(), 4);
	CHECK_REQ(3, VGPU_CMD_MDEV_DEL, false, A, 0);
	run_free(&r);
}

/*
 * Listing every mdev brings the records in line: a record of an mdev that
 * is gone is dropped (its UUID may come back, made by someone else), one
 * the kernel owns gets one. A listing of one parent changes nothing.
 */
TEST(mdev_own_sync)
{
	struct run r;
	char *text;

	gvt_start(abc, 3);
	fh_mkdir(OWN_DIR);
	fh_write(OWN_DIR U, OWN_TEXT(GVT_TYPE_4));
	fh_write(OWN_DIR "not-a-uuid", "left alone");
	RUN(&r, "mdev", "show", "00:02.0");
	CHECK_INT(r.status, EXIT_OK);
	CHECK(fh_exists(OWN_DIR U));
	CHECK(!fh_exists(OWN_DIR A));
	run_free(&r);
	RUN(&r, "mdev", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK(!fh_exists(OWN_DIR U));
	CHECK(fh_exists(OWN_DIR "not-a-uuid"));
	text = fh_read(OWN_DIR A);
	CHECK_STR(text ? text : "(none)", OWN_TEXT(GVT_TYPE_4));
	free(text);
	CHECK(fh_exists(OWN_DIR C));
	CHECK(!fh_exists(OWN_DIR B));
	run_free(&r);
	gvt_stop();
}
