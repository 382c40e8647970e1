// SPDX-License-Identifier: GPL-2.0
/*
 * udiff.c - unified diff of two small texts
 *
 * The files "host plan" shows are a few dozen lines and change in a line
 * or two, so the common head and tail are cut off first and the rest
 * goes through a plain longest-common-subsequence table; past a size
 * where that table would be big, the middle is shown as removed and
 * added whole, which is still a correct diff.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output/udiff.h"

#define UDIFF_CONTEXT	3
#define UDIFF_LCS_MAX	(4u << 20)	/* table cells */

struct line {
	const char *s;
	size_t len;	/* with its '\n', if it has one */
};

struct edit {
	char op;	/* ' ', '-', '+' */
	size_t a, b;	/* old and new line numbers before it (0-based) */
};

static struct line *split(const char *text, size_t *n)
{
	struct line *l;
	const char *p, *nl;
	size_t i = 0, cap = 1;

	for (p = text; p && *p; p++)
		cap += *p == '\n';
	l = calloc(cap, sizeof(*l));
	if (!l)
		return NULL;
	for (p = text; p && *p; p = nl ? nl + 1 : p + strlen(p), i++) {
		nl = strchr(p, '\n');
		l[i].s = p;
		l[i].len = nl ? (size_t)(nl - p + 1) : strlen(p);
	}
	*n = i;
	return l;
}

static bool same(const struct line *x, const struct line *y)
{
	return x->len == y->len && !memcmp(x->s, y->s, x->len);
}

static void push(struct edit *e, size_t *n, char op, size_t a, size_t b)
{
	e[*n].op = op;
	e[*n].a = a;
	e[(*n)++].b = b;
}

/* The middle old[a0..a1) against new[b0..b1), appended to @e. */
static int diff_middle(const struct line *o, size_t a0, size_t a1,
		       const struct line *w, size_t b0, size_t b1,
		       struct edit *e, size_t *ne)
{
	size_t n1 = a1 - a0, n2 = b1 - b0, i, j, cols = n2 + 1;
	uint32_t *L;

	if (n1 && n2 && n1 * n2 <= UDIFF_LCS_MAX) {
		L = calloc((n1 + 1) * cols, sizeof(*L));
		if (!L)
			return -ENOMEM;
		for (i = n1; i-- > 0;)
			for (j = n2; j-- > 0;)
				L[i * cols + j] = same(&o[a0 + i], &w[b0 + j]) ?
					L[(i + 1) * cols + j + 1] + 1 :
					L[(i + 1) * cols + j] > L[i * cols + j + 1] ?
					L[(i + 1) * cols + j] : L[i * cols + j + 1];
		for (i = 0, j = 0; i < n1 || j < n2;) {
			if (i < n1 && j < n2 && same(&o[a0 + i], &w[b0 + j])) {
				push(e, ne, ' ', a0 + i++, b0 + j++);
			} else if (j == n2 || (i < n1 &&
				   L[(i + 1) * cols + j] >= L[i * cols + j + 1])) {
				push(e, ne, '-', a0 + i++, b0 + j);
			} else {
				push(e, ne, '+', a0 + i, b0 + j++);
			}
		}
		free(L);
		return 0;
	}
	for (i = a0; i < a1; i++)
		push(e, ne, '-', i, b0);
	for (j = b0; j < b1; j++)
		push(e, ne, '+', a1, j);
	return 0;
}

static void put_line(FILE *f, char op, const struct line *l)
{
	fputc(op, f);
	fwrite(l->s, 1, l->len, f);
	if (!l->len || l->s[l->len - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", f);
}

/* A range of a hunk header: "l,n", with l the line before when n is 0. */
static void put_range(FILE *f, size_t first, size_t count)
{
	fprintf(f, "%zu,%zu", count ? first + 1 : first, count);
}

static void put_hunk(FILE *f, const struct edit *e, size_t from, size_t to,
		     const struct line *o, const struct line *w)
{
	size_t i, na = 0, nb = 0;

	for (i = from; i < to; i++) {
		na += e[i].op != '+';
		nb += e[i].op != '-';
	}
	fputs("@@ -", f);
	put_range(f, e[from].a, na);
	fputs(" +", f);
	put_range(f, e[from].b, nb);
	fputs(" @@\n", f);
	for (i = from; i < to; i++)
		put_line(f, e[i].op, e[i].op == '+' ? &w[e[i].b] : &o[e[i].a]);
}

int udiff_write(FILE *f, const char *rel, const char *old, const char *new)
{
	size_t no = 0, nw = 0, ne = 0, head = 0, tail = 0, i, from, to, next;
	struct line *o, *w;
	struct edit *e;
	int ret = 0;

	if (old && new && !strcmp(old, new))
		return 0;
	o = split(old, &no);
	w = split(new, &nw);
	e = o && w ? calloc(no + nw + 1, sizeof(*e)) : NULL;
	if (!e) {
		ret = -ENOMEM;
		goto out;
	}
	while (head < no && head < nw && same(&o[head], &w[head]))
		head++;
	while (tail < no - head && tail < nw - head &&
	       same(&o[no - 1 - tail], &w[nw - 1 - tail]))
		tail++;
	for (i = 0; i < head; i++)
		push(e, &ne, ' ', i, i);
	ret = diff_middle(o, head, no - tail, w, head, nw - tail, e, &ne);
	for (i = 0; !ret && i < tail; i++)
		push(e, &ne, ' ', no - tail + i, nw - tail + i);
	if (ret)
		goto out;

	fprintf(f, "--- %s%s\n+++ %s%s\n", old ? "a/" : "/dev/null",
		old ? rel : "", new ? "b/" : "/dev/null", new ? rel : "");
	for (i = 0; i < ne; i = to) {
		while (i < ne && e[i].op == ' ')
			i++;
		if (i == ne)
			break;
		from = i > UDIFF_CONTEXT ? i - UDIFF_CONTEXT : 0;
		/* Extend over changes closer than two contexts apart. */
		for (to = i; ; to = next) {
			while (to < ne && e[to].op != ' ')
				to++;
			for (next = to; next < ne && e[next].op == ' ' &&
			     next - to < 2 * UDIFF_CONTEXT + 1; next++)
				;
			if (next == ne || e[next].op == ' ')
				break;
		}
		to = to + UDIFF_CONTEXT < ne ? to + UDIFF_CONTEXT : ne;
		put_hunk(f, e, from, to, o, w);
	}
out:
	free(e);
	free(o);
	free(w);
	return ret;
}
