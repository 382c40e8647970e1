#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/fuzz.sh [SECONDS]: the userspace parsers under libFuzzer, each
# target for SECONDS (default 12, about a minute in all: what make check
# runs; make fuzz-userspace runs longer). Targets (tests/fuzz/fuzz_*.c,
# built by make -C userspace fuzz-targets with clang, ASan and UBSan):
#   fuzz_config    the desired-state file (save then apply is stable)
#   fuzz_handle    device handles and mdev UUIDs (normalising is idempotent)
#   fuzz_ack       the extended ack of NLMSG_ERROR and NLMSG_DONE
#   fuzz_bootcfg   /etc/default/grub and /etc/kernel/cmdline as host plan
#                  edits them (a second edit changes nothing)
# Each starts from tests/fuzz/corpus/TARGET and the corpus of earlier runs
# (build/fuzz/corpus/TARGET, kept); a crash leaves its input in
# build/fuzz/crash/ (replay: userspace/fuzz-build/TARGET FILE). One TAP
# line per target, then "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. tests/lib/tap.sh

secs=${1:-12}
[[ $secs =~ ^[0-9]+$ && $secs -gt 0 ]] || { echo "usage: tests/fuzz.sh [SECONDS]" >&2; exit 2; }
out=build/fuzz
mkdir -p "$out/crash"

if ! make -s -C userspace fuzz-targets >"$out/build.log" 2>&1; then
	not_ok "fuzz: the targets build (clang, libclang-rt-14-dev)"
	diag "$(tail -n 20 "$out/build.log")"
	tap_done
	exit 1
fi

for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	mkdir -p "$out/corpus/$t"
	log=$out/$t.log
	# -timeout: a hang, not a slow input on a loaded machine (a parse
	# takes milliseconds); leaks count (ASan.s
	# leak check runs at exit and on each crash).
	userspace/fuzz-build/"$t" -max_total_time="$secs" -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/crash/$t-" \
		"$out/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [[ $rc -eq 0 && ${runs:-0} -gt 0 ]]; then
		ok "fuzz $t: $runs inputs in ${secs}s, no crash, corpus $(ls "$out/corpus/$t" | wc -l)"
	else
		not_ok "fuzz $t: $runs inputs in ${secs}s (exit status $rc)"
		diag "$(grep -E 'ERROR|SUMMARY|^ *#[0-9]+ .* in |Test unit written|stable|changes|lacks|refused|parse' "$log" | head -n 30)"
	fi
done
tap_done
