// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of managed devices: PCI display-class functions and those
 * named in extra_ids, never VFs (they belong to their PF). A PCI bus
 * notifier keeps it current across hot-add/remove and driver bind/unbind,
 * including changes made by other tools.
 *
 * Sysfs directories are added and removed on an ordered workqueue rather
 * than in the notifier: removing a kobject waits for its running sysfs
 * handlers, and one of those may be waiting for the PCI rescan/remove lock
 * that the thread delivering BUS_NOTIFY_DEL_DEVICE already holds.
 */
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "vgpu_compat.h"
#include "vgpu_event.h"
#include "vgpu_handle.h"
#include "vgpu_registry.h"
#include "vgpu_sriov.h"
#include "vgpu_sysfs.h"

static LIST_HEAD(vgpu_registry);
static DEFINE_MUTEX(vgpu_registry_lock);
/* Bumped on every add/remove; dumps use it to flag NLM_F_DUMP_INTR. */
static unsigned int vgpu_registry_gen = 1;
static struct workqueue_struct *vgpu_sysfs_wq;
/* For numvfs_work, which may wait long for a PF's device lock. */
struct workqueue_struct *vgpu_event_wq;

static bool vgpu_pdev_is_managed(struct pci_dev *pdev)
{
	if (pdev->is_virtfn)
		return false;
	return (pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY ||
	       vgpu_id_is_extra(pdev->vendor, pdev->device);
}

void vgpu_dev_put(struct vgpu_dev *vdev)
{
	kobject_put(&vdev->kobj);
}

static void vgpu_sysfs_add_work(struct work_struct *work)
{
	struct vgpu_dev *vdev = container_of(work, struct vgpu_dev, sysfs_add);

	if (!vgpu_sysfs_dev_add(vdev))
		vdev->in_sysfs = true;
	vgpu_dev_put(vdev);
}

static void vgpu_sysfs_del_work(struct work_struct *work)
{
	struct vgpu_dev *vdev = container_of(work, struct vgpu_dev, sysfs_del);

	if (vdev->in_sysfs)
		vgpu_sysfs_dev_del(vdev);
	/* A pending count announcement holds its own reference; let it run. */
	vdev->in_sysfs = false;
	vgpu_dev_put(vdev);	/* the work's reference */
	vgpu_dev_put(vdev);	/* the registry's reference */
}

static struct vgpu_dev *vgpu_find_pdev_locked(struct pci_dev *pdev)
{
	struct vgpu_dev *vdev;

	lockdep_assert_held(&vgpu_registry_lock);
	list_for_each_entry(vdev, &vgpu_registry, node)
		if (vdev->pdev == pdev)
			return vdev;
	return NULL;
}

/* Caller holds the device lock or knows no driver can (un)bind. */
static void vgpu_registry_add(struct pci_dev *pdev, bool notify)
{
	struct vgpu_dev *vdev;

	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev) {
		pci_err(pdev, "vgpu_nl: out of memory, device not managed\n");
		return;
	}
	kobject_init(&vdev->kobj, &vgpu_dev_ktype);
	vdev->pdev = pci_dev_get(pdev);
	INIT_WORK(&vdev->sysfs_add, vgpu_sysfs_add_work);
	INIT_WORK(&vdev->sysfs_del, vgpu_sysfs_del_work);
	INIT_WORK(&vdev->numvfs_work, vgpu_sriov_numvfs_work);
	vdev->last_numvfs = pci_num_vf(pdev);
	if (pdev->dev.driver)
		strscpy(vdev->driver, pdev->dev.driver->name,
			sizeof(vdev->driver));

	mutex_lock(&vgpu_registry_lock);
	if (vgpu_find_pdev_locked(pdev)) {
		mutex_unlock(&vgpu_registry_lock);
		vgpu_dev_put(vdev);
		return;
	}
	list_add_tail(&vdev->node, &vgpu_registry);
	vgpu_registry_gen++;
	kobject_get(&vdev->kobj);	/* for the add work */
	queue_work(vgpu_sysfs_wq, &vdev->sysfs_add);
	kobject_get(&vdev->kobj);	/* for the event below */
	mutex_unlock(&vgpu_registry_lock);

	if (notify)
		vgpu_event_dev(VGPU_EVENT_DEV_ADD, vdev, NULL);
	vgpu_dev_put(vdev);
}

static void vgpu_registry_del(struct pci_dev *pdev)
{
	struct vgpu_dev *vdev;

	mutex_lock(&vgpu_registry_lock);
	vdev = vgpu_find_pdev_locked(pdev);
	if (!vdev) {
		mutex_unlock(&vgpu_registry_lock);
		return;
	}
	list_del(&vdev->node);
	vgpu_registry_gen++;
	kobject_get(&vdev->kobj);	/* for the del work */
	queue_work(vgpu_sysfs_wq, &vdev->sysfs_del);
	kobject_get(&vdev->kobj);	/* for the event below */
	mutex_unlock(&vgpu_registry_lock);

	vgpu_event_dev(VGPU_EVENT_DEV_DEL, vdev, NULL);
	vgpu_dev_put(vdev);
}

/*
 * Records the new driver name and announces it. BOUND/UNBIND are delivered
 * with the device lock held, so pdev->dev.driver is stable here.
 */
static void vgpu_registry_driver(struct pci_dev *pdev, enum vgpu_event ev)
{
	struct device_driver *drv = pdev->dev.driver;
	struct vgpu_dev *vdev;
	char name[sizeof(vdev->driver)] = "";

	if (drv)
		strscpy(name, drv->name, sizeof(name));

	mutex_lock(&vgpu_registry_lock);
	vdev = vgpu_find_pdev_locked(pdev);
	if (vdev) {
		/* UNBIND is sent while the driver is still attached. */
		strscpy(vdev->driver, ev == VGPU_EVENT_BIND ? name : "",
			sizeof(vdev->driver));
		kobject_get(&vdev->kobj);
	}
	mutex_unlock(&vgpu_registry_lock);
	if (!vdev)
		return;

	vgpu_event_dev(ev, vdev, name[0] ? name : NULL);
	vgpu_dev_put(vdev);
}

struct vgpu_dev *vgpu_dev_find(struct pci_dev *pdev)
{
	struct vgpu_dev *vdev;

	mutex_lock(&vgpu_registry_lock);
	vdev = vgpu_find_pdev_locked(pdev);
	if (vdev)
		kobject_get(&vdev->kobj);
	mutex_unlock(&vgpu_registry_lock);
	return vdev;
}

/*
 * A VF of a managed PF appeared, went away or changed driver. VF count
 * changes are announced by the PF's numvfs_work once the change is over.
 */
static void vgpu_registry_vf(struct pci_dev *vf, unsigned long action)
{
	struct device_driver *drv = vf->dev.driver;
	struct vgpu_dev *vdev;

	vdev = vgpu_dev_find(vf->physfn);
	if (!vdev)
		return;

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
	case BUS_NOTIFY_DEL_DEVICE:
		mutex_lock(&vgpu_registry_lock);
		vgpu_registry_gen++;
		mutex_unlock(&vgpu_registry_lock);
		vgpu_event_vf(action == BUS_NOTIFY_ADD_DEVICE ?
			      VGPU_EVENT_VF_ADD : VGPU_EVENT_VF_DEL, vf, NULL);
		kobject_get(&vdev->kobj);	/* for the work */
		if (!queue_work(vgpu_event_wq, &vdev->numvfs_work))
			vgpu_dev_put(vdev);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
		vgpu_event_vf(VGPU_EVENT_BIND, vf, drv ? drv->name : NULL);
		break;
	case BUS_NOTIFY_UNBIND_DRIVER:
		vgpu_event_vf(VGPU_EVENT_UNBIND, vf, drv ? drv->name : NULL);
		break;
	}
	vgpu_dev_put(vdev);
}

static int vgpu_pci_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	if (pdev->is_virtfn) {
		vgpu_registry_vf(pdev, action);
		return NOTIFY_DONE;
	}
	if (!vgpu_pdev_is_managed(pdev))
		return NOTIFY_DONE;

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		vgpu_registry_add(pdev, true);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		vgpu_registry_del(pdev);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
		vgpu_registry_driver(pdev, VGPU_EVENT_BIND);
		break;
	case BUS_NOTIFY_UNBIND_DRIVER:
		vgpu_registry_driver(pdev, VGPU_EVENT_UNBIND);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vgpu_pci_nb = {
	.notifier_call = vgpu_pci_notify,
};

void vgpu_dev_driver_name(struct vgpu_dev *vdev, char *buf, size_t len)
{
	mutex_lock(&vgpu_registry_lock);
	strscpy(buf, vdev->driver, len);
	mutex_unlock(&vgpu_registry_lock);
}

/*
 * Looks a device up by handle and returns it with a reference, or an ERR_PTR
 * with the reason in @extack: malformed, no such PCI function, not managed.
 */
struct vgpu_dev *vgpu_dev_lookup(const char *handle,
				 struct netlink_ext_ack *extack)
{
	struct vgpu_dev *vdev;
	struct pci_dev *pdev;

	pdev = vgpu_handle_to_pdev(handle, extack);
	if (IS_ERR(pdev))
		return ERR_CAST(pdev);

	vdev = vgpu_dev_find(pdev);
	if (!vdev) {
		if (pdev->is_virtfn)
			VGPU_ERR_FMT(extack, "%s is a VF, not a device (see vf show)",
				     handle);
		else
			VGPU_ERR_FMT(extack, "%s: not a GPU (class %06x) nor in extra_ids",
				     handle, pdev->class);
		vdev = ERR_PTR(-ENODEV);
	}
	pci_dev_put(pdev);
	return vdev;
}

/* The idx-th device with a reference, and the generation it was seen in. */
struct vgpu_dev *vgpu_dev_get_nth(unsigned long idx, unsigned int *gen)
{
	struct vgpu_dev *vdev, *found = NULL;

	mutex_lock(&vgpu_registry_lock);
	*gen = vgpu_registry_gen;
	list_for_each_entry(vdev, &vgpu_registry, node) {
		if (idx-- == 0) {
			found = vdev;
			kobject_get(&found->kobj);
			break;
		}
	}
	mutex_unlock(&vgpu_registry_lock);
	return found;
}

int vgpu_registry_init(void)
{
	struct pci_dev *pdev = NULL;
	int ret;

	vgpu_sysfs_wq = alloc_ordered_workqueue("vgpu_nl_sysfs", 0);
	if (!vgpu_sysfs_wq)
		return -ENOMEM;
	/*
	 * Unbound: its work sleeps on device locks and has no reason to stay
	 * on the queueing CPU. Saying so also keeps 7.x from warning about a
	 * queue that is neither WQ_PERCPU nor WQ_UNBOUND.
	 */
	vgpu_event_wq = alloc_workqueue("vgpu_nl_event", WQ_UNBOUND, 0);
	if (!vgpu_event_wq) {
		destroy_workqueue(vgpu_sysfs_wq);
		return -ENOMEM;
	}

	/* Notifier first, then the scan: a device added in between is
	 * seen twice and vgpu_registry_add() ignores the second sighting.
	 */
	ret = bus_register_notifier(&pci_bus_type, &vgpu_pci_nb);
	if (ret) {
		destroy_workqueue(vgpu_event_wq);
		destroy_workqueue(vgpu_sysfs_wq);
		return ret;
	}

	for_each_pci_dev(pdev) {
		if (!vgpu_pdev_is_managed(pdev))
			continue;
		device_lock(&pdev->dev);
		vgpu_registry_add(pdev, false);
		device_unlock(&pdev->dev);
	}
	return 0;
}

void vgpu_registry_exit(void)
{
	struct vgpu_dev *vdev, *tmp;

	bus_unregister_notifier(&pci_bus_type, &vgpu_pci_nb);
	destroy_workqueue(vgpu_event_wq);	/* runs pending announcements */

	mutex_lock(&vgpu_registry_lock);
	list_for_each_entry_safe(vdev, tmp, &vgpu_registry, node) {
		list_del(&vdev->node);
		kobject_get(&vdev->kobj);
		queue_work(vgpu_sysfs_wq, &vdev->sysfs_del);
	}
	mutex_unlock(&vgpu_registry_lock);

	destroy_workqueue(vgpu_sysfs_wq);	/* drains both kinds of work */
}
