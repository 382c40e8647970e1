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
 *   fail_disable    the next disable (->sriov_configure(pdev, 0)) fails
 *                   with this errno and leaves the VFs as they are
 *   short_vfs       the next enable gets this many VFs fewer than asked
 *                   (at least one)
 *   delay_ms        sleep this long in every ->sriov_configure()
 *   refuse_vf_bind  while 1, no driver binds to the VFs of a PF of ours:
 *                   their probes are deferred (see vgpu_sim_gate_vf())
 * The first three are one-shot, like a transient driver failure: they
 * reset to 0 once used, so the caller's attempt to restore the old count
 * works.
 *
 * The PF is also a GVT-g mdev parent, as i915 with enable_gvt=1 makes the
 * GPU: see sim_mdev.c. It has the VF provisioning files of i915 or xe
 * (iov= parameter): see sim_iov.c.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/mutex.h>
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

static int fail_disable;
module_param(fail_disable, int, 0644);
MODULE_PARM_DESC(fail_disable, "Fail the next VF disable with this errno (0: off)");

static struct pci_driver vgpu_sim_driver;
static bool refuse_vf_bind;

/*
 * refuse_vf_bind: a VF's probe waits for a supplier that never comes. A
 * managed device link from the VF to a "gate" device that no driver binds
 * makes the driver core defer every probe of the VF (-EPROBE_DEFER), as it
 * does for any device whose supplier has no driver yet. Links go only to
 * unbound VFs (an existing binding stays until it is undone). Clearing the
 * knob unregisters the gate, which drops every link to it (they are all
 * dormant: no consumer ever bound through them); a VF that goes away takes
 * its link along.
 *
 * vgpu_sim_gate_lock guards the gate pointer; it nests inside a VF's
 * device lock, as in the bus notifier.
 */
static DEFINE_MUTEX(vgpu_sim_gate_lock);
static struct device *vgpu_sim_gate;

static bool vgpu_sim_our_vf(struct pci_dev *pdev)
{
	return pdev->is_virtfn &&
	       pci_physfn(pdev)->dev.driver == &vgpu_sim_driver.driver;
}

/* Called with the VF's device lock held (or from its add notification). */
static void vgpu_sim_gate_vf(struct pci_dev *vf)
{
	mutex_lock(&vgpu_sim_gate_lock);
	if (vgpu_sim_gate && !vf->dev.driver &&
	    !device_link_add(&vf->dev, vgpu_sim_gate, 0))
		pci_warn(vf, "no link to the gate: its binding is not refused\n");
	mutex_unlock(&vgpu_sim_gate_lock);
}

static void vgpu_sim_ungate(void)
{
	struct device *gate;

	mutex_lock(&vgpu_sim_gate_lock);
	gate = vgpu_sim_gate;
	vgpu_sim_gate = NULL;
	mutex_unlock(&vgpu_sim_gate_lock);
	if (gate)
		root_device_unregister(gate);
}

static int vgpu_sim_set_refuse(const char *val, const struct kernel_param *kp)
{
	struct pci_dev *pdev = NULL;
	struct device *gate;
	int ret;

	ret = param_set_bool(val, kp);
	if (ret)
		return ret;
	if (!refuse_vf_bind) {
		vgpu_sim_ungate();
		return 0;
	}
	mutex_lock(&vgpu_sim_gate_lock);
	if (!vgpu_sim_gate) {
		gate = root_device_register("vgpu_sim_gate");
		if (IS_ERR(gate))
			ret = PTR_ERR(gate);
		else
			vgpu_sim_gate = gate;
	}
	mutex_unlock(&vgpu_sim_gate_lock);
	if (ret)
		return ret;
	for_each_pci_dev(pdev) {
		if (!vgpu_sim_our_vf(pdev))
			continue;
		device_lock(&pdev->dev);
		vgpu_sim_gate_vf(pdev);
		device_unlock(&pdev->dev);
	}
	return 0;
}

static const struct kernel_param_ops vgpu_sim_refuse_ops = {
	.set = vgpu_sim_set_refuse,
	.get = param_get_bool,
};
module_param_cb(refuse_vf_bind, &vgpu_sim_refuse_ops, &refuse_vf_bind, 0644);
MODULE_PARM_DESC(refuse_vf_bind, "While 1, no driver binds to our VFs");

/* New VFs, and VFs whose driver just went, are gated while it is set. */
static int vgpu_sim_pci_notify(struct notifier_block *nb, unsigned long action,
			       void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	if ((action == BUS_NOTIFY_ADD_DEVICE ||
	     action == BUS_NOTIFY_UNBOUND_DRIVER) && vgpu_sim_our_vf(pdev))
		vgpu_sim_gate_vf(pdev);
	return NOTIFY_DONE;
}

static struct notifier_block vgpu_sim_pci_nb = {
	.notifier_call = vgpu_sim_pci_notify,
};

static int vgpu_sim_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct vgpu_sim *sim = pci_get_drvdata(pdev);
	int ret;

	if (delay_ms)
		msleep(delay_ms);
	if (!num_vfs) {
		if (fail_disable) {
			ret = -abs(fail_disable);
			fail_disable = 0;
			pci_info(pdev, "injected failure disabling VFs: %d\n", ret);
			return ret;
		}
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

/*
 * The notifier first (refuse_vf_bind), then the mdev driver: a PF's probe
 * makes it an mdev parent for it.
 */
static int __init vgpu_sim_init(void)
{
	int ret;

	ret = bus_register_notifier(&pci_bus_type, &vgpu_sim_pci_nb);
	if (ret)
		return ret;
	ret = vgpu_sim_mdev_init();
	if (ret)
		goto err_notifier;
	ret = pci_register_driver(&vgpu_sim_driver);
	if (ret)
		goto err_mdev;
	return 0;

err_mdev:
	vgpu_sim_mdev_exit();
err_notifier:
	bus_unregister_notifier(&pci_bus_type, &vgpu_sim_pci_nb);
	return ret;
}

static void __exit vgpu_sim_exit(void)
{
	pci_unregister_driver(&vgpu_sim_driver);
	vgpu_sim_mdev_exit();
	bus_unregister_notifier(&pci_bus_type, &vgpu_sim_pci_nb);
	vgpu_sim_ungate();
}

module_init(vgpu_sim_init);
module_exit(vgpu_sim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simulated vGPU device for the vgpu-nl test bed");
