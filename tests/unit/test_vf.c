// SPDX-License-Identifier: GPL-2.0
/*
 * test_vf.c - "dev set ... numvfs", "vf show" and "vf set" run whole
 * (run_tool) against the scripted kernel, on a fake /proc and /sys
 *
 * Topology of the fake kernel: PF pci/0000:01:00.0 with totalvfs 7 and
 * VFs pci/0000:01:00.1 (index 0, group 12, vfio-pci, cdev vfio3) and
 * pci/0000:01:00.2 (index 1, group 13, no driver). Each case says how
 * many VFs the PF has now and which process holds what.
 */
#include <errno.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "fake_host.h"
#include "fake_kernel.h"
#include "host/holders.h"
#include "unit.h"

#define RUN(r, ...)	run_tool(r, __VA_ARGS__, (const char *)NULL)

#define PF	"pci/0000:01:00.0"
#define VF0	"pci/0000:01:00.1"
#define VF1	"pci/0000:01:00.2"

/* Copies of what the tool sent, for the checks after the run. */
#define MAX_SENT	8
static struct nlmsghdr *sent[MAX_SENT];
static int nsent;

/* The kernel as a case sets it up. */
static struct {
	int numvfs;		/* VFs of the PF now */
	int set_error;		/* DEV_SET/VF_SET answer: 0 = ack */
	const char *set_text;	/*   with this extack text */
} k;

static void keep(const struct nlmsghdr *req)
{
	if (nsent == MAX_SENT)
		abort();
	sent[nsent] = malloc(req->nlmsg_len);
	if (!sent[nsent])
		abort();
	memcpy(sent[nsent++], req, req->nlmsg_len);
}

static void forget(void)
{
	while (nsent)
		free(sent[--nsent]);
}

static int cmd_of(const struct nlmsghdr *req)
{
	return ((const struct genlmsghdr *)nlmsg_data(req))->cmd;
}

static void parse_req(const struct nlmsghdr *req, struct nlattr **tb)
{
	if (genlmsg_parse((struct nlmsghdr *)req, 0, tb, VGPU_A_MAX, NULL) < 0)
		unit_fail(__FILE__, __LINE__, "request does not parse");
}

static const char *str_attr(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_data(tb[attr]) : "(absent)";
}

static struct nl_msg *vf_msg(const struct nlmsghdr *req, int flags, int i)
{
	struct nl_msg *m = fk_vf(req, flags, i ? VF1 : VF0, PF, i);

	nla_put_u32(m, VGPU_A_VF_IOMMU_GROUP, 12 + i);
	if (i == 0) {
		nla_put_string(m, VGPU_A_VF_DRIVER, "vfio-pci");
		nla_put_string(m, VGPU_A_VF_DRIVER_OVERRIDE, "vfio-pci");
	}
	nla_put_u8(m, VGPU_A_VF_ASSIGNED, 0);
	return m;
}

/* Answers like the kernel: DEV_GET, VF_GET (do and dump), the two SETs. */
static void script(const struct nlmsghdr *req, int n, void *arg)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct nl_msg *m;
	int i;

	(void)n;
	(void)arg;
	keep(req);
	parse_req(req, tb);
	switch (cmd_of(req)) {
	case VGPU_CMD_DEV_GET:
		m = fk_reply(req, 0);
		nla_put_string(m, VGPU_A_DEV_HANDLE, PF);
		fake_sriov(m, 7, k.numvfs, 1);
		fk_answer(m, NULL);
		fk_answer(fk_ack(req), NULL);
		break;
	case VGPU_CMD_VF_GET:
		if (!(req->nlmsg_flags & NLM_F_DUMP)) {
			fk_answer(vf_msg(req, 0, !strcmp(str_attr(tb, VGPU_A_VF_HANDLE), VF1)), NULL);
			fk_answer(fk_ack(req), NULL);
			break;
		}
		for (i = 0; i < k.numvfs && i < 2; i++)
			fk_answer(vf_msg(req, NLM_F_MULTI, i), NULL);
		fk_answer(fk_done(req, 0, NULL), NULL);
		break;
	default:
		fk_answer(k.set_error ? fk_error(req, k.set_error, k.set_text) :
			  fk_ack(req), NULL);
	}
}

/* A case: the fake kernel with @numvfs VFs and an empty fake host. */
static void start(int numvfs)
{
	memset(&k, 0, sizeof(k));
	k.numvfs = numvfs;
	fh_setup();
	fh_pci("0000:01:00.0", 0, NULL);
	fh_pci("0000:01:00.1", 1, "vfio3");
	fh_pci("0000:01:00.2", 1, NULL);
	fk_start(script, NULL);
}

/* Ends a case; returns how many requests the tool sent. */
static int stop(void)
{
	int n = fk_stop();

	fh_teardown();
	return n;
}

/* Checks that request @i is DEV_SET with exactly these settings. */
static void check_dev_set(int i, int numvfs, int autoprobe, bool force,
			  const char *file, int line)
{
	struct nlattr *tb[VGPU_A_MAX + 1], *sriov[VGPU_A_SRIOV_MAX + 1];
	struct nlattr *a;

	if (i >= nsent || cmd_of(sent[i]) != VGPU_CMD_DEV_SET) {
		unit_fail(file, line, "request %d is not DEV_SET", i);
		return;
	}
	if (((const struct genlmsghdr *)nlmsg_data(sent[i]))->version !=
	    VGPU_GENL_VERSION)
		unit_fail(file, line, "wrong family version");
	parse_req(sent[i], tb);
	if (strcmp(str_attr(tb, VGPU_A_DEV_HANDLE), PF))
		unit_fail(file, line, "handle %s", str_attr(tb, VGPU_A_DEV_HANDLE));
	if (!tb[VGPU_A_DEV_SRIOV] || !(tb[VGPU_A_DEV_SRIOV]->nla_type & NLA_F_NESTED)) {
		unit_fail(file, line, "no VGPU_A_DEV_SRIOV with NLA_F_NESTED");
		return;
	}
	if (nla_parse_nested(sriov, VGPU_A_SRIOV_MAX, tb[VGPU_A_DEV_SRIOV], NULL) < 0)
		unit_fail(file, line, "nest does not parse");
	a = sriov[VGPU_A_SRIOV_NUMVFS];
	if (numvfs < 0 ? a != NULL :
	    !a || nla_len(a) != 2 || nla_get_u16(a) != numvfs)
		unit_fail(file, line, "NUMVFS not as wanted (%d)", numvfs);
	a = sriov[VGPU_A_SRIOV_AUTOPROBE];
	if (autoprobe < 0 ? a != NULL :
	    !a || nla_len(a) != 1 || nla_get_u8(a) != autoprobe)
		unit_fail(file, line, "AUTOPROBE not as wanted (%d)", autoprobe);
	if (sriov[VGPU_A_SRIOV_TOTALVFS])
		unit_fail(file, line, "TOTALVFS sent");
	a = tb[VGPU_A_FORCE];
	if (force ? !a || nla_len(a) != 0 : a != NULL)
		unit_fail(file, line, "FORCE %s, want %s", a ? "sent" : "absent",
			  force ? "sent" : "absent");
	/* Nothing else: strict validation refuses unknown attributes. */
	for (i = 1; i <= VGPU_A_MAX; i++)
		if (tb[i] && i != VGPU_A_DEV_HANDLE && i != VGPU_A_DEV_SRIOV &&
		    i != VGPU_A_FORCE)
			unit_fail(file, line, "attribute %d sent", i);
}

#define CHECK_DEV_SET(i, numvfs, autoprobe, force) \
	check_dev_set(i, numvfs, autoprobe, force, __FILE__, __LINE__)

static void check_cmd(int i, int cmd, bool dump, const char *file, int line)
{
	if (i >= nsent)
		unit_fail(file, line, "request %d not sent", i);
	else if (cmd_of(sent[i]) != cmd ||
		 !!(sent[i]->nlmsg_flags & NLM_F_DUMP) != dump)
		unit_fail(file, line, "request %d: cmd %d%s, want %d%s", i,
			  cmd_of(sent[i]),
			  sent[i]->nlmsg_flags & NLM_F_DUMP ? " dump" : "",
			  cmd, dump ? " dump" : "");
}

#define CHECK_CMD(i, cmd, dump)	check_cmd(i, cmd, dump, __FILE__, __LINE__)

/* The settings in any order; what goes out is the same. */
TEST(dev_set_orders)
{
	static const char *const lines[][6] = {
		{ "numvfs", "3", "autoprobe", "off", "force" },
		{ "autoprobe", "off", "numvfs", "3", "force" },
		{ "force", "autoprobe", "off", "numvfs", "3" },
		{ "autoprobe", "off", "force", "numvfs", "3" },
	};
	struct run r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		start(2);
		RUN(&r, "dev", "set", "01:00.0", lines[i][0], lines[i][1],
		    lines[i][2], lines[i][3], lines[i][4]);
		CHECK_INT(r.status, EXIT_OK);
		CHECK_STR(r.out, "");
		CHECK_STR(r.err, "");
		/* force: nothing checked, one request */
		CHECK_INT(stop(), 1);
		CHECK_DEV_SET(0, 3, 0, true);
		run_free(&r);
		forget();
	}
}

TEST(dev_set_autoprobe_alone)
{
	struct run r;

	start(2);
	RUN(&r, "dev", "set", PF, "autoprobe", "on");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_INT(stop(), 1);
	CHECK_DEV_SET(0, -1, 1, false);
	run_free(&r);
	forget();
}

/* No VFs yet: the count is read, nothing else checked, then set. */
TEST(dev_set_numvfs_from_zero)
{
	struct run r;

	start(0);
	RUN(&r, "dev", "set", PF, "numvfs", "7");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "");
	CHECK_INT(stop(), 2);
	CHECK_CMD(0, VGPU_CMD_DEV_GET, false);
	CHECK_DEV_SET(1, 7, -1, false);
	run_free(&r);
	forget();
}

/* The same count: a no-op for the kernel, so nothing to check. */
TEST(dev_set_numvfs_same_count)
{
	struct run r;

	start(2);
	fh_comm(100, "qemu-system-x86");
	fh_fd(100, 3, "/dev/vfio/12");
	RUN(&r, "dev", "set", PF, "numvfs", "2");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_INT(stop(), 2);
	CHECK_CMD(0, VGPU_CMD_DEV_GET, false);
	CHECK_DEV_SET(1, 2, -1, false);
	run_free(&r);
	forget();
}

/* VFs present, none held: the PF's VFs are listed, then the count set. */
TEST(dev_set_numvfs_vfs_free)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	start(2);
	fh_comm(300, "bash");
	fh_fd(300, 0, "/dev/null");
	fh_fd(300, 1, "/dev/vfio/vfio");
	RUN(&r, "dev", "set", PF, "numvfs", "0");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "");
	CHECK_INT(stop(), 3);
	CHECK_CMD(0, VGPU_CMD_DEV_GET, false);
	CHECK_CMD(1, VGPU_CMD_VF_GET, true);
	if (nsent > 1) {
		/* the dump is filtered by the PF */
		parse_req(sent[1], tb);
		CHECK_STR(str_attr(tb, VGPU_A_DEV_HANDLE), PF);
	}
	CHECK_DEV_SET(2, 0, -1, false);
	run_free(&r);
	forget();
}

/* Held open: refused before anything changes, every holder named. */
TEST(dev_set_numvfs_refused_when_held)
{
	struct run r;

	start(2);
	fh_comm(123, "qemu-system-x86");
	fh_fd(123, 20, "/dev/vfio/12");
	fh_comm(124, "virsh");
	fh_fd(124, 3, "/dev/vfio/devices/vfio3");
	fh_comm(456, "vfio-probe");
	fh_fd(456, 4, "/dev/vfio/13");
	RUN(&r, "dev", "set", PF, "numvfs", "0", "autoprobe", "off");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: VFs in use: " VF0 " (pid 123 qemu-system-x86, "
		  "pid 124 virsh), " VF1 " (pid 456 vfio-probe); add 'force' "
		  "to change the count anyway\n");
	/* DEV_GET and the VF dump; no DEV_SET */
	CHECK_INT(stop(), 2);
	CHECK_CMD(1, VGPU_CMD_VF_GET, true);
	run_free(&r);
	forget();

	/* force: not even looked at, and VGPU_A_FORCE goes out */
	start(2);
	fh_comm(123, "qemu-system-x86");
	fh_fd(123, 20, "/dev/vfio/12");
	RUN(&r, "dev", "set", PF, "numvfs", "0", "force");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.err, "");
	CHECK_INT(stop(), 1);
	CHECK_DEV_SET(0, 0, -1, true);
	run_free(&r);
	forget();
}

/* The kernel's own refusal (a claimed group) is printed as it says it. */
TEST(dev_set_numvfs_kernel_refusal)
{
	struct run r;

	start(2);
	k.set_error = -EBUSY;
	k.set_text = "pci/0000:01:00.1 is in use (IOMMU group 12 is claimed); add force";
	RUN(&r, "dev", "set", PF, "numvfs", "3");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: pci/0000:01:00.1 is in use (IOMMU group 12 is claimed); add force\n");
	CHECK_INT(stop(), 3);
	run_free(&r);
	forget();
}

/* Without /proc the check cannot be made: refuse rather than guess. */
TEST(dev_set_numvfs_without_proc)
{
	struct run r;

	start(2);
	fh_remove("proc");
	RUN(&r, "dev", "set", PF, "numvfs", "0");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK(!strncmp(r.err, "Error: cannot look for processes using the VFs in ", 50));
	CHECK(strstr(r.err, "No such file or directory; add 'force' to change the count anyway\n"));
	CHECK_INT(stop(), 2);
	run_free(&r);
	forget();
}

static void check_vf_set(const char *vf, const char *driver)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct nlattr *a;
	struct run r;
	int i;

	start(2);
	RUN(&r, "vf", "set", vf, "driver", driver);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "");
	CHECK_INT(stop(), 1);
	CHECK_CMD(0, VGPU_CMD_VF_SET, false);
	if (nsent) {
		parse_req(sent[0], tb);
		CHECK_STR(str_attr(tb, VGPU_A_VF_HANDLE), VF0);
		a = tb[VGPU_A_VF_DRIVER_OVERRIDE];
		CHECK(a);
		if (a && !strcmp(driver, "default")) {
			/* "" with its NUL: the kernel's "no override" */
			CHECK_INT(nla_len(a), 1);
			CHECK_INT(((char *)nla_data(a))[0], 0);
		} else if (a) {
			CHECK_INT(nla_len(a), 9);
			CHECK_STR(nla_data(a), "vfio-pci");
		}
		for (i = 1; i <= VGPU_A_MAX; i++)
			if (tb[i] && i != VGPU_A_VF_HANDLE &&
			    i != VGPU_A_VF_DRIVER_OVERRIDE)
				unit_fail(__FILE__, __LINE__, "attribute %d sent", i);
	}
	run_free(&r);
	forget();
}

TEST(vf_set_driver_request)
{
	check_vf_set(VF0, "vfio-pci");
	check_vf_set("01:00.1", "default");
}

TEST(vf_set_kernel_refusal)
{
	struct run r;

	start(2);
	k.set_error = -EINVAL;
	k.set_text = "pci/0000:01:00.0 is a PF: passing it to a VM takes every VF with it";
	RUN(&r, "vf", "set", PF, "driver", "vfio-pci");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: pci/0000:01:00.0 is a PF: passing it to a VM takes every VF with it\n");
	stop();
	run_free(&r);
	forget();
}

/* No argument: the whole dump, unfiltered; held and free VFs. */
TEST(vf_show_all_text)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	start(2);
	fh_comm(123, "qemu");
	fh_fd(123, 20, "/dev/vfio/12");
	RUN(&r, "vf", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out,
		  VF0 ": pf " PF " index 0 driver vfio-pci driver_override vfio-pci iommu_group 12 in_use yes (pid 123 qemu)\n"
		  VF1 ": pf " PF " index 1 iommu_group 13 in_use no\n");
	CHECK_STR(r.err, "");
	CHECK_INT(stop(), 1);
	CHECK_CMD(0, VGPU_CMD_VF_GET, true);
	if (nsent) {
		parse_req(sent[0], tb);
		CHECK(!tb[VGPU_A_DEV_HANDLE] && !tb[VGPU_A_VF_HANDLE]);
	}
	run_free(&r);
	forget();

	/* "vf" alone is "vf show" */
	start(0);
	RUN(&r, "vf");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "");
	CHECK_INT(stop(), 1);
	run_free(&r);
	forget();
}

TEST(vf_show_all_json)
{
	json_object *doc, *vfs, *v, *h;
	struct run r;

	start(2);
	fh_comm(123, "qemu");
	fh_fd(123, 20, "/dev/vfio/12");
	fh_comm(124, "x");
	fh_fd(124, 5, "/dev/vfio/devices/vfio3");
	RUN(&r, "-j", "vf", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out,
		  "{\"vfs\":["
		  "{\"handle\":\"" VF0 "\",\"pf\":\"" PF "\",\"index\":0,"
		  "\"driver\":\"vfio-pci\",\"driver_override\":\"vfio-pci\","
		  "\"iommu_group\":12,\"in_use\":true,\"assigned\":false,"
		  "\"holders\":[{\"pid\":123,\"comm\":\"qemu\"},{\"pid\":124,\"comm\":\"x\"}]},"
		  "{\"handle\":\"" VF1 "\",\"pf\":\"" PF "\",\"index\":1,"
		  "\"iommu_group\":13,\"in_use\":false,\"assigned\":false}"
		  "]}\n");
	stop();
	doc = json_tokener_parse(r.out);
	CHECK(doc && json_object_object_get_ex(doc, "vfs", &vfs) &&
	      json_object_array_length(vfs) == 2);
	if (doc && vfs) {
		v = json_object_array_get_idx(vfs, 1);
		CHECK(!json_object_object_get_ex(v, "driver", NULL));
		CHECK(!json_object_object_get_ex(v, "holders", NULL));
		CHECK(json_object_object_get_ex(v, "in_use", &h) &&
		      json_object_is_type(h, json_type_boolean));
	}
	json_object_put(doc);
	run_free(&r);
	forget();
}

/* A PF's handle: the dump, filtered by it (sysfs: no physfn). */
TEST(vf_show_pf_filters_the_dump)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	start(1);
	RUN(&r, "vf", "show", "01:00.0");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, VF0 ": pf " PF " index 0 driver vfio-pci driver_override vfio-pci iommu_group 12 in_use no\n");
	CHECK_INT(stop(), 1);
	CHECK_CMD(0, VGPU_CMD_VF_GET, true);
	if (nsent) {
		parse_req(sent[0], tb);
		CHECK_STR(str_attr(tb, VGPU_A_DEV_HANDLE), PF);
		CHECK(!tb[VGPU_A_VF_HANDLE]);
	}
	run_free(&r);
	forget();
}

/* A VF's handle (sysfs: physfn): VF_GET do for that VF only. */
TEST(vf_show_vf_is_a_do)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	start(2);
	RUN(&r, "-j", "vf", "show", "0000:01:00.2");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, "{\"vfs\":[{\"handle\":\"" VF1 "\",\"pf\":\"" PF "\","
		  "\"index\":1,\"iommu_group\":13,\"in_use\":false,\"assigned\":false}]}\n");
	CHECK_INT(stop(), 1);
	CHECK_CMD(0, VGPU_CMD_VF_GET, false);
	if (nsent) {
		parse_req(sent[0], tb);
		CHECK_STR(str_attr(tb, VGPU_A_VF_HANDLE), VF1);
		CHECK(!tb[VGPU_A_DEV_HANDLE]);
	}
	run_free(&r);
	forget();
}

/* The kernel's view alone (assigned) is in use too. */
static void script_assigned(const struct nlmsghdr *req, int n, void *arg)
{
	struct nl_msg *m = fk_vf(req, NLM_F_MULTI, VF0, PF, 0);

	(void)n;
	(void)arg;
	nla_put_u8(m, VGPU_A_VF_ASSIGNED, 1);
	nla_put_u32(m, VGPU_A_VF_IOMMU_GROUP, 12);
	fk_answer(m, fk_done(req, 0, NULL), NULL);
}

TEST(vf_show_assigned)
{
	struct run r;

	fh_setup();
	fh_comm(123, "qemu");
	fh_fd(123, 20, "/dev/vfio/12");
	fk_start(script_assigned, NULL);
	RUN(&r, "vf", "show");
	CHECK_STR(r.out, VF0 ": pf " PF " index 0 iommu_group 12 in_use yes (assigned, pid 123 qemu)\n");
	run_free(&r);
	RUN(&r, "-j", "vf", "show");
	CHECK_STR(r.out, "{\"vfs\":[{\"handle\":\"" VF0 "\",\"pf\":\"" PF "\","
		  "\"index\":0,\"iommu_group\":12,\"in_use\":true,\"assigned\":true,"
		  "\"holders\":[{\"pid\":123,\"comm\":\"qemu\"}]}]}\n");
	run_free(&r);
	fh_teardown();

	fh_setup();
	RUN(&r, "vf", "show");
	CHECK_STR(r.out, VF0 ": pf " PF " index 0 iommu_group 12 in_use yes (assigned)\n");
	run_free(&r);
	fk_stop();
	fh_teardown();
}

/* The kernel's reason; -j still prints one document. */
static void script_refuse(const struct nlmsghdr *req, int n, void *arg)
{
	(void)n;
	fk_answer(fk_error(req, -ENODEV, arg), NULL);
}

TEST(vf_show_kernel_refusal)
{
	struct run r;

	fh_setup();
	fk_start(script_refuse, "pci/0000:05:00.0: no such PCI device");
	RUN(&r, "-j", "vf", "show", "05:00.0");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "{\"vfs\":[]}\n");
	CHECK_STR(r.err, "Error: pci/0000:05:00.0: no such PCI device\n");
	run_free(&r);
	RUN(&r, "vf", "show", "05:00.0");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	run_free(&r);
	CHECK_INT(fk_stop(), 2);
	fh_teardown();
}

/* A reply without a handle cannot be shown: the whole answer is refused. */
static void script_no_handle(const struct nlmsghdr *req, int n, void *arg)
{
	(void)n;
	(void)arg;
	fk_answer(fk_reply(req, NLM_F_MULTI), fk_done(req, 0, NULL), NULL);
}

TEST(vf_show_reply_without_handle)
{
	struct run r;

	fh_setup();
	fk_start(script_no_handle, NULL);
	RUN(&r, "vf", "show");
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, "Error: malformed VF reply from the kernel\n");
	run_free(&r);
	fk_stop();
	fh_teardown();
}

/* /proc unreadable: the kernel's view is shown, with a warning. */
TEST(vf_show_without_proc)
{
	struct run r;

	start(1);
	fh_remove("proc");
	RUN(&r, "vf", "show");
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, VF0 ": pf " PF " index 0 driver vfio-pci driver_override vfio-pci iommu_group 12 in_use no\n");
	CHECK(!strncmp(r.err, "Warning: cannot look for processes using the VFs in ", 52));
	stop();
	run_free(&r);
	forget();
}
