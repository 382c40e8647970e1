// SPDX-License-Identifier: GPL-2.0
/*
 * listen.c - the family's events: joining the "monitor" group, the event
 * loop, and counting what an overflow cost
 *
 * The kernel drops multicast messages for a listener whose receive queue
 * is full and says so once, with ENOBUFS, on the next recvmsg(). Every
 * event carries the family's sequence number (VGPU_A_EVENT_SEQ, vgpu_nl.h),
 * numbers go out in order, and a number is taken even by an event that
 * could not be sent: so a gap before the next event received is exactly
 * what was lost. A loss at the end of a burst has no next event; for it,
 * once ENOBUFS came and the queue has been read empty, VERSION_GET is
 * asked on the listening socket itself: its reply comes after every event
 * numbered up to the VGPU_A_EVENT_SEQ it carries, so whatever of those did
 * not arrive was lost. The same question at the start gives the number to
 * count from.
 */
#define _GNU_SOURCE	/* ppoll() */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kernel/nl.h"

/* State of one event loop, shared with its callbacks. */
struct listener {
	struct vgpu_nl *nl;
	vgpu_nl_event_fn fn;
	void *arg;
	int error;
	bool counting;		/* losses counted: the module numbers events */
	bool have_last;
	uint32_t last;		/* the number of the last event accounted for */
	bool overflowed;	/* ENOBUFS came; not accounted for yet */
	uint32_t query;		/* nlmsg_seq of the VERSION_GET asked, or 0 */
};

static int libnl_error(struct vgpu_nl *nl, int nlerr, const char *what)
{
	if (nlerr == -NLE_NOMEM)
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	return vgpu_nl_error(nl, -EIO, "%s: %s", what, nl_geterror(nlerr));
}

static void report(struct listener *l, const struct vgpu_nl_loss *loss)
{
	int ret;

	if (l->error)
		return;
	ret = l->fn(NULL, loss, l->arg);
	if (ret < 0)
		l->error = vgpu_nl_error(l->nl, ret, NULL);
}

/* The module gives no numbers after all: a loss can only be reported. */
static void stop_counting(struct listener *l)
{
	static const struct vgpu_nl_loss uncounted;

	/* Uncounted, a loss was reported when ENOBUFS came. */
	if (l->counting && l->overflowed)
		report(l, &uncounted);
	l->counting = false;
	l->query = 0;
	l->overflowed = false;
}

/* rmmod: nlctrl's notice, or the family no longer there when asked. */
static void unloaded(struct listener *l)
{
	l->error = vgpu_nl_error(l->nl, -ENODEV,
				 "the vgpu_nl module was unloaded: no more events (modprobe vgpu_nl, then start monitor again)");
}

/* Every number after the last accounted for, up to @seq, was lost. */
static void lost_until(struct listener *l, uint32_t seq)
{
	struct vgpu_nl_loss loss = { .counted = true };

	if (l->have_last && (int32_t)(seq - l->last) > 0) {
		loss.count = seq - l->last;
		loss.first = l->last + 1;
		report(l, &loss);
	}
	if (!l->have_last || (int32_t)(seq - l->last) > 0)
		l->last = seq;
	l->have_last = true;
}

static void on_event(struct listener *l, struct nlattr **tb)
{
	uint32_t seq;
	int ret;

	if (l->counting && !tb[VGPU_A_EVENT_SEQ])
		stop_counting(l);
	if (l->counting) {
		seq = nla_get_u32(tb[VGPU_A_EVENT_SEQ]);
		lost_until(l, seq - 1);
		l->last = seq;
	}
	if (l->error)
		return;
	ret = l->fn(tb, NULL, l->arg);
	if (ret < 0)
		l->error = vgpu_nl_error(l->nl, ret, NULL);
}

/* VERSION_GET on the listening socket: what the count starts or ends at. */
static int ask_last_seq(struct listener *l)
{
	struct nl_msg *req;
	int ret;

	req = vgpu_nl_request(l->nl, VGPU_CMD_VERSION_GET, 0);
	if (!req)
		return l->nl->err.error;
	ret = nl_send_auto(l->nl->sk, req);
	if (ret >= 0)
		l->query = nlmsg_hdr(req)->nlmsg_seq;
	nlmsg_free(req);
	if (ret < 0)
		return libnl_error(l->nl, ret, "cannot ask for the event count");
	/* 0 is "none asked": a reply to seq 0 would be taken for an event. */
	if (!l->query)
		stop_counting(l);
	return 0;
}

/* Notifications carry sequence number 0; there is nothing to match. */
static int seq_ok(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/* Whether @nlh is nlctrl's notice that our family went away (rmmod). */
static bool family_gone(struct nlmsghdr *nlh, int family)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    genlmsg_hdr(nlh)->cmd != CTRL_CMD_DELFAMILY ||
	    genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		return false;
	return nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]) == family;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct listener *l = arg;
	uint8_t cmd;

	if (family_gone(nlh, l->nl->family)) {
		unloaded(l);
		return NL_STOP;
	}
	if (nlh->nlmsg_type != l->nl->family)
		return NL_SKIP;
	/*
	 * A message that breaks the policy cannot be printed truthfully;
	 * other commands on the group are for newer tools.
	 */
	if (vgpu_nl_parse(msg, tb) < 0)
		return NL_SKIP;
	cmd = genlmsg_hdr(nlh)->cmd;
	if (cmd == VGPU_CMD_EVENT) {
		on_event(l, tb);
	} else if (cmd == VGPU_CMD_VERSION_GET && l->query &&
		   nlh->nlmsg_seq == l->query) {
		l->query = 0;
		if (!l->counting) {
			l->overflowed = false;	/* the family is still there */
		} else if (!tb[VGPU_A_EVENT_SEQ]) {
			stop_counting(l);
		} else {
			lost_until(l, nla_get_u32(tb[VGPU_A_EVENT_SEQ]));
			l->overflowed = false;
		}
	}
	return l->error ? NL_STOP : NL_OK;
}

/* The ack of our question: nothing to do. */
static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/*
 * Our question refused: the family is gone (genetlink's ENOENT for an
 * unknown family id: its DELFAMILY notice was among what an overflow
 * dropped), or an older module: count nothing.
 */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct listener *l = arg;

	(void)nla;
	if (!l->query || e->msg.nlmsg_seq != l->query)
		return NL_SKIP;
	if (e->error == -ENOENT) {
		unloaded(l);
		return NL_STOP;
	}
	stop_counting(l);
	return NL_SKIP;
}

int vgpu_nl_subscribe(struct vgpu_nl *nl)
{
	int grp, ctrl, ret;

	/*
	 * Both groups' ids first, joining neither yet: a member receives
	 * events, and one arriving during genl_ctrl_resolve_grp()'s exchange
	 * fails it (sequence number mismatch). Resolving nlctrl's group after
	 * joining ours lost that membership, and with it the notice of an
	 * unload, whenever an event came in between (the stress test, 6.1).
	 */
	grp = genl_ctrl_resolve_grp(nl->sk, VGPU_GENL_NAME,
				    VGPU_GENL_MCGRP_MONITOR);
	if (grp < 0)
		return libnl_error(nl, grp, "cannot resolve the '" VGPU_GENL_MCGRP_MONITOR "' multicast group");
	/*
	 * nlctrl announces families going away: the monitor ends when the
	 * module is unloaded instead of waiting for events that cannot come.
	 * Best effort: without it, the monitor still reports events. Joined
	 * first; an unload before that is found by the listener's first
	 * question (vgpu_nl_listen(): ENOENT).
	 */
	ctrl = genl_ctrl_resolve_grp(nl->sk, "nlctrl", "notify");
	if (ctrl >= 0)
		nl_socket_add_membership(nl->sk, ctrl);
	ret = nl_socket_add_membership(nl->sk, grp);
	if (ret < 0)
		return libnl_error(nl, ret, "cannot join the '" VGPU_GENL_MCGRP_MONITOR "' multicast group");
	return 0;
}

/* Whether nothing is left to read: the queue was read empty. */
static bool drained(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 0;
}

int vgpu_nl_listen(struct vgpu_nl *nl, vgpu_nl_event_fn fn, void *arg,
		   bool count, volatile sig_atomic_t *stop,
		   const sigset_t *waitmask)
{
	static const struct vgpu_nl_loss uncounted;
	struct listener l = { .nl = nl, .fn = fn, .arg = arg, .counting = count };
	struct nl_cb *cb, *sk_cb;
	struct pollfd pfd;
	int ret, e, size;

	/*
	 * A burst must fit while we print: ask for VGPU_NL_EVENT_RCVBUF,
	 * past net.core.rmem_max where we may (SO_RCVBUFFORCE needs
	 * CAP_NET_ADMIN), else what rmem_max allows. Failing this only
	 * risks ENOBUFS, which the caller is told of.
	 */
	size = VGPU_NL_EVENT_RCVBUF;
	if (setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)) < 0)
		setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUF,
			   &size, sizeof(size));
	ret = nl_socket_set_nonblocking(nl->sk);
	if (ret < 0)
		return libnl_error(nl, ret, "cannot make the socket non-blocking");

	/* A clone, as in nl.c's exchanges: the fake kernel's receive stays. */
	sk_cb = nl_socket_get_cb(nl->sk);
	cb = nl_cb_clone(sk_cb);
	nl_cb_put(sk_cb);
	if (!cb)
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_ok, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &l);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, NULL);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &l);

	pfd.fd = nl_socket_get_fd(nl->sk);
	pfd.events = POLLIN;
	ret = l.counting ? ask_last_seq(&l) : 0;
	while (!ret && !*stop && !l.error) {
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			e = errno;
			if (e == EINTR)
				continue;	/* *stop says whether to go on */
			ret = vgpu_nl_error(nl, -e, "cannot wait for events: %s",
					    strerror(e));
			break;
		}
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret == -NLE_NOMEM) {
			/*
			 * recvmsg() said ENOBUFS: the kernel dropped messages,
			 * events and maybe nlctrl's notice of an unload. Once
			 * the queue is read, VERSION_GET tells both what was
			 * lost and whether the family is still there.
			 */
			if (!l.counting)
				report(&l, &uncounted);
			l.overflowed = true;
			/* Its answer may have been dropped too: ask again. */
			l.query = 0;
			ret = 0;
		} else if (ret == -NLE_AGAIN || ret >= 0) {
			ret = 0;
		} else {
			if (!l.error)
				ret = libnl_error(nl, ret, "cannot read events");
			break;
		}
		if (l.overflowed && !l.query && !l.error && !*stop &&
		    drained(pfd.fd))
			ret = ask_last_seq(&l);
	}
	nl_cb_put(cb);
	return l.error ? l.error : ret;
}
