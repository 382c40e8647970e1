// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - "vgpu-nl monitor": one line per event until interrupted
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dev.h"
#include "monitor.h"
#include "output.h"

/* Indexed by enum vgpu_event; the names are part of the CLI contract. */
static const char *const event_names[] = {
	[VGPU_EVENT_DEV_ADD]	= "dev-add",
	[VGPU_EVENT_DEV_DEL]	= "dev-del",
	[VGPU_EVENT_BIND]	= "bind",
	[VGPU_EVENT_UNBIND]	= "unbind",
	[VGPU_EVENT_DEV_CHANGE]	= "dev-change",
};

const char *event_name(unsigned int event, char *buf, size_t len)
{
	if (event < ARRAY_SIZE(event_names) &&
	    event_names[event])
		return event_names[event];
	snprintf(buf, len, "event-%u", event);
	return buf;
}

int monitor_print_event(struct nlattr **tb)
{
	char buf[32];
	unsigned int event = tb[VGPU_A_EVENT] ? nla_get_u8(tb[VGPU_A_EVENT]) : 0;

	/* Each event is its own document: one JSON object per line. */
	output_begin();
	print_string(PRINT_ANY, "event", "%s", event_name(event, buf, sizeof(buf)));
	if (tb[VGPU_A_DEV_HANDLE])
		print_string(PRINT_ANY, "handle", " %s",
			     nla_get_string(tb[VGPU_A_DEV_HANDLE]));
	if (tb[VGPU_A_DEV_DRIVER])
		print_string(PRINT_ANY, "driver", " driver %s",
			     nla_get_string(tb[VGPU_A_DEV_DRIVER]));
	if (tb[VGPU_A_DEV_SRIOV])
		dev_print_sriov(" sriov", tb[VGPU_A_DEV_SRIOV]);
	print_nl();
	return output_end();
}

static int on_event(struct nlattr **tb, void *arg)
{
	(void)arg;
	if (!tb) {
		pr_warn("events were lost (the kernel's queue overflowed); re-read the state with 'vgpu-nl dev show'");
		return 0;
	}
	return monitor_print_event(tb);
}

static volatile sig_atomic_t monitor_stop;

static void on_signal(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

int cmd_monitor(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	sigset_t block, old_mask, waitmask;
	struct vgpu_nl nl;
	int ret, status;

	ret = cli_no_args(cmd, argc, argv);
	if (ret != CLI_GO_ON)
		return ret;
	/* One event per line is what pipes and jq -c rely on: no -p here. */
	output_set_pretty(false);

	/*
	 * SIGINT/SIGTERM stay blocked except inside ppoll(), so a signal ends
	 * the loop at a clean point and everything is freed on the way out.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	waitmask = old_mask;
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	monitor_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	ret = vgpu_nl_open(&nl);
	if (!ret)
		ret = vgpu_nl_subscribe(&nl);
	if (!ret)
		ret = vgpu_nl_listen(&nl, on_event, NULL, &monitor_stop,
				     &waitmask);
	status = ret < 0 ? cli_nl_failed(&nl) : EXIT_OK;
	vgpu_nl_close(&nl);

	/* Unblock while our handler is still in place: a late ^C is absorbed. */
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	return status;
}
