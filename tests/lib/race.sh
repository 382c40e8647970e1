# SPDX-License-Identifier: GPL-2.0
#
# race.sh - helpers for the adversarial guest tests (tests/adversarial/),
# sourced after tap.sh and vgpu.sh.
#
#   timed LOG NAME CMD...   runs CMD with a limit of 2.5 HANG_SECS (150 s)
#                           and appends "NAME RC SECONDS" to LOG (RC 124:
#                           cut off)
#   slowest LOG             the slowest line of LOG
#   loop_for SECS FN ARGS   calls FN ARGS until SECS have passed
#   rescan_pf               PCI rescan until the PF is back, bound to vgpu_sim
#   rescan_bus_for SECS OUT rescans of the PF's bus for SECS, their count
#                           written to OUT

# A single operation longer than this is a hang (the guest's hung-task
# detector panics after 120 s blocked in the kernel as well). Operations
# queued behind others under load were seen to take 24 s on a busy host
# under TCG without any deadlock; a deadlock never ends (timed cuts it off
# at 150 s and it counts here). VGPU_HANG_SECS sets it for a slower
# kernel (the debug lane's, tests/check-debug.sh).
HANG_SECS=${VGPU_HANG_SECS:-60}

# No process but the command itself: every exec reads its binary over 9p,
# which under TCG costs more than many operations.
timed() {
	local log=$1 name=$2 t0 us rc=0
	shift 2
	t0=${EPOCHREALTIME/./}
	timeout -k 5 $((HANG_SECS * 5 / 2)) "$@" >/dev/null 2>&1 || rc=$?
	us=$((${EPOCHREALTIME/./} - t0))
	printf '%s %d %d.%02d\n' "$name" "$rc" $((us / 1000000)) \
		$((us % 1000000 / 10000)) >>"$log"
	return 0
}

slowest() {
	sort -k3 -n -r "$1" 2>/dev/null | head -n1
}

# ops_over LOG [SECS]: how many operations of LOG took SECS (default
# HANG_SECS) or longer.
ops_over() {
	awk -v max="${2:-$HANG_SECS}" '$3 >= max' "$1" 2>/dev/null | wc -l
}

loop_for() {
	local end=$((SECONDS + $1))
	shift
	while ((SECONDS < end)); do
		"$@"
	done
}

# Rescans of the PF's own bus only (pci_rescan_bus() under
# pci_lock_rescan_remove(), as the hotplug handler's), as fast as the shell
# writes (no fork per write): each is short, so many fall into a VF count
# change.
rescan_bus_for() {
	local bus n=0 end=$((SECONDS + $1))
	bus=$(basename "$(readlink -f "$PCI/$VGPU_PF/..")")
	bus=$(ls "/sys/devices/pci0000:00/$bus/pci_bus")
	while ((SECONDS < end)); do
		echo 1 >"/sys/class/pci_bus/$bus/rescan" 2>/dev/null || true
		n=$((n + 1))
	done
	echo "$n" >"$2"
}

# The PF comes back from a rescan without its driver_override binding.
rescan_pf() {
	local i
	for ((i = 0; i < 50; i++)); do
		echo 1 >/sys/bus/pci/rescan 2>/dev/null || true
		if [[ -e $PCI/$VGPU_PF ]]; then
			[[ -e /sys/bus/pci/drivers/vgpu_sim/$VGPU_PF ]] || bind_sim 2>/dev/null || true
			[[ -e /sys/bus/pci/drivers/vgpu_sim/$VGPU_PF ]] && return 0
		fi
		sleep 0.2
	done
	return 1
}
