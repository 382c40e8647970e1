// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vgpu_nl: version, api_version and one directory per managed
 * device, for shell users and persistence tools (sysfsutils, tmpfiles).
 * Reads show the same snapshot as DEV_GET; writes go through the same core
 * calls as genetlink, under genl_lock() so both paths are serialised alike.
 * A write that is refused logs the reason the extended ack would carry.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <net/genetlink.h>

#include "vgpu_compat.h"
#include "vgpu_dev.h"
#include "vgpu_handle.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"
#include "vgpu_sriov.h"
#include "vgpu_sysfs.h"

static struct kobject *vgpu_root;

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
	return container_of(kobj, struct vgpu_dev, kobj);
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
 * Sysfs writes take the same path as DEV_SET, under genl_lock() like every
 * genetlink op; the extack text goes to the kernel log since a write can
 * return nothing but an errno. Forcing is for netlink only.
 */
static ssize_t vgpu_sysfs_sriov_set(struct vgpu_dev *vdev,
				    const struct vgpu_sriov_req *req,
				    size_t count)
{
	struct netlink_ext_ack extack = {};
	struct vgpu_errslot slot;
	int ret;

	genl_lock();
	vgpu_errslot_begin(&slot, &extack);
	ret = vgpu_sriov_set(vdev, req, &extack);
	if (ret && extack._msg)
		pr_notice("%s\n", extack._msg);
	vgpu_errslot_end(&slot);
	genl_unlock();
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

static void vgpu_dev_release(struct kobject *kobj)
{
	struct vgpu_dev *vdev = to_vgpu_dev(kobj);

	pci_dev_put(vdev->pdev);
	kfree(vdev);
}

const struct kobj_type vgpu_dev_ktype = {
	.release = vgpu_dev_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = vgpu_dev_groups,
};

int vgpu_sysfs_dev_add(struct vgpu_dev *vdev)
{
	int ret;

	ret = kobject_add(&vdev->kobj, vgpu_root, "%s", pci_name(vdev->pdev));
	if (ret) {
		pci_err(vdev->pdev, "vgpu_nl: sysfs directory failed: %d\n", ret);
		return ret;
	}
	/* A link to the PCI function ("device" is its id, as in PCI sysfs). */
	ret = sysfs_create_link(&vdev->kobj, &vdev->pdev->dev.kobj, "pci_device");
	if (ret) {
		kobject_del(&vdev->kobj);
		return ret;
	}
	kobject_uevent(&vdev->kobj, KOBJ_ADD);
	return 0;
}

void vgpu_sysfs_dev_del(struct vgpu_dev *vdev)
{
	sysfs_remove_link(&vdev->kobj, "pci_device");
	kobject_del(&vdev->kobj);
}

int vgpu_sysfs_init(void)
{
	int ret;

	vgpu_root = kobject_create_and_add("vgpu_nl", kernel_kobj);
	if (!vgpu_root)
		return -ENOMEM;
	ret = sysfs_create_group(vgpu_root, &vgpu_root_group);
	if (ret)
		kobject_put(vgpu_root);
	return ret;
}

void vgpu_sysfs_exit(void)
{
	sysfs_remove_group(vgpu_root, &vgpu_root_group);
	kobject_put(vgpu_root);
}
