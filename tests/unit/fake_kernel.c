// SPDX-License-Identifier: GPL-2.0
/*
 * fake_kernel.c - see fake_kernel.h
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "fake_kernel.h"
#include "unit.h"

#define FK_QUEUE	2048	/* datagrams queued at once */

/* libnl's overrides take no argument: one fake kernel at a time. */
static struct {
	fk_script script;
	void *arg;
	int requests;
	unsigned char *dgram[FK_QUEUE];
	int len[FK_QUEUE];
	int head, tail;
} fk;

static int fk_send(struct nl_sock *sk, struct nl_msg *msg)
{
	(void)sk;
	fk.script(nlmsg_hdr(msg), fk.requests++, fk.arg);
	return nlmsg_hdr(msg)->nlmsg_len;
}

static int fk_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
		   unsigned char **buf, struct ucred **creds)
{
	(void)sk;
	(void)creds;
	if (fk.head == fk.tail) {
		unit_fail(__FILE__, __LINE__, "the tool reads, the script said all");
		return -NLE_FAILURE;
	}
	nla->nl_family = AF_NETLINK;
	*buf = fk.dgram[fk.head % FK_QUEUE];
	return fk.len[fk.head++ % FK_QUEUE];
}

/* vgpu_nl_open() while the fake kernel is installed. */
static int fk_connect(struct vgpu_nl *nl)
{
	struct nl_cb *cb;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		abort();
	nl->family = FAKE_FAMILY;
	cb = nl_socket_get_cb(nl->sk);
	nl_cb_overwrite_send(cb, fk_send);
	nl_cb_overwrite_recv(cb, fk_recv);
	nl_cb_put(cb);
	return 0;
}

void fk_start(fk_script script, void *arg)
{
	memset(&fk, 0, sizeof(fk));
	fk.script = script;
	fk.arg = arg;
	vgpu_nl_open_hook = fk_connect;
}

int fk_stop(void)
{
	vgpu_nl_open_hook = NULL;
	if (fk.head != fk.tail)
		unit_fail(__FILE__, __LINE__, "%d datagrams left unread",
			  fk.tail - fk.head);
	while (fk.head != fk.tail)
		free(fk.dgram[fk.head++ % FK_QUEUE]);
	return fk.requests;
}

void fk_open(struct vgpu_nl *nl, fk_script script, void *arg)
{
	fk_start(script, arg);
	vgpu_nl_open_hook = NULL;
	fk_connect(nl);
}

int fk_close(struct vgpu_nl *nl)
{
	vgpu_nl_close(nl);
	return fk_stop();
}

void fk_answer(struct nl_msg *msg, ...)
{
	unsigned char *buf = NULL;
	size_t len = 0, n;
	va_list ap;

	va_start(ap, msg);
	for (; msg; msg = va_arg(ap, struct nl_msg *)) {
		n = NLMSG_ALIGN(nlmsg_hdr(msg)->nlmsg_len);
		buf = realloc(buf, len + n);
		if (!buf)
			abort();
		memcpy(buf + len, nlmsg_hdr(msg), n);
		len += n;
		nlmsg_free(msg);
	}
	va_end(ap);
	if (fk.tail - fk.head == FK_QUEUE)
		abort();
	fk.dgram[fk.tail % FK_QUEUE] = buf;
	fk.len[fk.tail++ % FK_QUEUE] = len;
}

static struct nl_msg *fk_put(const struct nlmsghdr *req, int type,
			     int payload, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !nlmsg_put(msg, req->nlmsg_pid, req->nlmsg_seq, type,
			       payload, flags))
		abort();
	return msg;
}

struct nl_msg *fk_reply(const struct nlmsghdr *req, int flags)
{
	const struct genlmsghdr *g = nlmsg_data(req);
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, req->nlmsg_pid, req->nlmsg_seq,
				 FAKE_FAMILY, 0, flags, g->cmd,
				 VGPU_GENL_VERSION))
		abort();
	return msg;
}

struct nl_msg *fk_dev(const struct nlmsghdr *req, const char *handle)
{
	struct nl_msg *msg = fk_reply(req, NLM_F_MULTI);

	nla_put_string(msg, VGPU_A_DEV_HANDLE, handle);
	return msg;
}

struct nl_msg *fk_vf(const struct nlmsghdr *req, int flags,
		     const char *handle, const char *pf, int index)
{
	struct nl_msg *msg = fk_reply(req, flags);

	nla_put_string(msg, VGPU_A_VF_HANDLE, handle);
	nla_put_string(msg, VGPU_A_VF_PF, pf);
	nla_put_u16(msg, VGPU_A_VF_INDEX, index);
	return msg;
}

struct nl_msg *fk_ack(const struct nlmsghdr *req)
{
	return fk_error(req, 0, NULL);
}

struct nl_msg *fk_error(const struct nlmsghdr *req, int error,
			const char *text)
{
	int flags = NLM_F_CAPPED | (text ? NLM_F_ACK_TLVS : 0);
	struct nl_msg *msg = fk_put(req, NLMSG_ERROR, sizeof(struct nlmsgerr),
				    flags);
	struct nlmsgerr *e = nlmsg_data(nlmsg_hdr(msg));

	e->error = error;
	e->msg = *req;
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	return msg;
}

struct nl_msg *fk_done(const struct nlmsghdr *req, int error,
		       const char *text)
{
	int flags = NLM_F_MULTI | (text ? NLM_F_ACK_TLVS : 0);
	struct nl_msg *msg = fk_put(req, NLMSG_DONE, sizeof(int), flags);

	*(int *)nlmsg_data(nlmsg_hdr(msg)) = error;
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	return msg;
}
