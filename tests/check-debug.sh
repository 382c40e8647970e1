#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/check-debug.sh: the debug-kernel lane (make check-debug), not part
# of make check. On a kernel built from Debian's linux-source-6.12 with
# KASAN, KFENCE, lockdep, DEBUG_ATOMIC_SLEEP, UBSAN, kmemleak and
# DEBUG_OBJECTS (tests/vm/debug-kernel; built once, about an hour on two
# shared cores, then cached in $VGPU_CACHE/kernels):
#
#   contract     tests/host/contract.sh (host side, as in make check)
#   build        the modules for the debug kernel
#   scenarios    every tests/scenarios/*.sh
#   adversarial  genl-fuzz (60 s) and stress (180 s), tests/adversarial.sh
#
# each in its own VM (two at once: CHECK_JOBS) with panic_on_warn (a
# KASAN, KFENCE, UBSAN or DEBUG_OBJECTS report panics it; lockdep's
# reports fail the kernel-log check), and after each, vgpu_nl and
# vgpu_sim unloaded and a kmemleak scan (tests/vm/run --leakcheck): any
# leak fails. The debug kernel runs several times slower than the others
# under TCG: each VM may take up to an hour. Prints TAP and "N passed, N
# failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. tests/vm/cache.sh
. tests/lib/parts.sh

t0=$(date +%s)
if ! kver=$(tests/vm/debug-kernel); then
	echo "not ok - the debug kernel could not be built (tests/vm/debug-kernel)"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "=== debug kernel $kver"
# As in make check, before the scenarios: it also extracts the kernel's
# ynl client that 15-ynl.sh drives (into build/kernel-src).
part contract tests/host/contract.sh
# The modules, once: guests started at once would otherwise build them in
# the same directory at the same time.
build() {
	. tests/lib/tap.sh
	check "build $kver: clean" tests/build-modules.sh "$kver"
	tap_done
}
part build build
# The monitor's exit after rmmod is checked against a second elsewhere; on
# this kernel it took longer (10-foundation, one guest beside).
vm=(tests/vm-tests.sh -k "$kver" --timeout 3600 --leakcheck
	-e VGPU_MONITOR_EXIT_MS=10000)
# The debug kernel is five to ten times slower: stress runs three times as
# long as on the other lanes (in 60 s, 2 of its 12 CLI clients had not
# finished one operation), and an operation is a hang after 300 s, not 60
# (VF count changes took up to 146 s there, an unload waited for them).
adv=(tests/adversarial.sh -k "$kver" --leakcheck
	-e FUZZ_SECONDS=60 -e STRESS_SECONDS=180 -e VGPU_HANG_SECS=300)

# The work items, the adversarial ones and the biggest scenarios first, so
# that the last to start are short. $JOBS guests at once (default 2, one
# per core, as in make check: each TCG guest is single-threaded).
NAMES=(stress fuzz)
ITEMS=("${adv[*]} stress" "${adv[*]} fuzz")
for s in $(ls -S tests/scenarios/*.sh); do
	NAMES+=("${s##*/}")
	ITEMS+=("${vm[*]} $s")
done
JOBS=${CHECK_JOBS:-2}
qdir=$PARTS_LOGDIR/queue
mkdir "$qdir"

# One worker: the next item no other worker has claimed (mkdir is the
# claim), until none is left; a line as each ends, the logs at the end.
worker() {
	local i t rc
	for i in "${!ITEMS[@]}"; do
		mkdir "$qdir/$i" 2>/dev/null || continue
		t=$(date +%s)
		${ITEMS[i]} >"$qdir/$i/log" 2>&1
		rc=$?
		t=$(($(date +%s) - t))
		echo "$rc $t" >"$qdir/$i/rc"
		echo "--- ${NAMES[i]}: $(tail -n 1 "$qdir/$i/log") (exit $rc, $t s)"
	done
}

# A finished item's output and status, for part().
replay() {
	local rc secs
	cat "$1/log"
	read -r rc secs <"$1/rc"
	echo "=== took $((secs / 60))m$(printf %02d $((secs % 60)))s"
	return "$rc"
}

echo "=== ${#ITEMS[@]} VMs, $JOBS at once"
for ((j = 0; j < JOBS; j++)); do
	worker &
done
wait
for i in "${!ITEMS[@]}"; do
	part "${NAMES[i]}" replay "$qdir/$i"
done
echo "=== check-debug took $((($(date +%s) - t0) / 60)) min"
parts_done
