// SPDX-License-Identifier: GPL-2.0
/*
 * state.c - the system's devices, VFs and mdevs as plain structs (state.h)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/mdevown.h"
#include "host/vfio.h"
#include "persist/state.h"

static void copy(char *dst, size_t len, struct nlattr *attr)
{
	snprintf(dst, len, "%s", attr ? nla_get_string(attr) : "");
}

static int bad(struct vgpu_nl *nl, const char *what, const char *key)
{
	return vgpu_nl_error(nl, -EBADMSG, "malformed %s reply from the kernel (no %s)",
			     what, key);
}

static int read_dev(struct vgpu_nl *nl, struct nlattr **tb,
		    struct st_dev *d)
{
	struct nlattr *sr[VGPU_A_SRIOV_MAX + 1];

	if (!tb[VGPU_A_DEV_HANDLE])
		return bad(nl, "device", "handle");
	copy(d->handle, sizeof(d->handle), tb[VGPU_A_DEV_HANDLE]);
	d->mdev_parent = tb[VGPU_A_DEV_MDEV_PARENT] &&
			 nla_get_u8(tb[VGPU_A_DEV_MDEV_PARENT]);
	d->prov_mode = tb[VGPU_A_DEV_PROV_MODE] ?
		       nla_get_u8(tb[VGPU_A_DEV_PROV_MODE]) : 0;
	if (!tb[VGPU_A_DEV_SRIOV])
		return 0;
	if (vgpu_nl_parse_sriov(tb[VGPU_A_DEV_SRIOV], sr) < 0 ||
	    !sr[VGPU_A_SRIOV_NUMVFS] || !sr[VGPU_A_SRIOV_TOTALVFS])
		return bad(nl, "device", "VF count");
	d->sriov = true;
	d->totalvfs = nla_get_u16(sr[VGPU_A_SRIOV_TOTALVFS]);
	d->numvfs = nla_get_u16(sr[VGPU_A_SRIOV_NUMVFS]);
	/* The PCI core's default, should an old module not say. */
	d->autoprobe = !sr[VGPU_A_SRIOV_AUTOPROBE] ||
		       nla_get_u8(sr[VGPU_A_SRIOV_AUTOPROBE]);
	return 0;
}

static int read_vf(struct vgpu_nl *nl, struct nlattr **tb, struct st_vf *v)
{
	if (!tb[VGPU_A_VF_HANDLE] || !tb[VGPU_A_VF_PF] || !tb[VGPU_A_VF_INDEX])
		return bad(nl, "VF", "handle, PF or index");
	copy(v->handle, sizeof(v->handle), tb[VGPU_A_VF_HANDLE]);
	copy(v->pf, sizeof(v->pf), tb[VGPU_A_VF_PF]);
	v->index = nla_get_u16(tb[VGPU_A_VF_INDEX]);
	copy(v->driver, sizeof(v->driver), tb[VGPU_A_VF_DRIVER]);
	copy(v->override, sizeof(v->override), tb[VGPU_A_VF_DRIVER_OVERRIDE]);
	if (tb[VGPU_A_VF_IOMMU_GROUP]) {
		v->has_group = true;
		v->group = nla_get_u32(tb[VGPU_A_VF_IOMMU_GROUP]);
	}
	/* Absent until the PF has a provisioning layout: then none are set. */
	quota_from_nest(tb[VGPU_A_VF_QUOTA], &v->quota);
	return 0;
}

static int read_mdev(struct vgpu_nl *nl, struct nlattr **tb,
		     struct st_mdev *m)
{
	if (!tb[VGPU_A_MDEV_UUID] || !tb[VGPU_A_MDEV_PARENT] ||
	    !tb[VGPU_A_MDEV_TYPE])
		return bad(nl, "mdev", "UUID, parent or type");
	copy(m->uuid, sizeof(m->uuid), tb[VGPU_A_MDEV_UUID]);
	copy(m->parent, sizeof(m->parent), tb[VGPU_A_MDEV_PARENT]);
	copy(m->type, sizeof(m->type), tb[VGPU_A_MDEV_TYPE]);
	if (tb[VGPU_A_MDEV_IOMMU_GROUP]) {
		m->has_group = true;
		m->group = nla_get_u32(tb[VGPU_A_MDEV_IOMMU_GROUP]);
	}
	m->kernel_owned = tb[VGPU_A_MDEV_OWNED] &&
			  nla_get_u8(tb[VGPU_A_MDEV_OWNED]);
	m->owned = m->kernel_owned ||
		   mdevown_recorded(m->uuid, m->parent, m->type);
	m->removing = tb[VGPU_A_MDEV_REMOVING] &&
		      nla_get_u8(tb[VGPU_A_MDEV_REMOVING]);
	return 0;
}

/* Dumps @cmd and fills *@arr with one @size-byte entry per reply. */
static int read_all(struct vgpu_nl *nl, uint8_t cmd, void **arr, size_t *n,
		    size_t size)
{
	struct vgpu_nl_replies rep = { 0 };
	struct nlattr *tb[VGPU_A_MAX + 1];
	char *a = NULL;
	size_t i;
	int ret;

	*arr = NULL;
	*n = 0;
	ret = vgpu_nl_dump(nl, cmd, &rep);
	if (!ret && rep.n && !(a = calloc(rep.n, size)))
		ret = vgpu_nl_error(nl, -ENOMEM, NULL);
	for (i = 0; !ret && i < rep.n; i++) {
		ret = vgpu_nl_parse(rep.msg[i], tb);
		if (ret < 0)
			ret = vgpu_nl_error(nl, ret, "malformed reply from the kernel");
		else if (cmd == VGPU_CMD_DEV_GET)
			ret = read_dev(nl, tb, (struct st_dev *)(a + i * size));
		else if (cmd == VGPU_CMD_VF_GET)
			ret = read_vf(nl, tb, (struct st_vf *)(a + i * size));
		else
			ret = read_mdev(nl, tb, (struct st_mdev *)(a + i * size));
	}
	vgpu_nl_replies_free(&rep);
	if (ret < 0) {
		free(a);
		return ret;
	}
	*arr = a;
	*n = i;
	return 0;
}

/* The tool's records of the mdevs it made, in line with all of them. */
static void sync_records(const struct state *s)
{
	struct mdevown_live *live = calloc(s->nmdevs ? s->nmdevs : 1,
					   sizeof(*live));
	size_t i;

	if (!live)
		return;
	for (i = 0; i < s->nmdevs; i++) {
		live[i].uuid = s->mdevs[i].uuid;
		live[i].parent = s->mdevs[i].parent;
		live[i].type = s->mdevs[i].type;
		live[i].kernel_owned = s->mdevs[i].kernel_owned;
	}
	mdevown_sync(live, s->nmdevs);
	free(live);
}

int state_read(struct vgpu_nl *nl, unsigned int what, struct state *s)
{
	int ret = 0;

	state_free(s);
	if (what & STATE_DEVS)
		ret = read_all(nl, VGPU_CMD_DEV_GET, (void **)&s->devs,
			       &s->ndevs, sizeof(*s->devs));
	if (!ret && (what & STATE_VFS))
		ret = read_all(nl, VGPU_CMD_VF_GET, (void **)&s->vfs, &s->nvfs,
			       sizeof(*s->vfs));
	if (!ret && (what & STATE_MDEVS))
		ret = read_all(nl, VGPU_CMD_MDEV_GET, (void **)&s->mdevs,
			       &s->nmdevs, sizeof(*s->mdevs));
	if (!ret && (what & STATE_MDEVS))
		sync_records(s);
	return ret;
}

const char *state_vf_vfio(const struct st_vf *sv)
{
	if (sv->driver[0] && vfio_driver_is_vfio(sv->driver))
		return sv->driver;
	if (sv->override[0] && vfio_driver_is_vfio(sv->override))
		return sv->override;
	return NULL;
}

struct cfg_vf *state_vf_line(struct config *c, const struct st_vf *sv,
			     enum cfg_driver other, bool quota)
{
	const char *vfio = state_vf_vfio(sv);
	struct cfg_vf *v = config_add_vf(c);

	if (!v)
		return NULL;
	snprintf(v->pf, sizeof(v->pf), "%s", sv->pf);
	v->index = sv->index;
	v->driver = vfio ? CFG_DRIVER_VFIO : other;
	if (vfio)
		snprintf(v->drvname, sizeof(v->drvname), "%s", vfio);
	v->has_quota = quota;
	if (quota)
		v->quota = sv->quota;
	return v;
}

static void *memdup(const void *p, size_t n, size_t size)
{
	void *q = n ? calloc(n, size) : NULL;

	if (q)
		memcpy(q, p, n * size);
	return q;
}

int state_copy(struct state *to, const struct state *from)
{
	memset(to, 0, sizeof(*to));
	to->devs = memdup(from->devs, from->ndevs, sizeof(*from->devs));
	to->vfs = memdup(from->vfs, from->nvfs, sizeof(*from->vfs));
	to->mdevs = memdup(from->mdevs, from->nmdevs, sizeof(*from->mdevs));
	if ((from->ndevs && !to->devs) || (from->nvfs && !to->vfs) ||
	    (from->nmdevs && !to->mdevs)) {
		state_free(to);
		return -ENOMEM;
	}
	to->ndevs = from->ndevs;
	to->nvfs = from->nvfs;
	to->nmdevs = from->nmdevs;
	return 0;
}

void state_free(struct state *s)
{
	free(s->devs);
	free(s->vfs);
	free(s->mdevs);
	memset(s, 0, sizeof(*s));
}

const struct st_dev *state_dev(const struct state *s, const char *handle)
{
	size_t i;

	for (i = 0; i < s->ndevs; i++)
		if (!strcmp(s->devs[i].handle, handle))
			return &s->devs[i];
	return NULL;
}

const struct st_vf *state_vf(const struct state *s, const char *handle)
{
	size_t i;

	for (i = 0; i < s->nvfs; i++)
		if (!strcmp(s->vfs[i].handle, handle))
			return &s->vfs[i];
	return NULL;
}

const struct st_vf *state_vf_at(const struct state *s, const char *pf,
				int index)
{
	size_t i;

	for (i = 0; i < s->nvfs; i++)
		if (s->vfs[i].index == index && !strcmp(s->vfs[i].pf, pf))
			return &s->vfs[i];
	return NULL;
}

const struct st_mdev *state_mdev(const struct state *s, const char *uuid)
{
	size_t i;

	for (i = 0; i < s->nmdevs; i++)
		if (!strcmp(s->mdevs[i].uuid, uuid))
			return &s->mdevs[i];
	return NULL;
}
