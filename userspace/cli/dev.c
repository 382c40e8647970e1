// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - "vgpu-nl dev": show devices, change their settings
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "cli/cli.h"
#include "cli/dev.h"
#include "cli/show.h"
#include "cli/vf.h"
#include "output/output.h"

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
	if (tb[VGPU_A_DEV_PROVISIONING]) {
		print_string(PRINT_ANY, "provisioning", "  provisioning %s",
			     nla_get_string(tb[VGPU_A_DEV_PROVISIONING]));
		if (tb[VGPU_A_DEV_PROV_MODE])
			print_string(PRINT_ANY, "provisioning_mode", " mode %s",
				     quota_mode_name(nla_get_u8(tb[VGPU_A_DEV_PROV_MODE])));
		if (tb[VGPU_A_DEV_PROFILE]) {
			struct vf_quota q;

			quota_from_nest(tb[VGPU_A_DEV_PROFILE], &q);
			quota_print_as(&q, "profile");
		}
		print_nl();
	}
	print_bool(PRINT_JSON, "mdev_parent", NULL, parent);
	if (tb[VGPU_A_DEV_MDEV_TYPES]) {
		/* API 3: how many types "vgpu-nl type show DEV" lists. */
		open_object("mdev");
		print_uint(PRINT_ANY, "types", "  mdev types %u\n",
			   nla_get_u32(tb[VGPU_A_DEV_MDEV_TYPES]));
		close_object();
	} else if (parent) {
		print_string(PRINT_FP, NULL, "%s\n", "  mdev parent");
	}
	close_object();
}

/* DEV_GET do: the one device, or the kernel's reason why not. */
static int dev_get(struct vgpu_nl *nl, const char *handle,
		   struct vgpu_nl_replies *rep)
{
	return vgpu_nl_get(nl, VGPU_CMD_DEV_GET, VGPU_A_DEV_HANDLE, handle, rep);
}

static int dev_query(struct vgpu_nl *nl, const char *handle,
		     struct vgpu_nl_replies *rep)
{
	return handle ? dev_get(nl, handle, rep) :
		vgpu_nl_dump(nl, VGPU_CMD_DEV_GET, rep);
}

static void dev_show_one(struct nl_msg *msg, struct nlattr **tb,
			 const struct host_dev *hd, void *arg)
{
	(void)msg;
	(void)hd;
	(void)arg;
	dev_print(tb);
}

static const struct show_ops dev_show_ops = {
	.array = "devices",
	.what = "device",
	.key_attr = VGPU_A_DEV_HANDLE,
	.query = dev_query,
	.print = dev_show_one,
};

static int dev_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	return show_cmd(&dev_show_ops, cmd, argc, argv);
}

int dev_set_request_rep(struct vgpu_nl *nl, const char *handle,
			const struct dev_settings *set,
			struct vgpu_nl_replies *rep)
{
	bool sriov = set->has_numvfs || set->has_autoprobe;
	struct nlattr *nest;
	struct nl_msg *req;

	req = vgpu_nl_request(nl, VGPU_CMD_DEV_SET, 0);
	if (!req)
		return nl->err.error;
	/* Strict validation wants NLA_F_NESTED on every nest. */
	if (nla_put_string(req, VGPU_A_DEV_HANDLE, handle) < 0 ||
	    (sriov &&
	     (!(nest = nla_nest_start(req, VGPU_A_DEV_SRIOV | NLA_F_NESTED)) ||
	      (set->has_numvfs &&
	       nla_put_u16(req, VGPU_A_SRIOV_NUMVFS, set->numvfs) < 0) ||
	      (set->has_autoprobe &&
	       nla_put_u8(req, VGPU_A_SRIOV_AUTOPROBE, set->autoprobe) < 0) ||
	      nla_nest_end(req, nest) < 0)) ||
	    (set->prov_mode &&
	     nla_put_u8(req, VGPU_A_DEV_PROV_MODE, set->prov_mode) < 0) ||
	    (set->has_profile &&
	     quota_put_nest(req, VGPU_A_DEV_PROFILE | NLA_F_NESTED,
			    &set->profile) < 0) ||
	    (set->force && nla_put_flag(req, VGPU_A_FORCE) < 0)) {
		nlmsg_free(req);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	return vgpu_nl_do(nl, req, rep);
}

int dev_set_request(struct vgpu_nl *nl, const char *handle,
		    const struct dev_settings *set)
{
	return dev_set_request_rep(nl, handle, set, NULL);
}

/*
 * The PF's VF count now (-1 when it has none to tell: not a PF) and its
 * provisioning mode (0 without one), into what is not NULL.
 */
static int dev_state(struct vgpu_nl *nl, const char *handle, int *numvfs,
		     int *mode)
{
	struct nlattr *tb[VGPU_A_MAX + 1], *sriov[VGPU_A_SRIOV_MAX + 1];
	struct vgpu_nl_replies rep = { 0 };
	int ret;

	if (numvfs)
		*numvfs = -1;
	if (mode)
		*mode = 0;
	ret = dev_get(nl, handle, &rep);
	if (ret || rep.n != 1 || vgpu_nl_parse(rep.msg[0], tb))
		goto out;
	if (numvfs && tb[VGPU_A_DEV_SRIOV] &&
	    vgpu_nl_parse_sriov(tb[VGPU_A_DEV_SRIOV], sriov) == 0 &&
	    sriov[VGPU_A_SRIOV_NUMVFS])
		*numvfs = nla_get_u16(sriov[VGPU_A_SRIOV_NUMVFS]);
	if (mode && tb[VGPU_A_DEV_PROV_MODE])
		*mode = nla_get_u8(tb[VGPU_A_DEV_PROV_MODE]);
out:
	vgpu_nl_replies_free(&rep);
	return ret;
}

static int dev_numvfs(struct vgpu_nl *nl, const char *handle, int *numvfs)
{
	return dev_state(nl, handle, numvfs, NULL);
}

int dev_prov_mode(struct vgpu_nl *nl, const char *handle)
{
	int mode;

	return dev_state(nl, handle, NULL, &mode) ? 0 : mode;
}

/*
 * Before VFs go away: are any of them held open by a process? The kernel
 * refuses by itself when a VF is assigned or its group claimed; an open
 * VFIO file it cannot see (vf.c, host/holders.c), so it is checked here.
 * Nothing to check when there are no VFs yet or the count stays (a no-op).
 * Returns 0 with *@busy set to what holds them, or -errno (in nl->err).
 */
static int dev_numvfs_check(struct vgpu_nl *nl, const char *handle,
			    unsigned int numvfs, char **busy)
{
	int cur, ret;

	*busy = NULL;
	ret = dev_numvfs(nl, handle, &cur);
	if (ret < 0 || cur <= 0 || (unsigned int)cur == numvfs)
		return ret;	/* not a PF: DEV_SET says why */
	return vf_find_busy(nl, handle, busy);
}

/*
 * "numvfs N", "autoprobe on|off", "provisioning auto|custom" and "force",
 * in any order, once each, then "profile KEY VALUE ..." to the end.
 */
static int dev_set_parse(const struct cli_cmd *cmd, int argc, char **argv,
			 struct dev_settings *set)
{
	int i, status;

	memset(set, 0, sizeof(*set));
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "force")) {
			if (set->force)
				return cli_usage(cmd, "'force' given twice");
			set->force = true;
			continue;
		}
		if (!strcmp(argv[i], "profile")) {
			status = quota_parse_args(cmd, argc - i - 1, argv + i + 1,
						  &set->profile);
			if (status != EXIT_OK)
				return status;
			set->has_profile = true;
			break;
		}
		if (!strcmp(argv[i], "provisioning")) {
			if (set->prov_mode)
				return cli_usage(cmd, "'provisioning' given twice");
			if (i + 1 == argc)
				return cli_usage(cmd, "missing value for '%s'", argv[i]);
			if (!strcmp(argv[i + 1], "auto"))
				set->prov_mode = VGPU_PROV_MODE_AUTO;
			else if (!strcmp(argv[i + 1], "custom"))
				set->prov_mode = VGPU_PROV_MODE_CUSTOM;
			else
				return cli_usage(cmd, "invalid provisioning '%s' (expected auto or custom)",
						 argv[i + 1]);
			i++;
			continue;
		}
		if (strcmp(argv[i], "numvfs") && strcmp(argv[i], "autoprobe"))
			return cli_usage(cmd, "unknown setting '%s'", argv[i]);
		if (i + 1 == argc)
			return cli_usage(cmd, "missing value for '%s'", argv[i]);
		if (!strcmp(argv[i], "numvfs")) {
			if (set->has_numvfs)
				return cli_usage(cmd, "'numvfs' given twice");
			status = cli_parse_u16(cmd, "numvfs", argv[i + 1],
					       &set->numvfs);
			set->has_numvfs = true;
		} else {
			if (set->has_autoprobe)
				return cli_usage(cmd, "'autoprobe' given twice");
			status = cli_parse_on_off(cmd, "autoprobe", argv[i + 1],
						  &set->autoprobe);
			set->has_autoprobe = true;
		}
		if (status != EXIT_OK)
			return status;
		i++;
	}
	if (!set->has_numvfs && !set->has_autoprobe && !set->prov_mode &&
	    !set->has_profile)
		return cli_usage(cmd, "nothing to set");
	if (set->force && !set->has_numvfs &&
	    set->prov_mode != VGPU_PROV_MODE_AUTO)
		return cli_usage(cmd, "'force' only applies to numvfs and provisioning auto");
	return EXIT_OK;
}

unsigned int dev_set_cycled(const struct vgpu_nl_replies *rep)
{
	struct nlattr *tb[VGPU_A_MAX + 1];

	if (rep->n != 1 || vgpu_nl_parse(rep->msg[0], tb) ||
	    !tb[VGPU_A_DEV_PROV_CYCLED])
		return 0;
	return nla_get_u16(tb[VGPU_A_DEV_PROV_CYCLED]);
}

/* What DEV_SET did to reach a provisioning mode, from its reply. */
static void dev_print_mode_reply(const struct vgpu_nl_replies *rep)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	unsigned int cycled;

	if (rep->n != 1 || vgpu_nl_parse(rep->msg[0], tb) ||
	    !tb[VGPU_A_DEV_HANDLE] || !tb[VGPU_A_DEV_PROV_MODE])
		return;
	cycled = dev_set_cycled(rep);
	output_begin();
	open_object("provisioning");
	print_string(PRINT_ANY, "handle", "provisioning %s",
		     nla_get_string(tb[VGPU_A_DEV_HANDLE]));
	print_string(PRINT_ANY, "mode", " %s",
		     quota_mode_name(nla_get_u8(tb[VGPU_A_DEV_PROV_MODE])));
	print_uint(PRINT_JSON, "vfs_cycled", NULL, cycled);
	if (cycled)
		print_uint(PRINT_FP, NULL,
			   ": its %u VFs were disabled and enabled again, for the driver to provision them",
			   cycled);
	print_nl();
	close_object();
	cli_output_end();
}

static int dev_set(const struct cli_cmd *cmd, int argc, char **argv)
{
	char handle[VGPU_HANDLE_MAX], *busy = NULL;
	struct vgpu_nl_replies rep = { 0 };
	struct dev_settings set;
	struct vgpu_nl *nl;
	int ret, status;

	if (argc < 2)
		return cli_usage(cmd, "missing DEV");
	status = cli_parse_handle(cmd, argv[1], handle);
	if (status != EXIT_OK)
		return status;
	/* The whole line is checked before anything is sent. */
	status = dev_set_parse(cmd, argc, argv, &set);
	if (status != EXIT_OK)
		return status;

	ret = cli_nl(&nl);
	if (!ret && set.has_numvfs && !set.force)
		ret = dev_numvfs_check(nl, handle, set.numvfs, &busy);
	/* Back to auto with VFs enabled takes them away for a moment. */
	if (!ret && !busy && set.prov_mode == VGPU_PROV_MODE_AUTO &&
	    !set.force && dev_prov_mode(nl, handle) == VGPU_PROV_MODE_CUSTOM)
		ret = dev_numvfs_check(nl, handle, 0, &busy);
	if (!ret && !busy)
		ret = dev_set_request_rep(nl, handle, &set, &rep);

	if (ret < 0) {
		status = cli_nl_failed(nl);
	} else if (busy) {
		pr_err("VFs in use: %s; add 'force' to %s anyway", busy,
		       set.has_numvfs ? "change the count" :
		       "disable and enable them");
		status = EXIT_FAIL;
	} else {
		dev_print_mode_reply(&rep);
		status = EXIT_OK;
	}
	free(busy);
	vgpu_nl_replies_free(&rep);
	return status;
}

static const struct cli_cmd dev_cmds[] = {
	{ "show", dev_show, "dev show [DEV]",
	  "list the managed GPU devices, or one of them" },
	{ "set", dev_set,
	  "dev set DEV [numvfs N] [autoprobe on|off] [provisioning auto|custom] [force]\n"
	  "       vgpu-nl dev set DEV profile KEY VALUE ...",
	  "change settings (root): the VF count, driver autoprobe of new VFs,\n"
	  "the provisioning mode, the driver's bulk profile" },
};

static const struct cli_object dev_object = {
	.name = "dev",
	.cmds = dev_cmds,
	.ncmds = ARRAY_SIZE(dev_cmds),
	.notes = "DEV is pci/DDDD:BB:DD.F, DDDD:BB:DD.F or BB:DD.F (domain 0000).\n"
		 "numvfs N (0..65535) sets the VF count; a change between two non-zero\n"
		 "counts goes through 0. It is refused while a VF is in use (see\n"
		 "'vgpu-nl vf show'); 'force' changes the count anyway.\n"
		 "provisioning auto gives the VFs back to the driver's fair shares: with\n"
		 "VFs enabled they are disabled and enabled again (refused while one is\n"
		 "in use, unless 'force'). custom (i915 only; xe turns custom at the first\n"
		 "quota) keeps VFs from being provisioned at enable.\n"
		 "profile KEY VALUE ... sets the driver's bulk profile, the PF's and every\n"
		 "VF's at once (xe sriov_admin/.bulk_profile): exec-quantum MS,\n"
		 "preempt-timeout US, priority low|normal, vram SIZE (xe 7.0 and later).",
};

int cmd_dev(const struct cli_cmd *cmd, int argc, char **argv)
{
	(void)cmd;
	return cli_dispatch(&dev_object, argc, argv);
}
