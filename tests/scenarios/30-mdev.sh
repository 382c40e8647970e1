#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# GVT-g: mdev types, the mdev lifecycle and mdevctl interoperability.
#
# Topology (tests/vm/run): the PF $VGPU_DEV bound to vgpu_sim, which also
# registers an mdev parent with four GVT-g-shaped types over a simulated
# aperture (vgpu_sim low_gm_mb=1024 high_gm_mb=3072 fences=32: 7/5/2/1
# instances of _8/_4/_2/_1); every mdev is a VFIO device with its own
# /dev/vfio/N. /sys/module/vgpu_sim/parameters/fail_create injects one
# creation failure.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

SIM=/sys/module/vgpu_sim/parameters
TYPES=$PCI/$VGPU_PF/mdev_supported_types
MDEVS=/sys/bus/mdev/devices
modprobe vfio_iommu_type1 2>/dev/null || true

avail() { vgpu-nl -j type show "$VGPU_DEV" | jq -c '[.types[] | .available_instances]'; }
n_mdevs() { ls $MDEVS 2>/dev/null | wc -l; }
new_uuid() { cat /proc/sys/kernel/random/uuid; }

# del_in_one_request RC DESC CMD...: CMD, an mdev del, exits RC having sent
# one vgpu request and read nothing under /proc (strace, from the exec of
# vgpu-nl on: what a wrapper such as setpriv does before does not count).
# Every netlink message but the family lookup (nlctrl, GENL_ID_CTRL 0x10)
# counts: strace names the vgpu family only on a kernel with NETLINK_DIAG.
del_in_one_request() {
	local rc=$1 desc=$2 log=/tmp/del.strace
	shift 2
	tap_run strace -f -e trace=execve,openat,sendmsg -o "$log" "$@"
	sed -i -n '/execve("[^"]*vgpu-nl"/,$p' "$log"
	if [[ $TAP_RC -eq $rc ]] && grep -q 'execve(' "$log" &&
	   ! grep -q '"/proc' "$log" &&
	   [[ $(grep 'sendmsg(' "$log" | grep -cvE 'nlmsg_type=(nlctrl|0x10 )') -eq 1 ]]; then
		ok "$desc"
	else
		not_ok "$desc"
		tap_show
		diag "$(grep -E '/proc|sendmsg' "$log" | head -8)"
	fi
}

test_types() {
	jq_check "type show: four GVT-g types with i915's parsed fields" \
		"[.types[] | select(.parent == \"$VGPU_DEV\") |
		  [.name, .low_gm_mb, .high_gm_mb, .fence, .resolution, .weight]] ==
		 [[\"vgpu_sim-GVTg_V5_1\", 512, 2048, 4, \"1920x1200\", 16],
		  [\"vgpu_sim-GVTg_V5_2\", 256, 1024, 4, \"1920x1200\", 8],
		  [\"vgpu_sim-GVTg_V5_4\", 128, 512, 4, \"1920x1200\", 4],
		  [\"vgpu_sim-GVTg_V5_8\", 64, 384, 4, \"1024x768\", 2]]" \
		sh -c "vgpu-nl -j type show | jq '.types |= sort_by(.name)'"
	jq_check "type show: pretty name, device_api and raw description" \
		".types[] | select(.name == \"vgpu_sim-GVTg_V5_4\") |
		 .pretty_name == \"GVTg_V5_4\" and .device_api == \"vfio-pci\" and
		 (.description | startswith(\"low_gm_size: 128MB\"))" \
		vgpu-nl -j type show "$VGPU_DEV"
	same "available_instances of _1 _2 _4 _8 with the default aperture" \
		"$(vgpu-nl -j type show "$VGPU_DEV" | jq -c '[.types | sort_by(.name)[] | .available_instances]')" \
		"[1,2,5,7]"
	jq_check "dev show: the PF is an mdev parent with 4 types" \
		".devices[0].mdev_parent == true and .devices[0].mdev.types == 4" \
		vgpu-nl -j dev show "$VGPU_DEV"
	check "unprivileged user can list types" unpriv vgpu-nl type show
}

test_add_del() {
	local uuid given log=/tmp/mdev-events.json
	monitor_start $log
	tap_run vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_4
	uuid=$TAP_OUT
	if [[ $TAP_RC -eq 0 && $uuid =~ ^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$ ]]; then
		ok "mdev add with a generated UUID prints it"
	else
		not_ok "mdev add with a generated UUID prints it"
		tap_show
	fi
	check "the mdev is under /sys/bus/mdev/devices" test -e "$MDEVS/$uuid"
	same "available after one _4: _1 _2 _4 _8 as i915 computes" \
		"$(vgpu-nl -j type show "$VGPU_DEV" | jq -c '[.types | sort_by(.name)[] | .available_instances]')" \
		"[1,2,4,5]"
	jq_check "mdev show: uuid, parent, type, driver, owned" \
		".mdevs[] | select(.uuid == \"$uuid\") | .parent == \"$VGPU_DEV\" and
		 .type == \"vgpu_sim-GVTg_V5_4\" and .owned == true and .in_use == false and
		 (.driver | length > 0) and (.iommu_group >= 0)" \
		vgpu-nl -j mdev show
	expect_out "$uuid" "mdevctl list shows the mdev" mdevctl list
	given=$(new_uuid)
	expect_out "^$given\$" "mdev add with a given UUID" \
		vgpu-nl mdev add "$VGPU_DEV" type vgpu_sim-GVTg_V5_8 uuid "$given"
	check "mdev del of the given one" vgpu-nl mdev del "$given"
	check "it is gone from sysfs" test ! -e "$MDEVS/$given"
	check "mdev del of the generated one" vgpu-nl mdev del "$uuid"
	same "no mdev left" "$(n_mdevs)" 0
	same "available back to the start" \
		"$(vgpu-nl -j type show "$VGPU_DEV" | jq -c '[.types | sort_by(.name)[] | .available_instances]')" \
		"[1,2,5,7]"
	monitor_stop
	diag "$(cat $log)"
	check "monitor: mdev-add with parent and type" \
		jq -e -s "any(.event == \"mdev-add\" and .uuid == \"$uuid\" and .parent == \"$VGPU_DEV\" and .type == \"vgpu_sim-GVTg_V5_4\")" $log
	check "monitor: mdev-del" \
		jq -e -s "[.[] | select(.event == \"mdev-del\")] | length == 2" $log
}

test_refusals() {
	local vga uuid one
	if vga=$(vga_dev); then
		expect_fail 1 "Error: $vga is no mdev parent" \
			"mdev add on a device without mdev types says so" \
			vgpu-nl mdev add "$vga" type GVTg_V5_4
	fi
	expect_fail 1 'Error: .*(no mdev type|unknown type|GVTg_V9_9)' \
		"mdev add of an unknown type names it" vgpu-nl mdev add "$VGPU_DEV" type GVTg_V9_9
	expect_fail 2 'UUID' "mdev add with a malformed UUID is a usage error" \
		vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_4 uuid 1234
	one=$(vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_1)
	expect_fail 1 'Error: no vgpu_sim-GVTg_V5_1 instances left' \
		"mdev add with no instances left says so" vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_1
	expect_fail 1 "Error: UUID $one is already in use" \
		"mdev add with a UUID in use is refused" \
		vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_8 uuid "$one"
	echo 5 >$SIM/fail_create
	expect_fail 1 'Error: driver failed to create vgpu_sim-GVTg_V5_8' \
		"injected creation failure is reported" vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_8
	same "nothing left behind by the refusals" "$(n_mdevs)" 1
	expect_fail 1 'Operation not permitted' "mdev add by an unprivileged user: EPERM" \
		unpriv vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_8
	# Not root: the genl core's refusal, said at once.
	del_in_one_request 1 "mdev del by an unprivileged user: EPERM, in one request, without reading /proc" \
		setpriv --reuid=65534 --regid=65534 --clear-groups -- vgpu-nl mdev del "$one"
	same "... said as needing root" "$TAP_ERR" \
		'Error: Operation not permitted: changes need root (CAP_NET_ADMIN)'
	check "... the mdev is still there" test -e "$MDEVS/$one"
	check "unprivileged user can list mdevs" unpriv vgpu-nl mdev show
	expect_fail 1 'Error: no mdev ' "mdev del of an unknown UUID says so" \
		vgpu-nl mdev del "$(new_uuid)"
	vgpu-nl mdev del "$one"
	same "all clean" "$(n_mdevs)" 0
}

test_foreign() {
	local uuid=00000100-0000-0000-0000-000000000001
	echo $uuid >"$TYPES/vgpu_sim-GVTg_V5_8/create"
	jq_check "a plain sysfs mdev is listed as not owned" \
		".mdevs[] | select(.uuid == \"$uuid\") | .owned == false" vgpu-nl -j mdev show
	expect_fail 1 "Error: mdev $uuid not created by vgpu-nl; use force" \
		"mdev del refuses a foreign mdev" vgpu-nl mdev del $uuid
	check "the foreign mdev is still there" test -e "$MDEVS/$uuid"
	check "mdev del force removes it" vgpu-nl mdev del $uuid force
	check "and it is gone" test ! -e "$MDEVS/$uuid"
}

# kernel_refuses_held UUID WHAT: the kernel's own refusal of a held mdev
# (MDEV_DEL with mdev-if-unused, what the tool sends): EBUSY, the flag at
# fault (at 64: header 20, UUID 44), nothing queued.
kernel_refuses_held() {
	expect_out "^errno=-?16 msg=mdev $1 is in use \\(its VFIO files are open\\) offs=64\$" \
		"MDEV_DEL with mdev-if-unused of $2: EBUSY, the flag at fault" \
		genl-probe mdev-del-raw "$1" if-unused
	jq_check "and nothing is queued: the mdev is there, not removing" \
		"[.mdevs[] | select(.uuid == \"$1\") | has(\"removing\")] == [false]" \
		vgpu-nl -j mdev show
}

test_in_use() {
	local uuid group pid del
	uuid=$(vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_4)
	group=$(basename "$(readlink "$MDEVS/$uuid/iommu_group")")
	"$VGPU_CHECKOUT/tests/lib/vfio-hold.py" "$group" device "$uuid" >/tmp/hold.out 2>&1 &
	pid=$!
	if ! wait_for 10 grep -q ready /tmp/hold.out; then
		not_ok "holding the mdev's VFIO device like a VM"
		diag "$(cat /tmp/hold.out)"
	fi
	jq_check "mdev show: in use, with the holder" \
		".mdevs[0].in_use == true and (.mdevs[0].holders | any(.pid == $pid))" \
		vgpu-nl -j mdev show "$VGPU_DEV"
	# The holder holds until killed: a del that waited for it would hang
	# (timeout's 124, not 1). No time limit of its own: the machines are
	# shared, and the debug kernel took over 5 s for the refusal.
	expect_fail 1 "Error: mdev $uuid is in use by pid $pid" \
		"mdev del of a held mdev is refused, not waited for, naming the holder" \
		timeout "${VGPU_HANG_SECS:-60}" vgpu-nl mdev del "$uuid"
	check "the mdev is still there" test -e "$MDEVS/$uuid"
	# The tool in a PID namespace of its own, with its own /proc, sees no
	# holder there; the kernel sees every namespace's.
	expect_fail 1 "Error: mdev $uuid is in use by a process this tool cannot name .in another PID namespace, or holding only the VFIO device file.; stop it or add 'force'" \
		"mdev del from another PID namespace is refused: the kernel saw the holder" \
		timeout "${VGPU_HANG_SECS:-60}" unshare --pid --fork --mount --mount-proc vgpu-nl mdev del "$uuid"
	check "the mdev is still there after that" test -e "$MDEVS/$uuid"
	kernel_refuses_held "$uuid" "a held mdev"
	# Forced: proceeds once the holder lets go of the device and then of
	# the group too (its container with it). A removal that went on with
	# the group still open would detach the container under the VM: on 6.1
	# that raced the container's release into a NULL dereference.
	timeout 60 vgpu-nl mdev del "$uuid" force >/tmp/del.out 2>&1 &
	del=$!
	check "mdev del force of a held mdev: queued, the mdev removing" \
		wait_for 30 sh -c "vgpu-nl -j mdev show | jq -e '.mdevs[] | select(.uuid == \"$uuid\") | .removing' >/dev/null"
	kill -USR1 $pid
	check "the holder closes the device alone" wait_for 10 grep -q 'device closed' /tmp/hold.out
	sleep 2
	check "mdev del force: the device let go, the group still open: the mdev stays" \
		test -e "$MDEVS/$uuid"
	kill $pid
	wait $pid 2>/dev/null || true
	if wait $del; then
		ok "mdev del force waits for the holder, then removes"
	else
		not_ok "mdev del force waits for the holder, then removes"
		diag "$(cat /tmp/del.out)"
	fi
	check "the held mdev is gone" test ! -e "$MDEVS/$uuid"
	test_in_use_group
	test_in_use_device_only
	test_in_use_cdev
}

# Only the group file open (a VM manager probing, QEMU starting): held all
# the same. Unheld, del is one request (the kernel checks), no /proc read.
test_in_use_group() {
	local uuid group pid
	uuid=$(vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_4)
	group=$(basename "$(readlink "$MDEVS/$uuid/iommu_group")")
	"$VGPU_CHECKOUT/tests/lib/vfio-hold.py" "$group" >/tmp/hold.out 2>&1 &
	pid=$!
	if ! wait_for 10 grep -q ready /tmp/hold.out; then
		not_ok "holding the mdev's VFIO group only"
		diag "$(cat /tmp/hold.out)"
	fi
	expect_fail 1 "Error: mdev $uuid is in use by pid $pid" \
		"mdev del of an mdev whose group alone is held is refused, naming the holder" \
		timeout "${VGPU_HANG_SECS:-60}" vgpu-nl mdev del "$uuid"
	kill $pid
	wait $pid 2>/dev/null || true
	# One request: MDEV_DEL with the flag, which the kernel takes.
	del_in_one_request 0 "mdev del of an unheld mdev: removed in one request, without reading /proc" \
		vgpu-nl mdev del "$uuid"
	check "that mdev is gone" test ! -e "$MDEVS/$uuid"
}

# Only the VFIO device file open: got from the group, which the holder
# then closed, with its container. Nothing in /proc names the mdev (the
# file is an anonymous inode), the group busy all the same: the kernel
# counts the device's opens (VFIO's open_count). Held, so refused; and
# once let go, removed.
test_in_use_device_only() {
	local uuid group pid
	uuid=$(vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_4)
	group=$(basename "$(readlink "$MDEVS/$uuid/iommu_group")")
	"$VGPU_CHECKOUT/tests/lib/vfio-hold.py" "$group" device-only "$uuid" >/tmp/hold.out 2>&1 &
	pid=$!
	if ! wait_for 10 grep -q ready /tmp/hold.out; then
		not_ok "holding the mdev's VFIO device file alone"
		diag "$(cat /tmp/hold.out)"
	fi
	check "the holder has no group file open: /proc names none" \
		sh -c "! ls -l /proc/$pid/fd | grep -q /dev/vfio/"
	# What the kernel answers (MDEV_GET's in-use); mdev show names only
	# the holders the tool finds in /proc.
	TAP_MAX_RC=1 expect_out "^in_use=1\$" "MDEV_GET: in use" \
		genl-probe mdev-get "$uuid"
	expect_fail 1 "Error: mdev $uuid is in use by a process this tool cannot name .in another PID namespace, or holding only the VFIO device file.; stop it or add 'force'" \
		"mdev del of an mdev whose device file alone is held is refused, not waited for" \
		timeout "${VGPU_HANG_SECS:-60}" vgpu-nl mdev del "$uuid"
	kernel_refuses_held "$uuid" "an mdev whose device file alone is held"
	kill $pid
	wait $pid 2>/dev/null || true
	TAP_MAX_RC=1 expect_out "^in_use=0\$" "let go: MDEV_GET says not in use" \
		genl-probe mdev-get "$uuid"
	check "and its del goes" timeout "${VGPU_HANG_SECS:-60}" vgpu-nl mdev del "$uuid"
	check "that mdev is gone" test ! -e "$MDEVS/$uuid"
}

# Only the VFIO device's cdev open (/dev/vfio/devices/vfioX): held all the
# same. The kernel's check of a del holds the group itself, and then has
# only the cdev to look for. The cdev needs CONFIG_VFIO_DEVICE_CDEV (6.6
# and later, with IOMMUFD), which the lanes' Debian kernels leave off:
# there the test checks that the mdev has none, and that its del goes.
test_in_use_cdev() {
	local uuid d cdev="" pid
	uuid=$(vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_4)
	for d in "$MDEVS/$uuid"/vfio-dev/vfio*; do
		[ -e "$d/dev" ] && cdev=${d##*/}
	done
	# VFIO registers the cdevs' device numbers as "vfio-dev".
	if ! grep -qw vfio-dev /proc/devices; then
		check "no VFIO cdevs on $VGPU_KVER (no vfio-dev in /proc/devices): the mdev has none" \
			test -z "$cdev"
		check "and its del goes" vgpu-nl mdev del "$uuid"
		return
	fi
	if [ -z "$cdev" ] || [ ! -c "/dev/vfio/devices/$cdev" ]; then
		not_ok "VFIO cdevs on $VGPU_KVER, but none for the mdev"
		diag "$(ls -lR "$MDEVS/$uuid/" /dev/vfio 2>&1)"
		vgpu-nl mdev del "$uuid" force
		return
	fi
	sleep 600 <"/dev/vfio/devices/$cdev" &
	pid=$!
	wait_for 10 sh -c "readlink /proc/$pid/fd/0 | grep -qx /dev/vfio/devices/$cdev" ||
		diag "the holder did not open /dev/vfio/devices/$cdev"
	expect_fail 1 "Error: mdev $uuid is in use by pid $pid" \
		"mdev del of an mdev whose cdev alone is held is refused, naming the holder" \
		timeout "${VGPU_HANG_SECS:-60}" vgpu-nl mdev del "$uuid"
	kernel_refuses_held "$uuid" "an mdev whose cdev alone is held"
	kill $pid
	wait $pid 2>/dev/null || true
	check "mdev del once the cdev is let go" vgpu-nl mdev del "$uuid"
	check "that mdev is gone" test ! -e "$MDEVS/$uuid"
}

test_persist() {
	local uuid
	uuid=$(vgpu-nl mdev add "$VGPU_DEV" type GVTg_V5_2 persist)
	check "persist writes an mdevctl definition" \
		test -f "/etc/mdevctl.d/$VGPU_PF/$uuid"
	check "the definition starts automatically with the right type" \
		jq -e '.start == "auto" and .mdev_type == "vgpu_sim-GVTg_V5_2"' "/etc/mdevctl.d/$VGPU_PF/$uuid"
	expect_out "$uuid .*auto" "mdevctl list -d shows the definition, start auto" mdevctl list -d
	check "mdev del removes the definition too" vgpu-nl mdev del "$uuid"
	check "no definition left" test ! -e "/etc/mdevctl.d/$VGPU_PF/$uuid"
}

test_scale() {
	local n=4096 i u out
	# A parent sized for 4096 _8 instances: reload the simulated device.
	rmmod vgpu_nl
	echo "$VGPU_PF" >/sys/bus/pci/drivers/vgpu_sim/unbind
	rmmod vgpu_sim
	insmod "$VGPU_CHECKOUT/build/$VGPU_KVER/vgpu_sim.ko" \
		low_gm_mb=$((128 + n * 64)) high_gm_mb=$((384 + n * 384)) fences=$((4 + n * 4))
	bind_sim
	insmod "$VGPU_KO" extra_ids=1b36:0010
	jq_check "scale: the parent offers $n _8 instances" \
		".types[] | select(.name == \"vgpu_sim-GVTg_V5_8\") | .available_instances == $n" \
		vgpu-nl -j type show "$VGPU_DEV"
	# Shell builtins only: every exec reads its binary over 9p under TCG.
	for ((i = 0; i < n; i++)); do
		read -r u </proc/sys/kernel/random/uuid
		echo "$u"
	done >/tmp/uuids
	while read -r u; do
		echo "$u" >"$TYPES/vgpu_sim-GVTg_V5_8/create"
	done </tmp/uuids
	same "scale: $n mdevs created" "$(n_mdevs)" $n
	out=/tmp/scale.json
	vgpu-nl -j mdev show >$out
	same "scale: mdev show -j returns $n mdevs" "$(jq '.mdevs | length' $out)" $n
	same "scale: each exactly once" "$(jq '[.mdevs[].uuid] | unique | length' $out)" $n
	same "scale: exactly the created ones" \
		"$(jq -r '.mdevs[].uuid' $out | sort | md5sum)" "$(sort /tmp/uuids | md5sum)"
	# The resource report takes many messages now: one resource each,
	# every mdev once, the slices adding up.
	vgpu-nl -j resource show "$VGPU_DEV" >$out
	jq_check "scale: resource show: low_gm, high_gm, fences once each, $n holders each" \
		"[.resources[0].resources[] | select(.name == (\"low_gm\",\"high_gm\",\"fences\"))] |
		 length == 3 and all(.resources | length == $n)" cat $out
	jq_check "scale: each mdev once, occ = $n x the _8 slice" \
		".resources[0].resources[] | select(.name == \"low_gm\") |
		 (.resources | map(.name) | unique | length) == $n and .occ == $n * 64 * 1048576 and
		 ([.resources[].size] | add) == .occ" cat $out
	same "scale: the report names exactly the created ones" \
		"$(jq -r '.resources[0].resources[] | select(.name == "fences") | .resources[].name' $out | sort | md5sum)" \
		"$(sort /tmp/uuids | md5sum)"
	while read -r u; do
		echo 1 >"$MDEVS/$u/remove"
	done </tmp/uuids
	same "scale: all removed" "$(n_mdevs)" 0
	same "scale: mdev show is empty" "$(vgpu-nl -j mdev show | jq '.mdevs | length')" 0
}

test_types
test_add_del
test_refusals
test_foreign
test_in_use
test_persist
test_scale
tap_done
