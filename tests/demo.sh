#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: boots the simulated host (tests/vm/run, newest installed
# kernel unless DEMO_KERNEL=6.1) and runs a short narrated vgpu-nl session
# against the simulated device (tests/demo/session.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
[ -n "${DEMO_KERNEL:-}" ] && args=(-k "$DEMO_KERNEL")
exec tests/vm/run "${args[@]}" -- tests/demo/session.sh
