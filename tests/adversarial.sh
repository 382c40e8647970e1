#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/adversarial.sh - the adversarial tests of issue 11, each in a fresh
# VM on every kernel lane (tests/vm-tests.sh), TAP lines and, last,
# "N passed, N failed". Part of make check; make fuzz and make stress run
# parts of it.
#
# usage: tests/adversarial.sh [-k SERIES]... [-e VAR=VALUE]... [--leakcheck]
#                             [TEST...]
#
#   TEST (default: all, in this order)
#     fuzz            genl-fuzz, 3 clients (one as uid 65534), 60 s
#                     (-e FUZZ_MESSAGES=N: N messages instead), then the
#                     module must answer and unload
#     crosstalk       3 clients, 30 s: no error text naming another
#                     request's handle or UUID (defect 2)
#     numvfs-race     vgpu-nl dev set numvfs 2/0 against echo 3/0
#                     >sriov_numvfs, 120 s, hotplug on (defect 1)
#     numvfs-rescan   the same with the PF's bus rescanned all along, 60 s
#     stress          16 clients, monitor, sysfs writer, PF remove/rescan,
#                     unbind/bind, rmmod/insmod, 60 s
#   -k, -e, --leakcheck
#                   as for tests/vm-tests.sh (lanes; guest environment;
#                   the debug lane's kmemleak check)
#
# The VM timeout grows with FUZZ_MESSAGES (about 600 s + 2 ms a message).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
all=(fuzz crosstalk numvfs-race numvfs-rescan stress)
args=()
tests=()
timeout=900

while [[ $# -gt 0 ]]; do
	case "$1" in
	-k|-e)
		[[ $# -ge 2 ]] || { sed -n '/^# usage:/,/^#   -k/p' "$0" >&2; exit 2; }
		if [[ $1 == -e && $2 =~ ^FUZZ_MESSAGES=([0-9]+)$ ]]; then
			timeout=$((600 + BASH_REMATCH[1] / 500))
		fi
		args+=("$1" "$2")
		shift 2 ;;
	--leakcheck)
		args+=("$1")
		shift ;;
	-h|--help)
		sed -n '4,29s/^# \{0,1\}//p' "$0"
		exit 0 ;;
	-*)	echo "adversarial: unknown option $1" >&2; exit 2 ;;
	*)	tests+=("$1"); shift ;;
	esac
done
[[ ${#tests[@]} -gt 0 ]] || tests=("${all[@]}")

scripts=()
for t in "${tests[@]}"; do
	[[ -x $top/tests/adversarial/$t.sh ]] ||
		{ echo "adversarial: no test '$t' (have: ${all[*]})" >&2; exit 2; }
	scripts+=("$top/tests/adversarial/$t.sh")
done
exec "$top/tests/vm-tests.sh" --timeout "$timeout" ${args[@]+"${args[@]}"} "${scripts[@]}"
