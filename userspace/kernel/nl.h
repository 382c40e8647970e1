/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl.h - the one layer of vgpu-nl that talks generic netlink
 *
 * Commands build a request with vgpu_nl_request(), hand it to vgpu_nl_do()
 * or ask for a whole dump with vgpu_nl_dump(), and get back the kernel's
 * reply messages, already checked against the family's attribute policy.
 * When a call fails, nl->err says why, in the kernel's own words where the
 * kernel gave any (the extended ack): print it with vgpu_nl_strerror().
 */
#ifndef VGPU_NL_NL_H
#define VGPU_NL_NL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>

#include "vgpu_nl.h"

/* The receive buffer a listener asks for (the kernel doubles it). */
#define VGPU_NL_EVENT_RCVBUF	(4 << 20)

/*
 * What one receive can take. libnl reads each message twice (a peek for
 * its size, then the read) unless it is given a buffer size; with this
 * one it reads once, and a longer message would be an error, not cut.
 * A dump's messages are 32 KiB at most (the netlink core's cap), a do's
 * answers a page or two; the longest the module sends, a RESOURCE_GET do
 * answer (this tool dumps instead), is 64 KiB asked (VGPU_RES_DO_SIZE),
 * up to 128 KiB once the allocation is rounded up: it fits too.
 */
#define VGPU_NL_RECV_BUF	(160 << 10)

/* How many times a dump is restarted after NLM_F_DUMP_INTR before giving up. */
#define VGPU_NL_DUMP_TRIES	5

/* The kernel's extended ack (or our own explanation) for one failed call. */
struct vgpu_nl_ack {
	int error;		/* negative errno; 0 when the kernel accepted */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" when the kernel gave none */
	bool has_offs;		/* NLMSGERR_ATTR_OFFS: offset of the bad attribute */
	uint32_t offs;		/*   in the request, from its nlmsghdr */
	bool has_miss_type;	/* NLMSGERR_ATTR_MISS_TYPE: a required attribute */
	uint32_t miss_type;	/*   that was missing */
	bool has_miss_nest;	/* NLMSGERR_ATTR_MISS_NEST: offset of the nest it */
	uint32_t miss_nest;	/*   was missing from */
};

/* One connection to the "vgpu" family. */
struct vgpu_nl {
	struct nl_sock *sk;
	int family;		/* genetlink id of VGPU_GENL_NAME */
	struct vgpu_nl_ack err;	/* why the last call failed */
	/*
	 * An exchange ended before the kernel's end marker (a send or
	 * receive failure): what is still queued would be read as the
	 * answer to the next request, so the socket must not be reused.
	 */
	bool stale;
};

/* The reply messages of one request, in the order the kernel sent them. */
struct vgpu_nl_replies {
	struct nl_msg **msg;
	size_t n;
	size_t cap;
};

/*
 * Connects and resolves the family. On failure nl->err explains (for a
 * missing family: that the module is not loaded) and vgpu_nl_close() is
 * still safe to call. Returns 0 or a negative errno.
 */
int vgpu_nl_open(struct vgpu_nl *nl);
void vgpu_nl_close(struct vgpu_nl *nl);

/*
 * When set, vgpu_nl_open() calls this instead of connecting: the unit
 * tests put their scripted kernel (tests/unit/fake_kernel.c) behind the
 * commands this way. NULL in the tool.
 */
extern int (*vgpu_nl_open_hook)(struct vgpu_nl *nl);

/*
 * vgpu_nl_open() without resolving the family: the socket with extended
 * acks on. The tests use it to talk to nlctrl (GENL_ID_CTRL) instead.
 */
int vgpu_nl_connect(struct vgpu_nl *nl);

/* The text to print after "Error: " for the last failure. */
const char *vgpu_nl_strerror(const struct vgpu_nl *nl);

/*
 * Whether the last call was refused by the genl core for want of
 * CAP_NET_ADMIN (GENL_ADMIN_PERM): EPERM before the module saw it, so
 * without a text.
 */
bool vgpu_nl_needs_root(const struct vgpu_nl *nl);

/*
 * Records a failure found by a caller (a reply without what it must carry):
 * @fmt NULL means strerror(@error). Returns @error.
 */
__attribute__((format(printf, 3, 4)))
int vgpu_nl_error(struct vgpu_nl *nl, int error, const char *fmt, ...);

/* A new request for @cmd (NLM_F_REQUEST is added on send); NULL on ENOMEM. */
struct nl_msg *vgpu_nl_request(struct vgpu_nl *nl, uint8_t cmd, int flags);

/*
 * Sends @req (always freed, whatever happens) and waits for the kernel's
 * ack. Reply messages are appended to @rep unless it is NULL.
 * Returns 0 or a negative errno (details in nl->err).
 */
int vgpu_nl_do(struct vgpu_nl *nl, struct nl_msg *req,
	       struct vgpu_nl_replies *rep);

/*
 * Dumps @cmd into @rep. A dump the kernel marks inconsistent
 * (NLM_F_DUMP_INTR) is thrown away and restarted, up to VGPU_NL_DUMP_TRIES
 * times, so @rep only ever holds one consistent snapshot.
 */
int vgpu_nl_dump(struct vgpu_nl *nl, uint8_t cmd, struct vgpu_nl_replies *rep);

/*
 * The same, with one string attribute @attr = @value in the request (a
 * dump filtered by VGPU_A_DEV_HANDLE, say); @value NULL sends none.
 */
int vgpu_nl_dump_filter(struct vgpu_nl *nl, uint8_t cmd, int attr,
			const char *value, struct vgpu_nl_replies *rep);

/*
 * A do request @cmd with one string attribute @attr = @value (a handle or a
 * UUID), its replies into @rep.
 */
int vgpu_nl_get(struct vgpu_nl *nl, uint8_t cmd, int attr, const char *value,
		struct vgpu_nl_replies *rep);

void vgpu_nl_replies_free(struct vgpu_nl_replies *rep);

/*
 * Whether every reply of @rep parses and carries @key_attr, the attribute
 * that names its object: one that does not cannot be shown or named, so
 * the lot is refused ("malformed @what reply from the kernel", -EBADMSG).
 */
int vgpu_nl_check_replies(struct vgpu_nl *nl,
			  const struct vgpu_nl_replies *rep, int key_attr,
			  const char *what);

/* Events a listener missed: its receive queue overflowed (ENOBUFS). */
struct vgpu_nl_loss {
	bool counted;		/* false: a module without event numbers */
	uint32_t count;		/* how many, when counted */
	uint32_t first;		/* the number of the first (VGPU_A_EVENT_SEQ) */
};

/*
 * Called for every VGPU_CMD_EVENT with its attributes (@loss NULL), or
 * with tb == NULL and @loss saying what was lost, before the event that
 * follows the loss. A negative return ends the loop with that error.
 */
typedef int (*vgpu_nl_event_fn)(struct nlattr **tb,
				const struct vgpu_nl_loss *loss, void *arg);

/* Joins the family's monitor multicast group (listen.c). */
int vgpu_nl_subscribe(struct vgpu_nl *nl);

/*
 * Calls @fn for every event of the groups joined until *@stop becomes
 * non-zero. Signals are only taken while waiting, with @waitmask as the
 * signal mask (ppoll), so a signal that sets *@stop can never be lost
 * between the check and the wait. With @count, losses are counted by the
 * events' sequence numbers (VERSION_GET is asked on this socket at the
 * start and after an overflow: listen.c); without, a loss is reported
 * when the kernel says ENOBUFS, uncounted.
 */
int vgpu_nl_listen(struct vgpu_nl *nl, vgpu_nl_event_fn fn, void *arg,
		   bool count, volatile sig_atomic_t *stop,
		   const sigset_t *waitmask);

/*
 * Parses a reply or event of the family into tb[VGPU_A_MAX + 1] and checks
 * every attribute, nests included, against the family's policy.
 */
int vgpu_nl_parse(struct nl_msg *msg, struct nlattr **tb);
int vgpu_nl_parse_sriov(struct nlattr *nest, struct nlattr **tb);
/* tb[VGPU_A_QUOTA_MAX + 1] of a VGPU_A_VF_QUOTA nest. */
int vgpu_nl_parse_quota(struct nlattr *nest, struct nlattr **tb);
/* tb[VGPU_A_RES_MAX + 1] of one VGPU_A_RESOURCE (or RES_CHILD) nest. */
int vgpu_nl_parse_res(struct nlattr *nest, struct nlattr **tb);

/*
 * Reads the error code and the extended-ack TLVs of an NLMSG_ERROR or
 * NLMSG_DONE message; exposed for the unit tests. Returns 0, or -EBADMSG
 * when the message is too short for what its flags claim.
 */
int vgpu_nl_parse_ack(const struct nlmsghdr *nlh, struct vgpu_nl_ack *ack);

#endif
