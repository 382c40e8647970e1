/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vf.h - SR-IOV virtual functions: the printer "vf show" uses, and the
 * in-use check "dev set DEV numvfs N" makes before removing VFs
 */
#ifndef VGPU_NL_VF_H
#define VGPU_NL_VF_H

#include <netlink/attr.h>

#include "host/holders.h"
#include "kernel/nl.h"

/*
 * One VF (a VGPU_CMD_VF_GET reply) as a text line or a JSON object; @hv
 * holds the processes found with its VFIO files open (NULL: none looked for).
 */
void vf_print(struct nlattr **tb, const struct host_dev *hv);

/*
 * Finds the VFs of PF @handle that processes hold open. Returns 0 with
 * *@busy NULL when none is, or with *@busy a malloc'ed list for the user,
 * "pci/0000:01:00.1 (pid 123 qemu), pci/..."; or -errno (in nl->err).
 */
int vf_find_busy(struct vgpu_nl *nl, const char *handle, char **busy);

/*
 * Sends VF_SET with VGPU_A_VF_DRIVER_OVERRIDE @driver ("" for the
 * default); 0 or -errno (in nl->err).
 */
int vf_set_driver(struct vgpu_nl *nl, const char *handle, const char *driver);

struct vf_quota;

/*
 * VF_SET with @driver (as above) and/or @quota; NULL leaves that alone.
 * 0 or -errno (in nl->err).
 */
int vf_set_req(struct vgpu_nl *nl, const char *handle, const char *driver,
	       const struct vf_quota *quota);

/* "driver vfio": the VFIO driver that suits the VF, chosen as libvirt does. */
#define VF_DRIVER_AUTO	"vfio"

/*
 * The driver a "driver" argument names, loaded, into @out: VF_DRIVER_AUTO
 * is the best VFIO driver for the VF @vf ("0000:00:02.1"), its module
 * loaded if need be; a name that is no PCI driver yet is loaded with
 * modprobe when modules.alias says it is a VFIO PCI driver, and refused
 * otherwise (a registered one goes to the kernel, which takes only VFIO
 * PCI drivers); "" stays "". EXIT_OK, or EXIT_FAIL after saying why.
 */
int vf_resolve_driver(const char *vf, const char *arg, char *out, size_t len);

#endif
