#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the guest of the DKMS lane (tests/vm/run --dkms), where vgpu_nl
# was loaded with modprobe from /lib/modules/$KVER/updates/dkms.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"

path=$(modinfo -n vgpu_nl)
kver_re=$(sed 's/[][\\.^$*+?(){}|]/\\&/g' <<<"$VGPU_KVER")
expect_out "^/lib/modules/$kver_re/updates/dkms/vgpu_nl\.ko" \
	"modprobe resolves vgpu_nl to the DKMS tree" modinfo -n vgpu_nl
check "the loaded module is that file (same srcversion)" \
	test "$(modinfo -F srcversion "$path")" = "$(cat /sys/module/vgpu_nl/srcversion)"
check "the loaded module has the package version" \
	test "$(cat /sys/module/vgpu_nl/version)" = "$(cat /sys/kernel/vgpu_nl/version)"
expect_out "\"driver\": ?\"vgpu_sim\"" "vgpu-nl drives the DKMS-built module" \
	vgpu-nl -j dev show "$VGPU_DEV"
tap_done
