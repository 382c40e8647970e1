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
# The scheduler (CHECK_JOBS, CHECK_ONLY): tests/lib/jobs.sh. Whatever else
# CHECK_ONLY picks, the tool and the lanes are needed to declare the rest.
JOBS_KEEP="lanes tool"
. tests/lib/jobs.sh

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
	# 9m36s in a CI-style run on a slow day while it still ran depmod in
	# the guest, and 10m16s with more guests than cores.
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

# The lane list is known once "lanes" ended.
jobs_ended() {
	[[ $1 == lanes ]] && plan_lanes
	return 0
}

jobs_run
jobs_report "make check" "=== kernel lanes: $(tests/vm/kernels list | paste -sd ' ')"
