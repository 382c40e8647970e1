// SPDX-License-Identifier: GPL-2.0
/*
 * test_ack.c - the extended-ack reader on hand-built NLMSG_ERROR and
 * NLMSG_DONE messages, then once against the host kernel's nlctrl
 */
#include <errno.h>
#include <linux/genetlink.h>

#include "fake.h"
#include "kernel/nl.h"
#include "unit.h"

/*
 * An NLMSG_ERROR as the kernel builds it (netlink_ack()): the nlmsgerr,
 * then, unless capped, the request's payload padded to 4 bytes, then the
 * TLVs, which the caller adds with nla_put_*().
 */
static struct nl_msg *fake_error(int error, int flags, struct nl_msg *req)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	nlh = nlmsg_put(msg, 0, 1, NLMSG_ERROR, sizeof(*e), flags);
	e = nlmsg_data(nlh);
	e->error = error;
	e->msg = *nlmsg_hdr(req);
	if (!(flags & NLM_F_CAPPED))
		nlmsg_append(msg, nlmsg_data(nlmsg_hdr(req)),
			     nlmsg_datalen(nlmsg_hdr(req)), NLMSG_ALIGNTO);
	return msg;
}

static struct nl_msg *fake_request(void)
{
	struct nl_msg *req = fake_msg(VGPU_CMD_DEV_SET);

	nla_put_string(req, VGPU_A_DEV_HANDLE, "pci/0000:01:00.0");
	nla_put_u8(req, VGPU_A_EVENT, 9);
	return req;
}

TEST(ack_capped_with_message_and_offset)
{
	struct nl_msg *req = fake_request();
	struct nl_msg *msg = fake_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, req);
	struct vgpu_nl_ack ack;

	nla_put_string(msg, NLMSGERR_ATTR_MSG, "attribute not allowed here");
	nla_put_u32(msg, NLMSGERR_ATTR_OFFS, 40);
	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &ack), 0);
	CHECK_INT(ack.error, -EINVAL);
	CHECK_STR(ack.msg, "attribute not allowed here");
	CHECK(ack.has_offs);
	CHECK_INT(ack.offs, 40);
	CHECK(!ack.has_miss_type);
	nlmsg_free(msg);
	nlmsg_free(req);
}

/* Uncapped, the echoed request sits between the nlmsgerr and the TLVs. */
TEST(ack_uncapped_skips_the_echoed_request)
{
	struct nl_msg *req = fake_request();
	struct nl_msg *msg = fake_error(-ERANGE, NLM_F_ACK_TLVS, req);
	struct vgpu_nl_ack ack;

	nla_put_string(msg, NLMSGERR_ATTR_MSG, "value out of range");
	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &ack), 0);
	CHECK_INT(ack.error, -ERANGE);
	CHECK_STR(ack.msg, "value out of range");
	nlmsg_free(msg);
	nlmsg_free(req);
}

/* A request whose length is not a multiple of 4: the echo is padded. */
TEST(ack_uncapped_unaligned_request)
{
	struct nl_msg *req = fake_msg(VGPU_CMD_DEV_GET);
	struct nl_msg *msg;
	struct vgpu_nl_ack ack;
	char one = 'x';

	nlmsg_append(req, &one, 1, 0);	/* payload 4 + 1 bytes, unpadded */
	CHECK_INT(nlmsg_hdr(req)->nlmsg_len % 4, 1);
	msg = fake_error(-EINVAL, NLM_F_ACK_TLVS, req);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "trailing garbage");
	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &ack), 0);
	CHECK_STR(ack.msg, "trailing garbage");
	nlmsg_free(msg);
	nlmsg_free(req);
}

TEST(ack_missing_attribute)
{
	struct nl_msg *req = fake_request();
	struct nl_msg *msg = fake_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, req);
	struct vgpu_nl_ack ack;

	nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE, VGPU_A_DEV_HANDLE);
	nla_put_u32(msg, NLMSGERR_ATTR_MISS_NEST, 20);
	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &ack), 0);
	CHECK_STR(ack.msg, "");
	CHECK(ack.has_miss_type);
	CHECK_INT(ack.miss_type, VGPU_A_DEV_HANDLE);
	CHECK(ack.has_miss_nest);
	CHECK_INT(ack.miss_nest, 20);
	CHECK(!ack.has_offs);
	nlmsg_free(msg);
	nlmsg_free(req);
}

/* No TLV flag: only the errno, and "Error:" falls back to strerror. */
TEST(ack_without_tlvs_falls_back_to_strerror)
{
	struct nl_msg *req = fake_request();
	struct nl_msg *msg = fake_error(-EPERM, 0, req);
	struct vgpu_nl nl = { 0 };

	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &nl.err), 0);
	CHECK_INT(nl.err.error, -EPERM);
	CHECK_STR(nl.err.msg, "");
	/* GENL_ADMIN_PERM's refusal has no text: the tool says what it means. */
	CHECK_STR(vgpu_nl_strerror(&nl), "Operation not permitted: changes need root (CAP_NET_ADMIN)");
	nlmsg_free(msg);
	msg = fake_error(-ENODEV, 0, req);
	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &nl.err), 0);
	CHECK_STR(vgpu_nl_strerror(&nl), "No such device");
	nlmsg_free(msg);
	nlmsg_free(req);
}

TEST(ack_text_preferred_over_strerror)
{
	struct vgpu_nl nl = { 0 };

	vgpu_nl_error(&nl, -EBUSY, "VFs are enabled; set numvfs 0 first");
	CHECK_STR(vgpu_nl_strerror(&nl), "VFs are enabled; set numvfs 0 first");
	vgpu_nl_error(&nl, -EBUSY, NULL);
	CHECK_STR(vgpu_nl_strerror(&nl), "Device or resource busy");
}

/* A dump that fails half-way reports it in NLMSG_DONE, TLVs after the int. */
TEST(ack_done_with_error_and_message)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *nlh;
	struct vgpu_nl_ack ack;

	nlh = nlmsg_put(msg, 0, 1, NLMSG_DONE, sizeof(int),
			NLM_F_MULTI | NLM_F_ACK_TLVS);
	*(int *)nlmsg_data(nlh) = -EOPNOTSUPP;
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "device vanished during dump");
	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &ack), 0);
	CHECK_INT(ack.error, -EOPNOTSUPP);
	CHECK_STR(ack.msg, "device vanished during dump");
	nlmsg_free(msg);
}

TEST(ack_done_clean)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *nlh;
	struct vgpu_nl_ack ack;

	nlh = nlmsg_put(msg, 0, 1, NLMSG_DONE, sizeof(int), NLM_F_MULTI);
	*(int *)nlmsg_data(nlh) = 0;
	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &ack), 0);
	CHECK_INT(ack.error, 0);
	CHECK_STR(ack.msg, "");
	nlmsg_free(msg);
}

TEST(ack_malformed_messages_refused)
{
	struct nl_msg *req = fake_request();
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	struct vgpu_nl_ack ack;
	char raw[4] = { 'a', 'b', 'c', 'd' };

	/* The TLV text must be NUL-terminated. */
	msg = fake_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, req);
	nla_put(msg, NLMSGERR_ATTR_MSG, sizeof(raw), raw);
	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &ack), -EBADMSG);
	nlmsg_free(msg);

	/* Shorter than an nlmsgerr. */
	msg = fake_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, req);
	nlh = nlmsg_hdr(msg);
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(int) + 2);
	CHECK_INT(vgpu_nl_parse_ack(nlh, &ack), -EBADMSG);
	nlh->nlmsg_len = NLMSG_HDRLEN;
	CHECK_INT(vgpu_nl_parse_ack(nlh, &ack), -EBADMSG);
	nlmsg_free(msg);

	/* Uncapped, but the echo it claims is longer than the message. */
	msg = fake_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, req);
	nlh = nlmsg_hdr(msg);
	nlh->nlmsg_flags &= ~NLM_F_CAPPED;
	((struct nlmsgerr *)nlmsg_data(nlh))->msg.nlmsg_len = 4096;
	CHECK_INT(vgpu_nl_parse_ack(nlh, &ack), -EBADMSG);
	((struct nlmsgerr *)nlmsg_data(nlh))->msg.nlmsg_len = 3;
	CHECK_INT(vgpu_nl_parse_ack(nlh, &ack), -EBADMSG);
	nlmsg_free(msg);

	/* Neither an error nor a dump's end. */
	msg = fake_msg(VGPU_CMD_DEV_GET);
	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &ack), -EINVAL);
	nlmsg_free(msg);
	nlmsg_free(req);
}

/* A TLV whose length runs past the end is dropped, not read past. */
TEST(ack_truncated_tlv_is_ignored)
{
	struct nl_msg *req = fake_request();
	struct nl_msg *msg = fake_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, req);
	struct nlattr *nla;
	struct vgpu_nl_ack ack;

	nla_put_string(msg, NLMSGERR_ATTR_MSG, "cut short");
	nla = (struct nlattr *)((char *)nlmsg_hdr(msg) +
				NLMSG_LENGTH(sizeof(struct nlmsgerr)));
	nla->nla_len = 200;
	CHECK_INT(vgpu_nl_parse_ack(nlmsg_hdr(msg), &ack), 0);
	CHECK_INT(ack.error, -EINVAL);
	CHECK_STR(ack.msg, "");
	nlmsg_free(msg);
	nlmsg_free(req);
}

/*
 * The whole path against a real kernel: nlctrl's GETPOLICY is strictly
 * validated, so an unknown attribute comes back with text and an offset.
 */
TEST(ack_from_host_kernel)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;
	struct nl_msg *req;
	int ret;

	if (vgpu_nl_connect(&nl) < 0) {
		unit_skip("no generic netlink socket on this host");
		return;
	}
	nl.family = GENL_ID_CTRL;

	req = vgpu_nl_request(&nl, CTRL_CMD_GETPOLICY, NLM_F_DUMP);
	CHECK(req);
	nla_put_u32(req, 200, 1);
	ret = vgpu_nl_do(&nl, req, NULL);
	if (ret == -EOPNOTSUPP) {	/* kernels before 5.7 */
		unit_skip("nlctrl has no GETPOLICY here");
		goto out;
	}
	CHECK_INT(ret, -EINVAL);
	CHECK(nl.err.msg[0]);
	CHECK(nl.err.has_offs);
	CHECK_INT(nl.err.offs, NLMSG_HDRLEN + GENL_HDRLEN);

	/* No text from the kernel, only ENOENT (names are at most 15 chars). */
	req = vgpu_nl_request(&nl, CTRL_CMD_GETFAMILY, 0);
	nla_put_string(req, CTRL_ATTR_FAMILY_NAME, "vgpunl-nofam");
	CHECK_INT(vgpu_nl_do(&nl, req, NULL), -ENOENT);

	/*
	 * A real multi-part dump read to its end: whether nlctrl's replies
	 * pass our policy is chance, but the socket must stay in step.
	 */
	ret = vgpu_nl_dump(&nl, CTRL_CMD_GETFAMILY, &rep);
	CHECK(ret == 0 || ret == -EBADMSG);
	CHECK(ret < 0 || rep.n > 0);
	vgpu_nl_replies_free(&rep);
	req = vgpu_nl_request(&nl, CTRL_CMD_GETFAMILY, 0);
	nla_put_string(req, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	CHECK_INT(vgpu_nl_do(&nl, req, &rep), 0);
	CHECK_INT(rep.n, 1);
	vgpu_nl_replies_free(&rep);
out:
	vgpu_nl_close(&nl);
}
