#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/check.sh: everything `make check` runs.
#
#   host    the tool; userspace unit tests under valgrind; the netlink
#           contract (tests/host/contract.sh: YNL spec, uAPI header, the
#           module's policies, the tool); the userspace parsers under
#           libFuzzer; the kernel module's include graph (no core->glue
#           include, no cycle) and that check's self-test; the host layer's
#           GPU id table against its header; the style rules; the man page
#           and completion; host setup and snippets on fake roots
#   lanes   the kernel lanes (tests/vm/kernels): Debian 12's 6.1, the 6.12
#           series and the newest kernel of Debian 13's backports, from a
#           build root made (or refreshed) by tests/vm/newest
#   build   vgpu_nl.ko + vgpu_sim.ko for each lane: plain, W=1 and sparse
#           (C=2), each warning-free; the compat probes each lane chose
#   vm      every tests/scenarios/*.sh in a VM on every lane
#   adv     the adversarial tests (tests/adversarial.sh: genl-fuzz,
#           cross-talk, the VF count races, stress) in a VM on every lane
#   dkms    the DKMS paths (tests/dkms-test.sh; root only)
#   deb     make deb, install and purge the packages (tests/deb-test.sh)
#
# Parts run as jobs, two at a time (a TCG guest keeps one core busy), in
# the order below as far as their dependencies allow. Each part's output is
# printed whole when it ends, with its "N passed, N failed" and how long it
# took; the end has a table of all parts and the total, and the last line
# is the sum over all parts. Exit status 1 if anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
JOBS=${CHECK_JOBS:-2}
# CHECK_ONLY=REGEX runs only the jobs whose names match (for development;
# the others are listed as skipped). `make check` runs everything.
ONLY=${CHECK_ONLY:-}
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"; kill $(jobs -p) 2>/dev/null' EXIT
start_all=$(date +%s)

# --- the job table ---------------------------------------------------------
# job NAME SLOTS "DEPS" CMD...: SLOTS of the $JOBS cores it keeps busy,
# DEPS the jobs that must have ended first (passed or not).
declare -a ORDER=()
declare -A SLOTS=() DEPS=() CMD=() STATE=() PID=() T0=() SECS=() PASSED=() FAILED=()

job() {
	local name=$1 slots=$2 deps=$3
	shift 3
	ORDER+=("$name")
	SLOTS[$name]=$slots
	DEPS[$name]=$deps
	CMD[$name]=$(printf '%q ' "$@")
	STATE[$name]=wait
	if [[ -n $ONLY && ! $name =~ $ONLY && $name != lanes && $name != tool ]]; then
		STATE[$name]=done
		SECS[$name]=0 PASSED[$name]=0 FAILED[$name]=0
		SKIPPED+=("$name")
	fi
}
declare -a SKIPPED=()

builds() {
	. tests/lib/tap.sh
	local mode out
	for mode in --plain --w1 --sparse; do
		tap_run tests/build-modules.sh ${mode#--plain} "$1"
		if [[ $TAP_RC -eq 0 ]]; then
			ok "build $mode $1: clean"
			[[ $mode == --plain ]] && out=$TAP_OUT
		else
			not_ok "build $mode $1: clean"
			tap_show
		fi
	done
	# Which compat branch each probe chose on this lane.
	[[ -z ${out:-} ]] || printf '# %s\n' "${out#*; }"
	tap_done
}

lanes() {
	. tests/lib/tap.sh
	local k
	check "lanes: the newest Debian 13 backports kernel in its build root" \
		tests/vm/newest
	for k in $(tests/vm/kernels list); do
		diag "lane $(tests/vm/kernels series "$k"): $k"
	done
	check "lanes: three kernel series" \
		test "$(tests/vm/kernels list | xargs -n1 tests/vm/kernels series | sort -u | wc -l)" -ge 3
	tap_done
}

job tool 1 "" make -s -C userspace all test-tools
job lanes 1 "" lanes
job unit 1 "tool" make -s -C userspace test
job contract 1 "tool" tests/host/contract.sh
job fuzz-userspace 1 "" tests/fuzz.sh 12
job kgraph 1 "" /usr/bin/python3 tests/host/kmod-graph.py "$top"
job "kgraph self-test" 1 "" /usr/bin/python3 tests/host/kmod-graph.py --self-test "$top"
job ids 1 "" /usr/bin/python3 scripts/gen-i915-ids.py --check
job style 1 "" tests/style.sh
job doc 1 "tool" tests/doc-test.sh
job hostsetup 1 "tool" tests/host/hostsetup.sh

# Lanes and scenarios are known once the build root is there.
plan_lanes() {
	local k s t
	mapfile -t KERNELS < <(tests/vm/kernels list)
	for k in "${KERNELS[@]}"; do
		job "build $k" 1 "lanes" builds "$k"
	done
	# The adversarial tests run longest (60-120 s of load each): first.
	for t in numvfs-race stress fuzz numvfs-rescan crosstalk; do
		for k in "${KERNELS[@]}"; do
			job "adv $k $t" 1 "tool build $k" tests/adversarial.sh -k "$k" "$t"
		done
	done
	# Longest first, so that the last jobs to start are short ones.
	# (contract extracts the kernel's ynl client for 15-ynl.sh.) A guest is
	# a hang after 20 min, not tests/vm/run's default 10: 47-xe took up to
	# 8m15s in CI's conditions and 10m16s with more guests than cores.
	for s in $(ls -S tests/scenarios/*.sh); do
		for k in "${KERNELS[@]}"; do
			job "vm $k ${s##*/}" 1 "tool contract build $k" \
				tests/vm-tests.sh -k "$k" --timeout 1200 "$s"
		done
	done
	if [[ $(id -u) -eq 0 ]]; then
		# Both change this machine's DKMS state: one after the other.
		job dkms 1 "tool $(printf 'build %s ' "${KERNELS[@]}")" tests/dkms-test.sh
		job deb 1 "dkms" tests/deb-test.sh
	else
		job "dkms (needs root)" 1 "" false
		job "deb (needs root)" 1 "" false
	fi
}

# --- the scheduler ---------------------------------------------------------
free=$JOBS

ready() {
	local d
	[[ ${STATE[$1]} == wait && ${SLOTS[$1]} -le $free ]] || return 1
	# Job names contain spaces ("build K"): match whole names.
	for d in "${ORDER[@]}"; do
		[[ " ${DEPS[$1]} " == *" $d "* && ${STATE[$d]} != done ]] && return 1
	done
	return 0
}

start() {
	local name=$1 log=$logdir/$BASHPID.$RANDOM
	STATE[$name]=run
	T0[$name]=$(date +%s)
	free=$((free - SLOTS[$name]))
	LOG[$name]=$log
	eval "${CMD[$name]}" >"$log" 2>&1 &
	PID[$name]=$!
}

declare -A LOG=()
declare -a FAILS=()
finish() {
	local name=$1 rc=$2 log=${LOG[$1]} line p=0 f=0
	STATE[$name]=done
	free=$((free + SLOTS[$name]))
	SECS[$name]=$(($(date +%s) - T0[$name]))
	line=$(grep -aE '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		p=${BASH_REMATCH[1]}
		f=${BASH_REMATCH[2]}
	fi
	echo "=== $name"
	cat "$log"
	if [[ $rc -ne 0 && $f -eq 0 ]]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	PASSED[$name]=$p
	FAILED[$name]=$f
	# What failed, again at the end (a CI log may keep only its tail).
	[[ $f -eq 0 ]] || FAILS+=("$name"$'\n'"$(grep -a -E '^not ok|^vm: ' "$log" |
		head -n 4 | cut -c1-160 | sed 's/^/      /')")
	echo "=== $name: $p passed, $f failed ($(fmt_secs "${SECS[$name]}"))"
}

fmt_secs() {
	printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
}

run_all() {
	local name pid rc any
	while :; do
		any=
		for name in "${ORDER[@]}"; do
			if ready "$name"; then
				start "$name"
			fi
			[[ ${STATE[$name]} == done ]] || any=1
		done
		[[ -n $any ]] || break
		wait -n -p pid
		rc=$?
		for name in "${ORDER[@]}"; do
			if [[ ${STATE[$name]} == run && ${PID[$name]} == "$pid" ]]; then
				finish "$name" "$rc"
				# The lane list is known once "lanes" ended.
				[[ $name == lanes ]] && plan_lanes
			fi
		done
	done
}

report() {
	local name passed=0 failed=0
	echo
	echo "=== make check: parts, results and times (two at a time)"
	for name in "${ORDER[@]}"; do
		[[ " ${SKIPPED[*]} " == *" $name "* ]] && continue
		printf '  %-52s %5d passed %3d failed  %s\n' "$name" "${PASSED[$name]}" \
			"${FAILED[$name]}" "$(fmt_secs "${SECS[$name]}")"
		passed=$((passed + PASSED[$name]))
		failed=$((failed + FAILED[$name]))
	done
	if [[ ${#FAILS[@]} -gt 0 ]]; then
		echo "=== failed parts (each part's output above has the details)"
		printf '  %s\n' "${FAILS[@]}"
	fi
	[[ ${#SKIPPED[@]} -eq 0 ]] || echo "=== skipped (CHECK_ONLY=$ONLY): ${#SKIPPED[@]} parts"
	echo "=== kernel lanes: $(tests/vm/kernels list | paste -sd ' ')"
	echo "=== make check took $(fmt_secs $(($(date +%s) - start_all)))"
	echo "$passed passed, $failed failed"
	[[ $failed -eq 0 ]]
}

run_all
report
