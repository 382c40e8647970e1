/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dev.h - devices: the printers "dev show" and "monitor" share, and DEV_SET
 *
 * The printers take parsed attribute tables (vgpu_nl_parse()), so the unit
 * tests can feed them messages built by hand, without a kernel.
 */
#ifndef VGPU_NL_DEV_H
#define VGPU_NL_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/attr.h>

#include "cli/quota.h"
#include "kernel/nl.h"

/* One device (a VGPU_CMD_DEV_GET reply) as a text block or a JSON object. */
void dev_print(struct nlattr **tb);

/*
 * The "sriov" object of a VGPU_A_DEV_SRIOV nest: @label starts its text
 * ("  sriov" on a line of its own, " sriov" inside an event line).
 */
void dev_print_sriov(const char *label, struct nlattr *nest);

/* What "dev set" changes; has_* say which settings were given. */
struct dev_settings {
	bool has_numvfs;
	uint16_t numvfs;
	bool has_autoprobe;
	bool autoprobe;
	int prov_mode;		/* VGPU_PROV_MODE_*, 0: leave it */
	bool has_profile;
	struct vf_quota profile;	/* the driver's bulk profile */
	bool force;		/* VGPU_A_FORCE: even though a VF is in use */
};

/*
 * Sends DEV_SET: the given settings (numvfs and autoprobe in the
 * VGPU_A_DEV_SRIOV nest), and VGPU_A_FORCE if @set->force. Checks
 * nothing; 0 or -errno (in nl->err). A provisioning mode's reply goes to
 * @rep unless it is NULL.
 */
int dev_set_request(struct vgpu_nl *nl, const char *handle,
		    const struct dev_settings *set);
int dev_set_request_rep(struct vgpu_nl *nl, const char *handle,
			const struct dev_settings *set,
			struct vgpu_nl_replies *rep);

/* How many VFs a DEV_SET reply says it disabled and enabled again. */
unsigned int dev_set_cycled(const struct vgpu_nl_replies *rep);

/* A PF's provisioning mode from its DEV_GET reply: VGPU_PROV_MODE_*, 0. */
int dev_prov_mode(struct vgpu_nl *nl, const char *handle);

#endif
