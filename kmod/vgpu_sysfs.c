// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vgpu_nl: version, api_version and one directory per managed
 * device, for shell users and persistence tools (sysfsutils, tmpfiles).
 * Reads show the same snapshot as DEV_GET; writes go through the same core
 * calls as genetlink, under genl_lock() so both paths are serialised alike
 * (from a worker: see vgpu_sysfs_on_worker()).
 * A write that is refused logs the reason the extended ack would carry.
 *
 * Each directory is a kobject of this glue holding a reference to its
 * device. They follow the registry: its DEV_ADD and DEV_DEL events queue
 * vgpu_sysfs_sync() on an ordered workqueue, which adds the directories
 * of new devices and removes those of devices that went away. Not in the
 * event: removing a kobject waits for its running sysfs handlers, and one
 * of those may be waiting for the PCI rescan/remove lock that the thread
 * delivering BUS_NOTIFY_DEL_DEVICE already holds.
 */
#include <linux/completion.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "vgpu_compat.h"
#include "vgpu_dev.h"
#include "vgpu_event.h"
#include "vgpu_handle.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"
#include "vgpu_sriov.h"
#include "vgpu_sysfs.h"
#include "vgpu_vfs.h"

static struct kobject *vgpu_root;

/* /sys/kernel/vgpu_nl/<pci name> */
struct vgpu_sysfs_dev {
	struct kobject kobj;
	struct vgpu_dev *vdev;		/* a reference, dropped on release */
	struct list_head node;		/* vgpu_sysfs_devs */
};

/* The directories; only vgpu_sysfs_sync() and vgpu_sysfs_exit() touch it. */
static LIST_HEAD(vgpu_sysfs_devs);
static struct workqueue_struct *vgpu_sysfs_wq;
/*
 * The sysfs handlers' workers (vgpu_sysfs_on_worker()): this module's own, so
 * that vgpu_sysfs_exit() can wait for a worker to have returned, not only
 * to have completed its writer (its last instructions are this module's).
 */
static struct workqueue_struct *vgpu_sysfs_call_wq;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", VGPU_NL_VERSION);
}

static ssize_t api_version_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", VGPU_API_VERSION);
}

static struct kobj_attribute vgpu_attr_version = __ATTR_RO(version);
static struct kobj_attribute vgpu_attr_api_version = __ATTR_RO(api_version);

static struct attribute *vgpu_root_attrs[] = {
	&vgpu_attr_version.attr,
	&vgpu_attr_api_version.attr,
	NULL,
};

static const struct attribute_group vgpu_root_group = {
	.attrs = vgpu_root_attrs,
};

static struct vgpu_dev *to_vgpu_dev(struct kobject *kobj)
{
	return container_of(kobj, struct vgpu_sysfs_dev, kobj)->vdev;
}

/* Every device attribute shows one field of the same snapshot. */
#define VGPU_DEV_ATTR_RO(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct vgpu_dev_info info;					\
									\
	vgpu_dev_get_info(to_vgpu_dev(kobj), &info);			\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static struct kobj_attribute vgpu_dev_attr_##_name = __ATTR_RO(_name)

VGPU_DEV_ATTR_RO(vendor, "0x%04x", info.vendor);
VGPU_DEV_ATTR_RO(device, "0x%04x", info.device);
VGPU_DEV_ATTR_RO(subsystem_vendor, "0x%04x", info.subsys_vendor);
VGPU_DEV_ATTR_RO(subsystem_device, "0x%04x", info.subsys_device);
VGPU_DEV_ATTR_RO(class, "0x%06x", info.class);
VGPU_DEV_ATTR_RO(driver, "%s", info.driver);
VGPU_DEV_ATTR_RO(mdev_parent, "%d", info.mdev_parent);
VGPU_DEV_ATTR_RO(totalvfs, "%u", info.totalvfs);

static ssize_t handle_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", vgpu_handle(&to_vgpu_dev(kobj)->pdev->dev).s);
}

/* Empty when the device has no IOMMU group, like a missing link. */
static ssize_t iommu_group_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct vgpu_dev_info info;

	vgpu_dev_get_info(to_vgpu_dev(kobj), &info);
	if (info.iommu_group < 0)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%d\n", info.iommu_group);
}

/* The PF driver's VF provisioning layout (see vgpu_prov.h), "" if none. */
static ssize_t provisioning_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	struct vgpu_prov p;

	if (vgpu_prov_find(to_vgpu_dev(kobj)->pdev, &p))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s\n", p.layout->name);
}

static ssize_t autoprobe_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct vgpu_dev_info info;

	vgpu_dev_get_info(to_vgpu_dev(kobj), &info);
	return sysfs_emit(buf, "%d\n", info.autoprobe);
}

/*
 * A sysfs handler's work, run by a worker for the task in the handler
 * (vgpu_sysfs_on_worker()).
 */
struct vgpu_sysfs_call {
	struct work_struct work;
	struct completion done;
	struct vgpu_vfs_lend lend;	/* the task's root and mm */
	ssize_t (*fn)(void *arg);
	void *arg;
	ssize_t ret;
};

static void vgpu_sysfs_call_fn(struct work_struct *work)
{
	struct vgpu_sysfs_call *c = container_of(work, struct vgpu_sysfs_call,
						 work);

	vgpu_vfs_lend_begin(&c->lend);
	c->ret = c->fn(c->arg);
	vgpu_vfs_lend_end(&c->lend);
	complete(&c->done);	/* the last touch of *c: the task frees it */
}

/*
 * Runs @fn(@arg) on a worker and returns what it returned. A sysfs handler
 * runs with its file's kernfs locks held (the seq_file's p->lock and
 * of->mutex for a read, of->mutex for a write), each one lock class for
 * every sysfs file, and the core reads and writes other drivers' sysfs
 * files: done in the handler, that nests a class in itself, and under
 * genl_mutex makes the cycle of->mutex -> genl_mutex -> of->mutex (the
 * debug-kernel lane reports both). The worker holds nothing of the
 * handler's, and the handler waits for a completion, which joins no lock
 * chain (flush_work() would: of->mutex -> the work -> genl_mutex). The
 * directory, and so the device reference, lives while the handler runs.
 * The worker resolves paths from the task's root (the kernel threads' root
 * has no /sys on 7.x) and uses its address space (vgpu_vfs_rw_user()).
 */
static ssize_t vgpu_sysfs_on_worker(ssize_t (*fn)(void *arg), void *arg)
{
	struct vgpu_sysfs_call c = { .fn = fn, .arg = arg };

	vgpu_vfs_lend_take(&c.lend);
	INIT_WORK_ONSTACK(&c.work, vgpu_sysfs_call_fn);
	init_completion(&c.done);
	queue_work(vgpu_sysfs_call_wq, &c.work);
	wait_for_completion(&c.done);
	destroy_work_on_stack(&c.work);
	vgpu_vfs_lend_drop(&c.lend);
	return c.ret;
}

struct vgpu_sysfs_sriov_call {
	struct vgpu_dev *vdev;
	struct vgpu_sriov_req *req;
};

static ssize_t vgpu_sysfs_sriov_fn(void *arg)
{
	struct vgpu_sysfs_sriov_call *c = arg;
	struct netlink_ext_ack extack = {};
	struct vgpu_errslot slot;
	int ret;

	genl_lock();
	vgpu_errslot_begin(&slot, &extack);
	ret = vgpu_sriov_set(c->vdev, c->req, &extack);
	if (ret && extack._msg)
		pr_notice("%s\n", extack._msg);
	vgpu_errslot_end(&slot);
	genl_unlock();
	return ret;
}

/*
 * Sysfs writes take the same path as DEV_SET, under genl_lock() like every
 * genetlink op (on a worker: vgpu_sysfs_on_worker()); the extack text goes
 * to the kernel log since a write can return nothing but an errno. Forcing
 * is for netlink only.
 */
static ssize_t vgpu_sysfs_sriov_set(struct vgpu_dev *vdev,
				    struct vgpu_sriov_req *req,
				    size_t count)
{
	struct vgpu_sysfs_sriov_call c = { .vdev = vdev, .req = req };
	ssize_t ret = vgpu_sysfs_on_worker(vgpu_sysfs_sriov_fn, &c);

	return ret ? ret : count;
}

static ssize_t autoprobe_store(struct kobject *kobj,
			       struct kobj_attribute *attr,
			       const char *buf, size_t count)
{
	struct vgpu_dev *vdev = to_vgpu_dev(kobj);
	struct vgpu_sriov_req req = { .numvfs = -1 };
	bool on;

	if (kstrtobool(buf, &on)) {
		pr_notice("%s: autoprobe: expected 0 or 1\n",
			  vgpu_handle(&vdev->pdev->dev).s);
		return -EINVAL;
	}
	req.autoprobe = on;
	return vgpu_sysfs_sriov_set(vdev, &req, count);
}

static ssize_t numvfs_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", pci_num_vf(to_vgpu_dev(kobj)->pdev));
}

static ssize_t numvfs_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	struct vgpu_dev *vdev = to_vgpu_dev(kobj);
	struct vgpu_sriov_req req = { .autoprobe = -1 };
	u16 n;

	if (kstrtou16(buf, 0, &n)) {
		pr_notice("%s: numvfs: expected a VF count\n",
			  vgpu_handle(&vdev->pdev->dev).s);
		return -EINVAL;
	}
	req.numvfs = n;
	return vgpu_sysfs_sriov_set(vdev, &req, count);
}

static struct kobj_attribute vgpu_dev_attr_handle = __ATTR_RO(handle);
static struct kobj_attribute vgpu_dev_attr_iommu_group = __ATTR_RO(iommu_group);
static struct kobj_attribute vgpu_dev_attr_autoprobe = __ATTR_RW(autoprobe);
static struct kobj_attribute vgpu_dev_attr_numvfs = __ATTR_RW(numvfs);
static struct kobj_attribute vgpu_dev_attr_provisioning = __ATTR_RO(provisioning);

static struct attribute *vgpu_dev_attrs[] = {
	&vgpu_dev_attr_handle.attr,
	&vgpu_dev_attr_vendor.attr,
	&vgpu_dev_attr_device.attr,
	&vgpu_dev_attr_subsystem_vendor.attr,
	&vgpu_dev_attr_subsystem_device.attr,
	&vgpu_dev_attr_class.attr,
	&vgpu_dev_attr_driver.attr,
	&vgpu_dev_attr_iommu_group.attr,
	&vgpu_dev_attr_mdev_parent.attr,
	&vgpu_dev_attr_totalvfs.attr,
	&vgpu_dev_attr_numvfs.attr,
	&vgpu_dev_attr_autoprobe.attr,
	&vgpu_dev_attr_provisioning.attr,
	NULL,
};

/* SR-IOV knobs exist only on a physical function, as in PCI sysfs. */
static umode_t vgpu_dev_attr_visible(struct kobject *kobj,
				     struct attribute *attr, int n)
{
	struct vgpu_dev *vdev = to_vgpu_dev(kobj);

	if ((attr == &vgpu_dev_attr_totalvfs.attr ||
	     attr == &vgpu_dev_attr_provisioning.attr ||
	     attr == &vgpu_dev_attr_numvfs.attr ||
	     attr == &vgpu_dev_attr_autoprobe.attr) && !vdev->pdev->is_physfn)
		return 0;
	return attr->mode;
}

static const struct attribute_group vgpu_dev_group = {
	.attrs = vgpu_dev_attrs,
	.is_visible = vgpu_dev_attr_visible,
};
__ATTRIBUTE_GROUPS(vgpu_dev);

static void vgpu_sysfs_dev_release(struct kobject *kobj)
{
	struct vgpu_sysfs_dev *sd = container_of(kobj, struct vgpu_sysfs_dev, kobj);

	vgpu_dev_put(sd->vdev);
	kfree(sd);
}

struct vgpu_sysfs_show_call {
	struct kobject *kobj;
	struct kobj_attribute *attr;
	char *buf;
};

static ssize_t vgpu_sysfs_show_fn(void *arg)
{
	struct vgpu_sysfs_show_call *c = arg;

	return c->attr->show(c->kobj, c->attr, c->buf);
}

/*
 * A device directory's reads show the snapshot, which reads other sysfs
 * files (the PF's sriov_drivers_autoprobe, the provisioning layout's):
 * on a worker, see vgpu_sysfs_on_worker(). Writes hand their work to one
 * themselves (vgpu_sysfs_sriov_set()).
 */
static ssize_t vgpu_sysfs_dev_show(struct kobject *kobj, struct attribute *attr,
				   char *buf)
{
	struct vgpu_sysfs_show_call c = {
		.kobj = kobj,
		.attr = container_of(attr, struct kobj_attribute, attr),
		.buf = buf,
	};

	return vgpu_sysfs_on_worker(vgpu_sysfs_show_fn, &c);
}

static ssize_t vgpu_sysfs_dev_store(struct kobject *kobj,
				    struct attribute *attr,
				    const char *buf, size_t count)
{
	return kobj_sysfs_ops.store(kobj, attr, buf, count);
}

static const struct sysfs_ops vgpu_sysfs_dev_ops = {
	.show = vgpu_sysfs_dev_show,
	.store = vgpu_sysfs_dev_store,
};

static const struct kobj_type vgpu_sysfs_dev_ktype = {
	.release = vgpu_sysfs_dev_release,
	.sysfs_ops = &vgpu_sysfs_dev_ops,
	.default_groups = vgpu_dev_groups,
};

static void vgpu_sysfs_dev_add(struct vgpu_dev *vdev)
{
	struct vgpu_sysfs_dev *sd;
	int ret;

	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd) {
		pci_err(vdev->pdev, "vgpu_nl: out of memory, no sysfs directory\n");
		return;
	}
	kobject_init(&sd->kobj, &vgpu_sysfs_dev_ktype);
	sd->vdev = vgpu_dev_get(vdev);
	ret = kobject_add(&sd->kobj, vgpu_root, "%s", pci_name(vdev->pdev));
	if (ret) {
		pci_err(vdev->pdev, "vgpu_nl: sysfs directory failed: %d\n", ret);
		kobject_put(&sd->kobj);
		return;
	}
	/* A link to the PCI function ("device" is its id, as in PCI sysfs). */
	ret = sysfs_create_link(&sd->kobj, &vdev->pdev->dev.kobj, "pci_device");
	if (ret) {
		kobject_del(&sd->kobj);
		kobject_put(&sd->kobj);
		return;
	}
	kobject_uevent(&sd->kobj, KOBJ_ADD);
	list_add_tail(&sd->node, &vgpu_sysfs_devs);
}

static void vgpu_sysfs_dev_del(struct vgpu_sysfs_dev *sd)
{
	list_del(&sd->node);
	sysfs_remove_link(&sd->kobj, "pci_device");
	kobject_del(&sd->kobj);
	kobject_put(&sd->kobj);
}

static struct vgpu_sysfs_dev *vgpu_sysfs_find(const char *name)
{
	struct vgpu_sysfs_dev *sd;

	list_for_each_entry(sd, &vgpu_sysfs_devs, node)
		if (!strcmp(kobject_name(&sd->kobj), name))
			return sd;
	return NULL;
}

/*
 * Makes the directories match the registry. Queued by every DEV_ADD and
 * DEV_DEL, each of which comes after its change, so whatever happens while
 * this runs, another run follows and sees it.
 */
static void vgpu_sysfs_sync(struct work_struct *work)
{
	struct vgpu_sysfs_dev *sd, *tmp;
	struct vgpu_dev *vdev;
	unsigned long idx = 0;
	unsigned int gen;

	/* Devices that went away first: one may be back under the same name. */
	list_for_each_entry_safe(sd, tmp, &vgpu_sysfs_devs, node)
		if (!vgpu_dev_registered(sd->vdev))
			vgpu_sysfs_dev_del(sd);
	while ((vdev = vgpu_dev_get_nth(idx++, &gen))) {
		/*
		 * A directory of that name is this device's, or one whose
		 * device went away since the loop above, which queued another
		 * run to replace it.
		 */
		if (!vgpu_sysfs_find(pci_name(vdev->pdev)))
			vgpu_sysfs_dev_add(vdev);
		vgpu_dev_put(vdev);
	}
}

static DECLARE_WORK(vgpu_sysfs_sync_work, vgpu_sysfs_sync);

static int vgpu_sysfs_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	if (action == VGPU_EVENT_DEV_ADD || action == VGPU_EVENT_DEV_DEL)
		queue_work(vgpu_sysfs_wq, &vgpu_sysfs_sync_work);
	return NOTIFY_DONE;
}

static struct notifier_block vgpu_sysfs_nb = {
	.notifier_call = vgpu_sysfs_notify,
};

int vgpu_sysfs_init(void)
{
	int ret;

	vgpu_sysfs_wq = alloc_ordered_workqueue("vgpu_nl_sysfs", 0);
	if (!vgpu_sysfs_wq)
		return -ENOMEM;
	ret = -ENOMEM;
	/* Not the ordered one: a sync may wait for a handler waiting for this. */
	vgpu_sysfs_call_wq = alloc_workqueue("vgpu_nl_knob", WQ_UNBOUND, 0);
	if (!vgpu_sysfs_call_wq)
		goto err_wq;
	vgpu_root = kobject_create_and_add("vgpu_nl", kernel_kobj);
	if (!vgpu_root)
		goto err_call_wq;
	ret = sysfs_create_group(vgpu_root, &vgpu_root_group);
	if (ret)
		goto err_root;
	ret = vgpu_event_register(&vgpu_sysfs_nb);
	if (ret)
		goto err_group;
	return 0;

err_group:
	sysfs_remove_group(vgpu_root, &vgpu_root_group);
err_root:
	kobject_put(vgpu_root);
err_call_wq:
	destroy_workqueue(vgpu_sysfs_call_wq);
err_wq:
	destroy_workqueue(vgpu_sysfs_wq);
	return ret;
}

/* After the registry has let go of every device (vgpu_registry_stop()). */
void vgpu_sysfs_exit(void)
{
	struct vgpu_sysfs_dev *sd, *tmp;

	vgpu_event_unregister(&vgpu_sysfs_nb);
	destroy_workqueue(vgpu_sysfs_wq);	/* runs a pending sync */
	list_for_each_entry_safe(sd, tmp, &vgpu_sysfs_devs, node)
		vgpu_sysfs_dev_del(sd);
	sysfs_remove_group(vgpu_root, &vgpu_root_group);
	kobject_put(vgpu_root);
	/* No handler is left (kobject_del() drained them): their workers return. */
	destroy_workqueue(vgpu_sysfs_call_wq);
}
