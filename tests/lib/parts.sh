# SPDX-License-Identifier: GPL-2.0
#
# parts.sh - a run made of parts, each ending in "N passed, N failed"
# (tests/check-debug.sh; tests/check.sh has its own copy of part(), to be
# folded onto this one).
#
#   part NAME CMD...   runs CMD, adds its final "N passed, N failed" to the
#                      totals; a part that failed without saying how counts
#                      as one failure
#   parts_done         prints the totals, last and alone on the line, and
#                      returns 1 if anything failed

PARTS_PASSED=0
PARTS_FAILED=0
PARTS_LOGDIR=$(mktemp -d)
trap 'rm -rf "$PARTS_LOGDIR"' EXIT

part() {
	local name=$1 log=$PARTS_LOGDIR/$1.log rc p=0 f=0 line
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		p=${BASH_REMATCH[1]}
		f=${BASH_REMATCH[2]}
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=$((f + 1))
	fi
	PARTS_PASSED=$((PARTS_PASSED + p))
	PARTS_FAILED=$((PARTS_FAILED + f))
	echo "=== $name: $p passed, $f failed"
}

parts_done() {
	echo "$PARTS_PASSED passed, $PARTS_FAILED failed"
	[ "$PARTS_FAILED" -eq 0 ]
}
