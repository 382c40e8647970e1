#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VM configuration snippets for a real VF and a real mdev.
#
# Topology (tests/vm/run): the PF $VGPU_DEV bound to vgpu_sim, which is
# both an SR-IOV PF (2 VFs enabled here) and an mdev parent with four
# GVT-g-shaped types; one mdev of the first type is created here. Both
# are removed at the end.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

modprobe vfio_iommu_type1 2>/dev/null || true
PFS=$PCI/$VGPU_PF

vf_name() { basename "$(readlink "$PFS/virtfn$1")"; }

test_vf() {
	local vf bus slot fn
	check "dev set numvfs 2" vgpu-nl dev set "$VGPU_DEV" numvfs 2
	vf=$(vf_name 1)
	IFS=':.' read -r _ bus slot fn <<<"$vf"
	same "libvirt hostdev of VF $vf" \
		"$(vgpu-nl snippet "pci/$vf" --format libvirt)" \
"<hostdev mode='subsystem' type='pci' managed='yes'>
  <source>
    <address domain='0x0000' bus='0x$bus' slot='0x$slot' function='0x$fn'/>
  </source>
</hostdev>"
	same "pve line of VF $vf" "$(vgpu-nl snippet "$vf" --format pve --index 2 2>/dev/null)" \
		"hostpci2: $vf,pcie=1"
	same "qemu args of VF $vf" "$(vgpu-nl snippet "$vf" --format qemu)" \
		"-device vfio-pci,host=$vf"
	expect_fail 1 "Error: $VGPU_DEV is an SR-IOV PF with 2 VFs enabled: pass a VF to the VM, never the PF" \
		"the PF with VFs is refused" vgpu-nl snippet "$VGPU_DEV" --format libvirt
	check "dev set numvfs 0" vgpu-nl dev set "$VGPU_DEV" numvfs 0
	expect_fail 1 "Error: no PCI device $vf on this host" \
		"the removed VF is unknown" vgpu-nl snippet "$vf" --format qemu
}

test_mdev() {
	local type uuid
	type=$(vgpu-nl -j type show "$VGPU_DEV" | jq -r '.types[0].name')
	tap_run vgpu-nl mdev add "$VGPU_DEV" type "$type"
	uuid=$TAP_OUT
	if [[ $TAP_RC -eq 0 && $uuid =~ ^[0-9a-f-]{36}$ ]]; then
		ok "mdev add $type: $uuid"
	else
		not_ok "mdev add $type"
		tap_show
		return 0
	fi
	same "libvirt hostdev of mdev $uuid" "$(vgpu-nl snippet "$uuid" --format libvirt)" \
"<hostdev mode='subsystem' type='mdev' model='vfio-pci' managed='no'>
  <source>
    <address uuid='$uuid'/>
  </source>
</hostdev>"
	same "pve line of the mdev: parent and type" \
		"$(vgpu-nl snippet "$uuid" --format pve 2>/dev/null)" \
		"hostpci0: $VGPU_PF,mdev=$type"
	same "qemu args of the mdev" "$(vgpu-nl snippet "$uuid" --format qemu)" \
		"-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid"
	jq_check "snippet -j names parent and type" \
		".snippet.parent == \"$VGPU_PF\" and .snippet.type == \"$type\"" \
		vgpu-nl -j snippet "$uuid" --format qemu
	check "mdev del" vgpu-nl mdev del "$uuid"
	expect_fail 1 "Error: no mdev $uuid on this host" "the removed mdev is unknown" \
		vgpu-nl snippet "$uuid" --format libvirt
}

test_vf
test_mdev
tap_done
