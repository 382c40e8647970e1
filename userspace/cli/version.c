// SPDX-License-Identifier: GPL-2.0
/*
 * version.c - "vgpu-nl version": tool, module and API versions
 *
 * The tool's own version is printed first and even without the module, so
 * that a bug report always says which tool was used.
 */
#include <errno.h>

#include "cli/cli.h"
#include "output/output.h"

static int version_get(struct vgpu_nl **nlp, struct vgpu_nl_replies *rep,
		       struct nlattr **tb)
{
	struct vgpu_nl *nl;
	struct nl_msg *req;
	int ret;

	ret = cli_nl(nlp);
	nl = *nlp;
	if (ret < 0)
		return ret;
	req = vgpu_nl_request(nl, VGPU_CMD_VERSION_GET, 0);
	if (!req)
		return nl->err.error;
	ret = vgpu_nl_do(nl, req, rep);
	if (ret < 0)
		return ret;
	if (rep->n != 1 || vgpu_nl_parse(rep->msg[0], tb) < 0 ||
	    !tb[VGPU_A_VERSION] || !tb[VGPU_A_API_VERSION])
		return vgpu_nl_error(nl, -EBADMSG, "malformed version reply from the kernel");
	return 0;
}

int cmd_version(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct vgpu_nl *nl;
	int ret, status;

	ret = cli_no_args(cmd, argc, argv);
	if (ret != CLI_GO_ON)
		return ret;

	ret = version_get(&nl, &rep, tb);
	output_begin();
	print_string(PRINT_ANY, "tool", "vgpu-nl tool %s\n", VGPU_NL_TOOL_VERSION);
	if (!ret) {
		print_string(PRINT_ANY, "module", "module %s\n",
			     nla_get_string(tb[VGPU_A_VERSION]));
		print_uint(PRINT_ANY, "api_version", "api %u\n",
			   nla_get_u32(tb[VGPU_A_API_VERSION]));
	}
	status = cli_output_end();
	if (ret < 0)
		status = cli_nl_failed(nl);

	vgpu_nl_replies_free(&rep);
	return status;
}
