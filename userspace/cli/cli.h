/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - command tables, usage and help, shared by every object
 *
 * A command function gets argv[0] = its own name, like main(), and returns
 * the process exit status; nothing below main() ever calls exit().
 */
#ifndef VGPU_NL_CLI_H
#define VGPU_NL_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/nl.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit status (contract): */
#define EXIT_OK		0	/* done (help included) */
#define EXIT_FAIL	1	/* the operation failed; stderr says why */
#define EXIT_USAGE	2	/* the command line was wrong */

/* Not an exit status: "nothing decided yet, go on". */
#define CLI_GO_ON	(-1)

struct cli_cmd {
	const char *name;
	int (*fn)(const struct cli_cmd *cmd, int argc, char **argv);
	const char *usage;	/* after "vgpu-nl ": "dev set DEV autoprobe on|off" */
	const char *description;
};

/* An object with commands, such as "dev". */
struct cli_object {
	const char *name;
	const struct cli_cmd *cmds;	/* the first is the default */
	size_t ncmds;
	const char *notes;		/* printed at the end of the help */
};

/* The tool's entry: global options, then the object table. */
int vgpu_nl_main(int argc, char **argv);

/* Objects (argv[0] is the object's name). */
int cmd_version(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_dev(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_vf(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_type(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_mdev(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_monitor(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_resource(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_host(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_snippet(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_doctor(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_apply(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_save(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_reset(const struct cli_cmd *cmd, int argc, char **argv);

/*
 * Runs the command argv[1] of @obj; none runs the default, "help" prints the
 * object's help and "CMD help" the command's.
 */
int cli_dispatch(const struct cli_object *obj, int argc, char **argv);

/* Help on stdout; returns EXIT_OK. */
int cli_help(const struct cli_cmd *cmd);

/* "Error: ..." and the command's usage on stderr; returns EXIT_USAGE. */
__attribute__((format(printf, 2, 3)))
int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...);

/*
 * For commands without arguments: returns CLI_GO_ON, or the exit status
 * once "help" was printed or an extra argument refused.
 */
int cli_no_args(const struct cli_cmd *cmd, int argc, char **argv);

/* Parsers that report a bad value as a usage error (EXIT_USAGE) or EXIT_OK. */
int cli_parse_handle(const struct cli_cmd *cmd, const char *arg,
		     char out[VGPU_HANDLE_MAX]);

/*
 * "OBJECT show [DEV]": at most one argument, a handle. Sets *@given and
 * fills @out when there is one; usage status otherwise.
 */
int cli_parse_opt_handle(const struct cli_cmd *cmd, int argc, char **argv,
			 char out[VGPU_HANDLE_MAX], bool *given);
int cli_parse_on_off(const struct cli_cmd *cmd, const char *key,
		     const char *arg, bool *value);
/* Decimal 0..65535, digits only. */
int cli_parse_u16(const struct cli_cmd *cmd, const char *key,
		  const char *arg, uint16_t *value);
/* An mdev UUID, into its canonical lower-case form. */
int cli_parse_uuid(const struct cli_cmd *cmd, const char *arg,
		   char out[VGPU_UUID_LEN + 1]);

/*
 * For commands a signal must not split (mdev add, mdev del) or that wait
 * for events (monitor, a del's queued removal): between cli_wait_begin()
 * and cli_wait_end(), the stop signals - SIGINT, SIGTERM and SIGHUP (the
 * terminal or the ssh session went) - are held back. Once cli_wait_arm()
 * has run they set cli_stop instead of ending the process, and are taken
 * only inside the wait (vgpu_nl_listen() with @waitmask), so that a ^C
 * ends the command at a clean point, with everything freed and a last
 * word to the user; an ignored SIGHUP (nohup) stays ignored. Unarmed (an
 * add, a del that did not wait), a signal held back takes its usual
 * course at cli_wait_end(), after the work it would have split.
 */
#define CLI_STOP_SIGNALS	3

struct cli_wait {
	sigset_t waitmask;
	sigset_t old_mask;
	struct sigaction old[CLI_STOP_SIGNALS];
	bool armed;
};

extern volatile sig_atomic_t cli_stop;

void cli_wait_begin(struct cli_wait *w);
void cli_wait_arm(struct cli_wait *w);
void cli_wait_end(struct cli_wait *w);
/* A stop signal held back since cli_wait_begin() (unarmed), or 0. */
int cli_wait_held(const struct cli_wait *w);
/* "SIGINT", "SIGTERM" or "SIGHUP" for a stop signal. */
const char *cli_signal_name(int sig);

/* output_end(), reporting a write failure; returns EXIT_OK or EXIT_FAIL. */
int cli_output_end(void);

/* Prints "Error: <why the netlink call failed>"; returns EXIT_FAIL. */
int cli_nl_failed(const struct vgpu_nl *nl);

/*
 * The run's one client of the module (cli/session.c): every command takes
 * it from here, so a batch uses one socket and one family resolution.
 * Opened on first use; 0 with *@nl set, or -errno with (*@nl)->err saying
 * why (the module is not loaded, say) - *@nl is set either way.
 * cli_nl_end() closes it when the run is over.
 */
int cli_nl(struct vgpu_nl **nl);
void cli_nl_end(void);

#endif
