#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: figures, not verdicts (these machines are shared and noisy,
# and the guest runs under TCG, so absolute numbers mean little; compare
# runs on one machine). Boots the simulated host (BENCH_KERNEL=6.1 for the
# older kernel) and runs tests/bench/guest.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
[ -n "${BENCH_KERNEL:-}" ] && args=(-k "$BENCH_KERNEL")
exec tests/vm/run "${args[@]}" -- tests/bench/guest.sh
