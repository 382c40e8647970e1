// SPDX-License-Identifier: GPL-2.0
/*
 * genl-fuzz - a generic netlink fuzzer for the "vgpu" family
 *
 * usage: genl-fuzz [--messages N] [--seconds S] [--jobs N] [--unpriv N]
 *                  [--mode fuzz|crosstalk|valid] [--seed N] [--numvfs-every N]
 *                  [--timeout S] [--reconnect]
 *
 * Runs --jobs workers at once (default 3), the last --unpriv of them
 * (default 1) as uid/gid 65534 without groups or capabilities, until
 * together they have sent N requests or S seconds have passed (at least
 * one of the two is needed). Mode fuzz sends valid, random and malformed
 * requests (fuzz_gen.c), state-changing ones included; mode crosstalk
 * sends only requests whose refusal names a handle or UUID unique to the
 * request, to catch one client reading another's error text; mode valid
 * sends what a correct client would, on the host's real objects (a load
 * for stress tests). --reconnect: when the family goes away (rmmod
 * vgpu_nl), wait up to 120 s for it to come back and go on.
 *
 * Prints what was sent (messages, messages/s, per command), the answers
 * by errno, and each finding (fuzz_check.c):
 *   no-text    a module error without an extack text
 *   foreign    a reply naming a handle or UUID the request did not name
 *   filter     a filtered dump listing another device's objects
 *   unpriv     an unprivileged state change that was not refused
 *   timeout    no answer within --timeout seconds (default 30): the
 *              module stopped answering
 * then checks that the module still answers. Exit status 0 when there is
 * no finding, 1 otherwise, 2 if it could not run (usage, no module).
 * --seed reproduces a run (the seed is printed); worker i uses seed + i.
 * --numvfs-every N: worker 0 may change the VF count once per N requests
 * (default 400; 0: never).
 */
#define _GNU_SOURCE	/* setresuid(), strerrorname_np() */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include "fuzz.h"

#define NOBODY		65534
#define MAX_DETAILS	25		/* finding lines printed per kind */
#define NOTEXT_ERRNOS	135		/* errnos counted one by one */

enum finding { F_NOTEXT, F_FOREIGN, F_FILTER, F_UNPRIV, F_TIMEOUT, F_NR };
static const char *const finding_name[F_NR] = {
	"no-text", "foreign", "filter", "unpriv", "timeout",
};

/* Counters shared by the workers (MAP_SHARED), updated atomically. */
struct stats {
	unsigned long sent, unpriv_sent, refreshes, data, dump_intr;
	unsigned long answered, unanswered, texts, texts_at_limit;
	unsigned long errors;		/* answered with an error */
	unsigned long by_errno[FUZZ_MAX_ERRNO + 1];
	unsigned long by_cmd[256];
	unsigned long numvfs_changes;
	unsigned long found[F_NR], shown[F_NR];
	/* Module errors without a text by command, do/dump and errno. */
	unsigned long notext[VGPU_CMD_MAX + 1][2][NOTEXT_ERRNOS];
	unsigned long recv_errors, setup_failed, reconnects;
	int stop;
};

static struct {
	unsigned long messages;
	unsigned int seconds, jobs, unpriv, numvfs_every, timeout;
	unsigned int seed;
	enum fuzz_mode mode;
	bool reconnect;
} opt = {
	.jobs = 3, .unpriv = 1, .numvfs_every = 400, .timeout = 30,
};

static const char *const mode_name[] = {
	[FUZZ_MODE_FUZZ] = "fuzz", [FUZZ_MODE_CROSSTALK] = "crosstalk",
	[FUZZ_MODE_VALID] = "valid",
};

static struct stats *st;
static struct fuzz_world world;
static double t0;

#define ADD(field, n) __atomic_fetch_add(&st->field, (n), __ATOMIC_RELAXED)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fputs("usage: genl-fuzz [--messages N] [--seconds S] [--jobs N] [--unpriv N]\n"
	      "                 [--mode fuzz|crosstalk|valid] [--seed N] [--numvfs-every N]\n"
	      "                 [--timeout S] [--reconnect]\n", f);
}

/* One line, written whole: workers print at the same time. */
__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, n) < 0)
		return;
}

static void hex(const unsigned char *p, size_t len, char *out, size_t olen)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 3 < olen; i++)
		o += snprintf(out + o, olen - o, "%02x", p[i]);
	out[o] = '\0';
}

static void report(enum finding f, int worker, const struct fuzz_req *r,
		   const unsigned char *msg, size_t len,
		   const struct fuzz_answer *a, const char *what)
{
	char h[2 * 160 + 1];

	ADD(found[f], 1);
	if (ADD(shown[f], 1) >= MAX_DETAILS)
		return;
	hex(msg, len < 160 ? len : 160, h, sizeof(h));
	say("FINDING %s: worker %d%s, %s%s flags 0x%x: errno %d, text \"%s\"%s%s",
	    finding_name[f], worker, opt.unpriv && worker >= (int)(opt.jobs - opt.unpriv) ?
	    " (uid 65534)" : "", fuzz_cmd_name(r->cmd), r->dump ? " dump" : "",
	    r->flags, a->error, a->has_text ? a->text : "", what ? ": " : "",
	    what ? what : "");
	say("  request (%zu bytes): %s%s", len, h, len > 160 ? "..." : "");
}

static void count_answer(const struct fuzz_req *r, const struct fuzz_answer *a)
{
	int e = -a->error;

	if (!a->done) {
		ADD(unanswered, 1);
		return;
	}
	ADD(answered, 1);
	if (e < 0 || e > FUZZ_MAX_ERRNO)
		e = FUZZ_MAX_ERRNO;
	ADD(by_errno[e], 1);
	if (a->error)
		ADD(errors, 1);
	if (a->has_text) {
		ADD(texts, 1);
		/* 6.1's and NL_SET_ERR_MSG_FMT's buffers hold 79 chars. */
		if (strlen(a->text) >= 79 && ADD(texts_at_limit, 1) < 5)
			say("TEXT at the length limit (%s): \"%s\"",
			    fuzz_cmd_name(r->cmd), a->text);
	}
	if (a->dump_intr)
		ADD(dump_intr, 1);
	if (a->recv_errno)
		ADD(recv_errors, 1);
}

static bool time_up(void)
{
	if (__atomic_load_n(&st->stop, __ATOMIC_RELAXED))
		return true;
	if (opt.seconds && now() - t0 >= opt.seconds)
		return true;
	return opt.messages && __atomic_load_n(&st->sent, __ATOMIC_RELAXED) >= opt.messages;
}

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -errno;
	return getuid() == NOBODY && geteuid() == NOBODY ? 0 : -EPERM;
}

/* Is the family gone (unloaded, or loaded again under a new id)? */
static bool family_gone(const struct fuzz_sock *s)
{
	struct fuzz_sock t;
	bool gone;

	if (fuzz_sock_open(&t, opt.timeout))
		return true;
	gone = t.family != s->family;
	fuzz_sock_close(&t);
	return gone;
}

/* Waits for the family to come back; 0 once the socket works again. */
static int reconnect(struct fuzz_sock *s)
{
	double until = now() + 120;

	ADD(reconnects, 1);
	fuzz_sock_close(s);
	while (now() < until && !__atomic_load_n(&st->stop, __ATOMIC_RELAXED)) {
		if (!fuzz_sock_open(s, opt.timeout))
			return 0;
		usleep(200 * 1000);
	}
	return -ETIMEDOUT;
}

static void worker(int id)
{
	static unsigned char msg[FUZZ_MSG_MAX];
	bool unpriv = id >= (int)(opt.jobs - opt.unpriv);
	struct fuzz_gen g = {
		.seed = opt.seed + id * 7919 + 1, .mode = opt.mode,
		.w = &world, .unpriv = unpriv,
	};
	unsigned long n = 0, since_numvfs = opt.numvfs_every;
	struct fuzz_verdict v;
	struct fuzz_check_ctx c = { .w = &world, .unpriv = unpriv, .v = &v };
	static struct fuzz_req req;
	struct fuzz_answer a;
	struct fuzz_sock s;
	size_t len;
	int ret;

	if (unpriv && (ret = drop_privileges())) {
		say("genl-fuzz: worker %d: cannot become uid %d: %s", id, NOBODY,
		    strerror(-ret));
		ADD(setup_failed, 1);
		exit(1);
	}
	ret = fuzz_sock_open(&s, opt.timeout);
	if (ret) {
		say("genl-fuzz: worker %d: no \"%s\" family: %s", id,
		    VGPU_GENL_NAME, strerror(-ret));
		ADD(setup_failed, 1);
		exit(1);
	}
	c.req = &req;
	while (!time_up()) {
		if (n++ % 300 == 0) {
			ret = fuzz_world_refresh(&world, &s);
			ADD(refreshes, 1);
			if (ret && opt.reconnect && family_gone(&s)) {
				if (reconnect(&s))
					break;
				n = 0;
				continue;
			}
			if (ret == -ETIMEDOUT) {
				memset(&a, 0, sizeof(a));
				req.cmd = VGPU_CMD_DEV_GET;
				req.dump = true;
				report(F_TIMEOUT, id, &req, msg, 0, &a,
				       "a dump of the host's state got no answer");
				break;
			}
		}
		/*
		 * Only worker 0 changes the VF count, at most every N
		 * requests (0: never).
		 */
		g.numvfs_ok = opt.numvfs_every && id == 0 && !unpriv &&
			      since_numvfs >= opt.numvfs_every;
		len = fuzz_gen_request(&g, s.family, msg, &req);
		memset(&v, 0, sizeof(v));
		ret = fuzz_request(&s, msg, len, req.sync, &a, fuzz_check_data, &c);
		ADD(sent, 1);
		ADD(by_cmd[req.cmd], 1);
		if (unpriv)
			ADD(unpriv_sent, 1);
		since_numvfs++;
		if (req.changes_numvfs) {
			since_numvfs = 0;
			ADD(numvfs_changes, 1);
		}
		if (ret == -ETIMEDOUT || a.timeout) {
			report(F_TIMEOUT, id, &req, msg, len, &a,
			       "no answer: the module stopped answering");
			__atomic_store_n(&st->stop, 1, __ATOMIC_RELAXED);
			break;
		}
		if (ret) {
			say("genl-fuzz: worker %d: send: %s", id, strerror(-ret));
			continue;
		}
		/* The genl core's answer for a family that went away. */
		if (opt.reconnect && a.error == -ENOENT && !a.has_text &&
		    family_gone(&s)) {
			if (reconnect(&s))
				break;
			n = 0;
			continue;
		}
		count_answer(&req, &a);
		fuzz_check_answer(&c, &a);
		if (v.notext) {
			report(F_NOTEXT, id, &req, msg, len, &a, a.bad_text ?
			       "the text attribute is no string (changed while copied?)" :
			       "the module refused without saying why");
			if (req.cmd <= VGPU_CMD_MAX)
				ADD(notext[req.cmd][req.dump][-a.error < NOTEXT_ERRNOS ?
							       -a.error : 0], 1);
		}
		if (v.foreign)
			report(F_FOREIGN, id, &req, msg, len, &a, v.foreign_name);
		if (v.bad_filter)
			report(F_FILTER, id, &req, msg, len, &a, v.foreign_name);
		if (v.unpriv_ok)
			report(F_UNPRIV, id, &req, msg, len, &a,
			       "accepted from uid 65534");
	}
	fuzz_sock_close(&s);
	exit(0);
}

static void on_signal(int sig)
{
	(void)sig;
	if (st)
		st->stop = 1;
}

static int parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "messages", required_argument, NULL, 'm' },
		{ "seconds", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "unpriv", required_argument, NULL, 'u' },
		{ "mode", required_argument, NULL, 'M' },
		{ "seed", required_argument, NULL, 'S' },
		{ "numvfs-every", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "reconnect", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	bool seeded = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'm': opt.messages = strtoul(optarg, NULL, 0); break;
		case 's': opt.seconds = strtoul(optarg, NULL, 0); break;
		case 'j': opt.jobs = strtoul(optarg, NULL, 0); break;
		case 'u': opt.unpriv = strtoul(optarg, NULL, 0); break;
		case 'n': opt.numvfs_every = strtoul(optarg, NULL, 0); break;
		case 't': opt.timeout = strtoul(optarg, NULL, 0); break;
		case 'r': opt.reconnect = true; break;
		case 'S': opt.seed = strtoul(optarg, NULL, 0); seeded = true; break;
		case 'M':
			if (!strcmp(optarg, "fuzz"))
				opt.mode = FUZZ_MODE_FUZZ;
			else if (!strcmp(optarg, "crosstalk"))
				opt.mode = FUZZ_MODE_CROSSTALK;
			else if (!strcmp(optarg, "valid"))
				opt.mode = FUZZ_MODE_VALID;
			else
				return -1;
			break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	if (optind != argc || (!opt.messages && !opt.seconds) || !opt.jobs ||
	    opt.jobs > 64 || opt.unpriv > opt.jobs || !opt.timeout)
		return -1;
	if (!seeded)
		opt.seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	return 0;
}

static const char *errname(int e)
{
	const char *n = e ? strerrorname_np(e) : "ok";

	return n ? n : "?";
}

static void print_report(double secs)
{
	unsigned long other = 0;
	int i, d, e;

	say("messages sent: %lu (%lu as uid 65534), %lu VF count changes asked",
	    st->sent, st->unpriv_sent, st->numvfs_changes);
	say("seconds: %.1f", secs);
	say("messages/s: %.0f", secs > 0 ? st->sent / secs : 0.0);
	say("state dumps for the generator: %lu", st->refreshes);
	say("by command:");
	for (i = 0; i < 256; i++) {
		if (i > VGPU_CMD_MAX)
			other += st->by_cmd[i];
		else if (st->by_cmd[i])
			say("  %-13s %lu", fuzz_cmd_name(i), st->by_cmd[i]);
	}
	say("  %-13s %lu", "(no such)", other);
	say("answers by errno (%lu answered, %lu with nothing, as asked):",
	    st->answered, st->unanswered);
	for (i = 0; i <= FUZZ_MAX_ERRNO; i++)
		if (st->by_errno[i])
			say("  %-13s %3d  %lu", errname(i), i, st->by_errno[i]);
	say("texts: %lu (%lu of them 79 characters or more: cut?)",
	    st->texts, st->texts_at_limit);
	say("dumps flagged NLM_F_DUMP_INTR: %lu; receive errors: %lu; reconnects after an unload: %lu",
	    st->dump_intr, st->recv_errors, st->reconnects);
	say("module errors without a text: %lu", st->found[F_NOTEXT]);
	for (i = 0; i <= VGPU_CMD_MAX; i++)
		for (d = 0; d < 2; d++)
			for (e = 0; e < NOTEXT_ERRNOS; e++)
				if (st->notext[i][d][e])
					say("  %s%s %s: %lu", fuzz_cmd_name(i),
					    d ? " dump" : "", e ? errname(e) : "(other)",
					    st->notext[i][d][e]);
	say("replies naming a handle or UUID not in the request: %lu of %lu error replies",
	    st->found[F_FOREIGN], st->errors);
	say("filtered dumps listing other devices: %lu", st->found[F_FILTER]);
	say("unprivileged changes accepted: %lu", st->found[F_UNPRIV]);
	say("requests without an answer (timeouts): %lu", st->found[F_TIMEOUT]);
}

/* After the run, as root: does the module still answer? */
static bool still_answers(void)
{
	struct fuzz_answer a;
	struct fuzz_sock s;
	int ret;

	ret = fuzz_sock_open(&s, opt.timeout);
	if (ret) {
		say("module answers afterwards: no (%s)", strerror(-ret));
		return false;
	}
	ret = fuzz_dump(&s, VGPU_CMD_DEV_GET, NULL, &a, NULL, NULL);
	fuzz_sock_close(&s);
	if (ret || a.error || !a.ndata) {
		say("module answers afterwards: no (dump: %s, errno %d, %d devices)",
		    ret ? strerror(-ret) : "ok", a.error, a.ndata);
		return false;
	}
	say("module answers afterwards: yes (%d devices)", a.ndata);
	return true;
}

int main(int argc, char **argv)
{
	struct fuzz_sock s;
	unsigned int i;
	bool alive;
	int ret, status;
	pid_t pid;

	if (parse_args(argc, argv)) {
		usage(stderr);
		return 2;
	}
	ret = fuzz_sock_open(&s, opt.timeout);
	if (ret) {
		fprintf(stderr, "genl-fuzz: no \"%s\" family: %s (vgpu_nl loaded?)\n",
			VGPU_GENL_NAME, strerror(-ret));
		return 2;
	}
	fuzz_world_scan_pci(&world);
	ret = fuzz_world_refresh(&world, &s);
	fuzz_sock_close(&s);
	if (ret) {
		fprintf(stderr, "genl-fuzz: cannot read the host's state: %s\n",
			strerror(-ret));
		return 2;
	}
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED) {
		perror("genl-fuzz: mmap");
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	say("genl-fuzz: mode %s, seed %u, %u workers (%u as uid 65534), family %s id %u",
	    mode_name[opt.mode], opt.seed, opt.jobs,
	    opt.unpriv, VGPU_GENL_NAME, s.family);
	say("genl-fuzz: limit %lu messages, %u s; %d devices, SR-IOV PF %s (%d VFs), %d types, %d mdevs, %d PCI functions known",
	    opt.messages, opt.seconds, world.ndevs, world.pf[0] ? world.pf : "none",
	    world.totalvfs, world.ntypes, world.nmdevs, world.npci);

	t0 = now();
	for (i = 0; i < opt.jobs; i++) {
		pid = fork();
		if (pid < 0) {
			perror("genl-fuzz: fork");
			st->stop = 1;
			break;
		}
		if (pid == 0)
			worker(i);
	}
	while (wait(&status) > 0 || errno == EINTR)
		;
	print_report(now() - t0);
	alive = still_answers();
	return st->setup_failed || !alive || st->found[F_NOTEXT] ||
	       st->found[F_FOREIGN] || st->found[F_FILTER] ||
	       st->found[F_UNPRIV] || st->found[F_TIMEOUT] ? 1 : 0;
}
