/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfioconf.h - /etc/modprobe.d/vgpu-nl-vfio.conf, the file that makes
 * vfio-pci take a passed GPU at boot, every line with its comment
 *
 * Two ways, as the tutorials and driverctl do it:
 *   by id       options vfio-pci ids=VVVV:DDDD,..., softdeps that load
 *               vfio-pci before each driver that could claim a function,
 *               and blacklists of the GPU vendor's drivers;
 *   by address  when ids would take more than this GPU: the host keeps a
 *               function with the same vendor:device id, or a GPU of the
 *               same vendor (whose driver a blacklist would take). Then
 *               vfio-pci's install hook writes "vfio-pci" to each passed
 *               function's driver_override before vfio-pci loads, and the
 *               softdeps make it load before the drivers, so that no other
 *               driver binds them; no ids=, no blacklist.
 * vfio-pci disable_vga=1 for a VGA GPU that is not the boot display, and
 * with --windows-guest kvm's ignore_msrs=1 report_ignored_msrs=0.
 */
#ifndef VGPU_NL_HOST_VFIOCONF_H
#define VGPU_NL_HOST_VFIOCONF_H

#include "host/plan.h"

/* Fills p->vfio from p->fns and the rest of the host, with notes. */
void vfioconf_decide(struct hs_plan *p);

/* The file's content (malloc'ed), or NULL when out of memory. */
char *vfioconf_text(const struct hs_plan *p);

#endif
