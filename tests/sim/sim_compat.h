/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vgpu_sim builds for (6.1 .. 6.12).
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

#endif /* _VGPU_SIM_COMPAT_H */
