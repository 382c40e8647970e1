// SPDX-License-Identifier: GPL-2.0
/*
 * test_resource.c - "resource show" in text, JSON and OpenMetrics, and the
 * quota nest "vf set ... quota" sends, against a scripted kernel
 *
 * The scripted PF pci/0000:01:00.0 has 2 of 7 VFs and an i915 layout:
 * ggtt 3584M = pf_spare 64M + vf1 1536M + vf2 1536M + free 448M; it is
 * also a GVT-g parent with one mdev of 128M low GM.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "fake_kernel.h"
#include "unit.h"

#define RUN(r, ...)	run_tool(r, __VA_ARGS__, (const char *)NULL)
#define PF	"pci/0000:01:00.0"
#define UUID	"5a3e0c2b-8d41-4f6a-9b7e-2c1d0e9f8a76"
#define MB	(1ULL << 20)

static struct nlattr *res_start(struct nl_msg *m, int attr, const char *name,
				uint8_t unit)
{
	struct nlattr *nest = nla_nest_start(m, attr);

	nla_put_string(m, VGPU_A_RES_NAME, name);
	nla_put_u8(m, VGPU_A_RES_UNIT, unit);
	return nest;
}

static void res_child(struct nl_msg *m, const char *name, uint8_t unit,
		      uint64_t size)
{
	struct nlattr *c = res_start(m, VGPU_A_RES_CHILD, name, unit);

	nla_put_u64(m, VGPU_A_RES_SIZE, size);
	nla_nest_end(m, c);
}

/* The device, its layout, and the ggtt resource with the children asked. */
static struct nl_msg *report_head(const struct nlmsghdr *req, int flags,
				  bool spare_vf1, bool vf2)
{
	struct nl_msg *m = fk_reply(req, flags);
	struct nlattr *r;

	nla_put_string(m, VGPU_A_DEV_HANDLE, PF);
	nla_put_string(m, VGPU_A_DEV_PROVISIONING, "i915-prelim_iov");
	r = res_start(m, VGPU_A_RESOURCE, "ggtt", VGPU_RES_UNIT_BYTES);
	nla_put_u64(m, VGPU_A_RES_SIZE, 3584 * MB);
	nla_put_u64(m, VGPU_A_RES_OCC, 3136 * MB);
	nla_put_u64(m, VGPU_A_RES_FREE, 448 * MB);
	nla_put_u64(m, VGPU_A_RES_MAX_QUOTA, 448 * MB);
	if (spare_vf1) {
		res_child(m, "pf_spare", VGPU_RES_UNIT_BYTES, 64 * MB);
		res_child(m, "vf1", VGPU_RES_UNIT_BYTES, 1536 * MB);
	}
	if (vf2)
		res_child(m, "vf2", VGPU_RES_UNIT_BYTES, 1536 * MB);
	nla_nest_end(m, r);
	return m;
}

/* The GVT-g resources: one mdev of type _4. */
static void report_gvt(struct nl_msg *m)
{
	struct nlattr *r;

	r = res_start(m, VGPU_A_RESOURCE, "low_gm", VGPU_RES_UNIT_BYTES);
	nla_put_u64(m, VGPU_A_RES_OCC, 128 * MB);
	res_child(m, UUID, VGPU_RES_UNIT_BYTES, 128 * MB);
	nla_nest_end(m, r);
	r = res_start(m, VGPU_A_RESOURCE, "fences", VGPU_RES_UNIT_COUNT);
	nla_put_u64(m, VGPU_A_RES_OCC, 4);
	res_child(m, UUID, VGPU_RES_UNIT_COUNT, 4);
	nla_nest_end(m, r);
}

static struct nl_msg *report(const struct nlmsghdr *req, int flags)
{
	struct nl_msg *m = report_head(req, flags, true, true);

	report_gvt(m);
	return m;
}

/* The same report in two messages, as the kernel splits a big one. */
static bool split;

static struct nl_msg *ggtt_part(const struct nlmsghdr *req, bool first)
{
	struct nl_msg *m = report_head(req, NLM_F_MULTI, first, !first);

	if (!first)
		report_gvt(m);
	return m;
}

static struct {
	int quota_attrs;		/* keys in the last VF_SET's nest */
	uint64_t ggtt, prio;
	bool has_driver;
} seen;

static void script(const struct nlmsghdr *req, int n, void *arg)
{
	struct nlattr *tb[VGPU_A_MAX + 1], *qt[VGPU_A_QUOTA_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(req);
	struct nl_msg *m;
	int i;

	(void)n;
	(void)arg;
	switch (g->cmd) {
	case VGPU_CMD_RESOURCE_GET:
		if (split) {
			fk_answer(ggtt_part(req, true), NULL);
			fk_answer(ggtt_part(req, false), NULL);
			fk_answer(fk_done(req, 0, NULL), NULL);
		} else if (req->nlmsg_flags & NLM_F_DUMP) {
			fk_answer(report(req, NLM_F_MULTI), NULL);
			fk_answer(fk_done(req, 0, NULL), NULL);
		} else {
			fk_answer(report(req, 0), NULL);
			fk_answer(fk_ack(req), NULL);
		}
		break;
	case VGPU_CMD_DEV_GET:
		m = fk_reply(req, req->nlmsg_flags & NLM_F_DUMP ? NLM_F_MULTI : 0);
		nla_put_string(m, VGPU_A_DEV_HANDLE, PF);
		nla_put_u8(m, VGPU_A_DEV_MDEV_PARENT, 1);
		fake_sriov(m, 7, 2, 1);
		fk_answer(m, NULL);
		fk_answer(req->nlmsg_flags & NLM_F_DUMP ? fk_done(req, 0, NULL) :
			  fk_ack(req), NULL);
		break;
	case VGPU_CMD_MDEV_GET:
		m = fk_reply(req, NLM_F_MULTI);
		nla_put_string(m, VGPU_A_MDEV_UUID, UUID);
		nla_put_string(m, VGPU_A_MDEV_PARENT, PF);
		nla_put_string(m, VGPU_A_MDEV_TYPE, "i915-GVTg_V5_4");
		fk_answer(m, NULL);
		fk_answer(fk_done(req, 0, NULL), NULL);
		break;
	case VGPU_CMD_VF_SET:
		memset(&seen, 0, sizeof(seen));
		genlmsg_parse((struct nlmsghdr *)req, 0, tb, VGPU_A_MAX, NULL);
		seen.has_driver = tb[VGPU_A_VF_DRIVER_OVERRIDE];
		if (tb[VGPU_A_VF_QUOTA] &&
		    !nla_parse_nested(qt, VGPU_A_QUOTA_MAX, tb[VGPU_A_VF_QUOTA], NULL)) {
			for (i = 1; i <= VGPU_A_QUOTA_MAX; i++)
				seen.quota_attrs += !!qt[i];
			if (qt[VGPU_A_QUOTA_GGTT])
				seen.ggtt = nla_get_u64(qt[VGPU_A_QUOTA_GGTT]);
			if (qt[VGPU_A_QUOTA_PRIORITY])
				seen.prio = nla_get_u8(qt[VGPU_A_QUOTA_PRIORITY]);
		}
		fk_answer(fk_error(req, -ENOSPC,
				   "ggtt: 512 MiB more asked but only 448 MiB free (see resource show)"),
			  NULL);
		break;
	default:
		fk_answer(fk_error(req, -EOPNOTSUPP, NULL), NULL);
	}
}

#define REPORT_TEXT							\
	PF ": provisioning i915-prelim_iov\n"				\
	"  ggtt size 3584M occ 3136M free 448M max_quota 448M unit bytes\n" \
	"    pf_spare 64M\n"						\
	"    vf1 1536M\n"							\
	"    vf2 1536M\n"							\
	"  low_gm occ 128M unit bytes\n"					\
	"    " UUID " 128M\n"						\
	"  fences occ 4 unit count\n"					\
	"    " UUID " 4\n"

TEST(resource_show_text)
{
	struct run r;

	split = false;
	fk_start(script, NULL);
	RUN(&r, "resource", "show", "01:00.0");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, REPORT_TEXT);
	CHECK_STR(r.err, "");
	CHECK_INT(fk_stop(), 1);
	run_free(&r);
}

/* A report in two messages reads as one: the resource is not repeated. */
TEST(resource_show_split_report)
{
	const char *p, *sample = "vgpu_resource_size{device=\"" PF
				 "\",resource=\"ggtt\",unit=\"bytes\"} 3758096384\n";
	struct run r;
	int n = 0;

	split = true;
	fk_start(script, NULL);
	RUN(&r, "resource", "show");
	CHECK_STR(r.out, REPORT_TEXT);
	fk_stop();
	run_free(&r);

	fk_start(script, NULL);
	RUN(&r, "-j", "resource", "show");
	for (p = r.out; (p = strstr(p, "\"name\":\"ggtt\"")); p++)
		n++;
	CHECK_INT(n, 1);
	CHECK(strstr(r.out, "\"name\":\"vf2\"") != NULL);
	n = 0;
	fk_stop();
	run_free(&r);

	fk_start(script, NULL);
	RUN(&r, "resource", "show", "--format", "openmetrics");
	for (p = r.out; (p = strstr(p, sample)); p++)
		n++;
	CHECK_INT(n, 1);
	CHECK(strstr(r.out, "holder=\"vf2\"} 1610612736\n") != NULL);
	fk_stop();
	run_free(&r);
	split = false;
}

TEST(resource_show_json)
{
	struct json_object *doc, *res, *ggtt, *kids;
	struct run r;

	fk_start(script, NULL);
	RUN(&r, "resource", "show", "--format", "json");
	CHECK_INT(r.status, EXIT_OK);
	fk_stop();
	doc = json_tokener_parse(r.out);
	CHECK(doc != NULL);
	if (doc && json_object_object_get_ex(doc, "resources", &res)) {
		res = json_object_array_get_idx(res, 0);
		CHECK_STR(json_object_get_string(json_object_object_get(res, "handle")), PF);
		json_object_object_get_ex(res, "resources", &res);
		ggtt = json_object_array_get_idx(res, 0);
		CHECK_STR(json_object_get_string(json_object_object_get(ggtt, "name")), "ggtt");
		CHECK_INT(json_object_get_int64(json_object_object_get(ggtt, "size")),
			  3584 * MB);
		CHECK_STR(json_object_get_string(json_object_object_get(ggtt, "unit")), "bytes");
		json_object_object_get_ex(ggtt, "resources", &kids);
		CHECK_INT(json_object_array_length(kids), 3);
		/* GVT-g's low_gm has no size: omitted, not null or 0. */
		CHECK(!json_object_object_get_ex(json_object_array_get_idx(res, 1),
						 "size", NULL));
	} else {
		unit_fail(__FILE__, __LINE__, "no resources array in %s", r.out);
	}
	json_object_put(doc);
	run_free(&r);
}

TEST(resource_show_openmetrics)
{
	struct run r;

	fk_start(script, NULL);
	RUN(&r, "resource", "show", "--format", "openmetrics");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_INT(fk_stop(), 3);	/* RESOURCE_GET, DEV_GET, MDEV_GET */
	CHECK(strstr(r.out, "# TYPE vgpu_resource_size gauge\n") != NULL);
	CHECK(strstr(r.out, "vgpu_resource_size{device=\"" PF "\",resource=\"ggtt\",unit=\"bytes\"} 3758096384\n") != NULL);
	CHECK(strstr(r.out, "vgpu_resource_held{device=\"" PF "\",resource=\"fences\",unit=\"count\",holder=\"" UUID "\"} 4\n") != NULL);
	CHECK(strstr(r.out, "vgpu_vfs{device=\"" PF "\"} 2\n") != NULL);
	CHECK(strstr(r.out, "vgpu_vfs_max{device=\"" PF "\"} 7\n") != NULL);
	CHECK(strstr(r.out, "vgpu_mdevs{device=\"" PF "\"} 1\n") != NULL);
	/* low_gm has no size: no sample rather than a made-up one */
	CHECK(strstr(r.out, "resource=\"low_gm\",unit=\"bytes\"} 0") == NULL);
	CHECK(strlen(r.out) > 6 && !strcmp(r.out + strlen(r.out) - 6, "# EOF\n"));
	run_free(&r);
}

TEST(resource_show_usage)
{
	struct run r;

	RUN(&r, "resource", "show", "--format", "yaml");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK(!strncmp(r.err, "Error: invalid format 'yaml' (expected text, json or openmetrics)\n", 66));
	run_free(&r);
	RUN(&r, "resource", "show", "01:00.0", "01:00.1");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK(!strncmp(r.err, "Error: unexpected argument '01:00.1'\n", 37));
	run_free(&r);
}

/* The nest carries exactly the keys given; the kernel's reason is shown. */
TEST(vf_set_quota_request)
{
	struct run r;

	fk_start(script, NULL);
	RUN(&r, "vf", "set", "01:00.1", "quota", "ggtt", "2G", "priority", "normal",
	    "exec-quantum", "20");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: ggtt: 512 MiB more asked but only 448 MiB free (see resource show)\n");
	CHECK_INT(fk_stop(), 1);
	CHECK_INT(seen.quota_attrs, 3);
	CHECK_INT(seen.ggtt, 2048 * MB);
	CHECK_INT(seen.prio, VGPU_PRIORITY_NORMAL);
	CHECK(!seen.has_driver);
	run_free(&r);
}
