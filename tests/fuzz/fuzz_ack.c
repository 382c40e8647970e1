// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ack.c - libFuzzer target: the extended-ack parser
 * (vgpu_nl_parse_ack() in kernel/nl.c), which reads NLMSG_ERROR and
 * NLMSG_DONE messages, echoed request and TLVs, from the kernel
 *
 * The input is one netlink message as libnl hands it over: its nlmsg_len
 * within what was received (nlmsg_ok()); the rest is arbitrary. Besides
 * memory errors: a parsed ack's message is a NUL-terminated string of
 * its buffer, and an error is never positive.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vgpu_nl_ack ack;
	struct nlmsghdr *nlh;

	if (size < sizeof(*nlh))
		return 0;
	/* Exactly @size bytes, aligned as libnl's receive buffer is. */
	nlh = malloc(size);
	if (!nlh)
		return 0;
	memcpy(nlh, data, size);
	if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > size) {
		free(nlh);
		return 0;
	}
	if (!vgpu_nl_parse_ack(nlh, &ack) &&
	    (ack.error > 0 || !memchr(ack.msg, '\0', sizeof(ack.msg))))
		abort();
	free(nlh);
	return 0;
}
