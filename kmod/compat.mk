# SPDX-License-Identifier: GPL-2.0
#
# Header probes; each defines VGPU_HAVE_<feature> for kmod/vgpu_compat.h.
# $(srctree) is the kernel's (Debian: linux-headers-*-common) source tree.

vgpu_probe = $(shell grep -qs -E '$(2)' $(srctree)/$(1) && echo -D$(3))

ccflags-y += $(call vgpu_probe,include/linux/netlink.h,define NL_SET_ERR_MSG_FMT[^_A-Z],VGPU_HAVE_NL_SET_ERR_MSG_FMT)
ccflags-y += $(call vgpu_probe,include/net/genetlink.h,genl_info_dump[^_a-z],VGPU_HAVE_GENL_INFO_DUMP)
ccflags-y += $(call vgpu_probe,include/linux/device.h,__device_set_driver_override,VGPU_HAVE_DEVICE_DRIVER_OVERRIDE)
