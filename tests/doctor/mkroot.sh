#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkroot.sh CASE DIR - a minimal fake host root for `vgpu-nl doctor --root DIR`
#
# Cases (each a host the VM test bed cannot be):
#   gvt-ok           Comet Lake 8086:9bc8 on i915 with GVT-g working
#   gvt-no-enable    the same, booted without i915.enable_gvt=1
#   sriov-ok         Alder Lake-S 8086:4680 on i915-sriov-dkms, 2 VFs
#   sriov-stock      the same GPU on the stock i915 (sriov_totalvfs 0)
#   xe-configfs      Battlemage 8086:e20b on xe, kernel 7.3 with configfs,
#                    sriov_totalvfs 0 (no VF limit set yet)
#   xe-tgl           Tiger Lake 8086:9a49 on xe (forced in modprobe.d:
#                    /sys/module/xe/parameters/force_probe), kernel 6.12,
#                    7 VFs from xe.max_vfs=7 on the command line
#   iommu-off        GVT-g host without intel_iommu=on, no IOMMU
#   dkms-missing     GVT-g host whose newer kernel lacks the module
#   pf-passthrough   Alder Lake-S PF bound to vfio-pci with 2 VFs
#   sb-unenrolled    GVT-g host with Secure Boot on, DKMS key not enrolled
#   amd-passthrough  AMD host (AuthenticAMD, AMD-Vi ivhd0, interrupts
#                    remapped): NVIDIA 0000:01:00.0 10de:2d04 on nouveau
#                    and its audio 0000:01:00.1 on snd_hda_intel in IOMMU
#                    group 12 with their root port 0000:00:01.1 and a NIC
#                    0000:02:00.0 on r8169
#
# Only what doctor reads is made; sysfs links are relative, as in sysfs.
set -eu

CASE=${1:?usage: mkroot.sh CASE DIR}
R=${2:?usage: mkroot.sh CASE DIR}
OLD=6.1.0-56-amd64
NEW=6.12.117+deb12-amd64
GPU=0000:00:02.0

w() { mkdir -p "$(dirname "$R/$1")"; printf '%s\n' "$2" >"$R/$1"; }
l() { mkdir -p "$(dirname "$R/$1")"; ln -sfn "$2" "$R/$1"; }

# pci NAME VENDOR DEVICE CLASS DRIVER GROUP
pci() {
	local d=sys/bus/pci/devices/$1
	w "$d/vendor" "$2"
	w "$d/device" "$3"
	w "$d/class" "$4"
	[[ -z $5 ]] || l "$d/driver" "../../../bus/pci/drivers/$5"
	if [[ -n $6 ]]; then
		l "$d/iommu_group" "../../../../kernel/iommu_groups/$6"
		w "sys/kernel/iommu_groups/$6/devices/$1" ""
	fi
}

module() {
	w "sys/module/$1/initstate" live
	mkdir -p "$R/sys/module/$1/holders"
}

iommu_on() {
	w sys/class/iommu/dmar0/intel-iommu/ecap f00f4a
	printf ' 24: 0 IR-PCI-MSI 49152-edge PCIe PME\n 25: 0 IR-IO-APIC 9-fasteoi acpi\n' \
		>"$R/proc/interrupts"
}

# dkms PKG VER MOD KVER...: added, built and installed for each KVER
dkms() {
	local pkg=$1 ver=$2 mod=$3 k
	shift 3
	w "usr/src/$pkg-$ver/dkms.conf" "PACKAGE_NAME=\"$pkg\""
	l "var/lib/dkms/$pkg/$ver/source" "/usr/src/$pkg-$ver"
	for k; do
		w "var/lib/dkms/$pkg/$ver/$k/x86_64/module/$mod.ko.xz" ""
		w "lib/modules/$k/updates/dkms/$mod.ko.xz" ""
	done
}

base() {
	mkdir -p "$R/etc/modules-load.d" "$R/etc/modprobe.d"
	w proc/sys/kernel/osrelease "$OLD"
	w proc/cpuinfo "vendor_id	: GenuineIntel"
	: >"$R/proc/interrupts"
	for k in $OLD $NEW; do
		w "boot/vmlinuz-$k" ""
		w "lib/modules/$k/modules.dep" ""
		mkdir -p "$R/lib/modules/$k/build"
	done
	w etc/default/grub 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"'
	w sys/kernel/vgpu_nl/version 0.1.0
	w sys/module/vgpu_nl/parameters/extra_ids ""
	for m in vgpu_nl vfio vfio_iommu_type1 vfio_pci mdev; do module $m; done
	w etc/modules-load.d/vgpu.conf "$(printf '%s\n' vgpu_nl vfio vfio_iommu_type1 vfio_pci mdev kvmgt)"
	w var/lib/dkms/mok.pub "KEY-DER-BYTES"
	dkms vgpu-nl 0.1.0 vgpu_nl $OLD $NEW
}

# gvt CMDLINE ENABLE_GVT(Y|N) TYPES(yes|no)
gvt() {
	base
	iommu_on
	w proc/cmdline "$1"
	pci $GPU 0x8086 0x9bc8 0x030000 i915 0
	w sys/module/i915/parameters/enable_gvt "$2"
	module i915
	module kvmgt
	w "sys/kernel/vgpu_nl/$GPU/handle" "pci/$GPU"
	if [[ $3 == yes ]]; then
		w "sys/bus/pci/devices/$GPU/mdev_supported_types/i915-GVTg_V5_4/available_instances" 2
		w "sys/bus/pci/devices/$GPU/mdev_supported_types/i915-GVTg_V5_8/available_instances" 4
	fi
}

# sriov DRIVER NUMVFS TOTALVFS CMDLINE
sriov() {
	local i vf
	base
	iommu_on
	w proc/cmdline "$4"
	pci $GPU 0x8086 0x4680 0x030000 "$1" 0
	w "sys/bus/pci/devices/$GPU/sriov_totalvfs" "$3"
	w "sys/bus/pci/devices/$GPU/sriov_numvfs" "$2"
	w "sys/kernel/vgpu_nl/$GPU/handle" "pci/$GPU"
	module i915
	w sys/module/i915/parameters/enable_guc 3
	for ((i = 0; i < $2; i++)); do
		vf=0000:00:02.$((i + 1))
		pci "$vf" 0x8086 0x4680 0x030000 "" $((i + 1))
		l "sys/bus/pci/devices/$vf/physfn" "../$GPU"
		l "sys/bus/pci/devices/$GPU/virtfn$i" "../$vf"
	done
}

SRIOV_CMD="BOOT_IMAGE=/vmlinuz intel_iommu=on iommu=pt i915.enable_guc=3 i915.max_vfs=7"
GVT_CMD="BOOT_IMAGE=/vmlinuz intel_iommu=on iommu=pt i915.enable_gvt=1"

mkdir -p "$R"
case $CASE in
gvt-ok)
	gvt "$GVT_CMD" Y yes ;;
gvt-no-enable)
	gvt "BOOT_IMAGE=/vmlinuz intel_iommu=on iommu=pt" N no ;;
sriov-ok)
	sriov i915 2 7 "$SRIOV_CMD"
	w sys/module/i915/parameters/max_vfs 7
	dkms i915-sriov-dkms 2024.12.30 i915 $OLD $NEW ;;
sriov-stock)
	sriov i915 0 0 "$SRIOV_CMD" ;;
xe-configfs)
	sriov xe 0 0 "BOOT_IMAGE=/vmlinuz intel_iommu=on iommu=pt"
	w "sys/bus/pci/devices/$GPU/device" 0xe20b
	w proc/sys/kernel/osrelease 7.3.4+deb13-amd64
	mkdir -p "$R/sys/kernel/config/xe" ;;
xe-tgl)
	sriov xe 0 7 "BOOT_IMAGE=/vmlinuz intel_iommu=on iommu=pt xe.max_vfs=7"
	w "sys/bus/pci/devices/$GPU/device" 0x9a49
	module xe
	w sys/module/xe/parameters/force_probe 9a49
	w proc/sys/kernel/osrelease "$NEW" ;;
iommu-off)
	gvt "BOOT_IMAGE=/vmlinuz quiet i915.enable_gvt=1" Y yes
	rm -rf "$R/sys/class/iommu" "$R/sys/kernel/iommu_groups" \
		"$R/sys/bus/pci/devices/$GPU/iommu_group"
	: >"$R/proc/interrupts" ;;
dkms-missing)
	gvt "$GVT_CMD" Y yes
	rm -rf "$R/lib/modules/$NEW/updates" "$R/var/lib/dkms/vgpu-nl/0.1.0/$NEW" ;;
pf-passthrough)
	sriov vfio-pci 2 7 "$SRIOV_CMD"
	w sys/module/i915/parameters/max_vfs 7
	dkms i915-sriov-dkms 2024.12.30 i915 $OLD $NEW ;;
sb-unenrolled)
	gvt "$GVT_CMD" Y yes
	mkdir -p "$R/sys/firmware/efi/efivars" "$R/sys/firmware/efi/mok-variables"
	printf '\x06\x00\x00\x00\x01' \
		>"$R/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0f6c7b9a63e"
	printf 'OTHER-KEY' >"$R/sys/firmware/efi/mok-variables/MokListRT" ;;
amd-passthrough)
	base
	w proc/cpuinfo "vendor_id	: AuthenticAMD"
	w proc/cmdline "BOOT_IMAGE=/vmlinuz root=/dev/sda1 iommu=pt"
	w sys/class/iommu/ivhd0/amd-iommu/features 0x25bf732fa2295afe
	printf ' 24: 0 IR-PCI-MSI 49152-edge PCIe PME\n' >"$R/proc/interrupts"
	pci 0000:00:01.1 0x1022 0x14db 0x060400 pcieport 12
	pci 0000:01:00.0 0x10de 0x2d04 0x030000 nouveau 12
	pci 0000:01:00.1 0x10de 0x22eb 0x040300 snd_hda_intel 12
	pci 0000:02:00.0 0x10ec 0x8125 0x020000 r8169 12 ;;
*)
	echo "mkroot.sh: unknown case '$CASE'" >&2
	exit 2 ;;
esac
