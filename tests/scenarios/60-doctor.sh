#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# doctor: the host self-check on the test bed.
#
# Topology (tests/vm/run): the emulated nvme SR-IOV PF $VGPU_DEV bound to
# vgpu_sim (7 VFs possible, GVT-g-shaped mdev types), listed by vgpu_nl
# through extra_ids=1b36:0010; QEMU's VGA; an intel-iommu with interrupt
# remapping. The guest is not a configured host (vgpu_nl is insmod'ed from
# the checkout; /etc/modules lists nothing; no iommu=pt) and it sees the
# build host's own /etc, /lib/modules and /var/lib/dkms over 9p, whose DKMS
# state other tests change: host-wide findings may warn or even fail
# (then the exit status must be 1), but every finding about the simulated
# device must be ok.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

# doctor exits 1 when any check fails, and host-wide ones may (see above):
# TAP_MAX_RC=1 lets expect_out and jq_check take that.

# The -j findings about the simulated device.
SIM_FINDINGS=".findings[] | select(.subject == \"$VGPU_DEV\")"

test_healthy() {
	tap_run vgpu-nl -j doctor
	local fails
	fails=$(jq '.summary.fail' <<<"$TAP_OUT")
	same "exit status 1 exactly when a check fails ($fails failed)" \
		"$TAP_RC" "$([[ $fails -gt 0 ]] && echo 1 || echo 0)"
	tap_run vgpu-nl doctor
	same "text and -j agree on the exit status" "$TAP_RC" \
		"$([[ $fails -gt 0 ]] && echo 1 || echo 0)"
	TAP_MAX_RC=1 expect_out "^ok   gpu +$VGPU_DEV: 1b36:0010 .*managed by vgpu_nl, listed in its extra_ids; offers SR-IOV \\(VFs\\) and mdev" \
		"doctor reports the simulated PF by what it offers" vgpu-nl doctor
	TAP_MAX_RC=1 jq_check "-j: every finding about the simulated PF is ok" \
		"[$SIM_FINDINGS] | length >= 5 and all(.status == \"ok\")" \
		vgpu-nl -j doctor
	TAP_MAX_RC=1 jq_check "-j: gpu, driver, sriov, mdev and iommu-group for it" \
		"[$SIM_FINDINGS | .check] as \$c |
		 [\"gpu\", \"driver\", \"sriov\", \"mdev\", \"iommu-group\"] - \$c == []" \
		vgpu-nl -j doctor
	TAP_MAX_RC=1 jq_check "-j: the IOMMU and interrupt remapping are ok" \
		"[.findings[] | select(.check == \"iommu\" or .check == \"interrupt-remapping\") | .status] == [\"ok\", \"ok\"]" \
		vgpu-nl -j doctor
	TAP_MAX_RC=1 jq_check "-j: no failure but host-wide ones (DKMS, modules); summary agrees" \
		"([.findings[] | select(.status == \"fail\") | .check] - [\"dkms\", \"module\"] == [])
		 and .summary.fail == ([.findings[] | select(.status == \"fail\")] | length)
		 and .summary.ok == ([.findings[] | select(.status == \"ok\")] | length)" \
		vgpu-nl -j doctor
	TAP_MAX_RC=1 jq_check "-j: a fix for every warning, none for an ok" \
		"all(.findings[]; (.status == \"ok\") == (has(\"fix\") | not))" \
		vgpu-nl -j doctor
}

test_dev() {
	TAP_MAX_RC=1 jq_check "doctor DEV: no device but the simulated PF" \
		"[.findings[] | select(.subject | startswith(\"pci/\")) | .subject] | unique == [\"$VGPU_DEV\"]" \
		vgpu-nl -j doctor "$VGPU_DEV"
	TAP_MAX_RC=1 expect_out "^ok   driver +$VGPU_DEV: bound to vgpu_sim" \
		"doctor DEV (short form)" vgpu-nl doctor "${VGPU_PF#0000:}"
}

test_with_vfs() {
	vgpu-nl dev set "$VGPU_DEV" numvfs 3
	TAP_MAX_RC=1 jq_check "with 3 VFs: sriov and vf-iommu-groups ok" \
		"[$SIM_FINDINGS | select(.check == \"sriov\" or .check == \"vf-iommu-groups\" or .check == \"passthrough\") | .status] == [\"ok\", \"ok\", \"ok\"]" \
		vgpu-nl -j doctor "$VGPU_DEV"
	TAP_MAX_RC=1 expect_out "ok   vf-iommu-groups +$VGPU_DEV: each of the 3 VFs has a group of its own" \
		"the VFs' groups are checked" vgpu-nl doctor "$VGPU_DEV"
	vgpu-nl dev set "$VGPU_DEV" numvfs 0
}

test_bad_input() {
	expect_fail 1 '^Error: pci/0000:7f:1f.7: no such PCI device$' \
		"unknown DEV: exit 1, named" vgpu-nl doctor 7f:1f.7
	expect_fail 2 "Error: malformed device handle 'nope'" \
		"malformed DEV: usage error" vgpu-nl doctor nope
	expect_fail 1 '^Error: --root /var/tmp/no-such-root: no such directory$' \
		"--root to a missing directory: exit 1, named" \
		vgpu-nl doctor --root /var/tmp/no-such-root
	expect_fail 2 'Error: --root needs a directory' \
		"--root without a directory: usage error" vgpu-nl doctor --root
	TAP_MAX_RC=1 expect_out "^ok   gpu +$VGPU_DEV" "an unprivileged user can run doctor" \
		unpriv vgpu-nl doctor
}

test_healthy
test_dev
test_with_vfs
test_bad_input
tap_done
