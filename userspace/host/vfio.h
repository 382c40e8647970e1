/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio.h - VFIO PCI drivers, under the root (host/rootfs.h): which one a
 * device should get, the way libvirt chooses it, and making it loaded
 *
 * A VFIO PCI driver (vfio-pci, or a variant such as xe-vfio-pci built on
 * vfio_pci_core) declares the devices it serves with
 * PCI_DRIVER_OVERRIDE_DEVICE_VFIO(), which kbuild writes to modules.alias
 * as "vfio_pci:v...d...sv...sd...bc...sc...i..." aliases; they never bind
 * by themselves. libvirt (82e2fac297, "qemu: automatically bind to a
 * vfio variant driver, if available") reads the device's modalias, reads
 * it with "pci:" as "vfio_pci:", and takes among the matching aliases of
 * /lib/modules/$(uname -r)/modules.alias the one with the fewest '*'
 * fields; vfio-pci's own alias matches everything, so it is the fallback.
 */
#ifndef VGPU_NL_HOST_VFIO_H
#define VGPU_NL_HOST_VFIO_H

#include <stdbool.h>
#include <stddef.h>

#define VFIO_MODULE	"vfio_pci"
#define VFIO_DRIVER	"vfio-pci"

/*
 * The module of the best VFIO PCI driver for PCI device @dev
 * ("0000:00:02.1") into @module: a variant whose vfio_pci: alias matches
 * its modalias with the fewest wildcards, else "vfio_pci". Returns 0, or
 * -errno when the device's modalias cannot be read.
 */
int vfio_best_module(const char *dev, char *module, size_t len);

/*
 * The PCI driver module @module registers ("xe-vfio-pci" for
 * "xe_vfio_pci"), from /sys/module/@module/drivers/pci:NAME, loading the
 * module with modprobe(8) first when it is not (only on the running
 * system). Returns 0, or -ENOENT when the module is not loaded after that.
 */
int vfio_module_driver(const char *module, char *driver, size_t len);

/*
 * The module that registers PCI driver @driver: its sysfs link when it
 * is loaded, else @driver as modprobe(8) spells modules ('-' as '_').
 */
void vfio_driver_module(const char *driver, char *module, size_t len);

/*
 * Whether PCI driver @driver is a VFIO PCI driver: vfio-pci, or one whose
 * module has a vfio_pci: alias in the running kernel's modules.alias.
 */
bool vfio_driver_is_vfio(const char *driver);

#endif
