// SPDX-License-Identifier: GPL-2.0
/*
 * findings.c - the findings list and the root-relative file helpers of
 * "vgpu-nl doctor"
 */
#define _GNU_SOURCE	/* vasprintf() */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doctor/doctor.h"

#define PATH_LEN	4096

char *dr_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	return ret < 0 ? NULL : s;
}

void dr_add(struct doctor *d, const char *check, enum doctor_status status,
	    const char *subject, char *evidence, char *fix)
{
	struct doctor_finding *f;
	char *subj = strdup(subject);

	if (d->n == d->cap) {
		f = realloc(d->f, (d->cap ? d->cap * 2 : 32) * sizeof(*f));
		if (f) {
			d->f = f;
			d->cap = d->cap ? d->cap * 2 : 32;
		}
	}
	if (d->n == d->cap || !evidence || !subj) {
		d->nomem = true;
		free(subj);
		free(evidence);
		free(fix);
		return;
	}
	f = &d->f[d->n++];
	f->check = check;
	f->status = status;
	f->subject = subj;
	f->evidence = evidence;
	f->fix = fix;
}

static void vpath(const struct doctor *d, char *buf, size_t len,
		  const char *fmt, va_list ap)
{
	size_t n = snprintf(buf, len, "%s", d->root);

	if (n < len)
		vsnprintf(buf + n, len - n, fmt, ap);
}

void dr_path(const struct doctor *d, char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpath(d, buf, len, fmt, ap);
	va_end(ap);
}

static char *read_file(const char *path)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "re");
	char *p;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			p = realloc(buf, cap + 4096 + 1);
			if (!p)
				break;
			buf = p;
			cap += 4096;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f) || !buf) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return buf;
}

char *dr_read(const struct doctor *d, const char *fmt, ...)
{
	char path[PATH_LEN];
	va_list ap;

	va_start(ap, fmt);
	vpath(d, path, sizeof(path), fmt, ap);
	va_end(ap);
	return read_file(path);
}

bool dr_read_uint(const struct doctor *d, unsigned int *v, const char *fmt, ...)
{
	char path[PATH_LEN], *s, *end;
	unsigned long x;
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	vpath(d, path, sizeof(path), fmt, ap);
	va_end(ap);
	s = read_file(path);
	if (!s)
		return false;
	x = strtoul(s, &end, 0);
	ok = end != s && (!*end || isspace((unsigned char)*end)) && x <= ~0u;
	if (ok)
		*v = x;
	free(s);
	return ok;
}

bool dr_exists(const struct doctor *d, const char *fmt, ...)
{
	char path[PATH_LEN];
	struct stat st;
	va_list ap;

	va_start(ap, fmt);
	vpath(d, path, sizeof(path), fmt, ap);
	va_end(ap);
	return lstat(path, &st) == 0;
}

bool dr_link_name(const struct doctor *d, char *out, size_t len,
		  const char *fmt, ...)
{
	char path[PATH_LEN], target[PATH_LEN];
	const char *base;
	va_list ap;
	ssize_t n;

	va_start(ap, fmt);
	vpath(d, path, sizeof(path), fmt, ap);
	va_end(ap);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(out, len, "%s", base ? base + 1 : target);
	return true;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void dr_list_free(char **names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int dr_list(const struct doctor *d, char ***names, const char *fmt, ...)
{
	char path[PATH_LEN], **v = NULL, **p;
	struct dirent *de;
	int n = 0;
	va_list ap;
	DIR *dir;

	*names = NULL;
	va_start(ap, fmt);
	vpath(d, path, sizeof(path), fmt, ap);
	va_end(ap);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = realloc(v, (n + 1) * sizeof(*v));
		if (!p)
			break;
		v = p;
		v[n] = strdup(de->d_name);
		if (!v[n])
			break;
		n++;
	}
	closedir(dir);
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	return n;
}

/* The first word of @s that is @word (or starts with it, if @prefix). */
static const char *find_word(const char *s, const char *word, size_t wlen,
			     bool prefix)
{
	size_t n;

	while (*s) {
		s += strspn(s, " \t\n");
		n = strcspn(s, " \t\n");
		if (n && (prefix ? n >= wlen : n == wlen) &&
		    !strncmp(s, word, wlen))
			return s;
		s += n;
	}
	return NULL;
}

bool dr_cmdline_has(const struct doctor *d, const char *word)
{
	return find_word(d->cmdline, word, strlen(word), false);
}

const char *dr_cmdline_value(const struct doctor *d, const char *key,
			     char *buf, size_t len)
{
	char word[128];
	const char *s = d->cmdline, *found = NULL, *w;
	size_t wlen = snprintf(word, sizeof(word), "%s=", key);

	/* The kernel takes the last of repeated parameters. */
	while ((w = find_word(s, word, wlen, true))) {
		found = w + wlen;
		s = w + wlen;
	}
	if (!found)
		return NULL;
	snprintf(buf, len, "%.*s", (int)strcspn(found, " \t\n"), found);
	return buf;
}

/* Whether every word of @params is a word of @text. */
static bool has_words(const char *text, const char *params)
{
	const char *w = params;
	size_t n;

	while (*(w += strspn(w, " "))) {
		n = strcspn(w, " ");
		if (!find_word(text, w, n, false))
			return false;
		w += n;
	}
	return true;
}

/*
 * The words of the GRUB_CMDLINE_LINUX(_DEFAULT) lines of /etc/default/grub
 * (malloc'ed), quotes made spaces; NULL if there is no such file.
 */
static char *grub_words(const struct doctor *d)
{
	char *grub = dr_read(d, "/etc/default/grub"), *line, *p;

	if (!grub)
		return NULL;
	for (line = grub; *line; line = p) {
		p = line + strcspn(line, "\n");
		if (*p)
			p++;
		if (strncmp(line, "GRUB_CMDLINE_LINUX", 18))
			memset(line, ' ', p - line);
	}
	for (p = grub; *p; p++)
		if (*p == '"' || *p == '\'' || *p == '\n')
			*p = ' ';
	return grub;
}

char *dr_boot_fix(const struct doctor *d, const char *params)
{
	char *text;
	bool there;

	/* Proxmox VE with systemd-boot (proxmox-boot-tool) keeps it here. */
	text = dr_read(d, "/etc/kernel/cmdline");
	if (text) {
		there = has_words(text, params);
		free(text);
		if (there)
			return dr_fmt("%s is in /etc/kernel/cmdline but not in use: run proxmox-boot-tool refresh and reboot",
				      params);
		return dr_fmt("add %s to /etc/kernel/cmdline (its one line), then run proxmox-boot-tool refresh and reboot",
			      params);
	}
	text = grub_words(d);
	there = text && has_words(text, params);
	free(text);
	if (there)
		return dr_fmt("%s is in /etc/default/grub but not in use: run update-grub and reboot",
			      params);
	return dr_fmt("add %s to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then run update-grub and reboot",
		      params);
}

bool dr_module_loaded(const struct doctor *d, const char *name)
{
	char *builtin, *p, want[128];
	bool found = false;

	if (dr_exists(d, "/sys/module/%s", name))
		return true;
	/* Built-in modules without parameters have no /sys/module entry. */
	builtin = dr_read(d, "/lib/modules/%s/modules.builtin", d->kver);
	if (!builtin)
		return false;
	for (p = builtin; *p; p++)
		if (*p == '-')
			*p = '_';
	snprintf(want, sizeof(want), "/%s.ko\n", name);
	found = strstr(builtin, want);
	if (!found) {
		/* The last line has no newline left (dr_read strips it). */
		size_t n = strlen(builtin), w = strlen(want) - 1;

		found = n >= w && !strncmp(builtin + n - w, want, w);
	}
	free(builtin);
	return found;
}
