// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - "vgpu-nl monitor": one line per event until interrupted
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/dev.h"
#include "cli/monitor.h"
#include "output/output.h"

/* Indexed by enum vgpu_event; the names are part of the CLI contract. */
static const char *const event_names[] = {
	[VGPU_EVENT_DEV_ADD]	= "dev-add",
	[VGPU_EVENT_DEV_DEL]	= "dev-del",
	[VGPU_EVENT_BIND]	= "bind",
	[VGPU_EVENT_UNBIND]	= "unbind",
	[VGPU_EVENT_DEV_CHANGE]	= "dev-change",
	[VGPU_EVENT_NUMVFS]	= "numvfs",
	[VGPU_EVENT_VF_ADD]	= "vf-add",
	[VGPU_EVENT_VF_DEL]	= "vf-del",
	[VGPU_EVENT_MDEV_ADD]	= "mdev-add",
	[VGPU_EVENT_MDEV_DEL]	= "mdev-del",
	[VGPU_EVENT_QUOTA]	= "quota",
};

const char *event_name(unsigned int event, char *buf, size_t len)
{
	if (event < ARRAY_SIZE(event_names) &&
	    event_names[event])
		return event_names[event];
	snprintf(buf, len, "event-%u", event);
	return buf;
}

/* NUMVFS carries the nest with only the new count: shown flat. */
static void print_numvfs(struct nlattr *nest)
{
	struct nlattr *tb[VGPU_A_SRIOV_MAX + 1];

	if (vgpu_nl_parse_sriov(nest, tb) == 0 && tb[VGPU_A_SRIOV_NUMVFS])
		print_uint(PRINT_ANY, "numvfs", " numvfs %u",
			   nla_get_u16(tb[VGPU_A_SRIOV_NUMVFS]));
}

/*
 * An mdev is named by its UUID: "mdev-add <uuid> parent pci/... type T".
 * The parent is VGPU_A_MDEV_PARENT (VGPU_A_DEV_HANDLE says the same).
 */
static void print_mdev_event(struct nlattr **tb)
{
	struct nlattr *parent = tb[VGPU_A_MDEV_PARENT] ?
				tb[VGPU_A_MDEV_PARENT] : tb[VGPU_A_DEV_HANDLE];

	print_string(PRINT_ANY, "uuid", " %s",
		     nla_get_string(tb[VGPU_A_MDEV_UUID]));
	if (parent)
		print_string(PRINT_ANY, "parent", " parent %s",
			     nla_get_string(parent));
	if (tb[VGPU_A_MDEV_TYPE])
		print_string(PRINT_ANY, "type", " type %s",
			     nla_get_string(tb[VGPU_A_MDEV_TYPE]));
}

int monitor_print_event(struct nlattr **tb)
{
	char buf[32];
	unsigned int event = tb[VGPU_A_EVENT] ? nla_get_u8(tb[VGPU_A_EVENT]) : 0;
	/*
	 * "handle" is always what the event is about: the VF for VF events
	 * (the kernel's VGPU_A_DEV_HANDLE is then its PF, shown as "pf").
	 */
	bool vf = tb[VGPU_A_VF_HANDLE];

	/* Each event is its own document: one JSON object per line. */
	output_begin();
	print_string(PRINT_ANY, "event", "%s", event_name(event, buf, sizeof(buf)));
	if (tb[VGPU_A_MDEV_UUID]) {
		print_mdev_event(tb);
	} else if (vf) {
		print_string(PRINT_ANY, "handle", " %s",
			     nla_get_string(tb[VGPU_A_VF_HANDLE]));
		if (tb[VGPU_A_DEV_HANDLE])
			print_string(PRINT_ANY, "pf", " pf %s",
				     nla_get_string(tb[VGPU_A_DEV_HANDLE]));
		if (tb[VGPU_A_VF_INDEX])
			print_uint(PRINT_ANY, "index", " index %u",
				   nla_get_u16(tb[VGPU_A_VF_INDEX]));
		if (tb[VGPU_A_VF_DRIVER])
			print_string(PRINT_ANY, "driver", " driver %s",
				     nla_get_string(tb[VGPU_A_VF_DRIVER]));
	} else {
		if (tb[VGPU_A_DEV_HANDLE])
			print_string(PRINT_ANY, "handle", " %s",
				     nla_get_string(tb[VGPU_A_DEV_HANDLE]));
		if (tb[VGPU_A_DEV_DRIVER])
			print_string(PRINT_ANY, "driver", " driver %s",
				     nla_get_string(tb[VGPU_A_DEV_DRIVER]));
	}
	if (tb[VGPU_A_DEV_SRIOV]) {
		if (event == VGPU_EVENT_NUMVFS)
			print_numvfs(tb[VGPU_A_DEV_SRIOV]);
		else
			dev_print_sriov(" sriov", tb[VGPU_A_DEV_SRIOV]);
	}
	print_nl();
	return output_end();
}

static int on_event(struct nlattr **tb, const struct vgpu_nl_loss *loss,
		    void *arg)
{
	(void)arg;
	if (tb)
		return monitor_print_event(tb);
	if (!loss->counted)
		pr_warn("events were lost (the kernel's queue overflowed); re-read the state with 'vgpu-nl dev show', 'vgpu-nl vf show' and 'vgpu-nl mdev show'");
	else if (loss->count == 1)
		pr_warn("1 event was lost (the kernel's queue overflowed: event %u); re-read the state with 'vgpu-nl dev show', 'vgpu-nl vf show' and 'vgpu-nl mdev show'",
			loss->first);
	else
		pr_warn("%u events were lost (the kernel's queue overflowed: events %u to %u); re-read the state with 'vgpu-nl dev show', 'vgpu-nl vf show' and 'vgpu-nl mdev show'",
			loss->count, loss->first, loss->first + loss->count - 1);
	return 0;
}

int cmd_monitor(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct vgpu_nl *nl;
	struct cli_wait w;
	int ret, status;

	ret = cli_no_args(cmd, argc, argv);
	if (ret != CLI_GO_ON)
		return ret;
	/* One event per line is what pipes and jq -c rely on: no -p here. */
	output_set_pretty(false);

	cli_wait_begin(&w);
	cli_wait_arm(&w);
	ret = cli_nl(&nl);
	if (!ret)
		ret = vgpu_nl_subscribe(nl);
	if (!ret)
		ret = vgpu_nl_listen(nl, on_event, NULL, true, &cli_stop,
				     &w.waitmask);
	status = ret < 0 ? cli_nl_failed(nl) : EXIT_OK;
	/* Subscribed and non-blocking now: no request may use it after. */
	nl->stale = true;
	cli_wait_end(&w);
	return status;
}
