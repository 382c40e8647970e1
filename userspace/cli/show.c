// SPDX-License-Identifier: GPL-2.0
/*
 * show.c - see show.h
 */
#include <errno.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/show.h"
#include "output/output.h"

int show_collect(struct vgpu_nl *nl, const struct vgpu_nl_replies *rep,
		 int key_attr, int group_attr,
		 struct nlattr *(**tbs)[VGPU_A_MAX + 1], struct host_dev **hds)
{
	struct nlattr *(*tb)[VGPU_A_MAX + 1];
	size_t i;

	*tbs = NULL;
	*hds = NULL;
	if (!rep->n)
		return 0;
	*tbs = calloc(rep->n, sizeof(**tbs));
	*hds = calloc(rep->n, sizeof(**hds));
	if (!*tbs || !*hds)
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	for (i = 0; i < rep->n; i++) {
		tb = &(*tbs)[i];
		/* vgpu_nl_check_replies() saw that each parses. */
		vgpu_nl_parse(rep->msg[i], *tb);
		(*hds)[i].handle = nla_get_string((*tb)[key_attr]);
		if (group_attr && (*tb)[group_attr]) {
			(*hds)[i].has_group = true;
			(*hds)[i].group = nla_get_u32((*tb)[group_attr]);
		}
	}
	return 0;
}

void show_collect_free(struct nlattr *(*tbs)[VGPU_A_MAX + 1],
		       struct host_dev *hds, size_t n)
{
	if (hds)
		host_devs_free(hds, n);
	free(hds);
	free(tbs);
}

int show_run(const struct show_ops *ops, const char *handle, void *arg)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *(*tbs)[VGPU_A_MAX + 1] = NULL;
	struct host_dev *hds = NULL;
	struct vgpu_nl *nl;
	int ret, status;
	size_t i;

	ret = cli_nl(&nl);
	if (!ret)
		ret = ops->query(nl, handle, &rep);
	if (!ret)
		ret = vgpu_nl_check_replies(nl, &rep, ops->key_attr, ops->what);
	if (!ret)
		ret = show_collect(nl, &rep, ops->key_attr, ops->group_attr,
				   &tbs, &hds);
	/* One pass over /proc for all of them. */
	if (!ret && ops->group_attr)
		host_find_holders_or_warn(hds, rep.n, ops->what);

	/* On failure too: -j promises one JSON document on stdout. */
	output_begin();
	open_array(ops->array);
	for (i = 0; !ret && i < rep.n; i++)
		ops->print(rep.msg[i], tbs[i], ops->group_attr ? &hds[i] : NULL,
			   arg);
	if (!ret && ops->end)
		ops->end(arg);
	close_array();
	status = cli_output_end();
	if (ret < 0)
		status = cli_nl_failed(nl);

	show_collect_free(tbs, hds, rep.n);
	vgpu_nl_replies_free(&rep);
	return status;
}

int show_cmd(const struct show_ops *ops, const struct cli_cmd *cmd,
	     int argc, char **argv)
{
	char handle[VGPU_HANDLE_MAX];
	bool given;
	int status;

	status = cli_parse_opt_handle(cmd, argc, argv, handle, &given);
	if (status != EXIT_OK)
		return status;
	return show_run(ops, given ? handle : NULL, NULL);
}
