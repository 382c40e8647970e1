// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_gen.c - what genl-fuzz knows of the host, and its requests (fuzz.h)
 *
 * Requests are made of the uAPI header's commands and attributes with
 * values drawn from pools: real handles, VFs, types and mdev UUIDs (learnt
 * from dumps, so state-changing requests hit real objects), other
 * spellings of them, and garbage (paths with '/', '..' and '%', lengths
 * around each limit, unterminated strings). On top: random attributes,
 * unknown and duplicated ones, wrong sizes, stray flag bits, truncated and
 * oversized attributes, and headers whose length lies. Every name a
 * request is built from is recorded (struct fuzz_req), so the checks can
 * tell a reply that names something else.
 *
 * Real VF count changes take a second or more under TCG: they are rationed
 * (struct fuzz_gen numvfs_ok); every other request goes at full speed.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "fuzz.h"

static const struct {
	const char *name;
	bool admin, dump;
} cmds[VGPU_CMD_MAX + 1] = {
	[VGPU_CMD_VERSION_GET] = { "VERSION_GET", false, false },
	[VGPU_CMD_DEV_GET] = { "DEV_GET", false, true },
	[VGPU_CMD_DEV_SET] = { "DEV_SET", true, false },
	[VGPU_CMD_EVENT] = { "EVENT", false, false },
	[VGPU_CMD_VF_GET] = { "VF_GET", false, true },
	[VGPU_CMD_VF_SET] = { "VF_SET", true, false },
	[VGPU_CMD_TYPE_GET] = { "TYPE_GET", false, true },
	[VGPU_CMD_MDEV_GET] = { "MDEV_GET", false, true },
	[VGPU_CMD_MDEV_ADD] = { "MDEV_ADD", true, false },
	[VGPU_CMD_MDEV_DEL] = { "MDEV_DEL", true, false },
	[VGPU_CMD_RESOURCE_GET] = { "RESOURCE_GET", false, true },
};

bool fuzz_cmd_admin(int cmd)
{
	return cmd > 0 && cmd <= VGPU_CMD_MAX && cmds[cmd].admin;
}

bool fuzz_cmd_has_dump(int cmd)
{
	return cmd > 0 && cmd <= VGPU_CMD_MAX && cmds[cmd].dump;
}

const char *fuzz_cmd_name(int cmd)
{
	if (cmd == VGPU_CMD_UNSPEC)
		return "UNSPEC";
	return cmd > 0 && cmd <= VGPU_CMD_MAX ? cmds[cmd].name : "(no such)";
}

unsigned int fuzz_rand(struct fuzz_gen *g)
{
	/* xorshift32: fast, and a run is reproduced by its seed. */
	g->seed ^= g->seed << 13;
	g->seed ^= g->seed >> 17;
	g->seed ^= g->seed << 5;
	return g->seed;
}

static unsigned int rnd(struct fuzz_gen *g, unsigned int n)
{
	return n ? fuzz_rand(g) % n : 0;
}

/* True with probability @pct percent. */
static bool chance(struct fuzz_gen *g, unsigned int pct)
{
	return rnd(g, 100) < pct;
}

/* ---- what the host has ---- */

static int read_int(const char *dir, const char *file)
{
	char path[512];
	FILE *f;
	int v = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%i", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static void add_pci(struct fuzz_world *w, const char *bdf, const char *pf)
{
	int i;

	for (i = 0; i < w->npci; i++)
		if (!strcmp(w->pci[i].bdf, bdf)) {
			if (pf[0])
				snprintf(w->pci[i].pf, sizeof(w->pci[i].pf), "%s", pf);
			return;
		}
	if (w->npci == FUZZ_MAX_NAMES)
		return;
	snprintf(w->pci[w->npci].bdf, sizeof(w->pci[0].bdf), "%s", bdf);
	snprintf(w->pci[w->npci].pf, sizeof(w->pci[0].pf), "%s", pf);
	w->npci++;
}

/*
 * Every PCI function, and every VF any PF could make (its routing IDs
 * follow from the PF's, sriov_offset and sriov_stride): a VF that comes
 * and goes during the run is still known as its PF's.
 */
void fuzz_world_scan_pci(struct fuzz_world *w)
{
	const char *base = "/sys/bus/pci/devices";
	unsigned int dom, bus, dev, fn, rid;
	int total, off, stride, i;
	char dir[512], vf[16];
	struct dirent *de;
	DIR *d;

	d = opendir(base);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (sscanf(de->d_name, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4)
			continue;
		add_pci(w, de->d_name, "");
		snprintf(dir, sizeof(dir), "%s/%s", base, de->d_name);
		total = read_int(dir, "sriov_totalvfs");
		off = read_int(dir, "sriov_offset");
		stride = read_int(dir, "sriov_stride");
		if (total <= 0 || off < 0 || stride < 0)
			continue;
		for (i = 0; i < total; i++) {
			rid = (bus << 8 | dev << 3 | fn) + off + i * stride;
			snprintf(vf, sizeof(vf), "%04x:%02x:%02x.%x", dom,
				 (rid >> 8) & 0xff, (rid >> 3) & 0x1f, rid & 7);
			add_pci(w, vf, de->d_name);
		}
	}
	closedir(d);
}

static void add_name(char (*list)[FUZZ_NAME_MAX], int *n, int max,
		     const char *s)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(list[i], s))
			return;
	if (*n < max)
		snprintf(list[(*n)++], FUZZ_NAME_MAX, "%s", s);
}

static void learn(const struct nlmsghdr *nlh, void *arg)
{
	struct fuzz_world *w = arg;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const struct nlattr *a, *b;
	const char *dev = NULL, *s;
	int rem, rem2, i;

	fuzz_attr_for_each(a, (const char *)g + GENL_HDRLEN,
			   nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, rem) {
		s = fuzz_attr_str(a);
		/* The kernel's nests carry NLA_F_NESTED. */
		switch (a->nla_type & NLA_TYPE_MASK) {
		case VGPU_A_DEV_HANDLE:
			if (s && g->cmd == VGPU_CMD_DEV_GET) {
				add_name(w->devs, &w->ndevs, 16, s);
				dev = s;
			}
			break;
		case VGPU_A_DEV_SRIOV:
			if (!dev)
				break;
			snprintf(w->pf, sizeof(w->pf), "%s", dev);
			fuzz_attr_for_each(b, (const char *)a + NLA_HDRLEN,
					   a->nla_len - NLA_HDRLEN, rem2)
				if ((b->nla_type & NLA_TYPE_MASK) == VGPU_A_SRIOV_TOTALVFS &&
				    b->nla_len >= NLA_HDRLEN + 2)
					w->totalvfs = *(const uint16_t *)((const char *)b + NLA_HDRLEN);
			break;
		case VGPU_A_VF_HANDLE:
			if (s)
				add_name(w->vfs, &w->nvfs, 64, s);
			break;
		case VGPU_A_TYPE_NAME:
			if (s)
				add_name(w->types, &w->ntypes, 16, s);
			break;
		case VGPU_A_MDEV_UUID:
			if (!s)
				break;
			for (i = 0; i < w->nmdevs; i++)
				if (!strcmp(w->mdevs[i], s))
					break;
			if (i == w->nmdevs && w->nmdevs < 64)
				snprintf(w->mdevs[w->nmdevs++], 40, "%s", s);
			break;
		}
	}
}

int fuzz_world_refresh(struct fuzz_world *w, struct fuzz_sock *s)
{
	static const uint8_t dumps[] = { VGPU_CMD_DEV_GET, VGPU_CMD_VF_GET,
					 VGPU_CMD_TYPE_GET, VGPU_CMD_MDEV_GET };
	struct fuzz_answer ans;
	size_t i;
	int ret;

	/* VFs and mdevs come and go: only what is there now. */
	w->nvfs = 0;
	w->nmdevs = 0;
	for (i = 0; i < sizeof(dumps); i++) {
		ret = fuzz_dump(s, dumps[i], NULL, &ans, learn, w);
		if (ret)
			return ret;
		if (ans.error && ans.error != -EINTR)
			return ans.error;
	}
	return 0;
}

/* ---- building a request ---- */

struct msg {
	unsigned char *buf;
	size_t len;
	struct fuzz_req *req;
};

static void note(struct msg *m, const void *data, size_t len)
{
	struct fuzz_req *r = m->req;

	if (!len || r->bloblen + len + 1 > sizeof(r->blob))
		return;
	memcpy(r->blob + r->bloblen, data, len);
	r->bloblen += len;
	r->blob[r->bloblen++] = '\n';
}

/* Room for an attribute of @len bytes, with some to spare. */
static bool room(const struct msg *m, size_t len)
{
	return m->len + NLA_HDRLEN + NLA_ALIGN(len) + 64 <= FUZZ_MSG_MAX;
}

static size_t attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	size_t at = m->len;

	if (!room(m, len))
		return at;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	m->len += NLA_HDRLEN + NLA_ALIGN(len);
	note(m, data, len);
	return at;
}

/* Strict parsing wants NLA_F_NESTED; now and then it is missing. */
static size_t nest_start(struct fuzz_gen *g, struct msg *m, uint16_t type)
{
	return attr(m, type | (chance(g, 95) ? NLA_F_NESTED : 0), NULL, 0);
}

static void nest_end(struct msg *m, size_t at)
{
	((struct nlattr *)(m->buf + at))->nla_len = m->len - at;
}

/* A string, usually NUL-terminated, sometimes not, sometimes with junk. */
static void str_attr(struct fuzz_gen *g, struct msg *m, uint16_t type,
		     const char *s)
{
	char buf[FUZZ_MSG_MAX / 2];
	size_t n = strlen(s);

	if (n + 8 >= sizeof(buf))
		n = sizeof(buf) - 8;
	memcpy(buf, s, n);
	buf[n] = '\0';
	switch (rnd(g, 40)) {
	case 0:		/* not terminated */
		attr(m, type, buf, n);
		return;
	case 1:		/* an embedded NUL, then more */
		memcpy(buf + n + 1, "x/..%", 6);
		attr(m, type, buf, n + 7);
		return;
	default:
		attr(m, type, buf, n + 1);
	}
}

static const char *pick(struct fuzz_gen *g, const char *const *list, size_t n)
{
	return list[rnd(g, n)];
}

#define PICK(g, list) pick(g, list, sizeof(list) / sizeof(list[0]))

static void long_string(struct fuzz_gen *g, char *buf, size_t len, char c)
{
	static const size_t lens[] = { 31, 32, 35, 36, 37, 62, 63, 64, 65,
				       100, 255, 4000 };
	size_t n = lens[rnd(g, sizeof(lens) / sizeof(lens[0]))];

	if (n >= len)
		n = len - 1;
	memset(buf, c, n);
	if (n > 4)
		memcpy(buf, "pci/", 4);
	buf[n] = '\0';
}

static void random_printable(struct fuzz_gen *g, char *buf, size_t len)
{
	size_t n = 1 + rnd(g, len - 1), i;

	for (i = 0; i < n - 1; i++)
		buf[i] = 32 + rnd(g, 95);
	buf[n - 1] = '\0';
}

/* A BDF the request names: recorded for the foreign-name check. */
static void note_bdf(struct msg *m, const char *handle)
{
	const char *bdf = strncmp(handle, "pci/", 4) ? handle : handle + 4;

	note(m, bdf, strlen(bdf));
}

/*
 * A handle into @out; @real gets the real device's "pci/BDF" it stands
 * for, or "" for garbage.
 */
static void handle_value(struct fuzz_gen *g, struct msg *m, char *out,
			 size_t len, char *real_out)
{
	static const char *const junk[] = {
		"", "pci", "pci/", "/", "pci//", "pci/0000:00:00.0",
		"pci/ffff:ff:1f.7", "pci/0000:01:00.8", "pci/0000:01:20.0",
		"pci/0000:01:00.0 ", "pci/0000:01:00.0\n", "pci/0000:01:00.0/..",
		"pci/../../../../sys/kernel/vgpu_nl", "../..", "..", ".",
		"pci/%s%s%s%s%n", "pci/%p%p%p", "%x:%x:%x.%x", "usb/1-1",
		"pci/0x1:0x2:0x3.0", "pci/-1:-1:-1.-1", "pci/00000:001:000.0",
		"pci/0000:01:00.00", "PCI/0000:01:00.0", "virtual/vgpu",
		"mdev/00000100-0000-0000-0000-000000000001",
	};
	struct fuzz_world *w = g->w;
	const char *real;
	unsigned int r = rnd(g, 100);

	real_out[0] = '\0';
	if (r < 30 && w->ndevs) {
		real = w->devs[rnd(g, w->ndevs)];
	} else if (r < 45 && w->nvfs) {
		real = w->vfs[rnd(g, w->nvfs)];
	} else if (r < 55 && w->npci) {
		snprintf(out, len, "pci/%s", w->pci[rnd(g, w->npci)].bdf);
		snprintf(real_out, FUZZ_NAME_MAX, "%s", out);
		note_bdf(m, out);
		return;
	} else if (r < 65 && w->ndevs) {
		/* Other spellings the parser may or may not take. */
		unsigned int dom, bus, dev, fn;

		real = w->devs[rnd(g, w->ndevs)];
		snprintf(real_out, FUZZ_NAME_MAX, "%s", real);
		note_bdf(m, real);
		if (sscanf(real, "pci/%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4) {
			snprintf(out, len, "%s", real);
			return;
		}
		switch (rnd(g, 4)) {
		case 0:
			snprintf(out, len, "%s", real + 4);
			break;
		case 1:
			snprintf(out, len, "pci/%x:%x:%x.%x", dom, bus, dev, fn);
			break;
		case 2:
			snprintf(out, len, "pci/%04X:%02X:%02X.%X", dom, bus, dev, fn);
			break;
		default:
			snprintf(out, len, "pci/%02x:%02x.%x", bus, dev, fn);
		}
		return;
	} else if (r < 75) {
		/* Unique per request: what the cross-talk check looks for. */
		snprintf(out, len, "pci/%04x:%02x:%02x.%x", rnd(g, 4),
			 0x10 + rnd(g, 0xef), rnd(g, 32), rnd(g, 8));
		return;
	} else if (r < 80) {
		long_string(g, out, len, "0123456789abcdef:./%"[rnd(g, 20)]);
		return;
	} else if (r < 83) {
		random_printable(g, out, len < 80 ? len : 80);
		return;
	} else {
		snprintf(out, len, "%s", PICK(g, junk));
		return;
	}
	snprintf(out, len, "%s", real);
	snprintf(real_out, FUZZ_NAME_MAX, "%s", real);
	note_bdf(m, real);
}

static void type_value(struct fuzz_gen *g, char *out, size_t len)
{
	static const char *const junk[] = {
		"", ".", "..", "/", "../../../remove", "create", "remove",
		"vgpu_sim-GVTg_V5_4/../vgpu_sim-GVTg_V5_8",
		"vgpu_sim-GVTg_V5_4/create", "vgpu_sim-GVTg_V5_4/", "%s%n%p",
		"GVTg_V5_4", "i915-GVTg_V5_4", "vgpu_sim-GVTg_V5_9",
		"vgpu_sim-GVTg_V5_4\n", "../mdev_supported_types",
	};
	struct fuzz_world *w = g->w;
	unsigned int r = rnd(g, 100);

	if (r < 45 && w->ntypes) {
		snprintf(out, len, "%s", w->types[rnd(g, w->ntypes)]);
	} else if (r < 55 && w->ntypes) {
		snprintf(out, len, "%s%s", rnd(g, 2) ? "../" : "./",
			 w->types[rnd(g, w->ntypes)]);
	} else if (r < 65) {
		long_string(g, out, len, "a/.%"[rnd(g, 4)]);
	} else if (r < 70) {
		snprintf(out, len, "t%08x", fuzz_rand(g));
	} else {
		snprintf(out, len, "%s", PICK(g, junk));
	}
}

static void uuid_value(struct fuzz_gen *g, struct msg *m, char *out,
		       size_t len)
{
	static const char *const junk[] = {
		"", "00000000-0000-0000-0000-000000000000",
		"00000100-0000-0000-0000-000000000001",
		"0123456789abcdef0123456789abcdef",
		"0123456-789a-bcde-f012-3456789abcdef",
		"g1234567-89ab-cdef-0123-456789abcdef",
		"01234567-89ab-cdef-0123-456789abcde",
		"01234567-89ab-cdef-0123-456789abcdef0",
		"{01234567-89ab-cdef-0123-456789abcdef}",
		"../../../../bus/mdev/devices", "%s%s%s%s%s%s%s%s%s",
	};
	struct fuzz_world *w = g->w;
	unsigned int r = rnd(g, 100), a = fuzz_rand(g), b = fuzz_rand(g),
		     c = fuzz_rand(g), d = fuzz_rand(g);

	if (r < 30 && w->nmdevs) {
		snprintf(out, len, "%s", w->mdevs[rnd(g, w->nmdevs)]);
	} else if (r < 65) {
		snprintf(out, len, r < 55 ? "%08x-%04x-%04x-%04x-%04x%08x" :
			 "%08X-%04X-%04X-%04X-%04X%08X",
			 a, b & 0xffff, b >> 16, c & 0xffff, c >> 16, d);
	} else if (r < 70) {
		long_string(g, out, len, "0123456789abcdef-"[rnd(g, 17)]);
	} else {
		snprintf(out, len, "%s", PICK(g, junk));
	}
	note(m, out, strlen(out));
}

static void driver_value(struct fuzz_gen *g, char *out, size_t len)
{
	static const char *const junk[] = {
		"vfio-pci", "vfio-pci", "vfio-pci", "", "", "nvme", "vgpu_sim",
		"pci-stub", "vfio-pci\n", "VFIO-PCI", "%s%n", "../vfio-pci",
		"vfio_pci", "xe-vfio-pci", "default",
	};

	if (chance(g, 10))
		long_string(g, out, len, "v-/"[rnd(g, 3)]);
	else
		snprintf(out, len, "%s", PICK(g, junk));
}

static uint64_t int_value(struct fuzz_gen *g, int bits)
{
	static const uint64_t edges[] = {
		0, 1, 2, 3, 7, 8, 127, 128, 255, 256, 1023, 1024, 4096, 65535,
		65536, 1 << 20, 1 << 26, 1 << 29, 1ULL << 30, 3758096384ULL,
		1ULL << 32, 0xffffffffULL, 0x7fffffffffffffffULL, ~0ULL,
	};
	uint64_t v;

	if (chance(g, 70))
		v = edges[rnd(g, sizeof(edges) / sizeof(edges[0]))];
	else
		v = (uint64_t)fuzz_rand(g) << 32 | fuzz_rand(g);
	return bits == 64 ? v : v & ((1ULL << bits) - 1);
}

/* An integer of @bits, usually of the right size, sometimes not. */
static void int_attr(struct fuzz_gen *g, struct msg *m, uint16_t type,
		     int bits, uint64_t v)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 8, 12 };
	uint64_t two[2] = { v, v };
	size_t n = bits / 8;

	if (chance(g, 8))
		n = sizes[rnd(g, sizeof(sizes) / sizeof(sizes[0]))];
	attr(m, type, two, n);
}

static void sriov_nest(struct fuzz_gen *g, struct msg *m)
{
	struct fuzz_world *w = g->w;
	size_t at = nest_start(g, m, VGPU_A_DEV_SRIOV);
	uint64_t n;

	if (chance(g, 75)) {
		n = chance(g, 60) ? rnd(g, 10) : int_value(g, 16);
		/*
		 * A real change of the VF count only within the budget;
		 * otherwise a count the device refuses.
		 */
		if (w->totalvfs && (int)n <= w->totalvfs) {
			if (g->numvfs_ok)
				m->req->changes_numvfs = true;
			else
				n = w->totalvfs + 1 + rnd(g, 100);
		}
		int_attr(g, m, VGPU_A_SRIOV_NUMVFS, 16, n);
	}
	if (chance(g, 40))
		int_attr(g, m, VGPU_A_SRIOV_AUTOPROBE, 8,
			 chance(g, 80) ? rnd(g, 2) : int_value(g, 8));
	if (chance(g, 8))
		int_attr(g, m, rnd(g, 8), 32, int_value(g, 32));
	nest_end(m, at);
}

static void quota_nest(struct fuzz_gen *g, struct msg *m)
{
	size_t at = nest_start(g, m, VGPU_A_VF_QUOTA);
	int i, n = 1 + rnd(g, 4), key;

	for (i = 0; i < n; i++) {
		key = rnd(g, VGPU_A_QUOTA_MAX + 3);
		switch (key) {
		case VGPU_A_QUOTA_GGTT:
		case VGPU_A_QUOTA_VRAM:
		case VGPU_A_QUOTA_PAD:
			int_attr(g, m, key, 64, chance(g, 50) ?
				 (uint64_t)rnd(g, 1024) << 20 : int_value(g, 64));
			break;
		case VGPU_A_QUOTA_PRIORITY:
			int_attr(g, m, key, 8, rnd(g, 5));
			break;
		default:
			int_attr(g, m, key, 32, chance(g, 50) ? rnd(g, 300) :
				 int_value(g, 32));
		}
	}
	nest_end(m, at);
}

/* Any nest: attributes of random types and sizes, maybe nested again. */
static void random_nest(struct fuzz_gen *g, struct msg *m, uint16_t type,
			int depth)
{
	size_t at = nest_start(g, m, type);
	int i, n = rnd(g, 4);

	for (i = 0; i < n; i++) {
		if (depth < 3 && chance(g, 15))
			random_nest(g, m, rnd(g, 12), depth + 1);
		else
			int_attr(g, m, rnd(g, 12), 32, int_value(g, 32));
	}
	nest_end(m, at);
}

/* One attribute of type @type with a value of the kind it has. */
static void any_attr(struct fuzz_gen *g, struct msg *m, uint16_t type)
{
	char s[4096], real[FUZZ_NAME_MAX];

	switch (type) {
	case VGPU_A_DEV_HANDLE:
	case VGPU_A_VF_HANDLE:
	case VGPU_A_VF_PF:
	case VGPU_A_MDEV_PARENT:
		handle_value(g, m, s, sizeof(s), real);
		str_attr(g, m, type, s);
		break;
	case VGPU_A_TYPE_NAME:
	case VGPU_A_MDEV_TYPE:
		type_value(g, s, sizeof(s));
		str_attr(g, m, type, s);
		break;
	case VGPU_A_MDEV_UUID:
		uuid_value(g, m, s, sizeof(s));
		m->req->has_uuid = true;
		str_attr(g, m, type, s);
		break;
	case VGPU_A_VF_DRIVER_OVERRIDE:
	case VGPU_A_VF_DRIVER:
	case VGPU_A_DEV_DRIVER:
	case VGPU_A_MDEV_DRIVER:
		driver_value(g, s, sizeof(s));
		str_attr(g, m, type, s);
		break;
	case VGPU_A_VERSION:
	case VGPU_A_TYPE_PRETTY_NAME:
	case VGPU_A_TYPE_DEVICE_API:
	case VGPU_A_TYPE_DESCRIPTION:
	case VGPU_A_TYPE_RESOLUTION:
	case VGPU_A_DEV_PROVISIONING:
		random_printable(g, s, 64);
		str_attr(g, m, type, s);
		break;
	case VGPU_A_FORCE:
	case VGPU_A_MDEV_IF_UNUSED:
		if (chance(g, 90))
			attr(m, type, NULL, 0);
		else
			int_attr(g, m, type, 32, 1);
		break;
	case VGPU_A_DEV_SRIOV:
		sriov_nest(g, m);
		break;
	case VGPU_A_VF_QUOTA:
		quota_nest(g, m);
		break;
	case VGPU_A_RESOURCE:
		random_nest(g, m, type, 1);
		break;
	case VGPU_A_DEV_VENDOR:
	case VGPU_A_DEV_DEVICE:
	case VGPU_A_DEV_SUBSYS_VENDOR:
	case VGPU_A_DEV_SUBSYS_DEVICE:
	case VGPU_A_VF_INDEX:
		int_attr(g, m, type, 16, int_value(g, 16));
		break;
	case VGPU_A_EVENT:
	case VGPU_A_DEV_MDEV_PARENT:
	case VGPU_A_VF_ASSIGNED:
	case VGPU_A_MDEV_OWNED:
	case VGPU_A_MDEV_REMOVING:
	case VGPU_A_MDEV_IN_USE:
		int_attr(g, m, type, 8, int_value(g, 8));
		break;
	default:
		if (chance(g, 10))
			random_nest(g, m, type, 1);
		else
			int_attr(g, m, type, 32, int_value(g, 32));
	}
}

/* The attributes each command's policy takes. */
static int policy_attrs(int cmd, uint16_t *out)
{
	static const uint16_t dev[] = { VGPU_A_DEV_HANDLE };
	static const uint16_t dev_set[] = { VGPU_A_DEV_HANDLE, VGPU_A_DEV_SRIOV,
					    VGPU_A_FORCE };
	static const uint16_t vf_get[] = { VGPU_A_VF_HANDLE, VGPU_A_DEV_HANDLE };
	static const uint16_t vf_set[] = { VGPU_A_VF_HANDLE, VGPU_A_VF_QUOTA,
					   VGPU_A_VF_DRIVER_OVERRIDE };
	static const uint16_t type_get[] = { VGPU_A_DEV_HANDLE, VGPU_A_TYPE_NAME };
	static const uint16_t mdev_get[] = { VGPU_A_MDEV_UUID, VGPU_A_DEV_HANDLE };
	static const uint16_t mdev_add[] = { VGPU_A_DEV_HANDLE, VGPU_A_TYPE_NAME,
					     VGPU_A_MDEV_UUID };
	static const uint16_t mdev_del[] = { VGPU_A_MDEV_UUID, VGPU_A_FORCE,
					     VGPU_A_MDEV_IF_UNUSED };
	const uint16_t *p = NULL;
	int n = 0;

	switch (cmd) {
	case VGPU_CMD_DEV_GET:
	case VGPU_CMD_RESOURCE_GET:
		p = dev, n = 1;
		break;
	case VGPU_CMD_DEV_SET:
		p = dev_set, n = 3;
		break;
	case VGPU_CMD_VF_GET:
		p = vf_get, n = 2;
		break;
	case VGPU_CMD_VF_SET:
		p = vf_set, n = 3;
		break;
	case VGPU_CMD_TYPE_GET:
		p = type_get, n = 2;
		break;
	case VGPU_CMD_MDEV_GET:
		p = mdev_get, n = 2;
		break;
	case VGPU_CMD_MDEV_ADD:
		p = mdev_add, n = 3;
		break;
	case VGPU_CMD_MDEV_DEL:
		p = mdev_del, n = 3;
		break;
	}
	if (n)
		memcpy(out, p, n * sizeof(*p));
	return n;
}

/* Encodings no library would make; the length fields lie. */
static void malform(struct fuzz_gen *g, struct msg *m, size_t body)
{
	struct nlattr *a;
	char big[FUZZ_MSG_MAX];
	size_t n;

	switch (rnd(g, 6)) {
	case 0:		/* the first attribute claims more than it has */
		if (m->len > body) {
			a = (struct nlattr *)(m->buf + body);
			a->nla_len += 4 + rnd(g, 64);
		}
		break;
	case 1:		/* an attribute shorter than its own header */
		a = (struct nlattr *)(m->buf + m->len);
		a->nla_len = rnd(g, NLA_HDRLEN);
		a->nla_type = rnd(g, VGPU_A_MAX + 1);
		m->len += NLA_HDRLEN;
		break;
	case 2:		/* trailing bytes after the attributes */
		n = 1 + rnd(g, 3);
		memset(m->buf + m->len, 0xa5, n);
		m->len += n;
		break;
	case 3:		/* an oversized string */
		n = chance(g, 50) ? 8192 : FUZZ_MSG_MAX - m->len - 128;
		if (n > sizeof(big) - 1)
			n = sizeof(big) - 1;
		memset(big, "a/%."[rnd(g, 4)], n);
		big[n] = '\0';
		attr(m, chance(g, 50) ? VGPU_A_DEV_HANDLE : rnd(g, VGPU_A_MAX + 4),
		     big, n + 1);
		break;
	case 4:		/* a nest whose inner attribute overruns it */
		n = m->len;
		attr(m, VGPU_A_DEV_SRIOV | NLA_F_NESTED, NULL, 0);
		int_attr(g, m, VGPU_A_SRIOV_NUMVFS, 16, 1);
		((struct nlattr *)(m->buf + n))->nla_len = NLA_HDRLEN + 2;
		break;
	default:	/* flag bits on the type */
		if (m->len > body) {
			a = (struct nlattr *)(m->buf + body);
			a->nla_type |= chance(g, 50) ? NLA_F_NESTED :
				       NLA_F_NET_BYTEORDER;
		}
	}
}

/* Requests whose refusal names what each client asked about. */
static void crosstalk(struct fuzz_gen *g, struct msg *m, bool unpriv)
{
	char s[128];

	switch (rnd(g, unpriv ? 3 : 4)) {
	case 0:
		m->req->cmd = VGPU_CMD_MDEV_GET;
		break;
	case 1:
		m->req->cmd = VGPU_CMD_DEV_GET;
		snprintf(s, sizeof(s), "pci/%04x:%02x:%02x.%x", rnd(g, 4),
			 0x10 + rnd(g, 0xef), rnd(g, 32), rnd(g, 8));
		attr(m, VGPU_A_DEV_HANDLE, s, strlen(s) + 1);
		return;
	case 2:
		m->req->cmd = VGPU_CMD_VF_GET;
		snprintf(s, sizeof(s), "pci/%04x:%02x:%02x.%x", rnd(g, 4),
			 0x10 + rnd(g, 0xef), rnd(g, 32), rnd(g, 8));
		attr(m, VGPU_A_VF_HANDLE, s, strlen(s) + 1);
		return;
	default:
		m->req->cmd = VGPU_CMD_MDEV_DEL;
	}
	snprintf(s, sizeof(s), "%08x-%04x-%04x-%04x-%04x%08x", fuzz_rand(g),
		 rnd(g, 65536), rnd(g, 65536), rnd(g, 65536), rnd(g, 65536),
		 fuzz_rand(g));
	attr(m, VGPU_A_MDEV_UUID, s, strlen(s) + 1);
	m->req->has_uuid = true;
}

/*
 * The dump filter as the kernel will read it: the last DEV_HANDLE of the
 * attributes as they parse (duplicates, lying lengths and all), and the
 * real device it names when it is one spelled as the kernel spells it.
 * Also whether a UUID put in is still one the kernel parses: a first
 * attribute made longer (malform()) can take in the UUID after it, and
 * MDEV_ADD then answers with a UUID of its own.
 */
static void find_filter(const struct fuzz_world *w, struct fuzz_req *r,
			const unsigned char *attrs, size_t len)
{
	const struct nlattr *a;
	bool uuid = false;
	const char *s;
	int rem, i;

	r->has_filter = false;
	fuzz_attr_for_each(a, attrs, len, rem) {
		if ((a->nla_type & NLA_TYPE_MASK) == VGPU_A_MDEV_UUID)
			uuid = true;
		if ((a->nla_type & NLA_TYPE_MASK) != VGPU_A_DEV_HANDLE)
			continue;
		s = fuzz_attr_str(a);
		r->has_filter = s != NULL;
		if (s)
			snprintf(r->filter, sizeof(r->filter), "%s", s);
	}
	r->has_uuid = r->has_uuid && uuid;
	r->filter_real[0] = '\0';
	if (!r->has_filter)
		return;
	for (i = 0; i < w->ndevs; i++)
		if (!strcmp(w->devs[i], r->filter))
			snprintf(r->filter_real, sizeof(r->filter_real), "%s", r->filter);
	for (i = 0; i < w->npci; i++)
		if (!strncmp(r->filter, "pci/", 4) &&
		    !strcmp(w->pci[i].bdf, r->filter + 4))
			snprintf(r->filter_real, sizeof(r->filter_real), "%s", r->filter);
}

/* A string attribute the way a correct client sends it. */
static void put_str(struct msg *m, uint16_t type, const char *s)
{
	attr(m, type, s, strlen(s) + 1);
}

static void put_int(struct msg *m, uint16_t type, uint64_t v, size_t n)
{
	attr(m, type, &v, n);
}

/*
 * Requests a correct client sends, on the host's real objects: reads and
 * dumps, and changes (autoprobe, VF drivers, quotas, mdevs; the VF count
 * within the budget).
 */
static void valid(struct fuzz_gen *g, struct msg *m)
{
	static const uint8_t reads[] = {
		VGPU_CMD_VERSION_GET, VGPU_CMD_DEV_GET, VGPU_CMD_VF_GET,
		VGPU_CMD_TYPE_GET, VGPU_CMD_MDEV_GET, VGPU_CMD_RESOURCE_GET,
	};
	struct fuzz_world *w = g->w;
	struct fuzz_req *r = m->req;
	const char *dev = w->ndevs ? w->devs[rnd(g, w->ndevs)] : "pci/0000:00:00.0";
	const char *vf = w->nvfs ? w->vfs[rnd(g, w->nvfs)] : NULL;
	size_t at;
	char u[40];

	r->flags = NLM_F_REQUEST | NLM_F_ACK;
	if (chance(g, 60)) {
		r->cmd = reads[rnd(g, sizeof(reads))];
		if (fuzz_cmd_has_dump(r->cmd) && chance(g, 50)) {
			r->flags |= NLM_F_DUMP;
			if (r->cmd != VGPU_CMD_DEV_GET &&
			    r->cmd != VGPU_CMD_RESOURCE_GET && chance(g, 50))
				put_str(m, VGPU_A_DEV_HANDLE, dev);
			return;
		}
		switch (r->cmd) {
		case VGPU_CMD_VF_GET:
			if (vf)
				put_str(m, VGPU_A_VF_HANDLE, vf);
			break;
		case VGPU_CMD_TYPE_GET:
			put_str(m, VGPU_A_DEV_HANDLE, w->pf[0] ? w->pf : dev);
			if (w->ntypes)
				put_str(m, VGPU_A_TYPE_NAME, w->types[rnd(g, w->ntypes)]);
			break;
		case VGPU_CMD_MDEV_GET:
			if (w->nmdevs)
				put_str(m, VGPU_A_MDEV_UUID, w->mdevs[rnd(g, w->nmdevs)]);
			break;
		case VGPU_CMD_DEV_GET:
		case VGPU_CMD_RESOURCE_GET:
			put_str(m, VGPU_A_DEV_HANDLE, dev);
			break;
		}
		if (r->cmd != VGPU_CMD_VERSION_GET)
			note(m, dev, strlen(dev));
		return;
	}
	switch (rnd(g, 5)) {
	case 0:
		r->cmd = VGPU_CMD_DEV_SET;
		put_str(m, VGPU_A_DEV_HANDLE, w->pf[0] ? w->pf : dev);
		at = nest_start(g, m, VGPU_A_DEV_SRIOV);
		if (g->numvfs_ok && w->totalvfs) {
			put_int(m, VGPU_A_SRIOV_NUMVFS, rnd(g, 4), 2);
			r->changes_numvfs = true;
		} else {
			put_int(m, VGPU_A_SRIOV_AUTOPROBE, rnd(g, 2), 1);
		}
		nest_end(m, at);
		((struct nlattr *)(m->buf + at))->nla_type |= NLA_F_NESTED;
		break;
	case 1:
		r->cmd = VGPU_CMD_VF_SET;
		if (vf)
			put_str(m, VGPU_A_VF_HANDLE, vf);
		put_str(m, VGPU_A_VF_DRIVER_OVERRIDE, chance(g, 60) ? "vfio-pci" : "");
		break;
	case 2:
		r->cmd = VGPU_CMD_VF_SET;
		if (vf)
			put_str(m, VGPU_A_VF_HANDLE, vf);
		at = nest_start(g, m, VGPU_A_VF_QUOTA);
		put_int(m, VGPU_A_QUOTA_EXEC_QUANTUM_MS, rnd(g, 50), 4);
		if (chance(g, 50))
			put_int(m, VGPU_A_QUOTA_PREEMPT_TIMEOUT_US, rnd(g, 100000), 4);
		nest_end(m, at);
		((struct nlattr *)(m->buf + at))->nla_type |= NLA_F_NESTED;
		break;
	case 3:
		r->cmd = VGPU_CMD_MDEV_ADD;
		put_str(m, VGPU_A_DEV_HANDLE, w->pf[0] ? w->pf : dev);
		if (w->ntypes)
			put_str(m, VGPU_A_TYPE_NAME, w->types[rnd(g, w->ntypes)]);
		if (chance(g, 50)) {
			snprintf(u, sizeof(u), "%08x-%04x-4%03x-8%03x-%04x%08x",
				 fuzz_rand(g), rnd(g, 65536), rnd(g, 4096),
				 rnd(g, 4096), rnd(g, 65536), fuzz_rand(g));
			put_str(m, VGPU_A_MDEV_UUID, u);
			r->has_uuid = true;
		}
		break;
	default:
		r->cmd = VGPU_CMD_MDEV_DEL;
		if (w->nmdevs)
			put_str(m, VGPU_A_MDEV_UUID, w->mdevs[rnd(g, w->nmdevs)]);
		r->has_uuid = true;
		if (chance(g, 20))
			attr(m, VGPU_A_FORCE, NULL, 0);
	}
}

static uint8_t pick_cmd(struct fuzz_gen *g)
{
	unsigned int r = rnd(g, 100);

	if (r < 88)
		return 1 + rnd(g, VGPU_CMD_MAX);
	if (r < 94)
		return rnd(g, 2) ? VGPU_CMD_EVENT : VGPU_CMD_UNSPEC;
	return rnd(g, 256);
}

size_t fuzz_gen_request(struct fuzz_gen *g, uint16_t family,
			unsigned char *buf, struct fuzz_req *req)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *gh = (struct genlmsghdr *)(buf + NLMSG_HDRLEN);
	struct msg m = { .buf = buf, .req = req };
	uint16_t types[8];
	size_t body;
	int i, n;

	memset(req, 0, offsetof(struct fuzz_req, blob));
	req->bloblen = 0;
	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	body = m.len;
	req->flags = NLM_F_REQUEST | NLM_F_ACK;

	if (g->mode == FUZZ_MODE_CROSSTALK) {
		crosstalk(g, &m, g->unpriv);
	} else if (g->mode == FUZZ_MODE_VALID) {
		valid(g, &m);
	} else {
		req->cmd = pick_cmd(g);
		req->flags = NLM_F_REQUEST;
		if (chance(g, 70))
			req->flags |= NLM_F_ACK;
		if (chance(g, fuzz_cmd_has_dump(req->cmd) ? 35 : 5))
			req->flags |= NLM_F_DUMP;
		if (chance(g, 5))
			req->flags |= 1 << (3 + rnd(g, 9));	/* ECHO .. APPEND */
		if (chance(g, 2))
			req->flags &= ~NLM_F_REQUEST;
		if (chance(g, 75)) {
			n = policy_attrs(req->cmd, types);
			for (i = 0; i < n; i++)
				if (chance(g, 85))
					any_attr(g, &m, types[i]);
		} else {
			n = rnd(g, 6);
			for (i = 0; i < n; i++)
				any_attr(g, &m, rnd(g, VGPU_A_MAX + 1));
		}
		if (chance(g, 10) && m.len > body) {	/* a duplicate */
			struct nlattr *a = (struct nlattr *)(buf + body);

			if (room(&m, a->nla_len)) {
				memmove(buf + m.len, a, NLA_ALIGN(a->nla_len));
				m.len += NLA_ALIGN(a->nla_len);
			}
		}
		if (chance(g, 6))
			any_attr(g, &m, VGPU_A_MAX + 1 + rnd(g, 20));
		if (chance(g, 4))
			any_attr(g, &m, VGPU_A_UNSPEC);
		if (chance(g, 5))
			any_attr(g, &m, 1 + rnd(g, VGPU_A_MAX));
		if (chance(g, 6))
			malform(g, &m, body);
	}

	find_filter(g->w, req, buf + body, m.len - body);
	req->admin = fuzz_cmd_admin(req->cmd);
	req->dump = (req->flags & NLM_F_DUMP) == NLM_F_DUMP;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = req->flags;
	nlh->nlmsg_len = m.len;
	gh->cmd = req->cmd;
	gh->version = chance(g, 95) ? VGPU_GENL_VERSION : rnd(g, 256);
	if (chance(g, 3))
		gh->reserved = fuzz_rand(g);
	req->len_ok = true;
	req->hdr_ok = true;
	if (g->mode == FUZZ_MODE_FUZZ && chance(g, 2)) {
		/* The header lies about the length. */
		if (chance(g, 50)) {
			nlh->nlmsg_len = m.len + 4 + rnd(g, 256);
		} else {
			nlh->nlmsg_len = rnd(g, m.len);
			req->hdr_ok = nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN;
		}
		req->len_ok = false;
	}
	/* Without an ack asked, success answers nothing: sync after it. */
	req->sync = !req->len_ok || !(req->flags & NLM_F_REQUEST) ||
		    (!(req->flags & NLM_F_ACK) && !req->dump);
	if (!req->changes_numvfs || req->cmd != VGPU_CMD_DEV_SET)
		req->changes_numvfs = false;
	return m.len;
}
