# SPDX-License-Identifier: GPL-2.0
#
# passthrough-roots.sh - fake roots of the whole-GPU passthrough tutorials,
# for tests/host/hostsetup.sh (sourced; needs $tmp). Each function makes
# a fresh root under $tmp and prints its path.
#
#   intel_n100   Proxmox VE on GRUB, Intel N100 (GenuineIntel, dmar0):
#                iGPU 0000:00:02.0 8086:46d1 on i915, boot display, alone
#                in IOMMU group 1; the PCH's HD audio 0000:00:1f.3 8086:54c8
#                in group 10 with its ISA bridge (no driver), SMBus
#                (i801_smbus) and SPI (intel-spi) functions
#   amd_nvidia   Proxmox VE on systemd-boot (ZFS), AMD Ryzen (AuthenticAMD,
#                ivhd0): NVIDIA 0000:01:00.0 10de:2d04 on nouveau with its
#                audio 0000:01:00.1 10de:22eb on snd_hda_intel, in IOMMU
#                group 12 with their root port 0000:00:01.1; the CPU's
#                Radeon iGPU 0000:0e:00.0 1002:164e on amdgpu is the boot
#                display
#   twin_nvidia  Debian on GRUB, Intel: two identical NVIDIA cards,
#                0000:01:00.0 (boot display) and 0000:02:00.0, 10de:2204 on
#                nvidia, each with its audio 10de:1aef, and a datacenter
#                GPU 0000:03:00.0 10de:2335 class 0x030200 (3D, no boot_vga
#                file) on nvidia, each card in a group of its own
# dev ROOT NAME VENDOR DEVICE CLASS DRIVER BOOT_VGA GROUP [SUBSYS]: a PCI
# function as sysfs shows it; DRIVER, BOOT_VGA, GROUP "-" for none,
# SUBSYS "VVVV:DDDD".
dev() {
	local r=$1 name=$2 d=$1/sys/devices/pci0000:00/$2 g
	mkdir -p "$d" "$r/sys/bus/pci/devices"
	echo "$3" >"$d/vendor"
	echo "$4" >"$d/device"
	echo "$5" >"$d/class"
	[ "$6" = - ] || {
		mkdir -p "$r/sys/bus/pci/drivers/$6"
		ln -s "../../../bus/pci/drivers/$6" "$d/driver"
	}
	[ "$7" = - ] || echo "$7" >"$d/boot_vga"
	if [ "$8" != - ]; then
		g=$r/sys/kernel/iommu_groups/$8
		mkdir -p "$g/devices"
		ln -s "../../../../devices/pci0000:00/$name" "$g/devices/$name"
		ln -s "../../../kernel/iommu_groups/$8" "$d/iommu_group"
	fi
	if [ -n "${9:-}" ]; then
		echo "0x${9%:*}" >"$d/subsystem_vendor"
		echo "0x${9#*:}" >"$d/subsystem_device"
	fi
	ln -s "../../../devices/pci0000:00/$name" "$r/sys/bus/pci/devices/$name"
}

# bind ROOT NAME DRIVER: what the next boot does with the plan applied.
bind() {
	local d=$1/sys/devices/pci0000:00/$2
	rm -f "$d/driver"
	mkdir -p "$1/sys/bus/pci/drivers/$3"
	ln -s "../../../bus/pci/drivers/$3" "$d/driver"
}

# host_base ROOT VENDOR_ID HOSTNAME IOMMU_UNIT
host_base() {
	mkdir -p "$1/etc/modules-load.d" "$1/etc/modprobe.d" "$1/proc/sys/kernel" \
		"$1/sys/class/iommu/$4"
	printf 'processor\t: 0\nvendor_id\t: %s\nmodel name\t: x\n' "$2" >"$1/proc/cpuinfo"
	echo "$3" >"$1/proc/sys/kernel/hostname"
	echo "$3" >"$1/etc/hostname"
	printf '# /etc/modules: kernel modules to load at boot time.\n' >"$1/etc/modules"
	printf ' 24: 0 IR-PCI-MSI 49152-edge PCIe PME\n' >"$1/proc/interrupts"
}

intel_n100() {
	local r=$tmp/$1
	rm -rf "$r"
	host_base "$r" GenuineIntel pve-n100 dmar0
	mkdir -p "$r/etc/default"
	cat >"$r/etc/default/grub" <<'G'
GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR="Proxmox VE"
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX=""
G
	echo 'BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root ro quiet' >"$r/proc/cmdline"
	dev "$r" 0000:00:00.0 0x8086 0x461c 0x060000 - - 0
	dev "$r" 0000:00:02.0 0x8086 0x46d1 0x030000 i915 1 1 8086:7270
	dev "$r" 0000:00:1f.0 0x8086 0x5481 0x060100 - - 10 8086:7270
	dev "$r" 0000:00:1f.3 0x8086 0x54c8 0x040300 snd_hda_intel - 10 8086:7270
	dev "$r" 0000:00:1f.4 0x8086 0x54a3 0x0c0500 i801_smbus - 10 8086:7270
	dev "$r" 0000:00:1f.5 0x8086 0x54a4 0x0c8000 intel-spi - 10 8086:7270
	echo "$r"
}

amd_nvidia() {
	local r=$tmp/$1
	rm -rf "$r"
	host_base "$r" AuthenticAMD pve-amd ivhd0
	mkdir -p "$r/etc/kernel"
	printf 'root=ZFS=rpool/ROOT/pve-1 boot=zfs\n' >"$r/etc/kernel/cmdline"
	printf 'ABCD-1234\n' >"$r/etc/kernel/proxmox-boot-uuids"
	echo 'initrd=\EFI\proxmox\6.8.12-4-pve\initrd.img-6.8.12-4-pve root=ZFS=rpool/ROOT/pve-1 boot=zfs' >"$r/proc/cmdline"
	dev "$r" 0000:00:01.1 0x1022 0x14db 0x060400 pcieport - 12
	dev "$r" 0000:01:00.0 0x10de 0x2d04 0x030000 nouveau 0 12 1458:4191
	dev "$r" 0000:01:00.1 0x10de 0x22eb 0x040300 snd_hda_intel - 12 1458:4191
	dev "$r" 0000:0e:00.0 0x1002 0x164e 0x030000 amdgpu 1 20 1043:8877
	echo "$r"
}

twin_nvidia() {
	local r=$tmp/$1
	rm -rf "$r"
	host_base "$r" GenuineIntel deb-twin dmar0
	mkdir -p "$r/etc/default"
	echo 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"' >"$r/etc/default/grub"
	echo 'BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 ro quiet' >"$r/proc/cmdline"
	dev "$r" 0000:01:00.0 0x10de 0x2204 0x030000 nvidia 1 13 1462:3881
	dev "$r" 0000:01:00.1 0x10de 0x1aef 0x040300 snd_hda_intel - 13 1462:3881
	dev "$r" 0000:02:00.0 0x10de 0x2204 0x030000 nvidia 0 14 1462:3881
	dev "$r" 0000:02:00.1 0x10de 0x1aef 0x040300 snd_hda_intel - 14 1462:3881
	dev "$r" 0000:03:00.0 0x10de 0x2335 0x030200 nvidia - 15 10de:18be
	echo "$r"
}
