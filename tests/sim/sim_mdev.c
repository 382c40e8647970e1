// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_sim: the simulated PF as a GVT-g mdev parent.
 *
 * i915 with enable_gvt=1 registers the GPU as an mdev parent with up to
 * four vGPU types (drivers/gpu/drm/i915/gvt/vgpu.c, kvmgt.c). This file
 * does the same for the simulated PF, through the same mdev and vfio
 * calls, so vgpu_nl meets the sysfs ABI, the available-instance
 * arithmetic and the create/remove behaviour of real GVT-g:
 *
 *   /sys/bus/pci/devices/$PF/mdev_supported_types/vgpu_sim-GVTg_V5_{8,4,2,1}
 *   /sys/bus/mdev/devices/$UUID            one per vGPU, a real vfio device
 *   /dev/vfio/$GROUP                       its emulated IOMMU group
 *
 * The GPU's resources are module parameters (read when a PF is bound):
 *   gvt              register the mdev parent at all (default 1)
 *   low_gm_mb        mappable graphics memory, the aperture (1024)
 *   high_gm_mb       non-mappable graphics memory (3072)
 *   fences           fence registers (32)
 * The defaults give 7/5/2/1 instances of _8/_4/_2/_1, as a typical
 * Skylake host does.
 *
 * Fault injection, writable at run time in /sys/module/vgpu_sim/parameters:
 *   fail_create      the next create fails with this errno (one-shot)
 *   create_delay_ms  sleep this long in every create
 *   remove_delay_ms  sleep this long in every removal, as a removal
 *                    waiting for a VM to close the device does
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/mdev.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "sim_compat.h"
#include "sim_mdev.h"

static bool gvt_enable = true;
module_param_named(gvt, gvt_enable, bool, 0444);
MODULE_PARM_DESC(gvt, "Make the PF a GVT-g mdev parent (default: on)");

static unsigned int low_gm_mb = 1024;
module_param(low_gm_mb, uint, 0444);
MODULE_PARM_DESC(low_gm_mb, "Low (mappable) graphics memory in MB");

static unsigned int high_gm_mb = 3072;
module_param(high_gm_mb, uint, 0444);
MODULE_PARM_DESC(high_gm_mb, "High (non-mappable) graphics memory in MB");

static unsigned int fences = 32;
module_param(fences, uint, 0444);
MODULE_PARM_DESC(fences, "Fence registers");

static int fail_create;
module_param(fail_create, int, 0644);
MODULE_PARM_DESC(fail_create, "Fail the next mdev create with this errno (0: off)");

static unsigned int create_delay_ms;
module_param(create_delay_ms, uint, 0644);
MODULE_PARM_DESC(create_delay_ms, "Delay every mdev create by this many ms");

static unsigned int remove_delay_ms;
module_param(remove_delay_ms, uint, 0644);
MODULE_PARM_DESC(remove_delay_ms, "Delay every mdev removal by this many ms");

/* What i915 keeps for the host (gvt.h: HOST_LOW_GM_SIZE and friends). */
#define VGPU_SIM_HOST_LOW_GM_MB		128
#define VGPU_SIM_HOST_HIGH_GM_MB	384
#define VGPU_SIM_HOST_FENCES		4

/* i915's intel_vgpu_configs[], in MB, with vgpu_edid_str()'s resolutions. */
struct vgpu_sim_gvt_conf {
	const char *name;
	unsigned int low_mb;
	unsigned int high_mb;
	unsigned int fence;
	unsigned int weight;
	const char *resolution;
};

static const struct vgpu_sim_gvt_conf vgpu_sim_gvt_confs[] = {
	{ "GVTg_V5_8",  64,  384, 4,  2, "1024x768" },
	{ "GVTg_V5_4", 128,  512, 4,  4, "1920x1200" },
	{ "GVTg_V5_2", 256, 1024, 4,  8, "1920x1200" },
	{ "GVTg_V5_1", 512, 2048, 4, 16, "1920x1200" },
};

#define VGPU_SIM_NR_TYPES ARRAY_SIZE(vgpu_sim_gvt_confs)

struct vgpu_sim_gvt_type {
	struct mdev_type type;
	const struct vgpu_sim_gvt_conf *conf;
};

/* One per bound PF: the mdev parent and its resource accounting. */
struct vgpu_sim_gvt {
	struct mdev_parent parent;
	struct vgpu_sim_gvt_type types[VGPU_SIM_NR_TYPES];
	struct mdev_type *mdev_types[VGPU_SIM_NR_TYPES];
	/* Totals, fixed at bind time. */
	unsigned int low_mb, high_mb, fences;
	/* Protects the allocated counters below. */
	struct mutex lock;
	unsigned int low_alloc, high_alloc, fence_alloc;
};

/*
 * One per mdev. Kept small on purpose: the test bed creates thousands, and
 * the accounting is three counters, so create and remove are O(1) here.
 */
struct vgpu_sim_vgpu {
	struct vfio_device vdev;
	struct vgpu_sim_gvt *gvt;
	const struct vgpu_sim_gvt_conf *conf;
};

static struct vgpu_sim_gvt *to_gvt(struct mdev_type *mtype)
{
	return container_of(mtype->parent, struct vgpu_sim_gvt, parent);
}

static const struct vgpu_sim_gvt_conf *to_conf(struct mdev_type *mtype)
{
	return container_of(mtype, struct vgpu_sim_gvt_type, type)->conf;
}

/* What is left of one resource after the host's share and the vGPUs'. */
static unsigned int vgpu_sim_left(unsigned int total, unsigned int host,
				  unsigned int allocated)
{
	if (total < host || total - host < allocated)
		return 0;
	return total - host - allocated;
}

/* i915's intel_vgpu_get_available(); caller holds gvt->lock. */
static unsigned int vgpu_sim_gvt_available(struct vgpu_sim_gvt *gvt,
					   const struct vgpu_sim_gvt_conf *conf)
{
	lockdep_assert_held(&gvt->lock);
	return min3(vgpu_sim_left(gvt->low_mb, VGPU_SIM_HOST_LOW_GM_MB,
				  gvt->low_alloc) / conf->low_mb,
		    vgpu_sim_left(gvt->high_mb, VGPU_SIM_HOST_HIGH_GM_MB,
				  gvt->high_alloc) / conf->high_mb,
		    vgpu_sim_left(gvt->fences, VGPU_SIM_HOST_FENCES,
				  gvt->fence_alloc) / conf->fence);
}

/* Take one vGPU's share, or -ENOSPC as i915's intel_vgpu_alloc_resource(). */
static int vgpu_sim_gvt_take(struct vgpu_sim_gvt *gvt,
			     const struct vgpu_sim_gvt_conf *conf)
{
	int ret = -ENOSPC;

	mutex_lock(&gvt->lock);
	if (vgpu_sim_gvt_available(gvt, conf)) {
		gvt->low_alloc += conf->low_mb;
		gvt->high_alloc += conf->high_mb;
		gvt->fence_alloc += conf->fence;
		ret = 0;
	}
	mutex_unlock(&gvt->lock);
	return ret;
}

static void vgpu_sim_gvt_give(struct vgpu_sim_gvt *gvt,
			      const struct vgpu_sim_gvt_conf *conf)
{
	mutex_lock(&gvt->lock);
	gvt->low_alloc -= conf->low_mb;
	gvt->high_alloc -= conf->high_mb;
	gvt->fence_alloc -= conf->fence;
	mutex_unlock(&gvt->lock);
}

/*
 * The vfio side: just enough for a process to open the device like a VM
 * would (container, group, VFIO_GROUP_GET_DEVICE_FD) and hold it. A PCI
 * device with no regions and no interrupts.
 */
static int vgpu_sim_vfio_open(struct vfio_device *vdev)
{
	return 0;
}

static void vgpu_sim_vfio_close(struct vfio_device *vdev)
{
}

static ssize_t vgpu_sim_vfio_read(struct vfio_device *vdev, char __user *buf,
				  size_t count, loff_t *ppos)
{
	return -EINVAL;
}

static ssize_t vgpu_sim_vfio_write(struct vfio_device *vdev,
				   const char __user *buf, size_t count,
				   loff_t *ppos)
{
	return -EINVAL;
}

static long vgpu_sim_vfio_ioctl(struct vfio_device *vdev, unsigned int cmd,
				unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	void __user *uarg = (void __user *)arg;
	struct vfio_device_info info;

	if (cmd != VFIO_DEVICE_GET_INFO)
		return -ENOTTY;
	if (copy_from_user(&info, uarg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI;
	info.num_regions = 0;
	info.num_irqs = 0;
	if (copy_to_user(uarg, &info, minsz))
		return -EFAULT;
	return 0;
}

static void vgpu_sim_vfio_release(struct vfio_device *vdev)
{
	vgpu_sim_vfio_free(vdev);
}

static const struct vfio_device_ops vgpu_sim_vfio_ops = {
	.name		= "vgpu-sim-gvt",
	.release	= vgpu_sim_vfio_release,
	.open_device	= vgpu_sim_vfio_open,
	.close_device	= vgpu_sim_vfio_close,
	.read		= vgpu_sim_vfio_read,
	.write		= vgpu_sim_vfio_write,
	.ioctl		= vgpu_sim_vfio_ioctl,
	VGPU_SIM_VFIO_IOMMUFD_OPS
};

/*
 * ->probe() is the create: writing a UUID to a type's create file adds the
 * mdev device and binds it here. The order follows i915: take the vGPU's
 * resources first, then make it a vfio device.
 */
static int vgpu_sim_mdev_probe(struct mdev_device *mdev)
{
	const struct vgpu_sim_gvt_conf *conf = to_conf(mdev->type);
	struct vgpu_sim_gvt *gvt = to_gvt(mdev->type);
	unsigned int delay = READ_ONCE(create_delay_ms);
	struct vgpu_sim_vgpu *vgpu;
	int ret;

	if (delay)
		msleep(delay);
	/* One-shot, like a transient driver failure; xchg: creates race. */
	ret = -abs(xchg(&fail_create, 0));
	if (ret) {
		dev_info(&mdev->dev, "injected create failure: %d\n", ret);
		return ret;
	}
	ret = vgpu_sim_gvt_take(gvt, conf);
	if (ret)
		return ret;

	vgpu = vfio_alloc_device(vgpu_sim_vgpu, vdev, &mdev->dev,
				 &vgpu_sim_vfio_ops);
	if (IS_ERR(vgpu)) {
		ret = PTR_ERR(vgpu);
		goto err_give;
	}
	vgpu->gvt = gvt;
	vgpu->conf = conf;
	dev_set_drvdata(&mdev->dev, vgpu);

	ret = vfio_register_emulated_iommu_dev(&vgpu->vdev);
	if (ret)
		goto err_put;
	return 0;

err_put:
	vfio_put_device(&vgpu->vdev);
err_give:
	vgpu_sim_gvt_give(gvt, conf);
	return ret;
}

/*
 * The remove file, and unregistering the parent, end here. Unregistering
 * the vfio device waits until every file descriptor of the device is
 * closed; only then are the vGPU's resources given back.
 */
static void vgpu_sim_mdev_remove(struct mdev_device *mdev)
{
	struct vgpu_sim_vgpu *vgpu = dev_get_drvdata(&mdev->dev);
	const struct vgpu_sim_gvt_conf *conf = vgpu->conf;
	struct vgpu_sim_gvt *gvt = vgpu->gvt;
	unsigned int delay = READ_ONCE(remove_delay_ms);

	if (delay)
		msleep(delay);
	vfio_unregister_group_dev(&vgpu->vdev);
	vfio_put_device(&vgpu->vdev);
	vgpu_sim_gvt_give(gvt, conf);
}

static unsigned int vgpu_sim_mdev_get_available(struct mdev_type *mtype)
{
	struct vgpu_sim_gvt *gvt = to_gvt(mtype);
	unsigned int avail;

	mutex_lock(&gvt->lock);
	avail = vgpu_sim_gvt_available(gvt, to_conf(mtype));
	mutex_unlock(&gvt->lock);
	return avail;
}

/* Byte for byte what i915's intel_vgpu_show_description() prints. */
static ssize_t vgpu_sim_mdev_show_description(struct mdev_type *mtype,
					      char *buf)
{
	const struct vgpu_sim_gvt_conf *conf = to_conf(mtype);

	return sysfs_emit(buf, "low_gm_size: %uMB\nhigh_gm_size: %uMB\n"
			  "fence: %u\nresolution: %s\nweight: %u\n",
			  conf->low_mb, conf->high_mb, conf->fence,
			  conf->resolution, conf->weight);
}

static struct mdev_driver vgpu_sim_mdev_driver = {
	.device_api		= VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name		= "vgpu_sim_mdev",
		.owner		= THIS_MODULE,
		.mod_name	= KBUILD_MODNAME,
	},
	.probe			= vgpu_sim_mdev_probe,
	.remove			= vgpu_sim_mdev_remove,
	.get_available		= vgpu_sim_mdev_get_available,
	.show_description	= vgpu_sim_mdev_show_description,
};

struct vgpu_sim_gvt *vgpu_sim_gvt_add(struct pci_dev *pdev)
{
	struct vgpu_sim_gvt *gvt;
	unsigned int i, low_avail;
	int ret;

	if (!gvt_enable)
		return NULL;
	gvt = kzalloc(sizeof(*gvt), GFP_KERNEL);
	if (!gvt)
		return ERR_PTR(-ENOMEM);
	mutex_init(&gvt->lock);
	gvt->low_mb = low_gm_mb;
	gvt->high_mb = high_gm_mb;
	gvt->fences = fences;

	/*
	 * i915's intel_gvt_init_vgpu_types(): the types go from small to
	 * large, and the list stops at the first one the aperture cannot
	 * hold once. pretty_name stays unset, as on i915, so the type's
	 * "name" file shows the sysfs name.
	 */
	low_avail = vgpu_sim_left(gvt->low_mb, VGPU_SIM_HOST_LOW_GM_MB, 0);
	for (i = 0; i < VGPU_SIM_NR_TYPES; i++) {
		const struct vgpu_sim_gvt_conf *conf = &vgpu_sim_gvt_confs[i];

		if (low_avail / conf->low_mb == 0)
			break;
		gvt->types[i].conf = conf;
		gvt->types[i].type.sysfs_name = conf->name;
		gvt->mdev_types[i] = &gvt->types[i].type;
	}

	ret = mdev_register_parent(&gvt->parent, &pdev->dev,
				   &vgpu_sim_mdev_driver, gvt->mdev_types, i);
	if (ret) {
		pci_err(pdev, "registering the mdev parent failed: %d\n", ret);
		mutex_destroy(&gvt->lock);
		kfree(gvt);
		return ERR_PTR(ret);
	}
	pci_info(pdev, "GVT-g mdev parent: %u types, low %u MB, high %u MB, %u fences\n",
		 i, gvt->low_mb, gvt->high_mb, gvt->fences);
	return gvt;
}

void vgpu_sim_gvt_remove(struct vgpu_sim_gvt *gvt)
{
	if (!gvt)
		return;
	/* Removes every mdev of the parent, each through ->remove(). */
	mdev_unregister_parent(&gvt->parent);
	WARN_ON(gvt->low_alloc || gvt->high_alloc || gvt->fence_alloc);
	mutex_destroy(&gvt->lock);
	kfree(gvt);
}

int vgpu_sim_mdev_init(void)
{
	return mdev_register_driver(&vgpu_sim_mdev_driver);
}

void vgpu_sim_mdev_exit(void)
{
	mdev_unregister_driver(&vgpu_sim_mdev_driver);
}
