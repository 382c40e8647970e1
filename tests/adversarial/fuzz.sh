#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz: userspace/genl-fuzz against the "vgpu" family, three clients at
# once (two as root, one as uid 65534), then vgpu_nl must still answer,
# unload and load again. The VM harness fails the run on any kernel
# warning (dmesg, console).
#
# Topology (tests/vm/run): q35 + intel-iommu; the emulated nvme SR-IOV PF
# $VGPU_DEV (7 VFs) bound to vgpu_sim, an mdev parent with four GVT-g
# types; vgpu_nl with extra_ids=1b36:0010. The fuzzer learns the real
# handles, VFs, types and mdevs from dumps and mixes them into valid,
# random and malformed requests, state-changing ones included (VF
# counts, drivers, quotas, mdevs).
#
# Environment (tests/vm/run -e): FUZZ_MESSAGES=N stops after N messages
# (make fuzz FUZZ_MESSAGES=1000000), else FUZZ_SECONDS (default 60)
# bounds the run; FUZZ_SEED reproduces one.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

OUT=/tmp/fuzz.out
modprobe vfio-pci
modprobe vfio_iommu_type1 2>/dev/null || true

# figure TEXT: the first number on the report line starting with TEXT.
figure() {
	sed -n "s/^$1: \([0-9.]*\).*/\1/p" "$OUT" | head -n1
}

test_fuzz() {
	local args=(--jobs 3 --unpriv 1) rc=0 sent want
	if [[ ${FUZZ_MESSAGES:-0} -gt 0 ]]; then
		args+=(--messages "$FUZZ_MESSAGES")
	else
		args+=(--seconds "${FUZZ_SECONDS:-60}")
	fi
	[[ -z ${FUZZ_SEED:-} ]] || args+=(--seed "$FUZZ_SEED")
	genl-fuzz "${args[@]}" >"$OUT" 2>&1 || rc=$?
	# The figures, for the log (as TAP comments).
	diag "$(cat "$OUT")"
	sent=$(figure "messages sent")
	want=${FUZZ_MESSAGES:-1}
	if [[ $rc -ne 2 && ${sent:-0} -ge $want && ${sent:-0} -gt 0 ]]; then
		ok "genl-fuzz ran: ${sent} messages, $(figure "messages\/s") messages/s"
	else
		not_ok "genl-fuzz ran (exit status $rc, ${sent:-no} messages sent)"
	fi
	same "module errors without an extack text" \
		"$(figure "module errors without a text")" 0
	same "replies naming a handle or UUID that was not in the request" \
		"$(figure "replies naming a handle or UUID not in the request")" 0
	same "filtered dumps listing another device's objects" \
		"$(figure "filtered dumps listing other devices")" 0
	same "unprivileged changes accepted" \
		"$(figure "unprivileged changes accepted")" 0
	same "requests the module did not answer" \
		"$(figure "requests without an answer (timeouts)")" 0
	check "the module still answers afterwards" \
		grep -qx "module answers afterwards: yes.*" "$OUT"
}

test_unload() {
	check "vgpu_nl unloads after the fuzzing (rmmod within 60 s)" \
		timeout 60 rmmod vgpu_nl
	check "vgpu_nl loads again" insmod "$VGPU_KO" extra_ids=1b36:0010
	expect_out "^module " "... and answers" vgpu-nl version
}

test_fuzz
test_unload
tap_done
