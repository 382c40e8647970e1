/* SPDX-License-Identifier: GPL-2.0 */
/*
 * show.h - "OBJECT show [DEV]": the one skeleton of dev, vf, type, mdev
 * and resource show
 *
 * Ask the kernel, check that every reply names its object, look in /proc
 * for the processes that hold the objects a VM can hold (VFs, mdevs),
 * print one JSON array (also when the kernel failed: -j promises one
 * document on stdout), then say why it failed.
 */
#ifndef VGPU_NL_CLI_SHOW_H
#define VGPU_NL_CLI_SHOW_H

#include <stdbool.h>

#include "host/holders.h"
#include "kernel/nl.h"

struct cli_cmd;

struct show_ops {
	const char *array;	/* the JSON array: "devices" */
	const char *what;	/* the object, for messages: "device" */
	int key_attr;		/* every reply carries it: VGPU_A_DEV_HANDLE */
	/* The replies about @handle, or about every object when NULL. */
	int (*query)(struct vgpu_nl *nl, const char *handle,
		     struct vgpu_nl_replies *rep);
	/*
	 * For objects a VM holds through VFIO (VFs, mdevs): their IOMMU
	 * group attribute; key_attr then names them for host/holders.h.
	 * 0: nobody holds these.
	 */
	int group_attr;
	/* Prints one reply; @hd is NULL unless group_attr is set. */
	void (*print)(struct nl_msg *msg, struct nlattr **tb,
		      const struct host_dev *hd, void *arg);
	/* After the last reply, or NULL. */
	void (*end)(void *arg);
};

/* Shows @handle (NULL: everything); returns the exit status. */
int show_run(const struct show_ops *ops, const char *handle, void *arg);

/* "OBJECT show [DEV]": parses the one optional DEV, then show_run(). */
int show_cmd(const struct show_ops *ops, const struct cli_cmd *cmd,
	     int argc, char **argv);

/*
 * Every reply of @rep parsed into @tbs (one attribute table each) and
 * described in @hds for host_find_holders(): named by @key_attr, with the
 * IOMMU group of @group_attr. Free with show_collect_free().
 */
int show_collect(struct vgpu_nl *nl, const struct vgpu_nl_replies *rep,
		 int key_attr, int group_attr,
		 struct nlattr *(**tbs)[VGPU_A_MAX + 1], struct host_dev **hds);
void show_collect_free(struct nlattr *(*tbs)[VGPU_A_MAX + 1],
		       struct host_dev *hds, size_t n);

#endif
