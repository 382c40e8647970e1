// SPDX-License-Identifier: GPL-2.0
/*
 * test_apply.c - "apply", "save" and "reset" run whole (run_tool) against
 * a scripted kernel that keeps state, on a fake /proc, /sys and
 * /etc/mdevctl.d
 *
 * Topology: PF pci/0000:01:00.0 (totalvfs 7, an mdev parent with type
 * i915-GVTg_V5_4), VF i at pci/0000:01:00.(i+1); quotas (ggtt, contexts)
 * in VF_GET replies only when k.layout is set, as when the PF has a
 * provisioning layout; a provisioning mode in DEV_GET when k.mode is set,
 * which a quota set makes custom and DEV_SET switches (back to auto with
 * VFs: disabled and enabled again, as the kernel does).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "persist/config.h"
#include "fake_host.h"
#include "fake_kernel.h"
#include "unit.h"

#define RUN(r, ...)	run_tool(r, __VA_ARGS__, (const char *)NULL)

#define PF	"pci/0000:01:00.0"
#define VF1	"pci/0000:01:00.2"
#define T4	"i915-GVTg_V5_4"
#define U1	"3f6c1a2e-4b1d-4c8e-9a57-0e2d5b7c9f10"
#define UF	"00000100-0000-0000-0000-000000000001"

static struct {
	int numvfs;
	bool autoprobe;
	bool layout;
	char override[7][16];
	uint64_t ggtt[7];
	struct { char uuid[40]; char type[32]; bool owned; } mdev[4];
	int nmdevs;
	int mode;		/* VGPU_PROV_MODE_*, 0: no modes */
	int vf_set_error;
	const char *vf_set_text;
	int cmds[32];		/* the commands of SET/ADD/DEL requests */
	int ncmds;
	int signal_on_dev_set;	/* raise() it at the next DEV_SET, once */
	int signal_on_mdev_del;	/* ... at the next MDEV_DEL, once */
} k;

static void put_vf(struct nl_msg *m, int i)
{
	struct nlattr *q;

	if (k.override[i][0]) {
		nla_put_string(m, VGPU_A_VF_DRIVER, k.override[i]);
		nla_put_string(m, VGPU_A_VF_DRIVER_OVERRIDE, k.override[i]);
	}
	if (!k.layout)
		return;
	q = nla_nest_start(m, VGPU_A_VF_QUOTA);
	nla_put_u64(m, VGPU_A_QUOTA_GGTT, k.ggtt[i]);
	nla_put_u32(m, VGPU_A_QUOTA_CONTEXTS, 1024);
	nla_nest_end(m, q);
}

static void set_numvfs(int n)
{
	memset(k.override, 0, sizeof(k.override));
	memset(k.ggtt, 0, sizeof(k.ggtt));
	k.numvfs = n;
}

static void script(const struct nlmsghdr *req, int n, void *arg)
{
	struct nlattr *tb[VGPU_A_MAX + 1], *sr[VGPU_A_SRIOV_MAX + 1];
	struct nlattr *q[VGPU_A_QUOTA_MAX + 1];
	int cmd = ((const struct genlmsghdr *)nlmsg_data(req))->cmd;
	char h[32];
	struct nl_msg *m;
	int i;

	(void)n;
	(void)arg;
	genlmsg_parse((struct nlmsghdr *)req, 0, tb, VGPU_A_MAX, NULL);
	if (cmd == VGPU_CMD_DEV_SET || cmd == VGPU_CMD_VF_SET ||
	    cmd == VGPU_CMD_MDEV_ADD || cmd == VGPU_CMD_MDEV_DEL)
		k.cmds[k.ncmds++] = cmd;
	switch (cmd) {
	case VGPU_CMD_DEV_GET:
		m = fk_dev(req, PF);
		fake_sriov(m, 7, k.numvfs, k.autoprobe);
		nla_put_u8(m, VGPU_A_DEV_MDEV_PARENT, 1);
		if (k.mode)
			nla_put_u8(m, VGPU_A_DEV_PROV_MODE, k.mode);
		fk_answer(m, fk_done(req, 0, NULL), NULL);
		break;
	case VGPU_CMD_VF_GET:
		for (i = 0; i < k.numvfs; i++) {
			snprintf(h, sizeof(h), "pci/0000:01:00.%d", i + 1);
			m = fk_vf(req, NLM_F_MULTI, h, PF, i);
			put_vf(m, i);
			fk_answer(m, NULL);
		}
		fk_answer(fk_done(req, 0, NULL), NULL);
		break;
	case VGPU_CMD_MDEV_GET:
		for (i = 0; i < k.nmdevs; i++) {
			m = fk_reply(req, NLM_F_MULTI);
			nla_put_string(m, VGPU_A_MDEV_UUID, k.mdev[i].uuid);
			nla_put_string(m, VGPU_A_MDEV_PARENT, PF);
			nla_put_string(m, VGPU_A_MDEV_TYPE, k.mdev[i].type);
			nla_put_u8(m, VGPU_A_MDEV_OWNED, k.mdev[i].owned);
			fk_answer(m, NULL);
		}
		fk_answer(fk_done(req, 0, NULL), NULL);
		break;
	case VGPU_CMD_TYPE_GET:
		if (strcmp(nla_data(tb[VGPU_A_TYPE_NAME]), T4)) {
			fk_answer(fk_error(req, -ENOENT, "no such mdev type"), NULL);
			break;
		}
		m = fk_reply(req, 0);
		nla_put_string(m, VGPU_A_DEV_HANDLE, PF);
		nla_put_string(m, VGPU_A_TYPE_NAME, T4);
		nla_put_u32(m, VGPU_A_TYPE_AVAILABLE, 1);
		fk_answer(m, fk_ack(req), NULL);
		break;
	case VGPU_CMD_DEV_SET:
		memset(sr, 0, sizeof(sr));
		if (tb[VGPU_A_DEV_SRIOV])
			nla_parse_nested(sr, VGPU_A_SRIOV_MAX,
					 tb[VGPU_A_DEV_SRIOV], NULL);
		if (sr[VGPU_A_SRIOV_AUTOPROBE])
			k.autoprobe = nla_get_u8(sr[VGPU_A_SRIOV_AUTOPROBE]);
		if (tb[VGPU_A_DEV_PROV_MODE]) {
			i = nla_get_u8(tb[VGPU_A_DEV_PROV_MODE]) ==
			    VGPU_PROV_MODE_AUTO && k.mode == VGPU_PROV_MODE_CUSTOM ?
			    k.numvfs : 0;
			k.mode = nla_get_u8(tb[VGPU_A_DEV_PROV_MODE]);
			if (i)
				set_numvfs(i);	/* the VFs went and came back */
			m = fk_reply(req, 0);
			nla_put_string(m, VGPU_A_DEV_HANDLE, PF);
			nla_put_u8(m, VGPU_A_DEV_PROV_MODE, k.mode);
			nla_put_u16(m, VGPU_A_DEV_PROV_CYCLED, i);
		} else {
			m = NULL;
		}
		if (sr[VGPU_A_SRIOV_NUMVFS])
			set_numvfs(nla_get_u16(sr[VGPU_A_SRIOV_NUMVFS]));
		if (k.signal_on_dev_set)
			raise(k.signal_on_dev_set);	/* held back by apply */
		k.signal_on_dev_set = 0;
		if (m)
			fk_answer(m, fk_ack(req), NULL);
		else
			fk_answer(fk_ack(req), NULL);
		break;
	case VGPU_CMD_VF_SET:
		if (k.vf_set_error) {
			fk_answer(fk_error(req, k.vf_set_error, k.vf_set_text), NULL);
			break;
		}
		i = ((const char *)nla_data(tb[VGPU_A_VF_HANDLE]))[15] - '1';
		if (tb[VGPU_A_VF_DRIVER_OVERRIDE])
			snprintf(k.override[i], sizeof(k.override[i]), "%s",
				 (char *)nla_data(tb[VGPU_A_VF_DRIVER_OVERRIDE]));
		if (tb[VGPU_A_VF_QUOTA]) {
			nla_parse_nested(q, VGPU_A_QUOTA_MAX, tb[VGPU_A_VF_QUOTA], NULL);
			/* Only what changes is sent. */
			CHECK(!q[VGPU_A_QUOTA_CONTEXTS]);
			if (q[VGPU_A_QUOTA_GGTT])
				k.ggtt[i] = nla_get_u64(q[VGPU_A_QUOTA_GGTT]);
			if (k.mode)
				k.mode = VGPU_PROV_MODE_CUSTOM;
		}
		fk_answer(fk_ack(req), NULL);
		break;
	case VGPU_CMD_MDEV_ADD:
		i = k.nmdevs++;
		snprintf(k.mdev[i].uuid, 40, "%s", (char *)nla_data(tb[VGPU_A_MDEV_UUID]));
		snprintf(k.mdev[i].type, 32, "%s", (char *)nla_data(tb[VGPU_A_TYPE_NAME]));
		k.mdev[i].owned = true;
		fk_answer(fk_ack(req), NULL);
		break;
	case VGPU_CMD_MDEV_DEL:
		for (i = 0; i < k.nmdevs; i++)
			if (!strcmp(k.mdev[i].uuid, nla_data(tb[VGPU_A_MDEV_UUID])))
				k.mdev[i] = k.mdev[--k.nmdevs];
		if (k.signal_on_mdev_del)
			raise(k.signal_on_mdev_del);	/* held back by reset */
		k.signal_on_mdev_del = 0;
		fk_answer(fk_ack(req), NULL);
		break;
	default:
		fk_answer(fk_error(req, -EOPNOTSUPP, NULL), NULL);
	}
}

static void start(const char *conf)
{
	memset(&k, 0, sizeof(k));
	k.autoprobe = true;
	fh_setup();
	fh_write("c.conf", conf);
	fk_start(script, NULL);
}

static void stop(void)
{
	fk_stop();
	fh_teardown();
}

/* The state every change case converges to, as a file. */
#define FULL								\
	"device " PF " numvfs 3 autoprobe off\n"			\
	"vf " PF "/1 driver vfio-pci quota ggtt 512M contexts 1024\n"	\
	"mdev " U1 " parent " PF " type " T4 "\n"

TEST(apply_makes_each_change_then_nothing)
{
	struct run r;

	start(FULL);
	k.layout = true;
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out,
		  "autoprobe " PF " on -> off\n"
		  "numvfs " PF " 0 -> 3\n"
		  "quota " VF1 " ggtt 0 -> 512M\n"
		  "driver " VF1 " (none) -> vfio-pci\n"
		  "mdev add " U1 " parent " PF " type " T4 "\n");
	CHECK_STR(r.err, "");
	CHECK_INT(k.ncmds, 3);
	CHECK_INT(k.cmds[0], VGPU_CMD_DEV_SET);
	CHECK_INT(k.cmds[1], VGPU_CMD_VF_SET);
	CHECK_INT(k.cmds[2], VGPU_CMD_MDEV_ADD);
	CHECK(k.ggtt[1] == 512ULL << 20);
	CHECK_STR(k.override[1], "vfio-pci");
	run_free(&r);

	/* Converged: the same file again changes nothing. */
	k.ncmds = 0;
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "nothing to change\n");
	CHECK_INT(k.ncmds, 0);
	run_free(&r);

	/* save writes what apply reads back, and that changes nothing. */
	RUN(&r, "save", fh_path("saved.conf"));
	CHECK_INT(r.status, EXIT_OK);
	run_free(&r);
	RUN(&r, "apply", fh_path("saved.conf"));
	CHECK_STR(r.out, "nothing to change\n");
	CHECK_INT(k.ncmds, 0);
	run_free(&r);
	stop();
}

TEST(save_writes_the_state)
{
	struct run r;
	char *text;

	start("");
	k.layout = true;
	set_numvfs(2);
	k.autoprobe = false;
	strcpy(k.override[0], "vfio-pci");
	k.ggtt[1] = 3ULL << 30;
	k.nmdevs = 2;
	strcpy(k.mdev[0].uuid, U1);
	strcpy(k.mdev[0].type, T4);
	k.mdev[0].owned = true;
	strcpy(k.mdev[1].uuid, UF);
	strcpy(k.mdev[1].type, T4);
	RUN(&r, "save", "-");
	CHECK_INT(r.status, EXIT_OK);
	CHECK(strstr(r.out,
		     "device " PF " numvfs 2 autoprobe off\n"
		     "vf " PF "/0 driver vfio-pci quota ggtt 0 contexts 1024\n"
		     "vf " PF "/1 quota ggtt 3G contexts 1024\n"
		     "mdev " U1 " parent " PF " type " T4 "\n"
		     "# not created by vgpu-nl, left out: mdev " UF " parent " PF " type " T4 "\n") != NULL);
	CHECK_STR(r.err, "");
	run_free(&r);
	RUN(&r, "save", fh_path("elsewhere.conf"));
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "");
	text = fh_read("elsewhere.conf");
	CHECK(text && strstr(text, "vf " PF "/1 quota ggtt 3G"));
	CHECK(!fh_exists("elsewhere.conf.tmp"));
	CHECK(!fh_exists("etc/vgpu-nl"));
	free(text);
	run_free(&r);
	stop();
}

/* Without FILE: /etc/vgpu-nl/vgpu-nl.conf, where the boot-time apply looks. */
TEST(save_persists_by_default)
{
	const char *conf = "etc/vgpu-nl/vgpu-nl.conf";
	char msg[512], *text, *old;
	struct stat st;
	mode_t umask_was;
	struct run r;

	start("");
	k.layout = true;
	set_numvfs(2);
	umask_was = umask(077);
	RUN(&r, "save");
	umask(umask_was);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "");
	snprintf(msg, sizeof(msg), "saved the state to %s\n", fh_path(conf));
	CHECK_STR(r.err, msg);
	text = fh_read(conf);
	CHECK(text && strstr(text, "device " PF " numvfs 2 autoprobe on\n"));
	CHECK(stat(fh_path(conf), &st) == 0 && (st.st_mode & 07777) == 0644);
	CHECK(stat(fh_path("etc/vgpu-nl"), &st) == 0 && (st.st_mode & 07777) == 0755);
	CHECK(!fh_exists("etc/vgpu-nl/vgpu-nl.conf.tmp"));
	CHECK(!fh_exists("etc/vgpu-nl/vgpu-nl.conf.bak"));
	run_free(&r);

	/* A second save keeps the first file as .bak. */
	set_numvfs(3);
	RUN(&r, "save");
	CHECK_INT(r.status, EXIT_OK);
	snprintf(msg, sizeof(msg), "saved the state to %s (the previous one is %s.bak)\n",
		 fh_path(conf), fh_path(conf));
	CHECK_STR(r.err, msg);
	old = fh_read("etc/vgpu-nl/vgpu-nl.conf.bak");
	CHECK(old && text && !strcmp(old, text));
	free(text);
	text = fh_read(conf);
	CHECK(text && strstr(text, "device " PF " numvfs 3 autoprobe on\n"));
	CHECK(stat(fh_path("etc/vgpu-nl/vgpu-nl.conf.bak"), &st) == 0 &&
	      (st.st_mode & 07777) == 0644);
	free(old);
	free(text);
	run_free(&r);

	/* apply without FILE reads it back: nothing to change. */
	RUN(&r, "apply");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "nothing to change\n");
	run_free(&r);
	stop();
}

/* A directory that cannot be made: an error naming it, nothing written. */
TEST(save_cannot_make_the_directory)
{
	char msg[512];
	struct run r;

	start("");
	k.layout = true;
	RUN(&r, "save", fh_path("no/such/dir/x.conf"));
	CHECK_INT(r.status, EXIT_FAIL);
	snprintf(msg, sizeof(msg), "Error: cannot create %s: No such file or directory\n",
		 fh_path("no/such/dir"));
	CHECK_STR(r.err, msg);
	CHECK_STR(r.out, "");
	run_free(&r);
	stop();
}

/*
 * One apply at a time: while another holds the lock, apply waits, and
 * after apply_lock_wait_ms gives up having changed nothing; once the lock
 * is free it runs.
 */
TEST(apply_waits_for_another)
{
	char msg[512];
	unsigned int wait_was = apply_lock_wait_ms;
	struct run r;
	int fd;

	start(FULL);
	k.layout = true;
	fh_mkdir("run/vgpu-nl");
	fd = open(fh_path("run/vgpu-nl/apply.lock"), O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0);
	apply_lock_wait_ms = 1000;
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	snprintf(msg, sizeof(msg),
		 "waiting for another vgpu-nl apply to finish...\n"
		 "Error: another vgpu-nl apply still runs after 1 s (%s is locked)\n"
		 "nothing was changed\n", fh_path("run/vgpu-nl/apply.lock"));
	CHECK_STR(r.err, msg);
	CHECK_INT(k.ncmds, 0);
	run_free(&r);

	close(fd);
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "");
	CHECK_INT(k.ncmds, 3);
	run_free(&r);
	apply_lock_wait_ms = wait_was;
	stop();
}

TEST(apply_failure_part_way)
{
	struct run r;

	start(FULL);
	k.layout = true;
	k.vf_set_error = -EBUSY;
	k.vf_set_text = "GGTT quota cannot change while VFs are enabled";
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_FAIL);
	/* Stopped there, no mdev made; the VF count and autoprobe back. */
	CHECK_STR(r.out, "autoprobe " PF " on -> off\nnumvfs " PF " 0 -> 3\n"
		  "rollback: autoprobe " PF " off -> on\n"
		  "rollback: numvfs " PF " 3 -> 0\n");
	CHECK_STR(r.err,
		  "Error: quota " VF1 " ggtt 0 -> 512M: GGTT quota cannot change while VFs are enabled\n"
		  "Error: driver " VF1 " (none) -> vfio-pci: GGTT quota cannot change while VFs are enabled\n"
		  "rolling back the changes made, to the state before\n"
		  "rolled back: 2 changes, the state is as before\n");
	CHECK_INT(k.ncmds, 3);
	CHECK_INT(k.nmdevs, 0);
	run_free(&r);

	/* In JSON: the "rollback" array. */
	k.ncmds = 0;
	RUN(&r, "-j", "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK(strstr(r.out, "\"rollback\":[{\"change\":\"autoprobe\"") != NULL);
	CHECK(strstr(r.out, "{\"change\":\"numvfs\",\"handle\":\"" PF "\",\"from\":3,\"to\":0,\"done\":true}]") != NULL);
	run_free(&r);

	k.vf_set_error = 0;
	k.ncmds = 0;
	RUN(&r, "-j", "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_OK);
	CHECK(strstr(r.out, "{\"change\":\"quota\",\"handle\":\"" VF1 "\",\"key\":\"ggtt\",\"from\":0,\"to\":536870912,\"done\":true}") != NULL);
	CHECK(strstr(r.out, "{\"change\":\"mdev-add\",\"uuid\":\"" U1 "\"") != NULL);
	run_free(&r);
	stop();
}

static int apply_signals;
static int numvfs_at_signal;

static void count_apply_signal(int sig)
{
	(void)sig;
	apply_signals++;
	numvfs_at_signal = k.numvfs;
}

/*
 * ^C (or SIGTERM, a hangup) while apply changes the system: no further
 * change, what was changed is taken back as after a failure, the report
 * is printed, and only then is the signal taken.
 */
static void apply_interrupted(int sig, const char *name)
{
	struct sigaction sa = { .sa_handler = count_apply_signal }, old;
	char want[512];
	struct run r;

	start(FULL);
	k.layout = true;
	k.signal_on_dev_set = sig;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, &old);
	apply_signals = 0;
	numvfs_at_signal = -1;
	RUN(&r, "apply", fh_path("c.conf"));
	sigaction(sig, &old, NULL);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "autoprobe " PF " on -> off\nnumvfs " PF " 0 -> 3\n"
		  "rollback: autoprobe " PF " off -> on\n"
		  "rollback: numvfs " PF " 3 -> 0\n");
	snprintf(want, sizeof(want),
		 "Error: interrupted (%s): no further change\n"
		 "rolling back the changes made, to the state before\n"
		 "rolled back: 2 changes, the state is as before\n", name);
	CHECK_STR(r.err, want);
	/* DEV_SET, its rollback; no VF_SET, no MDEV_ADD. */
	CHECK_INT(k.ncmds, 2);
	CHECK_INT(k.nmdevs, 0);
	CHECK_INT(apply_signals, 1);
	CHECK_INT(numvfs_at_signal, 0);		/* after the rollback */
	run_free(&r);
	stop();
}

TEST(apply_interrupted_rolls_back)
{
	apply_interrupted(SIGINT, "SIGINT");
	apply_interrupted(SIGTERM, "SIGTERM");
	apply_interrupted(SIGHUP, "SIGHUP");
}

TEST(apply_plan_errors_change_nothing)
{
	struct run r;

	/* The mdev exists with another type: refused before anything. */
	start("device " PF " numvfs 3\n\nmdev " U1 " parent " PF " type " T4 "\n");
	k.nmdevs = 1;
	strcpy(k.mdev[0].uuid, U1);
	strcpy(k.mdev[0].type, "i915-GVTg_V5_8");
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK(strstr(r.err, "c.conf:3: mdev " U1 " exists with parent " PF
		     " type i915-GVTg_V5_8; remove it first (vgpu-nl mdev del " U1 ")\n"
		     "nothing was changed\n") != NULL);
	CHECK_INT(k.ncmds, 0);
	run_free(&r);
	stop();

	start("mdev " U1 " parent " PF " type i915-nosuch\n");
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK(strstr(r.err, "c.conf:1: no such mdev type\n") != NULL);
	run_free(&r);
	stop();

	start("vf " PF "/2 driver vfio-pci\n");
	set_numvfs(2);
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK(strstr(r.err, "c.conf:1: VF " PF "/2 will not exist: " PF
		     " has 2 VFs (set numvfs in a device line)\n") != NULL);
	CHECK_INT(k.ncmds, 0);
	run_free(&r);
	stop();

	/* Syntax errors: exit 2, whatever else the file says. */
	start("device " PF " numvfs 3\nvf " PF "/1 driver nv/idia\n");
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK(strstr(r.err, "c.conf:2: invalid driver 'nv/idia' (expected vfio, a VFIO PCI driver's name or default)\n") != NULL);
	CHECK_INT(k.ncmds, 0);
	run_free(&r);
	stop();
}

TEST(apply_device_filter_and_vf_by_address)
{
	struct run r;

	/* A VF by address not made yet: found from sriov_offset/stride. */
	start("device " PF " numvfs 2\nvf pci/0000:01:00.2 driver vfio-pci\n"
	      "device pci/0000:02:00.0 numvfs 1\n");
	fh_mkdir("sys/bus/pci/devices/0000:01:00.0");
	fh_write("sys/bus/pci/devices/0000:01:00.0/sriov_offset", "1\n");
	fh_write("sys/bus/pci/devices/0000:01:00.0/sriov_stride", "1\n");
	RUN(&r, "apply", fh_path("c.conf"), "device", "01:00.0");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "numvfs " PF " 0 -> 2\ndriver " VF1 " (none) -> vfio-pci\n");
	CHECK_STR(r.err, "");
	run_free(&r);
	/* Another device only: pci/0000:02:00.0 is not managed here. */
	RUN(&r, "apply", fh_path("c.conf"), "device", "02:00.0");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK(strstr(r.err, "c.conf:3: pci/0000:02:00.0 is not a device vgpu_nl manages") != NULL);
	run_free(&r);
	RUN(&r, "apply", fh_path("c.conf"), "device");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK(strstr(r.err, "Error: missing value for 'device'\n") != NULL);
	run_free(&r);
	stop();
}

/* 3 VFs, VF 1 on vfio-pci, mdev U1 vgpu-nl's and (@foreign) UF not. */
static void reset_start(bool foreign)
{
	start("");
	set_numvfs(3);
	strcpy(k.override[1], "vfio-pci");
	k.nmdevs = foreign ? 2 : 1;
	strcpy(k.mdev[0].uuid, U1);
	strcpy(k.mdev[0].type, T4);
	k.mdev[0].owned = true;
	strcpy(k.mdev[1].uuid, UF);
	strcpy(k.mdev[1].type, T4);
}

TEST(reset_removes_what_vgpu_nl_made)
{
	struct run r;

	reset_start(true);
	fh_define("0000:01:00.0", U1, "{}");
	RUN(&r, "reset", PF);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out,
		  "mdev del " U1 " parent " PF " type " T4 "\n"
		  "driver " VF1 " vfio-pci -> default\n"
		  "numvfs " PF " 3 -> 0\n"
		  "mdev " UF " parent " PF " type " T4 " left alone: not created by vgpu-nl\n");
	CHECK(!fh_exists("etc/mdevctl.d/0000:01:00.0/" U1));
	CHECK_INT(k.numvfs, 0);
	CHECK_INT(k.nmdevs, 1);
	run_free(&r);
	RUN(&r, "reset", PF);
	CHECK_STR(r.out, "nothing to change\n"
		  "mdev " UF " parent " PF " type " T4 " left alone: not created by vgpu-nl\n");
	run_free(&r);
	RUN(&r, "reset", "pci/0000:09:00.0");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, "Error: pci/0000:09:00.0 is not a device vgpu_nl manages (absent, or not a GPU: see vgpu-nl dev show)\n");
	run_free(&r);
	stop();
}

/* A ^C after reset's first step: no further step, and that one undone. */
TEST(reset_interrupted_rolls_back)
{
	struct sigaction sa = { .sa_handler = count_apply_signal }, old;
	struct run r;

	reset_start(false);
	k.signal_on_mdev_del = SIGINT;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	apply_signals = 0;
	RUN(&r, "reset", PF);
	sigaction(SIGINT, &old, NULL);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "mdev del " U1 " parent " PF " type " T4 "\n"
		  "rollback: mdev add " U1 " parent " PF " type " T4 "\n");
	CHECK_STR(r.err, "Error: interrupted (SIGINT): no further change\n"
		  "rolling back the changes made, to the state before\n"
		  "rolled back: 1 change, the state is as before\n");
	CHECK_INT(k.ncmds, 2);		/* MDEV_DEL, MDEV_ADD again */
	CHECK_INT(k.nmdevs, 1);
	CHECK_INT(k.numvfs, 3);
	CHECK_STR(k.override[1], "vfio-pci");
	CHECK_INT(apply_signals, 1);
	run_free(&r);
	stop();
}

/* Auto provisioning: saved as such, without the driver's shares. */
TEST(save_auto_pf_writes_no_quota)
{
	struct run r;

	start("");
	k.layout = true;
	k.mode = VGPU_PROV_MODE_AUTO;
	set_numvfs(2);
	strcpy(k.override[0], "vfio-pci");
	k.ggtt[1] = 3ULL << 30;
	RUN(&r, "save", "-");
	CHECK_INT(r.status, EXIT_OK);
	CHECK(strstr(r.out,
		     "device " PF " numvfs 2 autoprobe on provisioning auto\n"
		     "vf " PF "/0 driver vfio-pci\n") != NULL);
	CHECK(!strstr(r.out, "vf " PF "/1"));
	run_free(&r);
	/* No VFs: the mode alone. */
	set_numvfs(0);
	RUN(&r, "save", "-");
	CHECK(strstr(r.out, "\ndevice " PF " provisioning auto\n") != NULL);
	run_free(&r);
	/* Custom: the quotas are the admin's. */
	k.mode = VGPU_PROV_MODE_CUSTOM;
	set_numvfs(2);
	k.ggtt[1] = 3ULL << 30;
	RUN(&r, "save", "-");
	CHECK(strstr(r.out,
		     "device " PF " numvfs 2 autoprobe on\n"
		     "vf " PF "/0 quota ggtt 0 contexts 1024\n"
		     "vf " PF "/1 quota ggtt 3G contexts 1024\n") != NULL);
	run_free(&r);
	stop();
}

TEST(apply_provisioning_auto)
{
	struct run r;

	start("device " PF " numvfs 2 provisioning auto\n"
	      "vf " PF "/1 driver vfio-pci\n");
	k.layout = true;
	k.mode = VGPU_PROV_MODE_CUSTOM;
	set_numvfs(2);
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out,
		  "provisioning " PF " custom -> auto (its 2 VFs disabled and enabled again)\n"
		  "driver " VF1 " (none) -> vfio-pci\n");
	CHECK_INT(k.mode, VGPU_PROV_MODE_AUTO);
	run_free(&r);
	RUN(&r, "-j", "apply", fh_path("c.conf"));
	CHECK_STR(r.out, "{\"changes\":[]}\n");
	run_free(&r);
	/* Back to custom by a quota; with VFs disabled nothing cycles. */
	k.mode = VGPU_PROV_MODE_CUSTOM;
	set_numvfs(0);
	fh_write("c.conf", "device " PF " provisioning auto\n");
	RUN(&r, "-j", "apply", fh_path("c.conf"));
	CHECK(strstr(r.out, "{\"change\":\"provisioning\",\"handle\":\"" PF "\",\"from\":\"custom\",\"to\":\"auto\",\"vfs_cycled\":0,\"done\":true}") != NULL);
	run_free(&r);
	/* A file without quotas or provisioning leaves the mode. */
	k.mode = VGPU_PROV_MODE_CUSTOM;
	fh_write("c.conf", "device " PF " numvfs 1\n");
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_STR(r.out, "numvfs " PF " 0 -> 1\n");
	CHECK_INT(k.mode, VGPU_PROV_MODE_CUSTOM);
	run_free(&r);
	/* Quotas for a VF named by address, with "provisioning auto". */
	set_numvfs(2);
	k.ncmds = 0;
	fh_write("c.conf", "device " PF " provisioning auto\nvf " VF1 " quota ggtt 1G\n");
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK(strstr(r.err, "c.conf:2: VF " PF "/1: quotas set by hand make the provisioning of " PF " custom, and line 1 says auto\n") != NULL);
	CHECK_INT(k.ncmds, 0);
	run_free(&r);
	/* A PF without modes. */
	k.mode = 0;
	fh_write("c.conf", "device " PF " provisioning auto\n");
	RUN(&r, "apply", fh_path("c.conf"));
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK(strstr(r.err, "c.conf:1: " PF " has no auto and custom provisioning to choose from (see vgpu-nl dev show " PF ")\n") != NULL);
	CHECK_INT(k.ncmds, 0);
	run_free(&r);
	stop();
}

TEST(reset_restores_auto_provisioning)
{
	struct run r;

	start("");
	k.layout = true;
	k.mode = VGPU_PROV_MODE_CUSTOM;
	set_numvfs(3);
	RUN(&r, "reset", PF);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out,
		  "numvfs " PF " 3 -> 0\n"
		  "provisioning " PF " custom -> auto\n");
	CHECK_INT(k.mode, VGPU_PROV_MODE_AUTO);
	run_free(&r);
	RUN(&r, "reset", PF);
	CHECK_STR(r.out, "nothing to change\n");
	run_free(&r);
	/* Custom with no VFs (i915's auto_provisioning 0): auto again. */
	k.mode = VGPU_PROV_MODE_CUSTOM;
	RUN(&r, "-j", "reset", PF);
	CHECK_STR(r.out, "{\"changes\":[{\"change\":\"provisioning\",\"handle\":\"" PF "\",\"from\":\"custom\",\"to\":\"auto\",\"vfs_cycled\":0,\"done\":true}]}\n");
	run_free(&r);
	stop();
}
