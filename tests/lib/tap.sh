# SPDX-License-Identifier: GPL-2.0
#
# tap.sh - TAP helpers for the scenario scripts that run in the test guest.
#
#   . tests/lib/tap.sh
#   check "module loaded" test -d /sys/kernel/vgpu_nl
#   expect_out '^6\.' "kernel is 6.x" uname -r
#   expect_fail 1 'Error: .*numvfs' "too many VFs" vgpu-nl dev set "$VGPU_DEV" numvfs 99
#   expect_fail 1 'Operation not permitted' "set needs root" \
#           unpriv vgpu-nl dev set "$VGPU_DEV" numvfs 1
#   tap_done
#
# Every check prints one line, "ok N - DESC" or "not ok N - DESC", plus the
# command's output as "# " lines when it fails.  Checks always return 0, so
# a script under `set -e` keeps going after a failed check; tap_done prints
# the plan and "P passed, F failed" and returns 1 if anything failed.
# tests/vm/guest-init counts the "ok"/"not ok" lines for the verdict.

TAP_N=0
TAP_FAILED=0
TAP_RC=0
TAP_OUT=
TAP_ERR=

# diag TEXT...: a "# " comment line for every line of TEXT.
diag() {
	local line
	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<<"$*"
}

ok() {
	TAP_N=$((TAP_N + 1))
	printf 'ok %d - %s\n' "$TAP_N" "$*"
}

not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$TAP_N" "$*"
}

# tap_run CMD...: run CMD, keep its exit status, stdout and stderr in
# TAP_RC, TAP_OUT, TAP_ERR.
tap_run() {
	local errf
	errf=$(mktemp)
	TAP_OUT=$("$@" 2>"$errf") && TAP_RC=0 || TAP_RC=$?
	TAP_ERR=$(<"$errf")
	rm -f "$errf"
}

# tap_show: print the last command's status and output as comments.
tap_show() {
	diag "exit status $TAP_RC"
	[[ -z $TAP_OUT ]] || diag "stdout: $TAP_OUT"
	[[ -z $TAP_ERR ]] || diag "stderr: $TAP_ERR"
}

# check DESC CMD...: ok if CMD succeeds.
check() {
	local desc=$1
	shift
	tap_run "$@"
	if [[ $TAP_RC -eq 0 ]]; then
		ok "$desc"
	else
		not_ok "$desc"
		tap_show
	fi
}

# expect_fail RC PATTERN DESC CMD...: ok if CMD exits with RC and its
# stderr matches the extended regex PATTERN.
expect_fail() {
	local rc=$1 pattern=$2 desc=$3
	shift 3
	tap_run "$@"
	if [[ $TAP_RC -eq $rc ]] && grep -Eq -- "$pattern" <<<"$TAP_ERR"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "expected exit status $rc and stderr matching /$pattern/"
		tap_show
	fi
}

# expect_out PATTERN DESC CMD...: ok if CMD succeeds and its stdout matches
# the extended regex PATTERN. With TAP_MAX_RC=N in its environment, exit
# statuses up to N count as success (doctor exits 1 when a check fails).
expect_out() {
	local pattern=$1 desc=$2
	shift 2
	tap_run "$@"
	if [[ $TAP_RC -le ${TAP_MAX_RC:-0} ]] && grep -Eq -- "$pattern" <<<"$TAP_OUT"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "expected exit status 0..${TAP_MAX_RC:-0} and stdout matching /$pattern/"
		tap_show
	fi
}

# unpriv CMD...: run CMD as nobody:nogroup (uid/gid 65534), no groups.
unpriv() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

# tap_done: print the plan and the totals; fail if any check failed.
tap_done() {
	printf '1..%d\n' "$TAP_N"
	printf '%d passed, %d failed\n' "$((TAP_N - TAP_FAILED))" "$TAP_FAILED"
	[[ $TAP_FAILED -eq 0 ]]
}
