// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu-nl.c - process entry point
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
	int ret = vgpu_nl_main(argc, argv);

	/* A full disk or a closed pipe must not look like success. */
	if (fclose(stdout) != 0 && ret == EXIT_OK) {
		fprintf(stderr, "Error: cannot write output: %s\n",
			strerror(errno));
		ret = EXIT_FAIL;
	}
	return ret;
}
