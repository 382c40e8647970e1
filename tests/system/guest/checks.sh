# SPDX-License-Identifier: GPL-2.0
#
# checks.sh (guest, test only): tests/lib/tap.sh's checks (check,
# expect_out, expect_fail, unpriv), with their results sent to the results
# channel (fd $RES, ttyS1) tagged with the scenario step they belong to,
# and copied to the journal and console.
#
#   step N          later results belong to step N
#   ok/not_ok/diag  as in tap.sh
#   same DESC A B   ok if the strings A and B are equal

. "$S/tests/lib/tap.sh"
STEP=0

step() {
	STEP=$1
	echo "== step $STEP: ${2:-}"
}

_emit() {
	echo "STEP $STEP $*" >&"$RES"
	echo "STEP $STEP $*"
}

ok() {
	TAP_N=$((TAP_N + 1))
	_emit "ok $*"
}

not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	_emit "not ok $*"
}

diag() {
	local line
	while IFS= read -r line; do
		_emit "# $line"
	done <<<"$*"
}

same() {
	if [[ $2 == "$3" ]]; then
		ok "$1"
	else
		not_ok "$1"
		diag "got '$2', expected '$3'"
	fi
}
