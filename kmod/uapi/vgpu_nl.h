/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vgpu_nl.h - userspace API of the "vgpu" generic netlink family
 *
 * The family is called VGPU_GENL_NAME, version VGPU_GENL_VERSION. It has one
 * multicast group, VGPU_GENL_MCGRP_MONITOR ("monitor"), on which every
 * change to a managed device is announced with VGPU_CMD_EVENT.
 *
 * Objects are named by handles of the form "pci/DDDD:BB:DD.F" (the bus name,
 * a slash and the PCI function name as the kernel spells it).
 *
 * Reads are open to every user; every command that changes state needs
 * CAP_NET_ADMIN (GENL_ADMIN_PERM). Every rejection carries a reason in the
 * netlink extended ack (NLMSGERR_ATTR_MSG) and, where one attribute is at
 * fault, its offset (NLMSGERR_ATTR_OFFS).
 *
 * Commands
 * --------
 *
 * VGPU_CMD_VERSION_GET (do)
 *   Request:  nothing.
 *   Reply:    VGPU_A_VERSION        string, module version ("0.1.0")
 *             VGPU_A_API_VERSION    u32, VGPU_API_VERSION of the module
 *             VGPU_A_EVENT_SEQ      u32, the sequence number of the last
 *                                   event announced on "monitor" (0: none
 *                                   yet); see VGPU_CMD_EVENT
 *
 * VGPU_CMD_DEV_GET (do, dump)
 *   Request (do):  VGPU_A_DEV_HANDLE   required
 *   Request (dump): nothing; one message per managed device.
 *   Reply: a device description:
 *             VGPU_A_DEV_HANDLE          string  "pci/0000:00:02.0"
 *             VGPU_A_DEV_VENDOR          u16     PCI vendor id
 *             VGPU_A_DEV_DEVICE          u16     PCI device id
 *             VGPU_A_DEV_SUBSYS_VENDOR   u16
 *             VGPU_A_DEV_SUBSYS_DEVICE   u16
 *             VGPU_A_DEV_CLASS           u32     24-bit class code
 *             VGPU_A_DEV_DRIVER          string  bound driver; absent if none
 *             VGPU_A_DEV_IOMMU_GROUP     u32     absent without an IOMMU group
 *             VGPU_A_DEV_SRIOV           nest    only for an SR-IOV PF:
 *                 VGPU_A_SRIOV_TOTALVFS  u16
 *                 VGPU_A_SRIOV_NUMVFS    u16
 *                 VGPU_A_SRIOV_AUTOPROBE u8      0/1, VF driver autoprobe
 *             VGPU_A_DEV_MDEV_PARENT     u8      1 if the device registers
 *                                                mdev types (GVT-g), else 0
 *             VGPU_A_DEV_MDEV_TYPES      u32     number of mdev types, only
 *                                                on an mdev parent
 *             VGPU_A_DEV_PROVISIONING    string  an SR-IOV PF's VF provisioning
 *                                                layout (see RESOURCE_GET)
 *             VGPU_A_DEV_PROV_MODE       u8      enum vgpu_prov_mode, where the
 *                                                layout has auto and custom
 *                                                provisioning (see below)
 *             VGPU_A_DEV_PROFILE         nest    the PF's own scheduling
 *                                                profile (xe sriov_admin
 *                                                pf/profile): quota attributes
 *                                                EXEC_QUANTUM_MS,
 *                                                PREEMPT_TIMEOUT_US, PRIORITY
 *
 * VGPU_CMD_DEV_SET (do, admin)
 *   Request:  VGPU_A_DEV_HANDLE   required
 *             VGPU_A_DEV_SRIOV    nest, at least one of (VGPU_A_SRIOV_TOTALVFS
 *                                 is read-only and refused here):
 *                 VGPU_A_SRIOV_NUMVFS     u16, the VF count to reach
 *                 VGPU_A_SRIOV_AUTOPROBE  u8 0/1
 *             VGPU_A_DEV_PROV_MODE u8: enum vgpu_prov_mode, the provisioning
 *                                 mode to reach (see below)
 *             VGPU_A_DEV_PROFILE  nest of quota attributes: the driver's bulk
 *                                 profile, for the PF and every VF at once
 *                                 (xe sriov_admin/.bulk_profile):
 *                                 EXEC_QUANTUM_MS, PREEMPT_TIMEOUT_US,
 *                                 PRIORITY (at most normal), VRAM (7.0+)
 *             VGPU_A_FORCE        flag: change the VF count even though a VF
 *                                 is in use (see "VFs in use" below)
 *   At least one of SRIOV, PROV_MODE and PROFILE.
 *   Reply:    none (ack), except with VGPU_A_DEV_PROV_MODE: a message with
 *             VGPU_A_DEV_HANDLE, VGPU_A_DEV_PROV_MODE (the mode reached) and
 *             VGPU_A_DEV_PROV_CYCLED u16, how many VFs were disabled and
 *             enabled again to get there (0: none had to be).
 *   The device must be an SR-IOV PF.
 *   The VF count follows sriov_numvfs semantics (device lock, bound driver
 *   with ->sriov_configure, at most totalvfs); a change between two
 *   non-zero counts goes through 0. Autoprobe is applied first, so new VFs
 *   obey it. If the driver fails or enables fewer VFs than asked, the old
 *   count (and autoprobe) is restored and the error says so.
 *
 * VGPU_CMD_VF_GET (do, dump)
 *   Request (do):   VGPU_A_VF_HANDLE   required
 *   Request (dump): VGPU_A_DEV_HANDLE  optional, only that PF's VFs
 *   Reply: a VF description:
 *             VGPU_A_VF_HANDLE           string  "pci/0000:00:02.1"
 *             VGPU_A_VF_PF               string  handle of its PF
 *             VGPU_A_VF_INDEX            u16     0-based VF index
 *             VGPU_A_VF_DRIVER           string  bound driver; absent if none
 *             VGPU_A_VF_DRIVER_OVERRIDE  string  absent if none
 *             VGPU_A_VF_IOMMU_GROUP      u32     absent without a group
 *             VGPU_A_VF_ASSIGNED         u8      1 if in use as far as the
 *                                                kernel can tell
 *             VGPU_A_VF_QUOTA            nest    its quotas, when its PF has
 *                                                a provisioning layout
 *             VGPU_A_VF_CONTROLS         u32     the VF controls its PF's driver
 *                                                has files for, a bit
 *                                                (1 << enum vgpu_vf_control) each
 *             VGPU_A_VF_STATE            u8      enum vgpu_vf_state, as last set
 *                                                through VF_SET since the VF
 *                                                appeared; absent when not
 *                                                known (no driver reads a VF's
 *                                                state back; see below)
 *             VGPU_A_VF_MIGRATION        u8      only when a VFIO PCI driver
 *                                                is bound: 1 if it offers live
 *                                                migration (its vfio_device
 *                                                has migration ops), else 0
 *
 * VGPU_CMD_VF_SET (do, admin)
 *   Request:  VGPU_A_VF_HANDLE           required
 *             VGPU_A_VF_DRIVER_OVERRIDE  string: a VFIO PCI driver ("vfio-pci",
 *                                        a variant such as "xe-vfio-pci"),
 *                                        or "" for the default (no
 *                                        override, reprobe)
 *             VGPU_A_VF_QUOTA            nest: quotas to set (see below)
 *             VGPU_A_VF_CONTROL          u8: enum vgpu_vf_control, done
 *                                        through the PF driver's files
 *   At least one of the three. Binds the VF to that driver through
 *   driver_override and a reprobe; if the new driver does not bind, the
 *   previous override and binding are restored. A VFIO PCI driver is one
 *   whose id table has a PCI_DRIVER_OVERRIDE_DEVICE_VFIO() entry (what
 *   kbuild writes to modules.alias as a "vfio_pci:" alias); it must be
 *   loaded (vfio-pci is loaded on demand); any other driver is refused.
 *   A PF is refused: passing it to a VM takes every VF with it. Quotas
 *   are set before the driver is bound; a control is done last, alone
 *   (a control with a driver or quotas is refused).
 *
 * VGPU_CMD_TYPE_GET (do, dump)
 *   Request (do):   VGPU_A_DEV_HANDLE and VGPU_A_TYPE_NAME, both required
 *   Request (dump): VGPU_A_DEV_HANDLE  optional, only that parent's types
 *   Reply: an mdev type of a parent device:
 *             VGPU_A_DEV_HANDLE          string  the parent
 *             VGPU_A_TYPE_NAME           string  sysfs name "i915-GVTg_V5_4"
 *             VGPU_A_TYPE_PRETTY_NAME    string  absent if the driver has none
 *             VGPU_A_TYPE_DEVICE_API     string  "vfio-pci"
 *             VGPU_A_TYPE_AVAILABLE      u32     available_instances
 *             VGPU_A_TYPE_DESCRIPTION    string  raw description
 *             and when the description has the i915 GVT-g form:
 *             VGPU_A_TYPE_LOW_GM_MB      u32
 *             VGPU_A_TYPE_HIGH_GM_MB     u32
 *             VGPU_A_TYPE_FENCE          u32
 *             VGPU_A_TYPE_RESOLUTION     string  "1920x1200"
 *             VGPU_A_TYPE_WEIGHT         u32
 *
 * VGPU_CMD_MDEV_GET (do, dump)
 *   Request (do):   VGPU_A_MDEV_UUID   required
 *   Request (dump): VGPU_A_DEV_HANDLE  optional, only that parent's mdevs
 *   Every mdev on the host is listed, not only those vgpu_nl created.
 *   Reply:    VGPU_A_MDEV_UUID           string  "xxxxxxxx-xxxx-..." (36)
 *             VGPU_A_MDEV_PARENT         string  handle of the parent
 *             VGPU_A_MDEV_TYPE           string  type sysfs name
 *             VGPU_A_MDEV_DRIVER         string  absent if none bound
 *             VGPU_A_MDEV_IOMMU_GROUP    u32     the VFIO group (/dev/vfio/N)
 *             VGPU_A_MDEV_OWNED          u8      1 if created through vgpu_nl
 *             VGPU_A_MDEV_REMOVING       u8      1 while a forced removal
 *                                                waits for the VM to let go
 *             VGPU_A_MDEV_IN_USE         u8      (do only) 1 if a process
 *                                                holds the mdev's VFIO group,
 *                                                cdev or device file open,
 *                                                in any PID namespace; absent
 *                                                when that could not be told
 *
 * VGPU_CMD_MDEV_ADD (do, admin)
 *   Request:  VGPU_A_DEV_HANDLE, VGPU_A_TYPE_NAME   required
 *             VGPU_A_MDEV_UUID   optional; a random one is made if absent
 *   Reply:    the new mdev, as MDEV_GET (so the caller learns the UUID),
 *             without VGPU_A_MDEV_IN_USE.
 *   A UUID already in use is refused; a creation that fails is looked
 *   into: no mdev parent, no such type, no instances left
 *   (available_instances), each with its own reason, or the driver's error.
 *
 * VGPU_CMD_MDEV_DEL (do, admin)
 *   Request:  VGPU_A_MDEV_UUID   required
 *             VGPU_A_FORCE       flag: remove an mdev vgpu_nl did not
 *                                create (Proxmox VE and mdevctl make their
 *                                own)
 *             VGPU_A_MDEV_IF_UNUSED  flag: refuse, with -EBUSY and this
 *                                attribute as the one at fault, if a
 *                                process holds the mdev's VFIO group,
 *                                cdev or device file open (the check
 *                                of MDEV_GET's VGPU_A_MDEV_IN_USE), or
 *                                if that cannot be told; nothing is
 *                                queued then (API 7)
 *   Reply:    none (ack): the mdev is gone. Without VGPU_A_MDEV_IF_UNUSED
 *   DEL does not refuse an mdev in use. If the removal blocks because a VM
 *   opened it meanwhile (or holds it, without the flag), the answer is
 *   -EBUSY after a second, the mdev shows VGPU_A_MDEV_REMOVING, and it is
 *   removed in the background as soon as the VM lets go of the mdev's VFIO
 *   group and device: VGPU_EVENT_MDEV_DEL tells when. The vgpu-nl tool sends the flag unless
 *   forced, and only after a refusal asks MDEV_GET, to name the holders.
 *
 * VGPU_CMD_RESOURCE_GET (do, dump)
 *   Request (do):   VGPU_A_DEV_HANDLE  required
 *   Request (dump): VGPU_A_DEV_HANDLE  optional, only that device's report
 *   (which may take more than one message: thousands of mdevs).
 *   Reply:    VGPU_A_DEV_HANDLE
 *             VGPU_A_DEV_PROVISIONING  string  the VF provisioning layout
 *                                      found on the PF: "i915-prelim_iov",
 *                                      "xe-sriov", "xe-debugfs-gt"; absent
 *                                      if the PF has none
 *             VGPU_A_RESOURCE          nest, repeated: one resource each
 *                 VGPU_A_RES_NAME      string  "ggtt", "contexts", "low_gm",
 *                                              "vf1", "pf_spare", an mdev UUID
 *                 VGPU_A_RES_UNIT      u8      enum vgpu_res_unit
 *                 VGPU_A_RES_SIZE      u64     absent when the driver does
 *                                              not publish the total (GVT-g)
 *                 VGPU_A_RES_OCC       u64     occupied
 *                 VGPU_A_RES_FREE      u64     still free for VFs/mdevs
 *                 VGPU_A_RES_MAX_QUOTA u64     largest quota one VF can get
 *                 VGPU_A_RES_CHILD     nest, repeated: what occupies it,
 *                                      same attributes (without children)
 *             VGPU_A_DEV_PROV_MODE     u8      as in DEV_GET
 *   SR-IOV (i915 prelim_iov, xe): ggtt, contexts, doorbells, vram (where
 *   the device has VRAM) of the first GT/tile, and "gt1/contexts" and
 *   "gt1/doorbells" where i915 has a media GT; size is what VFs and the
 *   PF's spare can get: the VFs' quotas plus the driver's free amount;
 *   children are "pf_spare" (kept for the PF, not given to VFs by auto
 *   provisioning) and "vfN" (1-based, as the driver names them). Children
 *   plus free add up to size.
 *   GVT-g: low_gm, high_gm (bytes) and fences (count); occ is what the
 *   existing mdevs hold by their types, each mdev a child (named by UUID).
 *   i915 does not publish the aperture's total, so size is absent.
 *
 * VF quotas (VGPU_A_VF_QUOTA, nest of enum vgpu_quota_attr)
 * ----------
 *   VGPU_A_QUOTA_GGTT               u64  bytes
 *   VGPU_A_QUOTA_CONTEXTS           u32
 *   VGPU_A_QUOTA_DOORBELLS          u32
 *   VGPU_A_QUOTA_VRAM               u64  bytes (xe with VRAM)
 *   VGPU_A_QUOTA_EXEC_QUANTUM_MS    u32
 *   VGPU_A_QUOTA_PREEMPT_TIMEOUT_US u32
 *   VGPU_A_QUOTA_PRIORITY           u8   enum vgpu_priority (xe sriov_admin)
 *   VGPU_A_QUOTA_GT1_CONTEXTS, _GT1_DOORBELLS, _GT1_EXEC_QUANTUM_MS,
 *   _GT1_PREEMPT_TIMEOUT_US        u32  the same for a media GT (i915 gt1,
 *                                       Meteor Lake), which has its own
 *                                       contexts and doorbells
 * VF_GET replies carry the VF's current values of those its PF's layout
 * has. VF_SET takes any subset: the whole set is checked first (the
 * layout has the key, the value fits its type, it is within what is free
 * and below the driver's maximum); then the driver's files are written one
 * by one, and if one write fails every earlier one is written back, so the
 * VF ends as it was. A rejection by the driver (-EBUSY in a state where it
 * forbids the change, -EDQUOT, -ENOSPC) is reported with its meaning.
 *
 * Provisioning modes (VGPU_A_DEV_PROV_MODE)
 * ------------------
 * Both drivers give enabled VFs a fair share of every pool by themselves
 * (auto); a quota set by hand switches that off for the whole PF (custom),
 * and VFs enabled then get nothing but what was set.
 *   i915-sriov-dkms: prelim_iov/pf/auto_provisioning, read and written as
 *   is; custom can be asked for (auto_provisioning 0).
 *   xe 6.19+: every debugfs provisioning write makes the PF custom until
 *   sriov/restore_auto_provisioning is written, which the driver refuses
 *   while VFs are enabled; sysfs (sriov_admin) writes keep the mode. xe
 *   publishes no file that reads the mode: with VFs enabled vgpu_nl asks
 *   restore_auto_provisioning, which changes nothing then (auto: accepted,
 *   custom: -EBUSY), holding the PF's device lock so that the VFs stay;
 *   with VFs disabled a VF holding GGTT, contexts, doorbells or VRAM means
 *   custom (auto mode releases them on disable), and so does a debugfs
 *   write of vgpu_nl's own since the driver bound. Custom cannot be asked
 *   for: the first quota set makes it.
 *   xe before 6.19 has no modes (it provisions VFs without quotas at every
 *   enable): VGPU_A_DEV_PROV_MODE is absent.
 * DEV_SET to auto does the driver's order: VFs in use refuse it unless
 * VGPU_A_FORCE; enabled VFs are disabled first (i915: every VF quota is
 * then cleared, as auto_provisioning 1 needs), the mode is switched, and
 * the VFs are enabled again, which makes the driver provision them.
 *
 * VF control (VGPU_A_VF_CONTROL, VGPU_A_VF_STATE)
 * ----------
 *   xe 6.19+: stop through sriov_admin/vfN/stop (the stable ABI), pause,
 *   resume and reset (an FLR) through debugfs sriov/vfN/; before 6.19
 *   gt0/vfN/control (stop, pause, resume; no reset).
 *   i915-sriov-dkms: vfN/control (stop, pause, resume; no reset).
 * A control the driver has no file for is refused with the reason, and so
 * are the driver's own refusals (a stopped VF cannot be paused; only a
 * reset brings it back). The drivers keep a VF's state to themselves: the
 * state reported is the last control vgpu_nl applied, forgotten when the
 * VF goes away; an FLR made elsewhere (a VM resetting its VF) is not seen.
 *
 * VGPU_CMD_EVENT (notification on "monitor" only; never requested)
 *             VGPU_A_EVENT               u8, enum vgpu_event
 *             VGPU_A_DEV_HANDLE          the device the event is about
 *                                        (for VF events: the VF's PF; mdev
 *                                        events name VGPU_A_MDEV_PARENT)
 *             VGPU_A_DEV_DRIVER          BIND/UNBIND of a device: driver
 *             VGPU_A_DEV_SRIOV           DEV_CHANGE: new state; NUMVFS:
 *                                        VGPU_A_SRIOV_NUMVFS
 *             VGPU_A_VF_HANDLE           VF events and BIND/UNBIND of a VF
 *             VGPU_A_VF_INDEX            VF events
 *             VGPU_A_VF_DRIVER           BIND/UNBIND of a VF: driver
 *                                        QUOTA: the VF whose quotas changed
 *             VGPU_A_MDEV_UUID,          MDEV_ADD/MDEV_DEL
 *             VGPU_A_MDEV_PARENT,
 *             VGPU_A_MDEV_TYPE
 *             VGPU_A_EVENT_SEQ           u32, on every event: its number
 *   Every event announced gets the next sequence number of the family
 *   (1, 2, ...; after 0xffffffff comes 0), and events are multicast in
 *   the order of their numbers. A number is taken whenever there is a
 *   listener, also by an event that could not be sent (no memory), so
 *   that a listener whose receive queue overflowed (recvmsg() says
 *   ENOBUFS) learns how many it missed from the gap before the next event
 *   it receives: SEQ - last SEQ - 1, modulo 2^32. VERSION_GET's
 *   VGPU_A_EVENT_SEQ closes a gap at the end of a burst: asked after the
 *   queue was read empty, every number up to it that did not arrive was
 *   lost.
 *   Changes made outside vgpu_nl (a write to sriov_numvfs, another tool
 *   binding a driver) are reported the same way: a PCI bus notifier sees
 *   them. NUMVFS is sent once the PF's device lock is free again, i.e.
 *   after the whole change, whoever made it.
 *
 * VFs in use
 * ----------
 * The kernel sees two signs of a VF in use: PCI_DEV_FLAGS_ASSIGNED (legacy
 * assignment) and an IOMMU group whose DMA ownership is claimed (VFIO with
 * a container or iommufd, as a running VM has). It refuses to change the
 * VF count then unless VGPU_A_FORCE is given, through netlink and through
 * its own /sys/kernel/vgpu_nl/<dev>/numvfs alike (a write to the PCI
 * core's sriov_numvfs bypasses vgpu_nl and cannot be refused), and refuses
 * VF_SET on such a VF: unbinding vfio-pci would wait for the VM.
 * An open /dev/vfio/N or /dev/vfio/devices/vfioX file descriptor without
 * a claim is invisible to it: that is process state, which userspace reads
 * from /proc (the vgpu-nl tool does, before sending the request).
 * An mdev is asked after one at a time (MDEV_GET do, VGPU_A_MDEV_IN_USE,
 * or MDEV_DEL with VGPU_A_MDEV_IF_UNUSED): the kernel looks through every
 * task's open files for its group's and cdev's device numbers, which no
 * /proc walk of one PID namespace can match, and asks VFIO how often the
 * device itself is open (a device file kept without its group is an
 * anonymous inode, which no device number and no /proc link names); the
 * tool reads /proc then only to name the holders. MDEV_DEL opens the group
 * itself first (its removal holds it), and only a group it cannot open is
 * looked for so.
 *
 * Attributes not listed for a command are rejected (strict validation).
 */
#ifndef _UAPI_LINUX_VGPU_NL_H
#define _UAPI_LINUX_VGPU_NL_H

#define VGPU_GENL_NAME		"vgpu"
#define VGPU_GENL_VERSION	1
#define VGPU_GENL_MCGRP_MONITOR	"monitor"

/* Bumped whenever a command or attribute is added. */
#define VGPU_API_VERSION	7

/* An mdev UUID in its canonical text form, without the NUL. */
#define VGPU_UUID_LEN		36

/* Longest handle: "pci/" + "DDDD:BB:DD.F" + NUL, with room for other buses. */
#define VGPU_HANDLE_MAX		64

enum vgpu_cmd {
	VGPU_CMD_UNSPEC,
	VGPU_CMD_VERSION_GET,
	VGPU_CMD_DEV_GET,
	VGPU_CMD_DEV_SET,
	VGPU_CMD_EVENT,
	VGPU_CMD_VF_GET,
	VGPU_CMD_VF_SET,
	VGPU_CMD_TYPE_GET,
	VGPU_CMD_MDEV_GET,
	VGPU_CMD_MDEV_ADD,
	VGPU_CMD_MDEV_DEL,
	VGPU_CMD_RESOURCE_GET,

	__VGPU_CMD_MAX,
	VGPU_CMD_MAX = __VGPU_CMD_MAX - 1
};

enum vgpu_attr {
	VGPU_A_UNSPEC,
	VGPU_A_VERSION,
	VGPU_A_API_VERSION,
	VGPU_A_DEV_HANDLE,
	VGPU_A_DEV_VENDOR,
	VGPU_A_DEV_DEVICE,
	VGPU_A_DEV_SUBSYS_VENDOR,
	VGPU_A_DEV_SUBSYS_DEVICE,
	VGPU_A_DEV_CLASS,
	VGPU_A_DEV_DRIVER,
	VGPU_A_DEV_IOMMU_GROUP,
	VGPU_A_DEV_SRIOV,
	VGPU_A_DEV_MDEV_PARENT,
	VGPU_A_EVENT,
	VGPU_A_FORCE,
	VGPU_A_VF_HANDLE,
	VGPU_A_VF_PF,
	VGPU_A_VF_INDEX,
	VGPU_A_VF_DRIVER,
	VGPU_A_VF_DRIVER_OVERRIDE,
	VGPU_A_VF_IOMMU_GROUP,
	VGPU_A_VF_ASSIGNED,
	VGPU_A_DEV_MDEV_TYPES,
	VGPU_A_TYPE_NAME,
	VGPU_A_TYPE_PRETTY_NAME,
	VGPU_A_TYPE_DEVICE_API,
	VGPU_A_TYPE_AVAILABLE,
	VGPU_A_TYPE_DESCRIPTION,
	VGPU_A_TYPE_LOW_GM_MB,
	VGPU_A_TYPE_HIGH_GM_MB,
	VGPU_A_TYPE_FENCE,
	VGPU_A_TYPE_RESOLUTION,
	VGPU_A_TYPE_WEIGHT,
	VGPU_A_MDEV_UUID,
	VGPU_A_MDEV_PARENT,
	VGPU_A_MDEV_TYPE,
	VGPU_A_MDEV_DRIVER,
	VGPU_A_MDEV_IOMMU_GROUP,
	VGPU_A_MDEV_OWNED,
	VGPU_A_MDEV_REMOVING,
	VGPU_A_VF_QUOTA,
	VGPU_A_DEV_PROVISIONING,
	VGPU_A_RESOURCE,
	VGPU_A_DEV_PROV_MODE,
	VGPU_A_DEV_PROV_CYCLED,
	VGPU_A_DEV_PROFILE,
	VGPU_A_VF_CONTROL,
	VGPU_A_VF_CONTROLS,
	VGPU_A_VF_STATE,
	VGPU_A_VF_MIGRATION,
	VGPU_A_EVENT_SEQ,
	VGPU_A_MDEV_IN_USE,
	VGPU_A_MDEV_IF_UNUSED,

	__VGPU_A_MAX,
	VGPU_A_MAX = __VGPU_A_MAX - 1
};

enum vgpu_sriov_attr {
	VGPU_A_SRIOV_UNSPEC,
	VGPU_A_SRIOV_TOTALVFS,
	VGPU_A_SRIOV_NUMVFS,
	VGPU_A_SRIOV_AUTOPROBE,

	__VGPU_A_SRIOV_MAX,
	VGPU_A_SRIOV_MAX = __VGPU_A_SRIOV_MAX - 1
};

/* Values of VGPU_A_EVENT; userspace prints the names in the comments. */
enum vgpu_event {
	VGPU_EVENT_UNSPEC,
	VGPU_EVENT_DEV_ADD,	/* "dev-add": a managed device appeared */
	VGPU_EVENT_DEV_DEL,	/* "dev-del": a managed device went away */
	VGPU_EVENT_BIND,	/* "bind": a driver bound to the device */
	VGPU_EVENT_UNBIND,	/* "unbind": its driver went away */
	VGPU_EVENT_DEV_CHANGE,	/* "dev-change": a setting changed (DEV_SET) */
	VGPU_EVENT_NUMVFS,	/* "numvfs": the VF count of a PF changed */
	VGPU_EVENT_VF_ADD,	/* "vf-add": a VF appeared */
	VGPU_EVENT_VF_DEL,	/* "vf-del": a VF went away */
	VGPU_EVENT_MDEV_ADD,	/* "mdev-add": an mdev was created */
	VGPU_EVENT_MDEV_DEL,	/* "mdev-del": an mdev was removed */
	VGPU_EVENT_QUOTA,	/* "quota": a VF's quotas were changed */

	__VGPU_EVENT_MAX,
	VGPU_EVENT_MAX = __VGPU_EVENT_MAX - 1
};

enum vgpu_quota_attr {
	VGPU_A_QUOTA_UNSPEC,
	VGPU_A_QUOTA_PAD,
	VGPU_A_QUOTA_GGTT,
	VGPU_A_QUOTA_CONTEXTS,
	VGPU_A_QUOTA_DOORBELLS,
	VGPU_A_QUOTA_VRAM,
	VGPU_A_QUOTA_EXEC_QUANTUM_MS,
	VGPU_A_QUOTA_PREEMPT_TIMEOUT_US,
	VGPU_A_QUOTA_PRIORITY,
	VGPU_A_QUOTA_GT1_CONTEXTS,
	VGPU_A_QUOTA_GT1_DOORBELLS,
	VGPU_A_QUOTA_GT1_EXEC_QUANTUM_MS,
	VGPU_A_QUOTA_GT1_PREEMPT_TIMEOUT_US,

	__VGPU_A_QUOTA_MAX,
	VGPU_A_QUOTA_MAX = __VGPU_A_QUOTA_MAX - 1
};

/* Values of VGPU_A_DEV_PROV_MODE. */
enum vgpu_prov_mode {
	VGPU_PROV_MODE_AUTO = 1,	/* "auto": the driver shares the pools */
	VGPU_PROV_MODE_CUSTOM,		/* "custom": quotas set by hand only */
};

/* Values of VGPU_A_VF_CONTROL (and bits of VGPU_A_VF_CONTROLS). */
enum vgpu_vf_control {
	VGPU_VF_CONTROL_STOP = 1,	/* "stop": until a reset */
	VGPU_VF_CONTROL_PAUSE,		/* "pause" */
	VGPU_VF_CONTROL_RESUME,		/* "resume": a paused VF */
	VGPU_VF_CONTROL_RESET,		/* "reset": a function level reset */
};

/* Values of VGPU_A_VF_STATE. */
enum vgpu_vf_state {
	VGPU_VF_STATE_RUNNING = 1,	/* "running": resumed or reset */
	VGPU_VF_STATE_PAUSED,		/* "paused" */
	VGPU_VF_STATE_STOPPED,		/* "stopped" */
};

/* Values of VGPU_A_QUOTA_PRIORITY, as xe's sched_priority names them. */
enum vgpu_priority {
	VGPU_PRIORITY_LOW,
	VGPU_PRIORITY_NORMAL,
	VGPU_PRIORITY_HIGH,
};

enum vgpu_res_attr {
	VGPU_A_RES_UNSPEC,
	VGPU_A_RES_PAD,
	VGPU_A_RES_NAME,
	VGPU_A_RES_UNIT,
	VGPU_A_RES_SIZE,
	VGPU_A_RES_OCC,
	VGPU_A_RES_FREE,
	VGPU_A_RES_MAX_QUOTA,
	VGPU_A_RES_CHILD,

	__VGPU_A_RES_MAX,
	VGPU_A_RES_MAX = __VGPU_A_RES_MAX - 1
};

/* Values of VGPU_A_RES_UNIT. */
enum vgpu_res_unit {
	VGPU_RES_UNIT_BYTES,
	VGPU_RES_UNIT_COUNT,
};

#endif /* _UAPI_LINUX_VGPU_NL_H */
