#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The simulated PF's VF provisioning files, read and written directly with
# the shell, for each layout vgpu_sim can show (iov=i915, xe as 6.19 and
# as 7.3, xe-old): auto-provisioning on VF enable, sums against the pools,
# the drivers' error codes, fail_write and the EBUSY/ESTALE/ENOKEY states,
# VF control (stop, pause, resume, reset) and the 7.0 VRAM files.
# tests/sim/PROVISIONING.md is the reference for every number here.
#
# vgpu_sim is reloaded with each layout (rmmod + insmod: guest-init
# insmods it from the build dir, so modprobe does not know it); the PF
# keeps driver_override=vgpu_sim, so the new module binds it again. At the
# end it is loaded as guest-init loaded it (no parameters).
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

SIM_KO=$VGPU_CHECKOUT/build/$VGPU_KVER/vgpu_sim.ko
PFS=$PCI/$VGPU_PF
MOD=/sys/module/vgpu_sim/parameters
DBG=/sys/kernel/debug
MIB=$((1 << 20))
POOL=$((3584 * MIB))		# ggtt_mb default
SPARE=$((64 * MIB))		# minimum GGTT spare
TOTALVFS=$(<"$PFS/sriov_totalvfs")

numvfs() { echo "$1" >"$PFS/sriov_numvfs"; }

# reload ARGS...: vgpu_sim with these parameters, bound to the PF again.
reload() {
	numvfs 0 2>/dev/null || true
	rmmod vgpu_sim
	insmod "$SIM_KO" "$@"
	wait_for 10 test -e "/sys/bus/pci/drivers/vgpu_sim/$VGPU_PF" || bind_sim
}

# wr FILE VALUE: write as an admin would (echo adds the newline).
wr() { echo "$2" >"$1"; }

# bad ERRTEXT DESC FILE VALUE: the write fails with this error text.
bad() {
	expect_fail 1 "$1" "$2" bash -c "echo '$4' > '$3'"
}

sum_files() {
	local f s=0
	for f in "$@"; do s=$((s + $(<"$f"))); done
	echo "$s"
}

test_i915() {
	local P=$PFS/drm/card0/prelim_iov fair sum f
	reload iov=i915
	same "i915: mode" "$(<"$P/mode")" "SR-IOV PF"
	same "i915: auto_provisioning defaults to 1" "$(<"$P/pf/auto_provisioning")" 1
	same "i915: pf/device is the PF" "$(basename "$(readlink -f "$P/pf/device")")" "$VGPU_PF"
	same "i915: vf1..vf$TOTALVFS dirs made at probe" "$(ls -d "$P"/vf* | wc -l)" "$TOTALVFS"
	same "i915: vf3/id" "$(<"$P/vf3/id")" 3
	same "i915: ggtt_spare reads the 64 MiB minimum" "$(<"$P/pf/gt0/ggtt_spare")" "$SPARE"
	same "i915: ggtt_free is pool - spare" "$(<"$P/pf/gt0/available/ggtt_free")" $((POOL - SPARE))
	same "i915: contexts_free is 65535 less the PF's 8191" \
		"$(<"$P/pf/gt0/available/contexts_free")" 57344
	same "i915: doorbells_free" "$(<"$P/pf/gt0/available/doorbells_free")" 256

	numvfs 3
	fair=$(( (POOL - SPARE) / 3 / 4096 * 4096 ))
	same "i915: auto-provisioned GGTT, fair and 4K aligned" "$(<"$P/vf2/gt0/ggtt_quota")" "$fair"
	same "i915: auto-provisioned contexts, 128 aligned" "$(<"$P/vf3/gt0/contexts_quota")" 19072
	same "i915: auto-provisioned doorbells" "$(<"$P/vf1/gt0/doorbells_quota")" 85
	same "i915: VF4 not provisioned" "$(<"$P/vf4/gt0/ggtt_quota")" 0
	sum=$(sum_files "$P"/vf*/gt0/ggtt_quota "$P/pf/gt0/available/ggtt_free" "$P/pf/gt0/ggtt_spare")
	same "i915: GGTT quotas + free + spare == pool" "$sum" "$POOL"
	sum=$(sum_files "$P"/vf*/gt0/contexts_quota "$P/pf/gt0/available/contexts_free")
	same "i915: contexts quotas + free == VF pool" "$sum" 57344
	sum=$(sum_files "$P"/vf*/gt0/doorbells_quota "$P/pf/gt0/available/doorbells_free")
	same "i915: doorbells quotas + free == 256" "$sum" 256
	same "i915: max_quota == free (no fragmentation)" \
		"$(<"$P/pf/gt0/available/ggtt_max_quota")" "$(<"$P/pf/gt0/available/ggtt_free")"
	same "i915: vf1/device links the VF" \
		"$(basename "$(readlink -f "$P/vf1/device")")" "$(basename "$(readlink "$PFS/virtfn0")")"
	check "i915: auto_provisioning can be turned off with VFs enabled" wr "$P/pf/auto_provisioning" 0
	bad 'Stale file handle' "i915: auto_provisioning=1 with quotas: ESTALE" "$P/pf/auto_provisioning" 1
	numvfs 0
	same "i915: disable releases auto-provisioned quotas" \
		"$(sum_files "$P"/vf*/gt0/ggtt_quota "$P"/vf*/gt0/contexts_quota)" 0
	same "i915: ... and the pool is free again" "$(<"$P/pf/gt0/available/ggtt_free")" $((POOL - SPARE))
	check "i915: auto_provisioning=1 once empty" wr "$P/pf/auto_provisioning" 1

	check "i915: manual ggtt_quota 512M" wr "$P/vf1/gt0/ggtt_quota" $((512 * MIB))
	same "i915: read back" "$(<"$P/vf1/gt0/ggtt_quota")" $((512 * MIB))
	same "i915: a manual quota turns auto_provisioning off" "$(<"$P/pf/auto_provisioning")" 0
	wr "$P/vf2/gt0/ggtt_quota" 0x1001
	same "i915: base 0 and 4K round-up (0x1001 -> 8192)" "$(<"$P/vf2/gt0/ggtt_quota")" 8192
	wr "$P/vf2/gt0/ggtt_quota" 0
	wr "$P/vf1/gt0/contexts_quota" 100
	same "i915: contexts rounded up to 128" "$(<"$P/vf1/gt0/contexts_quota")" 128
	bad 'Invalid argument' "i915: non-number: EINVAL" "$P/vf1/gt0/ggtt_quota" abc
	bad 'Numerical result out of range' "i915: contexts 70000: ERANGE (u16)" "$P/vf1/gt0/contexts_quota" 70000
	bad 'Argument list too long' "i915: GGTT above the whole GGTT: E2BIG" "$P/vf2/gt0/ggtt_quota" $((5 << 30))
	bad 'Disk quota exceeded' "i915: GGTT above ggtt_max_quota: EDQUOT" "$P/vf1/gt0/ggtt_quota" $((4000 * MIB))
	same "i915: the failed resize released the old GGTT, as i915 does" "$(<"$P/vf1/gt0/ggtt_quota")" 0
	bad 'No space left on device' "i915: contexts beyond free: ENOSPC" "$P/vf3/gt0/contexts_quota" 60000
	bad 'Invalid argument' "i915: ggtt_spare below 64M: EINVAL" "$P/pf/gt0/ggtt_spare" 1000
	bad 'Invalid argument' "i915: contexts_spare below 256: EINVAL" "$P/pf/gt0/contexts_spare" 10
	wr "$P/pf/gt0/doorbells_spare" 250
	bad 'Disk quota exceeded' "i915: doorbells beyond the spare: EDQUOT" "$P/vf3/gt0/doorbells_quota" 10
	wr "$P/pf/gt0/doorbells_spare" 0
	bad 'Invalid argument' "i915: unknown control: EINVAL" "$P/vf1/control" bogus

	# fail_write: the second write from now fails and changes nothing.
	wr "$P/vf1/gt0/ggtt_quota" $((512 * MIB))
	wr "$P/vf1/gt0/doorbells_quota" 8
	wr "$MOD/fail_write" 2
	check "i915: first write after fail_write=2 succeeds" wr "$P/vf1/gt0/contexts_quota" 256
	bad 'Input/output error' "i915: second write fails with EIO" "$P/vf1/gt0/doorbells_quota" 20
	same "i915: the failed write changed nothing" "$(<"$P/vf1/gt0/doorbells_quota")" 8
	same "i915: fail_write is one-shot" "$(<"$MOD/fail_write")" 0
	check "i915: the next write works" wr "$P/vf1/gt0/exec_quantum_ms" 20
	same "i915: exec_quantum_ms read back" "$(<"$P/vf1/gt0/exec_quantum_ms")" 20

	# VF1 complete (GGTT and contexts), VF2 with doorbells only: ENOKEY.
	wr "$P/vf2/gt0/doorbells_quota" 4
	expect_fail 1 'Required key not available' "i915: enabling with a partial VF config: ENOKEY" \
		bash -c "echo 2 > $PFS/sriov_numvfs"
	same "i915: no VFs after ENOKEY" "$(<"$PFS/sriov_numvfs")" 0
	wr "$P/vf2/control" clear
	same "i915: control clear releases VF2" "$(<"$P/vf2/gt0/doorbells_quota")" 0
	check "i915: VF1 valid + VF2 empty enables" numvfs 2
	same "i915: no auto-provisioning over manual quotas" "$(<"$P/vf1/gt0/ggtt_quota")" $((512 * MIB))
	numvfs 0
	same "i915: manual quotas survive disable" "$(<"$P/vf1/gt0/contexts_quota")" 256

	reload iov=i915 media_gt=1
	check "i915 media_gt: gt1 dirs" test -d "$P/vf1/gt1" -a -d "$P/pf/gt1/available"
	bad 'Permission denied' "i915 media_gt: gt1 ggtt_quota is read-only" "$P/vf1/gt1/ggtt_quota" 4096
	numvfs 2
	same "i915 media_gt: gt1 contexts auto-provisioned too" "$(<"$P/vf2/gt1/contexts_quota")" 28672
	numvfs 0
}

test_xe() {
	local S=$PFS/sriov_admin D=$DBG/dri/$VGPU_PF/sriov fair sum total
	reload iov=xe xe_kernel=6.19 vram_mb=4096
	check "xe 6.19: no vram_quota in sriov_admin (7.0)" \
		test ! -e "$S/vf1/profile/vram_quota" -a ! -e "$S/.bulk_profile/vram_quota"
	check "xe: no prelim_iov" test ! -e "$PFS/drm"
	same "xe: PF sched_priority" "$(<"$S/pf/profile/sched_priority")" "[low] normal high"
	same "xe: VF sched_priority (no high)" "$(<"$S/vf2/profile/sched_priority")" "[low] normal"
	bad 'Permission denied' "xe: VF sched_priority is read-only" "$S/vf2/profile/sched_priority" normal
	wr "$S/pf/profile/sched_priority" normal
	same "xe: PF sched_priority set" "$(<"$S/pf/profile/sched_priority")" "low [normal] high"
	bad 'Invalid argument' "xe: unknown priority: EINVAL" "$S/pf/profile/sched_priority" urgent
	wr "$S/.bulk_profile/exec_quantum_ms" 5
	same "xe: bulk exec_quantum_ms reaches VF3" "$(<"$S/vf3/profile/exec_quantum_ms")" 5
	bad 'Invalid argument' "xe: exec_quantum_ms non-number: EINVAL" "$S/vf1/profile/exec_quantum_ms" x
	same "xe: pf/device" "$(basename "$(readlink -f "$S/pf/device")")" "$VGPU_PF"
	same "xe: ggtt_spare" "$(<"$D/pf/tile0/ggtt_spare")" "$SPARE"
	same "xe: vram_spare minimum 128M" "$(<"$D/pf/tile0/vram_spare")" $((128 * MIB))
	check "xe: compat link gt0/ggtt_quota" test -L "$D/vf1/tile0/gt0/ggtt_quota"
	check "xe: dri/BDF/tile0/gt0/vf1 links the new tree" \
		test -e "$DBG/dri/$VGPU_PF/tile0/gt0/vf1/contexts_quota"

	numvfs 3
	fair=$(( (POOL - SPARE) / 3 / 4096 * 4096 ))
	same "xe: auto GGTT" "$(<"$D/vf1/tile0/ggtt_quota")" "$fair"
	same "xe: auto contexts (65535-256)/3" "$(<"$D/vf2/tile0/gt0/contexts_quota")" 21759
	same "xe: auto doorbells" "$(<"$D/vf3/tile0/gt0/doorbells_quota")" 85
	same "xe: auto VRAM (pow2, 2M aligned)" "$(<"$D/vf3/tile0/vram_quota")" $((1024 * MIB))
	total=$(sed -n 's/^total:\t\([0-9]*\).*/\1/p' "$D/pf/tile0/ggtt_available")
	sum=$(sum_files "$D"/vf*/tile0/ggtt_quota)
	same "xe: GGTT quotas + ggtt_available total == pool" $((sum + total)) "$POOL"
	check "xe: ggtt_provisioned lists VF1" grep -q "^VF1:" "$D/pf/tile0/ggtt_provisioned"
	same "xe: vf1/device" "$(basename "$(readlink -f "$S/vf1/device")")" "$(basename "$(readlink "$PFS/virtfn0")")"
	bad 'Invalid argument' "xe: debugfs non-number: EINVAL" "$D/vf1/tile0/gt0/contexts_quota" abc
	bad 'Value too large' "xe: u32 overflow: EOVERFLOW" "$D/vf1/tile0/gt0/contexts_quota" 5000000000
	bad 'Invalid argument' "xe: contexts above 65535: EINVAL" "$D/vf1/tile0/gt0/contexts_quota" 70000
	bad 'Disk quota exceeded' "xe: contexts beyond free+spare: EDQUOT" "$D/vf1/tile0/gt0/contexts_quota" 65000
	bad 'No space left on device' "xe: GGTT beyond the hole: ENOSPC" "$D/vf2/tile0/ggtt_quota" $((8 << 30))
	bad 'Invalid argument' "xe: ggtt_spare below 64M: EINVAL" "$D/pf/tile0/ggtt_spare" 4096
	wr "$MOD/fail_write" 1
	bad 'Input/output error' "xe: fail_write=1: next write EIO" "$D/vf3/tile0/ggtt_quota" $((MIB))
	same "xe: ... VF3 GGTT unchanged" "$(<"$D/vf3/tile0/ggtt_quota")" "$fair"
	check "xe: a debugfs write switches to custom mode" wr "$D/vf1/tile0/gt0/exec_quantum_ms" 10
	bad 'Device or resource busy' "xe: restore_auto_provisioning with VFs enabled: EBUSY" \
		"$D/restore_auto_provisioning" 1
	numvfs 0
	same "xe: custom mode keeps quotas over disable" "$(<"$D/vf3/tile0/ggtt_quota")" "$fair"
	check "xe: restore_auto_provisioning once disabled" wr "$D/restore_auto_provisioning" 1
	same "xe: ... releases all VF quotas" "$(sum_files "$D"/vf*/tile0/ggtt_quota "$D"/vf*/tile0/gt0/contexts_quota)" 0
	numvfs 2
	numvfs 0
	same "xe: auto mode releases on disable" "$(<"$D/vf1/tile0/ggtt_quota")" 0
}

test_xe_old() {
	local D=$DBG/dri/0/gt0 had_minor=0
	[[ -d $DBG/dri/0 ]] && had_minor=1
	reload iov=xe-old
	check "xe-old: no sriov_admin (6.19+ only)" test ! -e "$PFS/sriov_admin"
	check "xe-old: quotas in dri/0/gt0/vfN" test -e "$D/vf$TOTALVFS/ggtt_quota"
	check "xe-old: exec_quantum_ms in debugfs" test -e "$D/vf1/exec_quantum_ms"
	check "xe-old: no lmem files without VRAM" test ! -e "$D/vf1/lmem_quota"
	numvfs 2
	same "xe-old: fair contexts on enable" "$(<"$D/vf1/contexts_quota")" 32639
	numvfs 0
	same "xe-old: released on disable" "$(<"$D/vf1/contexts_quota")" 0
	wr "$D/vf1/doorbells_quota" 16
	same "xe-old: doorbells read back" "$(<"$D/vf1/doorbells_quota")" 16
	bad 'Invalid argument' "xe-old: doorbells above 256: EINVAL" "$D/vf1/doorbells_quota" 300
	check "xe-old: gt0/vf1/control pause" wr "$D/vf1/control" pause
	bad 'Stale file handle' "xe-old: pause twice: ESTALE" "$D/vf1/control" pause
	check "xe-old: ... resume" wr "$D/vf1/control" resume
	bad 'Invalid argument' "xe-old: control has no reset: EINVAL" "$D/vf1/control" reset
	check "xe-old: no sriov/vfN/reset before 6.19" test ! -e "$DBG/dri/$VGPU_PF/sriov"
	reload
	if ((had_minor)); then
		check "xe-old: dri/0 kept, our gt0 gone" test -d "$DBG/dri/0" -a ! -e "$D/pf"
	else
		check "xe-old: dri/0 removed with the module" test ! -e "$DBG/dri/0"
	fi
}

# xe as 7.3 has it: the fair profiles cap auto-provisioning, VFs and PF
# get fair scheduling, VRAM quotas are in sysfs too (7.0), VF control.
test_xe7() {
	local S=$PFS/sriov_admin D=$DBG/dri/$VGPU_PF/sriov G=$((1 << 30))
	reload iov=xe vram_mb=4096
	check "xe 7.3: vf1/profile/vram_quota and .bulk_profile/vram_quota" \
		test -f "$S/vf1/profile/vram_quota" -a -f "$S/.bulk_profile/vram_quota"
	check "xe 7.3: no vram_quota for the PF" test ! -e "$S/pf/profile/vram_quota"
	numvfs 3
	same "xe 7.3: GGTT capped by the profile (pow2 of 3584M/3)" \
		"$(<"$D/vf2/tile0/ggtt_quota")" "$G"
	same "xe 7.3: contexts capped (pow2 of 65535/3)" "$(<"$D/vf1/tile0/gt0/contexts_quota")" 16384
	same "xe 7.3: doorbells capped (pow2 of 256/4)" "$(<"$D/vf3/tile0/gt0/doorbells_quota")" 64
	same "xe 7.3: VRAM capped (pow2 of 3G/4)" "$(<"$S/vf1/profile/vram_quota")" $((512 * MIB))
	same "xe 7.3: sysfs vram_quota is debugfs vram_quota" \
		"$(<"$S/vf2/profile/vram_quota")" "$(<"$D/vf2/tile0/vram_quota")"
	same "xe 7.3: fair EQ 16 ms for VFs" "$(<"$S/vf3/profile/exec_quantum_ms")" 16
	same "xe 7.3: ... and for the PF" "$(<"$S/pf/profile/exec_quantum_ms")" 16
	same "xe 7.3: fair PT 16000 us" "$(<"$S/vf1/profile/preempt_timeout_us")" 16000
	check "xe 7.3: restore_auto_provisioning in auto mode with VFs: a no-op" \
		wr "$D/restore_auto_provisioning" 1
	check "xe 7.3: sysfs vram_quota 1G" wr "$S/vf2/profile/vram_quota" "$G"
	same "xe 7.3: ... debugfs agrees" "$(<"$D/vf2/tile0/vram_quota")" "$G"
	check "xe 7.3: a sysfs write keeps auto mode (restore still a no-op)" \
		wr "$D/restore_auto_provisioning" 1
	bad 'Invalid argument' "xe 7.3: vram_quota non-number: EINVAL" "$S/vf2/profile/vram_quota" x
	bad 'No space left on device' "xe 7.3: vram_quota beyond free: ENOSPC" \
		"$S/vf2/profile/vram_quota" $((8 * G))

	# VF control: xe_gt_sriov_pf_control.c's state checks.
	check "xe 7.3: sysfs vf1/stop 0 does nothing" wr "$S/vf1/stop" 0
	check "xe 7.3: debugfs vf1/pause" wr "$D/vf1/pause" 1
	bad 'Stale file handle' "xe 7.3: pause a paused VF: ESTALE" "$D/vf1/pause" 1
	check "xe 7.3: resume" wr "$D/vf1/resume" 1
	bad 'Operation not permitted' "xe 7.3: resume a running VF: EPERM" "$D/vf1/resume" 1
	check "xe 7.3: sysfs vf1/stop" wr "$S/vf1/stop" 1
	bad 'Stale file handle' "xe 7.3: stop a stopped VF: ESTALE" "$D/vf1/stop" 1
	bad 'Operation not permitted' "xe 7.3: pause a stopped VF: EPERM" "$D/vf1/pause" 1
	check "xe 7.3: reset (FLR)" wr "$D/vf1/reset" 1
	check "xe 7.3: ... makes it pausable again" wr "$D/vf1/tile0/gt0/control" pause
	same "xe 7.3: gt0/control lists its commands" \
		"$(tr '\n' ' ' <"$D/vf1/tile0/gt0/control")" "stop pause resume "
	bad 'Invalid argument' "xe 7.3: gt0/control has no reset: EINVAL" "$D/vf1/tile0/gt0/control" reset
	check "xe 7.3: sysfs stop vf2" wr "$S/vf2/stop" 1
	bad 'Invalid argument' "xe 7.3: stop takes a bool: EINVAL" "$S/vf2/stop" maybe

	numvfs 0
	same "xe 7.3: disable: PF scheduling back to default" "$(<"$S/pf/profile/exec_quantum_ms")" 0
	same "xe 7.3: disable releases VF scheduling too" "$(<"$S/vf3/profile/preempt_timeout_us")" 0
	same "xe 7.3: disable releases VRAM" "$(<"$S/vf2/profile/vram_quota")" 0
	check "xe 7.3: disable resets VFs: a stopped VF can be stopped again" wr "$S/vf2/stop" 1
	wr "$D/vf2/reset" 1

	check "xe 7.3: .bulk_profile/vram_quota 256M before enabling" \
		wr "$S/.bulk_profile/vram_quota" $((256 * MIB))
	same "xe 7.3: ... reaches VF$TOTALVFS" "$(<"$S/vf$TOTALVFS/profile/vram_quota")" $((256 * MIB))
	wr "$S/.bulk_profile/exec_quantum_ms" 5
	numvfs 2
	same "xe 7.3: VRAM given before enabling blocks VRAM fairness" \
		"$(<"$S/vf1/profile/vram_quota")" $((256 * MIB))
	same "xe 7.3: a set EQ blocks fair scheduling" "$(<"$S/vf1/profile/exec_quantum_ms")" 5
	same "xe 7.3: GGTT still fair for 2 VFs" "$(<"$D/vf1/tile0/ggtt_quota")" "$G"
	numvfs 0
	wr "$S/.bulk_profile/exec_quantum_ms" 0
}

if ! mountpoint -q "$DBG"; then
	mount -t debugfs debugfs "$DBG"
fi
test_i915
test_xe
test_xe7
test_xe_old
check "default reload: prelim_iov is back, no VFs" \
	test -e "$PFS/drm/card0/prelim_iov/pf/auto_provisioning" -a "$(<"$PFS/sriov_numvfs")" = 0
tap_done
