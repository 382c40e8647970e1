// SPDX-License-Identifier: GPL-2.0
/*
 * VF control: stop, pause, resume and reset through the PF driver's files
 * (which file for which control is the layout's: vgpu_prov_i915.c,
 * vgpu_prov_xe.c).
 *
 * The drivers keep a VF's state to themselves: xe's control files are
 * write-only and checks the state before it asks the GuC
 * (xe_gt_sriov_pf_control.c: a stopped VF cannot be paused, -EPERM; one
 * already stopped or paused, -ESTALE; resume needs a paused VF, -EPERM),
 * i915 leaves it to the GuC. What vgpu_nl last did to a VF is kept in the
 * registry (vgpu_dev.vf_state) and reported as the VF's state; a VF that
 * goes away, or whose PF driver binds again, is forgotten. An FLR made
 * elsewhere (a VM resetting its VF) cannot be seen.
 */
#include <linux/kernel.h>
#include <linux/pci.h>

#include "vgpu_compat.h"
#include "vgpu_handle.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"

static const char *const vgpu_vf_controls[] = {
	[VGPU_VF_CONTROL_STOP] = "stop",
	[VGPU_VF_CONTROL_PAUSE] = "pause",
	[VGPU_VF_CONTROL_RESUME] = "resume",
	[VGPU_VF_CONTROL_RESET] = "reset",
};

const char *vgpu_vf_control_name(int ctl)
{
	return ctl > 0 && ctl < (int)ARRAY_SIZE(vgpu_vf_controls) ?
	       vgpu_vf_controls[ctl] : "?";
}

/* The controls whose files VF @vf's PF driver has, a bit each. */
u32 vgpu_prov_controls(const struct vgpu_prov *p, unsigned int vf)
{
	char path[VGPU_PROV_PATH_MAX];
	const char *val, *why;
	u32 mask = 0;
	int ctl;

	if (!p->layout->control)
		return 0;
	for (ctl = VGPU_VF_CONTROL_STOP; ctl <= VGPU_VF_CONTROL_RESET; ctl++)
		if (!p->layout->control(p, vf, ctl, path, sizeof(path), &val,
					&why) && vgpu_prov_writable(path))
			mask |= BIT(ctl);
	return mask;
}

/* What a driver's refusal of @ctl means. */
static const char *vgpu_prov_ctl_error(int ctl, int err)
{
	switch (err) {
	case -ESTALE:
		return ctl == VGPU_VF_CONTROL_STOP ? "it is stopped already" :
		       "it is paused already";
	case -EPERM:
		return ctl == VGPU_VF_CONTROL_RESUME ? "it is not paused" :
		       "it is stopped: only a reset brings it back";
	case -EBUSY:
		return "the driver is busy with it (migration)";
	case -EALREADY:
		return "the driver is doing it already";
	case -EIO:
		return "the GuC refused it";
	default:
		return "the driver refused it";
	}
}

static u8 vgpu_prov_ctl_state(int ctl)
{
	switch (ctl) {
	case VGPU_VF_CONTROL_STOP:
		return VGPU_VF_STATE_STOPPED;
	case VGPU_VF_CONTROL_PAUSE:
		return VGPU_VF_STATE_PAUSED;
	default:
		return VGPU_VF_STATE_RUNNING;
	}
}

int vgpu_prov_control(struct pci_dev *vf, int ctl,
		      struct netlink_ext_ack *extack)
{
	char path[VGPU_PROV_PATH_MAX];
	const char *val = NULL, *why = NULL;
	struct vgpu_dev *vdev;
	struct vgpu_prov p;
	unsigned int idx;
	int ret;

	if (vgpu_prov_find(vf->physfn, &p) || !p.layout->control) {
		VGPU_ERR_FMT(extack, "%s: its PF's driver has no VF control files",
			     vgpu_handle(&vf->dev).s);
		return -EOPNOTSUPP;
	}
	idx = pci_iov_vf_id(vf) + 1;
	ret = p.layout->control(&p, idx, ctl, path, sizeof(path), &val, &why);
	if (!ret && !vgpu_prov_writable(path))
		ret = -ENOENT;
	if (ret) {
		VGPU_ERR_FMT(extack, "%s: %s", vgpu_vf_control_name(ctl),
			     why ? why : "no file for it");
		return -EOPNOTSUPP;
	}
	ret = vgpu_prov_write_str(path, val);
	if (ret) {
		VGPU_ERR_FMT(extack, "%s %s: %s (%d)", vgpu_vf_control_name(ctl),
			     vgpu_handle(&vf->dev).s,
			     vgpu_prov_ctl_error(ctl, ret), ret);
		return ret;
	}
	vdev = vgpu_dev_find(vf->physfn);
	if (vdev) {
		vgpu_dev_set_vf_state(vdev, idx - 1, vgpu_prov_ctl_state(ctl));
		vgpu_dev_put(vdev);
	}
	return 0;
}
