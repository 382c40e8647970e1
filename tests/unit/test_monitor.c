// SPDX-License-Identifier: GPL-2.0
/*
 * test_monitor.c - event names and event lines, text and JSON
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>

#include "cli/monitor.h"
#include "fake.h"
#include "kernel/nl.h"
#include "output/output.h"
#include "unit.h"

TEST(event_names)
{
	char buf[32];

	CHECK_STR(event_name(VGPU_EVENT_DEV_ADD, buf, sizeof(buf)), "dev-add");
	CHECK_STR(event_name(VGPU_EVENT_DEV_DEL, buf, sizeof(buf)), "dev-del");
	CHECK_STR(event_name(VGPU_EVENT_BIND, buf, sizeof(buf)), "bind");
	CHECK_STR(event_name(VGPU_EVENT_UNBIND, buf, sizeof(buf)), "unbind");
	CHECK_STR(event_name(VGPU_EVENT_DEV_CHANGE, buf, sizeof(buf)), "dev-change");
	CHECK_STR(event_name(VGPU_EVENT_NUMVFS, buf, sizeof(buf)), "numvfs");
	CHECK_STR(event_name(VGPU_EVENT_VF_ADD, buf, sizeof(buf)), "vf-add");
	CHECK_STR(event_name(VGPU_EVENT_VF_DEL, buf, sizeof(buf)), "vf-del");
	CHECK_STR(event_name(VGPU_EVENT_MDEV_ADD, buf, sizeof(buf)), "mdev-add");
	CHECK_STR(event_name(VGPU_EVENT_MDEV_DEL, buf, sizeof(buf)), "mdev-del");
	CHECK_STR(event_name(VGPU_EVENT_QUOTA, buf, sizeof(buf)), "quota");
	/* Unknown ones are shown by number, never dropped. */
	CHECK_STR(event_name(VGPU_EVENT_UNSPEC, buf, sizeof(buf)), "event-0");
	CHECK_STR(event_name(VGPU_EVENT_MAX + 1, buf, sizeof(buf)), "event-12");
	CHECK_STR(event_name(255, buf, sizeof(buf)), "event-255");
}

/* Every value of enum vgpu_event has a name: a new one needs a new name. */
TEST(event_names_cover_the_uapi)
{
	char buf[32], want[32];
	unsigned int e;

	for (e = 1; e <= VGPU_EVENT_MAX; e++) {
		snprintf(want, sizeof(want), "event-%u", e);
		CHECK(strcmp(event_name(e, buf, sizeof(buf)), want));
	}
}

static struct nl_msg *fake_event(int event, const char *handle,
				 const char *driver)
{
	struct nl_msg *msg = fake_msg(VGPU_CMD_EVENT);

	nla_put_u8(msg, VGPU_A_EVENT, event);
	if (handle)
		nla_put_string(msg, VGPU_A_DEV_HANDLE, handle);
	if (driver)
		nla_put_string(msg, VGPU_A_DEV_DRIVER, driver);
	return msg;
}

/* Prints @msg as text and as JSON. */
static void print_event(struct nl_msg *msg, char **text, char **json)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct capture c;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		output_setup(pass == 1, false);
		capture_begin(&c);
		if (vgpu_nl_parse(msg, tb) < 0 || monitor_print_event(tb) < 0)
			unit_fail(__FILE__, __LINE__, "event not printed");
		capture_end(&c);
		free(c.err);
		*(pass ? json : text) = c.out;
	}
	output_setup(false, false);
	nlmsg_free(msg);
}

#define EVENT(msg, want_text, want_json) do {				\
	char *t_, *j_;							\
	print_event(msg, &t_, &j_);					\
	CHECK_STR(t_, want_text);					\
	CHECK_STR(j_, want_json);					\
	free(t_);							\
	free(j_);							\
} while (0)

TEST(event_lines)
{
	EVENT(fake_event(VGPU_EVENT_DEV_ADD, "pci/0000:01:00.0", NULL),
	      "dev-add pci/0000:01:00.0\n",
	      "{\"event\":\"dev-add\",\"handle\":\"pci/0000:01:00.0\"}\n");
	EVENT(fake_event(VGPU_EVENT_BIND, "pci/0000:01:00.0", "vgpu_sim"),
	      "bind pci/0000:01:00.0 driver vgpu_sim\n",
	      "{\"event\":\"bind\",\"handle\":\"pci/0000:01:00.0\",\"driver\":\"vgpu_sim\"}\n");
	EVENT(fake_event(VGPU_EVENT_UNBIND, "pci/0000:01:00.0", NULL),
	      "unbind pci/0000:01:00.0\n",
	      "{\"event\":\"unbind\",\"handle\":\"pci/0000:01:00.0\"}\n");
	EVENT(fake_event(42, "pci/0000:01:00.0", NULL),
	      "event-42 pci/0000:01:00.0\n",
	      "{\"event\":\"event-42\",\"handle\":\"pci/0000:01:00.0\"}\n");
}

TEST(event_dev_change_carries_sriov)
{
	struct nl_msg *msg = fake_event(VGPU_EVENT_DEV_CHANGE,
					"pci/0000:01:00.0", NULL);

	fake_sriov(msg, 7, 3, 0);
	EVENT(msg,
	      "dev-change pci/0000:01:00.0 sriov totalvfs 7 numvfs 3 autoprobe off\n",
	      "{\"event\":\"dev-change\",\"handle\":\"pci/0000:01:00.0\","
	      "\"sriov\":{\"totalvfs\":7,\"numvfs\":3,\"autoprobe\":false}}\n");
}

/* An event without VGPU_A_EVENT is still shown, as event-0. */
TEST(event_without_type)
{
	struct nl_msg *msg = fake_msg(VGPU_CMD_EVENT);

	nla_put_string(msg, VGPU_A_DEV_HANDLE, "pci/0000:01:00.0");
	EVENT(msg, "event-0 pci/0000:01:00.0\n",
	      "{\"event\":\"event-0\",\"handle\":\"pci/0000:01:00.0\"}\n");
}

/* VF events as the kernel sends them: DEV_HANDLE is then the PF. */
static struct nl_msg *fake_vf_event(int event, const char *vf,
				    const char *pf, int index,
				    const char *driver)
{
	struct nl_msg *msg = fake_event(event, pf, NULL);

	nla_put_string(msg, VGPU_A_VF_HANDLE, vf);
	if (index >= 0)
		nla_put_u16(msg, VGPU_A_VF_INDEX, index);
	if (driver)
		nla_put_string(msg, VGPU_A_VF_DRIVER, driver);
	return msg;
}

TEST(event_numvfs)
{
	struct nl_msg *msg = fake_event(VGPU_EVENT_NUMVFS, "pci/0000:01:00.0",
					NULL);

	fake_sriov(msg, -1, 3, -1);
	EVENT(msg, "numvfs pci/0000:01:00.0 numvfs 3\n",
	      "{\"event\":\"numvfs\",\"handle\":\"pci/0000:01:00.0\",\"numvfs\":3}\n");
}

TEST(event_vf_add_del)
{
	EVENT(fake_vf_event(VGPU_EVENT_VF_ADD, "pci/0000:01:00.1",
			    "pci/0000:01:00.0", 0, NULL),
	      "vf-add pci/0000:01:00.1 pf pci/0000:01:00.0 index 0\n",
	      "{\"event\":\"vf-add\",\"handle\":\"pci/0000:01:00.1\","
	      "\"pf\":\"pci/0000:01:00.0\",\"index\":0}\n");
	EVENT(fake_vf_event(VGPU_EVENT_VF_DEL, "pci/0000:01:00.7",
			    "pci/0000:01:00.0", 6, NULL),
	      "vf-del pci/0000:01:00.7 pf pci/0000:01:00.0 index 6\n",
	      "{\"event\":\"vf-del\",\"handle\":\"pci/0000:01:00.7\","
	      "\"pf\":\"pci/0000:01:00.0\",\"index\":6}\n");
}

/* A VF's bind/unbind: "handle" is the VF, its driver from VF_DRIVER. */
TEST(event_vf_bind_unbind)
{
	EVENT(fake_vf_event(VGPU_EVENT_BIND, "pci/0000:01:00.1",
			    "pci/0000:01:00.0", -1, "vfio-pci"),
	      "bind pci/0000:01:00.1 pf pci/0000:01:00.0 driver vfio-pci\n",
	      "{\"event\":\"bind\",\"handle\":\"pci/0000:01:00.1\","
	      "\"pf\":\"pci/0000:01:00.0\",\"driver\":\"vfio-pci\"}\n");
	EVENT(fake_vf_event(VGPU_EVENT_UNBIND, "pci/0000:01:00.1",
			    "pci/0000:01:00.0", -1, "nvme"),
	      "unbind pci/0000:01:00.1 pf pci/0000:01:00.0 driver nvme\n",
	      "{\"event\":\"unbind\",\"handle\":\"pci/0000:01:00.1\","
	      "\"pf\":\"pci/0000:01:00.0\",\"driver\":\"nvme\"}\n");
	/* The PF's own bind is unchanged: no "pf" key. */
	EVENT(fake_event(VGPU_EVENT_BIND, "pci/0000:01:00.0", "vgpu_sim"),
	      "bind pci/0000:01:00.0 driver vgpu_sim\n",
	      "{\"event\":\"bind\",\"handle\":\"pci/0000:01:00.0\",\"driver\":\"vgpu_sim\"}\n");
}

/* mdev events as the kernel sends them: DEV_HANDLE is then the parent. */
static struct nl_msg *fake_mdev_event(int event, const char *uuid,
				      const char *parent, const char *type)
{
	struct nl_msg *msg = fake_event(event, parent, NULL);

	nla_put_string(msg, VGPU_A_MDEV_UUID, uuid);
	if (parent)
		nla_put_string(msg, VGPU_A_MDEV_PARENT, parent);
	if (type)
		nla_put_string(msg, VGPU_A_MDEV_TYPE, type);
	return msg;
}

TEST(event_mdev_add_del)
{
	EVENT(fake_mdev_event(VGPU_EVENT_MDEV_ADD,
			      "6eba5b41-176e-40db-b93e-7f18e04e0b93",
			      "pci/0000:00:02.0", "i915-GVTg_V5_4"),
	      "mdev-add 6eba5b41-176e-40db-b93e-7f18e04e0b93 parent pci/0000:00:02.0 type i915-GVTg_V5_4\n",
	      "{\"event\":\"mdev-add\",\"uuid\":\"6eba5b41-176e-40db-b93e-7f18e04e0b93\","
	      "\"parent\":\"pci/0000:00:02.0\",\"type\":\"i915-GVTg_V5_4\"}\n");
	EVENT(fake_mdev_event(VGPU_EVENT_MDEV_DEL,
			      "00000100-0000-0000-0000-000000000001",
			      "pci/0000:00:02.0", "i915-GVTg_V5_8"),
	      "mdev-del 00000100-0000-0000-0000-000000000001 parent pci/0000:00:02.0 type i915-GVTg_V5_8\n",
	      "{\"event\":\"mdev-del\",\"uuid\":\"00000100-0000-0000-0000-000000000001\","
	      "\"parent\":\"pci/0000:00:02.0\",\"type\":\"i915-GVTg_V5_8\"}\n");
}

/* Without VGPU_A_MDEV_PARENT the device the event is about is the parent. */
TEST(event_mdev_partial)
{
	struct nl_msg *msg = fake_event(VGPU_EVENT_MDEV_ADD, "pci/0000:00:02.0", NULL);

	nla_put_string(msg, VGPU_A_MDEV_UUID, "6eba5b41-176e-40db-b93e-7f18e04e0b93");
	EVENT(msg,
	      "mdev-add 6eba5b41-176e-40db-b93e-7f18e04e0b93 parent pci/0000:00:02.0\n",
	      "{\"event\":\"mdev-add\",\"uuid\":\"6eba5b41-176e-40db-b93e-7f18e04e0b93\","
	      "\"parent\":\"pci/0000:00:02.0\"}\n");
}

static volatile sig_atomic_t listen_stop;

static void on_alarm(int sig)
{
	(void)sig;
	listen_stop = 1;
}

static int count_event(struct nlattr **tb, const struct vgpu_nl_loss *loss,
		       void *arg)
{
	(void)tb;
	(void)loss;
	++*(int *)arg;
	return 0;
}

/*
 * The monitor loop on a real socket: it sleeps in ppoll() and a signal,
 * taken only there, ends it cleanly. nlctrl's "notify" group stands in
 * for the vgpu family's, which the host does not have.
 */
TEST(listen_stops_on_signal)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old_sa;
	struct itimerval it = { .it_value = { .tv_usec = 200 * 1000 } };
	sigset_t block, old_mask, waitmask;
	struct vgpu_nl nl;
	int grp, events = 0;

	if (vgpu_nl_connect(&nl) < 0) {
		unit_skip("no generic netlink socket on this host");
		return;
	}
	nl.family = GENL_ID_CTRL;
	grp = genl_ctrl_resolve_grp(nl.sk, "nlctrl", "notify");
	CHECK(grp > 0);
	CHECK_INT(nl_socket_add_membership(nl.sk, grp), 0);

	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	waitmask = old_mask;
	sigdelset(&waitmask, SIGALRM);
	sigaction(SIGALRM, &sa, &old_sa);

	/* Already stopped: returns at once, without waiting. */
	listen_stop = 1;
	CHECK_INT(vgpu_nl_listen(&nl, count_event, &events, false,
				 &listen_stop, &waitmask), 0);

	listen_stop = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_INT(vgpu_nl_listen(&nl, count_event, &events, false,
				 &listen_stop, &waitmask), 0);
	CHECK(listen_stop);

	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	vgpu_nl_close(&nl);
}
