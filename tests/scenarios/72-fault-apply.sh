#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection, persistence: every step of "vgpu-nl apply" and
# "vgpu-nl reset" fails in turn, and the state afterwards must be the
# state before (tests/lib/state.sh: VF count, autoprobe, VF drivers and
# overrides, mdevs, the PF's provisioning files byte for byte,
# /etc/mdevctl.d): a multi-step operation that fails part-way is rolled
# back (DESIGN: "nothing is left half done").
#
#   apply:  [disable 2 VFs] [enable 3] [VF quota] [VF driver] [mdev create]
#   reset:  [mdev removal] [VF count 0]; a VF's return to its default
#           driver cannot fail (nothing has to bind), so it has no step.
#           A removal the kernel has queued cannot be taken back: when
#           it does not finish in time, reset must stop before changing
#           anything else, and the mdev goes when its user lets go.
#
# Topology (tests/vm/run): the PF $VGPU_DEV bound to vgpu_sim (i915
# prelim_iov files, four GVT-g types); vgpu_sim's fail_disable,
# fail_configure, fail_write, refuse_vf_bind, fail_create and
# remove_delay_ms inject the failures.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"
. "$VGPU_CHECKOUT/tests/lib/state.sh"

CONF=/tmp/fault.conf
UUID=7d2f8e61-3c4b-4a9d-8e1f-6b5a4c3d2e10
MDEVS=/sys/bus/mdev/devices
modprobe vfio-pci
modprobe vfio_iommu_type1 2>/dev/null || true
mkdir -p /etc/mdevctl.d
TYPE=$(vgpu-nl -j type show "$VGPU_DEV" | jq -r '.types[] | select(.name | endswith("GVTg_V5_8")) | .name')

# Back to the starting point: 2 VFs, no mdevs, automatic provisioning.
baseline() {
	local m
	sim refuse_vf_bind 0
	for m in $MDEVS/*; do
		[[ -e $m ]] && echo 1 >"$m/remove"
	done
	vgpu-nl dev set "$VGPU_DEV" numvfs 0 autoprobe on >/dev/null
	echo 1 >"$PCI/$VGPU_PF/drm/card0/prelim_iov/pf/auto_provisioning"
	vgpu-nl dev set "$VGPU_DEV" numvfs 2 >/dev/null
}

ROLLED='^rolled back: [0-9]+ changes?, the state is as before$'

# err_matches DESC PATTERN: the last command's stderr has a line matching
# the extended regex PATTERN.
err_matches() {
	if grep -Eq -- "$2" <<<"$TAP_ERR"; then
		ok "$1"
	else
		not_ok "$1"
		diag "stderr: $TAP_ERR"
	fi
}

# no_rollback DESC: the last command's stderr shows no rollback.
no_rollback() {
	if grep -q '^rolling back' <<<"$TAP_ERR"; then
		not_ok "$1"
		diag "stderr: $TAP_ERR"
	else
		ok "$1"
	fi
}

# apply_step DESC KNOB VALUE [PATTERN]: apply $CONF with one failure
# injected; stderr must also match PATTERN: $ROLLED when changes were made
# before the failure, none when the first request failed (the kernel
# leaves nothing changed).
apply_step() {
	local desc=$1 before
	baseline
	before=$(state)
	sim "$2" "$3"
	expect_fail 1 "^Error: " "apply, $desc: fails and says why" vgpu-nl apply "$CONF"
	if [[ -n ${4:-} ]]; then
		err_matches "apply, $desc: the changes made were rolled back" "$4"
	else
		no_rollback "apply, $desc: nothing made, nothing to roll back"
	fi
	sim refuse_vf_bind 0
	same_state "apply, $desc: state as before" "$before" "$(state)"
}

test_apply() {
	cat >$CONF <<-EOF
	device $VGPU_DEV numvfs 3 autoprobe on
	vf $VGPU_DEV/0 driver vfio-pci quota exec-quantum 20
	mdev $UUID parent $VGPU_DEV type $TYPE
	EOF
	apply_step "the disable of 2 VFs fails" fail_disable 5
	apply_step "the enable of 3 VFs fails" fail_configure 5
	apply_step "the VF's quota write fails" fail_write 1 "$ROLLED"
	apply_step "the VF's driver does not bind" refuse_vf_bind 1 "$ROLLED"
	apply_step "the mdev create fails" fail_create 5 "$ROLLED"
	baseline
	check "apply without failures" vgpu-nl apply "$CONF"
}

# reset_step DESC KNOB VALUE: reset with one failure injected, from what
# apply made (3 VFs, VF 0 on vfio-pci with a quota, an mdev).
reset_step() {
	local desc=$1 before
	baseline
	vgpu-nl apply "$CONF" >/dev/null
	before=$(state)
	sim "$2" "$3"
	expect_fail 1 "^Error: " "reset, $desc: fails and says why" vgpu-nl reset "$VGPU_DEV"
	err_matches "reset, $desc: the changes made were rolled back" "$ROLLED"
	sim "$2" 0
	# A slow removal finishes in the background.
	wait_for 10 test ! -e "$MDEVS/$UUID/remove" || true
	same_state "reset, $desc: state as before" "$before" "$(state)"
}

test_reset() {
	local before
	baseline
	vgpu-nl apply "$CONF" >/dev/null
	before=$(state)
	sim remove_delay_ms 3000
	expect_fail 1 "^Error: .*mdev $UUID" \
		"reset, the mdev's removal does not finish in time: fails, naming it" \
		vgpu-nl reset "$VGPU_DEV"
	check "... the removal finishes by itself" wait_for 10 test ! -e "$MDEVS/$UUID"
	sim remove_delay_ms 0
	same_state "... nothing else was changed" \
		"$(grep -v "^mdev $UUID " <<<"$before" | grep -v "^mdevctl ")" \
		"$(state | grep -v "^mdevctl ")"
	reset_step "the VF count 0 fails" fail_disable 5
}

cleanup() {
	sim refuse_vf_bind 0
	sim remove_delay_ms 0
	vgpu-nl reset "$VGPU_DEV" force >/dev/null 2>&1 || true
	check "cleanup: no VFs" test "$(cat "$PCI/$VGPU_PF/sriov_numvfs")" = 0
}

test_apply
test_reset
cleanup
tap_done
