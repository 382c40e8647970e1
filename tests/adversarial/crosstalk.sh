#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Cross-talk: three clients at once (two as root, one as uid 65534), each
# sending requests whose refusal names a handle or UUID unique to that
# request (MDEV_GET/MDEV_DEL of a fresh UUID, DEV_GET/VF_GET of an absent
# PCI address). Every refusal's text must name only its own request's:
# a text naming another one is another client's message (issue 11,
# defect 2: 6.1's formatted extack messages shared one static buffer,
# and an unprivileged user read root's errors).
#
# Topology (tests/vm/run): the emulated SR-IOV PF bound to vgpu_sim,
# vgpu_nl loaded. CROSSTALK_SECONDS (default 30) bounds the run.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

OUT=/tmp/crosstalk.out
rc=0
genl-fuzz --mode crosstalk --seconds "${CROSSTALK_SECONDS:-30}" --jobs 3 \
	--unpriv 1 >"$OUT" 2>&1 || rc=$?
diag "$(cat "$OUT")"
line=$(grep '^replies naming a handle or UUID not in the request: ' "$OUT" || true)
if [[ $line =~ :\ ([0-9]+)\ of\ ([0-9]+)\ error ]]; then
	foreign=${BASH_REMATCH[1]} errors=${BASH_REMATCH[2]}
	# Too few answers would make a clean result meaningless.
	if [[ $rc -ne 2 && $errors -ge 1000 ]]; then
		ok "three clients: $errors error replies in ${CROSSTALK_SECONDS:-30} s"
	else
		not_ok "three clients: only $errors error replies (exit status $rc)"
	fi
	same "error replies naming another request's handle or UUID (of $errors)" "$foreign" 0
else
	not_ok "genl-fuzz --mode crosstalk gave no report (exit status $rc)"
fi
check "the module still answers afterwards" \
	grep -qx "module answers afterwards: yes.*" "$OUT"
tap_done
