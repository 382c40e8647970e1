#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/check.sh: everything `make check` runs, in order:
#   host   userspace unit tests under valgrind, YNL spec vs uAPI header,
#          the mechanical style rules (tests/style.sh), host setup and
#          snippet on fake roots (tests/host/hostsetup.sh), doctor's
#          generated i915 id table against its header
#   build  vgpu_nl.ko + vgpu_sim.ko for every installed kernel: plain,
#          W=1 and sparse (C=2), each warning-free
#   vm     every tests/scenarios/*.sh in the VM on every kernel
#   adversarial  fuzz, cross-talk, the VF count races and stress in the
#          VM on every kernel (tests/adversarial.sh)
#   doc    the man page and the bash completion (tests/doc-test.sh)
#   dkms   the DKMS auto-rebuild path (tests/dkms-test.sh; root only)
#   deb    make deb, install and purge the packages (tests/deb-test.sh; root)
# Each part prints TAP lines and its own "N passed, N failed"; the last
# line is the sum over all parts. Exit status 1 if anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
passed=0
failed=0
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

# part NAME CMD...: runs CMD, adds its final "N passed, N failed" to the
# totals. A part that failed without saying how counts as one failure.
part() {
	local name=$1 log=$logdir/$1.log rc p=0 f=0 line
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
	passed=$((passed + p))
	failed=$((failed + f))
	echo "=== $name: $p passed, $f failed"
}

builds() {
	. tests/lib/tap.sh
	local k mode
	for k in $(tests/vm/kernels list); do
		for mode in "" --w1 --sparse; do
			check "build ${mode:---plain} $k: clean" \
				tests/build-modules.sh $mode "$k"
		done
	done
	tap_done
}

part tool make -s -C userspace all test-tools
part unit make -s -C userspace test
part ynl /usr/bin/python3 tests/host/ynl-sync.py "$top"
part ids /usr/bin/python3 scripts/gen-i915-ids.py --check
part style tests/style.sh
part doc tests/doc-test.sh
part hostsetup tests/host/hostsetup.sh
part build builds
part vm tests/vm-tests.sh
part adversarial tests/adversarial.sh
if [ "$(id -u)" -eq 0 ]; then
	part dkms tests/dkms-test.sh
	part deb tests/deb-test.sh
else
	echo "not ok - dkms test needs root (it installs through DKMS)"
	echo "not ok - deb test needs root (it installs the packages)"
	failed=$((failed + 2))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
