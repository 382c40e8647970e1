// SPDX-License-Identifier: GPL-2.0
/*
 * vf.c - "vgpu-nl vf": show SR-IOV VFs, bind their driver
 */
#define _GNU_SOURCE	/* open_memstream() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "cli/cli.h"
#include "cli/quota.h"
#include "cli/show.h"
#include "cli/vf.h"
#include "host/holders.h"
#include "host/pci.h"
#include "kernel/handle.h"
#include "output/output.h"

/* Drivers "vf set VF driver" binds; "default" clears the override. */
#define VF_DRIVER_VFIO	"vfio-pci"

void vf_print(struct nlattr **tb, const struct host_dev *hv)
{
	bool assigned = tb[VGPU_A_VF_ASSIGNED] &&
			nla_get_u8(tb[VGPU_A_VF_ASSIGNED]);
	size_t nholders = hv ? hv->nholders : 0, i;

	open_object(NULL);
	print_string(PRINT_ANY, "handle", "%s:",
		     nla_get_string(tb[VGPU_A_VF_HANDLE]));
	if (tb[VGPU_A_VF_PF])
		print_string(PRINT_ANY, "pf", " pf %s",
			     nla_get_string(tb[VGPU_A_VF_PF]));
	if (tb[VGPU_A_VF_INDEX])
		print_uint(PRINT_ANY, "index", " index %u",
			   nla_get_u16(tb[VGPU_A_VF_INDEX]));
	/* Absent means none: omitted, never "none". */
	if (tb[VGPU_A_VF_DRIVER])
		print_string(PRINT_ANY, "driver", " driver %s",
			     nla_get_string(tb[VGPU_A_VF_DRIVER]));
	if (tb[VGPU_A_VF_DRIVER_OVERRIDE])
		print_string(PRINT_ANY, "driver_override", " driver_override %s",
			     nla_get_string(tb[VGPU_A_VF_DRIVER_OVERRIDE]));
	if (tb[VGPU_A_VF_IOMMU_GROUP])
		print_uint(PRINT_ANY, "iommu_group", " iommu_group %u",
			   nla_get_u32(tb[VGPU_A_VF_IOMMU_GROUP]));

	/* In use: the kernel says so, or a process holds its VFIO files. */
	print_bool(PRINT_JSON, "in_use", NULL, assigned || nholders);
	print_string(PRINT_FP, NULL, " in_use %s",
		     assigned || nholders ? "yes" : "no");
	print_bool(PRINT_JSON, "assigned", NULL, assigned);
	if (assigned || nholders)
		print_string(PRINT_FP, NULL, "%s", " (");
	if (assigned)
		print_string(PRINT_FP, NULL, "%s", nholders ? "assigned, " : "assigned");
	if (nholders) {
		open_array("holders");
		for (i = 0; i < nholders; i++) {
			open_object(NULL);
			print_uint(PRINT_ANY, "pid", i ? ", pid %u" : "pid %u",
				   hv->holders[i].pid);
			print_string(PRINT_ANY, "comm", " %s",
				     hv->holders[i].comm);
			close_object();
		}
		close_array();
	}
	if (assigned || nholders)
		print_string(PRINT_FP, NULL, "%s", ")");
	if (tb[VGPU_A_VF_QUOTA]) {
		struct vf_quota q;

		quota_from_nest(tb[VGPU_A_VF_QUOTA], &q);
		quota_print(&q);
	}
	print_nl();
	close_object();
}

/* VF_GET do: the one VF, or the kernel's reason why not. */
static int vf_get(struct vgpu_nl *nl, const char *handle,
		  struct vgpu_nl_replies *rep)
{
	return vgpu_nl_get(nl, VGPU_CMD_VF_GET, VGPU_A_VF_HANDLE, handle, rep);
}

/* VF_GET dump: every VF, or those of PF @pf unless it is NULL. */
static int vf_dump(struct vgpu_nl *nl, const char *pf,
		   struct vgpu_nl_replies *rep)
{
	return vgpu_nl_dump_filter(nl, VGPU_CMD_VF_GET, VGPU_A_DEV_HANDLE, pf,
				   rep);
}



/*
 * "vf show" takes a PF or a VF; their handles look alike, so sysfs
 * decides: a VF has a physfn link. Anything else, an unknown address too,
 * goes to the kernel as a PF, which then says what is wrong with it.
 */
static int vf_query(struct vgpu_nl *nl, const char *handle,
		    struct vgpu_nl_replies *rep)
{
	if (!handle)
		return vf_dump(nl, NULL, rep);
	if (pci_is_vf(handle_dev_name(handle)))
		return vf_get(nl, handle, rep);
	return vf_dump(nl, handle, rep);
}

static void vf_show_one(struct nl_msg *msg, struct nlattr **tb,
			const struct host_dev *hd, void *arg)
{
	(void)msg;
	(void)arg;
	vf_print(tb, hd);
}

static const struct show_ops vf_show_ops = {
	.array = "vfs",
	.what = "VF",
	.key_attr = VGPU_A_VF_HANDLE,
	.query = vf_query,
	.group_attr = VGPU_A_VF_IOMMU_GROUP,
	.print = vf_show_one,
};

static int vf_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	return show_cmd(&vf_show_ops, cmd, argc, argv);
}

int vf_find_busy(struct vgpu_nl *nl, const char *handle, char **busy)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *(*tbs)[VGPU_A_MAX + 1] = NULL;
	struct host_dev *hvs = NULL;
	int ret;

	*busy = NULL;
	ret = vf_dump(nl, handle, &rep);
	if (!ret)
		ret = vgpu_nl_check_replies(nl, &rep, VGPU_A_VF_HANDLE, "VF");
	if (!ret)
		ret = show_collect(nl, &rep, VGPU_A_VF_HANDLE,
				   VGPU_A_VF_IOMMU_GROUP, &tbs, &hvs);
	if (!ret) {
		ret = host_find_holders(hvs, rep.n);
		/* Not knowing is no licence to remove them. */
		if (ret < 0)
			vgpu_nl_error(nl, ret, "cannot look for processes using the VFs in %s: %s; add 'force' to change the count anyway",
				      host_proc(), strerror(-ret));
	}
	if (!ret && host_busy_list(hvs, rep.n, "", busy) < 0)
		ret = vgpu_nl_error(nl, -ENOMEM, NULL);

	show_collect_free(tbs, hvs, rep.n);
	vgpu_nl_replies_free(&rep);
	return ret;
}

/* VF_SET: @driver and/or @quota, each NULL to leave it alone. */
int vf_set_req(struct vgpu_nl *nl, const char *handle, const char *driver,
	       const struct vf_quota *quota)
{
	struct nl_msg *req;

	req = vgpu_nl_request(nl, VGPU_CMD_VF_SET, 0);
	if (!req)
		return nl->err.error;
	if (nla_put_string(req, VGPU_A_VF_HANDLE, handle) < 0 ||
	    (driver && nla_put_string(req, VGPU_A_VF_DRIVER_OVERRIDE, driver) < 0) ||
	    (quota && quota_put(req, quota) < 0)) {
		nlmsg_free(req);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	return vgpu_nl_do(nl, req, NULL);
}

int vf_set_driver(struct vgpu_nl *nl, const char *handle, const char *driver)
{
	return vf_set_req(nl, handle, driver, NULL);
}

/* "driver vfio-pci|default": EXIT_OK with *@driver set, or usage status. */
static int vf_parse_driver(const struct cli_cmd *cmd, const char *arg,
			   const char **driver)
{
	/*
	 * Only what a VM needs and the way back: binding any driver by
	 * name would also take drivers that cannot drive a VF at all.
	 */
	if (!strcmp(arg, VF_DRIVER_VFIO))
		*driver = VF_DRIVER_VFIO;
	else if (!strcmp(arg, "default"))
		*driver = "";
	else
		return cli_usage(cmd, "invalid driver '%s' (expected " VF_DRIVER_VFIO " or default)",
				 arg);
	return EXIT_OK;
}

static int vf_set(const struct cli_cmd *cmd, int argc, char **argv)
{
	char handle[VGPU_HANDLE_MAX];
	const char *driver = NULL;
	struct vf_quota quota;
	bool has_quota = false;
	struct vgpu_nl *nl;
	int i = 2, ret, status;

	if (argc < 2)
		return cli_usage(cmd, "missing VF");
	status = cli_parse_handle(cmd, argv[1], handle);
	if (status != EXIT_OK)
		return status;
	if (argc == 2)
		return cli_usage(cmd, "nothing to set: give driver or quota");
	if (!strcmp(argv[i], "driver")) {
		if (argc == i + 1)
			return cli_usage(cmd, "missing value for 'driver'");
		status = vf_parse_driver(cmd, argv[i + 1], &driver);
		if (status != EXIT_OK)
			return status;
		i += 2;
	}
	if (i < argc && !strcmp(argv[i], "quota")) {
		status = quota_parse_args(cmd, argc - i - 1, argv + i + 1,
					  &quota);
		if (status != EXIT_OK)
			return status;
		has_quota = true;
		i = argc;
	}
	if (i < argc)
		return cli_usage(cmd, i == 2 ? "unknown setting '%s'" :
				 "unexpected argument '%s'", argv[i]);

	ret = cli_nl(&nl);
	if (!ret)
		ret = vf_set_req(nl, handle, driver, has_quota ? &quota : NULL);
	return ret < 0 ? cli_nl_failed(nl) : EXIT_OK;
}

static const struct cli_cmd vf_cmds[] = {
	{ "show", vf_show, "vf show [DEV|VF]",
	  "list the VFs of every device, of one PF, or one VF" },
	{ "set", vf_set, "vf set VF [driver " VF_DRIVER_VFIO "|default] [quota KEY VALUE ...]",
	  "bind a VF to vfio-pci for a VM or back to its default, set its\n"
	  "quotas (root); quotas are set all or nothing" },
};

static const struct cli_object vf_object = {
	.name = "vf",
	.cmds = vf_cmds,
	.ncmds = ARRAY_SIZE(vf_cmds),
	.notes = "DEV (a PF) and VF are pci/DDDD:BB:DD.F, DDDD:BB:DD.F or BB:DD.F.\n"
		 "A VF is in use when the kernel says it is assigned (a VM owns its\n"
		 "IOMMU group) or a process holds /dev/vfio/GROUP or its\n"
		 "/dev/vfio/devices/vfioX open; without root only your own\n"
		 "processes can be seen.\n"
		 "Quota keys (what the PF's driver offers; see resource show):\n"
		 "  ggtt SIZE  vram SIZE        SIZE: bytes, or with K, M, G, T\n"
		 "  contexts N  doorbells N\n"
		 "  exec-quantum MS  preempt-timeout US  priority low|normal|high\n"
		 "  gt1-contexts N  gt1-doorbells N  gt1-exec-quantum MS\n"
		 "  gt1-preempt-timeout US    (i915 media GT, Meteor Lake)",
};

int cmd_vf(const struct cli_cmd *cmd, int argc, char **argv)
{
	(void)cmd;
	return cli_dispatch(&vf_object, argc, argv);
}
