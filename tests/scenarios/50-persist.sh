#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Persistence: save, reset, apply, and the udev/systemd path after a rebind.
#
# Topology (tests/vm/run): the PF $VGPU_DEV bound to vgpu_sim, an SR-IOV PF
# (7 VFs) that is also an mdev parent with four GVT-g-shaped types. The
# state built here: 3 VFs, VF 1 on vfio-pci, two mdevs made by vgpu-nl
# (types _4 and _8) and one made by a plain sysfs write (foreign), and VF 2
# with its own scheduling settings; every VF's quotas (the sim's i915
# prelim_iov tree) are part of the state compared.
#
# Not covered here: systemd itself (the guest has none): the udev rule is
# run through `udevadm test` and the command its unit runs is then run by
# hand.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

modprobe vfio-pci
modprobe vfio_iommu_type1 2>/dev/null || true
CONF=/etc/vgpu-nl/vgpu-nl.conf
DIST=$VGPU_CHECKOUT/dist
MDEVS=/sys/bus/mdev/devices
TYPES=$PCI/$VGPU_PF/mdev_supported_types
FOREIGN=00000100-0000-0000-0000-000000000001

type_named() {
	vgpu-nl -j type show "$VGPU_DEV" | jq -r ".types[] | select(.name | endswith(\"$1\")) | .name"
}
vf_at() {
	vgpu-nl -j vf show "$VGPU_DEV" | jq -r ".vfs[] | select(.index == $1) | .handle"
}

# The state of $VGPU_DEV without what changes when VFs are made again
# (IOMMU group numbers, holders): device, VFs and mdevs, one JSON line.
snapshot() {
	jq -cnS --argjson d "$(vgpu-nl -j dev show "$VGPU_DEV")" \
		--argjson v "$(vgpu-nl -j vf show "$VGPU_DEV")" \
		--argjson m "$(vgpu-nl -j mdev show "$VGPU_DEV")" \
		'{dev: [$d.devices[] | {handle, driver, sriov}],
		  vfs: [$v.vfs[] | {handle, pf, index, driver, driver_override, quota}] | sort_by(.index),
		  mdevs: [$m.mdevs[] | {uuid, parent, type, driver, owned}] | sort_by(.uuid)}'
}

# has_line DESC LINE TEXT: ok if TEXT has LINE as one whole line.
has_line() {
	if grep -qxF -- "$2" <<<"$3"; then
		ok "$1"
	else
		not_ok "$1"
		diag "no line '$2' in:"
		diag "$3"
	fi
}

# not_wanted DESC: ok if the last `udevadm test` ran and wanted no unit of ours.
not_wanted() {
	if [[ $TAP_RC -eq 0 ]] && ! grep -q vgpu-nl-apply <<<"$TAP_OUT"; then
		ok "$1"
	else
		not_ok "$1"
		tap_show
	fi
}

T4= T8= U1= U2= VF1=
setup() {
	T4=$(type_named GVTg_V5_4)
	T8=$(type_named GVTg_V5_8)
	vgpu-nl dev set "$VGPU_DEV" numvfs 3
	VF1=$(vf_at 1)
	vgpu-nl vf set "$VF1" driver vfio-pci
	vgpu-nl vf set "$(vf_at 2)" quota exec-quantum 25 preempt-timeout 30000
	U1=$(vgpu-nl mdev add "$VGPU_DEV" type "$T4")
	U2=$(vgpu-nl mdev add "$VGPU_DEV" type "$T8" uuid 5a3e0c2b-8d41-4f6a-9b7e-2c1d0e9f8a76)
	# What Proxmox VE or mdevctl would make: vgpu-nl did not create it.
	echo "$FOREIGN" >"$TYPES/$T4/create"
	jq_check "setup: 3 VFs, VF 1 on vfio-pci, 2 owned mdevs and 1 foreign" \
		"[.mdevs[] | .owned] | sort == [false, true, true]" \
		vgpu-nl -j mdev show "$VGPU_DEV"
}

test_save_reset_apply() {
	local before out
	before=$(snapshot)
	check "save FILE writes $CONF" vgpu-nl save "$CONF"
	out=$(cat "$CONF")
	has_line "the file has the device line" "device $VGPU_DEV numvfs 3 autoprobe on" "$out"
	check "the file names VF 1 by PF/INDEX with vfio-pci (and its quotas)" \
		grep -Eq "^vf $VGPU_DEV/1 driver vfio-pci( quota .*)?$" "$CONF"
	check "the file has VF 2's quotas" \
		grep -q "^vf $VGPU_DEV/2 .*quota .*exec-quantum 25 preempt-timeout 30000" "$CONF"
	has_line "the file has mdev 1" "mdev $U1 parent $VGPU_DEV type $T4" "$out"
	has_line "the file has mdev 2" "mdev $U2 parent $VGPU_DEV type $T8" "$out"
	has_line "the foreign mdev is only a comment" \
		"# not created by vgpu-nl, left out: mdev $FOREIGN parent $VGPU_DEV type $T4" "$out"
	same "save - prints the same as save FILE" "$(vgpu-nl save -)" "$out"
	tap_run vgpu-nl save
	same "save without FILE: $CONF again, saying where, the old one kept" \
		"$TAP_RC:$TAP_OUT:$TAP_ERR" \
		"0::saved the state to $CONF (the previous one is $CONF.bak)"
	same "... the same content, and the old file as $CONF.bak" \
		"$(cat "$CONF"):$(cat "$CONF.bak")" "$out:$out"
	same "... mode 0644" "$(stat -c %a "$CONF")" 644
	check "save then apply on an unchanged system" vgpu-nl apply
	has_line "... says nothing to change" "nothing to change" "$TAP_OUT"

	tap_run vgpu-nl reset "$VGPU_DEV"
	same "reset exits 0" "$TAP_RC" 0
	has_line "reset: mdev 1 removed" "mdev del $U1 parent $VGPU_DEV type $T4" "$TAP_OUT"
	has_line "reset: mdev 2 removed" "mdev del $U2 parent $VGPU_DEV type $T8" "$TAP_OUT"
	has_line "reset: VF 1's driver restored first" "driver $VF1 vfio-pci -> default" "$TAP_OUT"
	has_line "reset: VFs removed" "numvfs $VGPU_DEV 3 -> 0" "$TAP_OUT"
	has_line "reset: the foreign mdev is left and named" \
		"mdev $FOREIGN parent $VGPU_DEV type $T4 left alone: not created by vgpu-nl" "$TAP_OUT"
	same "after reset: no VFs" "$(cat $PCI/$VGPU_PF/sriov_numvfs)" 0
	same "after reset: only the foreign mdev" "$(ls $MDEVS)" "$FOREIGN"
	tap_run vgpu-nl reset "$VGPU_DEV"
	has_line "reset again: nothing to change" "nothing to change" "$TAP_OUT"

	tap_run vgpu-nl apply "$CONF"
	same "apply exits 0" "$TAP_RC" 0
	has_line "apply: VFs made" "numvfs $VGPU_DEV 0 -> 3" "$TAP_OUT"
	has_line "apply: VF 1 on vfio-pci" "driver $VF1 (none) -> vfio-pci" "$(sed "s|driver $VF1 [^ ]* ->|driver $VF1 (none) ->|" <<<"$TAP_OUT")"
	has_line "apply: mdev 1 made with its UUID" "mdev add $U1 parent $VGPU_DEV type $T4" "$TAP_OUT"
	has_line "apply: mdev 2 made with its UUID" "mdev add $U2 parent $VGPU_DEV type $T8" "$TAP_OUT"
	same "save, reset, apply: the same VFs, drivers, quotas and mdevs" "$(snapshot)" "$before"
	jq_check "... VF 2's scheduling settings are back" \
		'.vfs[] | select(.index == 2) | .quota.exec_quantum_ms == 25 and .quota.preempt_timeout_us == 30000' \
		vgpu-nl -j vf show "$VGPU_DEV"

	tap_run vgpu-nl apply
	same "a second apply exits 0" "$TAP_RC" 0
	same "a second apply changes nothing and says so" \
		"$(grep -v 'left alone' <<<"$TAP_OUT")" "nothing to change"
	jq_check "apply -j: an empty changes array, the foreign mdev left alone" \
		".changes == [] and [.left_alone[].uuid] == [\"$FOREIGN\"]" vgpu-nl -j apply
	echo 1 >"$MDEVS/$FOREIGN/remove"
}

# A reload of vgpu_nl (as after an upgrade) while VFs and mdevs exist:
# the module forgets which mdevs it made; the tool's records under
# /run/vgpu-nl/mdevs keep them vgpu-nl's.
test_owned_after_reload() {
	local before
	echo "$FOREIGN" >"$TYPES/$T4/create"
	before=$(snapshot)
	check "records of the two mdevs vgpu-nl made, none of the foreign one" \
		test -s "/run/vgpu-nl/mdevs/$U1" -a -s "/run/vgpu-nl/mdevs/$U2" \
		-a ! -e "/run/vgpu-nl/mdevs/$FOREIGN"
	check "rmmod vgpu_nl with VFs and mdevs in place" rmmod vgpu_nl
	check "insmod vgpu_nl again" insmod "$VGPU_KO" extra_ids=1b36:0010
	same "after the reload: the same VFs, drivers, quotas, mdevs and owners" \
		"$(snapshot)" "$before"
	expect_fail 1 "^Error: mdev $FOREIGN not created by vgpu-nl; use force$" \
		"the foreign mdev still needs force" vgpu-nl mdev del "$FOREIGN"
	check "mdev del without force of one vgpu-nl made before the reload" \
		vgpu-nl mdev del "$U2"
	check "... its record goes with it" test ! -e "/run/vgpu-nl/mdevs/$U2"
	check "made again" vgpu-nl mdev add "$VGPU_DEV" type "$T8" uuid "$U2"
	echo 1 >"$MDEVS/$FOREIGN/remove"
}

test_malformed() {
	local before bad=/tmp/bad.conf
	before=$(snapshot)
	printf 'device %s numvfs 5\nmdev 7d2f8e61-3c4b-4a9d-8e1f-6b5a4c3d2e10 parent %s type %s\n\nbogus line\n' \
		"$VGPU_DEV" "$VGPU_DEV" "$T4" >$bad
	expect_fail 2 "^Error: $bad:4: unknown keyword 'bogus' \(expected device, vf or mdev\)$" \
		"a malformed line: file and line named, exit 2" vgpu-nl apply $bad
	printf 'device %s numvfs 5\nvf %s/5 driver vfio-pci\n' "$VGPU_DEV" "$VGPU_DEV" >$bad
	expect_fail 2 "^Error: $bad:2: VF $VGPU_DEV/5: index beyond numvfs 5 of $VGPU_DEV \(line 1\)$" \
		"a VF beyond the count: file and line named" vgpu-nl apply $bad
	printf 'device %s numvfs 5\nmdev 7d2f8e61-3c4b-4a9d-8e1f-6b5a4c3d2e10 parent %s type nosuch\n' \
		"$VGPU_DEV" "$VGPU_DEV" >$bad
	expect_fail 1 "^Error: $bad:2: .*nosuch" \
		"an unknown mdev type: refused before anything is done" vgpu-nl apply $bad
	printf 'device %s numvfs 8\n' "$VGPU_DEV" >$bad
	expect_fail 1 "^Error: $bad:1: numvfs 8 but $VGPU_DEV has at most 7 \(totalvfs\)$" \
		"more VFs than totalvfs: refused with the limit" vgpu-nl apply $bad
	# Read as far as the NUL, the line would say numvfs 1, not 12.
	printf 'device %s numvfs 1\0002\n' "$VGPU_DEV" >$bad
	expect_fail 2 "^Error: $bad:1: a NUL byte in the line \(not a text file\?\)$" \
		"a NUL byte: refused, not read as a shorter line" vgpu-nl apply $bad
	same "malformed configs changed nothing" "$(snapshot)" "$before"
}

test_in_use() {
	local before group
	before=$(snapshot)
	group=$(basename "$(readlink "$PCI/${VF1#pci/}/iommu_group")")
	exec 7<>"/dev/vfio/$group"
	printf 'device %s numvfs 2\n' "$VGPU_DEV" >/tmp/two.conf
	expect_fail 1 "^Error: /tmp/two.conf:1: VFs in use: $VF1 \(pid $$ .*\); add 'force'" \
		"apply will not drop VFs in use" vgpu-nl apply /tmp/two.conf
	expect_fail 1 "^Error: in use: $VF1 \(pid $$ .*\); nothing was changed" \
		"reset will not drop VFs in use" vgpu-nl reset "$VGPU_DEV"
	exec 7>&-
	same "refusals changed nothing" "$(snapshot)" "$before"
}

# The udev rule, as udev would run it, then the command its unit runs.
test_rebind() {
	local before unit inst cmd sbindir
	before=$(snapshot)
	mkdir -p /etc/udev/rules.d
	cp "$DIST/60-vgpu-nl.rules" /etc/udev/rules.d/
	echo "$VGPU_PF" >/sys/bus/pci/drivers/vgpu_sim/unbind
	same "unbind: the VFs are gone" "$(cat $PCI/$VGPU_PF/sriov_numvfs)" 0
	same "unbind: the mdevs are gone" "$(ls $MDEVS | wc -l)" 0
	echo "$VGPU_PF" >/sys/bus/pci/drivers/vgpu_sim/bind

	tap_run udevadm test --action=bind "/sys/bus/pci/devices/$VGPU_PF"
	has_line "udevadm test: the rule wants vgpu-nl-apply@$VGPU_PF.service" \
		"SYSTEMD_WANTS=vgpu-nl-apply@$VGPU_PF.service" "$TAP_OUT"
	unit=$(grep -xo 'SYSTEMD_WANTS=.*' <<<"$TAP_OUT" | cut -d= -f2)
	# What systemd would run for $unit: ExecStart of the template, with
	# %I the instance and the install-time @SBINDIR@.
	sbindir=$(dirname "$(command -v vgpu-nl)")
	cmd=$(sed -n 's/^ExecStart=//p' "$DIST/vgpu-nl-apply@.service")
	cmd=${cmd//@SBINDIR@/$sbindir}
	inst=${unit#vgpu-nl-apply@}
	cmd=${cmd//%I/${inst%.service}}
	check "the unit's command: $cmd" $cmd
	has_line "... remakes the VFs" "numvfs $VGPU_DEV 0 -> 3" "$TAP_OUT"
	same "after the rebind: the same VFs, drivers and mdevs" "$(snapshot)" "$before"

	# Now that the VFs exist again: the rule is not for them, nor for
	# other actions on the PF.
	tap_run udevadm test --action=bind "/sys/bus/pci/devices/${VF1#pci/}"
	not_wanted "udevadm test: not for a VF (vgpu_nl does not manage it)"
	tap_run udevadm test --action=add "/sys/bus/pci/devices/$VGPU_PF"
	not_wanted "udevadm test: not for an add event"
	rm -f /etc/udev/rules.d/60-vgpu-nl.rules
}

# SIGTERM to an apply at moments that land before, in and after its
# changes: it leaves the system as before or as the file says - never
# half of it (a stop signal is held back and undoes what was changed),
# and one it interrupted says so and exits 128+15.
test_interrupted() {
	local before full whole k delay t0 pid rc got seen="" half=0 bad_rc=0
	vgpu-nl apply "$CONF" >/dev/null
	full=$(snapshot)
	vgpu-nl reset "$VGPU_DEV" >/dev/null
	before=$(snapshot)
	# The signal at 1/10, 2/10 ... 12/10 of an apply's whole time (in
	# microseconds, measured here), by a busy wait: an exec of sleep(1)
	# alone takes tens of ms under TCG.
	t0=${EPOCHREALTIME/./}
	vgpu-nl apply "$CONF" >/dev/null
	whole=$((${EPOCHREALTIME/./} - t0))
	vgpu-nl reset "$VGPU_DEV" >/dev/null
	for ((k = 1; k <= 12; k++)); do
		delay=$((whole * k / 10))
		t0=${EPOCHREALTIME/./}
		vgpu-nl apply "$CONF" >/tmp/int.out 2>/tmp/int.err &
		pid=$!
		while ((${EPOCHREALTIME/./} - t0 < delay)); do :; done
		kill -TERM $pid 2>/dev/null || true
		rc=0
		wait $pid || rc=$?
		got=$(snapshot)
		if grep -q '^Error: interrupted (SIGTERM)' /tmp/int.err; then
			seen+=" $((delay / 1000))ms:rolled-back"
			[ "$rc" = 143 ] || bad_rc=1
		fi
		if [ "$got" = "$before" ]; then
			seen+=" $((delay / 1000))ms:before(rc $rc)"
		elif [ "$got" = "$full" ]; then
			seen+=" $((delay / 1000))ms:applied(rc $rc)"
		else
			seen+=" $((delay / 1000))ms:HALF(rc $rc)"
			half=1
			diag "$(cat /tmp/int.out /tmp/int.err)"
		fi
		vgpu-nl reset "$VGPU_DEV" >/dev/null
	done
	diag "apply takes $((whole / 1000)) ms; SIGTERM after:$seen"
	same "SIGTERM to apply never leaves half of the file applied" "$half" 0
	same "... an apply it interrupted exits 143" "$bad_rc" 0
	vgpu-nl apply "$CONF" >/dev/null
	same "... and the file applies after" "$(snapshot)" "$full"
}

test_cleanup() {
	check "reset at the end" vgpu-nl reset "$VGPU_DEV"
	same "no VFs left" "$(cat $PCI/$VGPU_PF/sriov_numvfs)" 0
	same "no mdevs left" "$(ls $MDEVS | wc -l)" 0
	rm -f "$CONF"
}

setup
test_save_reset_apply
test_owned_after_reload
test_malformed
test_in_use
test_rebind
test_interrupted
test_cleanup
tap_done
