// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_sim_vfio: a VFIO variant driver for the simulated PF's VFs.
 *
 * The test bed's stand-in for xe-vfio-pci (drivers/vfio/pci/xe/main.c,
 * 6.19): a VFIO PCI driver built on vfio_pci_core that offers live
 * migration (VFIO_MIGRATION_STOP_COPY) and is matched the way variant
 * drivers are, through an id table entry made with
 * PCI_DRIVER_OVERRIDE_DEVICE_VFIO(). Such an entry never binds by itself:
 * kbuild writes it to modules.alias as a "vfio_pci:" alias, which
 * userspace (libvirt, vgpu-nl) matches against a VF's modalias to choose
 * the driver, then binds it through driver_override.
 *
 * Its id is the emulated PF's (QEMU's nvme, 1b36:0010; its VFs have the
 * same id), and probe takes only VFs of a PF bound to vgpu_sim, so it can
 * be loaded on any test guest without claiming anything else.
 *
 * Migration itself is not implemented: the device is always RUNNING and
 * every transition that would move data fails with -EOPNOTSUPP. What the
 * tests look at is what the kernel publishes: the driver is a VFIO PCI
 * driver and its vfio_device has mig_ops.
 *
 * Test bed only: never installed by DKMS.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>

#include "sim_compat.h"

#define SIM_VFIO_NAME	"vgpu-sim-vfio-pci"

struct sim_vfio {
	struct vfio_pci_core_device core;
	struct mutex lock;	/* state */
	enum vfio_device_mig_state state;
};

static struct sim_vfio *to_sim(struct vfio_device *vdev)
{
	return container_of(vdev, struct sim_vfio, core.vdev);
}

static struct file *sim_vfio_set_state(struct vfio_device *vdev,
				       enum vfio_device_mig_state new)
{
	struct sim_vfio *sv = to_sim(vdev);
	struct file *ret = NULL;

	mutex_lock(&sv->lock);
	/* Only the states without a data stream are reached. */
	if (new == VFIO_DEVICE_STATE_RUNNING || new == VFIO_DEVICE_STATE_STOP)
		sv->state = new;
	else
		ret = ERR_PTR(-EOPNOTSUPP);
	mutex_unlock(&sv->lock);
	return ret;
}

static int sim_vfio_get_state(struct vfio_device *vdev,
			      enum vfio_device_mig_state *state)
{
	struct sim_vfio *sv = to_sim(vdev);

	mutex_lock(&sv->lock);
	*state = sv->state;
	mutex_unlock(&sv->lock);
	return 0;
}

/* 6.2+ wants it (sim_compat.h); 6.1 has no such callback. */
static int __maybe_unused sim_vfio_data_size(struct vfio_device *vdev,
					     unsigned long *len)
{
	*len = 0;
	return 0;
}

static const struct vfio_migration_ops sim_vfio_mig_ops = {
	.migration_set_state = sim_vfio_set_state,
	.migration_get_state = sim_vfio_get_state,
	VGPU_SIM_MIG_DATA_SIZE(sim_vfio_data_size)
};

static int sim_vfio_init(struct vfio_device *vdev)
{
	struct sim_vfio *sv = to_sim(vdev);

	mutex_init(&sv->lock);
	sv->state = VFIO_DEVICE_STATE_RUNNING;
	vdev->migration_flags = VFIO_MIGRATION_STOP_COPY;
	vdev->mig_ops = &sim_vfio_mig_ops;
	return vfio_pci_core_init_dev(vdev);
}

static int sim_vfio_open(struct vfio_device *vdev)
{
	struct vfio_pci_core_device *core = &to_sim(vdev)->core;
	int ret;

	ret = vfio_pci_core_enable(core);
	if (ret)
		return ret;
	vfio_pci_core_finish_enable(core);
	return 0;
}

static const struct vfio_device_ops sim_vfio_ops = {
	.name = SIM_VFIO_NAME,
	.init = sim_vfio_init,
	.release = vfio_pci_core_release_dev,
	.open_device = sim_vfio_open,
	.close_device = vfio_pci_core_close_device,
	.ioctl = vfio_pci_core_ioctl,
	.device_feature = vfio_pci_core_ioctl_feature,
	.read = vfio_pci_core_read,
	.write = vfio_pci_core_write,
	.mmap = vfio_pci_core_mmap,
	.request = vfio_pci_core_request,
	.match = vfio_pci_core_match,
	VGPU_SIM_VFIO_PCI_OPS
};

/* Only VFs of the simulated PF. */
static bool sim_vfio_ours(struct pci_dev *pdev)
{
	struct pci_dev *pf = pci_physfn(pdev);

	return pdev->is_virtfn && pf->dev.driver &&
	       !strcmp(pf->dev.driver->name, "vgpu_sim");
}

static int sim_vfio_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct sim_vfio *sv;
	int ret;

	if (!sim_vfio_ours(pdev))
		return -ENODEV;
	sv = vfio_alloc_device(sim_vfio, core.vdev, &pdev->dev, &sim_vfio_ops);
	if (IS_ERR(sv))
		return PTR_ERR(sv);
	dev_set_drvdata(&pdev->dev, &sv->core);
	ret = vfio_pci_core_register_device(&sv->core);
	if (ret) {
		vfio_put_device(&sv->core.vdev);
		return ret;
	}
	return 0;
}

static void sim_vfio_remove(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *core = dev_get_drvdata(&pdev->dev);

	vfio_pci_core_unregister_device(core);
	vfio_put_device(&core->vdev);
}

static const struct pci_device_id sim_vfio_table[] = {
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(0x1b36, 0x0010) },
	{ }
};
MODULE_DEVICE_TABLE(pci, sim_vfio_table);

static struct pci_driver sim_vfio_driver = {
	.name = SIM_VFIO_NAME,
	.id_table = sim_vfio_table,
	.probe = sim_vfio_probe,
	.remove = sim_vfio_remove,
	.err_handler = &vfio_pci_core_err_handlers,
	.driver_managed_dma = true,
};
module_pci_driver(sim_vfio_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VFIO variant driver with migration for vgpu_sim's VFs (test bed)");
