#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A kernel bug, not vgpu_nl's: a PF driver's unbind with VFs enabled
# racing with rescans of the PF's bus. Run it without vgpu_nl:
#
#   tests/vm/run -k 6.1 --no-module -- tests/adversarial/kernel-unbind-rescan.sh
#
# Unbinding the driver calls its ->remove(), which disables SR-IOV
# (vgpu_sim does, as PF drivers do): pci_disable_sriov() removes the VF
# devices, then clears VF Enable. Neither it nor the driver core takes
# pci_lock_rescan_remove() for that (sriov_numvfs_store() does, in
# Debian's 6.1.192, 6.12 and 7.x), so a rescan in between finds the VFs
# still answering and adds the first one again as an ordinary device. The
# next enable then adds it a second time: "proc_dir_entry '01/00.1'
# already registered" (fs/proc/generic.c), a WARNING that panics the
# guest (panic_on_warn).
#
# It is not part of make check: on every lane it fails within seconds.
# tests/adversarial/stress.sh keeps its unbinds apart from its rescans for
# that reason. Prints TAP; RACE_SECONDS (default 60) bounds the run.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"
. "$VGPU_CHECKOUT/tests/lib/race.sh"

SECS=${RACE_SECONDS:-60}
LOG=/tmp/kernel-unbind
rm -f $LOG.*
: >$LOG.cycle

cycle() {
	timed $LOG.cycle enable sh -c "echo 3 >$PCI/$VGPU_PF/sriov_numvfs"
	timed $LOG.cycle unbind sh -c "echo $VGPU_PF >/sys/bus/pci/drivers/vgpu_sim/unbind"
	timed $LOG.cycle bind bash -c bind_sim
}
export -f bind_sim
export PCI VGPU_PF

rescan_bus_for "$SECS" $LOG.rescans &
r=$!
loop_for "$SECS" cycle
wait $r || true

same "operations that took ${HANG_SECS} s or more" "$(ops_over $LOG.cycle)" 0
diag "enable/unbind/bind: $(wc -l <$LOG.cycle), slowest: $(slowest $LOG.cycle)"
diag "rescans: $(cat $LOG.rescans)"
tap_done
