// SPDX-License-Identifier: GPL-2.0
/*
 * apply.c - "vgpu-nl apply": converge the system to the desired-state file
 *
 * Three passes. Parse: the whole file, any error and nothing is done.
 * Plan: every line is checked against the system as it is (device
 * managed, SR-IOV PF or mdev parent, VF index within the count asked for,
 * mdev type there with instances free, no VF in use where the count
 * changes or auto provisioning comes back, a provisioning mode the PF has)
 * - again, any error and nothing is done. Execute: provisioning modes, VF
 * counts and autoprobe, then the VFs (read again, as a count change makes
 * new ones) with their quotas and driver, then the missing mdevs, each
 * change reported as it is made; the first failure stops the run, and
 * what it had changed is taken back (rollback.c). A file
 * without quotas and without "provisioning" leaves the mode as it is.
 * A stop signal (^C, SIGTERM, a hangup) while the changes run is held
 * back and counts as a failure before the next change: the run stops and
 * takes back what it had changed - never a change split from its
 * bookkeeping, nor a half-applied file left without a word - and the
 * signal then takes its course (a batch ends there too).
 *
 * Nothing is ever removed that the file does not ask to remove: mdevs not
 * in the file are left alone (and named), since the one sure way to know
 * that an mdev is unwanted is "vgpu-nl mdev del" or "vgpu-nl reset".
 *
 * One apply runs at a time (apply_lock()): at boot vgpu-nl-apply.service
 * and the vgpu-nl-apply@DEV.service that 60-vgpu-nl.rules starts when the
 * GPU's driver binds may start together; two plans made from the same
 * state would both create the same mdev, and the second would fail. The
 * second waits, then plans from what the first made.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netlink/genl/genl.h>

#include "cli/batch.h"
#include "cli/cli.h"
#include "cli/dev.h"
#include "cli/mdev.h"
#include "cli/type.h"
#include "cli/vf.h"
#include "host/pci.h"
#include "kernel/handle.h"
#include "output/output.h"
#include "persist/change.h"
#include "persist/config.h"
#include "persist/rollback.h"
#include "persist/state.h"

/* What a VF line names once resolved: a PF and an index. */
struct vf_target {
	char pf[VGPU_HANDLE_MAX];
	int index;
	bool selected;			/* within "device DEV" */
};

struct mdev_plan {
	char type[CONFIG_TYPE_MAX];	/* the full name */
	bool selected, create, made;
};

struct apply {
	struct vgpu_nl *nl;		/* the run's client (cli_nl()) */
	struct config cfg;
	struct state st;
	const char *only;		/* "device DEV": that one only */
	bool force;
	struct vf_target *vt;		/* one per cfg.vfs */
	struct mdev_plan *mp;		/* one per cfg.mdevs */
	size_t done;			/* changes made */
	bool failed;
	const struct cli_wait *cw;	/* stop signals held back, or NULL */
	char why[1024];
};

__attribute__((format(printf, 3, 4)))
static int plan_fail(struct apply *a, int line, const char *fmt, ...)
{
	size_t off;
	va_list ap;

	off = snprintf(a->why, sizeof(a->why), "%s:%d: ", a->cfg.name, line);
	va_start(ap, fmt);
	vsnprintf(a->why + off, sizeof(a->why) - off, fmt, ap);
	va_end(ap);
	return -1;
}

static bool selected(const struct apply *a, const char *dev)
{
	return !a->only || !strcmp(a->only, dev);
}

static const struct cfg_device *cfg_dev(const struct apply *a,
					const char *handle)
{
	size_t i;

	for (i = 0; i < a->cfg.ndevs; i++)
		if (!strcmp(a->cfg.devs[i].handle, handle))
			return &a->cfg.devs[i];
	return NULL;
}

static int not_managed(struct apply *a, int line, const char *dev)
{
	return plan_fail(a, line, "%s is not a device vgpu_nl manages (absent, or not a GPU: see vgpu-nl dev show)",
			 dev);
}

/* Whether @d takes @sd's enabled VFs away and back to reach auto. */
static bool cycles_vfs(const struct cfg_device *d, const struct st_dev *sd)
{
	return d->prov_mode == VGPU_PROV_MODE_AUTO &&
	       sd->prov_mode == VGPU_PROV_MODE_CUSTOM && sd->numvfs;
}

static int plan_device(struct apply *a, const struct cfg_device *d)
{
	const struct st_dev *sd = state_dev(&a->st, d->handle);
	bool count;
	char *busy = NULL;

	if (!sd)
		return not_managed(a, d->line, d->handle);
	if (!sd->sriov)
		return plan_fail(a, d->line, "%s is not an SR-IOV PF (no VF count or autoprobe to set)",
				 d->handle);
	if (d->has_numvfs && d->numvfs > sd->totalvfs)
		return plan_fail(a, d->line, "numvfs %u but %s has at most %u (totalvfs)",
				 d->numvfs, d->handle, sd->totalvfs);
	if (d->prov_mode && !sd->prov_mode)
		return plan_fail(a, d->line, "%s has no auto and custom provisioning to choose from (see vgpu-nl dev show %s)",
				 d->handle, d->handle);
	count = d->has_numvfs && d->numvfs != sd->numvfs && sd->numvfs;
	if ((!count && !cycles_vfs(d, sd)) || a->force)
		return 0;
	/* The VFs there now go away, even for 3 -> 5 or back to auto. */
	if (vf_find_busy(a->nl, d->handle, &busy) < 0)
		return plan_fail(a, d->line, "%s", vgpu_nl_strerror(a->nl));
	if (busy) {
		plan_fail(a, d->line, "VFs in use: %s; add 'force' to %s of %s anyway",
			  busy, count ? "change the count" :
			  "disable and enable the VFs for auto provisioning",
			  d->handle);
		free(busy);
		return -1;
	}
	return 0;
}

/*
 * A VF address that does not exist yet: the PCI spec places VF i of a PF
 * at routing ID PF + First VF Offset + i * VF Stride (sysfs sriov_offset,
 * sriov_stride), on the PF's domain. Every SR-IOV PF vgpu_nl manages is
 * tried.
 */
static bool vf_by_offset(const struct apply *a, const char *vf,
			 struct vf_target *t)
{
	struct pci_addr p, v;
	unsigned int off, stride, rid, vrid;
	size_t i;
	int idx;

	if (handle_parse_pci(vf, &v) < 0)
		return false;
	vrid = v.bus << 8 | v.dev << 3 | v.fn;
	for (i = 0; i < a->st.ndevs; i++) {
		const struct st_dev *d = &a->st.devs[i];

		if (!d->sriov || handle_parse_pci(d->handle, &p) < 0 ||
		    p.domain != v.domain ||
		    !pci_fn_uint(handle_dev_name(d->handle), "sriov_offset", &off) ||
		    !pci_fn_uint(handle_dev_name(d->handle), "sriov_stride", &stride) ||
		    !stride)
			continue;
		rid = (p.bus << 8 | p.dev << 3 | p.fn) + off;
		if (vrid < rid || (vrid - rid) % stride)
			continue;
		idx = (vrid - rid) / stride;
		if (idx >= d->totalvfs)
			continue;
		snprintf(t->pf, sizeof(t->pf), "%s", d->handle);
		t->index = idx;
		return true;
	}
	return false;
}

static int plan_vf(struct apply *a, size_t i)
{
	const struct cfg_vf *v = &a->cfg.vfs[i];
	struct vf_target *t = &a->vt[i];
	const struct cfg_device *cd;
	const struct st_dev *sd;
	const struct st_vf *sv;
	unsigned int target;
	size_t j;

	if (v->index >= 0) {
		snprintf(t->pf, sizeof(t->pf), "%s", v->pf);
		t->index = v->index;
	} else if ((sv = state_vf(&a->st, v->handle))) {
		snprintf(t->pf, sizeof(t->pf), "%s", sv->pf);
		t->index = sv->index;
	} else if (!vf_by_offset(a, v->handle, t)) {
		return plan_fail(a, v->line, "%s is not a VF of any SR-IOV device vgpu_nl manages (name it PF/INDEX)",
				 v->handle);
	}
	for (j = 0; j < i; j++)
		if (a->vt[j].index == t->index && !strcmp(a->vt[j].pf, t->pf))
			return plan_fail(a, v->line, "VF %s/%d already given on line %d",
					 t->pf, t->index, a->cfg.vfs[j].line);
	t->selected = selected(a, t->pf);
	if (!t->selected)
		return 0;
	sd = state_dev(&a->st, t->pf);
	if (!sd)
		return not_managed(a, v->line, t->pf);
	if (!sd->sriov)
		return plan_fail(a, v->line, "%s is not an SR-IOV PF", t->pf);
	cd = cfg_dev(a, t->pf);
	if (v->has_quota && cd && cd->prov_mode == VGPU_PROV_MODE_AUTO)
		return plan_fail(a, v->line, "VF %s/%d: quotas set by hand make the provisioning of %s custom, and line %d says auto",
				 t->pf, t->index, t->pf, cd->line);
	target = cd && cd->has_numvfs ? cd->numvfs : sd->numvfs;
	if ((unsigned int)t->index >= target)
		return plan_fail(a, v->line, "VF %s/%d will not exist: %s has %u VFs%s",
				 t->pf, t->index, t->pf, target,
				 cd && cd->has_numvfs ? "" : " (set numvfs in a device line)");
	return 0;
}

/* TYPE_GET do: the type's available_instances, or the kernel's reason. */
static int type_available(struct vgpu_nl *nl, const char *parent,
			  const char *type, unsigned int *avail)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct nl_msg *req;
	int ret;

	req = vgpu_nl_request(nl, VGPU_CMD_TYPE_GET, 0);
	if (!req)
		return nl->err.error;
	if (nla_put_string(req, VGPU_A_DEV_HANDLE, parent) < 0 ||
	    nla_put_string(req, VGPU_A_TYPE_NAME, type) < 0) {
		nlmsg_free(req);
		return vgpu_nl_error(nl, -ENOMEM, NULL);
	}
	ret = vgpu_nl_do(nl, req, &rep);
	if (!ret && (rep.n != 1 || vgpu_nl_parse(rep.msg[0], tb) < 0 ||
		     !tb[VGPU_A_TYPE_AVAILABLE]))
		ret = vgpu_nl_error(nl, -EBADMSG, "malformed type reply from the kernel");
	if (!ret)
		*avail = nla_get_u32(tb[VGPU_A_TYPE_AVAILABLE]);
	vgpu_nl_replies_free(&rep);
	return ret;
}

static int plan_mdev(struct apply *a, size_t i)
{
	const struct cfg_mdev *m = &a->cfg.mdevs[i];
	struct mdev_plan *p = &a->mp[i];
	const struct st_dev *sd;
	const struct st_mdev *sm;
	unsigned int avail = 0, want = 0;
	size_t j;

	p->selected = selected(a, m->parent);
	if (!p->selected)
		return 0;
	sd = state_dev(&a->st, m->parent);
	if (!sd)
		return not_managed(a, m->line, m->parent);
	if (!sd->mdev_parent)
		return plan_fail(a, m->line, "%s is not an mdev parent (no GVT-g types)",
				 m->parent);
	if (type_resolve(a->nl, m->parent, m->type, p->type, sizeof(p->type)) < 0)
		return plan_fail(a, m->line, "%s", vgpu_nl_strerror(a->nl));
	sm = state_mdev(&a->st, m->uuid);
	if (sm && (strcmp(sm->parent, m->parent) || strcmp(sm->type, p->type)))
		return plan_fail(a, m->line, "mdev %s exists with parent %s type %s; remove it first (vgpu-nl mdev del %s)",
				 m->uuid, sm->parent, sm->type, m->uuid);
	if (sm && sm->removing)
		return plan_fail(a, m->line, "mdev %s is being removed; apply again once it is gone",
				 m->uuid);
	if (sm)
		return 0;
	p->create = true;
	/* Enough instances for this one and those before it of that type. */
	if (type_available(a->nl, m->parent, p->type, &avail) < 0)
		return plan_fail(a, m->line, "%s", vgpu_nl_strerror(a->nl));
	for (j = 0; j <= i; j++)
		want += a->mp[j].create && !strcmp(a->mp[j].type, p->type) &&
			!strcmp(a->cfg.mdevs[j].parent, m->parent);
	if (want > avail)
		return plan_fail(a, m->line, "type %s of %s has %u instances available; the file asks for %u more",
				 p->type, m->parent, avail, want);
	return 0;
}

static int plan(struct apply *a)
{
	size_t i;

	if (state_read(a->nl, STATE_ALL, &a->st) < 0) {
		snprintf(a->why, sizeof(a->why), "%s", vgpu_nl_strerror(a->nl));
		return -1;
	}
	a->vt = calloc(a->cfg.nvfs + 1, sizeof(*a->vt));
	a->mp = calloc(a->cfg.nmdevs + 1, sizeof(*a->mp));
	if (!a->vt || !a->mp) {
		snprintf(a->why, sizeof(a->why), "%s", strerror(ENOMEM));
		return -1;
	}
	for (i = 0; i < a->cfg.ndevs; i++)
		if (selected(a, a->cfg.devs[i].handle) &&
		    plan_device(a, &a->cfg.devs[i]) < 0)
			return -1;
	for (i = 0; i < a->cfg.nvfs; i++)
		if (plan_vf(a, i) < 0)
			return -1;
	for (i = 0; i < a->cfg.nmdevs; i++)
		if (plan_mdev(a, i) < 0)
			return -1;
	return 0;
}

/* The error text of the last request, or NULL when it succeeded. */
static const char *result(struct apply *a, int ret)
{
	if (ret >= 0) {
		a->done++;
		return NULL;
	}
	a->failed = true;
	return vgpu_nl_strerror(a->nl);
}

/* Returns whether any VF count changed, or VFs were made again. */
static bool run_devices(struct apply *a)
{
	struct vgpu_nl_replies rep;
	struct dev_settings set;
	const struct st_dev *sd;
	const char *err;
	bool counts = false;
	unsigned int n;
	size_t i;

	for (i = 0; i < a->cfg.ndevs && !a->failed; i++) {
		const struct cfg_device *d = &a->cfg.devs[i];

		if (!selected(a, d->handle))
			continue;
		sd = state_dev(&a->st, d->handle);
		memset(&set, 0, sizeof(set));
		set.has_autoprobe = d->has_autoprobe &&
				    d->autoprobe != sd->autoprobe;
		set.autoprobe = d->autoprobe;
		set.has_numvfs = d->has_numvfs && d->numvfs != sd->numvfs;
		set.numvfs = d->numvfs;
		if (d->prov_mode && d->prov_mode != sd->prov_mode)
			set.prov_mode = d->prov_mode;
		set.force = (set.has_numvfs || set.prov_mode) && a->force;
		if (!set.has_autoprobe && !set.has_numvfs && !set.prov_mode)
			continue;
		if (!change_go_on(a->cw, &a->failed))
			break;
		/*
		 * One request: the kernel applies all or none, the mode first
		 * (with the VFs there now).
		 */
		memset(&rep, 0, sizeof(rep));
		err = result(a, dev_set_request_rep(a->nl, d->handle, &set,
						    &rep));
		n = 0;
		if (set.prov_mode) {
			change_provisioning(d->handle, sd->prov_mode,
					    set.prov_mode,
					    err ? 0 : dev_set_cycled(&rep), err);
			n++;
			counts |= !err && dev_set_cycled(&rep);
		}
		vgpu_nl_replies_free(&rep);
		if (set.has_autoprobe) {
			change_autoprobe(d->handle, sd->autoprobe, d->autoprobe,
					 err);
			n++;
		}
		if (set.has_numvfs) {
			change_numvfs(d->handle, sd->numvfs, d->numvfs, err);
			n++;
		}
		if (!err)
			a->done += n - 1;	/* result() counted one */
		counts |= set.has_numvfs && !err;
	}
	return counts;
}

static void run_vf(struct apply *a, size_t i)
{
	const struct cfg_vf *v = &a->cfg.vfs[i];
	const struct vf_target *t = &a->vt[i];
	const struct quota_key *key;
	const struct st_vf *sv;
	const char *driver = NULL, *err;
	char why[256], vfio[CONFIG_DRIVER_MAX];
	struct vf_quota q = { 0 };
	bool any_quota = false;
	unsigned int k, n = 0;
	int attr;

	sv = state_vf_at(&a->st, t->pf, t->index);
	if (!sv) {
		snprintf(why, sizeof(why), "%s:%d: VF %s/%d does not exist", a->cfg.name,
			 v->line, t->pf, t->index);
		pr_err("%s", why);
		a->failed = true;
		return;
	}
	/* "vfio": the VF's VFIO driver, chosen (and loaded) now. */
	if (v->driver == CFG_DRIVER_VFIO &&
	    vf_resolve_driver(handle_dev_name(sv->handle), v->drvname, vfio,
			      sizeof(vfio)) != EXIT_OK) {
		a->failed = true;
		return;
	}
	if (v->driver == CFG_DRIVER_VFIO &&
	    (strcmp(sv->driver, vfio) || strcmp(sv->override, vfio)))
		driver = vfio;
	else if (v->driver == CFG_DRIVER_DEFAULT && sv->override[0])
		driver = "";
	for (k = 0; v->has_quota && k < quota_nkeys; k++) {
		attr = quota_keys[k].attr;
		if (!v->quota.has[attr] || (sv->quota.has[attr] &&
					    sv->quota.val[attr] == v->quota.val[attr]))
			continue;
		q.has[attr] = true;
		q.val[attr] = v->quota.val[attr];
		any_quota = true;
	}
	if (!driver && !any_quota)
		return;
	/* One request: the kernel sets the quotas, then binds the driver. */
	err = result(a, vf_set_req(a->nl, sv->handle, driver,
				   any_quota ? &q : NULL));
	for (k = 0; k < quota_nkeys; k++) {
		key = &quota_keys[k];
		if (!q.has[key->attr])
			continue;
		change_quota(sv->handle, key, sv->quota.has[key->attr],
			     sv->quota.val[key->attr], q.val[key->attr], err);
		n++;
	}
	if (driver) {
		change_driver(sv->handle, sv->driver, driver, err);
		n++;
	}
	if (!err)
		a->done += n - 1;
}

static void run_mdevs(struct apply *a)
{
	const struct cfg_mdev *m;
	const char *err;
	size_t i;

	for (i = 0; i < a->cfg.nmdevs && !a->failed; i++) {
		m = &a->cfg.mdevs[i];
		if (!a->mp[i].selected || !a->mp[i].create)
			continue;
		if (!change_go_on(a->cw, &a->failed))
			break;
		err = result(a, mdev_add_request(a->nl, m->parent,
						 a->mp[i].type, m->uuid, NULL));
		a->mp[i].made = !err;
		change_mdev("add", m->uuid, m->parent, a->mp[i].type, err);
	}
}

static bool in_file(const struct apply *a, const char *uuid)
{
	size_t i;

	for (i = 0; i < a->cfg.nmdevs; i++)
		if (!strcmp(a->cfg.mdevs[i].uuid, uuid))
			return true;
	return false;
}

/* The changes of the plan, in order; the first failure stops them. */
static void run_steps(struct apply *a)
{
	size_t i;

	if (run_devices(a) && state_read(a->nl, STATE_VFS, &a->st) < 0) {
		pr_err("cannot read the VFs after changing their count: %s",
		       vgpu_nl_strerror(a->nl));
		a->failed = true;
	}
	for (i = 0; i < a->cfg.nvfs && !a->failed; i++)
		if (a->vt[i].selected && change_go_on(a->cw, &a->failed))
			run_vf(a, i);
	run_mdevs(a);
}

static void apply_free(struct apply *a)
{
	free(a->vt);
	free(a->mp);
	state_free(&a->st);
	a->vt = NULL;
	a->mp = NULL;
}

size_t apply_converge(struct vgpu_nl *nl, const struct config *cfg,
		      const char *only, bool force, bool *failed)
{
	struct apply b = { .nl = nl, .cfg = *cfg, .only = only, .force = force };

	if (plan(&b) < 0) {
		pr_err("%s", b.why);
		b.failed = true;
	} else {
		run_steps(&b);
	}
	*failed |= b.failed;
	apply_free(&b);		/* b.cfg is the caller's */
	return b.done;
}

/*
 * A run that failed after changes were made is taken back (rollback.c),
 * from @before, the state the plan was made from.
 */
static void roll_back(struct apply *a, const struct state *before)
{
	struct cfg_mdev *made;
	size_t i, n = 0;

	made = calloc(a->cfg.nmdevs + 1, sizeof(*made));
	if (!made) {
		pr_err("cannot roll back: %s", strerror(ENOMEM));
		return;
	}
	for (i = 0; i < a->cfg.nmdevs; i++) {
		if (!a->mp[i].made)
			continue;
		made[n] = a->cfg.mdevs[i];
		snprintf(made[n++].type, sizeof(made->type), "%s", a->mp[i].type);
	}
	rollback(a->nl, before, a->only, made, n, a->force);
	free(made);
}

static void run(struct apply *a)
{
	struct state before;
	char why[512];
	size_t i;

	if (state_copy(&before, &a->st) < 0) {
		change_close(0, true);
		pr_err("cannot keep the state for a rollback: %s; nothing was changed",
		       strerror(ENOMEM));
		a->failed = true;
		return;
	}
	run_steps(a);
	change_close(a->done, a->failed);
	if (a->failed && a->done)
		roll_back(a, &before);
	state_free(&before);

	snprintf(why, sizeof(why), "not in %s", a->cfg.name);
	for (i = 0; i < a->st.nmdevs; i++) {
		const struct st_mdev *sm = &a->st.mdevs[i];

		if (selected(a, sm->parent) && !in_file(a, sm->uuid))
			change_left_alone(sm->uuid, sm->parent, sm->type, why);
	}
}

/* "[FILE] [device DEV] [force]", in any order. */
static int apply_parse(const struct cli_cmd *cmd, int argc, char **argv,
		       const char **path, char *only, bool *force)
{
	int i, status;

	*path = NULL;
	only[0] = '\0';
	*force = false;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "force")) {
			if (*force)
				return cli_usage(cmd, "'force' given twice");
			*force = true;
		} else if (!strcmp(argv[i], "device")) {
			if (only[0])
				return cli_usage(cmd, "'device' given twice");
			if (i + 1 == argc)
				return cli_usage(cmd, "missing value for 'device'");
			status = cli_parse_handle(cmd, argv[++i], only);
			if (status != EXIT_OK)
				return status;
		} else if (!*path) {
			*path = argv[i];
		} else {
			return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
		}
	}
	if (!*path)
		*path = config_path;
	if (!strcmp(*path, "-") && cli_batch_reads_stdin())
		return cli_usage(cmd, "stdin holds the batch: give apply a FILE");
	return EXIT_OK;
}

const char *apply_lock_path = APPLY_LOCK_PATH;
unsigned int apply_lock_wait_ms = 60000;

/*
 * The lock's file descriptor (closing it unlocks), -1 when there is no
 * lock to take (a user who cannot write /run: such an apply changes
 * nothing anyway, the kernel refuses it), or -ETIMEDOUT after
 * apply_lock_wait_ms with another apply still running.
 */
static int apply_lock(void)
{
	char dir[4096];
	unsigned int waited;
	int fd;

	snprintf(dir, sizeof(dir), "%s", apply_lock_path);
	mkdir(dirname(dir), 0755);
	fd = open(apply_lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	for (waited = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; waited += 100) {
		if (errno != EWOULDBLOCK || waited >= apply_lock_wait_ms) {
			close(fd);
			return errno == EWOULDBLOCK ? -ETIMEDOUT : -1;
		}
		if (!waited)
			pr_info("waiting for another vgpu-nl apply to finish...");
		usleep(100 * 1000);
	}
	return fd;
}

static int cmd_apply_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	char only[VGPU_HANDLE_MAX];
	struct apply a = { 0 };
	struct cli_wait cw;
	const char *path;
	int cret, ret, status, lock = -1;

	status = apply_parse(cmd, argc, argv, &path, only, &a.force);
	if (status != EXIT_OK)
		return status;
	a.only = only[0] ? only : NULL;

	/* The file's verdict apart: CONFIG_ESYNTAX is no errno. */
	cret = config_load(path, &a.cfg, a.why, sizeof(a.why));
	ret = cret;
	if (!cret) {
		lock = apply_lock();
		if (lock == -ETIMEDOUT) {
			ret = lock;
			snprintf(a.why, sizeof(a.why),
				 "another vgpu-nl apply still runs after %u s (%s is locked)",
				 apply_lock_wait_ms / 1000, apply_lock_path);
		}
	}
	if (!ret) {
		ret = cli_nl(&a.nl);
		if (ret < 0)
			snprintf(a.why, sizeof(a.why), "%s",
				 vgpu_nl_strerror(a.nl));
		else
			ret = plan(&a);
	}

	change_begin();
	if (ret == 0) {
		cli_wait_begin(&cw);
		a.cw = &cw;
		run(&a);
	} else {
		/* Nothing was changed: the file or the plan is refused whole. */
		change_close(0, true);
		pr_err("%s", a.why);
		pr_info("nothing was changed");
	}
	status = change_end();
	if (cret == CONFIG_ESYNTAX)
		status = EXIT_USAGE;
	else if (ret < 0 || a.failed)
		status = EXIT_FAIL;
	/* The report is out: a signal held back ends the process here. */
	if (a.cw)
		cli_wait_end(&cw);

	apply_free(&a);
	config_free(&a.cfg);
	if (lock >= 0)
		close(lock);
	return status;
}

int cmd_apply(const struct cli_cmd *cmd, int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "help"))
		return cli_help(cmd);
	return cmd_apply_run(cmd, argc, argv);
}
