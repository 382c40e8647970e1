// SPDX-License-Identifier: GPL-2.0
/*
 * toplevel.c - global options and the table of objects
 *
 * The process entry point is in vgpu-nl.c, so that the unit tests can link
 * everything here and drive vgpu_nl_main() like a shell would.
 */
#include <string.h>

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
		"       vgpu-nl help [OBJECT]\n\nObjects:\n", toplevel.usage);
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		fprintf(out, "  %-9s %s\n", objects[i].name,
			objects[i].description);
	fputs("\nOptions:\n"
	      "  -j, --json      JSON output\n"
	      "  -p, --pretty    pretty-print JSON (with -j)\n"
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

/* Sets one option from its letter; returns CLI_GO_ON or an exit status. */
static int short_option(char c, bool *json, bool *pretty)
{
	switch (c) {
	case 'j':
		*json = true;
		return CLI_GO_ON;
	case 'p':
		*pretty = true;
		return CLI_GO_ON;
	case 'h':
		return top_help();
	case 'V':
		fprintf(output_out(), "vgpu-nl tool %s\n", VGPU_NL_TOOL_VERSION);
		return EXIT_OK;
	}
	return cli_usage(&toplevel, "unknown option '-%c'", c);
}

static int long_option(const char *arg, bool *json, bool *pretty)
{
	static const struct { const char *name; char letter; } longs[] = {
		{ "--json", 'j' }, { "--pretty", 'p' },
		{ "--help", 'h' }, { "--version", 'V' },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(longs); i++)
		if (!strcmp(arg, longs[i].name))
			return short_option(longs[i].letter, json, pretty);
	return cli_usage(&toplevel, "unknown option '%s'", arg);
}

int vgpu_nl_main(int argc, char **argv)
{
	bool json = false, pretty = false;
	const struct cli_cmd *obj;
	const char *p;
	int i, ret;

	/* Options come before the object, as in ip(8) and devlink(8). */
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (argv[i][1] == '-') {
			ret = long_option(argv[i], &json, &pretty);
		} else {
			ret = CLI_GO_ON;
			for (p = argv[i] + 1; *p && ret == CLI_GO_ON; p++)
				ret = short_option(*p, &json, &pretty);
		}
		if (ret != CLI_GO_ON)
			return ret;
	}
	output_setup(json, pretty);

	if (i == argc)
		return cli_usage(&toplevel, "missing OBJECT (try: vgpu-nl help)");
	obj = find_object(argv[i]);
	if (!obj)
		return cli_usage(&toplevel, "unknown object '%s' (try: vgpu-nl help)",
				 argv[i]);
	return obj->fn(obj, argc - i, argv + i);
}
