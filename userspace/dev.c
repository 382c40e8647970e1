// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - "vgpu-nl dev": show devices, change their settings
 */
#include <errno.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "cli.h"
#include "dev.h"
#include "output.h"

void dev_print_sriov(const char *label, struct nlattr *nest)
{
	struct nlattr *tb[VGPU_A_SRIOV_MAX + 1];

	if (vgpu_nl_parse_sriov(nest, tb) < 0)
		return;		/* cannot happen: vgpu_nl_parse() checked it */

	open_object("sriov");
	print_string(PRINT_FP, NULL, "%s", label);
	if (tb[VGPU_A_SRIOV_TOTALVFS])
		print_uint(PRINT_ANY, "totalvfs", " totalvfs %u",
			   nla_get_u16(tb[VGPU_A_SRIOV_TOTALVFS]));
	if (tb[VGPU_A_SRIOV_NUMVFS])
		print_uint(PRINT_ANY, "numvfs", " numvfs %u",
			   nla_get_u16(tb[VGPU_A_SRIOV_NUMVFS]));
	if (tb[VGPU_A_SRIOV_AUTOPROBE])
		print_on_off(PRINT_ANY, "autoprobe", " autoprobe %s",
			     nla_get_u8(tb[VGPU_A_SRIOV_AUTOPROBE]));
	close_object();
}

/* Hex ids in text (as lspci shows them), numbers in JSON. */
static void print_hex(struct nlattr *attr, const char *key, const char *fmt,
		      bool wide)
{
	if (attr)
		print_uint(PRINT_ANY, key, fmt,
			   wide ? nla_get_u32(attr) : nla_get_u16(attr));
}

void dev_print(struct nlattr **tb)
{
	bool parent = tb[VGPU_A_DEV_MDEV_PARENT] &&
		      nla_get_u8(tb[VGPU_A_DEV_MDEV_PARENT]);

	open_object(NULL);
	print_string(PRINT_ANY, "handle", "%s:",
		     nla_get_string(tb[VGPU_A_DEV_HANDLE]));
	print_hex(tb[VGPU_A_DEV_VENDOR], "vendor", " vendor %04x", false);
	print_hex(tb[VGPU_A_DEV_DEVICE], "device", " device %04x", false);
	print_hex(tb[VGPU_A_DEV_SUBSYS_VENDOR], "subsystem_vendor",
		  " subsystem %04x", false);
	print_hex(tb[VGPU_A_DEV_SUBSYS_DEVICE], "subsystem_device", ":%04x",
		  false);
	print_hex(tb[VGPU_A_DEV_CLASS], "class", " class %06x", true);
	/* Absent means "no driver" / "no IOMMU group": omitted, not "none". */
	if (tb[VGPU_A_DEV_DRIVER])
		print_string(PRINT_ANY, "driver", " driver %s",
			     nla_get_string(tb[VGPU_A_DEV_DRIVER]));
	if (tb[VGPU_A_DEV_IOMMU_GROUP])
		print_uint(PRINT_ANY, "iommu_group", " iommu_group %u",
			   nla_get_u32(tb[VGPU_A_DEV_IOMMU_GROUP]));
	print_nl();

	if (tb[VGPU_A_DEV_SRIOV]) {
		dev_print_sriov("  sriov", tb[VGPU_A_DEV_SRIOV]);
		print_nl();
	}
	print_bool(PRINT_JSON, "mdev_parent", NULL, parent);
	if (parent)
		print_string(PRINT_FP, NULL, "%s\n", "  mdev parent");
	close_object();
}

/* DEV_GET do: the one device, or the kernel's reason why not. */
static int dev_get(struct vgpu_nl *nl, const char *handle,
		   struct vgpu_nl_replies *rep)
{
	struct nl_msg *req;

	req = vgpu_nl_request(nl, VGPU_CMD_DEV_GET, 0);
	if (!req)
		return nl->err.error;
	if (nla_put_string(req, VGPU_A_DEV_HANDLE, handle) < 0) {
		nlmsg_free(req);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	return vgpu_nl_do(nl, req, rep);
}

/* A device without a handle cannot be printed or named: refuse the lot. */
static int dev_check(struct vgpu_nl *nl, const struct vgpu_nl_replies *rep)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (vgpu_nl_parse(rep->msg[i], tb) < 0 ||
		    !tb[VGPU_A_DEV_HANDLE])
			return vgpu_nl_error(nl, -EBADMSG, "malformed device reply from the kernel (no handle)");
	return 0;
}

static int dev_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *tb[VGPU_A_MAX + 1];
	char handle[VGPU_HANDLE_MAX];
	struct vgpu_nl nl;
	int ret, status;
	size_t i;

	if (argc > 2)
		return cli_usage(cmd, "unexpected argument '%s'", argv[2]);
	if (argc == 2) {
		status = cli_parse_handle(cmd, argv[1], handle);
		if (status != EXIT_OK)
			return status;
	}

	ret = vgpu_nl_open(&nl);
	if (!ret)
		ret = argc == 2 ? dev_get(&nl, handle, &rep) :
			vgpu_nl_dump(&nl, VGPU_CMD_DEV_GET, &rep);
	if (!ret)
		ret = dev_check(&nl, &rep);

	/* On failure too: -j promises one JSON document on stdout. */
	output_begin();
	open_array("devices");
	for (i = 0; !ret && i < rep.n; i++) {
		vgpu_nl_parse(rep.msg[i], tb);
		dev_print(tb);
	}
	close_array();
	status = cli_output_end();
	if (ret < 0)
		status = cli_nl_failed(&nl);

	vgpu_nl_replies_free(&rep);
	vgpu_nl_close(&nl);
	return status;
}

int dev_set_autoprobe(struct vgpu_nl *nl, const char *handle, bool autoprobe)
{
	struct nlattr *nest;
	struct nl_msg *req;

	req = vgpu_nl_request(nl, VGPU_CMD_DEV_SET, 0);
	if (!req)
		return nl->err.error;
	/* Strict validation wants NLA_F_NESTED on every nest. */
	if (nla_put_string(req, VGPU_A_DEV_HANDLE, handle) < 0 ||
	    !(nest = nla_nest_start(req, VGPU_A_DEV_SRIOV | NLA_F_NESTED)) ||
	    nla_put_u8(req, VGPU_A_SRIOV_AUTOPROBE, autoprobe) < 0 ||
	    nla_nest_end(req, nest) < 0) {
		nlmsg_free(req);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	return vgpu_nl_do(nl, req, NULL);
}

static int dev_set(const struct cli_cmd *cmd, int argc, char **argv)
{
	char handle[VGPU_HANDLE_MAX];
	bool autoprobe = false, have_autoprobe = false;
	struct vgpu_nl nl;
	int i, ret, status;

	if (argc < 2)
		return cli_usage(cmd, "missing DEV");
	status = cli_parse_handle(cmd, argv[1], handle);
	if (status != EXIT_OK)
		return status;
	if (argc == 2)
		return cli_usage(cmd, "nothing to set");
	/* The whole line is checked before anything is sent. */
	for (i = 2; i < argc; i += 2) {
		if (strcmp(argv[i], "autoprobe"))
			return cli_usage(cmd, "unknown setting '%s'", argv[i]);
		if (i + 1 == argc)
			return cli_usage(cmd, "missing value for 'autoprobe'");
		if (have_autoprobe)
			return cli_usage(cmd, "'autoprobe' given twice");
		status = cli_parse_on_off(cmd, "autoprobe", argv[i + 1],
					  &autoprobe);
		if (status != EXIT_OK)
			return status;
		have_autoprobe = true;
	}

	ret = vgpu_nl_open(&nl);
	if (!ret)
		ret = dev_set_autoprobe(&nl, handle, autoprobe);
	status = ret < 0 ? cli_nl_failed(&nl) : EXIT_OK;
	vgpu_nl_close(&nl);
	return status;
}

static const struct cli_cmd dev_cmds[] = {
	{ "show", dev_show, "dev show [DEV]",
	  "list the managed GPU devices, or one of them" },
	{ "set", dev_set, "dev set DEV autoprobe on|off",
	  "change a setting (root): autoprobe = bind drivers to new VFs" },
};

static const struct cli_object dev_object = {
	.name = "dev",
	.cmds = dev_cmds,
	.ncmds = ARRAY_SIZE(dev_cmds),
	.notes = "DEV is pci/DDDD:BB:DD.F, DDDD:BB:DD.F or BB:DD.F (domain 0000).",
};

int cmd_dev(const struct cli_cmd *cmd, int argc, char **argv)
{
	(void)cmd;
	return cli_dispatch(&dev_object, argc, argv);
}
