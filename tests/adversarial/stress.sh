#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: for STRESS_SECONDS (default 60), all at once:
#
#   12 CLI clients     random valid vgpu-nl commands: shows, dev set
#                      numvfs/autoprobe, vf set driver/quota, mdev add/del,
#                      the vgpu_nl sysfs knob numvfs
#   4 raw clients      genl-fuzz --mode valid (one as uid 65534): reads,
#                      dumps, autoprobe, VF drivers, quotas, mdevs
#   monitor            vgpu-nl -j monitor, restarted after each reload
#   sysfs writer       echo N / echo 0 >sriov_numvfs of the PF
#   remover            PCI remove of the PF, rescan, vgpu_sim bound again
#   unbinder           vgpu_sim unbound from the PF and bound again
#   reloader           rmmod vgpu_nl, insmod vgpu_nl
#
# with the root port's hotplug on (QEMU's default, as on real hardware).
# Fails on a hang (an operation of HANG_SECS, 60 s, or more; the guest's
# hung-task detector panics it after 120 s as well), a kernel warning (the
# VM harness), a raw client's finding, a monitor still running
# MONITOR_SECS (30) after vgpu_nl is gone,
# and at the end on dev show / vf show / mdev show disagreeing with sysfs
# or the monitor's last events with the final state.
#
# Why removals of the PF never overlap a VF count change: in Debian's
# 6.1.192, 6.12.117 and 7.x the kernel's own sriov_numvfs_store() takes the
# PF's device_lock() and then pci_lock_rescan_remove(), and removing the
# PF takes them in the other order - a kernel deadlock that needs no
# vgpu_nl (tests/adversarial/kernel-numvfs-remove.sh, README "Known kernel
# bugs"). vgpu_nl must nest the locks as sriov_numvfs_store() does (issue
# 11), so it inherits that. Every ->sriov_configure() caller here (sysfs
# writes, dev set numvfs, the vgpu_nl knob) holds $LOCK shared and the
# remover holds it exclusive; everything else runs across removals. What
# is tested is vgpu_nl under load and hotplug, not that kernel bug.
#
# The unbinder holds $LOCK shared too: the driver's ->remove() disables
# SR-IOV without pci_lock_rescan_remove(), so the remover's rescan can add
# a VF again between the VFs' removal and VF Enable's clearing, and the
# next enable adds it twice ("proc_dir_entry '01/00.1' already
# registered", 6.1 in CI; tests/adversarial/kernel-unbind-rescan.sh, README
# "Known kernel bugs"). The hotplug handler's own rescans are not kept out.
#
# Topology (tests/vm/run): the emulated nvme SR-IOV PF $VGPU_DEV (7 VFs)
# bound to vgpu_sim, an mdev parent with four GVT-g types, behind the
# hotplug-capable pcie-root-port rp1; vgpu_nl with extra_ids=1b36:0010.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"
. "$VGPU_CHECKOUT/tests/lib/race.sh"

SECS=${STRESS_SECONDS:-60}
MONITOR_SECS=30
D=/tmp/stress
LOCK=$D/pf-remove.lock
MDEVS=/sys/bus/mdev/devices
rm -rf $D
mkdir -p $D
: >$LOCK
modprobe vfio-pci
modprobe vfio_iommu_type1 2>/dev/null || true
export PCI VGPU_PF VGPU_DEV
export -f rescan_pf bind_sim

# Random picks without forks (see timed in tests/lib/race.sh); "" if none.
# They return 0 whatever they find: under set -e a failed x=$(random_vf)
# ends the client (a VF gone between the glob and the readlink did).
pick() { local a=("$@"); echo "${a[RANDOM % $#]}"; }
random_of() {
	local a=("$@")
	[[ -e ${a[0]} ]] && echo "${a[RANDOM % $#]##*/}"
}
random_vf() {
	local l
	l=$(random_of "$PCI/$VGPU_PF"/virtfn*) || return 0
	l=$(readlink "$PCI/$VGPU_PF/$l" 2>/dev/null) || return 0
	echo "${l##*/}"
}
random_type() { random_of "$PCI/$VGPU_PF"/mdev_supported_types/* || true; }
random_mdev() { random_of $MDEVS/* || true; }

# Past the window, a client none of whose operations has succeeded goes
# on, for up to HANG_SECS, and says so ($D/late.N). On the debug kernel a
# client does three or four operations in 180 s, and an unload of
# vgpu_nl under this load took 190 s there, during which every request
# fails with no family: a client can draw only those. What is checked is
# that each one gets work done, not that it is lucky within the window.
# (ok_ops forks, but only once the window is over.)
cli_client() {
	local log=$D/cli.$1 end=$((SECONDS + SECS)) x
	: >"$log"
	while ((SECONDS < end)) ||
		{ ((SECONDS < end + HANG_SECS)) && [[ $(ok_ops "$log") -eq 0 ]] && : >$D/late.$1; }; do
		case $((RANDOM % 14)) in
		0) timed "$log" dev-show vgpu-nl dev show ;;
		1) timed "$log" vf-show vgpu-nl -j vf show ;;
		2) timed "$log" type-show vgpu-nl type show ;;
		3) timed "$log" mdev-show vgpu-nl -j mdev show ;;
		4) timed "$log" resource-show vgpu-nl resource show ;;
		5) timed "$log" numvfs flock -s $LOCK \
			vgpu-nl dev set "$VGPU_DEV" numvfs $((RANDOM % 4)) ;;
		6) timed "$log" autoprobe vgpu-nl dev set "$VGPU_DEV" autoprobe "$(pick on off)" ;;
		7|8) x=$(random_vf)
		   [[ -z $x ]] || timed "$log" vf-driver vgpu-nl vf set "$x" driver "$(pick vfio-pci default)" ;;
		9) x=$(random_vf)
		   [[ -z $x ]] || timed "$log" vf-quota vgpu-nl vf set "$x" quota exec-quantum $((RANDOM % 50)) ;;
		10) x=$(random_type)
		    [[ -z $x ]] || timed "$log" mdev-add vgpu-nl mdev add "$VGPU_DEV" type "$x" ;;
		11) x=$(random_mdev)
		    [[ -z $x ]] || timed "$log" mdev-del vgpu-nl mdev del "$x" $(pick force "") ;;
		12) timed "$log" knob flock -s $LOCK \
			sh -c "echo $((RANDOM % 3)) >$VGPU_SYSFS/$VGPU_PF/numvfs" ;;
		13) timed "$log" version vgpu-nl version ;;
		esac
	done
	: >$D/end.$1
}

sysfs_writer() {
	timed $D/sysfs echo-n flock -s $LOCK \
		sh -c "echo $((1 + RANDOM % 3)) >$PCI/$VGPU_PF/sriov_numvfs"
	timed $D/sysfs echo-0 flock -s $LOCK sh -c "echo 0 >$PCI/$VGPU_PF/sriov_numvfs"
	sleep 0.3
}

remover() {
	sleep 4
	timed $D/remove remove-rescan flock -x $LOCK \
		bash -c "echo 1 >$PCI/$VGPU_PF/remove; rescan_pf"
}

unbinder() {
	sleep 5
	timed $D/unbind unbind flock -s $LOCK \
		sh -c "echo $VGPU_PF >/sys/bus/pci/drivers/vgpu_sim/unbind"
	sleep 1
	timed $D/unbind bind bash -c bind_sim
}

# The monitor in the background, its output in $D/mon.N; MON_N counts.
MON_N=0
start_monitor() {
	MON_N=$((MON_N + 1))
	vgpu-nl -j monitor >$D/mon.$MON_N 2>$D/mon.$MON_N.err &
	echo $! >$D/mon.pid
}

# The monitor's netlink socket: "Rmem Drops" from /proc/net/netlink.
monitor_queue() {
	local ino
	ino=$(readlink /proc/"$1"/fd/* 2>/dev/null | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p' | head -n1)
	[[ -n $ino ]] && awk -v i="$ino" '$NF == i { print "queued " $5 " bytes, " $9 " dropped" }' /proc/net/netlink
}

# After an unload the monitor must say so and exit 1 by itself. Under
# this load it may first have a queue of events from before the unload
# to print, on a CPU shared with everything else: it has MONITOR_SECS.
monitor_gone() {
	local pid i rc late=
	pid=$(cat $D/mon.pid)
	for ((i = 0; i < MONITOR_SECS * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		((i != 10)) || late="still running 1 s after the unload: $(monitor_queue "$pid"), in $(cat /proc/"$pid"/wchan 2>/dev/null)"
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "mon.$MON_N kept running: ${late:+$late; }after $MONITOR_SECS s $(monitor_queue "$pid"), in $(cat /proc/"$pid"/wchan 2>/dev/null)" >>$D/monitor-exits
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		return
	fi
	rc=0
	wait "$pid" 2>/dev/null || rc=$?
	echo "mon.$MON_N exited $rc after $((i / 10)).$((i % 10)) s: $(tr '\n' ' ' <$D/mon.$MON_N.err)${late:+ - $late}" >>$D/monitor-exits
}

# rmmod gives up while a request holds the module (a dump in flight
# does): unload.py tries again every 10 ms. Under this load its own start
# (python) took 20-50 s, even when started just before the load, and once
# left it 20 s of tries, all in use (CI, 6.1: refcnt 3); otherwise its
# tries found the module unused within 0.3-3.3 s. So the load waits for
# the first unload.py to be ready, the reloader lets it begin 3 s into
# the load, and it tries for a sixth of the window under the full load
# and then, if the module is still in use, for a third more with no VF
# count change starting ($LOCK, held as the remover holds it; everything
# else goes on). test_load counts an unload only if it began within the
# window (unload.py prints when).
UNLOAD_PY=$VGPU_CHECKOUT/tests/lib/unload.py
UNLOAD_PID=

# unload_start START: unload.py in the background ($UNLOAD_PID), its tries
# from START (seconds since the epoch; 0: now) or its SIGUSR1 on.
unload_start() {
	"$UNLOAD_PY" vgpu_nl $((SECS / 6)) "$1" $LOCK $((SECS / 3)) \
		>>$D/unloads 2>>$D/reload-why &
	UNLOAD_PID=$!
}

reloader() {
	sleep 3
	# The first was started, and is ready, before the load (run_load).
	if [[ -n $UNLOAD_PID ]]; then
		kill -USR1 "$UNLOAD_PID" 2>/dev/null || true
	else
		unload_start 0
	fi
	timed $D/reload rmmod sh -c \
		"tail --pid=$UNLOAD_PID -f /dev/null; ! test -d /sys/module/vgpu_nl"
	UNLOAD_PID=
	if ! lsmod | grep -q '^vgpu_nl '; then
		monitor_gone
		sleep 0.5
	fi
	lsmod | grep -q '^vgpu_nl ' || timed $D/reload insmod insmod "$VGPU_KO" extra_ids=1b36:0010
	if lsmod | grep -q '^vgpu_nl ' && ! kill -0 "$(cat $D/mon.pid)" 2>/dev/null; then
		start_monitor
	fi
}

# When the clients' window ends ($EPOCHREALTIME), for "under load".
LOAD_END=
run_load() {
	local i pids=()
	# Until the reloader's signal (or an hour): see above.
	unload_start $((EPOCHSECONDS + 3600))
	for ((i = 0; i < 1200; i++)); do
		! grep -qx ready $D/unloads 2>/dev/null || break
		sleep 0.1
	done
	grep -qx ready $D/unloads || echo "unload.py not ready after 120 s" >>$D/reload-why
	LOAD_END=$((${EPOCHREALTIME%.*} + SECS))
	start_monitor
	for ((i = 0; i < 12; i++)); do
		cli_client $i &
		pids+=($!)
	done
	genl-fuzz --mode valid --jobs 4 --unpriv 1 --seconds "$SECS" --reconnect \
		--numvfs-every 0 >$D/raw 2>&1 &
	pids+=($!)
	: >$D/sysfs
	: >$D/remove
	: >$D/unbind
	: >$D/reload
	loop_for "$SECS" sysfs_writer &
	pids+=($!)
	loop_for "$SECS" remover &
	pids+=($!)
	loop_for "$SECS" unbinder &
	pids+=($!)
	# In this shell: it restarts the monitor.
	loop_for "$SECS" reloader
	wait "${pids[@]}" || true
}

# Back to a usable state: PF present and bound, vgpu_nl loaded, a monitor.
settle() {
	rescan_pf || true
	lsmod | grep -q '^vgpu_nl ' || insmod "$VGPU_KO" extra_ids=1b36:0010
	kill -0 "$(cat $D/mon.pid)" 2>/dev/null || start_monitor
	sleep 2
}

# ok_ops LOG...: how many operations succeeded.
ok_ops() {
	cat "$@" | awk '$2 == 0' | wc -l
}

test_load() {
	local all=($D/cli.* $D/sysfs $D/remove $D/unbind $D/reload) f over=0 n
	for f in "${all[@]}"; do
		[[ $f == "$D/reload" ]] && continue
		over=$((over + $(ops_over "$f")))
	done
	# An unload is tried again for up to half the window while requests
	# hold the module (unload.py), then the module's exit waits for the
	# requests in flight: a hang is HANG_SECS beyond those tries.
	over=$((over + $(ops_over "$D/reload" $((HANG_SECS + SECS / 2)))))
	diag "operations: $(cat "${all[@]}" | wc -l), succeeded: $(ok_ops "${all[@]}")"
	for f in sysfs remove unbind reload; do
		diag "$f: $(wc -l <$D/$f) operations, $(ok_ops $D/$f) succeeded, slowest: $(slowest $D/$f)"
	done
	[[ ! -s $D/reload-why ]] || diag "$(sort $D/reload-why | uniq -c)"
	diag "reload: $(paste -sd ' ' $D/reload | sed 's/ \([a-z]\)/; \1/g')"
	diag "CLI: $(cat $D/cli.* | wc -l) operations, $(ok_ops $D/cli.*) succeeded, slowest: $(cat $D/cli.* | sort -k3 -n -r | head -n1)"
	same "operations that took $HANG_SECS s or more (hangs)" "$over" 0
	n=0
	for f in $D/cli.*; do
		[[ $(ok_ops "$f") -gt 0 ]] && n=$((n + 1))
	done
	# A client that ended early (set -e) has less load behind its count.
	for f in $D/cli.*; do
		[[ -e $D/end.${f##*.} ]] ||
			diag "client ${f##*.} ended early: after $(wc -l <"$f") operations, the last: $(tail -n1 "$f")"
	done
	same "CLI clients that ran to the end of the window" "$(ls $D/end.* 2>/dev/null | wc -l)" 12
	diag "CLI clients that went on past the window for their first success: $(ls $D/late.* 2>/dev/null | wc -l)"
	same "CLI clients that got some work done" "$n" 12
	n=$(awk '$1 == "remove-rescan" && $2 == 0' $D/remove | wc -l)
	check "the PF was removed and rescanned under load ($n times)" test "$n" -gt 0
	# Under load: the attempt that found the module unused (and ran its
	# exit) began while the clients' window was open.
	diag "$(sed -n "s/^unloaded:.*/& (the window ended at $LOAD_END)/p" $D/unloads)"
	n=$(awk -v end="$LOAD_END" '$1 == "unloaded:" && $3 + 0 < end' $D/unloads 2>/dev/null | wc -l)
	check "vgpu_nl was unloaded under load ($n times)" test "$n" -gt 0
	n=$(awk '$1 == "insmod" && $2 == 0' $D/reload | wc -l)
	check "vgpu_nl was loaded again after an unload ($n times)" test "$n" -gt 0
	check "the sysfs writer changed the VF count" test "$(ok_ops $D/sysfs)" -gt 0
}

test_raw() {
	diag "$(cat $D/raw)"
	check "raw clients: no module error without a text" \
		grep -qx "module errors without a text: 0" $D/raw
	check "raw clients: no reply naming another request's objects" \
		grep -q "^replies naming a handle or UUID not in the request: 0 of" $D/raw
	check "raw clients: every request answered" \
		grep -qx "requests without an answer (timeouts): 0" $D/raw
	check "raw clients: nothing accepted from uid 65534" \
		grep -qx "unprivileged changes accepted: 0" $D/raw
}

test_monitor_exits() {
	local kept
	if [[ ! -s $D/monitor-exits ]]; then
		not_ok "a monitor outlived an unload of vgpu_nl? not known: no unload happened"
		return
	fi
	diag "$(cat $D/monitor-exits)"
	kept=$(grep -c 'kept running' $D/monitor-exits 2>/dev/null || true)
	same "monitors that kept running after vgpu_nl was unloaded" "${kept:-0}" 0
	check "each monitor said why it stopped and exited 1" \
		sh -c "! grep -v 'exited 1 after [0-9.]* s: .*[a-z]' $D/monitor-exits"
}

# The JSON of every event of the current monitor, one per line.
events() {
	cat $D/mon.$MON_N
}

test_final_state() {
	local sysfs_vfs cli_vfs vf uuid t n
	# A last round of changes the current monitor must see.
	flock -s $LOCK sh -c "echo 0 >$PCI/$VGPU_PF/sriov_numvfs"
	flock -s $LOCK sh -c "echo 2 >$PCI/$VGPU_PF/sriov_numvfs"
	vf=$(basename "$(readlink -f "$PCI/$VGPU_PF/virtfn0")")
	vgpu-nl vf set "$vf" driver vfio-pci || true
	# A type with an instance left: the clients' mdevs may have used up
	# some types (an mdev add of those is refused, rightly), or all of
	# them: then one of theirs goes first.
	if ! cat "$PCI/$VGPU_PF"/mdev_supported_types/*/available_instances 2>/dev/null | grep -qv '^0$'; then
		n=$(random_mdev)
		[[ -z $n ]] || diag "every type used up: mdev del $n: $(vgpu-nl mdev del "$n" force 2>&1)"
	fi
	uuid=
	for t in "$PCI/$VGPU_PF"/mdev_supported_types/*; do
		diag "type ${t##*/}: $(cat "$t/available_instances" 2>&1) available"
		[[ $(cat "$t/available_instances" 2>/dev/null) -gt 0 ]] || continue
		uuid=$(vgpu-nl mdev add "$VGPU_DEV" type "${t##*/}" 2>$D/last-add.err || true)
		[[ -n $uuid ]] && break
		diag "mdev add of ${t##*/}: $(cat $D/last-add.err)"
	done
	sleep 3

	same "dev show: numvfs as sysfs has it" \
		"$(vgpu-nl -j dev show "$VGPU_DEV" | jq '.devices[0].sriov.numvfs')" \
		"$(cat "$PCI/$VGPU_PF/sriov_numvfs")"
	same "dev show: autoprobe as sysfs has it" \
		"$(vgpu-nl -j dev show "$VGPU_DEV" | jq -r 'if .devices[0].sriov.autoprobe then 1 else 0 end')" \
		"$(cat "$PCI/$VGPU_PF/sriov_drivers_autoprobe")"
	sysfs_vfs=$(for f in "$PCI/$VGPU_PF"/virtfn*; do
		n=$(basename "$(readlink -f "$f")")
		d=$(basename "$(readlink "$PCI/$n/driver" 2>/dev/null)" 2>/dev/null || true)
		echo "pci/$n ${d:-none}"
	done | sort)
	cli_vfs=$(vgpu-nl -j vf show "$VGPU_DEV" |
		jq -r '.vfs[] | "\(.handle) \(.driver // "none")"' | sort)
	same "vf show: the VFs and their drivers as sysfs has them" "$cli_vfs" "$sysfs_vfs"
	same "mdev show: the mdevs as sysfs has them" \
		"$(vgpu-nl -j mdev show | jq -r '.mdevs[].uuid' | sort | paste -sd ' ')" \
		"$(ls $MDEVS 2>/dev/null | sort | paste -sd ' ')"

	diag "events seen by the last monitor: $(events | wc -l)"
	same "the monitor's last numvfs event has the final count" \
		"$(events | jq -r "select(.event == \"numvfs\" and .handle == \"$VGPU_DEV\") | .numvfs" | tail -n1)" \
		"$(cat "$PCI/$VGPU_PF/sriov_numvfs")"
	same "the monitor's last event of VF $vf is its binding to vfio-pci" \
		"$(events | jq -r "select(.handle == \"pci/$vf\" and (.event == \"bind\" or .event == \"unbind\" or .event == \"vf-del\" or .event == \"vf-add\")) | \"\(.event) \(.driver // \"\")\"" | tail -n1)" \
		"bind vfio-pci"
	if [[ -n $uuid ]]; then
		same "the monitor's last event of mdev $uuid is its creation" \
			"$(events | jq -r "select(.uuid == \"$uuid\") | .event" | tail -n1)" mdev-add
	else
		not_ok "a last mdev could be created for the monitor to see"
	fi
}

run_load
settle
test_load
test_raw
test_monitor_exits
test_final_state
tap_done
