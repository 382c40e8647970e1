// SPDX-License-Identifier: GPL-2.0
/*
 * cli.c - command dispatch, usage and help
 */
#include <stdarg.h>
#include <string.h>

#include "cli/cli.h"
#include "kernel/handle.h"
#include "output/output.h"

int cli_help(const struct cli_cmd *cmd)
{
	fprintf(output_out(), "Usage: vgpu-nl %s\n\n%s\n", cmd->usage,
		cmd->description);
	return EXIT_OK;
}

int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
{
	FILE *err = pr_err_start();
	va_list ap;

	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fprintf(err, "\nUsage: vgpu-nl %s\n", cmd->usage);
	return EXIT_USAGE;
}

static void object_usage(FILE *f, const struct cli_object *obj)
{
	size_t i;

	for (i = 0; i < obj->ncmds; i++)
		fprintf(f, "%s vgpu-nl %s\n", i ? "      " : "Usage:",
			obj->cmds[i].usage);
	fprintf(f, "       vgpu-nl %s help\n", obj->name);
}

static int object_help(const struct cli_object *obj)
{
	FILE *out = output_out();
	size_t i;

	object_usage(out, obj);
	fputs("\nCommands:\n", out);
	for (i = 0; i < obj->ncmds; i++)
		fprintf(out, "  %-8s %s\n", obj->cmds[i].name,
			obj->cmds[i].description);
	fprintf(out, "  %-8s %s\n", "help", "show this help");
	if (obj->notes)
		fprintf(out, "\n%s\n", obj->notes);
	return EXIT_OK;
}

int cli_dispatch(const struct cli_object *obj, int argc, char **argv)
{
	/* A bare "vgpu-nl dev" means "vgpu-nl dev show", as in devlink. */
	char *dflt_argv[] = { (char *)obj->cmds[0].name, NULL };
	const struct cli_cmd *cmd;
	size_t i;

	if (argc < 2)
		return obj->cmds[0].fn(&obj->cmds[0], 1, dflt_argv);
	if (!strcmp(argv[1], "help"))
		return object_help(obj);
	for (i = 0; i < obj->ncmds; i++) {
		cmd = &obj->cmds[i];
		if (strcmp(argv[1], cmd->name))
			continue;
		if (argc > 2 && !strcmp(argv[2], "help"))
			return cli_help(cmd);
		return cmd->fn(cmd, argc - 1, argv + 1);
	}
	pr_err("unknown command '%s' for '%s'", argv[1], obj->name);
	object_usage(output_err(), obj);
	return EXIT_USAGE;
}

int cli_no_args(const struct cli_cmd *cmd, int argc, char **argv)
{
	if (argc < 2)
		return CLI_GO_ON;
	if (!strcmp(argv[1], "help"))
		return cli_help(cmd);
	return cli_usage(cmd, "unexpected argument '%s'", argv[1]);
}

int cli_parse_handle(const struct cli_cmd *cmd, const char *arg,
		     char out[VGPU_HANDLE_MAX])
{
	if (handle_normalize(arg, out) < 0)
		return cli_usage(cmd, "malformed device handle '%s' (expected pci/DDDD:BB:DD.F)",
				 arg);
	return EXIT_OK;
}

int cli_parse_opt_handle(const struct cli_cmd *cmd, int argc, char **argv,
			 char out[VGPU_HANDLE_MAX], bool *given)
{
	*given = argc == 2;
	if (argc > 2)
		return cli_usage(cmd, "unexpected argument '%s'", argv[2]);
	return *given ? cli_parse_handle(cmd, argv[1], out) : EXIT_OK;
}

int cli_parse_on_off(const struct cli_cmd *cmd, const char *key,
		     const char *arg, bool *value)
{
	if (!strcmp(arg, "on"))
		*value = true;
	else if (!strcmp(arg, "off"))
		*value = false;
	else
		return cli_usage(cmd, "invalid %s value '%s' (expected on or off)",
				 key, arg);
	return EXIT_OK;
}

int cli_parse_u16(const struct cli_cmd *cmd, const char *key,
		  const char *arg, uint16_t *value)
{
	unsigned long v = 0;
	const char *p;

	/* Not strtoul(): no sign, space, hex or octal; "" is no number. */
	for (p = arg; *p >= '0' && *p <= '9' && v <= 0xffff; p++)
		v = v * 10 + (*p - '0');
	if (p == arg || *p || v > 0xffff)
		return cli_usage(cmd, "invalid %s value '%s' (expected a number 0..65535)",
				 key, arg);
	*value = v;
	return EXIT_OK;
}

int cli_parse_uuid(const struct cli_cmd *cmd, const char *arg,
		   char out[VGPU_UUID_LEN + 1])
{
	if (uuid_normalize(arg, out) < 0)
		return cli_usage(cmd, "malformed UUID '%s' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)",
				 arg);
	return EXIT_OK;
}

volatile sig_atomic_t cli_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	cli_stop = 1;
}

static const int stop_signals[CLI_STOP_SIGNALS] = { SIGINT, SIGTERM, SIGHUP };
static const char *const stop_names[CLI_STOP_SIGNALS] = {
	"SIGINT", "SIGTERM", "SIGHUP"
};

const char *cli_signal_name(int sig)
{
	int i;

	for (i = 0; i < CLI_STOP_SIGNALS; i++)
		if (stop_signals[i] == sig)
			return stop_names[i];
	return "a signal";
}

void cli_wait_begin(struct cli_wait *w)
{
	sigset_t block;
	int i;

	sigemptyset(&block);
	for (i = 0; i < CLI_STOP_SIGNALS; i++)
		sigaddset(&block, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &w->old_mask);
	w->waitmask = w->old_mask;
	for (i = 0; i < CLI_STOP_SIGNALS; i++)
		sigdelset(&w->waitmask, stop_signals[i]);
	w->armed = false;
}

/*
 * One system call per signal each way: only for a command that is going
 * to wait. SIGINT is taken even where a non-interactive shell's "&" made
 * it ignored (kill -INT ends a background monitor); an ignored SIGHUP is
 * left so, as nohup asked.
 */
void cli_wait_arm(struct cli_wait *w)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	int i;

	if (w->armed)
		return;
	cli_stop = 0;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < CLI_STOP_SIGNALS; i++) {
		sigaction(stop_signals[i], &sa, &w->old[i]);
		if (stop_signals[i] == SIGHUP && w->old[i].sa_handler == SIG_IGN)
			sigaction(SIGHUP, &w->old[i], NULL);
	}
	w->armed = true;
}

void cli_wait_end(struct cli_wait *w)
{
	int i;

	/*
	 * Armed, unblock while our handler is still in place: a late ^C is
	 * absorbed. Unarmed, one held back takes its course here.
	 */
	sigprocmask(SIG_SETMASK, &w->old_mask, NULL);
	if (!w->armed)
		return;
	for (i = CLI_STOP_SIGNALS - 1; i >= 0; i--)
		sigaction(stop_signals[i], &w->old[i], NULL);
}

int cli_wait_held(const struct cli_wait *w)
{
	sigset_t pending;
	int i;

	if (sigpending(&pending) < 0)
		return 0;
	for (i = 0; i < CLI_STOP_SIGNALS; i++)
		if (sigismember(&pending, stop_signals[i]) &&
		    !sigismember(&w->old_mask, stop_signals[i]))
			return stop_signals[i];
	return 0;
}

int cli_output_end(void)
{
	int ret = output_end();

	if (ret < 0) {
		pr_err("cannot write output: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cli_nl_failed(const struct vgpu_nl *nl)
{
	pr_err("%s", vgpu_nl_strerror(nl));
	return EXIT_FAIL;
}
