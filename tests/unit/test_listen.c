// SPDX-License-Identifier: GPL-2.0
/*
 * test_listen.c - the event loop's count of what an overflow cost
 * (userspace/kernel/listen.c) against the fake kernel: events carry the
 * family's sequence number; a gap before an event is a loss of that size;
 * after ENOBUFS, once the queue was read empty, VERSION_GET on the
 * listening socket says the last number sent, and the numbers up to it
 * that did not arrive are the rest of the loss. A module without numbers
 * gets the old, uncounted report.
 *
 * The "kernel" here is a script of steps: what to send when the tool asks
 * VERSION_GET, and what to send after the tool has seen an event.
 */
#include <errno.h>
#include <signal.h>

#include "cli/cli.h"
#include "fake_kernel.h"
#include "unit.h"

/* What happened, in order: "e12" an event, "l3@14" a loss, "l?" uncounted. */
static char seen[512];
static volatile sig_atomic_t stop;

static struct {
	bool numbered;		/* the module gives VGPU_A_EVENT_SEQ */
	int queries;		/* VERSION_GET asked so far */
	uint32_t answer[4];	/* the last number sent, per question */
	int nevents;		/* stop after this many callbacks */
	bool gone;		/* the family is gone after the first question */
	int calls;
} k;

static void event(uint32_t seq)
{
	struct nl_msg *m = fake_msg(VGPU_CMD_EVENT);

	nla_put_u8(m, VGPU_A_EVENT, VGPU_EVENT_DEV_CHANGE);
	nla_put_string(m, VGPU_A_DEV_HANDLE, "pci/0000:00:02.0");
	if (k.numbered)
		nla_put_u32(m, VGPU_A_EVENT_SEQ, seq);
	fk_event(m);
}

static void script(const struct nlmsghdr *req, int n, void *arg)
{
	const struct genlmsghdr *g = nlmsg_data(req);
	struct nl_msg *r;

	(void)n;
	(void)arg;
	if (g->cmd != VGPU_CMD_VERSION_GET) {
		fk_answer(fk_error(req, -EOPNOTSUPP, "unexpected"), NULL);
		return;
	}
	if (k.gone && k.queries) {
		k.queries++;
		fk_answer(fk_error(req, -ENOENT, NULL), NULL);
		return;
	}
	r = fk_reply(req, 0);
	nla_put_string(r, VGPU_A_VERSION, "0.1.0");
	nla_put_u32(r, VGPU_A_API_VERSION, VGPU_API_VERSION);
	if (k.numbered)
		nla_put_u32(r, VGPU_A_EVENT_SEQ, k.answer[k.queries]);
	k.queries++;
	fk_answer(r, fk_ack(req), NULL);
	/* After the first answer: events 11 and 12 (the count starts at 10). */
	if (k.queries == 1) {
		event(11);
		event(12);
	}
}

static int on_event(struct nlattr **tb, const struct vgpu_nl_loss *loss,
		    void *arg)
{
	size_t len = strlen(seen);

	(void)arg;
	if (tb)
		snprintf(seen + len, sizeof(seen) - len, "e%u ",
			 tb[VGPU_A_EVENT_SEQ] ? nla_get_u32(tb[VGPU_A_EVENT_SEQ]) : 0);
	else if (loss->counted)
		snprintf(seen + len, sizeof(seen) - len, "l%u@%u ", loss->count,
			 loss->first);
	else
		snprintf(seen + len, sizeof(seen) - len, "l? ");
	/*
	 * After the second event (12) the queue overflows: event 13 was kept, 14 to 16
	 * were dropped, 17 came after the tool read again.
	 */
	if (k.calls == 1) {
		fk_overflow();
		event(13);
		event(17);
	}
	if (++k.calls == k.nevents)
		stop = 1;
	return 0;
}

static void run(bool numbered, int nevents, const char *want, int queries,
		const char *file, int line)
{
	sigset_t mask;
	struct vgpu_nl nl;

	memset(&k, 0, sizeof(k));
	k.numbered = numbered;
	k.answer[0] = 10;
	/* 18 to 20 were sent and dropped after 17: the end of the burst. */
	k.answer[1] = 20;
	k.nevents = nevents;
	seen[0] = '\0';
	stop = 0;
	fk_open(&nl, script, NULL);
	if (vgpu_nl_subscribe(&nl) < 0)
		unit_fail(file, line, "subscribe: %s", vgpu_nl_strerror(&nl));
	sigprocmask(SIG_SETMASK, NULL, &mask);
	if (vgpu_nl_listen(&nl, on_event, NULL, true, &stop, &mask) < 0)
		unit_fail(file, line, "listen: %s", vgpu_nl_strerror(&nl));
	fk_close(&nl);
	if (strcmp(seen, want))
		unit_fail(file, line, "seen \"%s\", want \"%s\"", seen, want);
	if (k.queries != queries)
		unit_fail(file, line, "%d questions, want %d", k.queries, queries);
}

/* The gap before 17 and the end of the burst, each counted exactly. */
TEST(listen_counts_a_loss)
{
	run(true, 6, "e11 e12 e13 l3@14 e17 l3@18 ", 2, __FILE__, __LINE__);
}

/* Without numbers (an older module): lost, but how many is not known. */
TEST(listen_without_numbers)
{
	run(false, 5, "e0 e0 l? e0 e0 ", 1, __FILE__, __LINE__);
}

/*
 * The overflow dropped nlctrl's notice of an rmmod too: the question after
 * it finds the family gone (genetlink's ENOENT) and the loop ends, saying so.
 */
TEST(listen_family_gone_in_an_overflow)
{
	sigset_t mask;
	struct vgpu_nl nl;
	int ret;

	memset(&k, 0, sizeof(k));
	k.numbered = true;
	k.answer[0] = 10;
	k.gone = true;
	k.nevents = 100;
	seen[0] = '\0';
	stop = 0;
	fk_open(&nl, script, NULL);
	CHECK_INT(vgpu_nl_subscribe(&nl), 0);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	ret = vgpu_nl_listen(&nl, on_event, NULL, true, &stop, &mask);
	CHECK_INT(ret, -ENODEV);
	CHECK_STR(vgpu_nl_strerror(&nl),
		  "the vgpu_nl module was unloaded: no more events (modprobe vgpu_nl, then start monitor again)");
	fk_close(&nl);
	CHECK_STR(seen, "e11 e12 e13 l3@14 e17 ");
	CHECK_INT(k.queries, 2);
}

/* The whole command: the script plays both bursts, then a ^C ends it. */
static void monitor_script(const struct nlmsghdr *req, int n, void *arg)
{
	const struct genlmsghdr *g = nlmsg_data(req);
	struct nl_msg *r;

	(void)n;
	(void)arg;
	r = fk_reply(req, 0);
	nla_put_string(r, VGPU_A_VERSION, "0.1.0");
	nla_put_u32(r, VGPU_A_API_VERSION, VGPU_API_VERSION);
	nla_put_u32(r, VGPU_A_EVENT_SEQ, k.queries ? 20 : 10);
	if (g->cmd != VGPU_CMD_VERSION_GET)
		abort();
	fk_answer(r, fk_ack(req), NULL);
	if (!k.queries++) {
		event(11);
		event(12);
		fk_overflow();
		event(13);
		event(17);
	} else {
		raise(SIGINT);	/* pending: taken in the wait */
	}
}

#define LOST(n, a, b)	"Warning: " n " events were lost (the kernel's queue overflowed: " \
			"events " a " to " b "); re-read the state with 'vgpu-nl dev show', " \
			"'vgpu-nl vf show' and 'vgpu-nl mdev show'\n"

TEST(monitor_says_how_many_it_lost)
{
	struct run r;

	memset(&k, 0, sizeof(k));
	k.numbered = true;
	fk_start(monitor_script, NULL);
	run_tool(&r, "-j", "monitor", (const char *)NULL);
	CHECK_INT(fk_stop(), 2);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out,
		  "{\"event\":\"dev-change\",\"handle\":\"pci/0000:00:02.0\"}\n"
		  "{\"event\":\"dev-change\",\"handle\":\"pci/0000:00:02.0\"}\n"
		  "{\"event\":\"dev-change\",\"handle\":\"pci/0000:00:02.0\"}\n"
		  "{\"event\":\"dev-change\",\"handle\":\"pci/0000:00:02.0\"}\n");
	CHECK_STR(r.err, LOST("3", "14", "16") LOST("3", "18", "20"));
	run_free(&r);
}
