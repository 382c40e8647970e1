#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/check-debug.sh: the debug-kernel lane (make check-debug), not part
# of make check. On a kernel built from Debian's linux-source-6.12 with
# KASAN, KFENCE, lockdep, DEBUG_ATOMIC_SLEEP, UBSAN, kmemleak and
# DEBUG_OBJECTS (tests/vm/debug-kernel; built once, 20-60 min on two
# cores, then cached in $VGPU_CACHE/kernels):
#
#   kernel       the debug kernel, built or found in the cache
#   contract     tests/host/contract.sh (host side, as in make check),
#                while the kernel builds
#   build        the modules for the debug kernel, once
#   scenarios    every tests/scenarios/*.sh
#   adversarial  genl-fuzz (60 s) and stress (180 s), tests/adversarial.sh
#
# each scenario and adversarial test in its own VM (two at once:
# CHECK_JOBS) with panic_on_warn (a KASAN, KFENCE, UBSAN or DEBUG_OBJECTS
# report panics it; lockdep's reports fail the kernel-log check), and
# after each, vgpu_nl and vgpu_sim unloaded and a kmemleak scan
# (tests/vm/run --leakcheck): any leak fails. The jobs run as make
# check's do (tests/lib/jobs.sh): each one's output whole as it ends, a
# table at the end, the sum "N passed, N failed" last. The debug kernel
# runs several times slower than the others under TCG: a VM may take up
# to an hour.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. tests/vm/cache.sh
# The kernel is needed to declare the rest.
JOBS_KEEP=kernel
. tests/lib/jobs.sh

kernel() {
	. tests/lib/tap.sh
	check "the debug kernel, built or cached (tests/vm/debug-kernel)" \
		tests/vm/debug-kernel
	tap_done
}

# The modules, once: guests started at once would otherwise build them in
# the same directory at the same time.
build() {
	. tests/lib/tap.sh
	check "build $1: clean" tests/build-modules.sh "$1"
	tap_done
}

# The rest, once the kernel is there (its release names the lane).
plan() {
	local kver s vm adv
	kver=$(tests/vm/debug-kernel 2>/dev/null) || return 0
	KVER=$kver
	job build 1 "" build "$kver"
	# The monitor's exit after rmmod is checked against a second elsewhere;
	# on this kernel it took longer (10-foundation, one guest beside).
	vm=(tests/vm-tests.sh -k "$kver" --timeout 3600 --leakcheck
		-e VGPU_MONITOR_EXIT_MS=10000)
	# The debug kernel is five to ten times slower: stress runs three times
	# as long as on the other lanes (in 60 s, 2 of its 12 CLI clients had
	# not finished one operation), and an operation is a hang after 300 s,
	# not 60 (VF count changes took up to 146 s there, an unload waited for
	# them).
	adv=(tests/adversarial.sh -k "$kver" --leakcheck
		-e FUZZ_SECONDS=60 -e STRESS_SECONDS=180 -e VGPU_HANG_SECS=300)
	# Longest first, so that the last to start are short: the three
	# scenarios that took longest on this kernel (35-batch and
	# 73-fault-host 35 min, 47-xe 24, 2026-12-02), stress (13), the other
	# scenarios biggest first, fuzz (5) last. contract extracts the
	# kernel's ynl client that 15-ynl.sh drives.
	for s in 35-batch.sh 73-fault-host.sh 47-xe.sh; do
		job "$s" 1 "build contract" "${vm[@]}" "tests/scenarios/$s"
	done
	job stress 1 build "${adv[@]}" stress
	for s in $(ls -S tests/scenarios/*.sh); do
		[[ -n ${CMD[${s##*/}]+set} ]] ||
			job "${s##*/}" 1 "build contract" "${vm[@]}" "$s"
	done
	job fuzz 1 build "${adv[@]}" fuzz
}

jobs_ended() {
	[[ $1 == kernel ]] && plan
	return 0
}

# The kernel build runs at nice 19 on both cores: one slot, so that the
# contract part runs beside it.
KVER=
job kernel 1 "" kernel
job contract 1 "" tests/host/contract.sh
jobs_run
jobs_report "make check-debug" "=== debug kernel: ${KVER:-none}"
