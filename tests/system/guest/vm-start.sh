#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-start.sh (guest, test only; the pve-guests.service stand-in): what a
# VM starting now would find, kept in /run/vgpu-systest-vm for the stage
# script: vgpu-nl's VFs and mdevs (JSON) and the time it ran.
set -u
out=/run/vgpu-systest-vm
mkdir -p "$out"
date +%s.%N >"$out/started"
command -v vgpu-nl >/dev/null || exit 0
vgpu-nl -j vf show >"$out/vfs.json" 2>&1
vgpu-nl -j mdev show >"$out/mdevs.json" 2>&1
exit 0
