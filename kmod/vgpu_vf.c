// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual functions of managed PFs: lookup, state and driver binding.
 * VFs are not registry entries: the PCI core owns them and creates and
 * destroys them with the PF's VF count; they are looked up when needed.
 */
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/kmod.h>
#include <linux/mod_devicetable.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>

#include "vgpu_compat.h"
#include "vgpu_handle.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"
#include "vgpu_vf.h"

/* VF @index of @pf with a reference, or NULL. */
struct pci_dev *vgpu_vf_get(struct pci_dev *pf, unsigned int index)
{
	struct pci_dev *vf = NULL;

	/* pci_iov_virtfn_bus() is not exported; walk the (short) device list. */
	for_each_pci_dev(vf)
		if (vf->is_virtfn && vf->physfn == pf &&
		    pci_iov_vf_id(vf) == index)
			return vf;	/* keeps the iterator's reference */
	return NULL;
}

/*
 * The VF named by @handle with a reference, or an ERR_PTR with the reason:
 * not a VF (a PF given to VF_SET is refused with the reason it must not be
 * passed through while it has VFs), or a VF of a PF vgpu_nl does not manage.
 */
struct pci_dev *vgpu_vf_lookup(const char *handle, enum vgpu_vf_purpose why,
			       struct netlink_ext_ack *extack)
{
	struct vgpu_dev *vdev;
	struct pci_dev *pdev;

	pdev = vgpu_handle_to_pdev(handle, extack);
	if (IS_ERR(pdev))
		return pdev;
	if (!pdev->is_virtfn) {
		if (pdev->is_physfn && why == VGPU_VF_FOR_SET)
			VGPU_ERR_FMT(extack, "%s is a PF: a VM given the PF takes every VF; use a VF",
				     handle);
		else if (pdev->is_physfn)
			VGPU_ERR_FMT(extack, "%s is a PF, not a VF (its VFs: vf show %s)",
				     handle, handle);
		else
			VGPU_ERR_FMT(extack, "%s is not an SR-IOV VF", handle);
		pci_dev_put(pdev);
		return ERR_PTR(-EINVAL);
	}
	vdev = vgpu_dev_find(pdev->physfn);
	if (!vdev) {
		VGPU_ERR_FMT(extack, "%s: its PF %s is not managed by vgpu_nl",
			     handle, vgpu_handle(&pdev->physfn->dev).s);
		pci_dev_put(pdev);
		return ERR_PTR(-ENODEV);
	}
	vgpu_dev_put(vdev);
	return pdev;
}

bool vgpu_vf_in_use(struct pci_dev *vf)
{
	struct iommu_group *group;
	bool owned = false;

	if (vf->dev_flags & PCI_DEV_FLAGS_ASSIGNED)
		return true;
	group = iommu_group_get(&vf->dev);
	if (group) {
		owned = iommu_group_dma_owner_claimed(group);
		iommu_group_put(group);
	}
	return owned;
}

/*
 * Whether @drv is a VFIO PCI driver: one that serves devices through
 * VFIO, which its id table says with PCI_DRIVER_OVERRIDE_DEVICE_VFIO()
 * entries (vfio-pci's own matches any device; a variant's, its devices).
 * kbuild writes exactly these to modules.alias as "vfio_pci:" aliases,
 * which is how userspace (libvirt) tells them apart too.
 */
static bool vgpu_is_vfio_driver(const struct pci_driver *drv)
{
	const struct pci_device_id *id;

	for (id = drv->id_table; id && (id->vendor || id->subvendor ||
					 id->class_mask); id++)
		if (id->override_only & PCI_ID_F_VFIO_DRIVER_OVERRIDE)
			return true;
	return false;
}

/*
 * Whether the VFIO driver bound to @vf offers live migration: its
 * vfio_device has migration ops (xe-vfio-pci sets them when the PF can
 * migrate its VFs). Every VFIO PCI driver is built on vfio_pci_core, whose
 * registration insists on drvdata being the vfio_pci_core_device
 * (vfio_pci_core_register_device()); the first two checks make sure of it
 * before anything else is read. Called with the VF's device lock held.
 */
static int vgpu_vf_migration(struct pci_dev *vf)
{
	struct vfio_pci_core_device *core;

	if (!vf->dev.driver || !vgpu_is_vfio_driver(to_pci_driver(vf->dev.driver)))
		return -1;
	core = dev_get_drvdata(&vf->dev);
	if (!core || core->vdev.dev != &vf->dev || core->pdev != vf)
		return 0;
	return core->vdev.mig_ops &&
	       (core->vdev.migration_flags & VFIO_MIGRATION_STOP_COPY);
}

void vgpu_vf_get_info(struct pci_dev *vf, struct vgpu_vf_info *info)
{
	struct vgpu_dev *vdev;

	memset(info, 0, sizeof(*info));
	info->handle = vgpu_handle(&vf->dev);
	info->pf = vgpu_handle(&vf->physfn->dev);
	info->index = pci_iov_vf_id(vf);
	info->iommu_group = vgpu_iommu_group_id(&vf->dev);
	info->assigned = vgpu_vf_in_use(vf);

	/* The driver and the override change only under the device lock. */
	device_lock(&vf->dev);
	if (vf->dev.driver)
		strscpy(info->driver, vf->dev.driver->name, sizeof(info->driver));
	vgpu_get_driver_override(vf, info->override, sizeof(info->override));
	info->migration = vgpu_vf_migration(vf);
	device_unlock(&vf->dev);

	vdev = vgpu_dev_find(vf->physfn);
	if (vdev) {
		info->state = vgpu_dev_vf_state(vdev, info->index);
		vgpu_dev_put(vdev);
	}
}

/* bus_for_each_drv() callback: the PCI driver named @data, if VFIO. */
static int vgpu_vf_find_driver(struct device_driver *drv, void *data)
{
	const char *name = data;

	if (strcmp(drv->name, name))
		return 0;
	return vgpu_is_vfio_driver(to_pci_driver(drv)) ? 1 : -EINVAL;
}

static void vgpu_vf_bound_driver(struct pci_dev *vf, char *buf, size_t len)
{
	device_lock(&vf->dev);
	strscpy(buf, vf->dev.driver ? vf->dev.driver->name : "", len);
	device_unlock(&vf->dev);
}

/* Sets driver_override to @name ("" clears it) and reprobes the VF. */
int vgpu_vf_rebind(struct pci_dev *vf, const char *name)
{
	int ret;

	ret = vgpu_set_driver_override(vf, name);
	if (ret)
		return ret;
	return device_reprobe(&vf->dev);
}

/*
 * Whether @vf may be given to @driver now; says why not. A VF goes to a
 * VM through VFIO: only VFIO PCI drivers are taken, loaded (vfio-pci is
 * loaded on demand; a variant must be loaded by userspace, which chose it
 * by its modules.alias entry). The driver list is walked with the bus's
 * klist references, so a driver cannot go away while its table is read.
 */
static int vgpu_vf_check_driver(struct pci_dev *vf, const char *driver,
				struct netlink_ext_ack *extack)
{
	int ret;

	if (driver[0] && !strcmp(driver, "vfio-pci") && request_module("vfio-pci"))
		pr_debug("request_module(vfio-pci) failed\n");
	ret = driver[0] ? bus_for_each_drv(&pci_bus_type, NULL, (void *)driver,
					   vgpu_vf_find_driver) : 1;
	if (ret == -EINVAL) {
		VGPU_ERR_FMT(extack, "\"%.20s\" is not a VFIO PCI driver (no vfio_pci entry)",
			     driver);
		return -EINVAL;
	}
	if (!ret) {
		VGPU_ERR_FMT(extack, "no PCI driver \"%.24s\" is loaded (modprobe it first)",
			     driver);
		return -ENOENT;
	}
	/*
	 * Unbinding vfio-pci waits until the VM lets go of the device, with
	 * the device lock held: refuse instead of hanging.
	 */
	if (vgpu_vf_in_use(vf)) {
		VGPU_ERR_FMT(extack, "%s is in use by a VM (VFIO DMA owner); stop it first",
			     vgpu_handle(&vf->dev).s);
		return -EBUSY;
	}
	return 0;
}

/*
 * Binds @vf to @driver ("vfio-pci") or, with "", back to whatever its ids
 * match. If the requested driver does not take the VF, the previous
 * override and binding are restored. @restored says what else the caller
 * put back, for the message.
 */
static int vgpu_vf_bind(struct pci_dev *vf, const char *driver,
			const char *restored, struct netlink_ext_ack *extack)
{
	char old[32] = "", bound[32];
	int ret;

	device_lock(&vf->dev);
	vgpu_get_driver_override(vf, old, sizeof(old));
	device_unlock(&vf->dev);

	ret = vgpu_vf_rebind(vf, driver);
	vgpu_vf_bound_driver(vf, bound, sizeof(bound));
	if (!ret && (!driver[0] || !strcmp(bound, driver)))
		return 0;

	if (vgpu_vf_rebind(vf, old))
		VGPU_ERR_FMT(extack, "%s did not bind to %s; restoring failed too",
			     driver[0] ? driver : "default", vgpu_handle(&vf->dev).s);
	else
		VGPU_ERR_FMT(extack, "%s did not bind %s (%d); old binding%s restored",
			     driver[0] ? driver : "default", vgpu_handle(&vf->dev).s,
			     ret, restored);
	return ret ? ret : -ENODEV;
}

/*
 * A VF_SET request, all or nothing. The whole request is checked before
 * anything changes (driver name, VF not in use, quotas against the pools);
 * then the quotas are written, so that a VF handed to a VM starts with
 * them, and the driver is changed last. If the driver does not take the
 * VF, the quotas are put back too, and the error says what was restored.
 */
int vgpu_vf_set(struct pci_dev *vf, const struct vgpu_vf_req *req,
		struct netlink_ext_ack *extack)
{
	struct vgpu_prov_txn *txn = NULL;
	int ret, bad;

	/* A control is done alone: it changes what the VF is doing. */
	if (req->control && (req->driver || req->quota)) {
		VGPU_ERR_FMT(extack, "a VF control (%s) goes alone, without driver or quotas",
			     vgpu_vf_control_name(req->control));
		return -EINVAL;
	}
	if (req->control)
		return vgpu_prov_control(vf, req->control, extack);
	if (req->driver) {
		ret = vgpu_vf_check_driver(vf, req->driver, extack);
		if (ret)
			return ret;
	}
	if (req->quota) {
		txn = kmalloc(sizeof(*txn), GFP_KERNEL);
		if (!txn)
			return -ENOMEM;
		ret = vgpu_prov_prepare(vf, req->quota, txn, extack);
		if (ret)
			goto out;
		ret = vgpu_prov_commit(txn, req->quota, extack);
		if (ret)
			goto out;
	}
	if (req->driver) {
		ret = vgpu_vf_bind(vf, req->driver, txn ? " and quotas" : "",
				   extack);
		if (ret && txn) {
			bad = vgpu_prov_rollback(txn);
			if (bad)
				VGPU_ERR_FMT(extack, "%s did not bind %s (%d); restoring quota %s failed",
					     req->driver[0] ? req->driver : "default",
					     vgpu_handle(&vf->dev).s, ret,
					     vgpu_quota_key_name(bad));
			else if (vgpu_prov_auto_lost(txn))
				VGPU_ERR_FMT(extack, "%s refused %s (%d); quotas back, auto provisioning off",
					     req->driver[0] ? req->driver : "default",
					     vgpu_handle(&vf->dev).s, ret);
		}
	}
out:
	kfree(txn);
	return ret;
}
