/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rollback.h - taking back an "apply" or "reset" that failed part-way
 * (rollback.c), and the converging run of apply it is made of (apply.c)
 */
#ifndef VGPU_NL_ROLLBACK_H
#define VGPU_NL_ROLLBACK_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/nl.h"
#include "persist/config.h"
#include "persist/state.h"

/*
 * One converging run of @cfg over the devices it names (all, or @only),
 * planned and made as "vgpu-nl apply" makes it, each change reported
 * (change.h) in the caller's array. Returns the changes made; *@failed
 * says whether the plan or a step failed (the reason printed).
 */
size_t apply_converge(struct vgpu_nl *nl, const struct config *cfg,
		      const char *only, bool force, bool *failed);

/*
 * Puts back the state @before of every device in it (all, or @only),
 * after a run that failed part-way: removes the mdevs in @made (@nmade,
 * types by their full names) that the run created, then converges back
 * to @before: VF count, autoprobe, provisioning mode, each VF's VFIO
 * driver or none, quotas set by hand, and the mdevs vgpu-nl had made. The
 * changes go to a "rollback" array. Returns 0 when the state is as
 * before, -1 if not (said why).
 */
int rollback(struct vgpu_nl *nl, const struct state *before,
	     const char *only, const struct cfg_mdev *made, size_t nmade,
	     bool force);

#endif
