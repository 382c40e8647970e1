// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_sim: a simulated vGPU physical function for the vgpu-nl test bed.
 *
 * The test bed boots QEMU with an emulated SR-IOV capable function (nvme,
 * 1b36:0010, sriov_max_vfs=7) and binds this driver to it through
 * driver_override, so it has no id table. It then behaves like a GPU PF
 * driver where vgpu_nl can see it: ->sriov_configure() enables and disables
 * real VFs with pci_enable_sriov()/pci_disable_sriov(), as i915-sriov-dkms
 * and xe do, so the PCI core creates real VF functions with IOMMU groups.
 *
 * Fault injection, writable at run time in /sys/module/vgpu_sim/parameters:
 *   fail_configure  the next enable fails with this errno (0: off)
 *   short_vfs       the next enable gets this many VFs fewer than asked
 *                   (at least one)
 *   delay_ms        sleep this long in every ->sriov_configure()
 * The first two are one-shot, like a transient driver failure: they reset
 * to 0 once used, so the caller's attempt to restore the old count works.
 *
 * The PF is also a GVT-g mdev parent, as i915 with enable_gvt=1 makes the
 * GPU: see sim_mdev.c. It has the VF provisioning files of i915 or xe
 * (iov= parameter): see sim_iov.c.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "sim_iov.h"
#include "sim_mdev.h"

/* What one bound PF has. */
struct vgpu_sim {
	struct vgpu_sim_gvt *gvt;	/* NULL: not an mdev parent */
	struct vgpu_sim_iov *iov;	/* NULL: iov=none */
};

static int fail_configure;
module_param(fail_configure, int, 0644);
MODULE_PARM_DESC(fail_configure, "Fail the next VF enable with this errno (0: off)");

static int short_vfs;
module_param(short_vfs, int, 0644);
MODULE_PARM_DESC(short_vfs, "Enable this many fewer VFs than asked, once");

static unsigned int delay_ms;
module_param(delay_ms, uint, 0644);
MODULE_PARM_DESC(delay_ms, "Delay every sriov_configure by this many ms");

static int vgpu_sim_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct vgpu_sim *sim = pci_get_drvdata(pdev);
	int ret;

	if (delay_ms)
		msleep(delay_ms);
	if (!num_vfs) {
		vgpu_sim_iov_disabling(sim->iov);
		pci_disable_sriov(pdev);
		vgpu_sim_iov_disabled(sim->iov);
		return 0;
	}
	if (fail_configure) {
		ret = -abs(fail_configure);
		fail_configure = 0;
		pci_info(pdev, "injected failure enabling %d VFs: %d\n",
			 num_vfs, ret);
		return ret;
	}
	if (short_vfs > 0) {
		num_vfs = max(num_vfs - short_vfs, 1);
		short_vfs = 0;
	}
	ret = vgpu_sim_iov_enable(sim->iov, num_vfs);
	if (ret)
		return ret;
	ret = pci_enable_sriov(pdev, num_vfs);
	if (ret) {
		vgpu_sim_iov_disabled(sim->iov);
		pci_err(pdev, "enabling %d VFs failed: %d\n", num_vfs, ret);
		return ret;
	}
	vgpu_sim_iov_enabled(sim->iov, num_vfs);
	return num_vfs;
}

static int vgpu_sim_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vgpu_sim *sim;

	if (!pdev->is_physfn) {
		pci_err(pdev, "no SR-IOV capability: not a simulated vGPU PF\n");
		return -ENODEV;
	}
	sim = devm_kzalloc(&pdev->dev, sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	sim->gvt = vgpu_sim_gvt_add(pdev);
	if (IS_ERR(sim->gvt))
		return PTR_ERR(sim->gvt);
	sim->iov = vgpu_sim_iov_add(pdev);
	if (IS_ERR(sim->iov)) {
		vgpu_sim_gvt_remove(sim->gvt);
		return PTR_ERR(sim->iov);
	}
	pci_set_drvdata(pdev, sim);
	pci_info(pdev, "simulated vGPU PF, %d VFs possible\n",
		 pci_sriov_get_totalvfs(pdev));
	return 0;
}

static void vgpu_sim_remove(struct pci_dev *pdev)
{
	struct vgpu_sim *sim = pci_get_drvdata(pdev);

	vgpu_sim_gvt_remove(sim->gvt);
	vgpu_sim_iov_disabling(sim->iov);
	pci_disable_sriov(pdev);
	vgpu_sim_iov_remove(sim->iov);
}

static struct pci_driver vgpu_sim_driver = {
	.name = "vgpu_sim",
	.probe = vgpu_sim_probe,
	.remove = vgpu_sim_remove,
	.sriov_configure = vgpu_sim_sriov_configure,
};

/* The mdev driver first: a PF's probe makes it an mdev parent for it. */
static int __init vgpu_sim_init(void)
{
	int ret;

	ret = vgpu_sim_mdev_init();
	if (ret)
		return ret;
	ret = pci_register_driver(&vgpu_sim_driver);
	if (ret)
		goto err_mdev;
	return 0;

err_mdev:
	vgpu_sim_mdev_exit();
	return ret;
}

static void __exit vgpu_sim_exit(void)
{
	pci_unregister_driver(&vgpu_sim_driver);
	vgpu_sim_mdev_exit();
}

module_init(vgpu_sim_init);
module_exit(vgpu_sim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simulated vGPU device for the vgpu-nl test bed");
