#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SR-IOV: VF provisioning, VF driver binding and the event stream.
#
# Topology (tests/vm/run): the emulated nvme SR-IOV PF $VGPU_DEV (7 VFs
# possible) bound to vgpu_sim, whose /sys/module/vgpu_sim/parameters
# inject failures (fail_configure), short enables (short_vfs) and delays
# (delay_ms); VFs appear as real PCI functions with IOMMU groups.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

SIM=/sys/module/vgpu_sim/parameters
PFS=$PCI/$VGPU_PF
VSYS=$VGPU_SYSFS/$VGPU_PF
modprobe vfio-pci

numvfs() { cat "$PFS/sriov_numvfs"; }
vf_name() { basename "$(readlink "$PFS/virtfn$1")"; }
vf_group() { basename "$(readlink "$PCI/$1/iommu_group")"; }

# unchanged DESC N: the PF still has N VFs, by every account.
unchanged() {
	same "$1: sriov_numvfs still $2" "$(numvfs)" "$2"
}

test_set_numvfs() {
	check "dev set numvfs 3" vgpu-nl dev set "$VGPU_DEV" numvfs 3
	same "sriov_numvfs is 3" "$(numvfs)" 3
	same "3 virtfn links" "$(ls -d $PFS/virtfn* | wc -l)" 3
	jq_check "vf show -j lists 3 VFs with PF, index and IOMMU group" \
		"[.vfs[] | select(.pf == \"$VGPU_DEV\")] | length == 3 and
		 (map(.index) | sort == [0,1,2]) and all(.iommu_group >= 0) and
		 all(.in_use == false)" \
		vgpu-nl -j vf show "$VGPU_DEV"
	jq_check "vf show VF: the VF's handle and index" \
		".vfs | length == 1 and .[0].handle == \"pci/$(vf_name 1)\" and .[0].index == 1" \
		vgpu-nl -j vf show "pci/$(vf_name 1)"
	jq_check "dev show reports numvfs 3" ".devices[0].sriov.numvfs == 3" \
		vgpu-nl -j dev show "$VGPU_DEV"
	check "vgpu_nl sysfs numvfs is 3" grep -qx 3 "$VSYS/numvfs"
	check "dev set numvfs 5 from 3 (through 0)" vgpu-nl dev set "$VGPU_DEV" numvfs 5
	same "sriov_numvfs is 5" "$(numvfs)" 5
	check "dev set numvfs 5 again is a no-op" vgpu-nl dev set "$VGPU_DEV" numvfs 5
	check "dev set numvfs 0" vgpu-nl dev set "$VGPU_DEV" numvfs 0
	same "sriov_numvfs is 0" "$(numvfs)" 0
	check "no virtfn links left" sh -c "! ls -d $PFS/virtfn* 2>/dev/null"
	check "echo 2 > vgpu_nl sysfs numvfs" bash -c "echo 2 > $VSYS/numvfs"
	same "sriov_numvfs is 2 after the sysfs write" "$(numvfs)" 2
	jq_check "vf show agrees with the sysfs write" ".vfs | length == 2" \
		vgpu-nl -j vf show "$VGPU_DEV"
	check "dev set numvfs 4 autoprobe off in one request" \
		vgpu-nl dev set "$VGPU_DEV" numvfs 4 autoprobe off
	check "autoprobe applied" grep -qx 0 "$PFS/sriov_drivers_autoprobe"
	same "and 4 VFs" "$(numvfs)" 4
	vgpu-nl dev set "$VGPU_DEV" numvfs 2 autoprobe on
}

test_refusals() {
	expect_fail 1 'Error: 8 VFs asked but pci/.* has at most 7' \
		"numvfs 8 on a 7-VF device names the limit" vgpu-nl dev set "$VGPU_DEV" numvfs 8
	unchanged "numvfs 8" 2
	expect_fail 2 'numvfs' "numvfs -1 is a usage error" vgpu-nl dev set "$VGPU_DEV" numvfs -1
	expect_fail 2 'numvfs' "numvfs abc is a usage error" vgpu-nl dev set "$VGPU_DEV" numvfs abc
	expect_fail 1 'Invalid argument' "sysfs numvfs garbage is refused" \
		bash -c "echo abc > $VSYS/numvfs"
	expect_fail 1 'Numerical result out of range' "sysfs numvfs 9 is refused" \
		bash -c "echo 9 > $VSYS/numvfs"
	check "the refused sysfs write logged its reason" \
		sh -c "dmesg | grep -q '9 VFs asked but pci/$VGPU_PF has at most 7'"
	unchanged "sysfs refusals" 2

	expect_fail 1 'Operation not permitted' "numvfs by an unprivileged user: EPERM" \
		unpriv vgpu-nl dev set "$VGPU_DEV" numvfs 3
	check "unprivileged user can list VFs" unpriv vgpu-nl vf show
	unchanged "unprivileged request" 2

	# No driver: unbinding the PF's driver disables its VFs first.
	echo "$VGPU_PF" >/sys/bus/pci/drivers/vgpu_sim/unbind
	expect_fail 1 "Error: no driver bound to pci/$VGPU_PF: bind its GPU driver first" \
		"numvfs on a PF without driver says so" vgpu-nl dev set "$VGPU_DEV" numvfs 2
	unchanged "no driver" 0
	echo "$VGPU_PF" >/sys/bus/pci/drivers/vgpu_sim/bind
	vgpu-nl dev set "$VGPU_DEV" numvfs 2

	echo 5 >$SIM/fail_configure
	expect_fail 1 'Error: driver vgpu_sim failed to enable 3 VFs \(-5\); 2 VFs restored' \
		"injected driver failure: named, old count restored" \
		vgpu-nl dev set "$VGPU_DEV" numvfs 3
	same "fault injection is one-shot" "$(cat $SIM/fail_configure)" 0
	unchanged "driver failure" 2
	check "VFs usable after the restore" test -e "$PFS/virtfn1"

	echo 1 >$SIM/short_vfs
	expect_fail 1 'Error: driver vgpu_sim enabled only 3 of 4 VFs; 2 VFs restored' \
		"partial enable: named, old count restored" vgpu-nl dev set "$VGPU_DEV" numvfs 4
	unchanged "partial enable" 2

	echo 300 >$SIM/delay_ms
	check "a slow driver: numvfs 3 still completes" vgpu-nl dev set "$VGPU_DEV" numvfs 3
	echo 0 >$SIM/delay_ms
	same "slow driver: 3 VFs" "$(numvfs)" 3
	vgpu-nl dev set "$VGPU_DEV" numvfs 2
}

test_vf_driver() {
	local vf group
	vf=$(vf_name 0)
	group=$(vf_group "$vf")
	check "vf set VF driver vfio-pci" vgpu-nl vf set "pci/$vf" driver vfio-pci
	same "VF bound to vfio-pci" "$(basename "$(readlink $PCI/$vf/driver)")" vfio-pci
	check "/dev/vfio/$group exists" test -c "/dev/vfio/$group"
	jq_check "vf show: driver vfio-pci, override and IOMMU group" \
		".vfs[0] | .driver == \"vfio-pci\" and .driver_override == \"vfio-pci\" and .iommu_group == $group" \
		vgpu-nl -j vf show "pci/$vf"
	check "vf set VF driver default" vgpu-nl vf set "pci/$vf" driver default
	check "VF no longer on vfio-pci" sh -c "! readlink $PCI/$vf/driver | grep -q vfio-pci"
	jq_check "vf show: no override after default" '.vfs[0] | has("driver_override") | not' \
		vgpu-nl -j vf show "pci/$vf"
	expect_fail 1 "Error: $VGPU_DEV is a PF: a VM given the PF takes every VF; use a VF" \
		"vf set on the PF is refused with the reason" vgpu-nl vf set "$VGPU_DEV" driver vfio-pci
	check "PF still on vgpu_sim" test "$(basename "$(readlink $PFS/driver)")" = vgpu_sim
	expect_out "errno=-?22 msg=$VGPU_DEV is a PF, not a VF \\(its VFs: vf show $VGPU_DEV\\)" \
		"VF_GET of the PF says it is a PF, in its own words" \
		genl-probe vf-get-handle "$VGPU_DEV"
	expect_fail 2 "Error: invalid driver 'vfio/pci'" "vf set driver vfio/pci is a usage error" \
		vgpu-nl vf set "pci/$vf" driver vfio/pci
	expect_fail 1 "Error: nouveau is not a VFIO PCI driver: no PCI driver of that name is loaded, and module nouveau has no vfio_pci: alias" \
		"vf set driver nouveau is refused with the reason, nothing loaded" \
		vgpu-nl vf set "pci/$vf" driver nouveau
	check "... and no nouveau module was loaded for it" test ! -e /sys/module/nouveau
	expect_fail 1 'Error: "vgpu_sim" is not a VFIO PCI driver \(no vfio_pci entry\)' \
		"vf set driver vgpu_sim (a loaded PCI driver, no VFIO one): the kernel's reason" \
		vgpu-nl vf set "pci/$vf" driver vgpu_sim
	expect_fail 1 'Operation not permitted' "vf set by an unprivileged user: EPERM" \
		unpriv vgpu-nl vf set "pci/$vf" driver vfio-pci
	check "refused vf set changed nothing" sh -c "! readlink $PCI/$vf/driver | grep -q vfio-pci"
	expect_fail 1 'no such PCI device' "vf show of a missing VF names it" \
		vgpu-nl vf show pci/0000:99:00.1
}

test_in_use() {
	local vf group pid out
	vf=$(vf_name 1)
	group=$(vf_group "$vf")
	vgpu-nl vf set "pci/$vf" driver vfio-pci
	# A process holding the group node, as a VM does: userspace sees it.
	"$VGPU_CHECKOUT/tests/lib/vfio-hold.py" "$group" >/tmp/hold.out &
	pid=$!
	wait_for 5 grep -q ready /tmp/hold.out || true
	jq_check "vf show: the held VF is in use, with its holder" \
		".vfs[0].in_use == true and (.vfs[0].holders | any(.pid == $pid))" \
		vgpu-nl -j vf show "pci/$vf"
	expect_fail 1 "Error: VFs in use: pci/$vf \\(pid $pid" \
		"numvfs change with a VF held open is refused and names it" \
		vgpu-nl dev set "$VGPU_DEV" numvfs 3
	unchanged "VF in use" 2
	check "with force it proceeds" vgpu-nl dev set "$VGPU_DEV" numvfs 3 force
	same "force: 3 VFs" "$(numvfs)" 3
	kill $pid; wait $pid 2>/dev/null || true

	# A VFIO container claims the group's DMA ownership: the kernel sees
	# that itself and refuses for every caller, sysfs included.
	vf=$(vf_name 2)
	group=$(vf_group "$vf")
	vgpu-nl vf set "pci/$vf" driver vfio-pci
	"$VGPU_CHECKOUT/tests/lib/vfio-hold.py" "$group" container >/tmp/hold.out 2>&1 &
	pid=$!
	if wait_for 5 grep -q ready /tmp/hold.out; then
		jq_check "vf show: kernel reports the VF assigned (DMA owner claimed)" \
			".vfs[0].assigned == true" vgpu-nl -j vf show "pci/$vf"
		expect_fail 1 'Device or resource busy' "sysfs numvfs write refused while a VF is DMA-owned" \
			bash -c "echo 1 > $VSYS/numvfs"
		check "the kernel log names the busy VF" \
			sh -c "dmesg | grep -q 'VF(s) in use: pci/$vf; add force to proceed'"
		unchanged "DMA-owned VF" 3
	else
		not_ok "vfio-hold with a container did not start"
		diag "$(cat /tmp/hold.out)"
	fi
	kill $pid; wait $pid 2>/dev/null || true
	check "released VF: numvfs 2 goes through" vgpu-nl dev set "$VGPU_DEV" numvfs 2
}

# A VM killed while a forced change waits for it to let go of its VF. The
# change keeps every VFIO container file open until the VFs are gone, so
# the VM's container is released after its VF's group was detached from
# it, by the change (the vgpu-nl process) and not by the exiting VM, whose
# release could meet the detach on 6.1 (kmod/vgpu_holders.c). The function
# tracer names the task that released it.
test_force_exit() {
	local vf group pid tool rc T=/sys/kernel/tracing
	vf=$(vf_name 0)
	group=$(vf_group "$vf")
	vgpu-nl vf set "pci/$vf" driver vfio-pci
	"$VGPU_CHECKOUT/tests/lib/vfio-hold.py" "$group" device "$vf" >/tmp/hold.out 2>&1 &
	pid=$!
	if ! wait_for 10 grep -q ready /tmp/hold.out; then
		not_ok "vfio-hold with the VF's device did not start"
		diag "$(cat /tmp/hold.out)"
		kill $pid; wait $pid 2>/dev/null || true
		return
	fi
	mountpoint -q $T || mount -t tracefs nodev $T
	echo 0 >$T/tracing_on
	echo vfio_fops_release >$T/set_ftrace_filter
	echo function >$T/current_tracer
	echo >$T/trace
	echo 1 >$T/tracing_on
	vgpu-nl dev set "$VGPU_DEV" numvfs 1 force >/tmp/force.out 2>&1 &
	tool=$!
	check "a forced change waits while a VM holds its VF's device" \
		wait_for 10 sh -c "dmesg | grep -q '$vf: No device request channel registered'"
	check "the forced change is still waiting" kill -0 $tool
	kill -9 $pid; wait $pid 2>/dev/null || true
	check "it goes on once the VM is killed" \
		wait_for 20 sh -c "! kill -0 $tool 2>/dev/null"
	wait $tool && rc=0 || rc=$?
	same "the forced change exits 0" "$rc" 0
	diag "$(cat /tmp/force.out)"
	same "forced change: 1 VF" "$(numvfs)" 1
	echo 0 >$T/tracing_on
	diag "$(grep vfio_fops_release $T/trace)"
	check "the VM's container was released by the change, after its VF was gone" \
		sh -c "grep vfio_fops_release $T/trace | grep -q ' vgpu-nl-'"
	check "... and not by the exiting VM" \
		sh -c "! grep vfio_fops_release $T/trace | grep -qv ' vgpu-nl-'"
	echo nop >$T/current_tracer
	echo >$T/set_ftrace_filter
	echo 1 >$T/tracing_on
}

test_events() {
	local log=/tmp/sriov-events.json vf
	vgpu-nl dev set "$VGPU_DEV" numvfs 0
	monitor_start $log
	# numvfs is announced once each change is over; changes closer together
	# than that are merged into one event with the final count.
	vgpu-nl dev set "$VGPU_DEV" numvfs 3
	wait_for 5 grep -q '"numvfs":3' $log || true
	echo 0 >"$PFS/sriov_numvfs"
	wait_for 5 grep -q '"numvfs":0' $log || true
	echo 2 >"$PFS/sriov_numvfs"
	vf=$(vf_name 0)
	vgpu-nl vf set "pci/$vf" driver vfio-pci
	echo "$vf" >/sys/bus/pci/drivers/vfio-pci/unbind
	echo vfio-pci >"$PCI/$vf/driver_override"
	echo "$vf" >/sys/bus/pci/drivers_probe
	wait_for 5 sh -c "jq -e -s '[.[] | select(.event == \"numvfs\")] | length >= 3' $log >/dev/null" || true
	monitor_stop
	diag "$(cat $log)"
	check "monitor: vf-add x3 from vgpu-nl numvfs 3" \
		jq -e -s "[.[] | select(.event == \"vf-add\")] | length >= 5" $log
	check "monitor: numvfs 3, 0 and 2 in order (vgpu-nl and plain sysfs writes)" \
		jq -e -s "[.[] | select(.event == \"numvfs\" and .handle == \"$VGPU_DEV\") | .numvfs] == [3, 0, 2]" $log
	check "monitor: vf-del from a plain sriov_numvfs write" \
		jq -e -s "[.[] | select(.event == \"vf-del\")] | length == 3" $log
	check "monitor: vf-add names PF and index" \
		jq -e -s "any(.event == \"vf-add\" and .pf == \"$VGPU_DEV\" and .index == 1)" $log
	check "monitor: bind of a VF to vfio-pci through vgpu-nl" \
		jq -e -s "any(.event == \"bind\" and .handle == \"pci/$vf\" and .driver == \"vfio-pci\")" $log
	check "monitor: unbind by another tool (plain sysfs)" \
		jq -e -s "any(.event == \"unbind\" and .handle == \"pci/$vf\" and .driver == \"vfio-pci\")" $log
	check "monitor: bind by another tool (driver_override + drivers_probe)" \
		jq -e -s "[.[] | select(.event == \"bind\" and .handle == \"pci/$vf\")] | length == 2" $log
	vgpu-nl dev set "$VGPU_DEV" numvfs 0 force
}

test_set_numvfs
test_refusals
test_vf_driver
test_in_use
test_force_exit
test_events
tap_done
