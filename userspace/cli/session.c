// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - the run's one client of vgpu_nl
 *
 * A run of the tool - one command, or every line of a batch - talks to
 * the module through one socket and resolves the family once: commands
 * take this client (cli_nl()) and never open their own. It is opened by
 * the first command that needs the module, so that those that do not
 * (host, snippet, doctor, help, "-V") work without it, and closed when
 * the run ends. A client that an exchange left unfinished (a transport
 * error, vgpu_nl.stale) is replaced before the next command uses it.
 */
#include "cli/cli.h"

static struct {
	struct vgpu_nl nl;
	bool open;
} session;

int cli_nl(struct vgpu_nl **nl)
{
	int ret;

	*nl = &session.nl;
	if (session.open && !session.nl.stale)
		return 0;
	cli_nl_end();
	ret = vgpu_nl_open(&session.nl);
	session.open = ret == 0;
	return ret;
}

void cli_nl_end(void)
{
	if (session.open)
		vgpu_nl_close(&session.nl);
	session.open = false;
}
