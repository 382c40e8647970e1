/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vgpu_sim builds for (6.1 .. 7.x).
 * The VGPU_SIM_HAVE_* switches come from header probes in tests/sim/Kbuild,
 * not from LINUX_VERSION_CODE, because distributions backport.
 */
#ifndef _VGPU_SIM_COMPAT_H
#define _VGPU_SIM_COMPAT_H

#include <linux/vfio.h>

/*
 * Who frees a vfio_device from vfio_alloc_device(). On 6.1 the driver's
 * ->release() must end with vfio_free_device(); since 6.2 the vfio core
 * frees it after ->release() returns, and vfio_free_device() is gone.
 */
#ifdef VGPU_SIM_HAVE_VFIO_FREE_DEVICE
#define vgpu_sim_vfio_free(vdev) vfio_free_device(vdev)
#else
static inline void vgpu_sim_vfio_free(struct vfio_device *vdev)
{
}
#endif

/*
 * iommufd callbacks for an emulated-IOMMU device (6.2+). The vfio core
 * refuses to register a device without them when CONFIG_IOMMUFD is on;
 * when it is off (Debian's 6.12) the helpers are NULL and are never called.
 */
#ifdef VGPU_SIM_HAVE_VFIO_IOMMUFD_OPS
#define VGPU_SIM_VFIO_IOMMUFD_OPS					\
	.bind_iommufd	= vfio_iommufd_emulated_bind,			\
	.unbind_iommufd	= vfio_iommufd_emulated_unbind,			\
	.attach_ioas	= vfio_iommufd_emulated_attach_ioas,		\
	.detach_ioas	= vfio_iommufd_emulated_detach_ioas,
#else
#define VGPU_SIM_VFIO_IOMMUFD_OPS
#endif

/* A migration driver's stop-copy size estimate: a callback since 6.2. */
#ifdef VGPU_SIM_HAVE_MIG_DATA_SIZE
#define VGPU_SIM_MIG_DATA_SIZE(fn)	.migration_get_data_size = fn,
#else
#define VGPU_SIM_MIG_DATA_SIZE(fn)
#endif

/*
 * The vfio_device_ops a VFIO PCI driver on vfio_pci_core fills in beyond
 * those of 6.1 (sim_vfio.c), as vfio-pci itself does on each kernel:
 * iommufd for a physical device (6.2+), region info capabilities and the
 * VF token match (7.x).
 */
#ifdef VGPU_SIM_HAVE_VFIO_IOMMUFD_PHYS
#define VGPU_SIM_VFIO_PHYS_OPS						\
	.bind_iommufd	= vfio_iommufd_physical_bind,			\
	.unbind_iommufd	= vfio_iommufd_physical_unbind,			\
	.attach_ioas	= vfio_iommufd_physical_attach_ioas,		\
	.detach_ioas	= vfio_iommufd_physical_detach_ioas,
#else
#define VGPU_SIM_VFIO_PHYS_OPS
#endif
#ifdef VGPU_SIM_HAVE_REGION_INFO_CAPS
#define VGPU_SIM_VFIO_REGION_OPS					\
	.get_region_info_caps = vfio_pci_ioctl_get_region_info,
#else
#define VGPU_SIM_VFIO_REGION_OPS
#endif
#ifdef VGPU_SIM_HAVE_MATCH_TOKEN_UUID
#define VGPU_SIM_VFIO_TOKEN_OPS						\
	.match_token_uuid = vfio_pci_core_match_token_uuid,
#else
#define VGPU_SIM_VFIO_TOKEN_OPS
#endif
#define VGPU_SIM_VFIO_PCI_OPS						\
	VGPU_SIM_VFIO_PHYS_OPS VGPU_SIM_VFIO_REGION_OPS VGPU_SIM_VFIO_TOKEN_OPS

#endif /* _VGPU_SIM_COMPAT_H */
