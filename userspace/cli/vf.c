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
#include "host/rootfs.h"
#include "host/vfio.h"
#include "kernel/handle.h"
#include "output/output.h"

/*
 * "vf set VF driver": "vfio" picks the VF's VFIO driver as libvirt does
 * (host/vfio.h), a name binds that driver (the kernel takes only VFIO PCI
 * drivers, and says why not), "default" clears the override.
 */

static const char *const vf_controls[] = {
	[VGPU_VF_CONTROL_STOP] = "stop",
	[VGPU_VF_CONTROL_PAUSE] = "pause",
	[VGPU_VF_CONTROL_RESUME] = "resume",
	[VGPU_VF_CONTROL_RESET] = "reset",
};

static const char *const vf_states[] = {
	[VGPU_VF_STATE_RUNNING] = "running",
	[VGPU_VF_STATE_PAUSED] = "paused",
	[VGPU_VF_STATE_STOPPED] = "stopped",
};

/* The state vgpu_nl last put the VF in, and what its driver offers. */
static void vf_print_control(struct nlattr **tb)
{
	unsigned int c, n;
	uint32_t mask;
	uint8_t state;

	if (tb[VGPU_A_VF_STATE]) {
		state = nla_get_u8(tb[VGPU_A_VF_STATE]);
		print_string(PRINT_ANY, "state", " state %s",
			     state < ARRAY_SIZE(vf_states) && vf_states[state] ?
			     vf_states[state] : "?");
	}
	if (!tb[VGPU_A_VF_CONTROLS])
		return;
	mask = nla_get_u32(tb[VGPU_A_VF_CONTROLS]);
	open_array("controls");
	print_string(PRINT_FP, NULL, "%s", " controls");
	for (c = VGPU_VF_CONTROL_STOP, n = 0; c < ARRAY_SIZE(vf_controls); c++)
		if (mask & (1u << c))
			print_string(PRINT_ANY, NULL, n++ ? ",%s" : " %s",
				     vf_controls[c]);
	close_array();
}

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
	/* Only on a VFIO driver: whether it can live-migrate the VF. */
	if (tb[VGPU_A_VF_MIGRATION]) {
		bool mig = nla_get_u8(tb[VGPU_A_VF_MIGRATION]);

		print_bool(PRINT_JSON, "migration", NULL, mig);
		print_string(PRINT_FP, NULL, " migration %s", mig ? "yes" : "no");
	}
	if (tb[VGPU_A_VF_IOMMU_GROUP])
		print_uint(PRINT_ANY, "iommu_group", " iommu_group %u",
			   nla_get_u32(tb[VGPU_A_VF_IOMMU_GROUP]));
	vf_print_control(tb);

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

/* VF_SET with a control (enum vgpu_vf_control); 0 or -errno (in nl->err). */
static int vf_set_control(struct vgpu_nl *nl, const char *handle, int ctl)
{
	struct nl_msg *req;

	req = vgpu_nl_request(nl, VGPU_CMD_VF_SET, 0);
	if (!req)
		return nl->err.error;
	if (nla_put_string(req, VGPU_A_VF_HANDLE, handle) < 0 ||
	    nla_put_u8(req, VGPU_A_VF_CONTROL, ctl) < 0) {
		nlmsg_free(req);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	return vgpu_nl_do(nl, req, NULL);
}

/* "vf set VF state stop|pause|resume|reset": a control, alone. */
static int vf_set_state(const struct cli_cmd *cmd, const char *handle,
			int argc, char **argv)
{
	struct vgpu_nl *nl;
	unsigned int c;
	int ret;

	if (argc != 4)
		return cli_usage(cmd, argc == 3 ? "missing value for 'state'" :
				 "'state' goes alone (no driver or quota with it)");
	for (c = VGPU_VF_CONTROL_STOP; c < ARRAY_SIZE(vf_controls); c++)
		if (!strcmp(argv[3], vf_controls[c]))
			break;
	if (c == ARRAY_SIZE(vf_controls))
		return cli_usage(cmd, "invalid state '%s' (expected stop, pause, resume or reset)",
				 argv[3]);
	ret = cli_nl(&nl);
	if (!ret)
		ret = vf_set_control(nl, handle, c);
	return ret < 0 ? cli_nl_failed(nl) : EXIT_OK;
}

int vf_set_driver(struct vgpu_nl *nl, const char *handle, const char *driver)
{
	return vf_set_req(nl, handle, driver, NULL);
}

/* "driver vfio|NAME|default": EXIT_OK with *@driver set, or usage status. */
static int vf_parse_driver(const struct cli_cmd *cmd, const char *arg,
			   const char **driver)
{
	if (!strcmp(arg, "default")) {
		*driver = "";
		return EXIT_OK;
	}
	/* A driver's name: what sysfs and modprobe(8) take. */
	if (!*arg || strlen(arg) >= 64 || strspn(arg,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
	    strlen(arg))
		return cli_usage(cmd, "invalid driver '%s' (expected " VF_DRIVER_AUTO ", a VFIO PCI driver's name or default)",
				 arg);
	*driver = arg;
	return EXIT_OK;
}

/* See vf.h. */
int vf_resolve_driver(const char *vf, const char *arg, char *out, size_t len)
{
	char module[64];
	int ret;

	snprintf(out, len, "%s", arg);
	if (!*arg || rootfs_exists("/sys/bus/pci/drivers/%s", arg))
		return EXIT_OK;
	if (strcmp(arg, VF_DRIVER_AUTO)) {
		/* Loaded only when it is one: no other module is touched. */
		vfio_driver_module(arg, module, sizeof(module));
		if (!vfio_driver_is_vfio(arg)) {
			pr_err("%s is not a VFIO PCI driver: no PCI driver of that name is loaded, and module %s has no vfio_pci: alias in modules.alias",
			       arg, module);
			return EXIT_FAIL;
		}
		/* vfio-pci: the kernel loads it itself when it must. */
		if (vfio_module_driver(module, out, len) &&
		    strcmp(arg, VFIO_DRIVER)) {
			pr_err("%s: module %s cannot be loaded (modprobe %s)",
			       arg, module, module);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	ret = vfio_best_module(vf, module, sizeof(module));
	if (ret) {
		pr_err("pci/%s: cannot read its modalias to choose a VFIO driver: %s",
		       vf, strerror(-ret));
		return EXIT_FAIL;
	}
	if (vfio_module_driver(module, out, len)) {
		pr_err("pci/%s: its VFIO driver is in module %s, which cannot be loaded (modprobe %s)",
		       vf, module, module);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int vf_set(const struct cli_cmd *cmd, int argc, char **argv)
{
	char handle[VGPU_HANDLE_MAX], drvname[64];
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
		return cli_usage(cmd, "nothing to set: give driver, quota or state");
	if (!strcmp(argv[i], "state"))
		return vf_set_state(cmd, handle, argc, argv);
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

	if (driver) {
		status = vf_resolve_driver(handle_dev_name(handle), driver,
					   drvname, sizeof(drvname));
		if (status != EXIT_OK)
			return status;
		driver = drvname;
	}
	ret = cli_nl(&nl);
	if (!ret)
		ret = vf_set_req(nl, handle, driver, has_quota ? &quota : NULL);
	return ret < 0 ? cli_nl_failed(nl) : EXIT_OK;
}

static const struct cli_cmd vf_cmds[] = {
	{ "show", vf_show, "vf show [DEV|VF]",
	  "list the VFs of every device, of one PF, or one VF" },
	{ "set", vf_set, "vf set VF [driver vfio|NAME|default] [quota KEY VALUE ...]\n"
	  "       vgpu-nl vf set VF state stop|pause|resume|reset",
	  "bind a VF to a VFIO driver for a VM or back to its default, set its\n"
	  "quotas (root; all or nothing), or stop, pause, resume or reset it\n"
	  "through its PF driver's files" },
};

static const struct cli_object vf_object = {
	.name = "vf",
	.cmds = vf_cmds,
	.ncmds = ARRAY_SIZE(vf_cmds),
	.notes = "DEV (a PF) and VF are pci/DDDD:BB:DD.F, DDDD:BB:DD.F or BB:DD.F.\n"
		 "driver vfio picks the VF's VFIO driver as libvirt does: a variant\n"
		 "driver (xe-vfio-pci, with live migration) whose vfio_pci: alias in\n"
		 "modules.alias matches the VF, else vfio-pci; it is loaded if need be.\n"
		 "driver NAME binds that VFIO PCI driver (vfio-pci, xe-vfio-pci, ...).\n"
		 "state: xe (6.19+) stops through sriov_admin/vfN/stop and pauses, resumes\n"
		 "and resets through debugfs; i915-sriov-dkms and older xe have stop, pause\n"
		 "and resume. vf show gives the state vgpu-nl last set (the drivers do not\n"
		 "report it) and the controls the driver has.\n"
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
