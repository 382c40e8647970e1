// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - generic netlink transport: family resolution, requests, dumps
 * and the kernel's extended-ack error text (the event loop: listen.c).
 *
 * Every exchange uses its own libnl callback set (a clone of the
 * socket's), so no state from one request (a half-read dump, a callback
 * argument) leaks into the next.
 * libnl 3.7 hands error callbacks the nlmsgerr but has no API for the
 * extended-ack TLVs behind it; vgpu_nl_parse_ack() reads them itself.
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kernel/nl.h"

/* What userspace insists on in a reply; longer strings are kernel bugs. */
static const struct nla_policy vgpu_policy[VGPU_A_MAX + 1] = {
	[VGPU_A_VERSION]		= { .type = NLA_STRING, .maxlen = 64 },
	[VGPU_A_API_VERSION]		= { .type = NLA_U32 },
	[VGPU_A_DEV_HANDLE]		= { .type = NLA_STRING,
					    .maxlen = VGPU_HANDLE_MAX },
	[VGPU_A_DEV_VENDOR]		= { .type = NLA_U16 },
	[VGPU_A_DEV_DEVICE]		= { .type = NLA_U16 },
	[VGPU_A_DEV_SUBSYS_VENDOR]	= { .type = NLA_U16 },
	[VGPU_A_DEV_SUBSYS_DEVICE]	= { .type = NLA_U16 },
	[VGPU_A_DEV_CLASS]		= { .type = NLA_U32 },
	[VGPU_A_DEV_DRIVER]		= { .type = NLA_STRING, .maxlen = 256 },
	[VGPU_A_DEV_IOMMU_GROUP]	= { .type = NLA_U32 },
	[VGPU_A_DEV_SRIOV]		= { .type = NLA_NESTED },
	[VGPU_A_DEV_MDEV_PARENT]	= { .type = NLA_U8 },
	[VGPU_A_EVENT]			= { .type = NLA_U8 },
	[VGPU_A_FORCE]			= { .type = NLA_FLAG },
	[VGPU_A_VF_HANDLE]		= { .type = NLA_STRING,
					    .maxlen = VGPU_HANDLE_MAX },
	[VGPU_A_VF_PF]			= { .type = NLA_STRING,
					    .maxlen = VGPU_HANDLE_MAX },
	[VGPU_A_VF_INDEX]		= { .type = NLA_U16 },
	[VGPU_A_VF_DRIVER]		= { .type = NLA_STRING, .maxlen = 256 },
	[VGPU_A_VF_DRIVER_OVERRIDE]	= { .type = NLA_STRING, .maxlen = 256 },
	[VGPU_A_VF_IOMMU_GROUP]		= { .type = NLA_U32 },
	[VGPU_A_VF_ASSIGNED]		= { .type = NLA_U8 },
	[VGPU_A_DEV_MDEV_TYPES]		= { .type = NLA_U32 },
	[VGPU_A_TYPE_NAME]		= { .type = NLA_STRING, .maxlen = 256 },
	[VGPU_A_TYPE_PRETTY_NAME]	= { .type = NLA_STRING, .maxlen = 256 },
	[VGPU_A_TYPE_DEVICE_API]	= { .type = NLA_STRING, .maxlen = 256 },
	[VGPU_A_TYPE_AVAILABLE]		= { .type = NLA_U32 },
	[VGPU_A_TYPE_DESCRIPTION]	= { .type = NLA_STRING, .maxlen = 4096 },
	[VGPU_A_TYPE_LOW_GM_MB]		= { .type = NLA_U32 },
	[VGPU_A_TYPE_HIGH_GM_MB]	= { .type = NLA_U32 },
	[VGPU_A_TYPE_FENCE]		= { .type = NLA_U32 },
	[VGPU_A_TYPE_RESOLUTION]	= { .type = NLA_STRING, .maxlen = 64 },
	[VGPU_A_TYPE_WEIGHT]		= { .type = NLA_U32 },
	[VGPU_A_MDEV_UUID]		= { .type = NLA_STRING,
					    .maxlen = VGPU_UUID_LEN + 1 },
	[VGPU_A_MDEV_PARENT]		= { .type = NLA_STRING,
					    .maxlen = VGPU_HANDLE_MAX },
	[VGPU_A_MDEV_TYPE]		= { .type = NLA_STRING, .maxlen = 256 },
	[VGPU_A_MDEV_DRIVER]		= { .type = NLA_STRING, .maxlen = 256 },
	[VGPU_A_MDEV_IOMMU_GROUP]	= { .type = NLA_U32 },
	[VGPU_A_MDEV_OWNED]		= { .type = NLA_U8 },
	[VGPU_A_MDEV_REMOVING]		= { .type = NLA_U8 },
	[VGPU_A_MDEV_IN_USE]		= { .type = NLA_U8 },
	[VGPU_A_MDEV_IF_UNUSED]		= { .type = NLA_FLAG },
	[VGPU_A_VF_QUOTA]		= { .type = NLA_NESTED },
	[VGPU_A_DEV_PROVISIONING]	= { .type = NLA_STRING, .maxlen = 64 },
	/* Repeated: checked one by one by vgpu_nl_parse_res(). */
	[VGPU_A_RESOURCE]		= { .type = NLA_NESTED },
	[VGPU_A_DEV_PROV_MODE]		= { .type = NLA_U8 },
	[VGPU_A_DEV_PROV_CYCLED]	= { .type = NLA_U16 },
	[VGPU_A_DEV_PROFILE]		= { .type = NLA_NESTED },
	[VGPU_A_VF_CONTROL]		= { .type = NLA_U8 },
	[VGPU_A_VF_CONTROLS]		= { .type = NLA_U32 },
	[VGPU_A_VF_STATE]		= { .type = NLA_U8 },
	[VGPU_A_VF_MIGRATION]		= { .type = NLA_U8 },
	[VGPU_A_EVENT_SEQ]		= { .type = NLA_U32 },
};

static const struct nla_policy vgpu_quota_policy[VGPU_A_QUOTA_MAX + 1] = {
	[VGPU_A_QUOTA_GGTT]		= { .type = NLA_U64 },
	[VGPU_A_QUOTA_CONTEXTS]		= { .type = NLA_U32 },
	[VGPU_A_QUOTA_DOORBELLS]	= { .type = NLA_U32 },
	[VGPU_A_QUOTA_VRAM]		= { .type = NLA_U64 },
	[VGPU_A_QUOTA_EXEC_QUANTUM_MS]	= { .type = NLA_U32 },
	[VGPU_A_QUOTA_PREEMPT_TIMEOUT_US] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_PRIORITY]		= { .type = NLA_U8 },
	[VGPU_A_QUOTA_GT1_CONTEXTS]	= { .type = NLA_U32 },
	[VGPU_A_QUOTA_GT1_DOORBELLS]	= { .type = NLA_U32 },
	[VGPU_A_QUOTA_GT1_EXEC_QUANTUM_MS] = { .type = NLA_U32 },
	[VGPU_A_QUOTA_GT1_PREEMPT_TIMEOUT_US] = { .type = NLA_U32 },
};

static const struct nla_policy vgpu_res_policy[VGPU_A_RES_MAX + 1] = {
	[VGPU_A_RES_NAME]		= { .type = NLA_STRING, .maxlen = 64 },
	[VGPU_A_RES_UNIT]		= { .type = NLA_U8 },
	[VGPU_A_RES_SIZE]		= { .type = NLA_U64 },
	[VGPU_A_RES_OCC]		= { .type = NLA_U64 },
	[VGPU_A_RES_FREE]		= { .type = NLA_U64 },
	[VGPU_A_RES_MAX_QUOTA]		= { .type = NLA_U64 },
	[VGPU_A_RES_CHILD]		= { .type = NLA_NESTED },
};

static const struct nla_policy vgpu_sriov_policy[VGPU_A_SRIOV_MAX + 1] = {
	[VGPU_A_SRIOV_TOTALVFS]		= { .type = NLA_U16 },
	[VGPU_A_SRIOV_NUMVFS]		= { .type = NLA_U16 },
	[VGPU_A_SRIOV_AUTOPROBE]	= { .type = NLA_U8 },
};

static const struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]		= { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS]		= { .type = NLA_U32 },
	[NLMSGERR_ATTR_MISS_TYPE]	= { .type = NLA_U32 },
	[NLMSGERR_ATTR_MISS_NEST]	= { .type = NLA_U32 },
};

int vgpu_nl_error(struct vgpu_nl *nl, int error, const char *fmt, ...)
{
	va_list ap;

	memset(&nl->err, 0, sizeof(nl->err));
	nl->err.error = error;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(nl->err.msg, sizeof(nl->err.msg), fmt, ap);
		va_end(ap);
	}
	return error;
}

/* libnl's own failures have no errno; keep its text and call them EIO. */
static int set_libnl_error(struct vgpu_nl *nl, int nlerr, const char *what)
{
	if (nlerr == -NLE_NOMEM)
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	return vgpu_nl_error(nl, -EIO, "%s: %s", what, nl_geterror(nlerr));
}

bool vgpu_nl_needs_root(const struct vgpu_nl *nl)
{
	return nl->err.error == -EPERM && !nl->err.msg[0];
}

const char *vgpu_nl_strerror(const struct vgpu_nl *nl)
{
	if (nl->err.msg[0])
		return nl->err.msg;
	/* The kernel gives no text then: say what the refusal means. */
	if (vgpu_nl_needs_root(nl))
		return "Operation not permitted: changes need root (CAP_NET_ADMIN)";
	return strerror(nl->err.error < 0 ? -nl->err.error : EIO);
}

int vgpu_nl_parse_ack(const struct nlmsghdr *nlh, struct vgpu_nl_ack *ack)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const struct nlmsgerr *e;
	size_t off;
	int error;

	memset(ack, 0, sizeof(*ack));
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(error)))
		return -EBADMSG;
	memcpy(&error, NLMSG_DATA(nlh), sizeof(error));
	/* Errors travel negative; be lenient with a sender that got it wrong. */
	ack->error = error > 0 ? -error : error;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return -EBADMSG;
		e = NLMSG_DATA(nlh);
		off = NLMSG_LENGTH(sizeof(*e));
		/*
		 * Unless capped (NETLINK_CAP_ACK, or any plain ack), the
		 * kernel echoes our request's payload, padded, before the
		 * TLVs.
		 */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return -EBADMSG;
			off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump's end carries its error and TLVs the same way. */
		off = NLMSG_LENGTH(sizeof(error));
	} else {
		return -EINVAL;
	}

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	if (off > nlh->nlmsg_len)
		return -EBADMSG;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, extack_policy) < 0)
		return -EBADMSG;

	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(ack->msg, sizeof(ack->msg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		ack->has_offs = true;
		ack->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		ack->has_miss_type = true;
		ack->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
	if (tb[NLMSGERR_ATTR_MISS_NEST]) {
		ack->has_miss_nest = true;
		ack->miss_nest = nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]);
	}
	return 0;
}

int vgpu_nl_parse_sriov(struct nlattr *nest, struct nlattr **tb)
{
	if (nla_parse_nested(tb, VGPU_A_SRIOV_MAX, nest, vgpu_sriov_policy) < 0)
		return -EBADMSG;
	return 0;
}

int vgpu_nl_parse_quota(struct nlattr *nest, struct nlattr **tb)
{
	if (nla_parse_nested(tb, VGPU_A_QUOTA_MAX, nest, vgpu_quota_policy) < 0)
		return -EBADMSG;
	return 0;
}

/* A resource must have a name; its children are checked the same way. */
int vgpu_nl_parse_res(struct nlattr *nest, struct nlattr **tb)
{
	struct nlattr *child[VGPU_A_RES_MAX + 1], *pos;
	int rem;

	if (nla_parse_nested(tb, VGPU_A_RES_MAX, nest, vgpu_res_policy) < 0 ||
	    !tb[VGPU_A_RES_NAME])
		return -EBADMSG;
	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) != VGPU_A_RES_CHILD)
			continue;
		if (nla_parse_nested(child, VGPU_A_RES_MAX, pos,
				     vgpu_res_policy) < 0 ||
		    !child[VGPU_A_RES_NAME])
			return -EBADMSG;
	}
	return 0;
}

int vgpu_nl_parse(struct nl_msg *msg, struct nlattr **tb)
{
	struct nlattr *sriov[VGPU_A_SRIOV_MAX + 1];
	struct nlattr *quota[VGPU_A_QUOTA_MAX + 1];
	struct nlattr *res[VGPU_A_RES_MAX + 1], *pos;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VGPU_A_MAX, vgpu_policy) < 0)
		return -EBADMSG;
	/* Check nests now, so that printers never meet a bad attribute. */
	if (tb[VGPU_A_DEV_SRIOV] &&
	    vgpu_nl_parse_sriov(tb[VGPU_A_DEV_SRIOV], sriov) < 0)
		return -EBADMSG;
	if (tb[VGPU_A_VF_QUOTA] &&
	    vgpu_nl_parse_quota(tb[VGPU_A_VF_QUOTA], quota) < 0)
		return -EBADMSG;
	if (tb[VGPU_A_DEV_PROFILE] &&
	    vgpu_nl_parse_quota(tb[VGPU_A_DEV_PROFILE], quota) < 0)
		return -EBADMSG;
	nlmsg_for_each_attr(pos, nlmsg_hdr(msg), GENL_HDRLEN, rem)
		if (nla_type(pos) == VGPU_A_RESOURCE &&
		    vgpu_nl_parse_res(pos, res) < 0)
			return -EBADMSG;
	return 0;
}

int vgpu_nl_connect(struct vgpu_nl *nl)
{
	int one = 1, fd, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return vgpu_nl_error(nl, -ENOMEM, NULL);

	ret = genl_connect(nl->sk);
	if (ret < 0) {
		ret = set_libnl_error(nl, ret, "cannot open a generic netlink socket");
		vgpu_nl_close(nl);
		return ret;
	}
	/*
	 * One read per message (VGPU_NL_RECV_BUF). libnl allocates the
	 * buffer for each receive and frees it after: keep blocks of its
	 * size on the heap (glibc would map and unmap each one) and the
	 * freed top of the heap where it is.
	 */
	mallopt(M_MMAP_THRESHOLD, 2 * VGPU_NL_RECV_BUF);
	mallopt(M_TRIM_THRESHOLD, 4 * VGPU_NL_RECV_BUF);
	nl_socket_set_msg_buf_size(nl->sk, VGPU_NL_RECV_BUF);
	/*
	 * EXT_ACK makes the kernel say why it refused; CAP_ACK spares us the
	 * echo of our own request. Older kernels lack them and still
	 * work, only with bare errno values (EXT_ACK came in 4.12, CAP_ACK in
	 * 4.3), so failure here is not fatal.
	 */
	fd = nl_socket_get_fd(nl->sk);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

int (*vgpu_nl_open_hook)(struct vgpu_nl *nl);

int vgpu_nl_open(struct vgpu_nl *nl)
{
	int ret;

	if (vgpu_nl_open_hook)
		return vgpu_nl_open_hook(nl);
	ret = vgpu_nl_connect(nl);
	if (ret < 0)
		return ret;
	ret = genl_ctrl_resolve(nl->sk, VGPU_GENL_NAME);
	if (ret == -NLE_OBJ_NOTFOUND)
		ret = vgpu_nl_error(nl, -ENOENT, "the vgpu_nl kernel module is not loaded (try: modprobe vgpu_nl)");
	else if (ret < 0)
		ret = set_libnl_error(nl, ret, "cannot resolve the '" VGPU_GENL_NAME "' netlink family");
	if (ret < 0) {
		vgpu_nl_close(nl);
		return ret;
	}
	nl->family = ret;
	return 0;
}

void vgpu_nl_close(struct vgpu_nl *nl)
{
	nl_socket_free(nl->sk);	/* NULL-safe */
	nl->sk = NULL;
}

struct nl_msg *vgpu_nl_request(struct vgpu_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				flags, cmd, VGPU_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (!msg)
		vgpu_nl_error(nl, -ENOMEM, NULL);
	return msg;
}

void vgpu_nl_replies_free(struct vgpu_nl_replies *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		nlmsg_free(rep->msg[i]);
	free(rep->msg);
	memset(rep, 0, sizeof(*rep));
}

int vgpu_nl_check_replies(struct vgpu_nl *nl,
			  const struct vgpu_nl_replies *rep, int key_attr,
			  const char *what)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (vgpu_nl_parse(rep->msg[i], tb) < 0 || !tb[key_attr])
			return vgpu_nl_error(nl, -EBADMSG,
					     "malformed %s reply from the kernel",
					     what);
	return 0;
}

static int replies_add(struct vgpu_nl_replies *rep, struct nl_msg *msg)
{
	struct nl_msg **v;
	size_t cap;

	if (rep->n == rep->cap) {
		cap = rep->cap ? 2 * rep->cap : 16;
		v = realloc(rep->msg, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		rep->msg = v;
		rep->cap = cap;
	}
	/* libnl frees the message after the callback; keep a reference. */
	nlmsg_get(msg);
	rep->msg[rep->n++] = msg;
	return 0;
}

/* State of one request/reply exchange, shared by its callbacks. */
struct xfer {
	struct vgpu_nl *nl;
	struct vgpu_nl_replies *rep;	/* NULL: the caller wants no replies */
	int error;			/* first failure, negative errno */
	bool done;			/* ack, error or NLMSG_DONE seen */
	bool intr;			/* some message had NLM_F_DUMP_INTR */
};

/* Records only the first failure: later ones are usually its echo. */
static void xfer_fail(struct xfer *x, int error, const char *msg)
{
	if (x->error)
		return;
	x->error = vgpu_nl_error(x->nl, error, "%s", msg ? msg : "");
}

static void xfer_fail_ack(struct xfer *x, const struct nlmsghdr *nlh,
			  int error)
{
	struct vgpu_nl_ack ack;

	if (x->error)
		return;
	/* An unreadable extack still leaves the errno worth reporting. */
	if (vgpu_nl_parse_ack(nlh, &ack) < 0 || !ack.error) {
		memset(&ack, 0, sizeof(ack));
		ack.error = error > 0 ? -error : error;
	}
	x->nl->err = ack;
	x->error = ack.error;
}

static int xfer_valid(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;
	struct nlattr *tb[VGPU_A_MAX + 1];

	if (nlmsg_hdr(msg)->nlmsg_type != x->nl->family)
		return NL_SKIP;
	/*
	 * After a failure keep reading (but not keeping) until the kernel's
	 * end marker, so that nothing of this exchange is left queued.
	 */
	if (x->error || !x->rep)
		return NL_OK;
	if (vgpu_nl_parse(msg, tb) < 0)
		xfer_fail(x, -EBADMSG, "malformed reply from the kernel (does the tool match the module?)");
	else if (replies_add(x->rep, msg) < 0)
		xfer_fail(x, -ENOMEM, NULL);
	return NL_OK;
}

static int xfer_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl passes the payload; the header (with its flags) is before it. */
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	struct xfer *x = arg;

	(void)nla;
	xfer_fail_ack(x, nlh, e->error);
	x->done = true;
	return NL_STOP;
}

static int xfer_ack(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;

	(void)msg;
	x->done = true;
	return NL_STOP;
}

/* The end of a dump; a dump that failed half-way says so only here. */
static int xfer_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct xfer *x = arg;
	int error = 0;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(error)))
		memcpy(&error, NLMSG_DATA(nlh), sizeof(error));
	if (error)
		xfer_fail_ack(x, nlh, error);
	x->done = true;
	return NL_STOP;
}

static int xfer_intr(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;

	(void)msg;
	x->intr = true;
	return NL_OK;	/* read on to NLMSG_DONE; the caller restarts */
}

static int xfer_run(struct vgpu_nl *nl, struct nl_msg *req,
		    struct vgpu_nl_replies *rep, bool *intr)
{
	struct xfer x = { .nl = nl, .rep = rep };
	struct nl_cb *cb, *sk_cb;
	int ret;

	/*
	 * A clone of the socket's set keeps what was configured there (the
	 * unit tests' fake kernel replaces send and receive that way).
	 */
	sk_cb = nl_socket_get_cb(nl->sk);
	cb = nl_cb_clone(sk_cb);
	nl_cb_put(sk_cb);
	if (!cb) {
		nlmsg_free(req);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, xfer_valid, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, xfer_ack, &x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, xfer_finish, &x);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, xfer_intr, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, xfer_error, &x);

	ret = nl_send_auto(nl->sk, req);
	nlmsg_free(req);
	if (ret < 0) {
		ret = set_libnl_error(nl, ret, "cannot send the request");
		goto out;
	}

	while (!x.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !x.done) {
			if (!x.error)
				x.error = set_libnl_error(nl, ret, "cannot read the reply");
			break;
		}
	}
	ret = x.error;
	if (intr)
		*intr = x.intr;
out:
	if (!x.done)
		nl->stale = true;
	nl_cb_put(cb);
	if (ret < 0 && rep)
		vgpu_nl_replies_free(rep);
	return ret;
}

int vgpu_nl_do(struct vgpu_nl *nl, struct nl_msg *req,
	       struct vgpu_nl_replies *rep)
{
	return xfer_run(nl, req, rep, NULL);
}

int vgpu_nl_dump(struct vgpu_nl *nl, uint8_t cmd, struct vgpu_nl_replies *rep)
{
	return vgpu_nl_dump_filter(nl, cmd, 0, NULL, rep);
}

int vgpu_nl_get(struct vgpu_nl *nl, uint8_t cmd, int attr, const char *value,
		struct vgpu_nl_replies *rep)
{
	struct nl_msg *req;

	req = vgpu_nl_request(nl, cmd, 0);
	if (!req)
		return nl->err.error;
	if (nla_put_string(req, attr, value) < 0) {
		nlmsg_free(req);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	return vgpu_nl_do(nl, req, rep);
}

int vgpu_nl_dump_filter(struct vgpu_nl *nl, uint8_t cmd, int attr,
			const char *value, struct vgpu_nl_replies *rep)
{
	struct nl_msg *req;
	bool intr;
	int tries, ret;

	for (tries = 0; tries < VGPU_NL_DUMP_TRIES; tries++) {
		req = vgpu_nl_request(nl, cmd, NLM_F_DUMP);
		if (!req)
			return nl->err.error;
		if (value && nla_put_string(req, attr, value) < 0) {
			nlmsg_free(req);
			return vgpu_nl_error(nl, -ENOMEM, NULL);
		}
		intr = false;
		ret = xfer_run(nl, req, rep, &intr);
		if (ret < 0 || !intr)
			return ret;
		/* The list changed under the dump: start over from scratch. */
		vgpu_nl_replies_free(rep);
	}
	return vgpu_nl_error(nl, -EAGAIN,
			 "the kernel's list kept changing while it was read (%d tries); try again",
			 VGPU_NL_DUMP_TRIES);
}
