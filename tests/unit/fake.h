/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fake.h - kernel messages built by hand with libnl's nlmsg API
 */
#ifndef VGPU_NL_FAKE_H
#define VGPU_NL_FAKE_H

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "vgpu_nl.h"

/* Any id will do: the family is only compared on a live socket. */
#define FAKE_FAMILY	0x2a

static inline struct nl_msg *fake_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0, cmd,
				 VGPU_GENL_VERSION))
		abort();
	return msg;
}

/* A VGPU_A_DEV_SRIOV nest; a value < 0 leaves that attribute out. */
static inline void fake_sriov(struct nl_msg *msg, int total, int num,
			      int autoprobe)
{
	struct nlattr *nest = nla_nest_start(msg, VGPU_A_DEV_SRIOV);

	if (total >= 0)
		nla_put_u16(msg, VGPU_A_SRIOV_TOTALVFS, total);
	if (num >= 0)
		nla_put_u16(msg, VGPU_A_SRIOV_NUMVFS, num);
	if (autoprobe >= 0)
		nla_put_u8(msg, VGPU_A_SRIOV_AUTOPROBE, autoprobe);
	nla_nest_end(msg, nest);
}

#endif
