// SPDX-License-Identifier: GPL-2.0
/*
 * toplevel.c - global options and the table of objects
 *
 * The process entry point is in vgpu-nl.c, so that the unit tests can link
 * everything here and drive vgpu_nl_main() like a shell would.
 */
#include <string.h>

#include "cli/batch.h"
#include "cli/cli.h"
#include "output/output.h"

#ifndef VGPU_NL_TOOL_VERSION
#error "VGPU_NL_TOOL_VERSION must come from the Makefile (dkms.conf)"
#endif

static int cmd_help(const struct cli_cmd *cmd, int argc, char **argv);

static const struct cli_cmd objects[] = {
	{ "version", cmd_version, "version", "tool, module and API versions" },
	{ "dev", cmd_dev, "dev { show | set | help }",
	  "GPU devices: show them, change their settings" },
	{ "vf", cmd_vf, "vf { show | set | help }",
	  "SR-IOV virtual functions: show them, bind their driver" },
	{ "type", cmd_type, "type { show | help }",
	  "mdev types of GVT-g parents: what an mdev can be, how many fit" },
	{ "mdev", cmd_mdev, "mdev { show | add | del | help }",
	  "mediated devices (GVT-g vGPUs): create, remove, show them" },
	{ "resource", cmd_resource, "resource { show | help }",
	  "what each GPU's resources hold and have free (quotas, aperture)" },
	{ "monitor", cmd_monitor, "monitor",
	  "print every change as it happens, until interrupted" },
	{ "host", cmd_host, "host { plan | apply | rollback | help }",
	  "boot settings (command line, modules) for a mode, with rollback" },
	{ "snippet", cmd_snippet,
	  "snippet VF|UUID|DEV --format libvirt|pve|qemu|pve-mapping",
	  "the VM configuration that gives a VF, an mdev or a whole device to a VM" },
	{ "doctor", cmd_doctor, "doctor [DEV] [--root DIR]",
	  "host self-check: every finding with its evidence and fix" },
	{ "apply", cmd_apply, "apply [FILE|-] [device DEV] [force]",
	  "make the system match the desired-state file (root)" },
	{ "save", cmd_save, "save [FILE|-]", "write the current state as a desired-state file" },
	{ "reset", cmd_reset, "reset DEV [force]",
	  "remove what vgpu-nl made on DEV: its mdevs, VF drivers, VFs (root)" },
	{ "help", cmd_help, "help [OBJECT]", "show this help" },
};

/* Stands for the whole command line in top-level usage errors. */
static const struct cli_cmd toplevel = {
	"vgpu-nl", NULL, "[OPTIONS] OBJECT COMMAND [ARGS]", NULL,
};

static int top_help(void)
{
	FILE *out = output_out();
	size_t i;

	fprintf(out, "Usage: vgpu-nl %s\n"
		"       vgpu-nl [OPTIONS] [-force] -batch FILE|-\n"
		"       vgpu-nl help [OBJECT]\n\nObjects:\n", toplevel.usage);
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		fprintf(out, "  %-9s %s\n", objects[i].name,
			objects[i].description);
	fputs("\nOptions:\n"
	      "  -j, --json      JSON output\n"
	      "  -p, --pretty    pretty-print JSON (with -j)\n"
	      "  -b, -batch FILE run the commands of FILE (- for stdin), one per\n"
	      "                  line, in one process; stop at the first failure\n"
	      "  -f, -force      with -batch: go on after a failure\n"
	      "  -h, --help      show this help\n"
	      "  -V, --version   print the tool's version\n"
	      "\nExit status: 0 done, 1 the operation failed, 2 usage error.\n",
	      out);
	return EXIT_OK;
}

static const struct cli_cmd *find_object(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (!strcmp(objects[i].name, name))
			return &objects[i];
	return NULL;
}

/* "help" alone, or "help OBJECT" for "OBJECT help". */
static int cmd_help(const struct cli_cmd *cmd, int argc, char **argv)
{
	char *sub_argv[3] = { NULL, "help", NULL };
	const struct cli_cmd *obj;

	if (argc < 2)
		return top_help();
	if (argc > 2)
		return cli_usage(cmd, "unexpected argument '%s'", argv[2]);
	obj = find_object(argv[1]);
	if (!obj)
		return cli_usage(cmd, "unknown object '%s'", argv[1]);
	if (obj == cmd)
		return top_help();
	sub_argv[0] = argv[1];
	return obj->fn(obj, 2, sub_argv);
}

/* The global options. */
struct options {
	bool json, pretty;
	const char *batch;	/* -batch FILE */
	bool force;		/* -force */
};

/*
 * Sets one option from its letter; @arg is what follows it, for -b FILE.
 * Returns CLI_GO_ON or an exit status; *@used is set when @arg was taken.
 */
static int short_option(char c, const char *arg, bool *used,
			struct options *opt)
{
	switch (c) {
	case 'j':
		opt->json = true;
		return CLI_GO_ON;
	case 'p':
		opt->pretty = true;
		return CLI_GO_ON;
	case 'f':
		opt->force = true;
		return CLI_GO_ON;
	case 'b':
		if (!arg)
			return cli_usage(&toplevel, "-batch needs a FILE (- for stdin)");
		opt->batch = arg;
		*used = true;
		return CLI_GO_ON;
	case 'h':
		return top_help();
	case 'V':
		fprintf(output_out(), "vgpu-nl tool %s\n", VGPU_NL_TOOL_VERSION);
		return EXIT_OK;
	}
	return cli_usage(&toplevel, "unknown option '-%c'", c);
}

/*
 * One option word at argv[*i], moving *i past what it used. Long forms
 * take one dash or two, as ip(8) and devlink(8) accept "-batch" and
 * "-force"; short letters may be grouped ("-jp"), and b takes the rest of
 * the group or the next word as its FILE.
 */
static int option(int argc, char **argv, int *i, struct options *opt)
{
	static const struct { const char *name; char letter; } longs[] = {
		{ "json", 'j' }, { "pretty", 'p' }, { "batch", 'b' },
		{ "force", 'f' }, { "help", 'h' }, { "version", 'V' },
	};
	const char *word = argv[*i], *name, *next, *p;
	bool used = false;
	size_t k;
	int ret;

	next = *i + 1 < argc ? argv[*i + 1] : NULL;
	name = word + 1 + (word[1] == '-');
	for (k = 0; k < ARRAY_SIZE(longs); k++) {
		/* -json, --json; a lone letter is the short form, below. */
		if (strcmp(name, longs[k].name) || (word[1] != '-' && !name[1]))
			continue;
		ret = short_option(longs[k].letter, next, &used, opt);
		*i += used;
		return ret;
	}
	if (word[1] == '-')
		return cli_usage(&toplevel, "unknown option '%s'", word);
	for (p = word + 1, ret = CLI_GO_ON; *p && ret == CLI_GO_ON && !used; p++)
		ret = short_option(*p, p[1] ? p + 1 : next, &used, opt);
	if (used && !*p)
		(*i)++;		/* -b FILE: the FILE was the next word */
	return ret;
}

static int run_object(int argc, char **argv)
{
	const struct cli_cmd *obj = find_object(argv[0]);

	if (!obj)
		return cli_usage(&toplevel, "unknown object '%s' (try: vgpu-nl help)",
				 argv[0]);
	return obj->fn(obj, argc, argv);
}

/* One line of a batch: "OBJECT COMMAND [ARGS]", as after vgpu-nl [OPTIONS]. */
static int batch_line(int argc, char **argv)
{
	if (argv[0][0] == '-')
		return cli_usage(&toplevel, "options go before -batch, not on a line ('%s'); a line is OBJECT COMMAND [ARGS]",
				 argv[0]);
	if (!strcmp(argv[0], "monitor"))
		return cli_usage(&toplevel, "monitor runs until it is interrupted: it cannot be a batch line");
	return run_object(argc, argv);
}

int vgpu_nl_main(int argc, char **argv)
{
	struct options opt = { 0 };
	int i, ret;

	/* Options come before the object, as in ip(8) and devlink(8). */
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		ret = option(argc, argv, &i, &opt);
		if (ret != CLI_GO_ON)
			return ret;
	}
	output_setup(opt.json, opt.pretty);

	if (opt.force && !opt.batch)
		return cli_usage(&toplevel, "-force goes with -batch FILE (commands take their own 'force')");
	if (opt.batch && i < argc)
		return cli_usage(&toplevel, "unexpected argument '%s' after -batch %s",
				 argv[i], opt.batch);
	if (!opt.batch && i == argc)
		return cli_usage(&toplevel, "missing OBJECT (try: vgpu-nl help)");

	ret = opt.batch ? cli_batch(opt.batch, opt.force, batch_line) :
			  run_object(argc - i, argv + i);
	cli_nl_end();
	return ret;
}
