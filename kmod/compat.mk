# SPDX-License-Identifier: GPL-2.0
#
# Feature probes for kmod/vgpu_compat.h (WireGuard compat/Kbuild.include
# style): distributions backport, so look for the symbol, not the version.
# Each probe defines VGPU_HAVE_<feature> when the kernel's headers have it.
# $(srctree) is the kernel's (Debian: linux-headers-*-common) source tree.
#
# What the probes chose is written to $(obj)/compat-probes.txt, one
# "FEATURE yes|no" line each, for the build log (tests/build-modules.sh
# prints it for every kernel lane).

vgpu_probe = $(shell grep -qs -E '$(2)' $(srctree)/$(1) && echo $(3))

vgpu_have := \
	$(call vgpu_probe,include/linux/netlink.h,define NL_SET_ERR_MSG_FMT[^_A-Z],NL_SET_ERR_MSG_FMT) \
	$(call vgpu_probe,include/net/genetlink.h,genl_info_dump[^_a-z],GENL_INFO_DUMP) \
	$(call vgpu_probe,include/linux/device.h,__device_set_driver_override,DEVICE_DRIVER_OVERRIDE) \
	$(call vgpu_probe,include/linux/workqueue.h,WQ_PERCPU[[:space:]]*=,WQ_PERCPU)
vgpu_probed := NL_SET_ERR_MSG_FMT GENL_INFO_DUMP DEVICE_DRIVER_OVERRIDE WQ_PERCPU

ccflags-y += $(addprefix -DVGPU_HAVE_,$(strip $(vgpu_have)))

$(shell mkdir -p $(obj) && \
	printf '%s\n' $(foreach f,$(vgpu_probed),"$(f) $(if $(filter $(f),$(vgpu_have)),yes,no)") \
	>$(obj)/compat-probes.txt)

# What vgpu_nl cannot do without: refuse to build, saying what is missing,
# rather than fail later in a way that names nothing.
ifneq ($(CONFIG_PCI_IOV),y)
$(error vgpu_nl needs SR-IOV support in the kernel (CONFIG_PCI_IOV), which this kernel ($(KERNELRELEASE)) lacks)
endif
ifeq ($(CONFIG_VFIO_MDEV),)
$(error vgpu_nl needs the mediated device core (CONFIG_VFIO_MDEV), which this kernel ($(KERNELRELEASE)) lacks)
endif
ifeq ($(call vgpu_probe,include/linux/mdev.h,struct mdev_parent[[:space:]]*\{,yes),)
$(error vgpu_nl needs the public mdev parent API of Linux 6.1 (struct mdev_parent in include/linux/mdev.h), which this kernel's headers lack)
endif
