# SPDX-License-Identifier: GPL-2.0
#
# vgpu.sh - helpers shared by the guest scenarios (sourced after tap.sh).
#
# The guest (tests/vm/guest-init) exports VGPU_KVER, VGPU_CHECKOUT, VGPU_PF
# (0000:BB:DD.F of the emulated SR-IOV PF, bound to vgpu_sim) and VGPU_DEV
# (pci/$VGPU_PF), and has vgpu_nl loaded with extra_ids=1b36:0010.

PCI=/sys/bus/pci/devices
VGPU_SYSFS=/sys/kernel/vgpu_nl
VGPU_KO=$VGPU_CHECKOUT/build/$VGPU_KVER/vgpu_nl.ko

# jq_check DESC FILTER CMD...: ok if CMD succeeds and jq -e FILTER holds
# on its stdout (which must be one valid JSON document). TAP_MAX_RC as
# for expect_out.
jq_check() {
	local desc=$1 filter=$2
	shift 2
	tap_run "$@"
	if [[ $TAP_RC -le ${TAP_MAX_RC:-0} ]] &&
	   jq -e "$filter" >/dev/null 2>&1 <<<"$TAP_OUT"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "expected exit status 0..${TAP_MAX_RC:-0} and jq -e '$filter' to hold"
		tap_show
	fi
}

# same DESC A B: ok if the two strings are equal.
same() {
	if [[ "$2" == "$3" ]]; then
		ok "$1"
	else
		not_ok "$1"
		diag "got '$2', expected '$3'"
	fi
}

# wait_for SECS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	local i secs=$1
	shift
	for ((i = 0; i < secs * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# A managed display-class device without SR-IOV (QEMU's VGA), if any.
vga_dev() {
	local d
	for d in "$VGPU_SYSFS"/*/; do
		[[ -e $d/handle && ! -e $d/totalvfs ]] || continue
		cat "$d/handle"
		return 0
	done
	return 1
}

# bind_sim: bind the emulated PF to vgpu_sim again (after an unbind or a
# remove/rescan cycle lost the override).
bind_sim() {
	echo vgpu_sim >"$PCI/$VGPU_PF/driver_override"
	echo "$VGPU_PF" >/sys/bus/pci/drivers_probe
}

# Starts `vgpu-nl -j monitor` in the background writing to $1; waits until
# it is subscribed. Stop it with monitor_stop.
MON_PID=
monitor_start() {
	vgpu-nl -j monitor >"$1" 2>"$1.err" &
	MON_PID=$!
	# The subscription is in place once the socket has joined the group:
	# give the process a moment, then make sure it is still alive.
	sleep 0.5
	kill -0 "$MON_PID"
}

monitor_stop() {
	sleep 0.3
	kill "$MON_PID" 2>/dev/null || true
	wait "$MON_PID" 2>/dev/null || true
	MON_PID=
}
