// SPDX-License-Identifier: GPL-2.0
/*
 * mdev.c - "vgpu-nl mdev": create, remove and list mediated devices
 *
 * What the kernel cannot know is read here: which processes hold an
 * mdev's VFIO files open (host/holders.c; see "VFs in use" in vgpu_nl.h,
 * the same holds for an mdev's group) and whether mdevctl keeps a
 * definition of it (host/mdevctl.c), which "mdev add ... persist" writes
 * and "mdev del" removes, and which mdevs vgpu-nl made once the kernel
 * module was reloaded and forgot (host/mdevown.c): every mdev made here is
 * recorded, every one removed here forgotten.
 */
#define _GNU_SOURCE	/* open_memstream() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "cli/cli.h"
#include "cli/mdev.h"
#include "cli/show.h"
#include "cli/type.h"
#include "host/holders.h"
#include "host/mdevctl.h"
#include "host/mdevown.h"
#include "kernel/handle.h"
#include "output/output.h"

static bool flag(struct nlattr *attr)
{
	return attr && nla_get_u8(attr);
}

static const char *str(struct nlattr *attr)
{
	return attr ? nla_get_string(attr) : "";
}

bool mdev_owned(struct nlattr **tb)
{
	return flag(tb[VGPU_A_MDEV_OWNED]) ||
	       (tb[VGPU_A_MDEV_UUID] &&
		mdevown_recorded(nla_get_string(tb[VGPU_A_MDEV_UUID]),
				 str(tb[VGPU_A_MDEV_PARENT]),
				 str(tb[VGPU_A_MDEV_TYPE])));
}

/* "(pid 123 qemu, pid 456 virsh)" in text, "holders": [...] in JSON. */
static void print_holders(const struct host_dev *hd)
{
	size_t i;

	print_string(PRINT_FP, NULL, "%s", " (");
	open_array("holders");
	for (i = 0; i < hd->nholders; i++) {
		open_object(NULL);
		print_uint(PRINT_ANY, "pid", i ? ", pid %u" : "pid %u",
			   hd->holders[i].pid);
		print_string(PRINT_ANY, "comm", " %s", hd->holders[i].comm);
		close_object();
	}
	close_array();
	print_string(PRINT_FP, NULL, "%s", ")");
}

/*
 * An mdev Proxmox VE made for a VM (kernel/handle.h): "owner proxmox-ve
 * vm 100 hostpci1", "owner": {"manager", "vmid", "hostpci"} in JSON.
 */
static void print_pve_owner(const char *uuid)
{
	unsigned int vmid, index;

	if (!uuid_pve_owner(uuid, &vmid, &index))
		return;
	open_object("owner");
	print_string(PRINT_ANY, "manager", " owner %s", "proxmox-ve");
	print_uint(PRINT_ANY, "vmid", " vm %u", vmid);
	print_uint(PRINT_ANY, "hostpci", " hostpci%u", index);
	close_object();
}

void mdev_print(struct nlattr **tb, const struct host_dev *hd,
		bool persistent)
{
	bool in_use = hd && hd->nholders, owned = mdev_owned(tb);

	open_object(NULL);
	print_string(PRINT_ANY, "uuid", "%s:",
		     nla_get_string(tb[VGPU_A_MDEV_UUID]));
	if (tb[VGPU_A_MDEV_PARENT])
		print_string(PRINT_ANY, "parent", " parent %s",
			     nla_get_string(tb[VGPU_A_MDEV_PARENT]));
	if (tb[VGPU_A_MDEV_TYPE])
		print_string(PRINT_ANY, "type", " type %s",
			     nla_get_string(tb[VGPU_A_MDEV_TYPE]));
	/* Absent means none: omitted, never "none". */
	if (tb[VGPU_A_MDEV_DRIVER])
		print_string(PRINT_ANY, "driver", " driver %s",
			     nla_get_string(tb[VGPU_A_MDEV_DRIVER]));
	if (tb[VGPU_A_MDEV_IOMMU_GROUP])
		print_uint(PRINT_ANY, "iommu_group", " iommu_group %u",
			   nla_get_u32(tb[VGPU_A_MDEV_IOMMU_GROUP]));

	print_bool(PRINT_JSON, "in_use", NULL, in_use);
	print_string(PRINT_FP, NULL, " in_use %s", in_use ? "yes" : "no");
	if (in_use)
		print_holders(hd);
	print_bool(PRINT_JSON, "owned", NULL, owned);
	print_string(PRINT_FP, NULL, " owned %s", owned ? "yes" : "no");
	print_bool(PRINT_JSON, "persistent", NULL, persistent);
	print_string(PRINT_FP, NULL, " persistent %s", persistent ? "yes" : "no");
	print_pve_owner(nla_get_string(tb[VGPU_A_MDEV_UUID]));
	/* Only while it lasts: a forced removal waits for the VM. */
	if (flag(tb[VGPU_A_MDEV_REMOVING]))
		print_bool(PRINT_ANY, "removing", " removing", true);
	print_nl();
	close_object();
}

/* A request with one string attribute, answered by at most one mdev. */
static int mdev_do(struct vgpu_nl *nl, uint8_t cmd, const char *uuid,
		   struct vgpu_nl_replies *rep)
{
	return vgpu_nl_get(nl, cmd, VGPU_A_MDEV_UUID, uuid, rep);
}

/* The one mdev of a do (MDEV_GET, MDEV_ADD) parsed into @tb. */
static int mdev_one(struct vgpu_nl *nl, const struct vgpu_nl_replies *rep,
		    struct nlattr **tb)
{
	if (rep->n != 1 || vgpu_nl_parse(rep->msg[0], tb) < 0 ||
	    !tb[VGPU_A_MDEV_UUID])
		return vgpu_nl_error(nl, -EBADMSG, "malformed mdev reply from the kernel (no UUID)");
	return 0;
}

/*
 * MDEV_GET do: whether @uuid still exists and is being removed; the
 * kernel's "no such mdev" (ENODEV) is an answer here, not a failure.
 */
static int mdev_state(struct vgpu_nl *nl, const char *uuid, bool *exists,
		      bool *removing)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *tb[VGPU_A_MAX + 1];
	int ret;

	*exists = *removing = false;
	ret = mdev_do(nl, VGPU_CMD_MDEV_GET, uuid, &rep);
	if (ret == -ENODEV || ret == -ENOENT)
		ret = 0;
	else if (!ret && !(ret = mdev_one(nl, &rep, tb))) {
		*exists = true;
		*removing = flag(tb[VGPU_A_MDEV_REMOVING]);
	}
	vgpu_nl_replies_free(&rep);
	return ret;
}

/* The mdev MDEV_ADD made, from its reply (what was asked, without one). */
static void record_added(const struct vgpu_nl_replies *rep,
			 const char *handle, const char *type, const char *uuid)
{
	struct nlattr *tb[VGPU_A_MAX + 1];

	if (rep->n == 1 && vgpu_nl_parse(rep->msg[0], tb) == 0 &&
	    tb[VGPU_A_MDEV_UUID]) {
		mdevown_record(nla_get_string(tb[VGPU_A_MDEV_UUID]),
			       tb[VGPU_A_MDEV_PARENT] ? str(tb[VGPU_A_MDEV_PARENT]) : handle,
			       tb[VGPU_A_MDEV_TYPE] ? str(tb[VGPU_A_MDEV_TYPE]) : type);
	} else if (uuid) {
		mdevown_record(uuid, handle, type);
	}
}

int mdev_add_request(struct vgpu_nl *nl, const char *handle,
		     const char *type, const char *uuid,
		     struct vgpu_nl_replies *rep)
{
	struct vgpu_nl_replies mine = { 0 };
	struct nl_msg *req;
	int ret;

	req = vgpu_nl_request(nl, VGPU_CMD_MDEV_ADD, 0);
	if (!req)
		return nl->err.error;
	if (nla_put_string(req, VGPU_A_DEV_HANDLE, handle) < 0 ||
	    nla_put_string(req, VGPU_A_TYPE_NAME, type) < 0 ||
	    (uuid && nla_put_string(req, VGPU_A_MDEV_UUID, uuid) < 0)) {
		nlmsg_free(req);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	ret = vgpu_nl_do(nl, req, rep ? rep : &mine);
	if (!ret)
		record_added(rep ? rep : &mine, handle, type, uuid);
	vgpu_nl_replies_free(&mine);
	return ret;
}

/*
 * MDEV_DEL of @uuid, with VGPU_A_FORCE if @force and, if @if_unused,
 * VGPU_A_MDEV_IF_UNUSED. *@flagged (if given) tells whether the kernel's
 * refusal points at that flag: EBUSY, the mdev is in use (or the kernel
 * cannot tell); EINVAL, a module older than the flag (API 7) does not
 * know it, and nothing was done.
 */
static int mdev_del_send(struct vgpu_nl *nl, const char *uuid, bool force,
			 bool if_unused, bool *flagged)
{
	struct nl_msg *req;
	bool at_flag;
	uint32_t at = 0;
	int ret;

	req = vgpu_nl_request(nl, VGPU_CMD_MDEV_DEL, 0);
	if (!req)
		return nl->err.error;
	if (nla_put_string(req, VGPU_A_MDEV_UUID, uuid) < 0 ||
	    (force && nla_put_flag(req, VGPU_A_FORCE) < 0) ||
	    (if_unused && nla_put_flag(req, VGPU_A_MDEV_IF_UNUSED) < 0)) {
		nlmsg_free(req);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	/* The flag is the last attribute: its offset from the header. */
	if (if_unused)
		at = nlmsg_hdr(req)->nlmsg_len - NLA_HDRLEN;
	ret = vgpu_nl_do(nl, req, NULL);
	at_flag = ret < 0 && if_unused && nl->err.has_offs && nl->err.offs == at;
	if (flagged)
		*flagged = at_flag;
	/* Taken (EBUSY with force: queued until the VM lets go): not ours now. */
	if (!ret || (ret == -EBUSY && force && !at_flag))
		mdevown_forget(uuid);
	return ret;
}

int mdev_del_request(struct vgpu_nl *nl, const char *uuid, bool force)
{
	return mdev_del_send(nl, uuid, force, false, NULL);
}

static bool persistent(struct nlattr **tb)
{
	return tb[VGPU_A_MDEV_PARENT] &&
	       mdevctl_defined(nla_get_string(tb[VGPU_A_MDEV_PARENT]),
			       nla_get_string(tb[VGPU_A_MDEV_UUID]));
}

static int mdev_query(struct vgpu_nl *nl, const char *handle,
		      struct vgpu_nl_replies *rep)
{
	return vgpu_nl_dump_filter(nl, VGPU_CMD_MDEV_GET, VGPU_A_DEV_HANDLE,
				   handle, rep);
}

/* Every mdev listed, for the records of those vgpu-nl made (mdevown.h). */
struct mdev_listed {
	struct mdevown_live *live;
	size_t n, cap;
	bool oom;
};

static void mdev_show_one(struct nl_msg *msg, struct nlattr **tb,
			  const struct host_dev *hd, void *arg)
{
	struct mdev_listed *l = arg;
	struct mdevown_live *grown;

	(void)msg;
	mdev_print(tb, hd, persistent(tb));
	if (!l || l->oom)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		grown = realloc(l->live, l->cap * sizeof(*grown));
		if (!grown) {
			l->oom = true;
			return;
		}
		l->live = grown;
	}
	/* The strings live in the replies until show_run() is done. */
	l->live[l->n].uuid = str(tb[VGPU_A_MDEV_UUID]);
	l->live[l->n].parent = str(tb[VGPU_A_MDEV_PARENT]);
	l->live[l->n].type = str(tb[VGPU_A_MDEV_TYPE]);
	l->live[l->n].kernel_owned = flag(tb[VGPU_A_MDEV_OWNED]);
	l->n++;
}

/* Only the whole list tells which records are stale. */
static void mdev_show_end(void *arg)
{
	struct mdev_listed *l = arg;

	if (l && !l->oom)
		mdevown_sync(l->live, l->n);
}

static const struct show_ops mdev_show_ops = {
	.array = "mdevs",
	.what = "mdev",
	.key_attr = VGPU_A_MDEV_UUID,
	.query = mdev_query,
	.group_attr = VGPU_A_MDEV_IOMMU_GROUP,
	.print = mdev_show_one,
	.end = mdev_show_end,
};

static int mdev_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	char handle[VGPU_HANDLE_MAX];
	struct mdev_listed all = { 0 };
	bool given;
	int status;

	status = cli_parse_opt_handle(cmd, argc, argv, handle, &given);
	if (status != EXIT_OK)
		return status;
	status = show_run(&mdev_show_ops, given ? handle : NULL,
			  given ? NULL : &all);
	free(all.live);
	return status;
}

struct add_args {
	char handle[VGPU_HANDLE_MAX];
	const char *type;		/* as given */
	bool has_uuid;
	char uuid[VGPU_UUID_LEN + 1];
	bool persist;
};

/* "type TYPE", "uuid UUID" and "persist" after DEV, in any order, once each. */
static int mdev_add_parse(const struct cli_cmd *cmd, int argc, char **argv,
			  struct add_args *a)
{
	int i, status;

	memset(a, 0, sizeof(*a));
	if (argc < 2)
		return cli_usage(cmd, "missing DEV");
	status = cli_parse_handle(cmd, argv[1], a->handle);
	if (status != EXIT_OK)
		return status;
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "persist")) {
			if (a->persist)
				return cli_usage(cmd, "'persist' given twice");
			a->persist = true;
			continue;
		}
		if (strcmp(argv[i], "type") && strcmp(argv[i], "uuid"))
			return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
		if (i + 1 == argc)
			return cli_usage(cmd, "missing value for '%s'", argv[i]);
		if (!strcmp(argv[i], "type")) {
			if (a->type)
				return cli_usage(cmd, "'type' given twice");
			if (!argv[i + 1][0])
				return cli_usage(cmd, "empty type name");
			a->type = argv[i + 1];
		} else {
			if (a->has_uuid)
				return cli_usage(cmd, "'uuid' given twice");
			status = cli_parse_uuid(cmd, argv[i + 1], a->uuid);
			if (status != EXIT_OK)
				return status;
			a->has_uuid = true;
		}
		i++;
	}
	if (!a->type)
		return cli_usage(cmd, "missing 'type TYPE'");
	return EXIT_OK;
}

/*
 * The definition could not be written: take the mdev away again, so that
 * "persist" either fully happens or not at all, and say what was done.
 */
static int mdev_add_rollback(struct vgpu_nl *nl, const char *uuid,
			     const char *why)
{
	if (mdev_del_request(nl, uuid, false) < 0)
		pr_err("%s; removing mdev %s again failed too: %s", why, uuid,
		       vgpu_nl_strerror(nl));
	else
		pr_err("%s; mdev %s was removed again", why, uuid);
	return EXIT_FAIL;
}

static int mdev_add(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *tb[VGPU_A_MAX + 1];
	char type[256], why[4400], path[4200];
	const char *uuid = NULL, *full;
	struct add_args a;
	struct cli_wait cw;
	struct vgpu_nl *nl;
	int ret, status;
	bool ok = false;

	/* The whole line is checked before anything is sent. */
	status = mdev_add_parse(cmd, argc, argv, &a);
	if (status != EXIT_OK)
		return status;
	/* mdevctl itself refuses a second definition: so do we, up front. */
	if (a.persist && a.has_uuid && mdevctl_defined(a.handle, a.uuid)) {
		pr_err("mdev %s is already defined in %s", a.uuid,
		       mdevctl_path(a.handle, a.uuid, path, sizeof(path)));
		return EXIT_FAIL;
	}

	/*
	 * Signals wait for the end: a ^C never leaves an mdev made but not
	 * recorded, not defined (persist) or not named to the user.
	 */
	cli_wait_begin(&cw);
	ret = cli_nl(&nl);
	if (!ret)
		ret = type_resolve(nl, a.handle, a.type, type, sizeof(type));
	if (!ret)
		ret = mdev_add_request(nl, a.handle, type,
				       a.has_uuid ? a.uuid : NULL, &rep);
	if (!ret)
		ret = mdev_one(nl, &rep, tb);
	if (ret < 0) {
		status = cli_nl_failed(nl);
		goto out;
	}

	uuid = nla_get_string(tb[VGPU_A_MDEV_UUID]);
	if (a.persist) {
		full = tb[VGPU_A_MDEV_TYPE] ? nla_get_string(tb[VGPU_A_MDEV_TYPE]) :
		       type;
		if (mdevctl_define(a.handle, uuid, full, why, sizeof(why)) < 0) {
			status = mdev_add_rollback(nl, uuid, why);
			goto out;
		}
	}
	ok = true;
	status = EXIT_OK;
out:
	/* The UUID is what scripts need; -j: one document, empty on failure. */
	output_begin();
	open_array("mdevs");
	if (ok && output_is_json())
		mdev_print(tb, NULL, a.persist);
	else if (ok)
		print_string(PRINT_FP, NULL, "%s\n", uuid);
	close_array();
	if (cli_output_end() != EXIT_OK)
		status = EXIT_FAIL;
	cli_wait_end(&cw);

	vgpu_nl_replies_free(&rep);
	return status;
}

/* "pid 123 (qemu-system-x86), pid 456 (virsh)", or @none without any. */
static void holders_text(const struct host_dev *hd, const char *none,
			 char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	if (!hd->nholders)
		snprintf(buf, len, "%s", none);
	for (i = 0; i < hd->nholders && off < len; i++)
		off += snprintf(buf + off, len - off, "%spid %d (%s)",
				i ? ", " : "", hd->holders[i].pid,
				hd->holders[i].comm);
}

/* What the wait for a queued removal shares with its event callback. */
struct del_wait {
	struct vgpu_nl *nl;	/* the request socket, to ask after a loss */
	const char *uuid;
	bool gone;
	int error;		/* a failed question, in nl->err */
};

static int on_del_event(struct nlattr **tb, const struct vgpu_nl_loss *loss,
			void *arg)
{
	struct del_wait *w = arg;
	bool exists, removing;

	(void)loss;
	if (!tb) {
		/* Events were lost, maybe ours: ask the kernel instead. */
		w->error = mdev_state(w->nl, w->uuid, &exists, &removing);
		if (w->error < 0)
			return w->error;
		w->gone = !exists;
	} else if (tb[VGPU_A_EVENT] &&
		   nla_get_u8(tb[VGPU_A_EVENT]) == VGPU_EVENT_MDEV_DEL &&
		   tb[VGPU_A_MDEV_UUID] &&
		   !strcmp(nla_get_string(tb[VGPU_A_MDEV_UUID]), w->uuid)) {
		w->gone = true;
	}
	if (w->gone)
		cli_stop = 1;	/* ends vgpu_nl_listen() as a ^C would */
	return 0;
}

static void said_undefined(const char *path)
{
	pr_info("removed the mdevctl definition %s", path);
}

/*
 * The kernel took the removal: mdevctl must not bring the mdev back at
 * the next boot or parent hotplug.
 */
static int mdev_undefine(const char *uuid)
{
	char failed[4200];
	int ret;

	ret = mdevctl_undefine(uuid, said_undefined, failed, sizeof(failed));
	if (ret >= 0)
		return EXIT_OK;
	pr_err("mdev %s is removed, but its mdevctl definition %s is not: %s (mdevctl would create it again; remove the file)",
	       uuid, failed, strerror(-ret));
	return EXIT_FAIL;
}

/* The processes holding mdev @uuid (of the MDEV_GET answer @tb) into @hd. */
static int mdev_holders(struct nlattr **tb, const char *uuid,
			struct host_dev *hd)
{
	hd->handle = uuid;
	if (tb[VGPU_A_MDEV_IOMMU_GROUP]) {
		hd->has_group = true;
		hd->group = nla_get_u32(tb[VGPU_A_MDEV_IOMMU_GROUP]);
	}
	return host_find_holders(hd, 1);
}

/*
 * MDEV_DEL answered EBUSY. With force that is the kernel queueing the
 * removal because a VM has the mdev open (VGPU_CMD_MDEV_DEL); without
 * force the kernel is not meant to queue, so it is a refusal unless the
 * mdev's REMOVING flag says otherwise. A queued removal completes, with an
 * mdev-del event, when the VM lets go: listen on a socket of its own
 * (@ev; the request socket stays free for questions), then ask - an event
 * sent before we listened is then seen as the mdev being gone - and wait.
 * The holders are looked for only now, to name them: a forced request
 * did not need them. Returns the exit status.
 */
static int mdev_del_queued(struct vgpu_nl *nl, struct cli_wait *cw,
			   const char *uuid, bool force, struct host_dev *hd)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct del_wait w = { .nl = nl, .uuid = uuid };
	struct vgpu_nl_ack refusal = nl->err;
	char holders[512];
	struct vgpu_nl ev;
	bool removing;
	int ret, status = EXIT_OK;

	ret = vgpu_nl_open(&ev);
	if (!ret)
		ret = vgpu_nl_subscribe(&ev);
	if (ret < 0) {
		status = cli_nl_failed(&ev);
		goto out;
	}
	ret = mdev_do(nl, VGPU_CMD_MDEV_GET, uuid, &rep);
	if (ret == -ENODEV || ret == -ENOENT) {
		/* Gone already: nothing to wait for. */
		status = mdev_undefine(uuid);
		goto out;
	}
	if (!ret)
		ret = mdev_one(nl, &rep, tb);
	if (ret < 0) {
		status = cli_nl_failed(nl);
		goto out;
	}
	removing = tb[VGPU_A_MDEV_REMOVING] &&
		   nla_get_u8(tb[VGPU_A_MDEV_REMOVING]);
	if (!force && !removing) {
		nl->err = refusal;
		status = cli_nl_failed(nl);
		goto out;
	}
	status = mdev_undefine(uuid);
	if (force)
		mdev_holders(tb, uuid, hd);
	holders_text(hd, "its user", holders, sizeof(holders));
	pr_info("waiting for %s to release mdev %s...", holders, uuid);

	/* A loss is answered by asking after the mdev: no need to count. */
	cli_wait_arm(cw);
	ret = vgpu_nl_listen(&ev, on_del_event, &w, false, &cli_stop,
			     &cw->waitmask);
	if (w.gone)
		goto out;
	if (ret < 0)
		cli_nl_failed(w.error < 0 ? nl : &ev);
	else
		pr_err("interrupted; the removal of mdev %s stays queued: the kernel completes it when %s lets go",
		       uuid, holders);
	status = EXIT_FAIL;
out:
	vgpu_nl_close(&ev);
	vgpu_nl_replies_free(&rep);
	return status;
}

/*
 * Whether mdev @uuid (of the MDEV_GET answer @tb) may go without force:
 * nobody holds its VFIO files. The kernel's answer (VGPU_A_MDEV_IN_USE,
 * which sees every PID namespace) decides when it gave one, and /proc is
 * then read only to name the holders; without it (an older module, or the
 * kernel could not tell) /proc decides. Returns the exit status.
 */
static int mdev_del_unused(struct nlattr **tb, const char *uuid,
			   struct host_dev *hd)
{
	int in_use = tb[VGPU_A_MDEV_IN_USE] ? nla_get_u8(tb[VGPU_A_MDEV_IN_USE]) : -1;
	char holders[512];
	int scan;

	if (in_use == 0)
		return EXIT_OK;
	scan = mdev_holders(tb, uuid, hd);
	if (hd->nholders) {
		holders_text(hd, "", holders, sizeof(holders));
		pr_err("mdev %s is in use by %s; stop it or add 'force'",
		       uuid, holders);
		return EXIT_FAIL;
	}
	if (in_use > 0) {
		pr_err("mdev %s is in use by a process this tool cannot name (in another PID namespace, or holding only the VFIO device file); stop it or add 'force'",
		       uuid);
		return EXIT_FAIL;
	}
	if (scan < 0) {
		/* Not knowing is no licence to pull it from under a VM. */
		pr_err("cannot look for processes using mdev %s in %s: %s; add 'force' to remove it anyway",
		       uuid, host_proc(), strerror(-scan));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* What became of a removal the kernel was asked for (@ret): the exit status. */
static int mdev_del_done(struct vgpu_nl *nl, struct cli_wait *cw,
			 const char *uuid, bool force, int ret,
			 struct host_dev *hd)
{
	if (ret == -EBUSY)
		return mdev_del_queued(nl, cw, uuid, force, hd);
	if (ret < 0)
		return cli_nl_failed(nl);
	return mdev_undefine(uuid);
}

/*
 * A del without force that the kernel did not take at once: it refused an
 * mdev in use (or could not tell), or one vgpu_nl did not make, or it is
 * older than VGPU_A_MDEV_IF_UNUSED. Ask (MDEV_GET): who holds the mdev,
 * named from /proc, refuses it; our record vouches for one made before a
 * reload (VGPU_A_FORCE). What is left is sent without the flag: the kernel
 * then says for itself why it refuses (or takes it: the holder went).
 */
static int mdev_del_asked(struct vgpu_nl *nl, struct cli_wait *cw,
			  const char *uuid, struct host_dev *hd)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *tb[VGPU_A_MAX + 1];
	bool vouch;
	int ret, status;

	ret = mdev_do(nl, VGPU_CMD_MDEV_GET, uuid, &rep);
	if (!ret)
		ret = mdev_one(nl, &rep, tb);
	if (ret < 0) {
		status = cli_nl_failed(nl);
		goto out;
	}
	/*
	 * Made by vgpu-nl before vgpu_nl was reloaded: the kernel forgot,
	 * our record did not, and vouches for it with VGPU_A_FORCE (once
	 * nobody holds it, as for any other).
	 */
	vouch = !flag(tb[VGPU_A_MDEV_OWNED]) && mdev_owned(tb);
	status = mdev_del_unused(tb, uuid, hd);
	if (status == EXIT_OK)
		status = mdev_del_done(nl, cw, uuid, false,
				       mdev_del_send(nl, uuid, vouch, false, NULL),
				       hd);
out:
	vgpu_nl_replies_free(&rep);
	return status;
}

/*
 * What one "mdev del" costs, and why each step is there (where the time
 * goes: tests/bench/guest.sh, "mdev add+del"):
 *  - the tool's start and the family resolution: once per process, once
 *    per batch (cli_nl());
 *  - MDEV_DEL, without force with VGPU_A_MDEV_IF_UNUSED: the kernel
 *    refuses an mdev a process holds (the README promises that del
 *    refuses then): the removal opens the mdev's VFIO group, which is
 *    exclusive, and compares device numbers in every task's open files
 *    only for what that open does not answer (vgpu_nl.h, "VFs in use"),
 *    then writes the mdev's sysfs remove file
 *    from a work item (VGPU_MDEV_REMOVE_WAIT in vgpu_mdev.c), which is the
 *    vendor driver's remove and the VFIO device's unregistration, and
 *    answers. force skips the question;
 *  - the record that vgpu-nl made the mdev (one unlink) and the mdevctl
 *    definitions (one directory read of /etc/mdevctl.d);
 *  - SIGINT, SIGTERM and SIGHUP held back around request and bookkeeping
 *    (two sigprocmask calls; handlers only for a del that waits).
 * Only a refusal costs more (mdev_del_asked(): MDEV_GET, and a pass over
 * /proc/PID/fd to name the holders: one system call for a process without
 * open files (6.2 and later report the count), four more and one per open
 * file for the others (host/holders.c)); so does every del with a module
 * older than the flag. Only a removal the kernel queues (a VM holds the
 * mdev) opens a second socket and waits, in mdev_del_queued().
 */
static int mdev_del(const struct cli_cmd *cmd, int argc, char **argv)
{
	char uuid[VGPU_UUID_LEN + 1];
	struct host_dev hd = { 0 };
	struct vgpu_nl *nl;
	struct cli_wait cw;
	bool force = false, flagged = false;
	int ret, status;

	if (argc < 2)
		return cli_usage(cmd, "missing UUID");
	status = cli_parse_uuid(cmd, argv[1], uuid);
	if (status != EXIT_OK)
		return status;
	if (argc > 2 && !strcmp(argv[2], "force"))
		force = true;
	if (argc > 2 + force)
		return cli_usage(cmd, "unexpected argument '%s'", argv[2 + force]);

	ret = cli_nl(&nl);
	if (ret < 0)
		return cli_nl_failed(nl);
	/* Signals wait for the end: a ^C never splits request and bookkeeping. */
	cli_wait_begin(&cw);
	ret = mdev_del_send(nl, uuid, force, !force, &flagged);
	/* The module's EPERM (not made by vgpu_nl), not the core's (root). */
	if (!force && (flagged || (ret == -EPERM && !vgpu_nl_needs_root(nl))))
		status = mdev_del_asked(nl, &cw, uuid, &hd);
	else
		status = mdev_del_done(nl, &cw, uuid, force, ret, &hd);
	cli_wait_end(&cw);
	host_devs_free(&hd, 1);
	return status;
}

static const struct cli_cmd mdev_cmds[] = {
	{ "show", mdev_show, "mdev show [DEV]",
	  "list the mdevs of every parent device, or of one" },
	{ "add", mdev_add, "mdev add DEV type TYPE [uuid UUID] [persist]",
	  "create an mdev and print its UUID (root); persist: also for mdevctl" },
	{ "del", mdev_del, "mdev del UUID [force]",
	  "remove an mdev (root), and its mdevctl definition" },
};

static const struct cli_object mdev_object = {
	.name = "mdev",
	.cmds = mdev_cmds,
	.ncmds = ARRAY_SIZE(mdev_cmds),
	.notes = "DEV is pci/DDDD:BB:DD.F, DDDD:BB:DD.F or BB:DD.F (domain 0000).\n"
		 "TYPE is a type of DEV (see 'vgpu-nl type show DEV'), in full\n"
		 "(i915-GVTg_V5_4) or without its driver prefix (GVTg_V5_4). UUID is\n"
		 "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx; a random one is made if absent.\n"
		 "persist writes /etc/mdevctl.d/PARENT/UUID, so that mdevctl (and\n"
		 "libvirt) create the mdev again at boot; del removes that file too.\n"
		 "An mdev is in use when a process holds /dev/vfio/GROUP or its\n"
		 "/dev/vfio/devices/vfioX open: del refuses then. 'force' removes it\n"
		 "anyway - the kernel queues the removal until the VM lets go, and del\n"
		 "waits for that - and removes mdevs vgpu-nl did not create.",
};

int cmd_mdev(const struct cli_cmd *cmd, int argc, char **argv)
{
	(void)cmd;
	return cli_dispatch(&mdev_object, argc, argv);
}
