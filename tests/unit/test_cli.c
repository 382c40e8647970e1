// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli.c - options, dispatch, help and usage errors, run in-process
 *
 * Contract: help goes to stdout with exit 0; a usage error is "Error: ..."
 * plus the relevant usage line on stderr, nothing on stdout, exit 2.
 */
#define _GNU_SOURCE	/* ppoll() */
#include <poll.h>
#include <signal.h>
#include <stdio.h>

#include "cli/cli.h"
#include "unit.h"

#define RUN(r, ...)	run_tool(r, __VA_ARGS__, (const char *)NULL)

static void check_help(struct run *r, const char *want_first_line,
		       const char *file, int line)
{
	if (r->status != EXIT_OK)
		unit_fail(file, line, "exit %d, want 0", r->status);
	if (strncmp(r->out, want_first_line, strlen(want_first_line)))
		unit_fail(file, line, "stdout starts\n#   \"%.60s\"\n# want\n#   \"%s\"",
			  r->out, want_first_line);
	if (r->err[0])
		unit_fail(file, line, "stderr not empty: %s", r->err);
	run_free(r);
}

static void check_usage(struct run *r, const char *want_err,
			const char *file, int line)
{
	if (r->status != EXIT_USAGE)
		unit_fail(file, line, "exit %d, want 2", r->status);
	if (strcmp(r->err, want_err))
		unit_fail(file, line, "stderr is\n#   \"%s\"\n# want\n#   \"%s\"",
			  r->err, want_err);
	if (r->out[0])
		unit_fail(file, line, "stdout not empty: %s", r->out);
	run_free(r);
}

#define HELP(first, ...) do {						\
	struct run r_;							\
	RUN(&r_, __VA_ARGS__);						\
	check_help(&r_, first, __FILE__, __LINE__);			\
} while (0)

#define USAGE(want, ...) do {						\
	struct run r_;							\
	RUN(&r_, __VA_ARGS__);						\
	check_usage(&r_, want, __FILE__, __LINE__);			\
} while (0)

#define TOP_USAGE	"Usage: vgpu-nl [OPTIONS] OBJECT COMMAND [ARGS]\n"
#define SET_USAGE	"Usage: vgpu-nl dev set DEV [numvfs N] [autoprobe on|off] [provisioning auto|custom] [force]\n" \
			"       vgpu-nl dev set DEV profile KEY VALUE ...\n"
#define VF_SHOW_USAGE	"Usage: vgpu-nl vf show [DEV|VF]\n"
#define VF_SET_USAGE	"Usage: vgpu-nl vf set VF [driver vfio|NAME|default] [quota KEY VALUE ...]\n" \
			"       vgpu-nl vf set VF state stop|pause|resume|reset\n"
#define SHOW_USAGE	"Usage: vgpu-nl dev show [DEV]\n"
#define TYPE_SHOW_USAGE	"Usage: vgpu-nl type show [DEV]\n"
#define MDEV_SHOW_USAGE	"Usage: vgpu-nl mdev show [DEV]\n"
#define MDEV_ADD_USAGE	"Usage: vgpu-nl mdev add DEV type TYPE [uuid UUID] [persist]\n"
#define MDEV_DEL_USAGE	"Usage: vgpu-nl mdev del UUID [force]\n"

TEST(cli_help_exits_0_on_stdout)
{
	const char *top = "Usage: vgpu-nl [OPTIONS] OBJECT COMMAND [ARGS]\n";

	HELP(top, "help");
	HELP(top, "-h");
	HELP(top, "--help");
	HELP(top, "-j", "-h");
	HELP(top, "-jh");
	HELP(top, "help", "help");
	HELP("Usage: vgpu-nl dev show [DEV]\n"
	     "       vgpu-nl dev set DEV [numvfs N] [autoprobe on|off] [provisioning auto|custom] [force]\n"
			"       vgpu-nl dev set DEV profile KEY VALUE ...\n"
	     "       vgpu-nl dev help\n", "dev", "help");
	HELP("Usage: vgpu-nl vf show [DEV|VF]\n"
	     "       vgpu-nl vf set VF [driver vfio|NAME|default] [quota KEY VALUE ...]\n"
			"       vgpu-nl vf set VF state stop|pause|resume|reset\n"
	     "       vgpu-nl vf help\n", "vf", "help");
	HELP(VF_SHOW_USAGE, "vf", "show", "help");
	HELP(VF_SET_USAGE, "vf", "set", "help");
	HELP("Usage: vgpu-nl vf show [DEV|VF]\n", "help", "vf");
	HELP("Usage: vgpu-nl dev show [DEV]\n", "help", "dev");
	HELP(SET_USAGE, "dev", "set", "help");
	HELP(SHOW_USAGE, "dev", "show", "help");
	HELP("Usage: vgpu-nl version\n", "version", "help");
	HELP("Usage: vgpu-nl monitor\n", "monitor", "help");
	HELP("Usage: vgpu-nl monitor\n", "help", "monitor");
	HELP(TYPE_SHOW_USAGE "       vgpu-nl type help\n", "type", "help");
	HELP(TYPE_SHOW_USAGE "       vgpu-nl type help\n", "help", "type");
	HELP(TYPE_SHOW_USAGE, "type", "show", "help");
	HELP(MDEV_SHOW_USAGE "       vgpu-nl mdev add DEV type TYPE [uuid UUID] [persist]\n"
	     "       vgpu-nl mdev del UUID [force]\n"
	     "       vgpu-nl mdev help\n", "mdev", "help");
	HELP(MDEV_SHOW_USAGE, "help", "mdev");
	HELP(MDEV_SHOW_USAGE, "mdev", "show", "help");
	HELP(MDEV_ADD_USAGE "\ncreate an mdev", "mdev", "add", "help");
	HELP(MDEV_DEL_USAGE "\nremove an mdev", "mdev", "del", "help");
}

TEST(cli_help_lists_every_object)
{
	struct run r;

	RUN(&r, "help");
	CHECK(strstr(r.out, "\n  version "));
	CHECK(strstr(r.out, "\n  dev "));
	CHECK(strstr(r.out, "\n  vf "));
	CHECK(strstr(r.out, "\n  type "));
	CHECK(strstr(r.out, "\n  mdev "));
	CHECK(strstr(r.out, "\n  monitor "));
	CHECK(strstr(r.out, "--json"));
	CHECK(strstr(r.out, "--pretty"));
	run_free(&r);
}

TEST(cli_version_option)
{
	HELP("vgpu-nl tool " VGPU_NL_TOOL_VERSION "\n", "-V");
	HELP("vgpu-nl tool " VGPU_NL_TOOL_VERSION "\n", "--version");
}

TEST(cli_global_usage_errors)
{
	struct run r;

	/* No argument at all: usage, not a crash or a default action. */
	run_tool(&r, NULL);
	check_usage(&r, "Error: missing OBJECT (try: vgpu-nl help)\n" TOP_USAGE,
		    __FILE__, __LINE__);
	USAGE("Error: missing OBJECT (try: vgpu-nl help)\n" TOP_USAGE, "-j");
	USAGE("Error: unknown object 'frob' (try: vgpu-nl help)\n" TOP_USAGE,
	      "frob");
	USAGE("Error: unknown option '-x'\n" TOP_USAGE, "-x", "dev");
	USAGE("Error: unknown option '-x'\n" TOP_USAGE, "-jx", "dev");
	USAGE("Error: unknown option '--frob'\n" TOP_USAGE, "--frob");
	USAGE("Error: unknown object 'frob'\nUsage: vgpu-nl help [OBJECT]\n",
	      "help", "frob");
	USAGE("Error: unexpected argument 'x'\nUsage: vgpu-nl help [OBJECT]\n",
	      "help", "dev", "x");
}

TEST(cli_dev_usage_errors)
{
	USAGE("Error: unknown command 'frob' for 'dev'\n"
	      "Usage: vgpu-nl dev show [DEV]\n"
	      "       vgpu-nl dev set DEV [numvfs N] [autoprobe on|off] [provisioning auto|custom] [force]\n"
			"       vgpu-nl dev set DEV profile KEY VALUE ...\n"
	      "       vgpu-nl dev help\n", "dev", "frob");
	USAGE("Error: unexpected argument 'x'\n" SHOW_USAGE,
	      "dev", "show", "00:02.0", "x");
	USAGE("Error: malformed device handle 'pci/zz' (expected pci/DDDD:BB:DD.F)\n"
	      SHOW_USAGE, "dev", "show", "pci/zz");
	USAGE("Error: malformed device handle '' (expected pci/DDDD:BB:DD.F)\n"
	      SHOW_USAGE, "dev", "show", "");
}

TEST(cli_dev_set_usage_errors)
{
	USAGE("Error: missing DEV\n" SET_USAGE, "dev", "set");
	USAGE("Error: malformed device handle '00:20.0' (expected pci/DDDD:BB:DD.F)\n"
	      SET_USAGE, "dev", "set", "00:20.0", "autoprobe", "on");
	USAGE("Error: nothing to set\n" SET_USAGE, "dev", "set", "00:02.0");
	USAGE("Error: missing value for 'autoprobe'\n" SET_USAGE,
	      "dev", "set", "00:02.0", "autoprobe");
	USAGE("Error: invalid autoprobe value 'maybe' (expected on or off)\n"
	      SET_USAGE, "dev", "set", "00:02.0", "autoprobe", "maybe");
	USAGE("Error: invalid autoprobe value 'ON' (expected on or off)\n"
	      SET_USAGE, "dev", "set", "00:02.0", "autoprobe", "ON");
	USAGE("Error: 'autoprobe' given twice\n" SET_USAGE,
	      "dev", "set", "00:02.0", "autoprobe", "on", "autoprobe", "off");
	USAGE("Error: unknown setting 'frob'\n" SET_USAGE,
	      "dev", "set", "00:02.0", "autoprobe", "on", "frob");
	USAGE("Error: unknown setting 'numvfs=3'\n" SET_USAGE,
	      "dev", "set", "00:02.0", "numvfs=3");
}

TEST(cli_dev_set_numvfs_usage_errors)
{
	static const char *const bad[] = {
		"", "-1", "+3", " 3", "3 ", "0x3", "3a", "65536", "99999999999999999999", "1e3",
	};
	char want[256];
	size_t i;

	USAGE("Error: missing value for 'numvfs'\n" SET_USAGE,
	      "dev", "set", "00:02.0", "numvfs");
	USAGE("Error: missing value for 'numvfs'\n" SET_USAGE,
	      "dev", "set", "00:02.0", "autoprobe", "on", "numvfs");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(want, sizeof(want),
			 "Error: invalid numvfs value '%s' (expected a number 0..65535)\n"
			 SET_USAGE, bad[i]);
		USAGE(want, "dev", "set", "00:02.0", "numvfs", bad[i]);
	}
	/* "force" is a keyword, never a value */
	USAGE("Error: invalid numvfs value 'force' (expected a number 0..65535)\n"
	      SET_USAGE, "dev", "set", "00:02.0", "numvfs", "force");
	USAGE("Error: 'numvfs' given twice\n" SET_USAGE,
	      "dev", "set", "00:02.0", "numvfs", "1", "numvfs", "1");
	USAGE("Error: 'numvfs' given twice\n" SET_USAGE,
	      "dev", "set", "00:02.0", "numvfs", "1", "autoprobe", "on", "numvfs", "2");
	USAGE("Error: 'autoprobe' given twice\n" SET_USAGE,
	      "dev", "set", "00:02.0", "autoprobe", "on", "numvfs", "1", "autoprobe", "on");
	USAGE("Error: 'force' given twice\n" SET_USAGE,
	      "dev", "set", "00:02.0", "force", "numvfs", "1", "force");
	USAGE("Error: invalid autoprobe value 'yes' (expected on or off)\n" SET_USAGE,
	      "dev", "set", "00:02.0", "numvfs", "1", "autoprobe", "yes");
	USAGE("Error: nothing to set\n" SET_USAGE, "dev", "set", "00:02.0", "force");
	USAGE("Error: 'force' only applies to numvfs and provisioning auto\n" SET_USAGE,
	      "dev", "set", "00:02.0", "autoprobe", "on", "force");
}

TEST(cli_vf_usage_errors)
{
	USAGE("Error: unknown command 'frob' for 'vf'\n"
	      "Usage: vgpu-nl vf show [DEV|VF]\n"
	      "       vgpu-nl vf set VF [driver vfio|NAME|default] [quota KEY VALUE ...]\n"
			"       vgpu-nl vf set VF state stop|pause|resume|reset\n"
	      "       vgpu-nl vf help\n", "vf", "frob");
	USAGE("Error: unexpected argument 'x'\n" VF_SHOW_USAGE,
	      "vf", "show", "01:00.1", "x");
	USAGE("Error: malformed device handle 'pci/zz' (expected pci/DDDD:BB:DD.F)\n"
	      VF_SHOW_USAGE, "vf", "show", "pci/zz");
	USAGE("Error: missing VF\n" VF_SET_USAGE, "vf", "set");
	USAGE("Error: malformed device handle '1:2:3' (expected pci/DDDD:BB:DD.F)\n"
	      VF_SET_USAGE, "vf", "set", "1:2:3", "driver", "vfio-pci");
	USAGE("Error: nothing to set: give driver, quota or state\n" VF_SET_USAGE,
	      "vf", "set", "01:00.1");
	USAGE("Error: unknown setting 'numvfs'\n" VF_SET_USAGE,
	      "vf", "set", "01:00.1", "numvfs", "1");
	USAGE("Error: quota needs KEY VALUE pairs\n" VF_SET_USAGE,
	      "vf", "set", "01:00.1", "quota");
	USAGE("Error: quota key 'ggtt' needs a value\n" VF_SET_USAGE,
	      "vf", "set", "01:00.1", "quota", "contexts", "1", "ggtt");
	USAGE("Error: unknown quota key 'gtt' (ggtt, contexts, doorbells, vram, exec-quantum, preempt-timeout, priority, gt1-...)\n"
	      VF_SET_USAGE, "vf", "set", "01:00.1", "quota", "gtt", "1");
	USAGE("Error: invalid ggtt value '512X': unknown unit: use K, M, G or T (binary), or bytes\n"
	      VF_SET_USAGE, "vf", "set", "01:00.1", "quota", "ggtt", "512X");
	USAGE("Error: invalid ggtt value '-1': expected a size such as 512M, 2G or 4096 (bytes)\n"
	      VF_SET_USAGE, "vf", "set", "01:00.1", "quota", "ggtt", "-1");
	USAGE("Error: invalid ggtt value '99999999999T': too large\n"
	      VF_SET_USAGE, "vf", "set", "01:00.1", "quota", "ggtt", "99999999999T");
	USAGE("Error: invalid contexts value '1K': expected a decimal number without unit\n"
	      VF_SET_USAGE, "vf", "set", "01:00.1", "quota", "contexts", "1K");
	USAGE("Error: invalid doorbells value '4294967296': too large\n"
	      VF_SET_USAGE, "vf", "set", "01:00.1", "quota", "doorbells", "4294967296");
	USAGE("Error: invalid priority value 'urgent': expected low, normal or high\n"
	      VF_SET_USAGE, "vf", "set", "01:00.1", "quota", "priority", "urgent");
	USAGE("Error: quota key 'ggtt' given twice\n" VF_SET_USAGE,
	      "vf", "set", "01:00.1", "quota", "ggtt", "1M", "ggtt", "2M");
	USAGE("Error: quota needs KEY VALUE pairs\n" VF_SET_USAGE,
	      "vf", "set", "01:00.1", "driver", "default", "quota");
	USAGE("Error: unexpected argument 'driver'\n" VF_SET_USAGE,
	      "vf", "set", "01:00.1", "driver", "default", "driver", "default");
	USAGE("Error: missing value for 'driver'\n" VF_SET_USAGE,
	      "vf", "set", "01:00.1", "driver");
	/* "nouveau" is a name: the kernel refuses it (not a VFIO PCI driver). */
	USAGE("Error: invalid driver '' (expected vfio, a VFIO PCI driver's name or default)\n"
	      VF_SET_USAGE, "vf", "set", "01:00.1", "driver", "");
	USAGE("Error: invalid driver 'vfio/pci' (expected vfio, a VFIO PCI driver's name or default)\n"
	      VF_SET_USAGE, "vf", "set", "01:00.1", "driver", "vfio/pci");
	USAGE("Error: unexpected argument 'x'\n" VF_SET_USAGE,
	      "vf", "set", "01:00.1", "driver", "default", "x");
}

TEST(cli_type_mdev_usage_errors)
{
	USAGE("Error: unknown command 'list' for 'type'\n" TYPE_SHOW_USAGE
	      "       vgpu-nl type help\n", "type", "list");
	USAGE("Error: unknown command 'create' for 'mdev'\n" MDEV_SHOW_USAGE
	      "       vgpu-nl mdev add DEV type TYPE [uuid UUID] [persist]\n"
	      "       vgpu-nl mdev del UUID [force]\n"
	      "       vgpu-nl mdev help\n", "mdev", "create");
	USAGE("Error: unexpected argument 'x'\n" MDEV_SHOW_USAGE,
	      "mdev", "show", "00:02.0", "x");
	USAGE("Error: missing DEV\n" MDEV_ADD_USAGE, "mdev", "add");
	USAGE("Error: missing UUID\n" MDEV_DEL_USAGE, "mdev", "del");
	/* A UUID is not a handle, nor the other way round. */
	USAGE("Error: malformed UUID 'pci/0000:00:02.0' (expected "
	      "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)\n" MDEV_DEL_USAGE,
	      "mdev", "del", "pci/0000:00:02.0");
	USAGE("Error: malformed device handle '6eba5b41-176e-40db-b93e-7f18e04e0b93' "
	      "(expected pci/DDDD:BB:DD.F)\n" MDEV_SHOW_USAGE,
	      "mdev", "show", "6eba5b41-176e-40db-b93e-7f18e04e0b93");
}

TEST(cli_leaf_objects_take_no_arguments)
{
	USAGE("Error: unexpected argument 'x'\nUsage: vgpu-nl version\n",
	      "version", "x");
	USAGE("Error: unexpected argument 'x'\nUsage: vgpu-nl monitor\n",
	      "monitor", "x");
}

/*
 * Without the module every command that needs it fails with exit 1 and the
 * one hint; -j still prints exactly one JSON document. Talks to the host
 * kernel's nlctrl, so it only runs where no vgpu family exists.
 */
#define NOT_LOADED "Error: the vgpu_nl kernel module is not loaded (try: modprobe vgpu_nl)\n"

static bool host_without_module(void)
{
	struct run r;
	bool ok;

	if (vgpu_module_present()) {
		unit_skip("the vgpu family exists on this host");
		return false;
	}
	RUN(&r, "dev");
	ok = !strcmp(r.err, NOT_LOADED);
	run_free(&r);
	if (!ok)
		unit_skip("no generic netlink on this host");
	return ok;
}

TEST(cli_without_module)
{
	struct run r;

	if (!host_without_module())
		return;

	RUN(&r, "version");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "vgpu-nl tool " VGPU_NL_TOOL_VERSION "\n");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	RUN(&r, "-j", "version");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "{\"tool\":\"" VGPU_NL_TOOL_VERSION "\"}\n");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	RUN(&r, "-j", "dev", "show");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "{\"devices\":[]}\n");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	/* "dev" alone is "dev show". */
	RUN(&r, "dev");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	run_free(&r);

	RUN(&r, "dev", "set", "00:02.0", "autoprobe", "off");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	RUN(&r, "monitor");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	RUN(&r, "-j", "vf", "show");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "{\"vfs\":[]}\n");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	RUN(&r, "vf", "set", "01:00.1", "driver", "default");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	RUN(&r, "dev", "set", "01:00.0", "numvfs", "2");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	RUN(&r, "-j", "type", "show");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "{\"types\":[]}\n");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	RUN(&r, "-j", "mdev", "show");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "{\"mdevs\":[]}\n");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	RUN(&r, "mdev", "add", "00:02.0", "type", "GVTg_V5_4");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);

	RUN(&r, "mdev", "del", "6eba5b41-176e-40db-b93e-7f18e04e0b93", "force");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, NOT_LOADED);
	run_free(&r);
}

/*
 * ppoll() with the wait's mask for no time: -1 when a held-back stop
 * signal was taken (as in vgpu_nl_listen()), 0 when none was.
 */
static int take_held_signals(const struct cli_wait *w)
{
	struct timespec now = { 0 };

	return ppoll(NULL, 0, &now, &w->waitmask);
}

/* A hangup ends a wait as ^C does; the action from before comes back. */
TEST(cli_wait_hangup_stops_the_wait)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, before, after;
	struct cli_wait w;
	sigset_t pending;

	sigemptyset(&dfl.sa_mask);
	sigaction(SIGHUP, &dfl, &before);
	cli_wait_begin(&w);
	cli_wait_arm(&w);
	raise(SIGHUP);			/* held back */
	CHECK_INT(cli_stop, 0);
	CHECK_INT(take_held_signals(&w), -1);
	CHECK_INT(cli_stop, 1);
	cli_wait_end(&w);
	sigaction(SIGHUP, &before, &after);
	CHECK(after.sa_handler == SIG_DFL);
	sigpending(&pending);
	CHECK(!sigismember(&pending, SIGHUP));
}

/* Under nohup (SIGHUP ignored) a hangup does not end a wait. */
TEST(cli_wait_keeps_nohup)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, before, now;
	struct cli_wait w;

	sigemptyset(&ign.sa_mask);
	sigaction(SIGHUP, &ign, &before);
	cli_wait_begin(&w);
	cli_wait_arm(&w);
	sigaction(SIGHUP, NULL, &now);
	CHECK(now.sa_handler == SIG_IGN);
	raise(SIGHUP);
	CHECK_INT(take_held_signals(&w), 0);
	CHECK_INT(cli_stop, 0);
	cli_wait_end(&w);
	sigaction(SIGHUP, &before, &now);
	CHECK(now.sa_handler == SIG_IGN);
}
