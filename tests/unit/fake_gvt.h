/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fake_gvt.h - a scripted GVT-g host behind the fake kernel, for the
 * "type" and "mdev" commands run whole (run_tool)
 *
 * Topology: the iGPU pci/0000:00:02.0, an mdev parent with the four i915
 * GVT-g types (GVT_TYPE_1 .. GVT_TYPE_8, i915's descriptions), and the
 * mdevs of g.mdevs: each with a UUID, a type, an IOMMU group (/dev/vfio/N)
 * and the kernel's OWNED and REMOVING flags. The script answers TYPE_GET,
 * MDEV_GET (do, dump), MDEV_ADD and MDEV_DEL from that state and keeps a
 * copy of every request, so that a case can check the exact bytes sent.
 */
#ifndef VGPU_NL_FAKE_GVT_H
#define VGPU_NL_FAKE_GVT_H

#include <stdbool.h>

#include "fake_kernel.h"

#define GVT_PARENT	"pci/0000:00:02.0"
#define GVT_PARENT_NAME	"0000:00:02.0"
#define GVT_TYPE_4	"i915-GVTg_V5_4"

/* The UUID the fake kernel makes when MDEV_ADD carries none. */
#define GVT_RANDOM_UUID	"0b9c1f5e-6a3d-4c7b-9e21-5f3a8d4c2e10"

#define GVT_MAX_MDEVS	8
#define GVT_MAX_SENT	16

struct gvt_mdev {
	const char *uuid;
	const char *type;	/* full name; NULL: GVT_TYPE_4 */
	int group;		/* < 0: none */
	const char *driver;	/* NULL: none bound */
	bool owned, removing;
	enum {
		GVT_IN_USE_ABSENT,	/* no VGPU_A_MDEV_IN_USE, and MDEV_DEL
					 * refuses VGPU_A_MDEV_IF_UNUSED as
					 * unknown: an older module */
		GVT_IN_USE_NO,		/* MDEV_GET do says 0; DEL's flag passes */
		GVT_IN_USE_YES,		/* 1; DEL's flag refuses (EBUSY) */
	} in_use;
};

/* What MDEV_DEL does. */
enum gvt_del {
	GVT_DEL_ACK,		/* removed at once */
	GVT_DEL_REFUSE,		/* g.del_error with g.del_text */
	GVT_DEL_QUEUE,		/* EBUSY, REMOVING set; once the tool has
				 * asked after the mdev (MDEV_GET), it goes,
				 * with an mdev-del event */
	GVT_DEL_QUEUE_GONE,	/* EBUSY, and gone before the tool listens:
				 * its mdev-del event reaches nobody */
	GVT_DEL_QUEUE_SILENT,	/* EBUSY, REMOVING set, no event (yet) */
	GVT_DEL_QUEUE_LOST,	/* as GVT_DEL_QUEUE, but the events overflow:
				 * the mdev-del is lost */
};

extern struct gvt {
	struct gvt_mdev mdevs[GVT_MAX_MDEVS];
	int nmdevs;
	int ndump;		/* > 0: MDEV_GET dump sends this many made up */
	const char *extra_type;	/* a fifth type, e.g. "other-GVTg_V5_4" */
	bool no_types;		/* the parent lists none */
	int add_error;		/* MDEV_ADD: 0 = create */
	const char *add_text;
	enum gvt_del del;
	int del_error;
	const char *del_text;
	int signal_on_del;	/* raise() this once a removal is taken */
	int signal_on_add;	/* raise() this once an mdev is made */
	/* What was asked, in order. */
	struct nlmsghdr *sent[GVT_MAX_SENT];
	int nsent;
	int subscribed_at[GVT_MAX_SENT];	/* fk_subscribed() at each */
} g;

/* A case: the fake kernel with @n of the mdevs @m, and an empty fake host. */
void gvt_start(const struct gvt_mdev *m, int n);
/* Ends it; returns how many requests the tool sent. */
int gvt_stop(void);

/* Request @i, parsed (all attributes, no policy) into @tb; its command. */
int gvt_req(int i, struct nlattr **tb);
bool gvt_req_dump(int i);

/* The string value of @attr, "(absent)" without it. */
const char *gvt_str(struct nlattr **tb, int attr);

/* Checks that only @attrs (0-terminated) are present in @tb. */
void gvt_only(struct nlattr **tb, const int *attrs, const char *file,
	      int line);
#define GVT_ONLY(tb, ...) \
	gvt_only(tb, (const int[]){ __VA_ARGS__, 0 }, __FILE__, __LINE__)

#endif
