// SPDX-License-Identifier: GPL-2.0
/*
 * Mediated devices (GVT-g vGPUs): the host's mdevs, their creation and
 * removal, and the mdev types of a parent.
 *
 * mdev_device_create() and mdev_device_remove() are not exported: the only
 * safe route is the stable sysfs ABI (mdev_supported_types/<type>/create
 * of the parent, remove of the mdev: /sys/bus/mdev/devices/<uuid>/remove),
 * written through the VFS (vgpu_vfs.c), which keeps kernfs' active
 * references like a shell write. The files are opened by the devices' own
 * paths under /sys/devices (vgpu_vfs_sys_path()).
 *
 * mdev_bus_type is not exported either. vgpu_nl registers an mdev driver
 * that never binds - the mdev bus matches no driver by itself, parents
 * attach their own explicitly - and so learns the bus; a notifier on it
 * sees every mdev created or removed, by anybody (mdevctl, libvirt, a shell
 * write). From those notifications vgpu_nl keeps a snapshot of each mdev
 * (UUID, parent, type), so listing never dereferences an mdev's type,
 * which its parent frees when it unregisters.
 *
 * Removal can block for as long as a VM keeps the mdev's VFIO files open
 * (it waits until it can hold the mdev's VFIO group, see
 * VGPU_MDEV_GROUP_RETRY_MS, and the vendor driver's remove waits for the
 * device, with the mdev's device lock held). It therefore runs on a work
 * item; the request waits at most
 * VGPU_MDEV_REMOVE_WAIT and, if the removal is still blocked, answers
 * -EBUSY while the removal stays queued and completes - with an mdev-del
 * event - when the VM lets go. Nothing here takes an mdev's device lock
 * after that, so listing keeps working while a removal waits.
 *
 * Which mdevs vgpu_nl created is known only while it stays loaded.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/hashtable.h>
#include <linux/iommu.h>
#include <linux/jhash.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uuid.h>

#include "vgpu_compat.h"
#include "vgpu_event.h"
#include "vgpu_handle.h"
#include "vgpu_holders.h"
#include "vgpu_mdev.h"
#include "vgpu_nl.h"
#include "vgpu_vfs.h"

struct vgpu_mdev {
	struct list_head node;		/* vgpu_mdev_list, in creation order */
	struct hlist_node hnode;	/* vgpu_mdev_hash, by UUID */
	struct device *dev;		/* get_device() reference */
	struct vgpu_mdev_info snap;	/* uuid, parent, type, owned, removing */
	guid_t uuid;
};

static LIST_HEAD(vgpu_mdev_list);
static DEFINE_HASHTABLE(vgpu_mdev_hash, 8);
/* The list, the hash and each entry's flags; a leaf lock. */
static DEFINE_MUTEX(vgpu_mdev_lock);
static unsigned int vgpu_mdev_gen = 1;
/* The UUID being created through vgpu_nl (creates are under genl_mutex). */
static guid_t vgpu_mdev_creating;
/*
 * Removals (vgpu_mdev_remove()). Per-CPU: the work runs where its
 * requester then sleeps, a hand-over on one CPU rather than the wake-up of
 * a worker on another; a work item that waits for a VM sleeps, and the
 * pool runs the next one meanwhile.
 */
static struct workqueue_struct *vgpu_mdev_wq;

static int vgpu_mdev_watch_probe(struct mdev_device *mdev)
{
	return -ENODEV;
}

static struct mdev_driver vgpu_mdev_watch = {
	/* Required by mdev_register_driver(); only parents' drivers use it. */
	.device_api = "none",
	.driver = {
		.name = "vgpu_nl_watch",
		.owner = THIS_MODULE,
		.suppress_bind_attrs = true,
	},
	.probe = vgpu_mdev_watch_probe,
};

static u32 vgpu_mdev_hashkey(const guid_t *uuid)
{
	return jhash(uuid, sizeof(*uuid), 0);
}

static struct vgpu_mdev *vgpu_mdev_find_locked(const guid_t *uuid)
{
	struct vgpu_mdev *m;

	lockdep_assert_held(&vgpu_mdev_lock);
	hash_for_each_possible(vgpu_mdev_hash, m, hnode, vgpu_mdev_hashkey(uuid))
		if (guid_equal(&m->uuid, uuid))
			return m;
	return NULL;
}

/* Called for each new mdev, from the notifier or the initial scan. */
static void vgpu_mdev_added(struct device *dev)
{
	struct mdev_device *mdev = to_mdev_device(dev);
	struct device *parent = mdev->type->parent->dev;
	struct vgpu_mdev *m;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		dev_err(dev, "vgpu_nl: out of memory, mdev not tracked\n");
		return;
	}
	m->dev = get_device(dev);
	guid_copy(&m->uuid, &mdev->uuid);
	snprintf(m->snap.uuid, sizeof(m->snap.uuid), "%pUl", &mdev->uuid);
	m->snap.parent = vgpu_handle(parent);
	snprintf(m->snap.type, sizeof(m->snap.type), "%s-%s",
		 dev_driver_string(parent), mdev->type->sysfs_name);
	m->snap.in_use = -1;

	mutex_lock(&vgpu_mdev_lock);
	if (vgpu_mdev_find_locked(&m->uuid)) {
		mutex_unlock(&vgpu_mdev_lock);
		put_device(m->dev);
		kfree(m);
		return;
	}
	m->snap.owned = guid_equal(&m->uuid, &vgpu_mdev_creating);
	list_add_tail(&m->node, &vgpu_mdev_list);
	hash_add(vgpu_mdev_hash, &m->hnode, vgpu_mdev_hashkey(&m->uuid));
	vgpu_mdev_gen++;
	mutex_unlock(&vgpu_mdev_lock);

	vgpu_event_mdev(VGPU_EVENT_MDEV_ADD, &m->snap);
}

static void vgpu_mdev_removed(struct device *dev)
{
	struct mdev_device *mdev = to_mdev_device(dev);
	struct vgpu_mdev *m;

	mutex_lock(&vgpu_mdev_lock);
	m = vgpu_mdev_find_locked(&mdev->uuid);
	if (m) {
		list_del(&m->node);
		hash_del(&m->hnode);
		vgpu_mdev_gen++;
	}
	mutex_unlock(&vgpu_mdev_lock);
	if (!m)
		return;

	vgpu_event_mdev(VGPU_EVENT_MDEV_DEL, &m->snap);
	put_device(m->dev);
	kfree(m);
}

/*
 * The driver name is cached from the (UN)BOUND notifications, which the
 * driver core sends under the mdev's device lock: reading it later must not
 * take that lock, which a removal blocked on a VM holds for as long.
 */
static void vgpu_mdev_driver(struct device *dev, const char *name)
{
	struct vgpu_mdev *m;

	mutex_lock(&vgpu_mdev_lock);
	m = vgpu_mdev_find_locked(&to_mdev_device(dev)->uuid);
	if (m)
		strscpy(m->snap.driver, name, sizeof(m->snap.driver));
	mutex_unlock(&vgpu_mdev_lock);
}

static int vgpu_mdev_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct device *dev = data;

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		vgpu_mdev_added(dev);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
		vgpu_mdev_driver(dev, dev->driver->name);
		break;
	case BUS_NOTIFY_UNBOUND_DRIVER:
		vgpu_mdev_driver(dev, "");
		break;
	/*
	 * Not DEL_DEVICE: that comes before the vendor driver's remove, which
	 * waits for a VM holding the mdev; the mdev is gone only after it.
	 */
	case BUS_NOTIFY_REMOVED_DEVICE:
		vgpu_mdev_removed(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vgpu_mdev_nb = {
	.notifier_call = vgpu_mdev_notify,
};

static int vgpu_mdev_scan_one(struct device *dev, void *data)
{
	vgpu_mdev_added(dev);
	device_lock(dev);
	if (dev->driver)
		vgpu_mdev_driver(dev, dev->driver->name);
	device_unlock(dev);
	return 0;
}

/*
 * An mdev parent (e.g. i915 with GVT-g enabled) has registered types, which
 * the mdev core shows as the mdev_supported_types directory of the parent.
 * A path lookup, not kernfs_find_and_get() on the device's kobj.sd: a PF
 * being removed (its "remove" file, hot-unplug) has its sysfs directory
 * taken away and kobj.sd cleared while the registry still holds the
 * pci_dev; a lookup then simply finds nothing (stress on 6.12: a NULL
 * dereference here during a remove and rescan of the PF).
 */
bool vgpu_mdev_is_parent(struct pci_dev *pdev)
{
	return vgpu_vfs_dev_has(pdev, "mdev_supported_types");
}

/* Bumped whenever an mdev comes or goes: for dumps' consistency checks. */
unsigned int vgpu_mdev_generation(void)
{
	unsigned int gen;

	mutex_lock(&vgpu_mdev_lock);
	gen = vgpu_mdev_gen;
	mutex_unlock(&vgpu_mdev_lock);
	return gen;
}

/*
 * Calls @fn for each mdev (of @parent if not NULL) from index @idx on, with
 * a snapshot including the live IOMMU group, until @fn returns non-zero.
 * Returns the index of the first mdev @fn did not accept; one walk per
 * call keeps a dump of thousands of mdevs linear per skb.
 */
unsigned long vgpu_mdev_for_each(unsigned long idx, const char *parent,
				 int (*fn)(void *data, const struct vgpu_mdev_info *info),
				 void *data, unsigned int *gen)
{
	unsigned long i = 0;
	struct vgpu_mdev *m;

	mutex_lock(&vgpu_mdev_lock);
	*gen = vgpu_mdev_gen;
	list_for_each_entry(m, &vgpu_mdev_list, node) {
		if (parent && strcmp(m->snap.parent.s, parent))
			continue;
		if (i++ < idx)
			continue;
		m->snap.iommu_group = vgpu_iommu_group_id(m->dev);
		if (fn(data, &m->snap))
			break;
		idx++;
	}
	mutex_unlock(&vgpu_mdev_lock);
	return idx;
}

/*
 * One mdev, and with @holders whether a process holds its VFIO files
 * (in_use; -1 without): asked for one mdev at a time, outside
 * vgpu_mdev_lock (a leaf lock; the question reads sysfs and walks every
 * task), with the device referenced. MDEV_ADD's reply does not ask: an
 * mdev just made has nobody to hold it worth the walk.
 */
int vgpu_mdev_get(const guid_t *uuid, struct vgpu_mdev_info *info,
		  bool holders, struct netlink_ext_ack *extack)
{
	struct device *dev = NULL;
	struct vgpu_mdev *m;

	mutex_lock(&vgpu_mdev_lock);
	m = vgpu_mdev_find_locked(uuid);
	if (m) {
		m->snap.iommu_group = vgpu_iommu_group_id(m->dev);
		*info = m->snap;
		dev = get_device(m->dev);
	}
	mutex_unlock(&vgpu_mdev_lock);
	if (!dev) {
		VGPU_ERR_FMT(extack, "no mdev %pUl", uuid);
		return -ENODEV;
	}
	if (holders)
		info->in_use = vgpu_holders_any(dev, info->iommu_group);
	put_device(dev);
	return 0;
}

/* A type name is one directory entry: refuse anything that walks paths. */
static bool vgpu_mdev_type_name_ok(const char *type)
{
	return type[0] && !strchr(type, '/') && strcmp(type, ".") &&
	       strcmp(type, "..");
}

static char *vgpu_mdev_type_path(struct pci_dev *pdev, const char *type,
				 const char *file)
{
	return vgpu_vfs_sys_path(&pdev->dev, "mdev_supported_types/%s/%s",
				 type, file);
}

static int vgpu_mdev_type_read(struct pci_dev *pdev, const char *type,
			       const char *file, char *buf, size_t len)
{
	char *path = vgpu_mdev_type_path(pdev, type, file);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = vgpu_vfs_read(path, buf, len);
	kfree(path);
	return ret;
}

/* i915's description: drivers/gpu/drm/i915/gvt (intel_vgpu_show_description) */
static void vgpu_mdev_parse_gvt(struct vgpu_type_info *info)
{
	info->gvt = sscanf(info->description,
			   "low_gm_size: %uMB high_gm_size: %uMB fence: %u resolution: %15s weight: %u",
			   &info->low_gm_mb, &info->high_gm_mb, &info->fence,
			   info->resolution, &info->weight) == 5;
}

/*
 * How many more mdevs of @type fit on @pdev: the one file MDEV_ADD reads
 * before it creates (TYPE_GET reads the others too). -ENOENT, with the
 * reason in @extack, when @pdev has no such type.
 */
static int vgpu_mdev_type_available(struct pci_dev *pdev, const char *type,
				    u32 *available,
				    struct netlink_ext_ack *extack)
{
	char buf[16];
	int ret;

	if (!vgpu_mdev_type_name_ok(type))
		ret = -ENOENT;
	else
		ret = vgpu_mdev_type_read(pdev, type, "available_instances",
					  buf, sizeof(buf));
	if (ret) {
		VGPU_ERR_FMT(extack, "%s has no mdev type \"%.24s\" (see type show)",
			     vgpu_handle(&pdev->dev).s, type);
		return ret == -ENOENT ? -ENOENT : ret;
	}
	return kstrtou32(buf, 10, available) ? -EIO : 0;
}

int vgpu_mdev_type_get(struct pci_dev *pdev, const char *type,
		       struct vgpu_type_info *info,
		       struct netlink_ext_ack *extack)
{
	int ret;

	memset(info, 0, sizeof(*info));
	ret = vgpu_mdev_type_available(pdev, type, &info->available, extack);
	if (ret)
		return ret;
	strscpy(info->name, type, sizeof(info->name));
	vgpu_mdev_type_read(pdev, type, "name", info->pretty_name,
			    sizeof(info->pretty_name));
	vgpu_mdev_type_read(pdev, type, "device_api", info->device_api,
			    sizeof(info->device_api));
	vgpu_mdev_type_read(pdev, type, "description", info->description,
			    sizeof(info->description));
	vgpu_mdev_parse_gvt(info);
	return 0;
}

struct vgpu_type_list {
	char (*names)[VGPU_TYPE_NAME_MAX];
	int n, max;
};

static int vgpu_mdev_type_collect(void *data, const char *name)
{
	struct vgpu_type_list *l = data;

	if (l->names && l->n < l->max)
		strscpy(l->names[l->n], name, VGPU_TYPE_NAME_MAX);
	l->n++;
	return 0;
}

static int vgpu_mdev_type_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * Fills @names with up to @max type names of @pdev (NULL: just count), in
 * name order, and returns how many there are, or a negative error if it is
 * no mdev parent.
 */
int vgpu_mdev_type_list(struct pci_dev *pdev,
			char (*names)[VGPU_TYPE_NAME_MAX], int max)
{
	struct vgpu_type_list l = { .names = names, .max = max };
	char *path;
	int ret;

	path = vgpu_vfs_sys_path(&pdev->dev, "mdev_supported_types");
	if (!path)
		return -ENOMEM;
	ret = vgpu_vfs_list_dir(path, vgpu_mdev_type_collect, &l);
	kfree(path);
	if (ret)
		return ret;
	if (names)
		sort(names, min(l.n, max), VGPU_TYPE_NAME_MAX,
		     vgpu_mdev_type_cmp, NULL);
	return l.n;
}

/*
 * Why the write of @type's create file on @pdev failed with @err, in
 * @extack: no mdev parent, no such type, no instances left (read after
 * the fact: the write's own errno depends on the vendor driver), or the
 * driver's own error.
 */
static int vgpu_mdev_create_failed(struct pci_dev *pdev, const char *type,
				   int err, struct netlink_ext_ack *extack)
{
	u32 available;
	int ret;

	if (!vgpu_mdev_is_parent(pdev)) {
		VGPU_ERR_FMT(extack, "%s is no mdev parent (GVT-g: i915.enable_gvt=1, kvmgt)",
			     vgpu_handle(&pdev->dev).s);
		return -EOPNOTSUPP;
	}
	ret = vgpu_mdev_type_available(pdev, type, &available, extack);
	if (ret)
		return ret;
	if (!available) {
		VGPU_ERR_FMT(extack, "no %.24s instances left on %s",
			     type, vgpu_handle(&pdev->dev).s);
		return -ENOSPC;
	}
	VGPU_ERR_FMT(extack, "driver failed to create %.24s on %s (%d)",
		     type, vgpu_handle(&pdev->dev).s, err);
	return err;
}

/*
 * Creates an mdev of @type on @pdev, with UUID @uuid if @have_uuid or a
 * new one, which is returned in @uuid.
 *
 * What one creation costs: a lookup of the UUID and the write of the
 * type's create file - the mdev core's create, the vendor driver's probe
 * and its VFIO device, which is what a shell's "echo UUID > create" costs.
 * Only a creation that failed is looked into, to say why
 * (vgpu_mdev_create_failed()). The mdev-add event is built only when the
 * monitor group has a listener (vgpu_genl_event.c).
 */
int vgpu_mdev_create(struct pci_dev *pdev, const char *type, guid_t *uuid,
		     bool have_uuid, struct netlink_ext_ack *extack)
{
	char *path, str[VGPU_UUID_LEN + 1];
	struct vgpu_mdev *m;
	int ret;

	/* A type name is one directory entry, before it goes into a path. */
	if (!vgpu_mdev_type_name_ok(type))
		return vgpu_mdev_create_failed(pdev, type, -ENOENT, extack);
	if (!have_uuid)
		guid_gen(uuid);
	mutex_lock(&vgpu_mdev_lock);
	m = vgpu_mdev_find_locked(uuid);
	if (!m)
		guid_copy(&vgpu_mdev_creating, uuid);
	mutex_unlock(&vgpu_mdev_lock);
	if (m) {
		VGPU_ERR_FMT(extack, "UUID %pUl is already in use", uuid);
		return -EEXIST;
	}

	snprintf(str, sizeof(str), "%pUl", uuid);
	path = vgpu_mdev_type_path(pdev, type, "create");
	ret = path ? vgpu_vfs_write(path, str) : -ENOMEM;

	mutex_lock(&vgpu_mdev_lock);
	guid_copy(&vgpu_mdev_creating, &guid_null);
	mutex_unlock(&vgpu_mdev_lock);
	/* Every error of the write, -ENOMEM from the driver too. */
	if (ret && path)
		ret = vgpu_mdev_create_failed(pdev, type, ret, extack);
	kfree(path);
	return ret;
}

/*
 * How long MDEV_DEL waits, under genl_mutex, for the removal to finish
 * before answering that it completes once the VM lets go. An unused mdev
 * goes in milliseconds.
 *
 * What one removal costs: a lookup of the UUID, the opens of the mdev's
 * remove file and VFIO group (here, in the requester's context; with
 * VGPU_A_MDEV_IF_UNUSED, a group held so needs no further look but for a
 * cdev: vgpu_mdev_remove()), a work
 * item that writes the first - the vendor driver's remove, the VFIO
 * device's unregistration, the mdev core's removal, which is what a
 * shell's "echo 1 > remove" costs - and lets the group go, and one
 * wake-up of the request when it is done. The work item is the
 * price of never holding genl_mutex for as long as a VM keeps the mdev
 * open: the kernel cannot tell beforehand (vgpu_nl.h, MDEV_DEL).
 */
#define VGPU_MDEV_REMOVE_WAIT	HZ

/*
 * A removal holds the mdev's VFIO group open while it removes the mdev.
 *
 * Removing the last device of a VFIO group detaches the group from its
 * container if a process still has the group open with a container set
 * (vfio_device_remove_group()). On 6.1 (not on 6.12) the release of a
 * container file reads the container's IOMMU driver and that driver's data
 * without the container's lock (vfio_fops_release(), for its notify op),
 * so a removal that goes on while a VM's files are still closing - the VM
 * let go of the device, its group and container files not yet released -
 * can have the release call the type1 driver with its data already NULL:
 * the NULL dereference in vfio_iommu_type1_notify() that 30-mdev hit on
 * 6.1 (a removal waiting for a holder that was killed).
 *
 * So the removal first opens the group itself, as a VM would. The open is
 * exclusive: it succeeds only once every process has released the group,
 * whose release detaches the container under the group's lock, and while
 * the removal holds it no VM can attach a container again. With the group
 * held, the removal has no container to detach. A group another process
 * holds (-EBUSY) is opened again from the work item, less and less often,
 * until it is let go; one that cannot be opened here (no /dev/vfio in the
 * requester's mount namespace, a group going away) is not held, and the
 * removal goes on as a shell's write would.
 */
#define VGPU_MDEV_GROUP_RETRY_MS	10
#define VGPU_MDEV_GROUP_RETRY_MAX_MS	1000

struct vgpu_mdev_removal {
	struct work_struct work;
	struct completion done;
	refcount_t ref;
	struct file *remove;	/* the mdev's sysfs remove file */
	struct file *group;	/* /dev/vfio/<group>, held; or NULL */
	struct path root;	/* the requester's, while the group is busy */
	bool group_busy;
	char group_path[24];
	int ret;
};

static void vgpu_mdev_removal_put(struct vgpu_mdev_removal *r)
{
	if (refcount_dec_and_test(&r->ref)) {
		vgpu_vfs_close(r->remove);
		kfree(r);
	}
}

/*
 * In the requester: holds the mdev's VFIO group @group if it can be opened,
 * or notes that another process holds it (see VGPU_MDEV_GROUP_RETRY_MS).
 */
static void vgpu_mdev_group_take(struct vgpu_mdev_removal *r, int group)
{
	struct file *filp;

	if (group < 0)
		return;
	snprintf(r->group_path, sizeof(r->group_path), "/dev/vfio/%d", group);
	filp = vgpu_vfs_open_rw(NULL, r->group_path);
	if (!IS_ERR(filp)) {
		r->group = filp;
	} else if (PTR_ERR(filp) == -EBUSY) {
		vgpu_vfs_root_get(&r->root);
		r->group_busy = true;
	}
}

/* In the work item: waits until the busy group is let go, and holds it. */
static void vgpu_mdev_group_wait(struct vgpu_mdev_removal *r)
{
	unsigned int ms = VGPU_MDEV_GROUP_RETRY_MS;
	struct file *filp;

	for (;;) {
		filp = vgpu_vfs_open_rw(&r->root, r->group_path);
		if (!IS_ERR(filp))
			r->group = filp;
		if (PTR_ERR_OR_ZERO(filp) != -EBUSY)
			break;
		msleep(ms);
		ms = min_t(unsigned int, 2 * ms, VGPU_MDEV_GROUP_RETRY_MAX_MS);
	}
	vgpu_vfs_root_put(&r->root);
	r->group_busy = false;
}

static void vgpu_mdev_remove_work(struct work_struct *work)
{
	struct vgpu_mdev_removal *r = container_of(work, struct vgpu_mdev_removal, work);

	if (r->group_busy)
		vgpu_mdev_group_wait(r);
	r->ret = vgpu_vfs_write_file(r->remove, "1");
	if (r->group) {
		vgpu_vfs_close(r->group);
		r->group = NULL;
	}
	complete(&r->done);
	vgpu_mdev_removal_put(r);
}

/*
 * MDEV_DEL's VGPU_A_MDEV_IF_UNUSED: -EBUSY, with the flag at fault, unless
 * no process holds @dev's VFIO files (vgpu_holders_any(), as MDEV_GET's
 * in_use): its VFIO group @group (-1: none to look for), its cdev, or a
 * device file.
 */
static int vgpu_mdev_unused(struct device *dev, int group, const guid_t *uuid,
			    const struct nlattr *if_unused,
			    struct netlink_ext_ack *extack)
{
	int in_use = vgpu_holders_any(dev, group);

	if (in_use)
		NL_SET_BAD_ATTR(extack, if_unused);
	if (in_use > 0)
		VGPU_ERR_FMT(extack, "mdev %pUl is in use (its VFIO files are open)",
			     uuid);
	else if (in_use < 0)
		VGPU_ERR_FMT(extack, "mdev %pUl: cannot tell if it is in use (%d)",
			     uuid, in_use);
	return in_use ? -EBUSY : 0;
}

/* A removal refused before it was queued lets go of what it took. */
static void vgpu_mdev_removal_drop(struct vgpu_mdev_removal *r)
{
	if (r->group)
		vgpu_vfs_close(r->group);
	if (r->group_busy)
		vgpu_vfs_root_put(&r->root);
	vgpu_vfs_close(r->remove);
	kfree(r);
}

/*
 * Removes mdev @uuid: one vgpu_nl created, or any if @force. With
 * @if_unused (MDEV_DEL's VGPU_A_MDEV_IF_UNUSED), refuses an mdev in use
 * first, whatever else would refuse it.
 */
int vgpu_mdev_remove(const guid_t *uuid, bool force,
		     const struct nlattr *if_unused,
		     struct netlink_ext_ack *extack)
{
	struct vgpu_mdev_removal *r;
	struct device *dev = NULL;
	bool owned, removing;
	struct vgpu_mdev *m;
	int ret, group;
	char *path;

	mutex_lock(&vgpu_mdev_lock);
	m = vgpu_mdev_find_locked(uuid);
	owned = m && m->snap.owned;
	removing = m && m->snap.removing;
	group = m ? vgpu_iommu_group_id(m->dev) : -1;
	if (m)
		dev = get_device(m->dev);
	mutex_unlock(&vgpu_mdev_lock);
	if (!dev) {
		VGPU_ERR_FMT(extack, "no mdev %pUl", uuid);
		return -ENODEV;
	}
	/*
	 * Refused below: asked first, so that an mdev in use is refused as
	 * such whoever made it and whatever else holds it up.
	 */
	if (if_unused && (removing || (!owned && !force))) {
		ret = vgpu_mdev_unused(dev, group, uuid, if_unused, extack);
		if (ret)
			goto out;
	}
	ret = -EBUSY;
	if (removing) {
		VGPU_ERR_FMT(extack, "mdev %pUl: removal already queued",
			     uuid);
		goto out;
	}
	ret = -EPERM;
	if (!owned && !force) {
		VGPU_ERR_FMT(extack, "mdev %pUl not created by vgpu-nl; use force",
			     uuid);
		goto out;
	}

	ret = -ENOMEM;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		goto out;
	/* Opened here, in the requester's mount namespace (vgpu_vfs.c). */
	path = vgpu_vfs_sys_path(dev, "remove");
	r->remove = path ? vgpu_vfs_open_write(path) : ERR_PTR(-ENOMEM);
	kfree(path);
	if (IS_ERR(r->remove)) {
		ret = PTR_ERR(r->remove);
		kfree(r);
		VGPU_ERR_FMT(extack, "mdev %pUl: cannot open its remove file (%d)",
			     uuid, ret);
		goto out;
	}
	vgpu_mdev_group_take(r, group);
	/*
	 * The group open is exclusive: a group held here has no other file
	 * open, and what is left to look for is the cdev (and a device file
	 * opened through it, which VFIO counts), found without reading the
	 * group's device number from sysfs (a VFS path walk, the dearest
	 * part of the question). A group that could not be opened is asked
	 * about the long way, as MDEV_GET does: one another process holds,
	 * or whose device file is open, is in use; one the caller holds is
	 * passed over as before (its removal then waits for it).
	 */
	if (if_unused) {
		ret = vgpu_mdev_unused(dev, r->group ? -1 : group, uuid,
				       if_unused, extack);
		if (ret) {
			vgpu_mdev_removal_drop(r);
			goto out;
		}
	}
	INIT_WORK(&r->work, vgpu_mdev_remove_work);
	init_completion(&r->done);
	refcount_set(&r->ref, 2);
	queue_work(vgpu_mdev_wq, &r->work);

	if (wait_for_completion_timeout(&r->done, VGPU_MDEV_REMOVE_WAIT)) {
		ret = r->ret;
		if (ret)
			VGPU_ERR_FMT(extack, "removing mdev %pUl failed (%d)", uuid, ret);
	} else {
		mutex_lock(&vgpu_mdev_lock);
		m = vgpu_mdev_find_locked(uuid);
		if (m)
			m->snap.removing = true;
		mutex_unlock(&vgpu_mdev_lock);
		VGPU_ERR_FMT(extack, "mdev %pUl is open: removed once closed",
			     uuid);
		ret = -EBUSY;
	}
	vgpu_mdev_removal_put(r);
out:
	put_device(dev);
	return ret;
}

int vgpu_mdev_init(void)
{
	int ret;

	vgpu_mdev_wq = alloc_workqueue("vgpu_nl_mdev", WQ_PERCPU, 0);
	if (!vgpu_mdev_wq)
		return -ENOMEM;
	ret = mdev_register_driver(&vgpu_mdev_watch);
	if (ret) {
		pr_err("cannot register with the mdev core: %d\n", ret);
		goto err_wq;
	}
	ret = bus_register_notifier(vgpu_mdev_watch.driver.bus, &vgpu_mdev_nb);
	if (ret) {
		pr_err("cannot watch the mdev bus: %d\n", ret);
		goto err_driver;
	}
	bus_for_each_dev(vgpu_mdev_watch.driver.bus, NULL, NULL,
			 vgpu_mdev_scan_one);
	return 0;

err_driver:
	mdev_unregister_driver(&vgpu_mdev_watch);
err_wq:
	destroy_workqueue(vgpu_mdev_wq);
	return ret;
}

void vgpu_mdev_exit(void)
{
	struct vgpu_mdev *m, *tmp;

	bus_unregister_notifier(vgpu_mdev_watch.driver.bus, &vgpu_mdev_nb);
	/* Waits for queued removals: a VM holding an mdev delays unloading. */
	destroy_workqueue(vgpu_mdev_wq);
	list_for_each_entry_safe(m, tmp, &vgpu_mdev_list, node) {
		list_del(&m->node);
		hash_del(&m->hnode);
		put_device(m->dev);
		kfree(m);
	}
	mdev_unregister_driver(&vgpu_mdev_watch);
}
