#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reproducer of issue 11's defect 1: two writers of the PF's VF count
# for RACE_SECONDS (default 120), the root port's hotplug on, as on real
# hotplug-capable hardware:
#
#   netlink  vgpu-nl dev set PF numvfs 2, then numvfs 0, again and again
#   sysfs    echo 3 >sriov_numvfs, then echo 0, again and again
#
# (RACE_NETLINK_VFS and RACE_SYSFS_VFS change the 2 and the 3.)
#
# Every VF that appears is announced to the guest's ACPI hotplug handler,
# which rescans the bus (acpiphp_check_bridge -> enable_slot ->
# pci_bus_add_devices) under pci_lock_rescan_remove(). A caller of
# ->sriov_configure() that does not hold that lock adds and removes VFs
# under the rescan: "sysfs: cannot create duplicate filename
# .../resource0" then a NULL dereference in kernfs_name_hash (6.1), or
# "proc_dir_entry '01/00.1' already registered" (6.12). The VM harness
# fails the run on either (panic_on_warn, dmesg).
#
# Topology (tests/vm/run): the emulated nvme SR-IOV PF $VGPU_DEV bound to
# vgpu_sim behind QEMU's pcie-root-port rp1 (hotplug on by default).
#
# RACE_RESCAN=1 adds a third thread that rescans the PF's bus itself (echo
# 1 >/sys/class/pci_bus/BB/rescan: pci_rescan_bus() under
# pci_lock_rescan_remove(), as the hotplug handler does), so the race no
# longer waits for the hotplug event's timing (numvfs-rescan.sh).
# RACE_WRITERS=netlink|sysfs|both picks the writers (default both);
# RACE_WRITERS=sysfs with tests/vm/run --no-module checks the kernel alone.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"
. "$VGPU_CHECKOUT/tests/lib/race.sh"

SECS=${RACE_SECONDS:-120}
WRITERS=${RACE_WRITERS:-both}
# The counts each writer alternates with 0 (issue 11's: 2 and 3).
NL_VFS=${RACE_NETLINK_VFS:-2}
SYSFS_VFS=${RACE_SYSFS_VFS:-3}
LOG=/tmp/numvfs-race
rm -f $LOG.*
: >$LOG.netlink
: >$LOG.sysfs

netlink_writer() {
	timed $LOG.netlink nl$NL_VFS vgpu-nl dev set "$VGPU_DEV" numvfs $NL_VFS
	timed $LOG.netlink nl0 vgpu-nl dev set "$VGPU_DEV" numvfs 0
}

sysfs_writer() {
	timed $LOG.sysfs echo$SYSFS_VFS sh -c "echo $SYSFS_VFS >$PCI/$VGPU_PF/sriov_numvfs"
	timed $LOG.sysfs echo0 sh -c "echo 0 >$PCI/$VGPU_PF/sriov_numvfs"
}

# done_ok LOG: operations of LOG that succeeded.
done_ok() {
	awk '$2 == 0' "$1" | wc -l
}

pids=()
if [[ $WRITERS != sysfs ]]; then
	loop_for "$SECS" netlink_writer &
	pids+=($!)
fi
if [[ $WRITERS != netlink ]]; then
	loop_for "$SECS" sysfs_writer &
	pids+=($!)
fi
echo 0 >$LOG.rescans
if [[ ${RACE_RESCAN:-0} == 1 ]]; then
	rescan_bus_for "$SECS" $LOG.rescans &
	pids+=($!)
fi
wait "${pids[@]}"

diag "netlink: $(wc -l <$LOG.netlink) operations, $(done_ok $LOG.netlink) succeeded, slowest: $(slowest $LOG.netlink)"
diag "sysfs: $(wc -l <$LOG.sysfs) operations, $(done_ok $LOG.sysfs) succeeded, slowest: $(slowest $LOG.sysfs)"
diag "bus rescans: $(cat $LOG.rescans)"
if [[ $WRITERS != sysfs ]]; then
	check "the netlink writer changed the VF count (over 10 times in $SECS s)" \
		test "$(done_ok $LOG.netlink)" -gt 10
fi
if [[ $WRITERS != netlink ]]; then
	check "the sysfs writer changed the VF count (over 10 times in $SECS s)" \
		test "$(done_ok $LOG.sysfs)" -gt 10
fi
same "operations that took $HANG_SECS s or more" \
	"$(($(ops_over $LOG.netlink) + $(ops_over $LOG.sysfs)))" 0
if [[ $WRITERS != sysfs ]]; then
	same "vgpu-nl dev show agrees with sysfs on the VF count" \
		"$(vgpu-nl -j dev show "$VGPU_DEV" | jq '.devices[0].sriov.numvfs')" \
		"$(cat "$PCI/$VGPU_PF/sriov_numvfs")"
	same "vgpu-nl vf show lists as many VFs as there are virtfn links" \
		"$(vgpu-nl -j vf show "$VGPU_DEV" | jq '.vfs | length')" \
		"$(ls -d "$PCI/$VGPU_PF"/virtfn* 2>/dev/null | wc -l)"
fi
tap_done
