// SPDX-License-Identifier: GPL-2.0
/*
 * test_nl.c - requests, dumps and their failures against a scripted kernel
 */
#include <errno.h>

#include "cli/dev.h"
#include "fake_kernel.h"
#include "unit.h"

static const char *handle_of(struct nl_msg *msg)
{
	struct nlattr *tb[VGPU_A_MAX + 1];

	if (vgpu_nl_parse(msg, tb) < 0 || !tb[VGPU_A_DEV_HANDLE])
		return "(bad)";
	return nla_get_string(tb[VGPU_A_DEV_HANDLE]);
}

/* DEV_GET do: the device, then the ack the tool asked for. */
static void script_do(const struct nlmsghdr *req, int n, void *arg)
{
	(void)n;
	(void)arg;
	CHECK(req->nlmsg_flags & NLM_F_REQUEST);
	CHECK(req->nlmsg_flags & NLM_F_ACK);
	fk_answer(fk_dev(req, "pci/0000:01:00.0"), NULL);
	fk_answer(fk_ack(req), NULL);
}

TEST(nl_do_reply_then_ack)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;

	fk_open(&nl, script_do, NULL);
	CHECK_INT(vgpu_nl_do(&nl, vgpu_nl_request(&nl, VGPU_CMD_DEV_GET, 0),
			     &rep), 0);
	CHECK_INT(rep.n, 1);
	if (rep.n == 1)
		CHECK_STR(handle_of(rep.msg[0]), "pci/0000:01:00.0");
	vgpu_nl_replies_free(&rep);
	CHECK_INT(fk_close(&nl), 1);
}

/* A refusal: the kernel's text, in one datagram with nothing else. */
static void script_refuse(const struct nlmsghdr *req, int n, void *arg)
{
	(void)n;
	fk_answer(fk_error(req, -EBUSY, arg), NULL);
}

TEST(nl_do_error_with_extack)
{
	struct vgpu_nl nl;

	fk_open(&nl, script_refuse, "pci/0000:01:00.0: VFs are in use");
	CHECK_INT(vgpu_nl_do(&nl, vgpu_nl_request(&nl, VGPU_CMD_DEV_SET, 0),
			     NULL), -EBUSY);
	CHECK_STR(vgpu_nl_strerror(&nl), "pci/0000:01:00.0: VFs are in use");
	fk_close(&nl);

	fk_open(&nl, script_refuse, NULL);
	CHECK_INT(vgpu_nl_do(&nl, vgpu_nl_request(&nl, VGPU_CMD_DEV_SET, 0),
			     NULL), -EBUSY);
	CHECK_STR(vgpu_nl_strerror(&nl), "Device or resource busy");
	fk_close(&nl);
}

/* A dump over several datagrams, the last one carrying NLMSG_DONE. */
static void script_dump(const struct nlmsghdr *req, int n, void *arg)
{
	(void)n;
	(void)arg;
	CHECK(req->nlmsg_flags & NLM_F_DUMP);
	fk_answer(fk_dev(req, "pci/0000:00:02.0"),
		  fk_dev(req, "pci/0000:01:00.0"), NULL);
	fk_answer(fk_dev(req, "pci/0000:02:00.0"), fk_done(req, 0, NULL), NULL);
}

TEST(nl_dump_collects_every_part)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;

	fk_open(&nl, script_dump, NULL);
	CHECK_INT(vgpu_nl_dump(&nl, VGPU_CMD_DEV_GET, &rep), 0);
	CHECK_INT(rep.n, 3);
	if (rep.n == 3) {
		CHECK_STR(handle_of(rep.msg[0]), "pci/0000:00:02.0");
		CHECK_STR(handle_of(rep.msg[2]), "pci/0000:02:00.0");
	}
	vgpu_nl_replies_free(&rep);
	CHECK_INT(fk_close(&nl), 1);
}

/* Many messages: the reply array grows past its first allocation. */
static void script_big_dump(const struct nlmsghdr *req, int n, void *arg)
{
	char handle[VGPU_HANDLE_MAX];
	int i;

	(void)n;
	(void)arg;
	for (i = 0; i < 1000; i++) {
		snprintf(handle, sizeof(handle), "pci/0000:%02x:%02x.%x",
			 i / 256, i / 8 % 32, i % 8);
		fk_answer(fk_dev(req, handle), NULL);
	}
	fk_answer(fk_done(req, 0, NULL), NULL);
}

TEST(nl_dump_of_a_thousand)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;

	fk_open(&nl, script_big_dump, NULL);
	CHECK_INT(vgpu_nl_dump(&nl, VGPU_CMD_DEV_GET, &rep), 0);
	CHECK_INT(rep.n, 1000);
	if (rep.n == 1000)
		CHECK_STR(handle_of(rep.msg[999]), "pci/0000:03:1c.7");
	vgpu_nl_replies_free(&rep);
	fk_close(&nl);
}

/*
 * The list changed under the first dump (NLM_F_DUMP_INTR on its second
 * message): its three messages are thrown away, the second dump counts.
 */
static void script_intr_once(const struct nlmsghdr *req, int n, void *arg)
{
	struct nl_msg *intr;

	(void)arg;
	if (n == 0) {
		intr = fk_dev(req, "pci/0000:00:02.0");
		nlmsg_hdr(intr)->nlmsg_flags |= NLM_F_DUMP_INTR;
		fk_answer(fk_dev(req, "pci/0000:01:00.0"), intr,
			  fk_dev(req, "pci/0000:02:00.0"), NULL);
		fk_answer(fk_done(req, 0, NULL), NULL);
		return;
	}
	fk_answer(fk_dev(req, "pci/0000:00:02.0"), fk_done(req, 0, NULL), NULL);
}

TEST(nl_dump_restarts_when_interrupted)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;

	fk_open(&nl, script_intr_once, NULL);
	CHECK_INT(vgpu_nl_dump(&nl, VGPU_CMD_DEV_GET, &rep), 0);
	CHECK_INT(rep.n, 1);
	if (rep.n == 1)
		CHECK_STR(handle_of(rep.msg[0]), "pci/0000:00:02.0");
	vgpu_nl_replies_free(&rep);
	CHECK_INT(fk_close(&nl), 2);
}

static void script_intr_always(const struct nlmsghdr *req, int n, void *arg)
{
	struct nl_msg *done = fk_done(req, 0, NULL);

	(void)n;
	(void)arg;
	nlmsg_hdr(done)->nlmsg_flags |= NLM_F_DUMP_INTR;
	fk_answer(fk_dev(req, "pci/0000:00:02.0"), done, NULL);
}

TEST(nl_dump_gives_up_after_bounded_tries)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;

	fk_open(&nl, script_intr_always, NULL);
	CHECK_INT(vgpu_nl_dump(&nl, VGPU_CMD_DEV_GET, &rep), -EAGAIN);
	CHECK_STR(vgpu_nl_strerror(&nl),
		  "the kernel's list kept changing while it was read (5 tries); try again");
	CHECK_INT(rep.n, 0);
	CHECK_INT(fk_close(&nl), VGPU_NL_DUMP_TRIES);
}

/* A dump that fails half-way says why in NLMSG_DONE only. */
static void script_done_error(const struct nlmsghdr *req, int n, void *arg)
{
	(void)n;
	(void)arg;
	fk_answer(fk_dev(req, "pci/0000:00:02.0"),
		  fk_done(req, -ENODEV, "pci/0000:01:00.0 went away during the dump"),
		  NULL);
}

TEST(nl_dump_error_in_done)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;

	fk_open(&nl, script_done_error, NULL);
	CHECK_INT(vgpu_nl_dump(&nl, VGPU_CMD_DEV_GET, &rep), -ENODEV);
	CHECK_STR(vgpu_nl_strerror(&nl), "pci/0000:01:00.0 went away during the dump");
	CHECK_INT(rep.n, 0);	/* no half list */
	fk_close(&nl);
}

/* A dump refused at its start comes back as NLMSG_ERROR instead. */
TEST(nl_dump_refused_at_start)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;

	fk_open(&nl, script_refuse, "Unknown attribute type");
	CHECK_INT(vgpu_nl_dump(&nl, VGPU_CMD_DEV_GET, &rep), -EBUSY);
	CHECK_STR(vgpu_nl_strerror(&nl), "Unknown attribute type");
	CHECK_INT(fk_close(&nl), 1);
}

/*
 * A reply that breaks the policy fails the request, but the rest of the
 * dump is still read, so the next request meets its own replies only.
 */
static void script_bad_then_good(const struct nlmsghdr *req, int n, void *arg)
{
	struct nl_msg *bad;

	(void)arg;
	if (n == 0) {
		bad = fk_reply(req, NLM_F_MULTI);
		nla_put_u8(bad, VGPU_A_DEV_VENDOR, 1);	/* u16 expected */
		fk_answer(bad, fk_dev(req, "pci/0000:01:00.0"), NULL);
		fk_answer(fk_done(req, 0, NULL), NULL);
	} else {
		script_do(req, n, NULL);
	}
}

TEST(nl_malformed_reply_is_refused_and_drained)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;

	fk_open(&nl, script_bad_then_good, NULL);
	CHECK_INT(vgpu_nl_dump(&nl, VGPU_CMD_DEV_GET, &rep), -EBADMSG);
	CHECK(strstr(vgpu_nl_strerror(&nl), "malformed reply"));
	CHECK_INT(rep.n, 0);
	CHECK_INT(vgpu_nl_do(&nl, vgpu_nl_request(&nl, VGPU_CMD_DEV_GET, 0),
			     &rep), 0);
	CHECK_INT(rep.n, 1);
	vgpu_nl_replies_free(&rep);
	CHECK_INT(fk_close(&nl), 2);
}

/* Messages of another family on the socket are not replies. */
static void script_foreign(const struct nlmsghdr *req, int n, void *arg)
{
	struct nl_msg *other = fk_dev(req, "pci/0000:09:00.0");

	(void)n;
	(void)arg;
	nlmsg_hdr(other)->nlmsg_type = FAKE_FAMILY + 1;
	fk_answer(other, fk_dev(req, "pci/0000:01:00.0"),
		  fk_done(req, 0, NULL), NULL);
}

TEST(nl_other_families_ignored)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;

	fk_open(&nl, script_foreign, NULL);
	CHECK_INT(vgpu_nl_dump(&nl, VGPU_CMD_DEV_GET, &rep), 0);
	CHECK_INT(rep.n, 1);
	if (rep.n == 1)
		CHECK_STR(handle_of(rep.msg[0]), "pci/0000:01:00.0");
	vgpu_nl_replies_free(&rep);
	fk_close(&nl);
}

/* What "dev set DEV autoprobe off" puts on the wire, as strict policy wants. */
static void script_check_set(const struct nlmsghdr *req, int n, void *arg)
{
	struct nlattr *tb[VGPU_A_MAX + 1], *sriov[VGPU_A_SRIOV_MAX + 1];
	const struct genlmsghdr *g = nlmsg_data(req);

	(void)n;
	(void)arg;
	CHECK_INT(g->cmd, VGPU_CMD_DEV_SET);
	CHECK_INT(g->version, VGPU_GENL_VERSION);
	CHECK_INT(genlmsg_parse((struct nlmsghdr *)req, 0, tb, VGPU_A_MAX, NULL), 0);
	CHECK(tb[VGPU_A_DEV_HANDLE] && !strcmp(nla_data(tb[VGPU_A_DEV_HANDLE]),
						"pci/0000:01:00.0"));
	CHECK(tb[VGPU_A_DEV_SRIOV] &&
	      (tb[VGPU_A_DEV_SRIOV]->nla_type & NLA_F_NESTED));
	if (tb[VGPU_A_DEV_SRIOV]) {
		CHECK_INT(nla_parse_nested(sriov, VGPU_A_SRIOV_MAX,
					   tb[VGPU_A_DEV_SRIOV], NULL), 0);
		CHECK(sriov[VGPU_A_SRIOV_AUTOPROBE] &&
		      nla_len(sriov[VGPU_A_SRIOV_AUTOPROBE]) == 1 &&
		      nla_get_u8(sriov[VGPU_A_SRIOV_AUTOPROBE]) == 0);
		CHECK(!sriov[VGPU_A_SRIOV_NUMVFS]);
	}
	/* Nothing else: strict validation refuses unknown attributes. */
	CHECK(!tb[VGPU_A_DEV_DRIVER] && !tb[VGPU_A_EVENT] && !tb[VGPU_A_FORCE]);
	fk_answer(fk_ack(req), NULL);
}

TEST(nl_dev_set_request_layout)
{
	struct vgpu_nl nl;
	struct dev_settings set = { .has_autoprobe = true, .autoprobe = false };

	fk_open(&nl, script_check_set, NULL);
	CHECK_INT(dev_set_request(&nl, "pci/0000:01:00.0", &set), 0);
	CHECK_INT(fk_close(&nl), 1);
}

/* A filtered dump carries its one attribute, on every restart too. */
static void script_filtered(const struct nlmsghdr *req, int n, void *arg)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct nl_msg *done = fk_done(req, 0, NULL);

	(void)arg;
	CHECK(req->nlmsg_flags & NLM_F_DUMP);
	CHECK_INT(genlmsg_parse((struct nlmsghdr *)req, 0, tb, VGPU_A_MAX, NULL), 0);
	CHECK(tb[VGPU_A_DEV_HANDLE] &&
	      !strcmp(nla_data(tb[VGPU_A_DEV_HANDLE]), "pci/0000:01:00.0"));
	if (n == 0)
		nlmsg_hdr(done)->nlmsg_flags |= NLM_F_DUMP_INTR;
	fk_answer(fk_vf(req, NLM_F_MULTI, "pci/0000:01:00.1", "pci/0000:01:00.0", 0),
		  done, NULL);
}

TEST(nl_dump_filtered)
{
	struct vgpu_nl_replies rep = { 0 };
	struct vgpu_nl nl;

	fk_open(&nl, script_filtered, NULL);
	CHECK_INT(vgpu_nl_dump_filter(&nl, VGPU_CMD_VF_GET, VGPU_A_DEV_HANDLE,
				      "pci/0000:01:00.0", &rep), 0);
	CHECK_INT(rep.n, 1);
	vgpu_nl_replies_free(&rep);
	CHECK_INT(fk_close(&nl), 2);
}

/* VF replies pass the policy; a wrongly typed VF attribute does not. */
TEST(nl_vf_reply_policy)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct nl_msg *m;

	m = fake_msg(VGPU_CMD_VF_GET);
	nla_put_string(m, VGPU_A_VF_HANDLE, "pci/0000:01:00.1");
	nla_put_string(m, VGPU_A_VF_PF, "pci/0000:01:00.0");
	nla_put_u16(m, VGPU_A_VF_INDEX, 0);
	nla_put_string(m, VGPU_A_VF_DRIVER, "vfio-pci");
	nla_put_string(m, VGPU_A_VF_DRIVER_OVERRIDE, "vfio-pci");
	nla_put_u32(m, VGPU_A_VF_IOMMU_GROUP, 12);
	nla_put_u8(m, VGPU_A_VF_ASSIGNED, 1);
	CHECK_INT(vgpu_nl_parse(m, tb), 0);
	nlmsg_free(m);

	m = fake_msg(VGPU_CMD_VF_GET);
	nla_put_u8(m, VGPU_A_VF_INDEX, 0);		/* u16 expected */
	CHECK(vgpu_nl_parse(m, tb) < 0);
	nlmsg_free(m);

	m = fake_msg(VGPU_CMD_VF_GET);
	nla_put_u16(m, VGPU_A_VF_IOMMU_GROUP, 1);	/* u32 expected */
	CHECK(vgpu_nl_parse(m, tb) < 0);
	nlmsg_free(m);
}
