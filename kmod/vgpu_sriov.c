// SPDX-License-Identifier: GPL-2.0
/*
 * The VF count and VF driver autoprobe of an SR-IOV PF.
 *
 * Semantics follow the kernel's own sriov_numvfs_store() (drivers/pci/iov.c):
 * a driver with ->sriov_configure must be bound, the count is at most
 * totalvfs, and ->sriov_configure runs with the PF's device lock and the
 * PCI rescan/remove lock held (see vgpu_sriov_lock()). What vgpu_nl adds:
 * every refusal says why, a change between two non-zero counts is made
 * through 0 instead of failing with -EBUSY, a count that would remove VFs
 * in use is refused unless forced, and a driver that fails or enables fewer
 * VFs than asked leaves the previous count behind.
 */
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "vgpu_compat.h"
#include "vgpu_event.h"
#include "vgpu_handle.h"
#include "vgpu_holders.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"
#include "vgpu_sriov.h"
#include "vgpu_vf.h"
#include "vgpu_vfs.h"

static int vgpu_sriov_read_autoprobe(struct pci_dev *pdev)
{
	char buf[8];
	int ret;

	ret = vgpu_vfs_read_dev_attr(pdev, "sriov_drivers_autoprobe",
				     buf, sizeof(buf));
	return ret ? ret : buf[0] == '1';
}

static int vgpu_sriov_write_autoprobe(struct pci_dev *pdev, bool on,
				      struct netlink_ext_ack *extack)
{
	int ret;

	ret = vgpu_vfs_write_dev_attr(pdev, "sriov_drivers_autoprobe",
				      on ? "1" : "0");
	if (ret)
		VGPU_ERR_FMT(extack, "%s: writing sriov_drivers_autoprobe failed (%d)",
			     vgpu_handle(&pdev->dev).s, ret);
	return ret;
}

/* Everything that can be checked before anything changes. */
static int vgpu_sriov_validate(struct pci_dev *pdev, int numvfs,
			       struct netlink_ext_ack *extack)
{
	struct pci_driver *drv;
	int total;

	if (!pdev->is_physfn) {
		VGPU_ERR_FMT(extack, "%s has no SR-IOV capability",
			     vgpu_handle(&pdev->dev).s);
		return -EOPNOTSUPP;
	}
	if (numvfs < 0)
		return 0;

	total = pci_sriov_get_totalvfs(pdev);
	if (!total) {
		VGPU_ERR_FMT(extack, "%s offers 0 VFs (sriov_totalvfs is 0)",
			     vgpu_handle(&pdev->dev).s);
		return -EOPNOTSUPP;
	}
	if (numvfs > total) {
		VGPU_ERR_FMT(extack, "%d VFs asked but %s has at most %d (totalvfs)",
			     numvfs, vgpu_handle(&pdev->dev).s, total);
		return -ERANGE;
	}
	if (!pdev->dev.driver) {
		VGPU_ERR_FMT(extack, "no driver bound to %s: bind its GPU driver first",
			     vgpu_handle(&pdev->dev).s);
		return -ENOENT;
	}
	drv = to_pci_driver(pdev->dev.driver);
	if (!drv->sriov_configure) {
		/* The usual case: stock i915 has no SR-IOV PF support. */
		VGPU_ERR_FMT(extack, "driver %.12s cannot make VFs (i915: use i915-sriov-dkms, i915.max_vfs)",
			     drv->name);
		return -ENOENT;
	}
	return 0;
}

/*
 * The VFs the kernel can see in use: assigned (legacy KVM/Xen assignment)
 * or DMA-owned through VFIO (a container or iommufd, as a running VM has).
 * Open /dev/vfio file descriptors are process state; userspace checks those.
 */
static int vgpu_sriov_check_busy(struct pci_dev *pdev, int numvfs,
				 struct netlink_ext_ack *extack)
{
	char list[40] = "";
	int i, busy = 0, len = 0;
	struct pci_dev *vf;

	for (i = 0; i < numvfs; i++) {
		vf = vgpu_vf_get(pdev, i);
		if (!vf)
			continue;
		if (vgpu_vf_in_use(vf)) {
			len += scnprintf(list + len, sizeof(list) - len,
					 "%s%s", busy++ ? " " : "",
					 vgpu_handle(&vf->dev).s);
		}
		pci_dev_put(vf);
	}
	if (!busy)
		return 0;
	VGPU_ERR_FMT(extack, "%d VF(s) in use: %s; add force to proceed",
		     busy, list);
	return -EBUSY;
}

/*
 * Takes the two locks ->sriov_configure() needs: the PF's device lock (the
 * bound driver cannot go away) and pci_lock_rescan_remove(). The latter
 * keeps PCI rescans - an ACPI or PCIe hotplug handler scanning the slot
 * because VFs appeared, a write to /sys/bus/pci/rescan - from adding or
 * removing the same VFs that pci_enable_sriov()/pci_disable_sriov() are
 * adding and removing: without it, both add the VF ("sysfs: cannot create
 * duplicate filename", then a NULL dereference when it is removed). The
 * kernel's own sriov_numvfs_store() holds both (upstream since 6.12;
 * Debian's 6.1.192 and 6.12.117 have it backported).
 *
 * Order: sriov_numvfs_store() takes the device lock, then the rescan lock;
 * PCI removal (pci_stop_and_remove_bus_device_locked(), the PF's "remove"
 * file, hot-unplug) takes the rescan lock, then the device lock to unbind
 * the driver. Following either order deadlocks against the other, so the
 * rescan lock is taken first and the device lock only by trylock; when the
 * device lock is busy, both are let go and the holder is waited for with
 * nothing held. Holding both, nothing else can touch the PF's VFs.
 */
static void vgpu_sriov_lock(struct pci_dev *pdev)
{
	for (;;) {
		pci_lock_rescan_remove();
		if (device_trylock(&pdev->dev))
			return;
		pci_unlock_rescan_remove();
		device_lock(&pdev->dev);
		device_unlock(&pdev->dev);
	}
}

static void vgpu_sriov_unlock(struct pci_dev *pdev)
{
	device_unlock(&pdev->dev);
	pci_unlock_rescan_remove();
}

/* The driver_override of each of the PF's first @n VFs, "" for none. */
static char (*vgpu_sriov_save_overrides(struct pci_dev *pdev, int n))[32]
{
	char (*ovr)[32];
	struct pci_dev *vf;
	int i;

	ovr = kcalloc(n, sizeof(*ovr), GFP_KERNEL);
	if (!ovr)
		return NULL;
	for (i = 0; i < n; i++) {
		vf = vgpu_vf_get(pdev, i);
		if (!vf)
			continue;
		device_lock(&vf->dev);
		vgpu_get_driver_override(vf, ovr[i], sizeof(ovr[i]));
		device_unlock(&vf->dev);
		pci_dev_put(vf);
	}
	return ovr;
}

/*
 * The VFs made again after a failed change get the overrides the old ones
 * had, and are bound by them (vfio-pci, as before). Returns how many could
 * not be.
 */
static int vgpu_sriov_restore_overrides(struct pci_dev *pdev, int n,
					char (*ovr)[32])
{
	struct pci_dev *vf;
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		if (!ovr[i][0])
			continue;
		vf = vgpu_vf_get(pdev, i);
		if (!vf || vgpu_vf_rebind(vf, ovr[i]))
			bad++;
		pci_dev_put(vf);
	}
	return bad;
}

/*
 * Moves the driver from @cur to @want VFs through 0, and back to @cur if it
 * fails or enables fewer than asked: the VFs made again get back the
 * driver_override (and so the driver) the old ones had. The disable keeps
 * every VFIO container file open until it is over, so that a VM that
 * exits meanwhile cannot release one while its VF's group is detached
 * from it (vgpu_holders.c). Called under vgpu_sriov_lock().
 */
static int vgpu_sriov_apply(struct pci_dev *pdev, int cur, int want,
			    struct netlink_ext_ack *extack)
{
	struct pci_driver *drv = to_pci_driver(pdev->dev.driver);
	int ret, got, restored = 0, bad = 0;
	char (*ovr)[32] = NULL;
	struct vgpu_holders_pin *pin;

	if (cur && want) {
		ovr = vgpu_sriov_save_overrides(pdev, cur);
		if (!ovr)
			return -ENOMEM;
	}
	if (cur) {
		/* VMs' container files outlive the VFs (vgpu_holders.c). */
		pin = vgpu_holders_pin_containers();
		ret = drv->sriov_configure(pdev, 0);
		vgpu_holders_unpin(pin);
		if (ret < 0) {
			VGPU_ERR_FMT(extack, "driver %s could not disable VFs (%d)",
				     drv->name, ret);
			goto out;
		}
	}
	ret = 0;
	if (!want)
		goto out;

	got = drv->sriov_configure(pdev, want);
	if (got == want)
		goto out;

	if (got > 0)
		drv->sriov_configure(pdev, 0);
	if (cur)
		restored = drv->sriov_configure(pdev, cur);
	if (restored == cur && cur)
		bad = vgpu_sriov_restore_overrides(pdev, cur, ovr);
	if (restored != cur)
		VGPU_ERR_FMT(extack, "driver %s: %d VFs failed (%d); restoring %d VFs gave %d",
			     drv->name, want, got, cur, restored);
	else if (bad)
		VGPU_ERR_FMT(extack, "driver %s: %d VFs failed (%d); %d back, %d lost their driver_override",
			     drv->name, want, got, cur, bad);
	else if (got < 0)
		VGPU_ERR_FMT(extack, "driver %s failed to enable %d VFs (%d); %d VFs restored",
			     drv->name, want, got, cur);
	else
		VGPU_ERR_FMT(extack, "driver %s enabled only %d of %d VFs; %d VFs restored",
			     drv->name, got, want, cur);
	ret = got < 0 ? got : -EIO;
out:
	kfree(ovr);
	return ret;
}

/*
 * Switches to @mode with the PF's device lock held (the VFs stay, as in
 * vgpu_prov_get_mode()) but not the rescan lock: the driver's files are
 * read and written through the VFS, and kernfs' open-file mutex must not
 * nest inside the rescan lock (sriov_numvfs_store() takes them the other
 * way round; lockdep reports it). @vfs_off: the caller disabled the VFs
 * for the switch, and a writer that enabled some since is not overruled.
 */
static int vgpu_sriov_switch_mode(const struct vgpu_prov *p, int mode,
				  bool vfs_off, struct netlink_ext_ack *extack)
{
	struct pci_dev *pdev = p->pf;
	int ret, now;

	device_lock(&pdev->dev);
	now = pci_num_vf(pdev);
	if (vfs_off && now) {
		VGPU_ERR_FMT(extack, "%d VFs enabled by another writer meanwhile; mode unchanged",
			     now);
		ret = -EBUSY;
	} else {
		ret = vgpu_prov_switch_mode(p, mode, extack);
	}
	device_unlock(&pdev->dev);
	return ret;
}

/*
 * The provisioning mode @mode, in the order the driver needs: going back
 * to auto with VFs enabled disables them (VFs in use refuse it unless
 * @force), switches, and enables as many again, which makes the driver
 * provision them; they are enabled again if the switch fails too. The VF
 * count changes take vgpu_sriov_lock(), the switch only the device lock
 * (vgpu_sriov_switch_mode()), so the locks are let go between the steps:
 * a plain sriov_numvfs write that comes in between is left as it is, and
 * the request fails saying so. Called with no lock held; *@cycled says
 * how many VFs went and came back, *@changed whether anything changed
 * (the mode, or the VFs, even when the request fails).
 */
static int vgpu_sriov_prov_mode(struct pci_dev *pdev, int mode, bool force,
				u16 *cycled, bool *changed,
				struct netlink_ext_ack *extack)
{
	int cur, ret, back = 0, now = 0;
	struct vgpu_prov p;

	if (vgpu_prov_find(pdev, &p)) {
		VGPU_ERR_FMT(extack, "%s has no VF provisioning files (i915 prelim_iov, xe)",
			     vgpu_handle(&pdev->dev).s);
		return -EOPNOTSUPP;
	}
	if (p.layout->set_mode && vgpu_prov_get_mode(&p) == mode)
		return 0;
	/* Without modes, vgpu_prov_switch_mode() says why. */
	if (mode == VGPU_PROV_MODE_CUSTOM || !p.layout->set_mode) {
		ret = vgpu_sriov_switch_mode(&p, mode, false, extack);
		*changed = !ret;
		return ret;
	}

	vgpu_sriov_lock(pdev);
	cur = pci_num_vf(pdev);
	ret = cur ? vgpu_sriov_validate(pdev, cur, extack) : 0;
	if (!ret && cur && !force)
		ret = vgpu_sriov_check_busy(pdev, cur, extack);
	if (!ret && cur)
		ret = vgpu_sriov_apply(pdev, cur, 0, extack);
	vgpu_sriov_unlock(pdev);
	if (ret)
		return ret;

	ret = vgpu_sriov_switch_mode(&p, mode, cur, extack);
	*changed = !ret || cur;
	if (!cur)
		return ret;

	vgpu_sriov_lock(pdev);
	now = pci_num_vf(pdev);
	if (now)
		back = -EBUSY;
	else
		back = vgpu_sriov_validate(pdev, cur, ret ? NULL : extack) ?:
		       vgpu_sriov_apply(pdev, 0, cur, ret ? NULL : extack);
	vgpu_sriov_unlock(pdev);

	if (now && ret)
		VGPU_ERR_FMT(extack, "auto provisioning refused (%d); another writer set %d VFs, %d not re-enabled",
			     ret, now, cur);
	else if (now)
		VGPU_ERR_FMT(extack, "auto provisioning set; another writer set %d VFs, %d not re-enabled",
			     now, cur);
	else if (ret && back)
		VGPU_ERR_FMT(extack, "auto provisioning refused (%d); enabling %d VFs again failed (%d)",
			     ret, cur, back);
	else if (ret)
		VGPU_ERR_FMT(extack, "auto provisioning refused (%d); its %d VFs enabled again",
			     ret, cur);
	if (!ret && !back)
		*cycled = cur;
	return ret ?: back;
}

/*
 * Validates the request under the locks, before autoprobe and the
 * provisioning mode are set; vgpu_sriov_set() validates it again once it
 * holds them for the VF count, in case the PF changed in between.
 */
static int vgpu_sriov_validate_locked(struct pci_dev *pdev, int numvfs,
				      struct netlink_ext_ack *extack)
{
	int ret;

	vgpu_sriov_lock(pdev);
	ret = vgpu_sriov_validate(pdev, numvfs, extack);
	vgpu_sriov_unlock(pdev);
	return ret;
}

/*
 * sriov_drivers_autoprobe is written through its sysfs file (struct
 * pci_sriov is the PCI core's own), and so outside vgpu_sriov_lock(): a
 * sysfs read or write takes kernfs' open-file mutex, which
 * sriov_numvfs_store() holds when it takes the rescan lock; taking it
 * inside the rescan lock is the reverse order, which lockdep reports. It
 * is set first, once the request is known valid, so that the new VFs obey
 * it, and set back if the rest fails. The provisioning mode comes next,
 * taking the locks it needs itself (vgpu_sriov_prov_mode()), then the
 * VF count, under vgpu_sriov_lock().
 */
int vgpu_sriov_set(struct vgpu_dev *vdev, struct vgpu_sriov_req *req,
		   struct netlink_ext_ack *extack)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret, cur, old_autoprobe = -1;
	bool autoprobe_set = false, prov_changed = false;

	if (req->autoprobe >= 0 || req->prov_mode > 0) {
		ret = vgpu_sriov_validate_locked(pdev, req->numvfs, extack);
		if (ret)
			return ret;
	}
	if (req->autoprobe >= 0) {
		old_autoprobe = vgpu_sriov_read_autoprobe(pdev);
		if (old_autoprobe != req->autoprobe) {
			ret = vgpu_sriov_write_autoprobe(pdev, req->autoprobe, extack);
			if (ret)
				return ret;
			autoprobe_set = true;
		}
	}
	if (req->prov_mode > 0) {
		ret = vgpu_sriov_prov_mode(pdev, req->prov_mode, req->force,
					   &req->cycled, &prov_changed, extack);
		if (ret)
			goto undo;
	}

	vgpu_sriov_lock(pdev);
	ret = vgpu_sriov_validate(pdev, req->numvfs, extack);
	if (ret)
		goto out;
	cur = pci_num_vf(pdev);
	if (req->numvfs >= 0 && req->numvfs != cur && cur && !req->force) {
		ret = vgpu_sriov_check_busy(pdev, cur, extack);
		if (ret)
			goto out;
	}

	if (req->numvfs >= 0 && req->numvfs != cur) {
		ret = vgpu_sriov_apply(pdev, cur, req->numvfs, extack);
		if (ret)
			goto out;
		/* What sriov_numvfs_store() tells udev, too. */
		kobject_uevent(&pdev->dev.kobj, KOBJ_CHANGE);
	}
out:
	vgpu_sriov_unlock(pdev);
undo:
	if (ret && autoprobe_set && old_autoprobe >= 0) {
		vgpu_sriov_write_autoprobe(pdev, old_autoprobe, NULL);
		autoprobe_set = false;
	}
	if (autoprobe_set || prov_changed)
		vgpu_event_dev(VGPU_EVENT_DEV_CHANGE, vdev, NULL);
	return ret;
}
