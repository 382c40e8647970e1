// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_nl: generic netlink and sysfs control of GPU virtualisation
 * (SR-IOV physical functions and GVT-g mdev parents). This file starts and
 * stops the parts; each is a header and its .c file(s):
 *
 * the core, which decides:
 *   vgpu_registry    the managed devices, their lifetime, PCI bus notifier
 *   vgpu_dev         a device's state, as genetlink and sysfs show it
 *   vgpu_sriov       VF count and autoprobe of a PF
 *   vgpu_vf          VF lookup, state and driver binding
 *   vgpu_mdev        mdev types, mdevs, their creation and removal
 *   vgpu_holders     whether a process holds a device's VFIO files
 *   vgpu_prov*       VF provisioning (quotas) over the GPU drivers' files
 *   vgpu_resource    the resource report (RESOURCE_GET)
 *   vgpu_event       notifications of change, to whoever listens
 *   vgpu_handle      device handles: the one formatter, the parser
 *   vgpu_vfs         reads/writes of other drivers' sysfs files
 * the glue, which translates (the core includes none of it):
 *   vgpu_genl*       the generic netlink family, its "monitor" events
 *   vgpu_sysfs       /sys/kernel/vgpu_nl (the same core calls as genetlink)
 * for both:
 *   vgpu_compat      every difference between kernel versions
 *   uapi/vgpu_nl.h   the contract with userspace
 * tests/host/kmod-graph.py prints the include graph and checks these rules.
 *
 * Locking: see vgpu_registry.h.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "vgpu_genl.h"
#include "vgpu_mdev.h"
#include "vgpu_nl.h"
#include "vgpu_prov.h"
#include "vgpu_registry.h"
#include "vgpu_sysfs.h"

/*
 * The listeners (sysfs, genetlink) come before what reports changes (the
 * mdev and PCI bus notifiers), so that nothing is missed; the registry's
 * start comes last and its stop first.
 */
/*
 * The genetlink family is the way in for requests, so it opens last, when
 * the core is complete, and closes first: genl_unregister_family() waits
 * for the requests being served (they hold genl's locks), so nothing the
 * core tears down afterwards - the mdev removal queue, the registry - is
 * still in use by one. (A dump holds a module reference: rmmod refuses
 * while one is open.) Nobody can listen for events before the family
 * exists, so none are lost by registering it last.
 */
static int __init vgpu_init(void)
{
	int ret;

	ret = vgpu_registry_init();
	if (ret)
		return ret;
	ret = vgpu_prov_init();
	if (ret)
		goto err_registry;
	ret = vgpu_sysfs_init();
	if (ret) {
		pr_err("cannot create /sys/kernel/vgpu_nl: %d\n", ret);
		goto err_prov;
	}
	ret = vgpu_mdev_init();
	if (ret)
		goto err_sysfs;
	ret = vgpu_registry_start();
	if (ret) {
		pr_err("cannot watch the PCI bus: %d\n", ret);
		goto err_mdev;
	}
	ret = vgpu_genl_init();
	if (ret) {
		pr_err("cannot register the %s genetlink family: %d\n",
		       VGPU_GENL_NAME, ret);
		goto err_registry_start;
	}

	pr_info("version %s loaded, api %d\n", VGPU_NL_VERSION, VGPU_API_VERSION);
	return 0;

err_registry_start:
	vgpu_registry_stop();
err_mdev:
	vgpu_mdev_exit();
err_sysfs:
	vgpu_sysfs_exit();
err_prov:
	vgpu_prov_exit();
err_registry:
	vgpu_registry_exit();
	return ret;
}

static void __exit vgpu_exit(void)
{
	vgpu_genl_exit();
	vgpu_registry_stop();
	vgpu_mdev_exit();
	vgpu_sysfs_exit();
	vgpu_prov_exit();
	vgpu_registry_exit();
}

module_init(vgpu_init);
module_exit(vgpu_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("vgpu-nl developers");
MODULE_DESCRIPTION("Generic netlink and sysfs control of GPU SR-IOV and GVT-g");
MODULE_VERSION(VGPU_NL_VERSION);
/* Lets the kernel load the module when a client resolves the family. */
MODULE_ALIAS_GENL_FAMILY(VGPU_GENL_NAME);
