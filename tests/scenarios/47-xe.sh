#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xe first: auto and custom provisioning (reported, restored by
# "dev set provisioning auto" and "reset", kept by save/reset/apply round
# trips), the stable sysfs ABI before debugfs (VRAM quotas on 7.x, the
# bulk profile, VF stop; debugfs only where it is mounted), VF control
# and state, and the VF's VFIO driver chosen as libvirt does, with
# migration reported.
#
# Topology (tests/vm/run): the emulated SR-IOV PF $VGPU_DEV bound to
# vgpu_sim, reloaded for each layout: iov=i915 (i915-sriov-dkms), iov=xe
# xe_kernel=6.19 and iov=xe (7.3: the 7.0 VRAM files) with vram_mb=4096,
# iov=xe-old (before 6.19: no modes, no reset). vgpu_sim_vfio.ko, the
# sim's stand-in for xe-vfio-pci, is installed into
# /lib/modules/$VGPU_KVER/updates (the guest's root is a tmpfs overlay)
# for its vfio_pci: alias, and taken out again. tests/sim/PROVISIONING.md
# says where each driver rule comes from.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

SIM=/sys/module/vgpu_sim/parameters
PFS=$PCI/$VGPU_PF
SIM_KO=$VGPU_CHECKOUT/build/$VGPU_KVER/vgpu_sim.ko
VFIO_KO=$VGPU_CHECKOUT/build/$VGPU_KVER/vgpu_sim_vfio.ko
VFIO_IDX=$VGPU_CHECKOUT/build/$VGPU_KVER/variant-indexes.tar
MODDIR=/lib/modules/$VGPU_KVER
UPDATES=$MODDIR/updates
DBG=/sys/kernel/debug
OUT=/tmp/xe.$$
G=$((1 << 30))
modprobe vfio-pci
mountpoint -q $DBG || mount -t debugfs debugfs $DBG

vf_name() { basename "$(readlink "$PFS/virtfn$1")"; }
vf_group() { basename "$(readlink "$PCI/$1/iommu_group")"; }

# load_sim NAME ARGS...: vgpu_sim reloaded as layout NAME.
load_sim() {
	L=$1
	shift
	vgpu-nl dev set "$VGPU_DEV" numvfs 0 >/dev/null 2>&1 || true
	rmmod vgpu_sim
	insmod "$SIM_KO" "$@"
	bind_sim
	wait_for 5 test -d "$VGPU_SYSFS/$VGPU_PF"
	S=$PFS/sriov_admin
	D=$DBG/dri/$VGPU_PF/sriov
}

# qfile KEY N: the driver's file of quota KEY of VF N (1-based).
qfile() {
	case $L in
	i915)	echo "$PFS/drm/card0/prelim_iov/vf$2/gt0/$1" ;;
	xe-old)	echo "$DBG/dri/0/gt0/vf$2/$1" ;;
	*)	case $1 in
		ggtt_quota|vram_quota) echo "$D/vf$2/tile0/$1" ;;
		*) echo "$D/vf$2/tile0/gt0/$1" ;;
		esac ;;
	esac
}

# snap: every pool quota file of VFs 1..3, as one line.
snap() {
	local n k keys="ggtt_quota contexts_quota doorbells_quota"
	[[ $L == xe* && $L != xe-old ]] && keys+=" vram_quota"
	for n in 1 2 3; do
		for k in $keys; do printf '%s ' "$(<"$(qfile "$k" "$n")")"; done
	done
}

# mode_is WANT WHY: resource show -j, dev show -j and OpenMetrics agree.
mode_is() {
	local want=$1 om=0
	[[ $want == custom ]] && om=1
	jq_check "$L: $2: resource show -j says $want" \
		".resources[0].provisioning_mode == \"$want\"" \
		vgpu-nl -j resource show "$VGPU_DEV"
	jq_check "$L: ... dev show -j too" \
		".devices[0].provisioning_mode == \"$want\"" \
		vgpu-nl -j dev show "$VGPU_DEV"
	expect_out "^vgpu_provisioning_custom\\{device=\"$VGPU_DEV\"\\} $om\$" \
		"$L: ... and OpenMetrics ($om)" \
		vgpu-nl resource show --format openmetrics
}

test_modes() {
	local vf2 auto group pid
	check "$L: dev set numvfs 3" vgpu-nl dev set "$VGPU_DEV" numvfs 3
	vf2=pci/$(vf_name 1)
	auto=$(snap)
	mode_is auto "a fresh PF with VFs"
	expect_out "mode auto" "$L: resource show (text) names the mode" \
		vgpu-nl resource show "$VGPU_DEV"
	check "$L: vf set quota contexts 1024" vgpu-nl vf set "$vf2" quota contexts 1024
	same "$L: ... contexts_quota reads 1024" "$(<"$(qfile contexts_quota 2)")" 1024
	mode_is custom "one quota set by hand"

	# A VF held by a process (as a VM holds it): refused unless forced.
	vgpu-nl vf set "$vf2" driver vfio-pci >/dev/null
	group=$(vf_group "${vf2#pci/}")
	"$VGPU_CHECKOUT/tests/lib/vfio-hold.py" "$group" >"$OUT.hold" &
	pid=$!
	wait_for 5 grep -q ready "$OUT.hold" || true
	expect_fail 1 "Error: VFs in use: $vf2 \\(pid $pid.*add 'force' to disable and enable them anyway" \
		"$L: provisioning auto with a VF in use is refused, naming it" \
		vgpu-nl dev set "$VGPU_DEV" provisioning auto
	same "$L: ... and nothing changed" "$(<"$(qfile contexts_quota 2)")" 1024
	kill $pid
	wait $pid 2>/dev/null || true
	vgpu-nl vf set "$vf2" driver default >/dev/null

	expect_out "^provisioning $VGPU_DEV auto: its 3 VFs were disabled and enabled again, for the driver to provision them\$" \
		"$L: dev set provisioning auto with VFs enabled says what it did" \
		vgpu-nl dev set "$VGPU_DEV" provisioning auto
	same "$L: ... every VF quota file is at the driver's automatic value" "$(snap)" "$auto"
	mode_is auto "after dev set provisioning auto"
	jq_check "$L: dev set provisioning auto again: nothing to cycle" \
		'.provisioning.mode == "auto" and .provisioning.vfs_cycled == 0' \
		vgpu-nl -j dev set "$VGPU_DEV" provisioning auto

	# reset: VFs gone, then auto; enabled again, the automatic shares.
	vgpu-nl vf set "$vf2" quota contexts 1024 >/dev/null
	expect_out "provisioning $VGPU_DEV custom -> auto" "$L: reset restores auto provisioning" \
		vgpu-nl reset "$VGPU_DEV"
	mode_is auto "after reset"
	vgpu-nl dev set "$VGPU_DEV" numvfs 3
	same "$L: ... and VFs enabled again get the automatic shares" "$(snap)" "$auto"

	# save on an auto PF: the mode, no quota; round trips keep the mode.
	vgpu-nl save - >"$OUT.auto"
	check "$L: save on an auto PF writes 'provisioning auto'" \
		grep -qx "device $VGPU_DEV numvfs 3 autoprobe on provisioning auto" "$OUT.auto"
	check "$L: ... and no quota line" bash -c "! grep -q '^vf .*quota' '$OUT.auto'"
	vgpu-nl reset "$VGPU_DEV" >/dev/null
	check "$L: apply of it after reset" vgpu-nl apply "$OUT.auto"
	same "$L: ... 3 VFs with the automatic shares" "$(snap)" "$auto"
	mode_is auto "save/reset/apply of an auto PF"

	vgpu-nl vf set "$vf2" quota contexts 1024 >/dev/null
	vgpu-nl save - >"$OUT.custom"
	check "$L: save on a custom PF writes its quotas" \
		grep -Eq "^vf $VGPU_DEV/1 quota .*contexts 1024( |\$)" "$OUT.custom"
	check "$L: ... and no 'provisioning auto'" bash -c "! grep -q '^device.* provisioning' '$OUT.custom'"
	vgpu-nl reset "$VGPU_DEV" >/dev/null
	mode_is auto "reset of the custom PF"
	check "$L: apply of the custom file" vgpu-nl apply "$OUT.custom"
	same "$L: ... vf2 has its 1024 contexts again" "$(<"$(qfile contexts_quota 2)")" 1024
	mode_is custom "save/reset/apply of a custom PF"
	printf 'device %s numvfs 3\n' "$VGPU_DEV" >"$OUT.plain"
	expect_out "^nothing to change\$" "$L: apply without quotas or provisioning changes nothing" \
		vgpu-nl apply "$OUT.plain"
	mode_is custom "... and leaves the mode alone"
	vgpu-nl reset "$VGPU_DEV" >/dev/null
}

# A plain sriov_numvfs write while "provisioning auto" has the VFs off for
# the switch: the mode is switched with the device lock only (not the
# rescan lock: the driver's files are VFS files), so the locks are let go
# between the steps and the write can come in. It succeeds only in that
# window (3 VFs: EBUSY). Either it never got in (vgpu-nl cycled 3 VFs) or
# it did and vgpu-nl says so, leaving its 2 VFs; never a silent mix.
test_mode_race() {
	local pid rc=0 got
	vgpu-nl dev set "$VGPU_DEV" numvfs 3 >/dev/null
	vgpu-nl vf set "pci/$(vf_name 1)" quota contexts 1024 >/dev/null
	echo 1000 >$SIM/delay_ms
	(for _ in $(seq 120); do
		echo 2 2>/dev/null >"$PFS/sriov_numvfs" && { echo wrote; exit; }
		sleep 0.05
	done; echo refused) >"$OUT.writer" &
	pid=$!
	vgpu-nl dev set "$VGPU_DEV" provisioning auto >"$OUT.race" 2>&1 || rc=$?
	wait $pid
	echo 0 >$SIM/delay_ms
	got=$(<"$OUT.race")
	if [[ $(<"$OUT.writer") == refused ]]; then
		diag "the plain write came outside the window"
		same "$L: mode race: vgpu-nl cycled its VFs (rc $rc: $got)" \
			"$rc $(<"$PFS/sriov_numvfs")" "0 3"
		mode_is auto "mode race, the write refused"
	elif [[ $got == *"auto provisioning set; another writer set 2 VFs, 3 not re-enabled"* ]]; then
		diag "the plain write came after the switch"
		same "$L: mode race: said, exit 1, the writer's 2 VFs left" "$rc $(<"$PFS/sriov_numvfs")" "1 2"
		mode_is auto "mode race, switched before the write"
	else
		diag "the plain write came before the switch"
		expect_out "another writer set 2 VFs, 3 not re-enabled" \
			"$L: mode race: the refusal names the other writer" cat "$OUT.race"
		same "$L: ... exit 1, the writer's 2 VFs left" "$rc $(<"$PFS/sriov_numvfs")" "1 2"
		mode_is custom "mode race, the write first"
	fi
	vgpu-nl reset "$VGPU_DEV" >/dev/null
}

# xe: VRAM quotas through sysfs on 7.x (the mode stays auto: no debugfs
# write), through debugfs on 6.19 (the PF goes custom).
test_vram() {
	local vf1 v=1G b=$G
	vgpu-nl dev set "$VGPU_DEV" numvfs 3
	vf1=pci/$(vf_name 0)
	# 6.19 gives 3 VFs 1G each by itself: ask for another size there.
	[[ $L == xe-6.19 ]] && v=768M b=$((768 << 20))
	same "$L: vf1's automatic VRAM is not $v" "$(($(<"$D/vf1/tile0/vram_quota") != b))" 1
	check "$L: vf set quota vram $v" vgpu-nl vf set "$vf1" quota vram $v
	same "$L: ... debugfs vram_quota reads $v" "$(<"$D/vf1/tile0/vram_quota")" $b
	if [[ $L == xe-7.3 ]]; then
		same "$L: ... sriov_admin/vf1/profile/vram_quota reads $v" \
			"$(<"$S/vf1/profile/vram_quota")" $b
		check "$L: ... nothing went through debugfs: the driver is still auto (restore_auto_provisioning a no-op with VFs)" \
			bash -c "echo 1 >'$D/restore_auto_provisioning'"
		mode_is auto "a VRAM quota through sysfs"
	else
		check "$L: no sriov_admin vram_quota before 7.0" test ! -e "$S/vf1/profile/vram_quota"
		expect_fail 1 'Device or resource busy' \
			"$L: ... it went through debugfs: the driver is custom (restore_auto_provisioning EBUSY)" \
			bash -c "echo 1 >'$D/restore_auto_provisioning'"
		mode_is custom "a VRAM quota through debugfs"
	fi
	jq_check "$L: the report agrees with the file" \
		".resources[0].resources[] | select(.name == \"vram\") | .resources[] |
		 select(.name == \"vf1\") | .size == $(<"$D/vf1/tile0/vram_quota")" \
		vgpu-nl -j resource show "$VGPU_DEV"

	# The bulk profile: sriov_admin/.bulk_profile, PF and every VF.
	check "$L: dev set profile exec-quantum 8 preempt-timeout 9000" \
		vgpu-nl dev set "$VGPU_DEV" profile exec-quantum 8 preempt-timeout 9000
	same "$L: ... pf and vf3 exec_quantum_ms read 8" \
		"$(<"$S/pf/profile/exec_quantum_ms") $(<"$S/vf3/profile/exec_quantum_ms")" "8 8"
	same "$L: ... vf2 preempt_timeout_us reads 9000" "$(<"$S/vf2/profile/preempt_timeout_us")" 9000
	jq_check "$L: dev show -j gives the PF's profile" \
		'.devices[0].profile.exec_quantum_ms == 8 and .devices[0].profile.preempt_timeout_us == 9000' \
		vgpu-nl -j dev show "$VGPU_DEV"
	expect_fail 1 "Error: priority: the bulk profile sets VFs, which go up to normal" \
		"$L: profile priority high refused with the reason" \
		vgpu-nl dev set "$VGPU_DEV" profile priority high
	[[ $L == xe-7.3 ]] &&
		check "$L: profile vram 256M through .bulk_profile/vram_quota" \
			vgpu-nl dev set "$VGPU_DEV" profile vram 256M &&
		same "$L: ... vf3's vram_quota reads 256M" "$(<"$S/vf3/profile/vram_quota")" $((256 << 20))

	# debugfs not mounted: what sysfs has still works, the rest says why.
	check "$L: debugfs unmounted" umount $DBG
	check "$L: ... exec-quantum through sysfs still" \
		vgpu-nl vf set "$vf1" quota exec-quantum 12
	same "$L: ... sriov_admin/vf1/profile/exec_quantum_ms reads 12" \
		"$(<"$S/vf1/profile/exec_quantum_ms")" 12
	expect_fail 1 "ggtt: .*xe keeps it in debugfs, which is not mounted" \
		"$L: ... ggtt refused with the reason" vgpu-nl vf set "$vf1" quota ggtt 1G
	jq_check "$L: ... only stop (sysfs) is offered" '.vfs[0].controls == ["stop"]' \
		vgpu-nl -j vf show "$vf1"
	expect_fail 1 "pause: xe has it in debugfs, not mounted on /sys/kernel/debug" \
		"$L: ... pause refused with the reason" vgpu-nl vf set "$vf1" state pause
	check "$L: ... stop goes through sriov_admin/vf1/stop" vgpu-nl vf set "$vf1" state stop
	mount -t debugfs debugfs $DBG
	expect_fail 1 'Operation not permitted' "$L: ... the driver has it stopped (a pause: EPERM)" \
		bash -c "echo 1 >'$D/vf1/pause'"
	echo 1 >"$D/vf1/reset"
	vgpu-nl reset "$VGPU_DEV" >/dev/null
}

# stop|pause|resume|reset, checked against what the driver then allows.
test_control() {
	local vf1 controls=$1 ctl=$2
	vgpu-nl dev set "$VGPU_DEV" numvfs 2
	vf1=pci/$(vf_name 0)
	jq_check "$L: vf show: controls $controls, no state yet" \
		".vfs[0].controls == $controls and (.vfs[0] | has(\"state\") | not)" \
		vgpu-nl -j vf show "$vf1"
	check "$L: vf set state stop" vgpu-nl vf set "$vf1" state stop
	jq_check "$L: ... vf show says stopped" '.vfs[0].state == "stopped"' \
		vgpu-nl -j vf show "$vf1"
	expect_out "state stopped" "$L: ... in text too" vgpu-nl vf show "$vf1"
	if [[ $L == i915 ]]; then
		# i915 asks the GuC and checks nothing itself; no reset file.
		check "$L: vf set state resume" vgpu-nl vf set "$vf1" state resume
		jq_check "$L: ... running" '.vfs[0].state == "running"' vgpu-nl -j vf show "$vf1"
		expect_fail 1 "Error: reset: i915 has no VF reset; an FLR does it" \
			"$L: reset refused with the reason" vgpu-nl vf set "$vf1" state reset
		vgpu-nl dev set "$VGPU_DEV" numvfs 0
		return
	fi
	expect_fail 1 "Operation not permitted" "$L: ... the driver has it stopped: pause EPERM" \
		bash -c "echo pause >'$ctl'"
	expect_fail 1 "Error: resume $vf1: it is not paused \\(-1\\)" \
		"$L: resume of a stopped VF: the driver's reason" vgpu-nl vf set "$vf1" state resume
	expect_fail 1 "Error: pause $vf1: it is stopped: only a reset brings it back \\(-1\\)" \
		"$L: pause of a stopped VF: the driver's reason" vgpu-nl vf set "$vf1" state pause
	if [[ $L == xe-old ]]; then
		expect_fail 1 "Error: reset: xe before 6.19 has no VF reset" \
			"$L: reset refused with the reason" vgpu-nl vf set "$vf1" state reset
		jq_check "$L: ... still stopped" '.vfs[0].state == "stopped"' vgpu-nl -j vf show "$vf1"
		vgpu-nl dev set "$VGPU_DEV" numvfs 0
		return
	fi
	check "$L: vf set state reset" vgpu-nl vf set "$vf1" state reset
	jq_check "$L: ... running" '.vfs[0].state == "running"' vgpu-nl -j vf show "$vf1"
	check "$L: ... the driver lets it be paused again" bash -c "echo pause >'$ctl'"
	check "$L: ... and resumed" bash -c "echo resume >'$ctl'"
	check "$L: vf set state pause" vgpu-nl vf set "$vf1" state pause
	expect_fail 1 "Stale file handle" "$L: ... the driver has it paused: pause ESTALE" \
		bash -c "echo pause >'$ctl'"
	expect_fail 1 "Error: pause $vf1: it is paused already \\(-116\\)" \
		"$L: pause twice: the driver's reason" vgpu-nl vf set "$vf1" state pause
	check "$L: vf set state resume" vgpu-nl vf set "$vf1" state resume
	jq_check "$L: ... running" '.vfs[0].state == "running"' vgpu-nl -j vf show "$vf1"
	expect_fail 2 "Error: invalid state 'halt'" "$L: an unknown state is a usage error" \
		vgpu-nl vf set "$vf1" state halt
	expect_fail 1 "Operation not permitted" "$L: unprivileged state change refused" \
		unpriv vgpu-nl vf set "$vf1" state stop
	vgpu-nl dev set "$VGPU_DEV" numvfs 0
}

# xe-old and the PF without modes: no mode reported, asking is refused.
test_no_modes() {
	vgpu-nl dev set "$VGPU_DEV" numvfs 2
	jq_check "$L: no provisioning mode reported" \
		'.resources[0] | has("provisioning_mode") | not' \
		vgpu-nl -j resource show "$VGPU_DEV"
	expect_fail 1 "Error: xe-debugfs-gt has no auto/custom provisioning modes" \
		"$L: dev set provisioning auto refused with the reason" \
		vgpu-nl dev set "$VGPU_DEV" provisioning auto
	vgpu-nl vf set "pci/$(vf_name 0)" quota contexts 512 >/dev/null
	vgpu-nl save - >"$OUT.old"
	check "$L: save keeps the quotas (no modes to go by)" \
		grep -Eq "^vf $VGPU_DEV/0 quota .*contexts 512" "$OUT.old"
	check "$L: ... and writes no provisioning" bash -c "! grep -q '^device.* provisioning' '$OUT.old'"
	expect_fail 1 "has no auto and custom provisioning to choose from" \
		"$L: apply of 'provisioning auto' refused before anything" \
		vgpu-nl apply <(printf 'device %s provisioning auto\n' "$VGPU_DEV")
	vgpu-nl reset "$VGPU_DEV" >/dev/null
}

# vf set driver vfio: the variant whose vfio_pci: alias matches, else
# vfio-pci; any VFIO PCI driver by name; migration in vf show.
test_vfio() {
	local vf1 snip
	vgpu-nl dev set "$VGPU_DEV" numvfs 2
	vf1=pci/$(vf_name 0)
	check "variant absent: vf set driver vfio" vgpu-nl vf set "$vf1" driver vfio
	jq_check "... binds vfio-pci, which has no migration" \
		'.vfs[0].driver == "vfio-pci" and .vfs[0].migration == false' \
		vgpu-nl -j vf show "$vf1"
	check "... driver default" vgpu-nl vf set "$vf1" driver default

	# The install: the variant in updates/ and the indexes depmod made for
	# it on the host (tests/build-modules.sh says why there). The old
	# indexes are kept, to be put back after.
	mkdir -p "$UPDATES" "$OUT.modules"
	cp -p "$MODDIR"/modules.* "$OUT.modules/"
	cp "$VFIO_KO" "$UPDATES/"
	check "vgpu_sim_vfio installed (with its module indexes)" \
		tar -xf "$VFIO_IDX" -C "$MODDIR"
	check "... modprobe finds it" modprobe -n vgpu_sim_vfio
	check "... its vfio_pci: alias matches the VF's modalias" \
		grep -q '^alias vfio_pci:v00001B36d00000010sv\*sd\*bc\*sc\*i\* vgpu_sim_vfio$' \
		"$MODDIR/modules.alias"
	check "vf set driver vfio" vgpu-nl vf set "$vf1" driver vfio
	jq_check "... binds the variant vgpu-sim-vfio-pci, with migration" \
		'.vfs[0].driver == "vgpu-sim-vfio-pci" and .vfs[0].migration == true' \
		vgpu-nl -j vf show "$vf1"
	expect_out "driver vgpu-sim-vfio-pci.* migration yes" "... in text too" vgpu-nl vf show "$vf1"
	snip=$(vgpu-nl snippet "$vf1" --format libvirt)
	if dpkg-query -W -f '${Version}' libvirt0 2>/dev/null | grep -Eq '^(1[0-9]|[2-9][0-9])\.'; then
		same "libvirt 10+: the snippet names the variant (<driver model=>)" \
			"$(grep -c "<driver model='vgpu-sim-vfio-pci'/>" <<<"$snip")" 1
	else
		check "libvirt before 10 (or none): managed='no' keeps the variant, and says so" \
			grep -q "vgpu-sim-vfio-pci is a VFIO variant driver: managed='no'" <<<"$snip"
	fi
	check "vf set driver vfio-pci by name" vgpu-nl vf set "$vf1" driver vfio-pci
	jq_check "... vfio-pci, no migration" '.vfs[0].driver == "vfio-pci" and .vfs[0].migration == false' \
		vgpu-nl -j vf show "$vf1"
	check "vf set driver vgpu-sim-vfio-pci by name" vgpu-nl vf set "$vf1" driver vgpu-sim-vfio-pci
	jq_check "... the variant again" '.vfs[0].driver == "vgpu-sim-vfio-pci"' \
		vgpu-nl -j vf show "$vf1"
	expect_fail 1 'Error: "vgpu_sim" is not a VFIO PCI driver \(no vfio_pci entry\)' \
		"a loaded PCI driver that is not a VFIO one is refused with the reason" \
		vgpu-nl vf set "$vf1" driver vgpu_sim
	jq_check "... and the VF stays on the variant" '.vfs[0].driver == "vgpu-sim-vfio-pci"' \
		vgpu-nl -j vf show "$vf1"
	vgpu-nl save - >"$OUT.vfio"
	check "save records the variant by name" grep -qx "vf $VGPU_DEV/0 driver vgpu-sim-vfio-pci" "$OUT.vfio"
	vgpu-nl reset "$VGPU_DEV" >/dev/null
	check "apply binds the variant again" vgpu-nl apply "$OUT.vfio"
	jq_check "... vf show says so" '.vfs[0].driver == "vgpu-sim-vfio-pci"' \
		vgpu-nl -j vf show "$vf1"
	vgpu-nl reset "$VGPU_DEV" >/dev/null
	rmmod vgpu_sim_vfio
	rm -f "$UPDATES/vgpu_sim_vfio.ko"
	rm -f "$MODDIR"/modules.*
	cp -p "$OUT.modules"/* "$MODDIR/"
	expect_fail 1 "Module vgpu_sim_vfio not found" \
		"vgpu_sim_vfio taken out: modprobe no longer finds it" \
		modprobe -n vgpu_sim_vfio
	check "... nor does modules.alias name it" \
		bash -c "! grep -q vgpu_sim_vfio '$MODDIR/modules.alias'"
}

load_sim i915 iov=i915
test_modes
test_mode_race
expect_fail 1 "Error: exec-quantum: i915-prelim_iov has no bulk profile for it" \
	"i915: dev set profile refused with the reason" \
	vgpu-nl dev set "$VGPU_DEV" profile exec-quantum 8
test_control '["stop","pause","resume"]' ""

load_sim xe-6.19 iov=xe xe_kernel=6.19 vram_mb=4096
test_modes
test_vram
test_control '["stop","pause","resume","reset"]' "$D/vf1/tile0/gt0/control"

load_sim xe-7.3 iov=xe vram_mb=4096
test_modes
test_mode_race
test_vram
test_control '["stop","pause","resume","reset"]' "$D/vf1/tile0/gt0/control"
test_vfio

load_sim xe-old iov=xe-old
test_no_modes
test_control '["stop","pause","resume"]' "$DBG/dri/0/gt0/vf1/control"

load_sim i915
rm -rf "$OUT".*
tap_done
