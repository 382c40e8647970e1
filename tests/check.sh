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
. tests/lib/parts.sh

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
	PARTS_FAILED=$((PARTS_FAILED + 2))
fi

parts_done
