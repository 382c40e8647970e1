#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-tests.sh - every scenario on every kernel, each in a fresh VM.
#
# usage: tests/vm-tests.sh [-k SERIES]... [-e VAR=VALUE]... [--timeout SECS]
#                          [--leakcheck] [SCENARIO...]
#
#   -k SERIES   a kernel series ("6.1", "6.12") or release; repeatable.
#               Default: every kernel in `tests/vm/kernels list`.
#   -e VAR=VALUE, --timeout SECS, --leakcheck
#               passed on to tests/vm/run for every scenario.
#   SCENARIO    scripts to run (default: tests/scenarios/*.sh, sorted).
#               They run in the guest, where the host's /tmp is not
#               visible: keep ad-hoc scripts in the checkout or /var/tmp.
#
#   for each kernel K, for each scenario S:
#       tests/vm/run -k K --summary F -- S      (one VM per scenario)
#
# Counts come from each run's verdict channel (TAP "ok"/"not ok" lines
# counted in the guest).  A VM that crashed, timed out, failed its setup or
# left warnings in the kernel log counts as one more failure, and so does a
# scenario that exited non-zero without failing a check.  Prints
# "kernel K: P passed, F failed" per kernel and, last and alone on its line,
# "P passed, F failed" overall.  Exit status 1 if anything failed.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KERNELS=()
SCENARIOS=()
RUN_ARGS=()
TOTAL_PASSED=0
TOTAL_FAILED=0
K_PASSED=0
K_FAILED=0

usage() {
	sed -n '/^# usage:/,/^#   for each/{/^#   for each/d; s/^# \{0,1\}//; p}' "$0"
}

parse_args() {
	local k
	while [[ $# -gt 0 ]]; do
		case "$1" in
		-k)	[[ $# -ge 2 ]] || { usage >&2; exit 2; }
			k=$("$TOP/tests/vm/kernels" resolve "$2") || exit 1
			KERNELS+=("$k"); shift ;;
		-e|--timeout)
			[[ $# -ge 2 ]] || { usage >&2; exit 2; }
			RUN_ARGS+=("$1" "$2"); shift ;;
		--leakcheck)
			RUN_ARGS+=("$1") ;;
		-h|--help) usage; exit 0 ;;
		--)	shift; break ;;
		-*)	usage >&2; exit 2 ;;
		*)	break ;;
		esac
		shift
	done
	SCENARIOS=("$@")
}

defaults() {
	local s
	if [[ ${#KERNELS[@]} -eq 0 ]]; then
		mapfile -t KERNELS < <("$TOP/tests/vm/kernels" list)
		[[ ${#KERNELS[@]} -gt 0 ]] || { echo "vm-tests: no usable kernel" >&2; exit 1; }
	fi
	if [[ ${#SCENARIOS[@]} -eq 0 ]]; then
		for s in "$TOP"/tests/scenarios/*.sh; do
			[[ -e $s ]] && SCENARIOS+=("tests/scenarios/${s##*/}")
		done
		[[ ${#SCENARIOS[@]} -gt 0 ]] || { echo "vm-tests: no scenarios" >&2; exit 1; }
	else
		# The guest's cwd is the checkout: make the user's paths absolute.
		for s in "${!SCENARIOS[@]}"; do
			SCENARIOS[s]=$(realpath -e -- "${SCENARIOS[s]}")
		done
	fi
}

# extra_failure TEXT: a failure that no TAP line reported.
extra_failure() {
	echo "not ok - $*"
	K_FAILED=$((K_FAILED + 1))
}

# run_one KVER SCENARIO: one VM; adds to K_PASSED/K_FAILED.
run_one() {
	local kver=$1 scen=$2 sum rc=0 line passed failed vrc state
	sum=$(mktemp)
	echo "--- $scen on $kver"
	(cd "$TOP" && tests/vm/run -k "$kver" --summary "$sum" ${RUN_ARGS[@]+"${RUN_ARGS[@]}"} -- "$scen") || rc=$?
	line=$(cat "$sum")
	rm -f "$sum"
	if [[ ! $line =~ passed=([0-9]+)\ failed=([0-9]+)\ rc=([^ ]+)\ vm=([a-z-]+) ]]; then
		extra_failure "$scen on $kver: no summary (tests/vm/run exited $rc)"
		return
	fi
	passed=${BASH_REMATCH[1]} failed=${BASH_REMATCH[2]}
	vrc=${BASH_REMATCH[3]} state=${BASH_REMATCH[4]}
	K_PASSED=$((K_PASSED + passed))
	K_FAILED=$((K_FAILED + failed))
	case "$state" in
	clean)
		[[ $vrc == 0 || $failed -gt 0 ]] ||
			extra_failure "$scen on $kver: exited $vrc without failing a check"
		;;
	dirty)		extra_failure "$scen on $kver: kernel log has warnings (dirty dmesg)" ;;
	timeout)	extra_failure "$scen on $kver: VM timed out" ;;
	setup-failed)	extra_failure "$scen on $kver: guest setup failed" ;;
	*)		extra_failure "$scen on $kver: VM crashed (no verdict)" ;;
	esac
}

run_kernel() {
	local kver=$1 scen
	K_PASSED=0 K_FAILED=0
	echo "=== kernel $kver (series $("$TOP/tests/vm/kernels" series "$kver"))"
	for scen in "${SCENARIOS[@]}"; do
		run_one "$kver" "$scen"
	done
	echo "kernel $kver: $K_PASSED passed, $K_FAILED failed"
	TOTAL_PASSED=$((TOTAL_PASSED + K_PASSED))
	TOTAL_FAILED=$((TOTAL_FAILED + K_FAILED))
}

main() {
	local kver
	parse_args "$@"
	defaults
	for kver in "${KERNELS[@]}"; do
		run_kernel "$kver"
	done
	echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
	[[ $TOTAL_FAILED -eq 0 ]]
}

main "$@"
