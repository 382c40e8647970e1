#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Quotas: the resource report and VF quotas, on every provisioning layout
# the simulated PF can show (vgpu_sim iov=i915|xe|xe-old), and the GVT-g
# aperture report of its mdev parent.
#
# Topology (tests/vm/run): the emulated SR-IOV PF $VGPU_DEV bound to
# vgpu_sim; for each layout the sim is reloaded with iov=LAYOUT, so the
# PF's driver files are those of i915-sriov-dkms (drm/card0/prelim_iov),
# xe 6.19+ (debugfs dri/<BDF>/sriov + sysfs sriov_admin) or older xe
# (debugfs dri/0/gt0). tests/sim/PROVISIONING.md lists every file.
# /sys/module/vgpu_sim/parameters/fail_write=N fails the N-th write.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

SIM=/sys/module/vgpu_sim/parameters
PFS=$PCI/$VGPU_PF
SIM_KO=$VGPU_CHECKOUT/build/$VGPU_KVER/vgpu_sim.ko
OUT=/tmp/quota.$$
POOL_GGTT=$((3584 << 20))	# vgpu_sim ggtt_mb default
modprobe vfio-pci
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug

vf_name() { basename "$(readlink "$PFS/virtfn$1")"; }

# Bytes in the largest exact unit, as vgpu_nl's messages give them.
amount() {
	local v=$1 u=0 units=(bytes KiB MiB GiB)
	while ((v && u < 3 && !(v & 1023))); do
		v=$((v >> 10))
		u=$((u + 1))
	done
	echo "$v ${units[u]}"
}

# The sim's file of quota KEY (its name in the driver) of VF N (1-based).
qfile() {
	local key=$1 n=$2 dbg=/sys/kernel/debug/dri
	case $LAYOUT in
	i915)	echo "$PFS/drm/card0/prelim_iov/vf$n/gt0/$key" ;;
	xe)	case $key in
		ggtt_quota) echo "$dbg/$VGPU_PF/sriov/vf$n/tile0/$key" ;;
		exec_quantum_ms|preempt_timeout_us)
			echo "$PFS/sriov_admin/vf$n/profile/$key" ;;
		*) echo "$dbg/$VGPU_PF/sriov/vf$n/tile0/gt0/$key" ;;
		esac ;;
	xe-old)	echo "$dbg/0/gt0/vf$n/$key" ;;
	esac
}

# The four files a quota request writes, as one line.
four() {
	local n=$1 k
	for k in ggtt_quota contexts_quota doorbells_quota exec_quantum_ms; do
		printf '%s ' "$(cat "$(qfile $k "$n")")"
	done
}

load_sim() {
	vgpu-nl dev set "$VGPU_DEV" numvfs 0 >/dev/null 2>&1 || true
	rmmod vgpu_sim
	insmod "$SIM_KO" iov="$@"
	bind_sim
	wait_for 5 test -d "$VGPU_SYSFS/$VGPU_PF"
}

# res_json: the resource report of the PF, into $OUT.json
res_json() { vgpu-nl -j resource show "$VGPU_DEV" >"$OUT.json"; }

# adds_up POOL: children + free == size in the last report.
adds_up() {
	jq_check "$LAYOUT: $1: pf_spare + every VF's quota + free == size" \
		".resources[0].resources[] | select(.name == \"$1\") |
		 ([.resources[].size] | add) + .free == .size and
		 .occ == ([.resources[].size] | add)" \
		cat "$OUT.json"
}

test_report() {
	local want=$1
	check "$LAYOUT: dev set numvfs 3" vgpu-nl dev set "$VGPU_DEV" numvfs 3
	res_json
	jq_check "$LAYOUT: provisioning layout is $want" \
		".resources[0].provisioning == \"$want\"" cat "$OUT.json"
	same "$LAYOUT: sysfs provisioning says $want too" \
		"$(cat "$VGPU_SYSFS/$VGPU_PF/provisioning")" "$want"
	jq_check "$LAYOUT: ggtt, contexts, doorbells reported, with vf1..vf3" \
		"[.resources[0].resources[] | select(.name == (\"ggtt\",\"contexts\",\"doorbells\"))] |
		 length == 3 and all(([.resources[].name] | index(\"vf1\",\"vf2\",\"vf3\")) != null)" \
		cat "$OUT.json"
	adds_up ggtt
	adds_up contexts
	adds_up doorbells
	jq_check "$LAYOUT: ggtt size is the sim's pool ($POOL_GGTT), doorbells 256" \
		"(.resources[0].resources[] | select(.name == \"ggtt\") | .size == $POOL_GGTT) and
		 (.resources[0].resources[] | select(.name == \"doorbells\") | .size == 256)" \
		cat "$OUT.json"
	jq_check "$LAYOUT: vf1's ggtt quota is what its file says" \
		".resources[0].resources[] | select(.name == \"ggtt\") | .resources[] |
		 select(.name == \"vf1\") | .size == $(cat "$(qfile ggtt_quota 1)")" \
		cat "$OUT.json"
	jq_check "$LAYOUT: unprivileged users can read the report" \
		".resources[0].handle == \"$VGPU_DEV\"" \
		unpriv vgpu-nl -j resource show "$VGPU_DEV"
	jq_check "$LAYOUT: vf show carries the VF's quotas" \
		".vfs[0].quota.ggtt == $(cat "$(qfile ggtt_quota 1)") and
		 .vfs[0].quota.exec_quantum_ms == $(cat "$(qfile exec_quantum_ms 1)")" \
		vgpu-nl -j vf show "pci/$(vf_name 0)"
}

test_set() {
	local vf3="pci/$(vf_name 2)" vf2="pci/$(vf_name 1)" size before free
	monitor_start "$OUT.mon"
	check "$LAYOUT: vf set quota on vf3 (ggtt 256M contexts 1024 doorbells 16 exec-quantum 20 preempt-timeout 40000)" \
		vgpu-nl vf set "$vf3" quota ggtt 256M contexts 1024 doorbells 16 \
		exec-quantum 20 preempt-timeout 40000
	same "$LAYOUT: ggtt_quota file reads 256M" "$(cat "$(qfile ggtt_quota 3)")" $((256 << 20))
	same "$LAYOUT: contexts_quota file reads 1024" "$(cat "$(qfile contexts_quota 3)")" 1024
	same "$LAYOUT: doorbells_quota file reads 16" "$(cat "$(qfile doorbells_quota 3)")" 16
	same "$LAYOUT: exec_quantum_ms file reads 20" "$(cat "$(qfile exec_quantum_ms 3)")" 20
	same "$LAYOUT: preempt_timeout_us file reads 40000" "$(cat "$(qfile preempt_timeout_us 3)")" 40000
	monitor_stop
	jq_check "$LAYOUT: monitor saw one quota event for vf3" \
		"[.[] | select(.event == \"quota\")] | length == 1 and .[0].handle == \"$vf3\"" \
		jq -s '[.[] | select(.event == "quota")]' "$OUT.mon"
	res_json
	jq_check "$LAYOUT: resource show reflects vf3's new ggtt and doorbells" \
		"(.resources[0].resources[] | select(.name == \"ggtt\") | .resources[] |
		  select(.name == \"vf3\") | .size == $((256 << 20))) and
		 (.resources[0].resources[] | select(.name == \"doorbells\") | .resources[] |
		  select(.name == \"vf3\") | .size == 16)" cat "$OUT.json"
	adds_up ggtt
	jq_check "$LAYOUT: ggtt size unchanged by moving quota ($POOL_GGTT)" \
		".resources[0].resources[] | select(.name == \"ggtt\") | .size == $POOL_GGTT" \
		cat "$OUT.json"

	# What is free now goes to vf2, 4K more is refused.
	free=$(jq '.resources[0].resources[] | select(.name == "ggtt") | .free' "$OUT.json")
	size=$(cat "$(qfile ggtt_quota 2)")
	before=$(four 2)
	expect_fail 1 "Error: ggtt: .* more asked but only .* free" \
		"$LAYOUT: more GGTT than is free is refused" \
		vgpu-nl vf set "$vf2" quota ggtt $((size + free + 4096)) contexts 128
	same "$LAYOUT: ... and nothing changed" "$(four 2)" "$before"
	check "$LAYOUT: exactly what is free is granted" \
		vgpu-nl vf set "$vf2" quota ggtt $((size + free))
	same "$LAYOUT: vf2 ggtt_quota grew by the free amount" \
		"$(cat "$(qfile ggtt_quota 2)")" $((size + free))
	expect_fail 1 "Error: contexts: 70000 is above the driver's limit of" \
		"$LAYOUT: contexts above the driver's type limit refused by the kernel" \
		vgpu-nl vf set "$vf2" quota contexts 70000
	expect_fail 2 "Error: invalid ggtt value '512X': unknown unit" \
		"$LAYOUT: a bad unit is a usage error" \
		vgpu-nl vf set "$vf2" quota ggtt 512X
	expect_fail 1 "Operation not permitted" "$LAYOUT: unprivileged quota change refused" \
		unpriv vgpu-nl vf set "$vf2" quota exec-quantum 5
	same "$LAYOUT: ... and nothing changed" "$(four 2)" \
		"$(cat "$(qfile ggtt_quota 2)") $(cat "$(qfile contexts_quota 2)") $(cat "$(qfile doorbells_quota 2)") $(cat "$(qfile exec_quantum_ms 2)") "
	expect_fail 1 "Error: .*is a PF" "$LAYOUT: quotas on the PF refused" \
		vgpu-nl vf set "$VGPU_DEV" quota ggtt 1M

	# One VF_SET is all or nothing: a driver the kernel refuses leaves
	# the quotas of the same request unwritten.
	before=$(four 2)
	expect_out 'errno=-?22 msg="vgpu_sim" is not a VFIO PCI driver \(no vfio_pci entry\)' \
		"$LAYOUT: VF_SET with quotas and a refused driver is refused" \
		genl-probe vf-set-driver-contexts "$vf2" vgpu_sim 256
	same "$LAYOUT: ... and no quota file changed" "$(four 2)" "$before"
	# A size too large for any pool: the whole figure is in the text.
	expect_fail 1 "Error: ggtt: [0-9]{19,20} (bytes|KiB|MiB|GiB) more asked but only .* free" \
		"$LAYOUT: a huge GGTT request names the whole amount" \
		vgpu-nl vf set "$vf2" quota ggtt 18446744073709551615
}

# i915 with a fragmented GGTT (vgpu_sim ggtt_hole_mb): free space is more
# than one VF can get. Above the driver's maximum is refused up front;
# a request the driver itself refuses after releasing the VF's old GGTT
# (-EDQUOT) leaves the VF with its old quota, written back.
test_max() {
	local vf2="pci/$(vf_name 1)" vf3="pci/$(vf_name 2)" x before
	[[ $LAYOUT == i915 ]] || return 0
	check "i915: vf3 gives back GGTT (64M)" vgpu-nl vf set "$vf3" quota ggtt 64M
	echo 128 >"$SIM/ggtt_hole_mb"
	x=$(cat "$(qfile ggtt_quota 2)")
	before=$(four 2)
	res_json
	jq_check "i915: fragmented: max_quota (128M) below free" \
		".resources[0].resources[] | select(.name == \"ggtt\") |
		 .max_quota == $((128 << 20)) and .free > .max_quota" cat "$OUT.json"
	expect_fail 1 "Error: ggtt: above the driver's maximum of $(amount $((x + (128 << 20)))) for this VF" \
		"i915: above the driver's maximum refused up front" \
		vgpu-nl vf set "$vf2" quota ggtt $((x + (160 << 20)))
	same "i915: ... and nothing changed" "$(four 2)" "$before"
	expect_fail 1 "Error: ggtt: above the driver's limit \(-122\); nothing changed" \
		"i915: the driver's own -EDQUOT (after releasing the old GGTT) is undone" \
		vgpu-nl vf set "$vf2" quota ggtt $((x + (64 << 20))) contexts 256
	same "i915: ... vf2 has its old GGTT and contexts back" "$(four 2)" "$before"
	echo 0 >"$SIM/ggtt_hole_mb"
}

# The third of four writes fails: the first two are written back.
test_rollback() {
	local vf3="pci/$(vf_name 2)" before
	before=$(four 3)
	echo 3 >"$SIM/fail_write"
	expect_fail 1 "Error: doorbells: driver I/O error \(-5\); nothing changed" \
		"$LAYOUT: injected failure on the third of four writes" \
		vgpu-nl vf set "$vf3" quota ggtt 128M contexts 512 doorbells 8 exec-quantum 7
	same "$LAYOUT: all four files as they were" "$(four 3)" "$before"
	same "$LAYOUT: the injection was used" "$(cat "$SIM/fail_write")" 0
}

test_priority() {
	local vf1="pci/$(vf_name 0)"
	if [[ $LAYOUT == i915 ]]; then
		expect_fail 1 "Error: priority: not offered by this PF's driver \(i915-prelim_iov\)" \
			"i915: priority is refused with the reason" \
			vgpu-nl vf set "$vf1" quota priority high
		expect_fail 1 "Error: gt1-contexts: not offered by this PF's driver \(i915-prelim_iov\)" \
			"i915 without a media GT: gt1 keys are refused with the reason" \
			vgpu-nl vf set "$vf1" quota gt1-contexts 128
		return
	fi
	check "$LAYOUT: vf set quota priority normal" vgpu-nl vf set "$vf1" quota priority normal
	same "$LAYOUT: sched_priority file reads 1" "$(cat "$(qfile sched_priority 1)")" 1
	jq_check "$LAYOUT: vf show says priority normal" '.vfs[0].quota.priority == "normal"' \
		vgpu-nl -j vf show "$vf1"
	expect_fail 1 "Error: priority: $1 gives VFs at most normal" \
		"$LAYOUT: priority high is the PF's only: refused with the reason" \
		vgpu-nl vf set "$vf1" quota priority high
	same "$LAYOUT: ... and the file still reads 1" "$(cat "$(qfile sched_priority 1)")" 1
}

test_openmetrics() {
	vgpu-nl resource show --format openmetrics >"$OUT.om"
	vgpu-nl -j resource show >"$OUT.all.json"
	check "$LAYOUT: openmetrics parses strictly and matches the JSON report" \
		/usr/bin/python3 "$VGPU_CHECKOUT/tests/tools/check-openmetrics.py" \
		"$OUT.om" "$OUT.all.json"
	check "$LAYOUT: openmetrics counts the VFs" \
		grep -qx "vgpu_vfs{device=\"$VGPU_DEV\"} 3" "$OUT.om"
	expect_fail 2 "Error: invalid format 'yaml'" "bad --format is a usage error" \
		vgpu-nl resource show --format yaml
}

for LAYOUT in i915 xe xe-old; do
	load_sim "$LAYOUT"
	case $LAYOUT in
	i915) NAME=i915-prelim_iov ;;
	xe) NAME=xe-sriov ;;
	xe-old) NAME=xe-debugfs-gt ;;
	esac
	test_report "$NAME"
	test_set
	test_max
	test_rollback
	test_priority "$NAME"
	test_openmetrics
done

# i915 with a media GT (Meteor Lake): gt1 has its own contexts and
# doorbells, reported and set like gt0's.
test_media_gt() {
	local vf2
	LAYOUT=i915-media
	load_sim i915 media_gt=1
	check "media GT: dev set numvfs 3" vgpu-nl dev set "$VGPU_DEV" numvfs 3
	res_json
	jq_check "media GT: gt1/contexts and gt1/doorbells reported with vf1..vf3" \
		"[.resources[0].resources[] | select(.name == (\"gt1/contexts\",\"gt1/doorbells\"))] |
		 length == 2 and all(([.resources[].name] | index(\"vf1\",\"vf2\",\"vf3\")) != null)" \
		cat "$OUT.json"
	adds_up gt1/contexts
	adds_up gt1/doorbells
	vf2="pci/$(vf_name 1)"
	check "media GT: vf set quota gt1-contexts 1024 gt1-doorbells 8 gt1-exec-quantum 15" \
		vgpu-nl vf set "$vf2" quota gt1-contexts 1024 gt1-doorbells 8 gt1-exec-quantum 15
	same "media GT: vf2/gt1/contexts_quota reads 1024" \
		"$(cat "$PFS/drm/card0/prelim_iov/vf2/gt1/contexts_quota")" 1024
	same "media GT: vf2/gt1/doorbells_quota reads 8" \
		"$(cat "$PFS/drm/card0/prelim_iov/vf2/gt1/doorbells_quota")" 8
	same "media GT: vf2/gt1/exec_quantum_ms reads 15" \
		"$(cat "$PFS/drm/card0/prelim_iov/vf2/gt1/exec_quantum_ms")" 15
	jq_check "media GT: vf show and the report follow" \
		".vfs[0].quota.gt1_contexts == 1024 and .vfs[0].quota.gt1_exec_quantum_ms == 15" \
		vgpu-nl -j vf show "$vf2"
	res_json
	jq_check "media GT: the report has vf2's gt1 doorbells" \
		".resources[0].resources[] | select(.name == \"gt1/doorbells\") | .resources[] |
		 select(.name == \"vf2\") | .size == 8" cat "$OUT.json"
	adds_up gt1/doorbells
}
test_media_gt

# GVT-g: the aperture report moves by exactly the type's slice.
test_gvt() {
	local uuid type=vgpu_sim-GVTg_V5_4
	vgpu-nl dev set "$VGPU_DEV" numvfs 0
	res_json
	cp "$OUT.json" "$OUT.before.json"
	uuid=$(vgpu-nl mdev add "$VGPU_DEV" type "$type")
	res_json
	# .[0] is the report before, .[1] after.
	jq_check "gvt: low_gm +128M, high_gm +512M, fences +4 with the new mdev as holder" \
		"def r(n): .resources[0].resources[] | select(.name == n);
		 (.[1] | r(\"low_gm\").occ) - (.[0] | r(\"low_gm\").occ) == $((128 << 20)) and
		 (.[1] | r(\"high_gm\").occ) - (.[0] | r(\"high_gm\").occ) == $((512 << 20)) and
		 (.[1] | r(\"fences\").occ) - (.[0] | r(\"fences\").occ) == 4 and
		 (.[1] | r(\"low_gm\").resources | map(select(.name == \"$uuid\")) | .[0].size) == $((128 << 20)) and
		 (.[1] | r(\"fences\").unit) == \"count\" and (.[1] | r(\"low_gm\") | has(\"size\") | not)" \
		jq -s . "$OUT.before.json" "$OUT.json"
	check "gvt: mdev del" vgpu-nl mdev del "$uuid"
	res_json
	jq_check "gvt: back to the report before" \
		'.[0].resources[0].resources == .[1].resources[0].resources' \
		jq -s . "$OUT.before.json" "$OUT.json"
}
test_gvt

load_sim i915
rm -f "$OUT".*
tap_done
