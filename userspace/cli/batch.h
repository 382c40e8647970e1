/* SPDX-License-Identifier: GPL-2.0 */
/*
 * batch.h - "vgpu-nl -batch FILE": many commands in one process (batch.c)
 */
#ifndef VGPU_NL_CLI_BATCH_H
#define VGPU_NL_CLI_BATCH_H

#include <stdbool.h>

/* Runs one command line (argv[0] is the object); its exit status. */
typedef int (*cli_batch_fn)(int argc, char **argv);

/*
 * Runs every command of @path ("-": stdin) through @run; stops at the
 * first that fails unless @force. Returns the exit status of the first
 * line that failed, EXIT_OK when none did.
 */
int cli_batch(const char *path, bool force, cli_batch_fn run);

/*
 * Whether a batch is reading stdin right now: a line that would read it
 * too ("apply -") must refuse.
 */
bool cli_batch_reads_stdin(void);

#endif
