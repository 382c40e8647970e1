// SPDX-License-Identifier: GPL-2.0
/*
 * genl-probe - sends deliberately malformed requests to the "vgpu" family
 *
 * For negative tests of the module's policies: vgpu-nl itself never sends
 * such requests, so the tests need a client that does. Prints the kernel's
 * answer as
 *
 *	errno=<N> msg=<extack text> [offs=<n>] [miss=<attr>] [miss_nest=<n>]
 *
 * and exits 0 if the kernel refused the request, 1 if it accepted it
 * ("accepted" on stdout, then "uuid=<uuid>" when the reply names an mdev,
 * so that a test can remove what mdev-add-raw made, and "in_use=<n>" when
 * it has VGPU_A_MDEV_IN_USE, the kernel's own answer that mdev-get asks
 * for), 2 if nothing could be tested (usage, no module).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kernel/handle.h"
#include "kernel/nl.h"

static void usage(void)
{
	fputs("Usage: genl-probe dev-get-noattr\n"
	      "       genl-probe dev-set-autoprobe HANDLE VALUE   (VALUE 0..255, sent as u8)\n"
	      "       genl-probe dev-get-badhandle STRING\n"
	      "       genl-probe unknown-attr [HANDLE]\n"
	      "       genl-probe dev-get-wrongtype HANDLE          (handle sent as u32)\n"
	      "       genl-probe dev-set-numvfs HANDLE N [force]   (N 0..65535; no in-use check)\n"
	      "       genl-probe vf-get-noattr\n"
	      "       genl-probe vf-get-handle HANDLE              (VF_GET do of any handle)\n"
	      "       genl-probe vf-set-driver HANDLE STRING       (any driver name)\n"
	      "       genl-probe vf-set-driver-contexts HANDLE STRING N\n"
	      "                                                    (any driver and a contexts quota)\n"
	      "       genl-probe vf-set-driver-quota HANDLE STRING MS  (driver and exec-quantum)\n"
	      "       genl-probe mdev-add-raw HANDLE TYPE [UUID]   (sent as given)\n"
	      "       genl-probe mdev-del-raw UUID [force] [if-unused]\n"
	      "                                                    (sent as given)\n"
	      "       genl-probe mdev-get UUID                     (MDEV_GET do)\n",
	      stderr);
}

/* DEV_GET without VGPU_A_DEV_HANDLE: GENL_REQ_ATTR_CHECK must refuse it. */
static int build_noattr(struct nl_msg *req, char **argv)
{
	(void)req;
	(void)argv;
	return 0;
}

static int build_badhandle(struct nl_msg *req, char **argv)
{
	return nla_put_string(req, VGPU_A_DEV_HANDLE, argv[0]);
}

/* An attribute type past VGPU_A_MAX: strict validation must refuse it. */
static int build_unknown_attr(struct nl_msg *req, char **argv)
{
	if (argv[0] && nla_put_string(req, VGPU_A_DEV_HANDLE, argv[0]) < 0)
		return -1;
	return nla_put_u32(req, VGPU_A_MAX + 5, 0);
}

/*
 * The handle as a confused client might encode it: a packed u32
 * (domain << 16 | bus << 8 | devfn), in an attribute meant to be a string.
 */
static int build_wrongtype(struct nl_msg *req, char **argv)
{
	struct pci_addr a;

	if (handle_parse_pci(argv[0], &a) < 0) {
		fprintf(stderr, "genl-probe: malformed handle '%s'\n", argv[0]);
		return -1;
	}
	return nla_put_u32(req, VGPU_A_DEV_HANDLE,
			   a.domain << 16 | a.bus << 8 | a.dev << 3 | a.fn);
}

/* Any u8, even one the policy's range forbids, inside a proper nest. */
static int build_set_autoprobe(struct nl_msg *req, char **argv)
{
	struct nlattr *nest;
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(argv[1], &end, 0);
	if (errno || *end || !argv[1][0] || v > 255) {
		fprintf(stderr, "genl-probe: VALUE must be 0..255\n");
		return -1;
	}
	if (nla_put_string(req, VGPU_A_DEV_HANDLE, argv[0]) < 0 ||
	    !(nest = nla_nest_start(req, VGPU_A_DEV_SRIOV | NLA_F_NESTED)) ||
	    nla_put_u8(req, VGPU_A_SRIOV_AUTOPROBE, v) < 0)
		return -1;
	return nla_nest_end(req, nest);
}

/*
 * DEV_SET numvfs straight to the kernel: the tool looks for open VFIO
 * files first and refuses by itself, so the kernel's own refusal (an
 * assigned VF, a claimed group) can only be tested without it.
 */
static int build_set_numvfs(struct nl_msg *req, char **argv)
{
	struct nlattr *nest;
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(argv[1], &end, 0);
	if (errno || *end || !argv[1][0] || v > 65535) {
		fprintf(stderr, "genl-probe: N must be 0..65535\n");
		return -1;
	}
	if (argv[2] && strcmp(argv[2], "force")) {
		fprintf(stderr, "genl-probe: expected 'force', not '%s'\n", argv[2]);
		return -1;
	}
	if (nla_put_string(req, VGPU_A_DEV_HANDLE, argv[0]) < 0 ||
	    !(nest = nla_nest_start(req, VGPU_A_DEV_SRIOV | NLA_F_NESTED)) ||
	    nla_put_u16(req, VGPU_A_SRIOV_NUMVFS, v) < 0 ||
	    nla_nest_end(req, nest) < 0)
		return -1;
	return argv[2] ? nla_put_flag(req, VGPU_A_FORCE) : 0;
}

/* VF_SET with a driver the tool refuses to send: the kernel must too. */
static int build_vf_get_handle(struct nl_msg *req, char **argv)
{
	return nla_put_string(req, VGPU_A_VF_HANDLE, argv[0]);
}

static int build_vf_set_driver(struct nl_msg *req, char **argv)
{
	if (nla_put_string(req, VGPU_A_VF_HANDLE, argv[0]) < 0)
		return -1;
	return nla_put_string(req, VGPU_A_VF_DRIVER_OVERRIDE, argv[1]);
}

/* One VF_SET with both parts, so that the refusal of one can be seen. */
static int build_vf_set_driver_contexts(struct nl_msg *req, char **argv)
{
	struct nlattr *nest;

	if (build_vf_set_driver(req, argv) < 0)
		return -1;
	nest = nla_nest_start(req, VGPU_A_VF_QUOTA);
	if (!nest ||
	    nla_put_u32(req, VGPU_A_QUOTA_CONTEXTS, strtoul(argv[2], NULL, 0)) < 0)
		return -1;
	nla_nest_end(req, nest);
	return 0;
}

/*
 * VF_SET with a driver (any string) and an exec-quantum quota in one
 * request: a refused driver must leave the quota unwritten (all or nothing).
 */
static int build_vf_set_driver_quota(struct nl_msg *req, char **argv)
{
	struct nlattr *nest;
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(argv[2], &end, 0);
	if (errno || *end || !argv[2][0] || v > 0xffffffffUL) {
		fprintf(stderr, "genl-probe: MS must be a u32\n");
		return -1;
	}
	if (nla_put_string(req, VGPU_A_VF_HANDLE, argv[0]) < 0 ||
	    nla_put_string(req, VGPU_A_VF_DRIVER_OVERRIDE, argv[1]) < 0 ||
	    !(nest = nla_nest_start(req, VGPU_A_VF_QUOTA | NLA_F_NESTED)) ||
	    nla_put_u32(req, VGPU_A_QUOTA_EXEC_QUANTUM_MS, v) < 0)
		return -1;
	return nla_nest_end(req, nest);
}

/*
 * MDEV_ADD exactly as given - any handle, type and UUID string, no type
 * resolution, no UUID check - so that the kernel's own checks are tested.
 */
static int build_mdev_add_raw(struct nl_msg *req, char **argv)
{
	if (nla_put_string(req, VGPU_A_DEV_HANDLE, argv[0]) < 0 ||
	    nla_put_string(req, VGPU_A_TYPE_NAME, argv[1]) < 0)
		return -1;
	return argv[2] ? nla_put_string(req, VGPU_A_MDEV_UUID, argv[2]) : 0;
}

/*
 * MDEV_DEL straight to the kernel, with "force" (VGPU_A_FORCE) and
 * "if-unused" (VGPU_A_MDEV_IF_UNUSED) as given: the tool sends the flag
 * and asks after a refusal, so the kernel's own answers (in use, not
 * created by vgpu_nl, removal queued) are reached only without it.
 */
static int build_mdev_del_raw(struct nl_msg *req, char **argv)
{
	int i;

	if (nla_put_string(req, VGPU_A_MDEV_UUID, argv[0]) < 0)
		return -1;
	for (i = 1; argv[i]; i++) {
		if (!strcmp(argv[i], "force")) {
			if (nla_put_flag(req, VGPU_A_FORCE) < 0)
				return -1;
		} else if (!strcmp(argv[i], "if-unused")) {
			if (nla_put_flag(req, VGPU_A_MDEV_IF_UNUSED) < 0)
				return -1;
		} else {
			fprintf(stderr, "genl-probe: expected 'force' or 'if-unused', not '%s'\n",
				argv[i]);
			return -1;
		}
	}
	return 0;
}

/* MDEV_GET do of any UUID string: its reply has VGPU_A_MDEV_IN_USE. */
static int build_mdev_get(struct nl_msg *req, char **argv)
{
	return nla_put_string(req, VGPU_A_MDEV_UUID, argv[0]);
}

static const struct probe {
	const char *name;
	uint8_t cmd;
	int min_args, max_args;
	int (*build)(struct nl_msg *req, char **argv);
} probes[] = {
	{ "dev-get-noattr", VGPU_CMD_DEV_GET, 0, 0, build_noattr },
	{ "dev-set-autoprobe", VGPU_CMD_DEV_SET, 2, 2, build_set_autoprobe },
	{ "dev-get-badhandle", VGPU_CMD_DEV_GET, 1, 1, build_badhandle },
	{ "unknown-attr", VGPU_CMD_DEV_GET, 0, 1, build_unknown_attr },
	{ "dev-get-wrongtype", VGPU_CMD_DEV_GET, 1, 1, build_wrongtype },
	{ "dev-set-numvfs", VGPU_CMD_DEV_SET, 2, 3, build_set_numvfs },
	{ "vf-get-noattr", VGPU_CMD_VF_GET, 0, 0, build_noattr },
	{ "vf-get-handle", VGPU_CMD_VF_GET, 1, 1, build_vf_get_handle },
	{ "vf-set-driver", VGPU_CMD_VF_SET, 2, 2, build_vf_set_driver },
	{ "vf-set-driver-contexts", VGPU_CMD_VF_SET, 3, 3, build_vf_set_driver_contexts },
	{ "vf-set-driver-quota", VGPU_CMD_VF_SET, 3, 3, build_vf_set_driver_quota },
	{ "mdev-add-raw", VGPU_CMD_MDEV_ADD, 2, 3, build_mdev_add_raw },
	{ "mdev-del-raw", VGPU_CMD_MDEV_DEL, 1, 3, build_mdev_del_raw },
	{ "mdev-get", VGPU_CMD_MDEV_GET, 1, 1, build_mdev_get },
};

int main(int argc, char **argv)
{
	const struct probe *p = NULL;
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct nl_msg *req;
	struct vgpu_nl nl;
	int i, nargs, ret;

	for (i = 0; argc > 1 && i < (int)(sizeof(probes) / sizeof(probes[0])); i++)
		if (!strcmp(argv[1], probes[i].name))
			p = &probes[i];
	nargs = argc - 2;
	if (!p || nargs < p->min_args || nargs > p->max_args) {
		usage();
		return 2;
	}

	/* Arguments first: a typo must not read as "module not loaded". */
	memset(&nl, 0, sizeof(nl));
	req = vgpu_nl_request(&nl, p->cmd, 0);
	if (!req || p->build(req, argv + 2) < 0) {
		fprintf(stderr, "genl-probe: cannot build the request\n");
		nlmsg_free(req);
		return 2;
	}
	if (vgpu_nl_open(&nl) < 0) {
		fprintf(stderr, "genl-probe: %s\n", vgpu_nl_strerror(&nl));
		nlmsg_free(req);
		return 2;
	}
	nlmsg_hdr(req)->nlmsg_type = nl.family;	/* known only now */
	ret = vgpu_nl_do(&nl, req, &rep);
	vgpu_nl_close(&nl);

	if (ret == 0) {
		puts("accepted");
		if (rep.n && vgpu_nl_parse(rep.msg[0], tb) == 0) {
			if (tb[VGPU_A_MDEV_UUID])
				printf("uuid=%s\n", nla_get_string(tb[VGPU_A_MDEV_UUID]));
			if (tb[VGPU_A_MDEV_IN_USE])
				printf("in_use=%u\n", nla_get_u8(tb[VGPU_A_MDEV_IN_USE]));
		}
		vgpu_nl_replies_free(&rep);
		return 1;
	}
	printf("errno=%d msg=%s", -nl.err.error, nl.err.msg);
	if (nl.err.has_offs)
		printf(" offs=%u", nl.err.offs);
	if (nl.err.has_miss_type)
		printf(" miss=%u", nl.err.miss_type);
	if (nl.err.has_miss_nest)
		printf(" miss_nest=%u", nl.err.miss_nest);
	putchar('\n');
	return 0;
}
