// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - text and JSON output through one set of calls
 *
 * JSON is built as a json-c tree (json-c does the escaping) and serialised
 * once per document; text goes straight to the output file.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <json-c/json.h>

#include "output/output.h"

/* Deep enough for device -> sriov; a deeper open is a programming error. */
#define OUTPUT_DEPTH	8

static struct {
	FILE *out, *err;
	bool json, pretty;
	/* Open JSON containers; stack[0] is the document's root object. */
	json_object *stack[OUTPUT_DEPTH];
	int depth;
	int lost;	/* containers opened past OUTPUT_DEPTH, not on the stack */
	bool failed;	/* a json-c allocation failed: the document is lost */
	const char *where;	/* "FILE:LINE" of a batch line, or NULL */
} o;

void output_setup(bool json, bool pretty)
{
	o.json = json;
	o.pretty = pretty;
}

void output_set_pretty(bool pretty)
{
	o.pretty = pretty;
}

void output_set_json(bool json)
{
	o.json = json;
}

void output_set_files(FILE *out, FILE *err)
{
	o.out = out;
	o.err = err;
}

FILE *output_out(void)
{
	return o.out ? o.out : stdout;
}

FILE *output_err(void)
{
	return o.err ? o.err : stderr;
}

static bool want_text(enum output_type t)
{
	return !o.json && (t & PRINT_FP);
}

static bool want_json(enum output_type t)
{
	return o.json && (t & PRINT_JSON) && o.depth > 0;
}

/*
 * Adds @v (NULL is JSON null) to the innermost container, which takes it
 * over; on failure @v is freed. Returns whether @v is still alive.
 */
static bool json_add(const char *key, json_object *v)
{
	json_object *cur = o.stack[o.depth - 1];
	int ret;

	if (!cur) {		/* inside a container that failed to open */
		json_object_put(v);
		return false;
	}
	if (json_object_is_type(cur, json_type_array))
		ret = json_object_array_add(cur, v);
	else
		ret = json_object_object_add(cur, key, v);
	if (ret) {
		json_object_put(v);
		o.failed = true;
		return false;
	}
	return true;
}

/* For values built by a json-c constructor: NULL there means ENOMEM. */
static void json_add_new(const char *key, json_object *v)
{
	if (!v)
		o.failed = true;
	else
		json_add(key, v);
}

static void push(const char *key, json_object *c)
{
	if (o.depth == OUTPUT_DEPTH) {
		json_object_put(c);
		o.failed = true;
		o.lost++;
		return;
	}
	if (!c)
		o.failed = true;
	else if (!json_add(key, c))
		c = NULL;
	/* The parent owns @c; the stack only borrows it. NULL swallows. */
	o.stack[o.depth++] = c;
}

static void pop(void)
{
	if (o.lost)
		o.lost--;
	else if (o.depth > 1)	/* the root only goes in output_end() */
		o.depth--;
}

bool output_is_json(void)
{
	return o.json;
}

void output_begin(void)
{
	if (!o.json)
		return;
	o.stack[0] = json_object_new_object();
	o.failed = !o.stack[0];
	o.depth = 1;
	o.lost = 0;
}

int output_end(void)
{
	FILE *out = output_out();
	const char *s;
	int flags, ret = 0;

	if (o.json && o.depth > 0) {
		flags = JSON_C_TO_STRING_NOSLASHESCAPE |
			(o.pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			 JSON_C_TO_STRING_PLAIN);
		s = o.stack[0] ? json_object_to_json_string_ext(o.stack[0], flags) : NULL;
		if (!s || o.failed)
			ret = -ENOMEM;
		else
			fprintf(out, "%s\n", s);
		json_object_put(o.stack[0]);
		o.depth = 0;
	}
	/* Monitor output is piped: every document must leave at once. */
	errno = 0;
	if (fflush(out) || ferror(out))
		ret = -(errno ? errno : EIO);
	return ret;
}

void open_object(const char *key)
{
	if (o.json && o.depth > 0)
		push(key, json_object_new_object());
}

void close_object(void)
{
	if (o.json)
		pop();
}

void open_array(const char *key)
{
	if (o.json && o.depth > 0)
		push(key, json_object_new_array());
}

void close_array(void)
{
	if (o.json)
		pop();
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (want_json(t))
		json_add_new(key, json_object_new_string(value ? value : ""));
	else if (want_text(t) && fmt)
		fprintf(output_out(), fmt, value);
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value)
{
	if (want_json(t))
		json_add_new(key, json_object_new_uint64(value));
	else if (want_text(t) && fmt)
		fprintf(output_out(), fmt, value);
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	if (want_json(t))
		json_add_new(key, json_object_new_uint64(value));
	else if (want_text(t) && fmt)
		fprintf(output_out(), fmt, value);
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value)
{
	if (want_json(t))
		json_add_new(key, json_object_new_boolean(value));
	else if (want_text(t) && fmt)
		fprintf(output_out(), fmt, value ? "true" : "false");
}

void print_on_off(enum output_type t, const char *key, const char *fmt,
		  bool value)
{
	if (want_json(t))
		json_add_new(key, json_object_new_boolean(value));
	else if (want_text(t) && fmt)
		fprintf(output_out(), fmt, value ? "on" : "off");
}

void print_nl(void)
{
	if (!o.json)
		fputc('\n', output_out());
}

void output_set_where(const char *where)
{
	o.where = where;
}

static FILE *message_start(const char *prefix)
{
	FILE *err = output_err();

	fputs(prefix, err);
	if (o.where && prefix[0])
		fprintf(err, "%s: ", o.where);
	return err;
}

FILE *pr_err_start(void)
{
	return message_start("Error: ");
}

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	FILE *err = message_start(prefix);

	vfprintf(err, fmt, ap);
	fputc('\n', err);
	fflush(err);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("Error: ", fmt, ap);
	va_end(ap);
}

void pr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("Warning: ", fmt, ap);
	va_end(ap);
}

void pr_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}
