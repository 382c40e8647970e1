// SPDX-License-Identifier: GPL-2.0
/*
 * type.c - "vgpu-nl type": the mdev types of parent devices
 */
#define _GNU_SOURCE	/* open_memstream() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/show.h"
#include "cli/type.h"
#include "output/output.h"

static void print_u32(struct nlattr *attr, const char *key, const char *fmt)
{
	if (attr)
		print_uint(PRINT_ANY, key, fmt, nla_get_u32(attr));
}

/* "i915-GVTg_V5_4" -> "GVTg_V5_4": what the driver itself calls it. */
static const char *short_name(const char *name)
{
	const char *dash = strchr(name, '-');

	return dash ? dash + 1 : name;
}

/*
 * The raw description in text: one indented line per line of it, for
 * types without the GVT-g fields (the fields say the same, parsed).
 */
static void print_description_text(const char *d)
{
	char *line;
	size_t n;

	while (*d) {
		n = strcspn(d, "\n");
		line = n ? strndup(d, n) : NULL;
		if (line)
			print_string(PRINT_FP, NULL, "  %s\n", line);
		free(line);
		d += n;
		if (*d)
			d++;
	}
}

void type_print(struct nlattr **tb)
{
	const char *name = nla_get_string(tb[VGPU_A_TYPE_NAME]);
	bool gvt = tb[VGPU_A_TYPE_LOW_GM_MB] || tb[VGPU_A_TYPE_HIGH_GM_MB] ||
		   tb[VGPU_A_TYPE_FENCE] || tb[VGPU_A_TYPE_RESOLUTION] ||
		   tb[VGPU_A_TYPE_WEIGHT];
	const char *pretty;

	open_object(NULL);
	if (tb[VGPU_A_DEV_HANDLE])
		print_string(PRINT_ANY, "parent", "%s ",
			     nla_get_string(tb[VGPU_A_DEV_HANDLE]));
	print_string(PRINT_ANY, "name", "%s:", name);
	if (tb[VGPU_A_TYPE_PRETTY_NAME]) {
		/* Text shows it only when it tells more than the name. */
		pretty = nla_get_string(tb[VGPU_A_TYPE_PRETTY_NAME]);
		print_string(PRINT_JSON, "pretty_name", NULL, pretty);
		if (strcmp(pretty, name) && strcmp(pretty, short_name(name)))
			print_string(PRINT_FP, NULL, " name \"%s\"", pretty);
	}
	print_u32(tb[VGPU_A_TYPE_AVAILABLE], "available_instances",
		  " available %u");
	if (tb[VGPU_A_TYPE_DEVICE_API])
		print_string(PRINT_ANY, "device_api", " device_api %s",
			     nla_get_string(tb[VGPU_A_TYPE_DEVICE_API]));
	print_nl();

	if (tb[VGPU_A_TYPE_DESCRIPTION]) {
		print_string(PRINT_JSON, "description", NULL,
			     nla_get_string(tb[VGPU_A_TYPE_DESCRIPTION]));
		if (!gvt)
			print_description_text(nla_get_string(tb[VGPU_A_TYPE_DESCRIPTION]));
	}
	if (gvt) {
		print_string(PRINT_FP, NULL, "%s", " ");
		print_u32(tb[VGPU_A_TYPE_LOW_GM_MB], "low_gm_mb", " low_gm %uMB");
		print_u32(tb[VGPU_A_TYPE_HIGH_GM_MB], "high_gm_mb",
			  " high_gm %uMB");
		print_u32(tb[VGPU_A_TYPE_FENCE], "fence", " fence %u");
		if (tb[VGPU_A_TYPE_RESOLUTION])
			print_string(PRINT_ANY, "resolution", " resolution %s",
				     nla_get_string(tb[VGPU_A_TYPE_RESOLUTION]));
		print_u32(tb[VGPU_A_TYPE_WEIGHT], "weight", " weight %u");
		print_nl();
	}
	close_object();
}

/* TYPE_GET dump: every parent's types, or those of @handle. */
static int type_dump(struct vgpu_nl *nl, const char *handle,
		     struct vgpu_nl_replies *rep)
{
	int ret;

	/* A type without a name cannot be shown or created: refuse the lot. */
	ret = vgpu_nl_dump_filter(nl, VGPU_CMD_TYPE_GET, VGPU_A_DEV_HANDLE,
				  handle, rep);
	if (!ret)
		ret = vgpu_nl_check_replies(nl, rep, VGPU_A_TYPE_NAME, "type");
	return ret;
}

/* Whether @name is "<driver>-@want". */
static bool has_suffix(const char *name, const char *want)
{
	size_t n = strlen(name), w = strlen(want);

	return n > w + 1 && name[n - w - 1] == '-' &&
	       !strcmp(name + n - w, want);
}

int type_resolve(struct vgpu_nl *nl, const char *handle, const char *name,
		 char *out, size_t len)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *tb[VGPU_A_MAX + 1];
	const char *t, *found = NULL;
	size_t i, nfound = 0, listlen;
	char *list = NULL;
	FILE *f;
	int ret;

	if (strchr(name, '-')) {
		snprintf(out, len, "%s", name);
		return 0;
	}
	ret = type_dump(nl, handle, &rep);
	if (ret < 0)
		return ret;

	f = open_memstream(&list, &listlen);
	if (!f) {
		vgpu_nl_replies_free(&rep);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	for (i = 0; i < rep.n; i++) {
		vgpu_nl_parse(rep.msg[i], tb);
		t = nla_get_string(tb[VGPU_A_TYPE_NAME]);
		fprintf(f, "%s%s", i ? ", " : "", t);
		if (has_suffix(t, name)) {
			found = t;
			nfound++;
		}
	}
	if (fclose(f) || !list) {
		ret = vgpu_nl_error(nl, -ENOMEM, NULL);
	} else if (nfound == 1) {
		snprintf(out, len, "%s", found);
	} else if (!rep.n) {
		/*
		 * No types at all: no mdev parent, most likely, which the
		 * kernel explains best (with what to enable) - ask it.
		 */
		snprintf(out, len, "%s", name);
	} else if (!nfound) {
		ret = vgpu_nl_error(nl, -ENOENT, "%s has no mdev type '%s' (its types: %s)",
				    handle, name, list);
	} else {
		ret = vgpu_nl_error(nl, -EINVAL, "mdev type '%s' is ambiguous on %s (its types: %s); give the full name",
				    name, handle, list);
	}
	free(list);
	vgpu_nl_replies_free(&rep);
	return ret;
}

static void type_show_one(struct nl_msg *msg, struct nlattr **tb,
			  const struct host_dev *hd, void *arg)
{
	(void)msg;
	(void)hd;
	(void)arg;
	type_print(tb);
}

static const struct show_ops type_show_ops = {
	.array = "types",
	.what = "type",
	.key_attr = VGPU_A_TYPE_NAME,
	.query = type_dump,
	.print = type_show_one,
};

static int type_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	return show_cmd(&type_show_ops, cmd, argc, argv);
}

static const struct cli_cmd type_cmds[] = {
	{ "show", type_show, "type show [DEV]",
	  "list the mdev types of every parent device, or of one" },
};

static const struct cli_object type_object = {
	.name = "type",
	.cmds = type_cmds,
	.ncmds = ARRAY_SIZE(type_cmds),
	.notes = "DEV is pci/DDDD:BB:DD.F, DDDD:BB:DD.F or BB:DD.F (domain 0000).\n"
		 "A type is what 'vgpu-nl mdev add DEV type TYPE' creates: its sysfs\n"
		 "name (i915-GVTg_V5_4), how many more fit (available), and for\n"
		 "GVT-g its aperture (low_gm, high_gm), fences, resolution and weight.",
};

int cmd_type(const struct cli_cmd *cmd, int argc, char **argv)
{
	(void)cmd;
	return cli_dispatch(&type_object, argc, argv);
}
