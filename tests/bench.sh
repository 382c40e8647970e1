#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: figures, not verdicts (these machines are shared and noisy,
# and the guest runs under TCG, so absolute numbers mean little: read the
# ratios, each from one interleaved run). Boots the simulated host
# (BENCH_KERNEL=6.1, 6.12 or 7.3 picks the kernel; the newest by default)
# and runs tests/bench/guest.sh, which says what it compares; BENCH_N,
# BENCH_SPLIT_N, BENCH_VF_N, BENCH_LIST_N, BENCH_PAIRS and BENCH_EVENTS
# are passed on.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(--timeout "${BENCH_TIMEOUT:-5400}")
[ -n "${BENCH_KERNEL:-}" ] && args+=(-k "$BENCH_KERNEL")
env=()
for v in BENCH_N BENCH_SPLIT_N BENCH_VF_N BENCH_LIST_N BENCH_PAIRS BENCH_EVENTS; do
	if [ -n "${!v:-}" ]; then
		env+=("$v=${!v}")
	fi
done
exec tests/vm/run "${args[@]}" -- env "${env[@]}" tests/bench/guest.sh
