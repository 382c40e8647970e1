/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fake_kernel.h - a scripted "vgpu" family behind a libnl socket
 *
 * libnl lets a socket's callback set replace send and receive
 * (nl_cb_overwrite_send/recv); nl.c clones that set for every exchange, so
 * the whole request/reply machinery - acks, errors with extended acks,
 * multi-part dumps, NLM_F_DUMP_INTR restarts - runs unchanged against
 * replies a test scripts, without any kernel.
 *
 * Replies go to the socket that sent the request. A socket that joins the
 * monitor group (vgpu_nl_subscribe(): its nlctrl lookup is answered here,
 * never shown to the script) gets the events of fk_event(); it is given a
 * real netlink socket (NETLINK_USERSOCK, which any user may use) that
 * becomes readable with each event, so vgpu_nl_listen() polls, wakes and
 * reads as it would from the kernel.
 */
#ifndef VGPU_NL_FAKE_KERNEL_H
#define VGPU_NL_FAKE_KERNEL_H

#include "fake.h"
#include "kernel/nl.h"

/*
 * Called for each request the tool sends; answers with fk_answer().
 * @n counts requests from 0.
 */
typedef void (*fk_script)(const struct nlmsghdr *req, int n, void *arg);

/* Sets @nl up on an unconnected socket talking to @script. */
void fk_open(struct vgpu_nl *nl, fk_script script, void *arg);
/* Closes @nl; returns how many requests the script saw. */
int fk_close(struct vgpu_nl *nl);

/*
 * The same for whole commands (run_tool): between the two, every
 * vgpu_nl_open() gets a socket talking to @script (vgpu_nl_open_hook).
 * fk_stop() returns how many requests the script saw.
 */
void fk_start(fk_script script, void *arg);
int fk_stop(void);

/*
 * Queues one datagram holding @msgs (NULL-terminated) for the socket that
 * sent the request being answered; frees them.
 */
void fk_answer(struct nl_msg *msg, ...);

/*
 * Multicasts event @msg (built with fake_msg(VGPU_CMD_EVENT)) to the
 * socket that subscribed; frees it. Without one the event is lost, as the
 * kernel's would be, and the case fails: the tool listened too late.
 */
void fk_event(struct nl_msg *msg);

/*
 * The listener's queue overflows: its next read fails with ENOBUFS, as
 * when the kernel drops multicast messages for a full socket.
 */
void fk_overflow(void);

/* Queues one datagram holding the @n messages @msgs; frees them. */
void fk_answerv(struct nl_msg **msgs, int n);

/* How many sockets joined the monitor group since fk_start(). */
int fk_subscribed(void);

/* How many sockets vgpu_nl_open() opened since fk_start(). */
int fk_connects(void);

/* Messages answering @req (same sequence number): */
struct nl_msg *fk_reply(const struct nlmsghdr *req, int flags);
struct nl_msg *fk_ack(const struct nlmsghdr *req);
/* An error (capped, as with NETLINK_CAP_ACK), with text if @text. */
struct nl_msg *fk_error(const struct nlmsghdr *req, int error,
			const char *text);
/* The same, pointing at @bad, an attribute of @req (NLMSGERR_ATTR_OFFS). */
struct nl_msg *fk_error_at(const struct nlmsghdr *req, int error,
			   const char *text, const struct nlattr *bad);
/* A dump's end, with an error and text if given. */
struct nl_msg *fk_done(const struct nlmsghdr *req, int error,
		       const char *text);

/* A device reply of a dump (NLM_F_MULTI) named @handle. */
struct nl_msg *fk_dev(const struct nlmsghdr *req, const char *handle);

/* A VF reply (@flags: NLM_F_MULTI in a dump) with handle, PF and index. */
struct nl_msg *fk_vf(const struct nlmsghdr *req, int flags,
		     const char *handle, const char *pf, int index);

#endif
