// SPDX-License-Identifier: GPL-2.0
/*
 * resource.c - "vgpu-nl resource show": what each GPU can still give
 *
 * Text and JSON go through the output layer like every other object; the
 * OpenMetrics form (for node_exporter's textfile collector) is a different
 * kind of document and has its own printer, metrics.c.
 */
#include <errno.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "cli/cli.h"
#include "cli/metrics.h"
#include "cli/quota.h"
#include "cli/resource.h"
#include "cli/show.h"
#include "output/output.h"

const char *res_unit_name(struct nlattr **rt)
{
	if (!rt[VGPU_A_RES_UNIT])
		return "count";
	switch (nla_get_u8(rt[VGPU_A_RES_UNIT])) {
	case VGPU_RES_UNIT_BYTES:
		return "bytes";
	case VGPU_RES_UNIT_COUNT:
		return "count";
	}
	return "unknown";
}

/* Bytes the way "vf set ... quota" takes them back: 512M, 3G, 4095. */
static void print_amount(const char *key, const char *fmt,
			 struct nlattr *attr, bool bytes)
{
	uint64_t v = nla_get_u64(attr);
	char text[32];

	print_u64(PRINT_JSON, key, NULL, v);
	if (bytes)
		quota_format_size(v, text, sizeof(text));
	else
		snprintf(text, sizeof(text), "%llu", (unsigned long long)v);
	print_string(PRINT_FP, NULL, fmt, text);
}

static void res_print_one(struct nlattr **rt, bool child)
{
	bool bytes = rt[VGPU_A_RES_UNIT] &&
		     nla_get_u8(rt[VGPU_A_RES_UNIT]) == VGPU_RES_UNIT_BYTES;

	open_object(NULL);
	print_string(PRINT_JSON, "name", NULL,
		     nla_get_string(rt[VGPU_A_RES_NAME]));
	print_string(PRINT_FP, NULL, child ? "    %s" : "  %s",
		     nla_get_string(rt[VGPU_A_RES_NAME]));
	if (rt[VGPU_A_RES_SIZE])
		print_amount("size", child ? " %s" : " size %s",
			     rt[VGPU_A_RES_SIZE], bytes);
	if (rt[VGPU_A_RES_OCC])
		print_amount("occ", " occ %s", rt[VGPU_A_RES_OCC], bytes);
	if (rt[VGPU_A_RES_FREE])
		print_amount("free", " free %s", rt[VGPU_A_RES_FREE], bytes);
	if (rt[VGPU_A_RES_MAX_QUOTA])
		print_amount("max_quota", " max_quota %s",
			     rt[VGPU_A_RES_MAX_QUOTA], bytes);
	print_string(PRINT_JSON, "unit", NULL, res_unit_name(rt));
	if (!child)
		print_string(PRINT_FP, NULL, " unit %s", res_unit_name(rt));
	print_nl();
}

/*
 * Where the printer is in the report: a device's report may come in more
 * than one message (thousands of mdevs), the next one naming the resource
 * being filled again, with its children going on.
 */
struct res_walk {
	const char *dev;	/* the open device object, NULL before any */
	const char *res;	/* its open resource, NULL before any */
};

static void walk_close_res(struct res_walk *w)
{
	if (!w->res)
		return;
	close_array();
	close_object();
	w->res = NULL;
}

static void walk_close_dev(void *arg)
{
	struct res_walk *w = arg;

	if (!w->dev)
		return;
	walk_close_res(w);
	close_array();
	close_object();
	w->dev = NULL;
}

static void res_print(struct nl_msg *msg, struct nlattr **tb,
		      const struct host_dev *hd, void *arg)
{
	struct nlattr *rt[VGPU_A_RES_MAX + 1], *ct[VGPU_A_RES_MAX + 1], *pos, *c;
	struct res_walk *w = arg;
	const char *dev, *name;
	int rem, crem;

	(void)hd;
	dev = nla_get_string(tb[VGPU_A_DEV_HANDLE]);
	if (!w->dev || strcmp(w->dev, dev)) {
		walk_close_dev(w);
		open_object(NULL);
		print_string(PRINT_ANY, "handle", "%s:", dev);
		if (tb[VGPU_A_DEV_PROVISIONING])
			print_string(PRINT_ANY, "provisioning", " provisioning %s",
				     nla_get_string(tb[VGPU_A_DEV_PROVISIONING]));
		if (tb[VGPU_A_DEV_PROV_MODE])
			print_string(PRINT_ANY, "provisioning_mode", " mode %s",
				     quota_mode_name(nla_get_u8(tb[VGPU_A_DEV_PROV_MODE])));
		print_nl();
		open_array("resources");
		w->dev = dev;
	}
	nlmsg_for_each_attr(pos, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		if (nla_type(pos) != VGPU_A_RESOURCE ||
		    vgpu_nl_parse_res(pos, rt) < 0)
			continue;
		name = nla_get_string(rt[VGPU_A_RES_NAME]);
		if (!w->res || strcmp(w->res, name)) {
			walk_close_res(w);
			res_print_one(rt, false);
			open_array("resources");
			w->res = name;
		}
		nla_for_each_nested(c, pos, crem) {
			if (nla_type(c) != VGPU_A_RES_CHILD ||
			    vgpu_nl_parse_res(c, ct) < 0)
				continue;
			res_print_one(ct, true);
			close_object();
		}
	}
}

int res_query(struct vgpu_nl *nl, const char *handle,
	      struct vgpu_nl_replies *rep)
{
	int ret;

	/* A dump even for one device: its report may take several messages. */
	ret = vgpu_nl_dump_filter(nl, VGPU_CMD_RESOURCE_GET, VGPU_A_DEV_HANDLE,
				  handle, rep);
	/* Every reply must name its device: one that does not is a kernel bug. */
	return ret ? ret : vgpu_nl_check_replies(nl, rep, VGPU_A_DEV_HANDLE,
						 "resource");
}

enum res_format { RES_TEXT, RES_JSON, RES_OPENMETRICS };

/* "[DEV] [--format text|json|openmetrics]", in either order. */
static int res_parse(const struct cli_cmd *cmd, int argc, char **argv,
		     char handle[VGPU_HANDLE_MAX], bool *given,
		     enum res_format *fmt)
{
	int i, status;

	*given = false;
	*fmt = output_is_json() ? RES_JSON : RES_TEXT;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") || !strcmp(argv[i], "format")) {
			if (++i == argc)
				return cli_usage(cmd, "missing value for '--format'");
			if (!strcmp(argv[i], "text"))
				*fmt = RES_TEXT;
			else if (!strcmp(argv[i], "json"))
				*fmt = RES_JSON;
			else if (!strcmp(argv[i], "openmetrics"))
				*fmt = RES_OPENMETRICS;
			else
				return cli_usage(cmd, "invalid format '%s' (expected text, json or openmetrics)",
						 argv[i]);
			continue;
		}
		if (*given)
			return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
		status = cli_parse_handle(cmd, argv[i], handle);
		if (status != EXIT_OK)
			return status;
		*given = true;
	}
	return EXIT_OK;
}

static const struct show_ops res_show_ops = {
	.array = "resources",
	.what = "resource",
	.key_attr = VGPU_A_DEV_HANDLE,
	.query = res_query,
	.print = res_print,
	.end = walk_close_dev,
};

static int res_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct res_walk walk = { 0 };
	char handle[VGPU_HANDLE_MAX];
	enum res_format fmt;
	bool given;
	int status;

	status = res_parse(cmd, argc, argv, handle, &given, &fmt);
	if (status != EXIT_OK)
		return status;
	if (fmt == RES_OPENMETRICS)
		return metrics_show(given ? handle : NULL);
	output_set_json(fmt == RES_JSON);
	return show_run(&res_show_ops, given ? handle : NULL, &walk);
}

static const struct cli_cmd res_cmds[] = {
	{ "show", res_show, "resource show [DEV] [--format text|json|openmetrics]",
	  "what each device's resources hold and have free: SR-IOV\n"
	  "provisioning pools (ggtt, contexts, doorbells, vram) with the PF's\n"
	  "spare and each VF's quota; GVT-g aperture and fences with each mdev" },
};

static const struct cli_object res_object = {
	.name = "resource",
	.cmds = res_cmds,
	.ncmds = ARRAY_SIZE(res_cmds),
	.notes = "DEV is pci/DDDD:BB:DD.F, DDDD:BB:DD.F or BB:DD.F (domain 0000).\n"
		 "For a pool, the holders plus free add up to size. GVT-g does not\n"
		 "publish its aperture's total, so its resources show what mdevs\n"
		 "hold; 'type show' says how many more of each type fit.\n"
		 "--format openmetrics prints Prometheus/OpenMetrics text for\n"
		 "node_exporter's textfile collector.",
};

int cmd_resource(const struct cli_cmd *cmd, int argc, char **argv)
{
	(void)cmd;
	return cli_dispatch(&res_object, argc, argv);
}
