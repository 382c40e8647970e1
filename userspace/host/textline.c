// SPDX-License-Identifier: GPL-2.0
/*
 * textline.c - the lines of a text file, read with bounds (textline.h)
 */
#define _GNU_SOURCE	/* getc_unlocked() */
#include <errno.h>
#include <stdlib.h>

#include "host/textline.h"

static int put(struct text_line *l, char c)
{
	char *b;

	if (l->len + 1 >= l->cap) {
		b = realloc(l->buf, 2 * l->cap);
		if (!b)
			return -ENOMEM;
		l->buf = b;
		l->cap *= 2;
	}
	l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
	return 0;
}

/* After getc() gave EOF: 0 at the end of the file, else the -errno. */
static int eof_or_error(FILE *f)
{
	if (!ferror(f))
		return 0;
	return errno ? -errno : -EIO;
}

int text_line_read(FILE *f, struct text_line *l, const char **why)
{
	int c, ret;

	errno = 0;
	if (l->rest) {
		while ((c = getc_unlocked(f)) != EOF && c != '\n')
			;
		l->rest = false;
		if (c == EOF)
			return eof_or_error(f);
	}
	if (!l->buf) {
		l->buf = malloc(256);
		if (!l->buf)
			return -ENOMEM;
		l->cap = 256;
	}
	l->len = 0;
	l->buf[0] = '\0';
	while ((c = getc_unlocked(f)) != EOF && c != '\n') {
		if (!c || l->len + 1 >= TEXT_LINE_MAX) {
			*why = c ? "line longer than 65535 bytes" :
				   "a NUL byte in the line (not a text file?)";
			l->rest = true;
			return -EINVAL;
		}
		ret = put(l, c);
		if (ret)
			return ret;
	}
	if (c == EOF && (ferror(f) || !l->len))
		return eof_or_error(f);
	return 1;
}

void text_line_free(struct text_line *l)
{
	free(l->buf);
	l->buf = NULL;
	l->len = 0;
	l->cap = 0;
}
