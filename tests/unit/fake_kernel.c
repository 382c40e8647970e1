// SPDX-License-Identifier: GPL-2.0
/*
 * fake_kernel.c - see fake_kernel.h
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include "fake_kernel.h"
#include "unit.h"

/* The monitor group's id in the fake nlctrl's answer. */
#define FK_GROUP	7

/* One datagram on its way to the tool. */
struct dgram {
	struct dgram *next;
	struct nl_sock *to;	/* the socket that will read it */
	bool event;		/* has a wake-up on to's real socket */
	unsigned char *buf;
	int len;
};

/* libnl's overrides take no argument: one fake kernel at a time. */
static struct {
	fk_script script;
	void *arg;
	int requests;
	int subscribed;
	int connects;
	struct nl_sock *from;		/* the request being answered came from */
	struct nl_sock *listener;	/* joined the monitor group */
	struct dgram *head, **tail;	/* in the order they were sent */
} fk;

static void queue(struct nl_sock *to, bool event, unsigned char *buf,
		  int len)
{
	struct dgram *d = calloc(1, sizeof(*d));

	if (!d)
		abort();
	d->to = to;
	d->event = event;
	d->buf = buf;
	d->len = len;
	*fk.tail = d;
	fk.tail = &d->next;
}

/* The first datagram for @sk, taken off the queue; NULL if none. */
static struct dgram *dequeue(struct nl_sock *sk)
{
	struct dgram **p, *d;

	for (p = &fk.head; (d = *p); p = &d->next)
		if (d->to == sk) {
			*p = d->next;
			if (fk.tail == &d->next)
				fk.tail = p;
			return d;
		}
	return NULL;
}

/* @msgs (NULL-terminated, freed) as one datagram. */
static unsigned char *pack(struct nl_msg *msg, va_list ap, int *len)
{
	unsigned char *buf = NULL;
	size_t n;

	*len = 0;
	for (; msg; msg = va_arg(ap, struct nl_msg *)) {
		n = NLMSG_ALIGN(nlmsg_hdr(msg)->nlmsg_len);
		buf = realloc(buf, *len + n);
		if (!buf)
			abort();
		memcpy(buf + *len, nlmsg_hdr(msg), n);
		*len += n;
		nlmsg_free(msg);
	}
	return buf;
}

/*
 * A real, bound NETLINK_USERSOCK socket under @sk: it can join a group
 * and be polled, and wake itself up by a unicast to its own port.
 */
static void give_real_socket(struct nl_sock *sk)
{
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	int fd;

	if (nl_socket_get_fd(sk) >= 0)
		return;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_USERSOCK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0 ||
	    nl_socket_set_fd(sk, -1, fd) < 0) {
		unit_fail(__FILE__, __LINE__, "no netlink socket for the listener: %s",
			  strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/* Makes @sk's real socket readable: one datagram per event queued. */
static void wake(struct nl_sock *sk)
{
	struct nlmsghdr h = { .nlmsg_len = sizeof(h), .nlmsg_type = NLMSG_NOOP };
	struct sockaddr_nl self = { .nl_family = AF_NETLINK };

	self.nl_pid = nl_socket_get_local_port(sk);
	if (sendto(nl_socket_get_fd(sk), &h, sizeof(h), 0,
		   (struct sockaddr *)&self, sizeof(self)) < 0)
		unit_fail(__FILE__, __LINE__, "cannot wake the listener: %s",
			  strerror(errno));
}

/*
 * nlctrl's GETFAMILY, as genl_ctrl_resolve_grp() asks it (a do, or a dump
 * in older libnl): the family with its one group. The asker is taken for
 * the listener. This kernel knows no other family by name (the monitor's
 * wish to hear of nlctrl's family removals goes unanswered, as where
 * nlctrl has no "notify" group).
 */
static void ctrl_answer(const struct nlmsghdr *req)
{
	struct nlattr *grps, *grp, *name;
	struct nl_msg *m;
	bool dump = req->nlmsg_flags & NLM_F_DUMP;

	/* libnl takes no const header; it only reads it. */
	name = nlmsg_find_attr((struct nlmsghdr *)req, GENL_HDRLEN,
			       CTRL_ATTR_FAMILY_NAME);
	if (name && strcmp(nla_get_string(name), VGPU_GENL_NAME)) {
		fk_answer(fk_error(req, -ENOENT, NULL), NULL);
		return;
	}
	m = nlmsg_alloc();

	if (!m || !genlmsg_put(m, req->nlmsg_pid, req->nlmsg_seq, GENL_ID_CTRL,
			       0, dump ? NLM_F_MULTI : 0, CTRL_CMD_NEWFAMILY, 1))
		abort();
	nla_put_u16(m, CTRL_ATTR_FAMILY_ID, FAKE_FAMILY);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, VGPU_GENL_NAME);
	nla_put_u32(m, CTRL_ATTR_VERSION, VGPU_GENL_VERSION);
	grps = nla_nest_start(m, CTRL_ATTR_MCAST_GROUPS);
	grp = nla_nest_start(m, 1);
	nla_put_u32(m, CTRL_ATTR_MCAST_GRP_ID, FK_GROUP);
	nla_put_string(m, CTRL_ATTR_MCAST_GRP_NAME, VGPU_GENL_MCGRP_MONITOR);
	nla_nest_end(m, grp);
	nla_nest_end(m, grps);

	/* Separate datagrams: libnl stops reading one after the reply. */
	fk_answer(m, NULL);
	if (dump)
		fk_answer(fk_done(req, 0, NULL), NULL);
	else if (req->nlmsg_flags & NLM_F_ACK)
		fk_answer(fk_ack(req), NULL);
	give_real_socket(fk.from);
	fk.listener = fk.from;
	fk.subscribed++;
}

/*
 * With VGPU_NL_REQUEST_LOG=FILE in the environment, each request the tool
 * sends to the family is appended to FILE as one JSON line, its
 * attributes in hex: tests/host/contract.py checks them against the YNL
 * spec, so that what the tool really sends is part of the contract check.
 */
static void log_request(const struct nlmsghdr *req)
{
	const char *path = getenv("VGPU_NL_REQUEST_LOG");
	const unsigned char *p = nlmsg_data(req);
	int i, len = nlmsg_datalen(req);
	FILE *f;

	if (!path || len < (int)GENL_HDRLEN)
		return;
	f = fopen(path, "a");
	if (!f)
		abort();
	fprintf(f, "{\"cmd\": %u, \"flags\": %u, \"attrs\": \"",
		((const struct genlmsghdr *)p)->cmd, req->nlmsg_flags);
	for (i = (int)GENL_HDRLEN; i < len; i++)
		fprintf(f, "%02x", p[i]);
	fputs("\"}\n", f);
	if (fclose(f))
		abort();
}

static int fk_send(struct nl_sock *sk, struct nl_msg *msg)
{
	struct nlmsghdr *req = nlmsg_hdr(msg);

	fk.from = sk;
	if (req->nlmsg_type == GENL_ID_CTRL) {
		ctrl_answer(req);
	} else {
		log_request(req);
		fk.script(req, fk.requests++, fk.arg);
	}
	return req->nlmsg_len;
}

static int fk_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
		   unsigned char **buf, struct ucred **creds)
{
	unsigned char wakeup[64];
	struct dgram *d;
	int len;

	(void)creds;
	d = dequeue(sk);
	if (!d) {
		/* The listener is non-blocking: "nothing yet" is no error. */
		if (sk == fk.listener)
			return -NLE_AGAIN;
		unit_fail(__FILE__, __LINE__, "the tool reads, the script said all");
		return -NLE_FAILURE;
	}
	if (d->event)
		recv(nl_socket_get_fd(sk), wakeup, sizeof(wakeup), MSG_DONTWAIT);
	if (!d->buf) {		/* fk_overflow() */
		len = d->len;
		free(d);
		return len;
	}
	nla->nl_family = AF_NETLINK;
	*buf = d->buf;		/* libnl frees it */
	len = d->len;
	free(d);
	return len;
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
	fk.connects++;
	cb = nl_socket_get_cb(nl->sk);
	nl_cb_overwrite_send(cb, fk_send);
	nl_cb_overwrite_recv(cb, fk_recv);
	nl_cb_put(cb);
	return 0;
}

void fk_start(fk_script script, void *arg)
{
	memset(&fk, 0, sizeof(fk));
	fk.tail = &fk.head;
	fk.script = script;
	fk.arg = arg;
	vgpu_nl_open_hook = fk_connect;
}

int fk_stop(void)
{
	struct dgram *d;
	int left = 0;

	vgpu_nl_open_hook = NULL;
	while ((d = fk.head)) {
		fk.head = d->next;
		free(d->buf);
		free(d);
		left++;
	}
	if (left)
		unit_fail(__FILE__, __LINE__, "%d datagrams left unread", left);
	fk.tail = &fk.head;
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
	unsigned char *buf;
	va_list ap;
	int len;

	va_start(ap, msg);
	buf = pack(msg, ap, &len);
	va_end(ap);
	/* The listener polls its real socket: a reply must wake it too. */
	if (fk.from == fk.listener) {
		queue(fk.from, true, buf, len);
		wake(fk.from);
	} else {
		queue(fk.from, false, buf, len);
	}
}

void fk_event(struct nl_msg *msg)
{
	int n = NLMSG_ALIGN(nlmsg_hdr(msg)->nlmsg_len);
	unsigned char *buf;

	if (!fk.listener) {
		unit_fail(__FILE__, __LINE__, "event sent while nobody listens");
		nlmsg_free(msg);
		return;
	}
	buf = malloc(n);
	if (!buf)
		abort();
	memcpy(buf, nlmsg_hdr(msg), n);
	nlmsg_free(msg);
	queue(fk.listener, true, buf, n);
	wake(fk.listener);
}

void fk_overflow(void)
{
	if (!fk.listener) {
		unit_fail(__FILE__, __LINE__, "overflow while nobody listens");
		return;
	}
	/* libnl turns recvmsg()'s ENOBUFS into -NLE_NOMEM. */
	queue(fk.listener, true, NULL, -NLE_NOMEM);
	wake(fk.listener);
}

void fk_answerv(struct nl_msg **msgs, int n)
{
	unsigned char *buf = NULL;
	int i, len = 0, m;

	for (i = 0; i < n; i++) {
		m = NLMSG_ALIGN(nlmsg_hdr(msgs[i])->nlmsg_len);
		buf = realloc(buf, len + m);
		if (!buf)
			abort();
		memcpy(buf + len, nlmsg_hdr(msgs[i]), m);
		len += m;
		nlmsg_free(msgs[i]);
	}
	queue(fk.from, false, buf, len);
}

int fk_subscribed(void)
{
	return fk.subscribed;
}

int fk_connects(void)
{
	return fk.connects;
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

struct nl_msg *fk_error_at(const struct nlmsghdr *req, int error,
			   const char *text, const struct nlattr *bad)
{
	struct nl_msg *msg = fk_error(req, error, text);

	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put_u32(msg, NLMSGERR_ATTR_OFFS,
		    (uint32_t)((const char *)bad - (const char *)req));
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
