#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection, mdevs: the create and remove path in the kernel, and
# every step of "mdev add ... persist" (create the mdev, then write its
# mdevctl definition: mkdir, open, write, fchmod, fsync, rename), each
# failing in turn; afterwards the state must be the state before
# (tests/lib/state.sh: the mdevs, and /etc/mdevctl.d byte for byte).
#
# Topology (tests/vm/run): the PF $VGPU_DEV bound to vgpu_sim, an mdev
# parent with four GVT-g types; vgpu_sim's fail_create fails the next
# create, remove_delay_ms slows every removal (as a VM holding the mdev
# does). userspace/failio.so (LD_PRELOAD) fails the N-th file change
# under /etc/mdevctl.d. The guest's /etc is the host's under a writable
# overlay: nothing reaches the host.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"
. "$VGPU_CHECKOUT/tests/lib/state.sh"

PROBE=$VGPU_CHECKOUT/userspace/genl-probe
FAILIO=$VGPU_CHECKOUT/userspace/failio.so
MDEVS=/sys/bus/mdev/devices
modprobe vfio_iommu_type1 2>/dev/null || true
mkdir -p /etc/mdevctl.d
TYPE=$(vgpu-nl -j type show "$VGPU_DEV" | jq -r '.types[] | select(.name | endswith("GVTg_V5_8")) | .name')

new_uuid() { cat /proc/sys/kernel/random/uuid; }

# failio N CMD...: CMD with the N-th file change under /etc/mdevctl.d
# failing (EIO); N=0 only counts. FAILIO_CALLS: how many there were.
FAILIO_CALLS=0
failio() {
	local n=$1 rc=0
	shift
	FAILIO_PREFIX=/etc/mdevctl.d FAILIO_NTH=$n FAILIO_REPORT=/tmp/failio.rep \
		LD_PRELOAD=$FAILIO "$@" || rc=$?
	read -r FAILIO_CALLS _ </tmp/failio.rep
	return $rc
}

test_create_remove() {
	local before u
	before=$(state)
	u=$(new_uuid)
	sim fail_create 5
	expect_fail 1 "^Error: driver failed to create $TYPE on $VGPU_DEV \(-5\)" \
		"mdev add: the driver's create fails: refused with the reason" \
		vgpu-nl mdev add "$VGPU_DEV" type "$TYPE" uuid "$u"
	same_state "mdev add, the create fails: no mdev, state as before" "$before" "$(state)"
	# Out of memory in the driver is the driver's error like any other.
	sim fail_create 12
	expect_fail 1 "^Error: driver failed to create $TYPE on $VGPU_DEV \(-12\)" \
		"mdev add: the driver's create runs out of memory: refused with the reason" \
		vgpu-nl mdev add "$VGPU_DEV" type "$TYPE" uuid "$u"
	same_state "mdev add, the create fails with ENOMEM: state as before" "$before" "$(state)"

	# A removal that takes 3 s: MDEV_DEL answers after 1 s that it
	# completes later, the mdev shows as being removed, then goes.
	u=$(vgpu-nl mdev add "$VGPU_DEV" type "$TYPE")
	sim remove_delay_ms 3000
	tap_run "$PROBE" mdev-del-raw "$u"
	if grep -q "errno=16 msg=mdev $u is open: removed once closed" <<<"$TAP_OUT"; then
		ok "MDEV_DEL of a slow removal: EBUSY, removed once closed"
	else
		not_ok "MDEV_DEL of a slow removal: EBUSY, removed once closed"
		tap_show
	fi
	check "... the removal finishes by itself" wait_for 10 test ! -e "$MDEVS/$u"
	sim remove_delay_ms 0
	same_state "... then the state is as before" "$before" "$(state)"
}

test_persist() {
	local before u n calls dir=/etc/mdevctl.d/$VGPU_PF had_dir=
	# Count the steps on a throw-away mdev, then take it away again, and
	# its parent's directory if it made it: the steps start from here.
	[[ -d $dir ]] && had_dir=1
	u=$(new_uuid)
	failio 0 vgpu-nl mdev add "$VGPU_DEV" type "$TYPE" uuid "$u" persist >/dev/null
	calls=$FAILIO_CALLS
	vgpu-nl mdev del "$u" >/dev/null 2>&1
	[[ -n $had_dir ]] || rmdir "$dir" 2>/dev/null || true
	check "mdev add persist makes file changes to count ($calls)" test "$calls" -gt 0

	before=$(state)
	for ((n = 1; n <= calls; n++)); do
		u=$(new_uuid)
		tap_run failio "$n" vgpu-nl mdev add "$VGPU_DEV" type "$TYPE" uuid "$u" persist
		if [[ $TAP_RC -eq 1 ]] && grep -q "mdev $u was removed again" <<<"$TAP_ERR"; then
			ok "mdev add persist, file change $n of $calls fails: refused, the mdev removed again"
		else
			not_ok "mdev add persist, file change $n of $calls fails: refused, the mdev removed again"
			tap_show
		fi
		same_state "mdev add persist, file change $n fails: mdevs and /etc/mdevctl.d as before" \
			"$before" "$(state)"
	done

	# The definition fails and taking the mdev away again is slow.
	u=$(new_uuid)
	sim remove_delay_ms 3000
	tap_run failio 1 vgpu-nl mdev add "$VGPU_DEV" type "$TYPE" uuid "$u" persist
	sim remove_delay_ms 0
	if [[ $TAP_RC -eq 1 ]] && grep -q "mdev $u" <<<"$TAP_ERR"; then
		ok "mdev add persist, the definition and a slow removal: refused, naming the mdev"
	else
		not_ok "mdev add persist, the definition and a slow removal: refused, naming the mdev"
		tap_show
	fi
	check "... the mdev goes once its removal is over" wait_for 10 test ! -e "$MDEVS/$u"
	same_state "... then the state is as before" "$before" "$(state)"
}

test_create_remove
test_persist
tap_done
