// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of managed devices: PCI display-class functions and those
 * named in extra_ids, never VFs (they belong to their PF). A PCI bus
 * notifier keeps it current across hot-add/remove and driver bind/unbind,
 * including changes made by other tools, and reports each change as an
 * event (vgpu_event.h).
 *
 * The registry owns each device's struct vgpu_dev: it makes one when the
 * device appears, and its list holds a reference until the device goes
 * away; every lookup hands out one more (vgpu_dev_put()). Whoever keeps a
 * device longer, as the sysfs glue does for its directories, keeps a
 * reference and asks vgpu_dev_registered() whether the device is still
 * there.
 */
#include <linux/device.h>
#include <linux/kref.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "vgpu_compat.h"
#include "vgpu_event.h"
#include "vgpu_handle.h"
#include "vgpu_nl.h"
#include "vgpu_registry.h"

#define VGPU_MAX_EXTRA_IDS 16

static char *extra_ids;
module_param(extra_ids, charp, 0444);
MODULE_PARM_DESC(extra_ids,
		 "Manage these PCI functions too: VVVV:DDDD[,VVVV:DDDD...] (hex vendor:device)");

/* Parsed once at load: the parameter is read-only afterwards. */
static struct {
	u16 vendor, device;
} vgpu_extra[VGPU_MAX_EXTRA_IDS];
static unsigned int vgpu_n_extra;

static LIST_HEAD(vgpu_registry);
static DEFINE_MUTEX(vgpu_registry_lock);
/* Bumped on every add/remove; dumps use it to flag NLM_F_DUMP_INTR. */
static unsigned int vgpu_registry_gen = 1;
/* For numvfs_work, which may wait long for a PF's device lock. */
static struct workqueue_struct *vgpu_event_wq;

static int vgpu_parse_extra_ids(void)
{
	const char *p = extra_ids;
	unsigned int vendor, device;
	int n;

	while (p && *p) {
		if (vgpu_n_extra == VGPU_MAX_EXTRA_IDS) {
			pr_err("extra_ids: more than %d ids\n", VGPU_MAX_EXTRA_IDS);
			return -EINVAL;
		}
		if (sscanf(p, "%4x:%4x%n", &vendor, &device, &n) != 2 ||
		    (p[n] != ',' && p[n] != '\0' && p[n] != '\n')) {
			pr_err("extra_ids: bad entry at \"%s\" (expected VVVV:DDDD)\n", p);
			return -EINVAL;
		}
		vgpu_extra[vgpu_n_extra].vendor = vendor;
		vgpu_extra[vgpu_n_extra].device = device;
		vgpu_n_extra++;
		p += n;
		if (*p == ',')
			p++;
		else
			break;
	}
	return 0;
}

static bool vgpu_id_is_extra(u16 vendor, u16 device)
{
	unsigned int i;

	for (i = 0; i < vgpu_n_extra; i++)
		if (vgpu_extra[i].vendor == vendor &&
		    vgpu_extra[i].device == device)
			return true;
	return false;
}

static bool vgpu_pdev_is_managed(struct pci_dev *pdev)
{
	if (pdev->is_virtfn)
		return false;
	return (pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY ||
	       vgpu_id_is_extra(pdev->vendor, pdev->device);
}

static void vgpu_dev_release(struct kref *ref)
{
	struct vgpu_dev *vdev = container_of(ref, struct vgpu_dev, ref);

	pci_dev_put(vdev->pdev);
	kfree(vdev);
}

struct vgpu_dev *vgpu_dev_get(struct vgpu_dev *vdev)
{
	kref_get(&vdev->ref);
	return vdev;
}

void vgpu_dev_put(struct vgpu_dev *vdev)
{
	kref_put(&vdev->ref, vgpu_dev_release);
}

/*
 * Queued whenever a VF of this PF appears or goes away, by whomever. Taking
 * the device lock waits for the change in progress (ours or
 * sriov_numvfs_store()'s) to finish, so one event carries the final count.
 */
static void vgpu_registry_numvfs_work(struct work_struct *work)
{
	struct vgpu_dev *vdev = container_of(work, struct vgpu_dev, numvfs_work);
	int n;

	device_lock(&vdev->pdev->dev);
	n = pci_num_vf(vdev->pdev);
	device_unlock(&vdev->pdev->dev);
	if (n != vdev->last_numvfs) {
		vdev->last_numvfs = n;
		vgpu_event_numvfs(vdev, n);
	}
	vgpu_dev_put(vdev);
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

/*
 * Caller holds the device lock or knows no driver can (un)bind. @quiet: the
 * device was there before the module loaded, which is no news.
 */
static void vgpu_registry_add(struct pci_dev *pdev, bool quiet)
{
	struct vgpu_event_info ev = { .event = VGPU_EVENT_DEV_ADD, .quiet = quiet };
	struct vgpu_dev *vdev;

	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev) {
		pci_err(pdev, "vgpu_nl: out of memory, device not managed\n");
		return;
	}
	kref_init(&vdev->ref);
	INIT_LIST_HEAD(&vdev->node);
	vdev->pdev = pci_dev_get(pdev);
	INIT_WORK(&vdev->numvfs_work, vgpu_registry_numvfs_work);
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
	vgpu_dev_get(vdev);	/* the list's; ours lasts through the event */
	mutex_unlock(&vgpu_registry_lock);

	ev.vdev = vdev;
	vgpu_event_post(&ev);
	vgpu_dev_put(vdev);
}

/* Takes @vdev off the list, whose reference goes with the event. */
static void vgpu_registry_remove(struct vgpu_dev *vdev, bool quiet)
{
	struct vgpu_event_info ev = {
		.event = VGPU_EVENT_DEV_DEL, .quiet = quiet, .vdev = vdev,
	};

	vgpu_event_post(&ev);
	vgpu_dev_put(vdev);
}

static void vgpu_registry_del(struct pci_dev *pdev)
{
	struct vgpu_dev *vdev;

	mutex_lock(&vgpu_registry_lock);
	vdev = vgpu_find_pdev_locked(pdev);
	if (vdev) {
		list_del_init(&vdev->node);
		vgpu_registry_gen++;
	}
	mutex_unlock(&vgpu_registry_lock);
	if (vdev)
		vgpu_registry_remove(vdev, false);
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
		vgpu_dev_get(vdev);
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
		vgpu_dev_get(vdev);
	mutex_unlock(&vgpu_registry_lock);
	return vdev;
}

/* Whether @vdev is still managed, or its device has gone away. */
bool vgpu_dev_registered(struct vgpu_dev *vdev)
{
	bool ret;

	mutex_lock(&vgpu_registry_lock);
	ret = !list_empty(&vdev->node);
	mutex_unlock(&vgpu_registry_lock);
	return ret;
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
		vgpu_dev_get(vdev);	/* for the work */
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
		vgpu_registry_add(pdev, false);
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
			found = vgpu_dev_get(vdev);
			break;
		}
	}
	mutex_unlock(&vgpu_registry_lock);
	return found;
}

/* Before anything else loads: a bad extra_ids fails the load at once. */
int vgpu_registry_init(void)
{
	int ret;

	ret = vgpu_parse_extra_ids();
	if (ret)
		return ret;
	/*
	 * Unbound: its work sleeps on device locks and has no reason to stay
	 * on the queueing CPU. Saying so also keeps 7.x from warning about a
	 * queue that is neither WQ_PERCPU nor WQ_UNBOUND.
	 */
	vgpu_event_wq = alloc_workqueue("vgpu_nl_event", WQ_UNBOUND, 0);
	return vgpu_event_wq ? 0 : -ENOMEM;
}

/* Once the listeners are there: finds the devices and watches the bus. */
int vgpu_registry_start(void)
{
	struct pci_dev *pdev = NULL;
	int ret;

	/* Notifier first, then the scan: a device added in between is
	 * seen twice and vgpu_registry_add() ignores the second sighting.
	 */
	ret = bus_register_notifier(&pci_bus_type, &vgpu_pci_nb);
	if (ret)
		return ret;

	for_each_pci_dev(pdev) {
		if (!vgpu_pdev_is_managed(pdev))
			continue;
		device_lock(&pdev->dev);
		vgpu_registry_add(pdev, true);
		device_unlock(&pdev->dev);
	}
	return 0;
}

/* Stops watching and lets every device go, quietly (see vgpu_event.h). */
void vgpu_registry_stop(void)
{
	struct vgpu_dev *vdev;

	bus_unregister_notifier(&pci_bus_type, &vgpu_pci_nb);
	flush_workqueue(vgpu_event_wq);		/* runs pending announcements */

	for (;;) {
		mutex_lock(&vgpu_registry_lock);
		vdev = list_first_entry_or_null(&vgpu_registry, struct vgpu_dev,
						node);
		if (vdev) {
			list_del_init(&vdev->node);
			vgpu_registry_gen++;
		}
		mutex_unlock(&vgpu_registry_lock);
		if (!vdev)
			break;
		vgpu_registry_remove(vdev, true);
	}
}

void vgpu_registry_exit(void)
{
	destroy_workqueue(vgpu_event_wq);
}
