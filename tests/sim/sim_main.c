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
 */
#include <linux/module.h>
#include <linux/pci.h>

static int vgpu_sim_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	int ret;

	if (!num_vfs) {
		pci_disable_sriov(pdev);
		return 0;
	}
	ret = pci_enable_sriov(pdev, num_vfs);
	if (ret) {
		pci_err(pdev, "enabling %d VFs failed: %d\n", num_vfs, ret);
		return ret;
	}
	return num_vfs;
}

static int vgpu_sim_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	if (!pdev->is_physfn) {
		pci_err(pdev, "no SR-IOV capability: not a simulated vGPU PF\n");
		return -ENODEV;
	}
	pci_info(pdev, "simulated vGPU PF, %d VFs possible\n",
		 pci_sriov_get_totalvfs(pdev));
	return 0;
}

static void vgpu_sim_remove(struct pci_dev *pdev)
{
	pci_disable_sriov(pdev);
}

static struct pci_driver vgpu_sim_driver = {
	.name = "vgpu_sim",
	.probe = vgpu_sim_probe,
	.remove = vgpu_sim_remove,
	.sriov_configure = vgpu_sim_sriov_configure,
};
module_pci_driver(vgpu_sim_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simulated vGPU device for the vgpu-nl test bed");
