/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz.h - the parts of genl-fuzz, the "vgpu" generic netlink fuzzer
 *
 *   genl-fuzz.c   options, workers (root and uid 65534), shared counters,
 *                 the report and the verdict
 *   fuzz_nl.c     a raw NETLINK_GENERIC socket: family lookup, one request
 *                 and every message it is answered with, extack parsing
 *   fuzz_gen.c    what the fuzzer knows of the host (devices, VFs, types,
 *                 mdevs, learnt from dumps and sysfs) and the request
 *                 generator: valid, random and malformed
 *   fuzz_check.c  the checks on each answer: a module error without an
 *                 extack text, a reply naming a handle or UUID that the
 *                 request did not name, a filtered dump answering for
 *                 another device, an unprivileged change accepted
 *
 * Raw sockets rather than libnl: the fuzzer must send what no library
 * would build (truncated, oversized, duplicated attributes, lying lengths).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "vgpu_nl.h"

#define FUZZ_MSG_MAX	65536		/* one request, headers included */
#define FUZZ_MAX_ERRNO	4095
#define FUZZ_NAME_MAX	80		/* a handle, UUID or type name */
#define FUZZ_MAX_NAMES	512

/* ---- fuzz_nl.c ---- */

struct fuzz_sock {
	int fd;
	uint16_t family;		/* the "vgpu" family id */
	uint32_t seq;
	unsigned char *rbuf;		/* receive buffer */
	size_t rlen;
};

/* One answer: the final status and what came with it. */
struct fuzz_answer {
	bool done;			/* an error/ack or NLMSG_DONE arrived */
	int error;			/* 0 or -errno */
	bool has_text;
	char text[512];			/* NLMSGERR_ATTR_MSG */
	bool bad_text;			/* ... there, but not a C string */
	int ndata;			/* data messages (replies, dump parts) */
	bool multi;			/* some were NLM_F_MULTI (a dump) */
	bool dump_intr;			/* a part carried NLM_F_DUMP_INTR */
	bool timeout;			/* nothing within the time limit */
	int recv_errno;			/* a receive error other than EAGAIN */
};

/* Called for each data message of an answer (genl header included). */
typedef void (*fuzz_data_fn)(const struct nlmsghdr *nlh, void *arg);

int fuzz_sock_open(struct fuzz_sock *s, int timeout_s);
void fuzz_sock_close(struct fuzz_sock *s);
/*
 * Sends @len bytes of @msg (its nlmsg_seq is set here), then collects the
 * answer. @sync: the request may draw no answer at all (no NLM_F_ACK,
 * lying length): a VERSION_GET with NLM_F_ACK follows it and marks its end.
 */
int fuzz_request(struct fuzz_sock *s, void *msg, size_t len, bool sync,
		 struct fuzz_answer *ans, fuzz_data_fn fn, void *arg);
/* A well-formed dump of @cmd (optionally filtered by DEV_HANDLE). */
int fuzz_dump(struct fuzz_sock *s, uint8_t cmd, const char *dev,
	      struct fuzz_answer *ans, fuzz_data_fn fn, void *arg);
/* Attribute iteration over a buffer. */
#define fuzz_attr_for_each(a, buf, len, rem)				\
	for ((a) = (struct nlattr *)(buf), (rem) = (int)(len);		\
	     (rem) >= (int)NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN &&	\
	     (a)->nla_len <= (rem);					\
	     (rem) -= NLA_ALIGN((a)->nla_len),				\
	     (a) = (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))
/* A string attribute's value, or NULL if it is not NUL-terminated. */
const char *fuzz_attr_str(const struct nlattr *a);

/* ---- fuzz_gen.c ---- */

struct fuzz_pci {
	char bdf[16];			/* "0000:01:00.1" */
	char pf[16];			/* its PF, "" if none */
};

/* What the fuzzer knows of the host; refreshed from dumps. */
struct fuzz_world {
	char devs[16][FUZZ_NAME_MAX];	/* managed devices (handles) */
	int ndevs;
	char pf[FUZZ_NAME_MAX];		/* an SR-IOV PF handle, "" if none */
	int totalvfs;
	char vfs[64][FUZZ_NAME_MAX];	/* VF handles seen */
	int nvfs;
	char types[16][FUZZ_NAME_MAX];	/* mdev type names */
	int ntypes;
	char mdevs[64][40];		/* mdev UUIDs seen */
	int nmdevs;
	/* Every PCI function and the PF of every possible VF (sysfs). */
	struct fuzz_pci pci[FUZZ_MAX_NAMES];
	int npci;
};

enum fuzz_mode { FUZZ_MODE_FUZZ, FUZZ_MODE_CROSSTALK, FUZZ_MODE_VALID };

/* How one request was built, for the checks. */
struct fuzz_req {
	uint8_t cmd;
	uint16_t flags;
	bool dump;			/* NLM_F_DUMP as the kernel reads it */
	bool len_ok;			/* nlmsg_len is the true length */
	bool hdr_ok;			/* a whole genl header is there */
	bool sync;			/* see fuzz_request() */
	bool admin;			/* a state-changing command */
	bool changes_numvfs;		/* a real VF count change is asked */
	bool has_filter;		/* DEV_HANDLE given (a dump filter) */
	char filter[FUZZ_NAME_MAX];	/* ... as sent */
	char filter_real[FUZZ_NAME_MAX];/* ... the real "pci/BDF", or "" */
	bool has_uuid;			/* MDEV_UUID present */
	/* Every byte of every attribute payload, for name lookups. */
	unsigned char blob[FUZZ_MSG_MAX];
	size_t bloblen;
};

struct fuzz_gen {
	unsigned int seed;
	enum fuzz_mode mode;
	double state_rate;		/* real VF count changes per request */
	bool numvfs_ok;			/* the budget allows one now */
	bool unpriv;			/* the worker runs as uid 65534 */
	struct fuzz_world *w;
};

void fuzz_world_scan_pci(struct fuzz_world *w);
/* Refreshes devs, vfs, types, mdevs from dumps; 0 or -errno. */
int fuzz_world_refresh(struct fuzz_world *w, struct fuzz_sock *s);
/* Builds one request into @buf; returns its length. */
size_t fuzz_gen_request(struct fuzz_gen *g, uint16_t family,
			unsigned char *buf, struct fuzz_req *req);
unsigned int fuzz_rand(struct fuzz_gen *g);
bool fuzz_cmd_admin(int cmd);
bool fuzz_cmd_has_dump(int cmd);
const char *fuzz_cmd_name(int cmd);

/* ---- fuzz_check.c ---- */

/* What the checks found in one answer. */
struct fuzz_verdict {
	bool notext;			/* module error without a text */
	bool foreign;			/* names something not asked about */
	char foreign_name[FUZZ_NAME_MAX];
	bool bad_filter;		/* a filtered dump strayed */
	bool unpriv_ok;			/* unprivileged change accepted */
};

struct fuzz_check_ctx {
	const struct fuzz_world *w;
	const struct fuzz_req *req;
	bool unpriv;
	struct fuzz_verdict *v;
};

void fuzz_check_data(const struct nlmsghdr *nlh, void *arg);
void fuzz_check_answer(struct fuzz_check_ctx *c, const struct fuzz_answer *a);
/* Is @name (a BDF or a UUID, any case) one the request may name? */
bool fuzz_name_allowed(const struct fuzz_world *w, const struct fuzz_req *r,
		       const char *name);
/* The first handle or UUID in @text that the request may not name. */
bool fuzz_text_foreign(const struct fuzz_world *w, const struct fuzz_req *r,
		       const char *text, char *found, size_t len);

#endif /* FUZZ_H */
