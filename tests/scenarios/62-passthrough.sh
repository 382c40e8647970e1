#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Whole-device passthrough and Proxmox VE cluster mappings, on the test bed.
#
# Topology (tests/vm/run): the emulated nvme PF $VGPU_DEV (1b36:0010)
# behind root port rp1, bound to vgpu_sim: an SR-IOV PF (VFs at the
# following functions of its slot) and a GVT-g-shaped mdev parent. Here:
#   1. pve-mapping of a VF and of the mdev parent; an mdev with a Proxmox
#      VE UUID and its owner in "mdev show";
#   2. the PF handed to vfio-pci with no VFs: libvirt, PVE and QEMU
#      snippets naming every function of its slot; the libvirt one in a
#      domain through virt-xml-validate, the PVE one against qm.conf(5)
#      (tests/lib/pve-syntax.py quotes it), the QEMU one given to a nested
#      qemu-system-x86_64 -S (TCG) that must assign the device: QMP's
#      query-pci shows it and the process holds /dev/vfio/GROUP;
#   3. pve-mapping of the whole device; the PF back to vgpu_sim.
#
# The documented syntax the checks hold the output to (tests/lib/pve-syntax.py
# has the full quotes and sources):
#   qm.conf(5): hostpci[n]: [[host=]<HOSTPCIID[;HOSTPCIID2...]>]
#     [,device-id=<hex id>] [,legacy-igd=<1|0>] [,mapping=<mapping-id>]
#     [,mdev=<string>] [,pcie=<1|0>] [,rombar=<1|0>] [,romfile=<string>]
#     [,sub-device-id=<hex id>] [,sub-vendor-id=<hex id>]
#     [,vendor-id=<hex id>] [,x-vga=<1|0>]   (n 0..15, HOSTPCIID bus:dev.func)
#   POST /cluster/mapping/pci: id (pve-configid), [description], [mdev
#     (boolean)], map: node=<node>,path=<PCI path>,id=<vendor:device>
#     [,subsystem-id=<vendor:device>][,iommugroup=<integer>][,description=]
#   Proxmox VE's mdev UUIDs (qemu-server generate_mdev_uuid()):
#     sprintf("%08d-0000-0000-0000-%012d", $index, $vmid)
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

modprobe vfio-pci
modprobe vfio_iommu_type1 2>/dev/null || true
PFS=$PCI/$VGPU_PF
PVE_SYNTAX=$VGPU_CHECKOUT/tests/lib/pve-syntax.py
QMP=$VGPU_CHECKOUT/tests/lib/qmp.py
WORK=$(mktemp -d)
GROUP=$(basename "$(readlink "$PFS/iommu_group")")
echo pve-guest.example.org >/proc/sys/kernel/hostname

# hexid FN ATTR: "1b36" from sysfs' "0x1b36".
hexid() { sed 's/^0x//' "$PCI/$1/$2"; }

# The mapping command of FN as the documentation wants it, from sysfs.
expect_map() {
	local fn=$1 path=$2 id=$3 extra=$4 sub=""
	[[ -r $PCI/$fn/subsystem_vendor ]] &&
		sub=",subsystem-id=$(hexid "$fn" subsystem_vendor):$(hexid "$fn" subsystem_device)"
	printf 'pvesh create /cluster/mapping/pci --id %s --map node=pve-guest,path=%s,id=%s:%s%s,iommugroup=%s%s' \
		"$id" "$path" "$(hexid "$fn" vendor)" "$(hexid "$fn" device)" "$sub" \
		"$(basename "$(readlink "$PCI/$fn/iommu_group")")" "$extra"
}

# map_check DESC EXPECTED CMD...: the command's mapping line is EXPECTED and
# has the API's syntax.
map_check() {
	local desc=$1 want=$2
	shift 2
	check "$desc: snippet" "$@"
	local out=$TAP_OUT
	same "$desc: node, path, id, subsystem-id, iommugroup from sysfs" \
		"$(grep -v '^#' <<<"$out")" "$want"
	check "$desc: the /cluster/mapping/pci API's parameters and formats" \
		bash -c 'printf "%s\n" "$2" | "$1" mapping' - "$PVE_SYNTAX" "$out"
}

test_mappings() {
	local vf type uuid=00000001-0000-0000-0000-000000000100
	check "dev set numvfs 2" vgpu-nl dev set "$VGPU_DEV" numvfs 2
	vf=$(basename "$(readlink "$PFS/virtfn1")")
	map_check "pve-mapping of VF $vf" \
		"$(expect_map "$vf" "$vf" "vf-$(hexid "$vf" vendor)-$(hexid "$vf" device)" "")" \
		vgpu-nl snippet "$vf" --format pve-mapping
	expect_fail 1 "Error: $VGPU_DEV is an SR-IOV PF with 2 VFs enabled: pass a VF to the VM, never the PF" \
		"the PF with VFs: no whole-device snippet" vgpu-nl snippet "$VGPU_DEV" --format qemu
	check "dev set numvfs 0" vgpu-nl dev set "$VGPU_DEV" numvfs 0

	map_check "pve-mapping of the mdev parent" \
		"$(expect_map "$VGPU_PF" "$VGPU_PF" igpu " --mdev 1")" \
		vgpu-nl snippet "$VGPU_DEV" --format pve-mapping --mapping igpu

	# Proxmox VE names its mdevs after the VM: VM 100's hostpci1.
	type=$(vgpu-nl -j type show "$VGPU_DEV" | jq -r '.types[0].name')
	check "mdev add with a Proxmox VE UUID" vgpu-nl mdev add "$VGPU_DEV" type "$type" uuid "$uuid"
	expect_out "^$uuid: .* owner proxmox-ve vm 100 hostpci1$" \
		"mdev show names VM 100 (hostpci1) as its owner" vgpu-nl mdev show "$VGPU_DEV"
	jq_check "mdev show -j: owner {manager, vmid, hostpci}" \
		".mdevs[] | select(.uuid == \"$uuid\") | .owner == {\"manager\": \"proxmox-ve\", \"vmid\": 100, \"hostpci\": 1}" \
		vgpu-nl -j mdev show "$VGPU_DEV"
	map_check "pve-mapping of the mdev: its parent's" \
		"$(expect_map "$VGPU_PF" "$VGPU_PF" "mdev-1b36-0010" " --mdev 1")" \
		vgpu-nl snippet "$uuid" --format pve-mapping
	check "mdev del" vgpu-nl mdev del "$uuid"
}

to_vfio() {
	echo vfio-pci >"$PFS/driver_override"
	echo "$VGPU_PF" >"$PFS/driver/unbind"
	echo "$VGPU_PF" >/sys/bus/pci/drivers_probe
}

back_to_sim() {
	echo "$VGPU_PF" >"$PFS/driver/unbind"
	bind_sim
}

# Every function of the PF's slot in its group, as sysfs lists them.
slot_functions() {
	local f
	for f in "$PCI/${VGPU_PF%.*}".*; do
		[[ -e $f/physfn ]] && continue
		[[ $(basename "$(readlink "$f/iommu_group")") == "$GROUP" ]] && basename "$f"
	done
}

# A nested QEMU started with the snippet's options, frozen (-S) at once:
# vfio-pci has opened the group and mapped the guest's memory when its
# monitor answers.
nested_qemu() {
	local -a opts
	mapfile -t opts < <(grep -v '^#' <<<"$1" | tr ' ' '\n')
	qemu-system-x86_64 -M q35 -accel tcg -m 64 -nodefaults -display none -S \
		-qmp "unix:$WORK/qmp.sock,server=on,wait=off" "${opts[@]}" \
		>"$WORK/qemu.log" 2>&1 &
	QEMU_PID=$!
	wait_for 120 test -S "$WORK/qmp.sock"
}

test_whole_device() {
	local fns out
	expect_fail 1 "Error: $VGPU_DEV is not bound to a VFIO driver, so a VM cannot have it: $VGPU_PF is bound to vgpu_sim" \
		"on vgpu_sim: refused" vgpu-nl snippet "$VGPU_DEV" --format libvirt
	to_vfio
	same "the PF is on vfio-pci" "$(basename "$(readlink "$PFS/driver")")" vfio-pci
	fns=$(slot_functions)
	jq_check "snippet -j: every function of the slot in its group ($(echo $fns))" \
		".snippet.functions == $(printf '%s\n' $fns | jq -Rn '[inputs]')" \
		vgpu-nl -j snippet "$VGPU_DEV" --format qemu

	check "libvirt snippet" vgpu-nl snippet "$VGPU_DEV" --format libvirt
	out=$TAP_OUT
	same "libvirt: one hostdev per function, their host addresses" \
		"$(grep -o "<address domain='0x[0-9a-f]*' bus='0x[0-9a-f]*' slot='0x[0-9a-f]*' function='0x[0-7]'/>" <<<"$out" |
		   sed -E "s/.*domain='0x(....)' bus='0x(..)' slot='0x(..)' function='0x(.)'.*/\1:\2:\3.\4/")" "$fns"
	{
		echo "<domain type='kvm'><name>t</name><memory unit='MiB'>512</memory>"
		echo "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
		printf '%s\n' "$out"
		echo "</devices></domain>"
	} >"$WORK/domain.xml"
	check "libvirt: the domain validates (virt-xml-validate)" virt-xml-validate "$WORK/domain.xml" domain

	check "pve snippet" vgpu-nl snippet "$VGPU_DEV" --format pve --index 2
	out=$TAP_OUT
	same "pve: the PF's line" "$(grep -v '^#' <<<"$out")" "hostpci2: $VGPU_PF,pcie=1"
	check "pve: qm.conf(5)'s hostpci syntax" \
		bash -c 'printf "%s\n" "$2" | "$1" qm' - "$PVE_SYNTAX" "$out"

	check "qemu snippet" vgpu-nl snippet "$VGPU_DEV" --format qemu
	out=$TAP_OUT
	expect_out "^-device vfio-pci,host=$VGPU_PF,bus=vgpu-nl-rp-" "qemu: the PF on a root port of its own" \
		printf '%s\n' "$out"
	if nested_qemu "$out"; then
		ok "nested qemu-system-x86_64 -S with the snippet is up"
	else
		not_ok "nested qemu-system-x86_64 -S with the snippet is up"
		diag "$(cat "$WORK/qemu.log")"
	fi
	check "nested qemu: still running with the device" kill -0 "$QEMU_PID"
	# query-pci misses a device behind a root port that the frozen
	# guest's firmware has not numbered; the device tree has it.
	tap_run "$QMP" "$WORK/qmp.sock" human-monitor-command '{"command-line": "info qtree"}'
	if jq -r . <<<"$TAP_OUT" 2>/dev/null | tr -d '\r' |
		grep -A3 'dev: vfio-pci' | grep -q "host = \"$VGPU_PF\""; then
		ok "nested qemu: its device tree has vfio-pci host=$VGPU_PF"
	else
		not_ok "nested qemu: its device tree has vfio-pci host=$VGPU_PF"
		tap_show
	fi
	check "nested qemu: holds /dev/vfio/$GROUP open" \
		bash -c 'ls -l /proc/$1/fd | grep -q " /dev/vfio/$2$"' - "$QEMU_PID" "$GROUP"
	kill "$QEMU_PID" 2>/dev/null || true
	wait "$QEMU_PID" 2>/dev/null || true
	check "nested qemu: gone, the group free again" \
		bash -c '! fuser -s /dev/vfio/$1' - "$GROUP"

	map_check "pve-mapping of the whole device" \
		"$(expect_map "$VGPU_PF" "$VGPU_PF" "pci-1b36-0010" "")" \
		vgpu-nl snippet "$VGPU_DEV" --format pve-mapping
	back_to_sim
	same "the PF is back on vgpu_sim" "$(basename "$(readlink "$PFS/driver")")" vgpu_sim
}

test_mappings
test_whole_device
rm -rf "$WORK"
tap_done
