#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The narrated session `make demo` runs inside the test guest, against the
# simulated vGPU PF ($VGPU_DEV, bound to vgpu_sim, 7 VFs possible).
set -eu

say() { printf '\n\033[1m## %s\033[0m\n' "$*"; }
run() {
	printf '$ %s\n' "$*"
	"$@" || printf '(exit status %d)\n' "$?"
}

say "vgpu-nl talks to the vgpu_nl kernel module over generic netlink"
run vgpu-nl version

say "Every GPU-like device it manages, with driver, IOMMU group and SR-IOV state"
run vgpu-nl dev show

say "The same for scripts: one JSON document"
run vgpu-nl -j -p dev show "$VGPU_DEV"

say "Short handles work too"
run vgpu-nl dev show "${VGPU_PF#0000:}"

say "Watch events in the background while things change"
vgpu-nl monitor &
mon=$!
sleep 0.5

say "Keep new VFs away from host drivers (VF driver autoprobe off)"
run vgpu-nl dev set "$VGPU_DEV" autoprobe off
run cat "/sys/bus/pci/devices/$VGPU_PF/sriov_drivers_autoprobe"

say "Three VFs for three VMs; the reply comes when they exist"
run vgpu-nl dev set "$VGPU_DEV" numvfs 3
run vgpu-nl vf show "$VGPU_DEV"

say "Hand one VF to VMs (vfio-pci); the PF itself is refused"
vf=$(vgpu-nl -j vf show "$VGPU_DEV" | jq -r '.vfs[0].handle')
run vgpu-nl vf set "$vf" driver vfio-pci
run vgpu-nl vf set "$VGPU_DEV" driver vfio-pci

say "A count the device cannot do, and a driver failure, are explained and undone"
run vgpu-nl dev set "$VGPU_DEV" numvfs 8
echo 5 >/sys/module/vgpu_sim/parameters/fail_configure
run vgpu-nl dev set "$VGPU_DEV" numvfs 5
run cat "/sys/bus/pci/devices/$VGPU_PF/sriov_numvfs"

say "What the GPU can still give: its driver's pools, the PF's spare, each VF's quota"
run vgpu-nl resource show "$VGPU_DEV"

say "Quotas for one VF, checked whole and written all or nothing"
vf2=$(vgpu-nl -j vf show "$VGPU_DEV" | jq -r '.vfs[2].handle')
run vgpu-nl vf set "$vf2" quota ggtt 256M contexts 1024 doorbells 16 exec-quantum 20 preempt-timeout 40000
run vgpu-nl vf show "$vf2"
run vgpu-nl vf set "$vf2" quota ggtt 64G
run vgpu-nl vf set "$vf2" quota priority high
echo 3 >/sys/module/vgpu_sim/parameters/fail_write
run vgpu-nl vf set "$vf2" quota ggtt 128M contexts 512 doorbells 8 exec-quantum 7
run vgpu-nl vf show "$vf2"

say "The same report for Prometheus (node_exporter's textfile collector)"
run sh -c "vgpu-nl resource show --format openmetrics | grep -E '^vgpu_(resource_(size|free)|vfs)\\{'"

say "The VM side: what to paste into libvirt, Proxmox VE or QEMU"
run vgpu-nl snippet "$vf" --format libvirt
run vgpu-nl snippet "$vf" --format pve --index 1

say "Keep it across reboots: save the state; apply puts it back"
run vgpu-nl save
run cat /etc/vgpu-nl/vgpu-nl.conf
run vgpu-nl reset "$VGPU_DEV"
run vgpu-nl apply
run vgpu-nl apply

say "A VM holding a VF: the count is not changed under it"
exec 3<>"/dev/vfio/$(basename "$(readlink "/sys/bus/pci/devices/${vf#pci/}/iommu_group")")"
run vgpu-nl dev set "$VGPU_DEV" numvfs 1
exec 3>&-
run vgpu-nl dev set "$VGPU_DEV" numvfs 0

say "GVT-g: the parent's mdev types, with what each would take"
run vgpu-nl type show "$VGPU_DEV"

say "One vGPU of type _4, UUID made up for us and kept for mdevctl"
uuid=$(vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_4 persist)
echo "$uuid"
run vgpu-nl mdev show
run mdevctl list
say "Every type's available_instances dropped as i915 computes it"
run sh -c "vgpu-nl -j type show $VGPU_DEV | jq -c '[.types[] | {name, available_instances}]'"

say "An mdev somebody else made (Proxmox style) is not ours to remove"
echo 00000100-0000-0000-0000-000000000001 \
	>"/sys/bus/pci/devices/$VGPU_PF/mdev_supported_types/vgpu_sim-GVTg_V5_8/create"
run vgpu-nl mdev del 00000100-0000-0000-0000-000000000001
run vgpu-nl mdev del 00000100-0000-0000-0000-000000000001 force
run vgpu-nl mdev del "$uuid"

say "A change made behind vgpu-nl's back is seen too: unbind and rebind by hand"
printf '$ echo %s > /sys/bus/pci/drivers/vgpu_sim/unbind\n' "$VGPU_PF"
echo "$VGPU_PF" >/sys/bus/pci/drivers/vgpu_sim/unbind
printf '$ echo %s > /sys/bus/pci/drivers/vgpu_sim/bind\n' "$VGPU_PF"
echo "$VGPU_PF" >/sys/bus/pci/drivers/vgpu_sim/bind
sleep 0.5

say "The sysfs tree gives shell users the same view and knobs"
run ls "/sys/kernel/vgpu_nl/$VGPU_PF"
printf '$ echo 1 > /sys/kernel/vgpu_nl/%s/autoprobe\n' "$VGPU_PF"
echo 1 >"/sys/kernel/vgpu_nl/$VGPU_PF/autoprobe"
sleep 0.5
kill "$mon"
wait "$mon" 2>/dev/null || true

say "Errors say what is wrong instead of EINVAL"
run vgpu-nl dev show pci/0000:99:00.0
run vgpu-nl dev show 00:00.0
run vgpu-nl dev show pci/zz
say "Changing things needs root; reading does not"
run setpriv --reuid=65534 --regid=65534 --clear-groups vgpu-nl dev set "$VGPU_DEV" autoprobe off

say "A host self-check: each finding with its evidence and fix"
run vgpu-nl doctor "$VGPU_DEV"

say "That was vgpu-nl on the simulated device. See README.md for a real host."
