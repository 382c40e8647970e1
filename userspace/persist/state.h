/* SPDX-License-Identifier: GPL-2.0 */
/*
 * state.h - the system's current devices, VFs and mdevs as plain structs,
 * read in one go for apply, save and reset, which compare and walk them
 * rather than print them
 */
#ifndef VGPU_NL_STATE_H
#define VGPU_NL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/quota.h"
#include "kernel/nl.h"
#include "persist/config.h"

#define STATE_NAME_MAX	64	/* driver names */

struct st_dev {
	char handle[VGPU_HANDLE_MAX];
	bool sriov;			/* an SR-IOV PF: the three below */
	uint16_t totalvfs, numvfs;
	bool autoprobe;
	int prov_mode;			/* VGPU_PROV_MODE_*; 0: no modes */
	bool mdev_parent;
};

struct st_vf {
	char handle[VGPU_HANDLE_MAX];
	char pf[VGPU_HANDLE_MAX];
	int index;
	char driver[STATE_NAME_MAX];	/* "" when none is bound */
	char override[STATE_NAME_MAX];	/* "" when none */
	bool has_group;
	uint32_t group;
	struct vf_quota quota;		/* what VF_GET reported */
};

struct st_mdev {
	char uuid[VGPU_UUID_LEN + 1];
	char parent[VGPU_HANDLE_MAX];
	char type[CONFIG_TYPE_MAX];
	bool has_group;
	uint32_t group;
	/* owned: made by vgpu-nl, as the kernel or the tool's record says
	 * (mdevown.h); kernel_owned: as the kernel says. */
	bool owned, kernel_owned, removing;
};

struct state {
	struct st_dev *devs;
	size_t ndevs;
	struct st_vf *vfs;
	size_t nvfs;
	struct st_mdev *mdevs;
	size_t nmdevs;
};

/* What to read. */
#define STATE_DEVS	0x1
#define STATE_VFS	0x2
#define STATE_MDEVS	0x4
#define STATE_ALL	(STATE_DEVS | STATE_VFS | STATE_MDEVS)

/*
 * Reads @what, of every device (dumps; callers pick what they need), into
 * @s; what @s held before is freed (a re-read). 0 or -errno (in nl->err).
 */
int state_read(struct vgpu_nl *nl, unsigned int what, struct state *s);
/* A copy of @from in @to (state_free() it); 0 or -ENOMEM. */
int state_copy(struct state *to, const struct state *from);
void state_free(struct state *s);

const struct st_dev *state_dev(const struct state *s, const char *handle);
const struct st_vf *state_vf(const struct state *s, const char *handle);
const struct st_vf *state_vf_at(const struct state *s, const char *pf,
				int index);
const struct st_mdev *state_mdev(const struct state *s, const char *uuid);

/* The VFIO driver @sv is on or is held for (its override), or NULL. */
const char *state_vf_vfio(const struct st_vf *sv);

/*
 * A "vf PF/INDEX" line of @c for @sv: its VFIO driver, or @other when it
 * has none; its quotas if @quota. NULL when memory ran out.
 */
struct cfg_vf *state_vf_line(struct config *c, const struct st_vf *sv,
			     enum cfg_driver other, bool quota);

#endif
