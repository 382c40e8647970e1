// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - the desired-state file: parser and writer (see config.h)
 *
 * Hand-written, line by line, so that every error can name its line and
 * no library is needed for a format this small.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "host/textline.h"
#include "kernel/handle.h"
#include "persist/config.h"

const char *config_path = CONFIG_PATH;

/* More words than any valid line has: every quota key and value, twice. */
#define MAX_WORDS	64

/* What one parse keeps while it goes. */
struct parser {
	struct config *c;
	int line;
	char *why;
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	size_t off;
	va_list ap;

	off = snprintf(p->why, p->len, "%s:%d: ", p->c->name, p->line);
	if (off >= p->len)
		return CONFIG_ESYNTAX;
	va_start(ap, fmt);
	vsnprintf(p->why + off, p->len - off, fmt, ap);
	va_end(ap);
	return CONFIG_ESYNTAX;
}

/* Grows an array of @size-byte entries by one, zeroed; NULL on ENOMEM. */
static void *grow(void **arr, size_t *n, size_t size)
{
	char *a = realloc(*arr, (*n + 1) * size);

	if (!a)
		return NULL;
	*arr = a;
	memset(a + *n * size, 0, size);
	return a + (*n)++ * size;
}

struct cfg_device *config_add_device(struct config *c)
{
	return grow((void **)&c->devs, &c->ndevs, sizeof(*c->devs));
}

struct cfg_vf *config_add_vf(struct config *c)
{
	return grow((void **)&c->vfs, &c->nvfs, sizeof(*c->vfs));
}

struct cfg_mdev *config_add_mdev(struct config *c)
{
	return grow((void **)&c->mdevs, &c->nmdevs, sizeof(*c->mdevs));
}

static int no_memory(struct parser *p)
{
	snprintf(p->why, p->len, "%s: %s", p->c->name, strerror(ENOMEM));
	return CONFIG_EIO;
}

/* Decimal, digits only, at most @max; the same rules as the CLI's. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	const char *q;

	*v = 0;
	for (q = s; *q >= '0' && *q <= '9' && *v <= max; q++)
		*v = *v * 10 + (*q - '0');
	return q != s && !*q && *v <= max;
}

static int handle_arg(struct parser *p, const char *arg, char *out)
{
	if (handle_normalize(arg, out) < 0)
		return fail(p, "malformed device handle '%s' (expected pci/DDDD:BB:DD.F)",
			    arg);
	return 0;
}

/* "KEY VALUE" of a line: @w[@i] is KEY; its value must follow. */
static int need_value(struct parser *p, char **w, int n, int i)
{
	if (i + 1 >= n)
		return fail(p, "missing value for '%s'", w[i]);
	return 0;
}

static int twice(struct parser *p, const char *key)
{
	return fail(p, "'%s' given twice", key);
}

static int parse_device(struct parser *p, char **w, int n)
{
	struct cfg_device d = { .line = p->line };
	unsigned long v;
	size_t i;
	int k;

	if (n < 2)
		return fail(p, "device: missing DEV");
	if (handle_arg(p, w[1], d.handle))
		return CONFIG_ESYNTAX;
	for (k = 2; k < n; k += 2) {
		if (strcmp(w[k], "numvfs") && strcmp(w[k], "autoprobe") &&
		    strcmp(w[k], "provisioning"))
			return fail(p, "unknown device setting '%s' (expected numvfs, autoprobe or provisioning)",
				    w[k]);
		if (need_value(p, w, n, k))
			return CONFIG_ESYNTAX;
		if (!strcmp(w[k], "provisioning")) {
			if (d.prov_mode)
				return twice(p, w[k]);
			if (!strcmp(w[k + 1], "auto"))
				d.prov_mode = VGPU_PROV_MODE_AUTO;
			else if (!strcmp(w[k + 1], "custom"))
				d.prov_mode = VGPU_PROV_MODE_CUSTOM;
			else
				return fail(p, "invalid provisioning value '%s' (expected auto or custom)",
					    w[k + 1]);
		} else if (!strcmp(w[k], "numvfs")) {
			if (d.has_numvfs)
				return twice(p, w[k]);
			if (!parse_uint(w[k + 1], 0xffff, &v))
				return fail(p, "invalid numvfs value '%s' (expected a number 0..65535)",
					    w[k + 1]);
			d.has_numvfs = true;
			d.numvfs = v;
		} else {
			if (d.has_autoprobe)
				return twice(p, w[k]);
			if (strcmp(w[k + 1], "on") && strcmp(w[k + 1], "off"))
				return fail(p, "invalid autoprobe value '%s' (expected on or off)",
					    w[k + 1]);
			d.has_autoprobe = true;
			d.autoprobe = !strcmp(w[k + 1], "on");
		}
	}
	if (!d.has_numvfs && !d.has_autoprobe && !d.prov_mode)
		return fail(p, "device %s: nothing to set (numvfs N, autoprobe on|off, provisioning auto|custom)",
			    d.handle);
	for (i = 0; i < p->c->ndevs; i++)
		if (!strcmp(p->c->devs[i].handle, d.handle))
			return fail(p, "device %s already given on line %d",
				    d.handle, p->c->devs[i].line);
	if (!config_add_device(p->c))
		return no_memory(p);
	p->c->devs[p->c->ndevs - 1] = d;
	return 0;
}

/* "PF/INDEX" or a VF's own address. */
static int parse_vf_name(struct parser *p, const char *arg, struct cfg_vf *v)
{
	const char *slash = strrchr(arg, '/');
	char pf[VGPU_HANDLE_MAX];
	unsigned long idx;
	size_t plen;

	v->index = -1;
	/* "pci/0000:01:00.0" ends in an address, "pci/0000:01:00.0/1" in digits. */
	if (slash && slash[1] && strspn(slash + 1, "0123456789") == strlen(slash + 1)) {
		plen = slash - arg;
		if (plen >= sizeof(pf))
			return fail(p, "malformed VF '%s' (expected PF/INDEX or pci/DDDD:BB:DD.F)",
				    arg);
		memcpy(pf, arg, plen);
		pf[plen] = '\0';
		if (handle_normalize(pf, v->pf) < 0)
			return fail(p, "malformed VF '%s' (expected PF/INDEX or pci/DDDD:BB:DD.F)",
				    arg);
		if (!parse_uint(slash + 1, 0xfffe, &idx))
			return fail(p, "invalid VF index '%s' in '%s' (expected 0..65534)",
				    slash + 1, arg);
		v->index = idx;
		return 0;
	}
	if (handle_normalize(arg, v->handle) < 0)
		return fail(p, "malformed VF '%s' (expected PF/INDEX or pci/DDDD:BB:DD.F)",
			    arg);
	return 0;
}

static int parse_quota(struct parser *p, char **w, int n, int k,
		       struct vf_quota *q)
{
	const struct quota_key *key;
	const char *why;

	if (k >= n)
		return fail(p, "quota needs KEY VALUE pairs");
	for (; k < n; k += 2) {
		key = quota_key_find(w[k]);
		if (!key)
			return fail(p, "unknown quota key '%s' (ggtt, contexts, doorbells, vram, exec-quantum, preempt-timeout, priority)",
				    w[k]);
		if (k + 1 >= n)
			return fail(p, "quota key '%s' needs a value", w[k]);
		if (q->has[key->attr])
			return fail(p, "quota key '%s' given twice", key->word);
		if (quota_parse_value(key, w[k + 1], &q->val[key->attr], &why))
			return fail(p, "invalid %s value '%s': %s", key->word,
				    w[k + 1], why);
		q->has[key->attr] = true;
	}
	return 0;
}

/* A driver's name as sysfs and modprobe(8) spell them. */
static bool driver_name_ok(const char *s)
{
	return *s && strlen(s) < CONFIG_DRIVER_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
	       strlen(s);
}

/* Whether @a and @b name the same VF as far as the file alone can tell. */
static bool same_vf(const struct cfg_vf *a, const struct cfg_vf *b)
{
	if (a->index >= 0 && b->index >= 0)
		return a->index == b->index && !strcmp(a->pf, b->pf);
	return a->index < 0 && b->index < 0 && !strcmp(a->handle, b->handle);
}

static void vf_name(const struct cfg_vf *v, char *buf, size_t len)
{
	if (v->index >= 0)
		snprintf(buf, len, "%s/%d", v->pf, v->index);
	else
		snprintf(buf, len, "%s", v->handle);
}

static int parse_vf(struct parser *p, char **w, int n)
{
	struct cfg_vf v = { .line = p->line };
	char name[VGPU_HANDLE_MAX + 16];
	size_t i;
	int k = 2;

	if (n < 2)
		return fail(p, "vf: missing VF (PF/INDEX or pci/DDDD:BB:DD.F)");
	if (parse_vf_name(p, w[1], &v))
		return CONFIG_ESYNTAX;
	/* The order of "vf set": driver, then quota to the end of the line. */
	if (k < n && !strcmp(w[k], "driver")) {
		if (need_value(p, w, n, k))
			return CONFIG_ESYNTAX;
		if (!strcmp(w[k + 1], "default"))
			v.driver = CFG_DRIVER_DEFAULT;
		else if (driver_name_ok(w[k + 1]))
			v.driver = CFG_DRIVER_VFIO;
		else
			return fail(p, "invalid driver '%s' (expected vfio, a VFIO PCI driver's name or default)",
				    w[k + 1]);
		if (v.driver == CFG_DRIVER_VFIO)
			strcpy(v.drvname, w[k + 1]);
		k += 2;
	}
	if (k < n && !strcmp(w[k], "quota")) {
		if (parse_quota(p, w, n, k + 1, &v.quota))
			return CONFIG_ESYNTAX;
		v.has_quota = true;
		k = n;
	}
	if (k < n)
		return fail(p, !strcmp(w[k], "driver") ?
			    "'driver' given twice" :
			    "unknown VF setting '%s' (expected driver or quota)",
			    w[k]);
	vf_name(&v, name, sizeof(name));
	if (v.driver == CFG_DRIVER_KEEP && !v.has_quota)
		return fail(p, "vf %s: nothing to set (driver, quota)", name);
	for (i = 0; i < p->c->nvfs; i++)
		if (same_vf(&p->c->vfs[i], &v))
			return fail(p, "VF %s already given on line %d", name,
				    p->c->vfs[i].line);
	if (!config_add_vf(p->c))
		return no_memory(p);
	p->c->vfs[p->c->nvfs - 1] = v;
	return 0;
}

static int parse_mdev(struct parser *p, char **w, int n)
{
	struct cfg_mdev m = { .line = p->line };
	size_t i;
	int k;

	if (n < 2)
		return fail(p, "mdev: missing UUID");
	if (uuid_normalize(w[1], m.uuid) < 0)
		return fail(p, "malformed UUID '%s' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
			    w[1]);
	for (k = 2; k < n; k += 2) {
		if (strcmp(w[k], "parent") && strcmp(w[k], "type"))
			return fail(p, "unknown mdev setting '%s' (expected parent or type)",
				    w[k]);
		if (need_value(p, w, n, k))
			return CONFIG_ESYNTAX;
		if (!strcmp(w[k], "parent")) {
			if (m.parent[0])
				return twice(p, w[k]);
			if (handle_arg(p, w[k + 1], m.parent))
				return CONFIG_ESYNTAX;
		} else {
			if (m.type[0])
				return twice(p, w[k]);
			if (strlen(w[k + 1]) >= sizeof(m.type))
				return fail(p, "type name '%.20s...' too long",
					    w[k + 1]);
			strcpy(m.type, w[k + 1]);
		}
	}
	if (!m.parent[0])
		return fail(p, "mdev %s: missing 'parent DEV'", m.uuid);
	if (!m.type[0])
		return fail(p, "mdev %s: missing 'type TYPE'", m.uuid);
	for (i = 0; i < p->c->nmdevs; i++)
		if (!strcmp(p->c->mdevs[i].uuid, m.uuid))
			return fail(p, "mdev %s already given on line %d",
				    m.uuid, p->c->mdevs[i].line);
	if (!config_add_mdev(p->c))
		return no_memory(p);
	p->c->mdevs[p->c->nmdevs - 1] = m;
	return 0;
}

/* Splits @s at blanks into @w, up to a word starting with '#'. */
static int split(struct parser *p, char *s, char **w)
{
	int n = 0;
	char *t;

	for (t = strtok(s, " \t\r\n"); t && t[0] != '#'; t = strtok(NULL, " \t\r\n")) {
		if (n == MAX_WORDS)
			return fail(p, "line too long (more than %d words)",
				    MAX_WORDS);
		w[n++] = t;
	}
	return n;
}

static int parse_line(struct parser *p, char *s)
{
	char *w[MAX_WORDS];
	int n = split(p, s, w);

	if (n <= 0)
		return n;
	if (!strcmp(w[0], "device"))
		return parse_device(p, w, n);
	if (!strcmp(w[0], "vf"))
		return parse_vf(p, w, n);
	if (!strcmp(w[0], "mdev"))
		return parse_mdev(p, w, n);
	return fail(p, "unknown keyword '%s' (expected device, vf or mdev)",
		    w[0]);
}

/*
 * What needs the whole file: a VF named PF/INDEX beyond the count its
 * PF's device line asks for could never exist, and quotas for the VFs of
 * a PF whose device line says "provisioning auto" would make it custom.
 */
static int check_vfs(struct parser *p)
{
	const struct cfg_device *d;
	const struct cfg_vf *v;
	size_t i, j;

	for (i = 0; i < p->c->nvfs; i++) {
		v = &p->c->vfs[i];
		for (j = 0; v->index >= 0 && j < p->c->ndevs; j++) {
			d = &p->c->devs[j];
			if (strcmp(d->handle, v->pf))
				continue;
			p->line = v->line;
			if (d->has_numvfs && v->index >= d->numvfs)
				return fail(p, "VF %s/%d: index beyond numvfs %u of %s (line %d)",
					    v->pf, v->index, d->numvfs,
					    v->pf, d->line);
			if (v->has_quota && d->prov_mode == VGPU_PROV_MODE_AUTO)
				return fail(p, "VF %s/%d: quotas set by hand make the provisioning of %s custom, and line %d says auto",
					    v->pf, v->index, v->pf, d->line);
		}
	}
	return 0;
}

int config_parse(FILE *f, const char *name, struct config *c, char *why,
		 size_t len)
{
	struct parser p = { .c = c, .why = why, .len = len };
	struct text_line l = { 0 };
	const char *bad = NULL;
	int ret = 0, n;

	memset(c, 0, sizeof(*c));
	c->name = strdup(name);
	if (!c->name) {
		snprintf(why, len, "%s: %s", name, strerror(ENOMEM));
		return CONFIG_EIO;
	}
	/* Not text (a NUL byte, a line too long) is wrong; unread is EIO. */
	while (!ret && (n = text_line_read(f, &l, &bad)) != 0) {
		p.line++;
		if (n == -EINVAL) {
			ret = fail(&p, "%s", bad);
		} else if (n < 0) {
			snprintf(why, len, "%s: read error: %s", name, strerror(-n));
			ret = CONFIG_EIO;
		} else {
			ret = parse_line(&p, l.buf);
		}
	}
	text_line_free(&l);
	if (!ret)
		ret = check_vfs(&p);
	return ret;
}

int config_load(const char *path, struct config *c, char *why, size_t len)
{
	FILE *f;
	int ret;

	if (!strcmp(path, "-"))
		return config_parse(stdin, "<stdin>", c, why, len);
	f = fopen(path, "r");
	if (!f) {
		memset(c, 0, sizeof(*c));
		snprintf(why, len, "cannot read %s: %s", path, strerror(errno));
		return CONFIG_EIO;
	}
	ret = config_parse(f, path, c, why, len);
	fclose(f);
	return ret;
}

void config_free(struct config *c)
{
	free(c->name);
	free(c->devs);
	free(c->vfs);
	free(c->mdevs);
	memset(c, 0, sizeof(*c));
}

void config_format_device(const struct cfg_device *d, char *buf, size_t len)
{
	size_t off = snprintf(buf, len, "device %s", d->handle);

	if (d->has_numvfs && off < len)
		off += snprintf(buf + off, len - off, " numvfs %u", d->numvfs);
	if (d->has_autoprobe && off < len)
		off += snprintf(buf + off, len - off, " autoprobe %s",
				d->autoprobe ? "on" : "off");
	if (d->prov_mode && off < len)
		snprintf(buf + off, len - off, " provisioning %s",
			 d->prov_mode == VGPU_PROV_MODE_AUTO ? "auto" : "custom");
}

void config_format_vf(const struct cfg_vf *v, char *buf, size_t len)
{
	char name[VGPU_HANDLE_MAX + 16], val[32];
	const struct quota_key *key;
	unsigned int i;
	size_t off;

	vf_name(v, name, sizeof(name));
	off = snprintf(buf, len, "vf %s", name);
	if (v->driver != CFG_DRIVER_KEEP && off < len)
		off += snprintf(buf + off, len - off, " driver %s",
				v->driver == CFG_DRIVER_VFIO ? v->drvname :
				"default");
	if (v->has_quota && off < len)
		off += snprintf(buf + off, len - off, " quota");
	for (i = 0; v->has_quota && i < quota_nkeys && off < len; i++) {
		key = &quota_keys[i];
		if (!v->quota.has[key->attr])
			continue;
		quota_format(key, v->quota.val[key->attr], val, sizeof(val));
		off += snprintf(buf + off, len - off, " %s %s", key->word, val);
	}
}

void config_format_mdev(const struct cfg_mdev *m, char *buf, size_t len)
{
	snprintf(buf, len, "mdev %s parent %s type %s", m->uuid, m->parent,
		 m->type);
}

int config_write(FILE *f, const struct config *c)
{
	char line[1024];
	size_t i;

	for (i = 0; i < c->ndevs; i++) {
		config_format_device(&c->devs[i], line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	for (i = 0; i < c->nvfs; i++) {
		config_format_vf(&c->vfs[i], line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	for (i = 0; i < c->nmdevs; i++) {
		config_format_mdev(&c->mdevs[i], line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	return ferror(f) ? -EIO : 0;
}
