// SPDX-License-Identifier: GPL-2.0
/*
 * change.c - the report of "apply" and "reset" (change.h)
 *
 * Text lines are flushed one by one: under systemd they go to the journal
 * as they happen, and a change made before a later failure is on record.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "output/output.h"
#include "persist/change.h"

static bool left_open;
static const char *prefix = "";	/* "rollback: " while one runs */

void change_rollback(bool on)
{
	prefix = on ? "rollback: " : "";
}

void change_begin(void)
{
	left_open = false;
	output_begin();
	open_array("changes");
}

/* The common end of every change: @line in text, done/error in JSON. */
static void finish(const char *line, const char *err)
{
	print_bool(PRINT_JSON, "done", NULL, !err);
	if (err) {
		print_string(PRINT_JSON, "error", NULL, err);
		pr_err("%s%s: %s", prefix, line, err);
	} else {
		print_string(PRINT_FP, NULL, "%s", prefix);
		print_string(PRINT_FP, NULL, "%s\n", line);
		fflush(output_out());
	}
	close_object();
}

static void head(const char *what, const char *key, const char *name)
{
	open_object(NULL);
	print_string(PRINT_JSON, "change", NULL, what);
	print_string(PRINT_JSON, key, NULL, name);
}

void change_numvfs(const char *dev, unsigned int from, unsigned int to,
		   const char *err)
{
	char line[128];

	head("numvfs", "handle", dev);
	print_uint(PRINT_JSON, "from", NULL, from);
	print_uint(PRINT_JSON, "to", NULL, to);
	snprintf(line, sizeof(line), "numvfs %s %u -> %u", dev, from, to);
	finish(line, err);
}

void change_autoprobe(const char *dev, bool from, bool to, const char *err)
{
	char line[128];

	head("autoprobe", "handle", dev);
	print_bool(PRINT_JSON, "from", NULL, from);
	print_bool(PRINT_JSON, "to", NULL, to);
	snprintf(line, sizeof(line), "autoprobe %s %s -> %s", dev,
		 from ? "on" : "off", to ? "on" : "off");
	finish(line, err);
}

void change_provisioning(const char *dev, int from, int to,
			 unsigned int cycled, const char *err)
{
	char line[256];
	size_t off;

	head("provisioning", "handle", dev);
	print_string(PRINT_JSON, "from", NULL, quota_mode_name(from));
	print_string(PRINT_JSON, "to", NULL, quota_mode_name(to));
	print_uint(PRINT_JSON, "vfs_cycled", NULL, cycled);
	off = snprintf(line, sizeof(line), "provisioning %s %s -> %s", dev,
		       quota_mode_name(from), quota_mode_name(to));
	if (cycled && off < sizeof(line))
		snprintf(line + off, sizeof(line) - off,
			 " (its %u VFs disabled and enabled again)", cycled);
	finish(line, err);
}

void change_driver(const char *vf, const char *from, const char *to,
		   const char *err)
{
	char line[256];

	head("driver", "handle", vf);
	/* JSON: omitted for none bound, never the string "none". */
	if (*from)
		print_string(PRINT_JSON, "from", NULL, from);
	print_string(PRINT_JSON, "to", NULL, *to ? to : "default");
	snprintf(line, sizeof(line), "driver %s %s -> %s", vf,
		 *from ? from : "(none)", *to ? to : "default");
	finish(line, err);
}

void change_quota(const char *vf, const struct quota_key *key, bool has_from,
		  uint64_t from, uint64_t to, const char *err)
{
	char line[256], f[32] = "(unknown)", t[32];

	head("quota", "handle", vf);
	print_string(PRINT_JSON, "key", NULL, key->json);
	if (has_from)
		quota_format(key, from, f, sizeof(f));
	quota_format(key, to, t, sizeof(t));
	/* JSON: numbers as numbers, the priority by name; unknown omitted. */
	if (key->kind == QUOTA_PRIORITY) {
		if (has_from)
			print_string(PRINT_JSON, "from", NULL, f);
		print_string(PRINT_JSON, "to", NULL, t);
	} else {
		if (has_from)
			print_u64(PRINT_JSON, "from", NULL, from);
		print_u64(PRINT_JSON, "to", NULL, to);
	}
	snprintf(line, sizeof(line), "quota %s %s %s -> %s", vf, key->word, f,
		 t);
	finish(line, err);
}

void change_mdev(const char *verb, const char *uuid, const char *parent,
		 const char *type, const char *err)
{
	char line[512], what[16];

	snprintf(what, sizeof(what), "mdev-%s", verb);
	head(what, "uuid", uuid);
	print_string(PRINT_JSON, "parent", NULL, parent);
	print_string(PRINT_JSON, "type", NULL, type);
	snprintf(line, sizeof(line), "mdev %s %s parent %s type %s", verb, uuid,
		 parent, type);
	finish(line, err);
}

void change_close(size_t n, bool failed)
{
	close_array();
	if (!n && !failed)
		print_string(PRINT_FP, NULL, "%s\n", "nothing to change");
}

void change_left_alone(const char *uuid, const char *parent,
		       const char *type, const char *why)
{
	if (!left_open) {
		open_array("left_alone");
		left_open = true;
	}
	open_object(NULL);
	print_string(PRINT_ANY, "uuid", "mdev %s", uuid);
	print_string(PRINT_ANY, "parent", " parent %s", parent);
	print_string(PRINT_ANY, "type", " type %s", type);
	print_string(PRINT_ANY, "reason", " left alone: %s\n", why);
	close_object();
}

bool change_go_on(const struct cli_wait *cw, bool *failed)
{
	int sig;

	if (*failed)
		return false;
	sig = cw ? cli_wait_held(cw) : 0;
	if (!sig)
		return true;
	pr_err("interrupted (%s): no further change", cli_signal_name(sig));
	*failed = true;
	return false;
}

int change_end(void)
{
	if (left_open)
		close_array();
	left_open = false;
	return cli_output_end();
}
