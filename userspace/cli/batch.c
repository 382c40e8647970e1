// SPDX-License-Identifier: GPL-2.0
/*
 * batch.c - "vgpu-nl -batch FILE": many commands, one process
 *
 * The conventions of ip(8) and devlink(8) -batch: one command per line,
 * written as it would follow "vgpu-nl [OPTIONS]"; blank lines are
 * skipped. Words are split at blanks; "..." and '...' quote (inside "...",
 * a backslash escapes " and \); outside quotes a backslash escapes the
 * next character and, at the end of a line, joins the next line to it; #
 * where a word could start begins a comment that runs to the end of the
 * line.
 *
 * Lines run in order, each through the same object table as a command
 * line, and all of them on the run's one netlink client (cli_nl()): one
 * socket, one family resolution. Every error and warning a line prints
 * names its place first, "Error: FILE:LINE: ...", through the output
 * layer (output_set_where()). The first line that fails stops the batch
 * unless -force is given; the exit status is that of the first line that
 * failed, 0 when none did.
 *
 * A batch file is text (host/textline.h): a line with a NUL byte, or
 * too long, is an error of that line (not cut short, not run), and a
 * file that cannot be read to its end (an I/O error, memory) fails the
 * batch - never a silent end that looks like success.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/batch.h"
#include "cli/cli.h"
#include "host/textline.h"
#include "output/output.h"

static bool stdin_taken;

bool cli_batch_reads_stdin(void)
{
	return stdin_taken;
}

/* One command being read: its words, one after the other, NUL-ended. */
struct words {
	char *buf;		/* the words' characters */
	size_t len, cap;
	size_t *start;		/* offset of each word in buf */
	size_t n, ncap;
	bool in_word;
	char quote;		/* '"' or '\'' while inside one, else 0 */
};

static int put_char(struct words *w, char c)
{
	char *b;

	if (w->len == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 256;
		b = realloc(w->buf, w->cap);
		if (!b)
			return -ENOMEM;
		w->buf = b;
	}
	w->buf[w->len++] = c;
	return 0;
}

static int word_begin(struct words *w)
{
	size_t *s;

	if (w->in_word)
		return 0;
	if (w->n == w->ncap) {
		w->ncap = w->ncap ? 2 * w->ncap : 16;
		s = realloc(w->start, w->ncap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		w->start = s;
	}
	w->start[w->n++] = w->len;
	w->in_word = true;
	return 0;
}

static int word_end(struct words *w)
{
	if (!w->in_word)
		return 0;
	w->in_word = false;
	return put_char(w, '\0');
}

/* Appends @c to the current word, starting one if needed. */
static int word_char(struct words *w, char c)
{
	int ret = word_begin(w);

	return ret ? ret : put_char(w, c);
}

/* One character of @p inside quotes; returns how many were used up. */
static int quoted_char(struct words *w, const char *p, int *ret)
{
	if (*p == w->quote) {
		w->quote = 0;
		return 1;
	}
	/* Inside "...", \" and \\ stand for " and \; '...' takes all as is. */
	if (w->quote == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\')) {
		*ret = word_char(w, p[1]);
		return 2;
	}
	*ret = word_char(w, *p);
	return 1;
}

/*
 * Adds the words of one physical line (without its newline) to @w.
 * Returns 1 when the line ends in a backslash that joins the next one, 0
 * at the end of the command, -EINVAL with *@why set for a quote left
 * open, -ENOMEM.
 */
static int split_line(struct words *w, const char *p, const char **why)
{
	int ret = 0;

	while (*p && !ret) {
		if (w->quote) {
			p += quoted_char(w, p, &ret);
		} else if (*p == ' ' || *p == '\t' || *p == '\r') {
			ret = word_end(w);
			p++;
		} else if (*p == '#' && !w->in_word) {
			break;
		} else if (*p == '\\') {
			if (!p[1])
				return 1;
			ret = word_char(w, p[1]);
			p += 2;
		} else if (*p == '"' || *p == '\'') {
			/* "" is a word, if an empty one. */
			w->quote = *p++;
			ret = word_begin(w);
		} else {
			ret = word_char(w, *p++);
		}
	}
	if (ret)
		return ret;
	if (w->quote) {
		*why = w->quote == '"' ? "unterminated \" quote" :
					 "unterminated ' quote";
		return -EINVAL;
	}
	return word_end(w);
}

static void words_reset(struct words *w)
{
	w->len = 0;
	w->n = 0;
	w->in_word = false;
	w->quote = 0;
}

static void words_free(struct words *w)
{
	free(w->buf);
	free(w->start);
}

/* "FILE:LINE" for the messages of the line being run. */
static void set_where(char *where, size_t len, const char *name,
		      unsigned long line)
{
	snprintf(where, len, "%s:%lu", name, line);
	output_set_where(where);
}

/* Runs the command in @w; its exit status. */
static int run_words(const struct words *w, cli_batch_fn run)
{
	char **argv;
	size_t i;
	int status;

	argv = calloc(w->n + 1, sizeof(*argv));
	if (!argv) {
		pr_err("%s", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	for (i = 0; i < w->n; i++)
		argv[i] = w->buf + w->start[i];
	status = run(w->n, argv);
	free(argv);
	return status;
}

int cli_batch(const char *path, bool force, cli_batch_fn run)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>", *why = NULL;
	unsigned long lineno = 0, first = 0;
	int ret, status = EXIT_OK, line_status, read_err = 0;
	struct text_line l = { 0 };
	struct words w = { 0 };
	char where[4200];
	FILE *f;

	f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	if (!f) {
		pr_err("cannot read the batch file %s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	stdin_taken = f == stdin;

	while ((ret = text_line_read(f, &l, &why)) != 0) {
		if (ret < 0 && ret != -EINVAL) {
			read_err = ret;
			break;
		}
		lineno++;
		if (!first) {
			/* A command is named by the line it starts on. */
			first = lineno;
			words_reset(&w);
		}
		if (ret > 0)
			ret = split_line(&w, l.buf, &why);
		if (ret == 1)
			continue;
		if (!ret && !w.n) {
			first = 0;	/* blank, or a comment */
			continue;
		}
		set_where(where, sizeof(where), name, first);
		first = 0;
		if (ret == -EINVAL) {
			pr_err("%s", why);
			line_status = EXIT_USAGE;
		} else if (ret < 0) {
			pr_err("%s", strerror(-ret));
			line_status = EXIT_FAIL;
		} else {
			line_status = run_words(&w, run);
		}
		output_set_where(NULL);
		if (line_status == EXIT_OK)
			continue;
		if (status == EXIT_OK)
			status = line_status;
		if (!force)
			break;
	}
	if (first && !read_err) {
		/* The last line asked to be joined to one that never came. */
		set_where(where, sizeof(where), name, first);
		pr_err("the file ends in a line-joining backslash");
		output_set_where(NULL);
		if (status == EXIT_OK)
			status = EXIT_USAGE;
	}
	if (read_err) {
		pr_err("cannot read the batch file %s: %s", path,
		       strerror(-read_err));
		status = EXIT_FAIL;
	}
	text_line_free(&l);
	words_free(&w);
	if (f != stdin)
		fclose(f);
	stdin_taken = false;
	return status;
}
