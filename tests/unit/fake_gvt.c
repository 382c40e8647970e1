// SPDX-License-Identifier: GPL-2.0
/*
 * fake_gvt.c - see fake_gvt.h
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "fake_gvt.h"
#include "fake_host.h"
#include "unit.h"

struct gvt g;

/* i915's four types (drivers/gpu/drm/i915/gvt/vgpu.c), 4 fences each. */
static const struct {
	const char *name;
	unsigned int low, high, weight, available;
	const char *resolution;
} gvt_types[] = {
	{ "i915-GVTg_V5_1", 512, 2048, 16, 1, "1920x1200" },
	{ "i915-GVTg_V5_2", 256, 1024, 8, 1, "1920x1200" },
	{ GVT_TYPE_4, 128, 512, 4, 3, "1920x1200" },
	{ "i915-GVTg_V5_8", 64, 384, 2, 7, "1024x768" },
};

/* Strings of the mdev MDEV_ADD made, which MDEV_DEL may take back. */
static char added_uuid[VGPU_UUID_LEN + 1], added_type[64];

static int cmd_of(const struct nlmsghdr *req)
{
	return ((const struct genlmsghdr *)nlmsg_data(req))->cmd;
}

static void parse(const struct nlmsghdr *req, struct nlattr **tb)
{
	if (genlmsg_parse((struct nlmsghdr *)req, 0, tb, VGPU_A_MAX, NULL) < 0)
		unit_fail(__FILE__, __LINE__, "request does not parse");
}

const char *gvt_str(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_data(tb[attr]) : "(absent)";
}

static void keep(const struct nlmsghdr *req)
{
	if (g.nsent == GVT_MAX_SENT)
		abort();
	g.sent[g.nsent] = malloc(req->nlmsg_len);
	if (!g.sent[g.nsent])
		abort();
	g.subscribed_at[g.nsent] = fk_subscribed();
	memcpy(g.sent[g.nsent++], req, req->nlmsg_len);
}

static void forget(void)
{
	while (g.nsent)
		free(g.sent[--g.nsent]);
}

int gvt_req(int i, struct nlattr **tb)
{
	if (i >= g.nsent) {
		memset(tb, 0, (VGPU_A_MAX + 1) * sizeof(*tb));
		return -1;
	}
	parse(g.sent[i], tb);
	return cmd_of(g.sent[i]);
}

bool gvt_req_dump(int i)
{
	return i < g.nsent && (g.sent[i]->nlmsg_flags & NLM_F_DUMP);
}

void gvt_only(struct nlattr **tb, const int *attrs, const char *file,
	      int line)
{
	int i, j;

	for (i = 1; i <= VGPU_A_MAX; i++) {
		if (!tb[i])
			continue;
		for (j = 0; attrs[j] && attrs[j] != i; j++)
			;
		if (!attrs[j])
			unit_fail(file, line, "attribute %d sent", i);
	}
}

static struct nl_msg *type_msg(const struct nlmsghdr *req, int i)
{
	struct nl_msg *m = fk_reply(req, NLM_F_MULTI);
	char desc[256];

	nla_put_string(m, VGPU_A_DEV_HANDLE, GVT_PARENT);
	nla_put_string(m, VGPU_A_TYPE_NAME, gvt_types[i].name);
	nla_put_string(m, VGPU_A_TYPE_PRETTY_NAME, gvt_types[i].name + 5);
	nla_put_string(m, VGPU_A_TYPE_DEVICE_API, "vfio-pci");
	nla_put_u32(m, VGPU_A_TYPE_AVAILABLE, gvt_types[i].available);
	snprintf(desc, sizeof(desc),
		 "low_gm_size: %uMB\nhigh_gm_size: %uMB\nfence: 4\nresolution: %s\nweight: %u\n",
		 gvt_types[i].low, gvt_types[i].high, gvt_types[i].resolution,
		 gvt_types[i].weight);
	nla_put_string(m, VGPU_A_TYPE_DESCRIPTION, desc);
	nla_put_u32(m, VGPU_A_TYPE_LOW_GM_MB, gvt_types[i].low);
	nla_put_u32(m, VGPU_A_TYPE_HIGH_GM_MB, gvt_types[i].high);
	nla_put_u32(m, VGPU_A_TYPE_FENCE, 4);
	nla_put_string(m, VGPU_A_TYPE_RESOLUTION, gvt_types[i].resolution);
	nla_put_u32(m, VGPU_A_TYPE_WEIGHT, gvt_types[i].weight);
	return m;
}

/* Another driver's type: no pretty name, no GVT-g fields. */
static struct nl_msg *extra_type_msg(const struct nlmsghdr *req)
{
	struct nl_msg *m = fk_reply(req, NLM_F_MULTI);

	nla_put_string(m, VGPU_A_DEV_HANDLE, GVT_PARENT);
	nla_put_string(m, VGPU_A_TYPE_NAME, g.extra_type);
	nla_put_string(m, VGPU_A_TYPE_DEVICE_API, "vfio-pci");
	nla_put_u32(m, VGPU_A_TYPE_AVAILABLE, 0);
	nla_put_string(m, VGPU_A_TYPE_DESCRIPTION, "a test type\nsecond line\n");
	return m;
}

static void type_get(const struct nlmsghdr *req, struct nlattr **tb)
{
	size_t i;

	if (tb[VGPU_A_DEV_HANDLE] &&
	    strcmp(nla_data(tb[VGPU_A_DEV_HANDLE]), GVT_PARENT)) {
		fk_answer(fk_error(req, -ENODEV, "pci/0000:05:00.0: no such PCI device"),
			  NULL);
		return;
	}
	for (i = 0; !g.no_types && i < sizeof(gvt_types) / sizeof(gvt_types[0]); i++)
		fk_answer(type_msg(req, i), NULL);
	if (g.extra_type && !g.no_types)
		fk_answer(extra_type_msg(req), NULL);
	fk_answer(fk_done(req, 0, NULL), NULL);
}

static struct nl_msg *mdev_msg(const struct nlmsghdr *req, int flags,
			       const struct gvt_mdev *d)
{
	struct nl_msg *m = fk_reply(req, flags);

	nla_put_string(m, VGPU_A_MDEV_UUID, d->uuid);
	nla_put_string(m, VGPU_A_MDEV_PARENT, GVT_PARENT);
	nla_put_string(m, VGPU_A_MDEV_TYPE, d->type ? d->type : GVT_TYPE_4);
	if (d->driver)
		nla_put_string(m, VGPU_A_MDEV_DRIVER, d->driver);
	if (d->group >= 0)
		nla_put_u32(m, VGPU_A_MDEV_IOMMU_GROUP, d->group);
	nla_put_u8(m, VGPU_A_MDEV_OWNED, d->owned);
	if (d->removing)
		nla_put_u8(m, VGPU_A_MDEV_REMOVING, 1);
	/* The kernel asks after holders for a do only. */
	if (d->in_use != GVT_IN_USE_ABSENT && !(flags & NLM_F_MULTI))
		nla_put_u8(m, VGPU_A_MDEV_IN_USE, d->in_use == GVT_IN_USE_YES);
	return m;
}

static struct gvt_mdev *find(struct nlattr **tb)
{
	int i;

	for (i = 0; tb[VGPU_A_MDEV_UUID] && i < g.nmdevs; i++)
		if (!strcmp(g.mdevs[i].uuid, nla_data(tb[VGPU_A_MDEV_UUID])))
			return &g.mdevs[i];
	return NULL;
}

static void no_such_mdev(const struct nlmsghdr *req, struct nlattr **tb)
{
	char text[80];

	snprintf(text, sizeof(text), "no mdev %s", gvt_str(tb, VGPU_A_MDEV_UUID));
	fk_answer(fk_error(req, -ENODEV, text), NULL);
}

static void gone(struct gvt_mdev *d)
{
	*d = g.mdevs[--g.nmdevs];
}

/* Many made-up mdevs, 64 to a datagram as a kernel packs its skbs. */
static void big_dump(const struct nlmsghdr *req)
{
	struct nl_msg *batch[64];
	struct gvt_mdev d = { .owned = true };
	char uuid[VGPU_UUID_LEN + 1];
	int i, n = 0;

	for (i = 0; i < g.ndump; i++) {
		snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-%012x", i, i);
		d.uuid = uuid;
		d.group = 100 + i;
		batch[n++] = mdev_msg(req, NLM_F_MULTI, &d);
		if (n == 64) {
			fk_answerv(batch, n);
			n = 0;
		}
	}
	batch[n++] = fk_done(req, 0, NULL);
	fk_answerv(batch, n);
}

static struct nl_msg *del_event(const struct gvt_mdev *d);

static void mdev_get(const struct nlmsghdr *req, struct nlattr **tb)
{
	struct gvt_mdev *d;
	int i;

	if (req->nlmsg_flags & NLM_F_DUMP) {
		if (g.ndump) {
			big_dump(req);
			return;
		}
		for (i = 0; i < g.nmdevs; i++)
			if (!tb[VGPU_A_DEV_HANDLE] ||
			    !strcmp(nla_data(tb[VGPU_A_DEV_HANDLE]), GVT_PARENT))
				fk_answer(mdev_msg(req, NLM_F_MULTI, &g.mdevs[i]), NULL);
		fk_answer(fk_done(req, 0, NULL), NULL);
		return;
	}
	d = find(tb);
	if (!d) {
		no_such_mdev(req, tb);
		return;
	}
	fk_answer(mdev_msg(req, 0, d), NULL);
	fk_answer(fk_ack(req), NULL);
	/* A queued removal completes right after the tool has looked. */
	if (!d->removing)
		return;
	if (g.del == GVT_DEL_QUEUE) {
		fk_event(del_event(d));
		gone(d);
	} else if (g.del == GVT_DEL_QUEUE_LOST) {
		fk_overflow();
		gone(d);
	}
}

static void mdev_add(const struct nlmsghdr *req, struct nlattr **tb)
{
	struct gvt_mdev *d;

	if (g.add_error) {
		fk_answer(fk_error(req, g.add_error, g.add_text), NULL);
		return;
	}
	snprintf(added_uuid, sizeof(added_uuid), "%s",
		 tb[VGPU_A_MDEV_UUID] ? (char *)nla_data(tb[VGPU_A_MDEV_UUID]) :
		 GVT_RANDOM_UUID);
	snprintf(added_type, sizeof(added_type), "%s",
		 gvt_str(tb, VGPU_A_TYPE_NAME));
	if (g.nmdevs == GVT_MAX_MDEVS)
		abort();
	d = &g.mdevs[g.nmdevs++];
	memset(d, 0, sizeof(*d));
	d->uuid = added_uuid;
	d->type = added_type;
	d->group = 20;
	d->owned = true;
	d->in_use = GVT_IN_USE_NO;	/* made by today's module */
	fk_answer(mdev_msg(req, 0, d), NULL);
	fk_answer(fk_ack(req), NULL);
	if (g.signal_on_add)
		raise(g.signal_on_add);	/* pending: the tool holds it back */
}

static struct nl_msg *del_event(const struct gvt_mdev *d)
{
	struct nl_msg *m = fake_msg(VGPU_CMD_EVENT);

	nla_put_u8(m, VGPU_A_EVENT, VGPU_EVENT_MDEV_DEL);
	nla_put_string(m, VGPU_A_DEV_HANDLE, GVT_PARENT);
	nla_put_string(m, VGPU_A_MDEV_UUID, d->uuid);
	nla_put_string(m, VGPU_A_MDEV_PARENT, GVT_PARENT);
	nla_put_string(m, VGPU_A_MDEV_TYPE, d->type ? d->type : GVT_TYPE_4);
	return m;
}

static void mdev_del(const struct nlmsghdr *req, struct nlattr **tb)
{
	struct gvt_mdev *d = find(tb);
	char text[96];

	if (!d) {
		no_such_mdev(req, tb);
		return;
	}
	/* VGPU_A_MDEV_IF_UNUSED: unknown to an older module (API 6). */
	if (tb[VGPU_A_MDEV_IF_UNUSED] && d->in_use == GVT_IN_USE_ABSENT) {
		fk_answer(fk_error_at(req, -EINVAL, "Unknown attribute type",
				      tb[VGPU_A_MDEV_IF_UNUSED]), NULL);
		return;
	}
	if (tb[VGPU_A_MDEV_IF_UNUSED] && d->in_use == GVT_IN_USE_YES) {
		snprintf(text, sizeof(text),
			 "mdev %s is in use (its VFIO files are open)", d->uuid);
		fk_answer(fk_error_at(req, -EBUSY, text,
				      tb[VGPU_A_MDEV_IF_UNUSED]), NULL);
		return;
	}
	if (!d->owned && !tb[VGPU_A_FORCE] && g.del == GVT_DEL_ACK) {
		snprintf(text, sizeof(text),
			 "mdev %s not created by vgpu-nl; use force", d->uuid);
		fk_answer(fk_error(req, -EPERM, text), NULL);
		return;
	}
	switch (g.del) {
	case GVT_DEL_ACK:
		gone(d);
		fk_answer(fk_ack(req), NULL);
		if (g.signal_on_del)
			raise(g.signal_on_del);	/* pending: held back */
		break;
	case GVT_DEL_REFUSE:
		fk_answer(fk_error(req, g.del_error, g.del_text), NULL);
		break;
	default:
		d->removing = true;
		snprintf(text, sizeof(text),
			 "mdev %s is open; removal completes when it is closed",
			 d->uuid);
		fk_answer(fk_error(req, -EBUSY, text), NULL);
		/* Before the tool listens: its mdev-del reaches nobody. */
		if (g.del == GVT_DEL_QUEUE_GONE)
			gone(d);
		if (g.signal_on_del)
			raise(g.signal_on_del);	/* pending: taken in the wait */
	}
}

static void script(const struct nlmsghdr *req, int n, void *arg)
{
	struct nlattr *tb[VGPU_A_MAX + 1];

	(void)n;
	(void)arg;
	keep(req);
	parse(req, tb);
	switch (cmd_of(req)) {
	case VGPU_CMD_TYPE_GET:
		type_get(req, tb);
		break;
	case VGPU_CMD_MDEV_GET:
		mdev_get(req, tb);
		break;
	case VGPU_CMD_MDEV_ADD:
		mdev_add(req, tb);
		break;
	case VGPU_CMD_MDEV_DEL:
		mdev_del(req, tb);
		break;
	default:
		fk_answer(fk_error(req, -EOPNOTSUPP, "unexpected command"), NULL);
	}
}

void gvt_start(const struct gvt_mdev *m, int n)
{
	forget();
	memset(&g, 0, sizeof(g));
	if (n > GVT_MAX_MDEVS)
		abort();
	if (n)
		memcpy(g.mdevs, m, n * sizeof(*m));
	g.nmdevs = n;
	fh_setup();
	fk_start(script, NULL);
}

int gvt_stop(void)
{
	int n = fk_stop();

	fh_teardown();
	return n;
}

/* The last case's requests stay for its checks; freed at exit. */
__attribute__((destructor)) static void gvt_exit(void)
{
	forget();
}
