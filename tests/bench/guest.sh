#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks in the test guest; prints one "bench: NAME VALUE UNIT" line each.
set -eu
PFS=/sys/bus/pci/devices/$VGPU_PF

now() { date +%s%N; }
# ms_per RUNS CMD...: mean wall-clock milliseconds of CMD over RUNS runs.
ms_per() {
	local runs=$1 t0 i
	shift
	t0=$(now)
	for ((i = 0; i < runs; i++)); do
		"$@" >/dev/null
	done
	echo "scale=2; ($(now) - $t0) / $runs / 1000000" | bc
}

echo "bench: dev_show_ms $(ms_per 100 vgpu-nl -j dev show) ms/command"
echo "bench: version_ms $(ms_per 100 vgpu-nl version) ms/command"

t0=$(now)
vgpu-nl dev set "$VGPU_DEV" numvfs 7
vgpu-nl dev set "$VGPU_DEV" numvfs 0
echo "bench: numvfs_cycle_vgpu_nl $(( ($(now) - t0) / 1000000 )) ms (0->7->0)"
t0=$(now)
echo 7 >"$PFS/sriov_numvfs"
echo 0 >"$PFS/sriov_numvfs"
echo "bench: numvfs_cycle_sysfs $(( ($(now) - t0) / 1000000 )) ms (0->7->0)"

vgpu-nl dev set "$VGPU_DEV" numvfs 7
echo "bench: vf_show_ms $(ms_per 50 vgpu-nl -j vf show) ms/command (7 VFs)"
echo "bench: resource_show_ms $(ms_per 50 vgpu-nl -j resource show) ms/command (7 VFs, i915 layout)"
vgpu-nl dev set "$VGPU_DEV" numvfs 0

types=$PFS/mdev_supported_types
if [ -d "$types" ]; then
	t=$(ls "$types" | grep '_8$')
	n=$(cat "$types/$t/available_instances")
	t0=$(now)
	for ((i = 0; i < n; i++)); do
		vgpu-nl mdev add "$VGPU_DEV" type "$t" >/dev/null
	done
	echo "bench: mdev_add_ms $(( ($(now) - t0) / 1000000 / n )) ms/mdev ($n mdevs)"
	echo "bench: mdev_show_ms $(ms_per 20 vgpu-nl -j mdev show) ms/command ($n mdevs)"
	t0=$(now)
	for u in $(ls /sys/bus/mdev/devices); do
		vgpu-nl mdev del "$u" >/dev/null
	done
	echo "bench: mdev_del_ms $(( ($(now) - t0) / 1000000 / n )) ms/mdev"
fi

# The dump at scale: 4096 mdevs (created with shell builtins, no execs).
n=4096
rmmod vgpu_nl
echo "$VGPU_PF" >/sys/bus/pci/drivers/vgpu_sim/unbind
rmmod vgpu_sim
insmod "$VGPU_CHECKOUT/build/$VGPU_KVER/vgpu_sim.ko" \
	low_gm_mb=$((128 + n * 64)) high_gm_mb=$((384 + n * 384)) fences=$((4 + n * 4))
echo vgpu_sim >"$PFS/driver_override"
echo "$VGPU_PF" >/sys/bus/pci/drivers_probe
insmod "$VGPU_CHECKOUT/build/$VGPU_KVER/vgpu_nl.ko" extra_ids=1b36:0010
t=$(ls "$types" | grep '_8$')
t0=$(now)
for ((i = 0; i < n; i++)); do
	read -r u </proc/sys/kernel/random/uuid
	echo "$u" >"$types/$t/create"
done
echo "bench: mdev_create_sysfs_ms $(echo "scale=2; ($(now) - $t0) / $n / 1000000" | bc) ms/mdev ($n mdevs)"
echo "bench: mdev_show_json_ms $(ms_per 3 vgpu-nl -j mdev show) ms/command ($n mdevs)"
echo "bench: mdev_show_text_ms $(ms_per 3 vgpu-nl mdev show) ms/command ($n mdevs)"
echo "bench: resource_show_json_ms $(ms_per 3 vgpu-nl -j resource show) ms/command ($n mdevs)"
echo "bench: resource_openmetrics_ms $(ms_per 3 vgpu-nl resource show --format openmetrics) ms/command ($n mdevs)"
for u in /sys/bus/mdev/devices/*; do
	echo 1 >"$u/remove"
done
