#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A kernel bug, not vgpu_nl's: plain writes to the PF's sriov_numvfs
# racing with removals of the PF (/sys/bus/pci/devices/PF/remove). Run it
# without vgpu_nl:
#
#   tests/vm/run -k 6.12 --no-module -- tests/adversarial/kernel-numvfs-remove.sh
#
#
# In Debian's 6.1.192, 6.12.117 and 7.x kernels, sriov_numvfs_store()
# takes the PF's device_lock() and then pci_lock_rescan_remove(); the PCI
# remove path (pci_stop_and_remove_bus_device_locked()) takes
# pci_lock_rescan_remove() and then, releasing the PF's driver, its
# device_lock(): ABBA.
#
# It is not part of make check: where the kernel has the bug, the guest
# hangs (the hung-task detector panics it). tests/adversarial/stress.sh
# keeps removals of the PF apart from every VF count change for that
# reason. Prints TAP; RACE_SECONDS (default 60) bounds the run.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"
. "$VGPU_CHECKOUT/tests/lib/race.sh"

SECS=${RACE_SECONDS:-60}
LOG=/tmp/kernel-race
rm -f $LOG.*

writer() {
	timed $LOG.numvfs "echo3" sh -c "echo 3 >$PCI/$VGPU_PF/sriov_numvfs"
	timed $LOG.numvfs "echo0" sh -c "echo 0 >$PCI/$VGPU_PF/sriov_numvfs"
}

remover() {
	timed $LOG.remove "remove" sh -c "echo 1 >$PCI/$VGPU_PF/remove"
	timed $LOG.remove "rescan" bash -c rescan_pf
	sleep 0.5
}
export -f rescan_pf bind_sim
export PCI VGPU_PF

loop_for "$SECS" writer &
w=$!
loop_for "$SECS" remover &
r=$!
wait $w $r || true
rescan_pf || true

same "numvfs writes that took ${HANG_SECS} s or more" "$(ops_over $LOG.numvfs)" 0
same "removals/rescans that took ${HANG_SECS} s or more" "$(ops_over $LOG.remove)" 0
diag "numvfs writes: $(wc -l <$LOG.numvfs), slowest: $(slowest $LOG.numvfs)"
diag "removals/rescans: $(wc -l <$LOG.remove), slowest: $(slowest $LOG.remove)"
tap_done
