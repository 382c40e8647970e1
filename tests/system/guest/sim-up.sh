#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sim-up.sh (guest, test only; vgpu-systest-sim.service at boot): binds
# the emulated SR-IOV PF (nvme 1b36:0010) to the simulated vGPU driver
# vgpu_sim, built by the test for each of the image's kernels
# (SHARE/sim/KVER/vgpu_sim.ko), as a GPU's driver would be bound by now.
# Without SHARE/sim (the image's first boot) there is nothing to bind.
set -euo pipefail
S=/run/vgpu-systest
k=$(uname -r)
[[ -d $S/sim ]] || { echo "sim-up: no simulated device in this run"; exit 0; }
ko=$S/sim/$k/vgpu_sim.ko
[[ -e $ko ]] || { echo "sim-up: no vgpu_sim.ko for $k in the share" >&2; exit 1; }
for dep in $(modinfo -F depends "$ko" | tr , ' '); do
	modprobe "$dep"
done
insmod "$ko"
for d in /sys/bus/pci/devices/*; do
	[[ $(<"$d/vendor") == 0x1b36 && $(<"$d/device") == 0x0010 &&
	   -e $d/sriov_totalvfs ]] || continue
	pf=${d##*/}
	echo vgpu_sim >"$d/driver_override"
	[[ ! -e $d/driver ]] || echo "$pf" >"$d/driver/unbind"
	echo "$pf" >/sys/bus/pci/drivers_probe
	[[ -e /sys/bus/pci/drivers/vgpu_sim/$pf ]] ||
		{ echo "sim-up: vgpu_sim did not bind $pf" >&2; exit 1; }
	echo "sim-up: $pf bound to vgpu_sim"
	exit 0
done
echo "sim-up: no 1b36:0010 SR-IOV PF" >&2
exit 1
