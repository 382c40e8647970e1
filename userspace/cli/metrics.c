// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c - the resource report as OpenMetrics text
 *
 * Every metric is a gauge; each family's samples come together, as the
 * format requires, so the report is walked once per family. Label values
 * are escaped (\\, \", \n); the document ends with "# EOF".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "cli/cli.h"
#include "cli/metrics.h"
#include "cli/resource.h"
#include "output/output.h"

/* Which figure of a resource a family shows. */
enum res_figure { FIG_SIZE, FIG_OCC, FIG_FREE, FIG_MAX, FIG_HELD };

static const struct {
	const char *name;
	const char *help;
	int attr;
} res_families[] = {
	[FIG_SIZE] = { "vgpu_resource_size",
		       "Size of a device resource: holders plus free",
		       VGPU_A_RES_SIZE },
	[FIG_OCC] = { "vgpu_resource_occupied",
		      "What VFs, the PF spare or mdevs hold of a resource",
		      VGPU_A_RES_OCC },
	[FIG_FREE] = { "vgpu_resource_free",
		       "What is still free of a resource for VFs",
		       VGPU_A_RES_FREE },
	[FIG_MAX] = { "vgpu_resource_max_quota",
		      "The largest quota one VF can get now",
		      VGPU_A_RES_MAX_QUOTA },
	[FIG_HELD] = { "vgpu_resource_held",
		       "What one holder (vfN, pf_spare, an mdev UUID) holds",
		       VGPU_A_RES_SIZE },
};

static void put_label(FILE *f, const char *name, const char *value, bool first)
{
	fprintf(f, "%s%s=\"", first ? "" : ",", name);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			fprintf(f, "\\%c", *value);
		else if (*value == '\n')
			fputs("\\n", f);
		else
			fputc(*value, f);
	}
	fputc('"', f);
}

static void family_header(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# TYPE %s gauge\n# HELP %s %s.\n", name, name, help);
}

/* The samples of family @fig from every device in @rep. */
static void res_family(FILE *f, const struct vgpu_nl_replies *rep,
		       enum res_figure fig)
{
	struct nlattr *tb[VGPU_A_MAX + 1], *rt[VGPU_A_RES_MAX + 1];
	struct nlattr *ct[VGPU_A_RES_MAX + 1], *pos, *c;
	const char *dev, *name = res_families[fig].name, *res;
	const char *last_dev = NULL, *last_res = NULL;
	int rem, crem, attr = res_families[fig].attr;
	size_t i;

	family_header(f, name, res_families[fig].help);
	for (i = 0; i < rep->n; i++) {
		vgpu_nl_parse(rep->msg[i], tb);
		dev = nla_get_string(tb[VGPU_A_DEV_HANDLE]);
		nlmsg_for_each_attr(pos, nlmsg_hdr(rep->msg[i]), GENL_HDRLEN, rem) {
			if (nla_type(pos) != VGPU_A_RESOURCE ||
			    vgpu_nl_parse_res(pos, rt) < 0)
				continue;
			res = nla_get_string(rt[VGPU_A_RES_NAME]);
			if (fig != FIG_HELD) {
				/*
				 * A report split over messages names the
				 * resource being filled again: one sample.
				 */
				if (last_dev && !strcmp(last_dev, dev) &&
				    !strcmp(last_res, res))
					continue;
				last_dev = dev;
				last_res = res;
				if (!rt[attr])
					continue;
				fputs(name, f);
				put_label(f, "{device", dev, true);
				put_label(f, "resource",
					  nla_get_string(rt[VGPU_A_RES_NAME]), false);
				put_label(f, "unit", res_unit_name(rt), false);
				fprintf(f, "} %" PRIu64 "\n", (uint64_t)nla_get_u64(rt[attr]));
				continue;
			}
			nla_for_each_nested(c, pos, crem) {
				if (nla_type(c) != VGPU_A_RES_CHILD ||
				    vgpu_nl_parse_res(c, ct) < 0 || !ct[attr])
					continue;
				fputs(name, f);
				put_label(f, "{device", dev, true);
				put_label(f, "resource",
					  nla_get_string(rt[VGPU_A_RES_NAME]), false);
				put_label(f, "unit", res_unit_name(rt), false);
				put_label(f, "holder",
					  nla_get_string(ct[VGPU_A_RES_NAME]), false);
				fprintf(f, "} %" PRIu64 "\n", (uint64_t)nla_get_u64(ct[attr]));
			}
		}
	}
}

/* vgpu_vfs and vgpu_vfs_total from DEV_GET, for SR-IOV PFs. */
static void dev_families(FILE *f, const struct vgpu_nl_replies *devs)
{
	static const struct { const char *name, *help; int attr; } fams[] = {
		{ "vgpu_vfs", "VFs enabled on a PF", VGPU_A_SRIOV_NUMVFS },
		{ "vgpu_vfs_max", "VFs a PF can have (sriov_totalvfs)", VGPU_A_SRIOV_TOTALVFS },
	};
	struct nlattr *tb[VGPU_A_MAX + 1], *st[VGPU_A_SRIOV_MAX + 1];
	size_t i, k;

	for (k = 0; k < ARRAY_SIZE(fams); k++) {
		family_header(f, fams[k].name, fams[k].help);
		for (i = 0; i < devs->n; i++) {
			vgpu_nl_parse(devs->msg[i], tb);
			if (!tb[VGPU_A_DEV_HANDLE] || !tb[VGPU_A_DEV_SRIOV] ||
			    vgpu_nl_parse_sriov(tb[VGPU_A_DEV_SRIOV], st) < 0 ||
			    !st[fams[k].attr])
				continue;
			fputs(fams[k].name, f);
			put_label(f, "{device",
				  nla_get_string(tb[VGPU_A_DEV_HANDLE]), true);
			fprintf(f, "} %u\n", nla_get_u16(st[fams[k].attr]));
		}
	}
}

/*
 * vgpu_provisioning_custom: 1 when a PF's driver provisions VFs only as
 * told (custom), 0 when it gives them fair shares (auto); PFs whose
 * driver has no such modes have no sample.
 */
static void mode_family(FILE *f, const struct vgpu_nl_replies *rep)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	const char *dev, *last = NULL;
	size_t i;

	family_header(f, "vgpu_provisioning_custom",
		      "1 when a PF provisions VFs only as told (custom), 0 when its driver shares the pools (auto)");
	for (i = 0; i < rep->n; i++) {
		vgpu_nl_parse(rep->msg[i], tb);
		if (!tb[VGPU_A_DEV_HANDLE] || !tb[VGPU_A_DEV_PROV_MODE])
			continue;
		dev = nla_get_string(tb[VGPU_A_DEV_HANDLE]);
		/* A report over several messages: one sample. */
		if (last && !strcmp(last, dev))
			continue;
		last = dev;
		fputs("vgpu_provisioning_custom", f);
		put_label(f, "{device", dev, true);
		fprintf(f, "} %u\n",
			nla_get_u8(tb[VGPU_A_DEV_PROV_MODE]) == VGPU_PROV_MODE_CUSTOM);
	}
}

/* vgpu_mdevs: how many mdevs each device in @devs is parent of. */
static void mdev_family(FILE *f, const struct vgpu_nl_replies *devs,
			const struct vgpu_nl_replies *mdevs)
{
	struct nlattr *tb[VGPU_A_MAX + 1], *mt[VGPU_A_MAX + 1];
	const char *dev;
	unsigned int n;
	size_t i, j;

	family_header(f, "vgpu_mdevs", "Mediated devices (GVT-g vGPUs) of a parent");
	for (i = 0; i < devs->n; i++) {
		vgpu_nl_parse(devs->msg[i], tb);
		if (!tb[VGPU_A_DEV_HANDLE] || !tb[VGPU_A_DEV_MDEV_PARENT] ||
		    !nla_get_u8(tb[VGPU_A_DEV_MDEV_PARENT]))
			continue;
		dev = nla_get_string(tb[VGPU_A_DEV_HANDLE]);
		for (n = 0, j = 0; j < mdevs->n; j++) {
			vgpu_nl_parse(mdevs->msg[j], mt);
			n += mt[VGPU_A_MDEV_PARENT] &&
			     !strcmp(nla_get_string(mt[VGPU_A_MDEV_PARENT]), dev);
		}
		fputs("vgpu_mdevs", f);
		put_label(f, "{device", dev, true);
		fprintf(f, "} %u\n", n);
	}
}

int metrics_show(const char *handle)
{
	struct vgpu_nl_replies res = { 0 }, devs = { 0 }, mdevs = { 0 };
	FILE *f = output_out();
	struct vgpu_nl *nl;
	int ret, status;
	size_t fig;

	ret = cli_nl(&nl);
	if (!ret)
		ret = res_query(nl, handle, &res);
	if (!ret)
		ret = handle ? vgpu_nl_get(nl, VGPU_CMD_DEV_GET, VGPU_A_DEV_HANDLE,
					   handle, &devs) :
			       vgpu_nl_dump(nl, VGPU_CMD_DEV_GET, &devs);
	if (!ret)
		ret = vgpu_nl_dump_filter(nl, VGPU_CMD_MDEV_GET, VGPU_A_DEV_HANDLE,
					  handle, &mdevs);

	/* Nothing half-printed: a scraper would take a partial file as true. */
	if (!ret) {
		for (fig = 0; fig < ARRAY_SIZE(res_families); fig++)
			res_family(f, &res, fig);
		mode_family(f, &res);
		dev_families(f, &devs);
		mdev_family(f, &devs, &mdevs);
		fputs("# EOF\n", f);
	}
	status = ret < 0 ? cli_nl_failed(nl) :
		 fflush(f) || ferror(f) ? EXIT_FAIL : EXIT_OK;
	if (!ret && status == EXIT_FAIL)
		pr_err("cannot write output: %s", strerror(errno));
	vgpu_nl_replies_free(&res);
	vgpu_nl_replies_free(&devs);
	vgpu_nl_replies_free(&mdevs);
	return status;
}
