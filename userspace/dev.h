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

#include <netlink/attr.h>

#include "nl.h"

/* One device (a VGPU_CMD_DEV_GET reply) as a text block or a JSON object. */
void dev_print(struct nlattr **tb);

/*
 * The "sriov" object of a VGPU_A_DEV_SRIOV nest: @label starts its text
 * ("  sriov" on a line of its own, " sriov" inside an event line).
 */
void dev_print_sriov(const char *label, struct nlattr *nest);

/* Sends DEV_SET with VGPU_A_SRIOV_AUTOPROBE; 0 or -errno (in nl->err). */
int dev_set_autoprobe(struct vgpu_nl *nl, const char *handle, bool autoprobe);

#endif
