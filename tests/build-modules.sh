#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/build-modules.sh [--w1|--sparse] KVER
#
# Builds vgpu_nl.ko and the simulated device (vgpu_sim.ko) for kernel KVER
# into build/KVER/. Kbuild cannot put objects outside M= before 6.13, so the
# sources are mirrored there first (only changed files are copied, so builds
# stay incremental). --w1 adds W=1, --sparse runs sparse (C=2) on every
# file; both fail on any warning, as the project's standard demands.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
mode=plain
case "${1:-}" in
--w1) mode=w1; shift ;;
--sparse) mode=sparse; shift ;;
esac
kver=${1:?usage: $0 [--w1|--sparse] KVER}
kdir=/lib/modules/$kver/build
[ -d "$kdir" ] || { echo "build-modules: no headers for $kver ($kdir)" >&2; exit 1; }

# W=1 and sparse need every file compiled again: they get their own tree.
out=$top/build/$kver
[ $mode = plain ] || out=$top/build/$kver.$mode
mkdir -p "$out/sim"
cp -a -u "$top/Kbuild" "$top/dkms.conf" "$out/"
cp -a -u "$top/kmod" "$out/"
cp -a -u "$top/tests/sim/." "$out/sim/"

extra=()
case $mode in
w1) extra=(W=1) ;;
sparse) extra=(C=2) ;;
esac

log=$out/build-$mode.log
build() {
	make -s -C "$kdir" M="$1" "${extra[@]}" modules 2>&1 | tee -a "$log"
}
: >"$log"
[ $mode = plain ] || make -s -C "$kdir" M="$out" clean >/dev/null 2>&1 || true
[ $mode = plain ] || make -s -C "$kdir" M="$out/sim" clean >/dev/null 2>&1 || true
if ! build "$out" >/dev/null || ! build "$out/sim" >/dev/null ||
	[ ! -f "$out/vgpu_nl.ko" ] || [ ! -f "$out/sim/vgpu_sim.ko" ]; then
	cat "$log" >&2
	echo "build-modules: build for $kver failed" >&2
	exit 1
fi
cp -u "$out/sim/vgpu_sim.ko" "$out/vgpu_sim.ko"

# Any diagnostic is a failure in every mode: the code is kept warning-free.
if grep -E 'warning:|error:' "$log" >&2; then
	echo "build-modules: $mode build for $kver has warnings (see above)" >&2
	exit 1
fi
echo "build-modules: $mode build for $kver clean"
