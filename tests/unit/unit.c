// SPDX-License-Identifier: GPL-2.0
/*
 * unit.c - the test runner and its helpers (see unit.h)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "output/output.h"
#include "unit.h"

#define MAX_CASES	256
#define MAX_ARGS	32

static struct {
	const char *name;
	void (*fn)(void);
} cases[MAX_CASES];
static int ncases;

/* State of the running case. */
static int failures;
static const char *skipped;

void unit_register(const char *name, void (*fn)(void))
{
	if (ncases == MAX_CASES) {
		fprintf(stderr, "unit: more than %d cases\n", MAX_CASES);
		abort();
	}
	cases[ncases].name = name;
	cases[ncases].fn = fn;
	ncases++;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures++;
}

void unit_skip(const char *why)
{
	skipped = why;
}

void capture_begin(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->out_f = open_memstream(&c->out, &c->out_len);
	c->err_f = open_memstream(&c->err, &c->err_len);
	if (!c->out_f || !c->err_f)
		abort();
	output_set_files(c->out_f, c->err_f);
}

void capture_end(struct capture *c)
{
	output_set_files(NULL, NULL);
	fclose(c->out_f);
	fclose(c->err_f);
}

void capture_free(struct capture *c)
{
	free(c->out);
	free(c->err);
}

void run_tool(struct run *r, const char *arg, ...)
{
	char *argv[MAX_ARGS + 2] = { "vgpu-nl" };
	struct capture c;
	int argc = 1;
	va_list ap;

	va_start(ap, arg);
	for (; arg && argc <= MAX_ARGS; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);

	capture_begin(&c);
	r->status = vgpu_nl_main(argc, argv);
	capture_end(&c);
	r->out = c.out;
	r->err = c.err;
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

bool vgpu_module_present(void)
{
	struct vgpu_nl nl;
	bool present = vgpu_nl_open(&nl) == 0;

	vgpu_nl_close(&nl);
	return present;
}

int main(void)
{
	int i, passed = 0, failed = 0;

	printf("1..%d\n", ncases);
	for (i = 0; i < ncases; i++) {
		failures = 0;
		skipped = NULL;
		cases[i].fn();
		if (failures) {
			printf("not ok %d - %s\n", i + 1, cases[i].name);
			failed++;
		} else {
			printf("ok %d - %s%s%s\n", i + 1, cases[i].name,
			       skipped ? " # SKIP " : "", skipped ? skipped : "");
			passed++;
		}
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
