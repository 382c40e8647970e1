#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stage.sh (guest, test only; vgpu-systest.service once the system is up):
# runs this boot's stage of the system test, named by SHARE/stage (steps.sh,
# stage_NAME), then reboots or powers off as the stage says (NEXT).
# Results go to ttyS1, which nothing else writes:
#   STEP S ok DESC | STEP S not ok DESC | STEP S # DIAG
#   STAGE-END NAME rc=N
# and, last, the boot's journal to ttyS2.
#
# With VGPU_SYSTEST_CHROOT=1 (the image's chroot on the host, before its
# first boot of a run) results go to SHARE/out/results.log instead, and
# nothing is rebooted.
set -uo pipefail
S=/run/vgpu-systest
P=/var/lib/vgpu-systest
STAGE=$(<"$S/stage")
NEXT=poweroff
if [[ -n ${VGPU_SYSTEST_CHROOT:-} ]]; then
	exec {RES}>>"$S/out/results.log"
else
	exec {RES}>/dev/ttyS1
fi
export RES
mkdir -p "$P"
# shellcheck source=/dev/null
. "$S/params"
. "$S/guest/checks.sh"
. "$S/guest/state.sh"
. "$S/guest/readme.sh"
. "$S/guest/steps.sh"
. "$S/guest/firstboot.sh"

rc=0
"stage_${STAGE//-/_}" || rc=$?
[[ $TAP_FAILED -eq 0 ]] || rc=1
echo "STAGE-END $STAGE rc=$rc" >&"$RES"
echo "STAGE-END $STAGE rc=$rc"
[[ -z ${VGPU_SYSTEST_CHROOT:-} ]] || exit "$rc"
journalctl -b --no-pager -o short-monotonic >/dev/ttyS2 2>&1
exec {RES}>&-
systemctl --no-block "$NEXT"
