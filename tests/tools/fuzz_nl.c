// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_nl.c - genl-fuzz's raw generic netlink socket (fuzz.h)
 *
 * NETLINK_EXT_ACK for the reasons, NETLINK_CAP_ACK so that an error does
 * not echo a 64 KiB request back. A request's answer is every message
 * carrying its sequence number until its error/ack or NLMSG_DONE; when the
 * request may draw no answer, a VERSION_GET with NLM_F_ACK sent after it
 * ends the wait (the kernel answers one socket's requests in order).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include "fuzz.h"

#define RBUF_LEN (256 * 1024)

const char *fuzz_attr_str(const struct nlattr *a)
{
	const char *s = (const char *)a + NLA_HDRLEN;
	size_t n = a->nla_len - NLA_HDRLEN;

	return n && s[n - 1] == '\0' ? s : NULL;
}

static size_t put_attr(unsigned char *buf, size_t off, uint16_t type,
		       const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(buf + off);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(buf + off + NLA_HDRLEN, data, len);
	memset(buf + off + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return off + NLA_HDRLEN + NLA_ALIGN(len);
}

static size_t put_hdr(unsigned char *buf, uint16_t type, uint16_t flags,
		      uint8_t cmd)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(buf + NLMSG_HDRLEN);

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	g->cmd = cmd;
	g->version = VGPU_GENL_VERSION;
	return NLMSG_HDRLEN + GENL_HDRLEN;
}

static int send_msg(struct fuzz_sock *s, void *msg, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(s->fd, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* The TLVs of an error or done message: the extack text. */
static void parse_tlvs(const unsigned char *p, size_t len,
		       struct fuzz_answer *ans)
{
	const struct nlattr *a;
	const char *t;
	int rem;

	fuzz_attr_for_each(a, p, len, rem) {
		if ((a->nla_type & NLA_TYPE_MASK) != NLMSGERR_ATTR_MSG)
			continue;
		t = fuzz_attr_str(a);
		if (!t) {
			ans->bad_text = true;
			continue;
		}
		ans->has_text = true;
		snprintf(ans->text, sizeof(ans->text), "%s", t);
	}
}

static void parse_error(const struct nlmsghdr *nlh, struct fuzz_answer *ans)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return;
	ans->error = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    NLMSG_HDRLEN + off < nlh->nlmsg_len)
		parse_tlvs((const unsigned char *)e + off,
			   nlh->nlmsg_len - NLMSG_HDRLEN - off, ans);
}

static void parse_done(const struct nlmsghdr *nlh, struct fuzz_answer *ans)
{
	const unsigned char *p = NLMSG_DATA(nlh);
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN;
	int err;

	if (len < sizeof(err))
		return;
	memcpy(&err, p, sizeof(err));
	ans->error = err;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		parse_tlvs(p + sizeof(err), len - sizeof(err), ans);
}

/*
 * Reads until the message that ends sequence @end arrives; messages of
 * sequence @seq make up @ans, others (late parts of an earlier answer)
 * are dropped.
 */
static int collect(struct fuzz_sock *s, uint32_t seq, uint32_t end,
		   struct fuzz_answer *ans, fuzz_data_fn fn, void *arg)
{
	struct fuzz_answer sync_ans;
	bool synced = false;
	struct nlmsghdr *nlh;
	ssize_t n;
	size_t rem;

	/*
	 * A dump that started keeps its socket busy until NLMSG_DONE: its
	 * first part is queued before the sync's answer, so once the sync
	 * is answered, a request that has multipart messages but no end yet
	 * is a dump still running, and is read to its end.
	 */
	while (!synced || (ans->multi && !ans->done)) {
		n = recv(s->fd, s->rbuf, s->rlen, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ans->timeout = true;
			return -ETIMEDOUT;
		}
		if (n < 0) {
			/* ENOBUFS: the socket overran; the sync still comes. */
			ans->recv_errno = errno;
			continue;
		}
		rem = n;
		for (nlh = (struct nlmsghdr *)s->rbuf; NLMSG_OK(nlh, rem);
		     nlh = NLMSG_NEXT(nlh, rem)) {
			struct fuzz_answer *to = nlh->nlmsg_seq == seq ? ans :
						 nlh->nlmsg_seq == end ? &sync_ans : NULL;
			bool last;

			if (!to)
				continue;
			last = nlh->nlmsg_type == NLMSG_ERROR ||
			       nlh->nlmsg_type == NLMSG_DONE;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				parse_error(nlh, to);
			else if (nlh->nlmsg_type == NLMSG_DONE)
				parse_done(nlh, to);
			else if (to == ans) {
				ans->ndata++;
				if (nlh->nlmsg_flags & NLM_F_MULTI)
					ans->multi = true;
				if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
					ans->dump_intr = true;
				if (fn)
					fn(nlh, arg);
			}
			if (last && to == ans)
				ans->done = true;
			if (last && nlh->nlmsg_seq == end)
				synced = true;
		}
	}
	return 0;
}

int fuzz_request(struct fuzz_sock *s, void *msg, size_t len, bool sync,
		 struct fuzz_answer *ans, fuzz_data_fn fn, void *arg)
{
	unsigned char sbuf[NLMSG_HDRLEN + GENL_HDRLEN];
	struct nlmsghdr *nlh = msg;
	uint32_t seq = ++s->seq, end = seq;
	int ret;

	memset(ans, 0, sizeof(*ans));
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	ret = send_msg(s, msg, len);
	if (ret)
		return ret;
	if (sync) {
		end = ++s->seq;
		put_hdr(sbuf, s->family, NLM_F_REQUEST | NLM_F_ACK,
			VGPU_CMD_VERSION_GET);
		((struct nlmsghdr *)sbuf)->nlmsg_len = sizeof(sbuf);
		((struct nlmsghdr *)sbuf)->nlmsg_seq = end;
		ret = send_msg(s, sbuf, sizeof(sbuf));
		if (ret)
			return ret;
	}
	return collect(s, seq, end, ans, fn, arg);
}

int fuzz_dump(struct fuzz_sock *s, uint8_t cmd, const char *dev,
	      struct fuzz_answer *ans, fuzz_data_fn fn, void *arg)
{
	unsigned char buf[512];
	size_t len;

	len = put_hdr(buf, s->family, NLM_F_REQUEST | NLM_F_DUMP, cmd);
	if (dev)
		len = put_attr(buf, len, VGPU_A_DEV_HANDLE, dev, strlen(dev) + 1);
	((struct nlmsghdr *)buf)->nlmsg_len = len;
	return fuzz_request(s, buf, len, false, ans, fn, arg);
}

/* CTRL_CMD_GETFAMILY "vgpu": the family id. */
static void family_id(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a;
	int rem;

	fuzz_attr_for_each(a, (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
			   nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, rem)
		if (a->nla_type == CTRL_ATTR_FAMILY_ID &&
		    a->nla_len >= NLA_HDRLEN + 2)
			memcpy(arg, (const char *)a + NLA_HDRLEN, 2);
}

static int resolve(struct fuzz_sock *s)
{
	unsigned char buf[128];
	struct fuzz_answer ans;
	uint16_t id = 0;
	size_t len;
	int ret;

	len = put_hdr(buf, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		      CTRL_CMD_GETFAMILY);
	((struct genlmsghdr *)(buf + NLMSG_HDRLEN))->version = 1;
	len = put_attr(buf, len, CTRL_ATTR_FAMILY_NAME, VGPU_GENL_NAME,
		       sizeof(VGPU_GENL_NAME));
	((struct nlmsghdr *)buf)->nlmsg_len = len;
	ret = fuzz_request(s, buf, len, false, &ans, family_id, &id);
	if (ret)
		return ret;
	if (ans.error)
		return ans.error;
	if (!id)
		return -ENOENT;
	s->family = id;
	return 0;
}

int fuzz_sock_open(struct fuzz_sock *s, int timeout_s)
{
	struct timeval tv = { .tv_sec = timeout_s };
	int one = 1, size = 4 << 20, ret;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	s->rlen = RBUF_LEN;
	s->rbuf = malloc(s->rlen);
	if (!s->rbuf ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		ret = s->rbuf ? -errno : -ENOMEM;
		fuzz_sock_close(s);
		return ret;
	}
	/* Best effort: a bigger buffer only saves resyncs. */
	setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	s->seq = (uint32_t)getpid() << 12;
	ret = resolve(s);
	if (ret)
		fuzz_sock_close(s);
	return ret;
}

void fuzz_sock_close(struct fuzz_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->rbuf);
	s->rbuf = NULL;
}
