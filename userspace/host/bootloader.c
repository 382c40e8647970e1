// SPDX-License-Identifier: GPL-2.0
/*
 * bootloader.c - finding and editing the kernel command line of a GRUB or a
 * systemd-boot (Proxmox VE) host
 *
 * Edits are surgical: a file the admin wrote by hand stays his, except
 * for the parameters a mode needs, so that "host rollback" and a diff
 * read back what changed and nothing else.
 */
#define _GNU_SOURCE	/* open_memstream() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host/bootloader.h"
#include "host/rootfs.h"

int bootcfg_detect(struct boot_cfg *cfg)
{
	/*
	 * proxmox-boot-tool copies kernels to the ESPs it lists in
	 * proxmox-boot-uuids; without it, a systemd-boot host has its loader
	 * in the ESP. /etc/kernel/cmdline alone proves nothing: it is also
	 * left behind by kernel-install on GRUB hosts.
	 */
	bool pbt = rootfs_exists("/etc/kernel/proxmox-boot-uuids");

	if (rootfs_exists("/etc/kernel/cmdline") &&
	    (pbt || rootfs_is_dir("/boot/efi/loader") ||
	     rootfs_is_dir("/efi/loader") || rootfs_is_dir("/boot/loader"))) {
		cfg->loader = BOOT_SYSTEMD;
		cfg->name = "systemd-boot";
		cfg->path = "/etc/kernel/cmdline";
		cfg->hook = "proxmox-boot-tool refresh";
		return 0;
	}
	if (rootfs_exists("/etc/default/grub")) {
		cfg->loader = BOOT_GRUB;
		cfg->name = "GRUB";
		cfg->path = "/etc/default/grub";
		/* Proxmox on ZFS with legacy boot: GRUB on synced ESPs. */
		cfg->hook = pbt ? "proxmox-boot-tool refresh" : "update-grub";
		return 0;
	}
	return -ENOENT;
}

struct tok {
	const char *s;
	size_t len;
};

/* Words apart by blanks; a double-quoted value may hold blanks. */
static struct tok *tokenize(const char *line, size_t *n)
{
	struct tok *toks = NULL, *t;
	const char *p = line, *start;
	bool quoted;

	*n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			return toks ? toks : calloc(1, sizeof(*toks));
		start = p;
		for (quoted = false; *p && *p != '\n' &&
		     (quoted || (*p != ' ' && *p != '\t')); p++)
			if (*p == '"')
				quoted = !quoted;
		t = realloc(toks, (*n + 1) * sizeof(*toks));
		if (!t) {
			free(toks);
			return NULL;
		}
		toks = t;
		toks[*n].s = start;
		toks[(*n)++].len = p - start;
	}
}

static size_t key_len(const struct tok *t)
{
	const char *eq = memchr(t->s, '=', t->len);

	return eq ? (size_t)(eq - t->s) : t->len;
}

/* The kernel's parameq(): '-' and '_' are the same in names. */
static bool key_eq(const struct tok *t, const char *key, size_t klen)
{
	size_t i;
	char a, b;

	if (key_len(t) != klen)
		return false;
	for (i = 0; i < klen; i++) {
		a = t->s[i] == '-' ? '_' : t->s[i];
		b = key[i] == '-' ? '_' : key[i];
		if (a != b)
			return false;
	}
	return true;
}

static bool key_is(const struct tok *t, const char *key)
{
	return key_eq(t, key, strlen(key));
}

static bool item_is(const char *item, size_t len, const char *want)
{
	return want && len == strlen(want) && !memcmp(item, want, len);
}

/*
 * The list value @val (len @vlen) with @p->veto gone and @p->value in,
 * written to @f; whether it differs from @val.
 */
static bool list_fix(FILE *f, const char *val, size_t vlen,
		     const struct cmdline_param *p)
{
	const char *item = val, *end = val + vlen, *comma;
	bool changed = false, have = false, first = true;
	size_t ilen;

	while (item < end) {
		comma = memchr(item, ',', end - item);
		ilen = (comma ? comma : end) - item;
		if (item_is(item, ilen, p->veto)) {
			changed = true;
		} else {
			have |= item_is(item, ilen, p->value);
			fprintf(f, "%s%.*s", first ? "" : ",", (int)ilen, item);
			first = false;
		}
		item += ilen + 1;
	}
	if (!have) {
		fprintf(f, "%s%s", first ? "" : ",", p->value);
		changed = true;
	}
	return changed;
}

/* Writes the token fixed for @p; whether it changed. */
static bool fix_token(FILE *f, const struct tok *t,
		      const struct cmdline_param *p)
{
	size_t klen = key_len(t);
	const char *val = klen < t->len ? t->s + klen + 1 : NULL;
	size_t vlen = val ? t->len - klen - 1 : 0;
	bool changed;

	fprintf(f, "%.*s=", (int)klen, t->s);
	if (p->list && val)
		return list_fix(f, val, vlen, p);
	changed = !val || !item_is(val, vlen, p->value);
	fputs(p->value, f);
	return changed;
}

char *cmdline_edit(const char *line, const struct cmdline_param *want,
		   size_t nwant, bool append, unsigned long *found)
{
	unsigned long done = 0;
	bool changed = false, first = true;
	struct tok *toks;
	char *out = NULL;
	size_t n, len, i, j;
	FILE *f;

	toks = tokenize(line, &n);
	if (!toks)
		return NULL;
	f = open_memstream(&out, &len);
	if (!f) {
		free(toks);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < nwant && !key_is(&toks[i], want[j].key); j++)
			;
		if (j < nwant && (!want[j].value || (done & 1UL << j))) {
			/* Unwanted, or a repeat of one already set right. */
			changed = true;
			continue;
		}
		if (!first)
			fputc(' ', f);
		first = false;
		if (j == nwant) {
			fprintf(f, "%.*s", (int)toks[i].len, toks[i].s);
			continue;
		}
		changed |= fix_token(f, &toks[i], &want[j]);
		done |= 1UL << j;
		*found |= 1UL << j;
	}
	for (j = 0; append && j < nwant; j++) {
		if (!want[j].value || (*found & 1UL << j))
			continue;
		fprintf(f, "%s%s=%s", first ? "" : " ", want[j].key,
			want[j].value);
		first = false;
		changed = true;
		*found |= 1UL << j;
	}
	free(toks);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	if (!changed) {
		free(out);
		out = strdup(line);
	}
	return out;
}

/* One GRUB_CMDLINE_LINUX[_DEFAULT]= assignment found in a line. */
struct assign {
	const char *line;	/* the line, up to its '\n' */
	size_t line_len;
	bool dflt;		/* _DEFAULT */
	char quote;		/* '"', '\'' or 0 */
	size_t vstart, vend;	/* the value, quotes excluded */
	char *fixed;		/* the new value, NULL until edited */
};

/* Parses @a->line; 1 if it assigns one of the two, 0 if not, -EINVAL. */
static int parse_assign(struct assign *a)
{
	static const char linux_[] = "GRUB_CMDLINE_LINUX";
	const char *l = a->line, *end = a->line + a->line_len;
	const char *p = l, *v;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p > 7 && !strncmp(p, "export", 6) &&
	    (p[6] == ' ' || p[6] == '\t'))
		for (p += 6; p < end && (*p == ' ' || *p == '\t'); p++)
			;
	if ((size_t)(end - p) < sizeof(linux_) ||
	    strncmp(p, linux_, sizeof(linux_) - 1))
		return 0;
	p += sizeof(linux_) - 1;
	a->dflt = end - p > 8 && !strncmp(p, "_DEFAULT", 8);
	if (a->dflt)
		p += 8;
	if (*p != '=')
		return 0;
	v = ++p;
	a->quote = p < end && (*p == '"' || *p == '\'') ? *p : 0;
	if (a->quote) {
		for (v = ++p; p < end && *p != a->quote; p++)
			if (*p == '\\' && a->quote == '"' && p + 1 < end)
				p++;
		if (p == end)
			return -EINVAL;
	} else {
		while (p < end && *p != ' ' && *p != '\t' && *p != '#' &&
		       *p != ';')
			p++;
	}
	a->vstart = v - l;
	a->vend = p - l;
	return 1;
}

/*
 * Whether the double quotes of a command line pair up. The kernel takes
 * everything after an unpaired one as one value, so a parameter added
 * behind it would never be seen (nor found there again by the next edit).
 */
static bool quotes_pair(const char *s, size_t len)
{
	size_t n = 0;

	while (len--)
		n += *s++ == '"';
	return !(n & 1);
}

/* strpbrk() of the @len bytes at @s. */
static bool strpbrk_n(const char *s, size_t len, const char *chars)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] && strchr(chars, s[i]))
			return true;
	return false;
}

static char *edit_value(struct assign *a, const struct cmdline_param *want,
			size_t nwant, bool append, unsigned long *found)
{
	char *val = strndup(a->line + a->vstart, a->vend - a->vstart);
	char *fixed;

	if (!val)
		return NULL;
	fixed = cmdline_edit(val, want, nwant, append, found);
	free(val);
	return fixed;
}

static int edit_grub(const char *text, const struct cmdline_param *want,
		     size_t nwant, char **out, const char **why)
{
	struct assign *as = NULL, *t;
	size_t n = 0, i, len, last_dflt = (size_t)-1;
	unsigned long found = 0;
	const char *p, *nl;
	int ret = 0, r;
	bool pass_dflt;
	FILE *f;

	for (p = text; *p && !ret; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		t = realloc(as, (n + 1) * sizeof(*as));
		if (!t) {
			ret = -ENOMEM;
			break;
		}
		as = t;
		memset(&as[n], 0, sizeof(*as));
		as[n].line = p;
		as[n].line_len = nl ? (size_t)(nl - p) : strlen(p);
		r = parse_assign(&as[n]);
		if (r < 0) {
			*why = "a GRUB_CMDLINE_LINUX value goes on past its line; edit it into one line first";
			ret = -EINVAL;
		} else if (r > 0 && !quotes_pair(p + as[n].vstart,
						 as[n].vend - as[n].vstart)) {
			*why = "a GRUB_CMDLINE_LINUX value has an unpaired double quote, behind which the kernel sees no parameter; fix it first";
			ret = -EINVAL;
		} else if (r > 0 && !as[n].quote &&
			   strpbrk_n(p + as[n].vstart, as[n].vend - as[n].vstart,
				     "\"'\\$`")) {
			/*
			 * The shell takes quotes out of such a word, and the
			 * double quotes an edit puts around it would pair up
			 * with them differently.
			 */
			*why = "a GRUB_CMDLINE_LINUX value has quotes or escapes but is not quoted itself; put the whole value in double quotes first";
			ret = -EINVAL;
		}
		if (r > 0 && as[n].dflt)
			last_dflt = n;
		if (r > 0)
			n++;
	}
	/*
	 * GRUB_CMDLINE_LINUX first: what it already holds need not be added
	 * to _DEFAULT, whatever their order in the file.
	 */
	for (pass_dflt = false; !ret; pass_dflt = true) {
		for (i = 0; i < n && !ret; i++) {
			if (as[i].dflt != pass_dflt)
				continue;
			as[i].fixed = edit_value(&as[i], want, nwant,
						 i == last_dflt, &found);
			if (!as[i].fixed)
				ret = -ENOMEM;
		}
		if (pass_dflt)
			break;
	}

	f = ret ? NULL : open_memstream(out, &len);
	if (!ret && !f)
		ret = -ENOMEM;
	for (p = text, i = 0; f && *p; ) {
		if (i < n && p == as[i].line) {
			/* Keeps the quotes; adds them where blanks need them. */
			bool q = !as[i].quote && strpbrk(as[i].fixed, " \t");

			fprintf(f, "%.*s%s%s%s", (int)as[i].vstart,
				p, q ? "\"" : "", as[i].fixed, q ? "\"" : "");
			p += as[i].vend;
			i++;
			continue;
		}
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p + 1) : strlen(p);
		fwrite(p, 1, len, f);
		p += len;
	}
	if (f && last_dflt == (size_t)-1) {
		char *line = cmdline_edit("", want, nwant, true, &found);

		if (!line)
			ret = -ENOMEM;
		else if (*line)
			fprintf(f, "%sGRUB_CMDLINE_LINUX_DEFAULT=\"%s\"\n",
				*text && text[strlen(text) - 1] != '\n' ?
				"\n" : "", line);
		free(line);
	}
	if (f && fclose(f) && !ret)
		ret = -ENOMEM;
	if (ret && f) {
		free(*out);
		*out = NULL;
	}
	for (i = 0; i < n; i++)
		free(as[i].fixed);
	free(as);
	return ret;
}

static int edit_kernel_cmdline(const char *text,
			       const struct cmdline_param *want, size_t nwant,
			       char **out, const char **why)
{
	const char *nl = strchr(text, '\n');
	unsigned long found = 0;
	char *line, *fixed;

	if (nl && nl[1]) {
		*why = "/etc/kernel/cmdline has more than one line; proxmox-boot-tool reads only one";
		return -EINVAL;
	}
	line = strndup(text, nl ? (size_t)(nl - text) : strlen(text));
	if (!line)
		return -ENOMEM;
	if (!quotes_pair(line, strlen(line))) {
		free(line);
		*why = "/etc/kernel/cmdline has an unpaired double quote, behind which the kernel sees no parameter; fix it first";
		return -EINVAL;
	}
	fixed = cmdline_edit(line, want, nwant, true, &found);
	free(line);
	if (!fixed)
		return -ENOMEM;
	/* A file that had no newline keeps having none; a new one gets it. */
	if (asprintf(out, "%s%s", fixed, nl || !*text ? "\n" : "") < 0) {
		*out = NULL;
		free(fixed);
		return -ENOMEM;
	}
	free(fixed);
	return 0;
}

int bootcfg_edit(const struct boot_cfg *cfg, const char *text,
		 const struct cmdline_param *want, size_t nwant, char **out,
		 const char **why)
{
	*out = NULL;
	*why = NULL;
	if (nwant > sizeof(unsigned long) * 8)
		return -EINVAL;
	if (cfg->loader == BOOT_SYSTEMD)
		return edit_kernel_cmdline(text, want, nwant, out, why);
	return edit_grub(text, want, nwant, out, why);
}

/* The last word of @line with the key @key (@klen bytes); whether found. */
static bool last_param(const char *line, const char *key, size_t klen,
		       struct tok *last)
{
	struct tok *toks;
	bool found = false;
	size_t n, i;

	toks = tokenize(line, &n);
	for (i = 0; toks && i < n; i++)
		if (key_eq(&toks[i], key, klen)) {
			*last = toks[i];
			found = true;
		}
	free(toks);
	return found;
}

bool cmdline_has(const char *line, const char *word)
{
	const char *eq = strchr(word, '=');
	size_t klen = eq ? (size_t)(eq - word) : strlen(word);
	struct tok t;

	/* The kernel takes the last of repeated parameters. */
	if (!last_param(line, word, klen, &t))
		return false;
	if (!eq)
		return t.len == klen;
	return t.len == strlen(word) && !memcmp(t.s + klen, eq, t.len - klen);
}

const char *cmdline_value(const char *line, const char *key, char *buf,
			  size_t len)
{
	size_t klen = strlen(key);
	struct tok t;

	if (!last_param(line, key, klen, &t) || t.len == klen)
		return NULL;
	snprintf(buf, len, "%.*s", (int)(t.len - klen - 1), t.s + klen + 1);
	return buf;
}

/*
 * The command line GRUB boots: the GRUB_CMDLINE_LINUX values, then the
 * GRUB_CMDLINE_LINUX_DEFAULT ones, blank-separated (malloc'ed); NULL when
 * out of memory or a value is not on one line.
 */
static char *grub_cmdline(const char *text)
{
	struct assign a;
	const char *p, *nl;
	char *out = NULL;
	bool dflt, ok = true;
	size_t len;
	FILE *f;

	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (dflt = false; ok; dflt = true) {
		for (p = text; *p && ok; p = nl ? nl + 1 : p + strlen(p)) {
			nl = strchr(p, '\n');
			memset(&a, 0, sizeof(a));
			a.line = p;
			a.line_len = nl ? (size_t)(nl - p) : strlen(p);
			switch (parse_assign(&a)) {
			case 1:
				if (a.dflt == dflt)
					fprintf(f, " %.*s",
						(int)(a.vend - a.vstart),
						p + a.vstart);
				break;
			case 0:
				break;
			default:
				ok = false;
			}
		}
		if (dflt)
			break;
	}
	if (fclose(f) || !ok) {
		free(out);
		return NULL;
	}
	return out;
}

bool bootcfg_holds(const struct boot_cfg *cfg, const char *text,
		   const char *params)
{
	char *line, word[256];
	const char *w = params;
	bool holds = true;
	size_t n;

	if (cfg->loader == BOOT_SYSTEMD)
		line = strndup(text, strcspn(text, "\n"));
	else
		line = grub_cmdline(text);
	if (!line)
		return false;
	while (holds && *(w += strspn(w, " "))) {
		n = strcspn(w, " ");
		snprintf(word, sizeof(word), "%.*s", (int)n, w);
		holds = cmdline_has(line, word);
		w += n;
	}
	free(line);
	return holds;
}
