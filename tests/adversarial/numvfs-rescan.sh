#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vgpu_nl's VF count changes against bus rescans, no plain sysfs writer:
# numvfs-race.sh with RACE_WRITERS=netlink RACE_RESCAN=1 for
# RACE_SECONDS (default 60). A rescan (echo 1 >/sys/bus/pci/rescan, as
# the hotplug handler does) holds pci_lock_rescan_remove(); a
# ->sriov_configure() caller must hold it too (issue 11, defect 1). With
# no sysfs writer, 6.1's own unlocked sriov_numvfs_store() is not in play:
# only vgpu_nl is tested, on every lane.
export RACE_WRITERS=netlink RACE_RESCAN=1 RACE_SECONDS=${RACE_SECONDS:-60}
exec "$VGPU_CHECKOUT/tests/adversarial/numvfs-race.sh"
