/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unit.h - a minimal test harness for the vgpu-nl host unit tests
 *
 *	TEST(handle_accepts_short_form)
 *	{
 *		CHECK_STR(got, "pci/0000:00:02.0");
 *	}
 *
 * Cases register themselves and run in file order; a failed CHECK reports
 * and lets the case go on, so one run shows every difference. The runner
 * prints one TAP-like line per case and then "N passed, N failed".
 */
#ifndef VGPU_NL_UNIT_H
#define VGPU_NL_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void unit_register(const char *name, void (*fn)(void));
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Marks the running case as skipped (counted as passed), with a reason. */
void unit_skip(const char *why);

#define TEST(name)							\
	static void test_##name(void);					\
	__attribute__((constructor)) static void register_##name(void)	\
	{								\
		unit_register(#name, test_##name);			\
	}								\
	static void test_##name(void)

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			unit_fail(__FILE__, __LINE__, "%s", #cond);	\
	} while (0)

#define CHECK_INT(got, want)						\
	do {								\
		long long g_ = (got), w_ = (want);			\
		if (g_ != w_)						\
			unit_fail(__FILE__, __LINE__,			\
				  "%s == %lld, want %lld", #got, g_, w_); \
	} while (0)

#define CHECK_STR(got, want)						\
	do {								\
		const char *g_ = (got), *w_ = (want);			\
		if (!g_ || strcmp(g_, w_))				\
			unit_fail(__FILE__, __LINE__,			\
				  "%s is\n#   \"%s\"\n# want\n#   \"%s\"", \
				  #got, g_ ? g_ : "(null)", w_);	\
	} while (0)

/* What one run of the tool (vgpu_nl_main) printed, and its exit status. */
struct run {
	int status;
	char *out;
	char *err;
};

/* Runs "vgpu-nl ARGS..." (NULL-terminated) in-process, capturing output. */
void run_tool(struct run *r, const char *arg, ...);
void run_free(struct run *r);

/* Captures what the output layer prints between begin and end. */
struct capture {
	FILE *out_f, *err_f;
	char *out, *err;
	size_t out_len, err_len;
};

void capture_begin(struct capture *c);
void capture_end(struct capture *c);	/* out and err are then strings */
void capture_free(struct capture *c);

/* Whether a "vgpu" genetlink family could be reached on this host. */
bool vgpu_module_present(void);

#endif
