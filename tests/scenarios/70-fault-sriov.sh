#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection, kernel side: every step of the two multi-step SR-IOV
# operations fails in turn, and the state afterwards must be the state
# before (tests/lib/state.sh: VF count, autoprobe, VF drivers and
# overrides, every file of the PF's provisioning tree byte for byte).
#
#   dev set numvfs N -> M (N, M > 0): [autoprobe] [disable N] [enable M],
#       restoring N when the enable fails or falls short
#   vf set VF driver D quota K V ...: [each quota write] [the driver bind],
#       and the checks before them (a refused driver, a VF in use)
#
# Topology (tests/vm/run): the emulated SR-IOV PF $VGPU_DEV bound to
# vgpu_sim (i915 prelim_iov provisioning files, auto-provisioning on),
# whose parameters inject the failures: fail_disable and fail_configure
# (the next disable / enable fails), short_vfs (the next enable falls
# short), fail_write=N (the N-th provisioning write fails), refuse_vf_bind
# (no driver binds to the VFs: their probes are deferred).
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"
. "$VGPU_CHECKOUT/tests/lib/state.sh"

PROBE=$VGPU_CHECKOUT/userspace/genl-probe
PFS=$PCI/$VGPU_PF
modprobe vfio-pci
modprobe vfio_iommu_type1 2>/dev/null || true

vf_at() { basename "$(readlink "$PFS/virtfn$1")"; }

# Two VFs, the first on vfio-pci: a count change must not lose it.
setup() {
	vgpu-nl dev set "$VGPU_DEV" numvfs 2
	vgpu-nl vf set "$(vf_at 0)" driver vfio-pci
}

# numvfs_step DESC KNOB VALUE ERROR [ARGS]: one injected failure of a
# "dev set numvfs 3" from 2 VFs; the count, autoprobe and provisioning
# files, then the VF drivers, must be as before.
numvfs_step() {
	local desc=$1 knob=$2 value=$3 err=$4 before after
	shift 4
	before=$(state)
	sim "$knob" "$value"
	expect_fail 1 "$err" "numvfs 2 -> 3, $desc: refused with the reason" \
		vgpu-nl dev set "$VGPU_DEV" numvfs 3 "$@"
	same "numvfs, $desc: the injection was used" "$(cat "$SIM_PARAMS/$knob")" 0
	after=$(state)
	same_state "numvfs, $desc: VF count, autoprobe and provisioning files as before" \
		"$(grep -v '^vf ' <<<"$before")" "$(grep -v '^vf ' <<<"$after")"
	same_state "numvfs, $desc: the VFs' drivers as before" \
		"$(grep '^vf ' <<<"$before")" "$(grep '^vf ' <<<"$after")"
}

test_numvfs() {
	numvfs_step "the disable fails" fail_disable 5 \
		"^Error: .*could not disable VFs \(-5\)"
	numvfs_step "the enable fails" fail_configure 5 \
		"^Error: .*failed to enable 3 VFs \(-5\); 2 VFs restored"
	numvfs_step "the enable falls short" short_vfs 1 \
		"^Error: .*enabled only 2 of 3 VFs; 2 VFs restored"
	numvfs_step "autoprobe off first, then the enable fails" fail_configure 5 \
		"^Error: .*failed to enable 3 VFs" autoprobe off
	# The same core behind the module's own sysfs knob.
	local before
	before=$(state)
	sim fail_configure 5
	check "the vgpu_nl sysfs knob: numvfs 3 refused when the enable fails" \
		sh -c "! echo 3 >$VGPU_SYSFS/$VGPU_PF/numvfs"
	same_state "the vgpu_nl sysfs knob: VF count, autoprobe and files as before" \
		"$(grep -v '^vf ' <<<"$before")" "$(state | grep -v '^vf ')"
}

# quota_step VF N KEY: the N-th of the four quota writes fails; every
# file as before. The first write of a PF still in auto provisioning fails
# first (nothing changes, the mode neither); then the second: the first
# has been made, and i915 turns auto provisioning off at any quota write
# and will not turn it on while VFs hold quotas, so the quotas are put
# back, the mode cannot be, and the error says so.
quota_step() {
	local vf=$1 n=$2 key=$3 before auto want=nothing
	auto=$PFS/drm/card0/prelim_iov/pf/auto_provisioning
	before=$(state)
	[[ $(cat "$auto") == 1 && $n -gt 1 ]] && want=auto
	sim fail_write "$n"
	if [[ $want == auto ]]; then
		expect_fail 1 "^Error: $key: write failed \(-5\); quotas back, auto provisioning off" \
			"vf set quota, write $n ($key) fails: refused, quotas back, auto provisioning off" \
			vgpu-nl vf set "$vf" quota ggtt 256M contexts 1024 doorbells 16 exec-quantum 25
		same "vf set quota, write $n ($key) fails: auto provisioning off, as said" "$(cat "$auto")" 0
		same_state "vf set quota, write $n ($key) fails: every other file as before" \
			"$(grep -v /auto_provisioning: <<<"$before")" "$(state | grep -v /auto_provisioning:)"
		return
	fi
	expect_fail 1 "^Error: $key: driver I/O error \(-5\); nothing changed" \
		"vf set quota, write $n ($key) fails: refused, nothing changed" \
		vgpu-nl vf set "$vf" quota ggtt 256M contexts 1024 doorbells 16 exec-quantum 25
	same_state "vf set quota, write $n ($key) fails: state as before" \
		"$before" "$(state)"
}

test_vf_set() {
	local vf before group pid
	vf=$(vf_at 1)
	quota_step "$vf" 1 ggtt
	quota_step "$vf" 2 contexts
	quota_step "$vf" 3 doorbells
	quota_step "$vf" 4 exec-quantum

	# The driver step: quotas first, then a bind that does not happen.
	before=$(state)
	sim refuse_vf_bind 1
	expect_fail 1 "^Error: vfio-pci did not bind pci/$vf .*old binding and quotas restored" \
		"vf set driver vfio-pci quota ...: the bind is refused" \
		vgpu-nl vf set "$vf" driver vfio-pci quota exec-quantum 30
	sim refuse_vf_bind 0
	same_state "vf set driver + quota, the bind refused: state as before (quotas too)" \
		"$before" "$(state)"

	# Checks before any change (issue 11, defect 3).
	before=$(state)
	# vgpu_sim: a loaded PCI driver, but not a VFIO one.
	expect_out 'errno=22 msg="vgpu_sim" is not a VFIO PCI driver' \
		"VF_SET driver vgpu_sim + quota: refused (EINVAL) with the reason" \
		"$PROBE" vf-set-driver-quota "pci/$vf" vgpu_sim 35
	same_state "VF_SET with a refused driver: every quota file unchanged" \
		"$before" "$(state)"

	# A VF in use (a VFIO container claims its group, as a VM does).
	vf=$(vf_at 0)
	vgpu-nl vf set "$vf" driver vfio-pci
	group=$(basename "$(readlink "$PCI/$vf/iommu_group")")
	"$VGPU_CHECKOUT/tests/lib/vfio-hold.py" "$group" container >/tmp/hold.out 2>&1 &
	pid=$!
	check "a VFIO container holds VF $vf, as a VM would" \
		wait_for 10 grep -q ready /tmp/hold.out
	before=$(state)
	expect_out 'errno=16 msg=.*in use' \
		"VF_SET on a VF in use + quota: refused (EBUSY) with the reason" \
		"$PROBE" vf-set-driver-quota "pci/$vf" vfio-pci 35
	same_state "VF_SET on a VF in use: every quota file unchanged" \
		"$before" "$(state)"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	sim refuse_vf_bind 0
	check "cleanup: numvfs 0" vgpu-nl dev set "$VGPU_DEV" numvfs 0 autoprobe on
}

setup
test_numvfs
test_vf_set
cleanup
tap_done
