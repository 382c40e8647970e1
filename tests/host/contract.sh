#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/contract.sh: the netlink contract of the "vgpu" family,
# checked to the attribute (tests/host/contract.py: the YNL spec against
# the uAPI header, the module's policies, the tool's parser and the
# requests the tool sends, and the kernel's own schema), then a self-test
# of the check: a scratch copy of kmod/ with one policy bound changed, and
# a spec without the RESOURCE_GET dump filter the tool sends, must each
# make it fail, naming the difference. Prints TAP and "N passed, N failed".
#
# Kernel trees (for their Documentation/netlink schemas and tools/net/ynl):
# Debian 12's linux-source-6.12 (tests/deps.sh), extracted once into
# build/kernel-src/; and VGPU_KERNEL_SRC, a colon-separated list of
# extracted trees (default: /var/tmp/src/linux-source-* that have
# Documentation/netlink). The newest tree with tools/net/ynl/pyynl also
# generates the policies from the spec (ynl_gen_c.py), which must match.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/lib/tap.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3

# relay CMD...: CMD's TAP lines as ours; its exit status in TAP_RC.
relay() {
	local line
	"$@" >"$tmp/relay.out" 2>&1
	TAP_RC=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok [0-9]* - }" ;;
		"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$tmp/relay.out"
}

# The Debian 12 kernel source's netlink parts, once.
deb_tree() {
	local tar=/usr/src/linux-source-6.12.tar.xz dir=build/kernel-src
	[[ -f $tar ]] || return 1
	if [[ ! -f $dir/linux-source-6.12/.done || $tar -nt $dir/linux-source-6.12/.done ]]; then
		rm -rf "$dir/linux-source-6.12"
		mkdir -p "$dir"
		tar -xJf "$tar" -C "$dir" --wildcards \
			'linux-source-6.12/Documentation/netlink/*' \
			'linux-source-6.12/tools/net/ynl/*' || return 1
		touch "$dir/linux-source-6.12/.done"
	fi
	echo "$top/$dir/linux-source-6.12"
}

trees=()
if t=$(deb_tree); then
	trees+=("$t")
	ok "kernel tree: Debian's linux-source-6.12, $t"
else
	not_ok "kernel tree: Debian's linux-source-6.12 (tests/deps.sh installs it)"
fi
IFS=: read -r -a extra <<<"${VGPU_KERNEL_SRC:-$(ls -d /var/tmp/src/linux-source-*/ 2>/dev/null | tr '\n' :)}"
for t in "${extra[@]}"; do
	[[ -f $t/Documentation/netlink/genetlink-c.yaml ]] && trees+=("${t%/}")
done
gen=
for t in "${trees[@]}"; do
	[[ -f $t/tools/net/ynl/pyynl/ynl_gen_c.py ]] && gen=$t
done
echo "# kernel trees: ${trees[*]}"
[[ -n $gen ]] || echo "# no tree with tools/net/ynl/pyynl: ynl_gen_c.py not compared"

# What the tool sends: every request of the unit tests, logged.
if make -s -C userspace unit-tests >"$tmp/build.log" 2>&1 &&
   (cd userspace && VGPU_NL_REQUEST_LOG=$tmp/requests.log ./unit-tests) >"$tmp/unit.log" 2>&1; then
	ok "the unit tests ran, logging $(wc -l <"$tmp/requests.log") requests the tool sent"
else
	not_ok "the unit tests ran, logging the requests the tool sent"
	diag "$(tail -n 20 "$tmp/build.log" "$tmp/unit.log")"
fi

args=(--requests "$tmp/requests.log" --scratch "$tmp")
for t in "${trees[@]}"; do args+=(--kernel-tree "$t"); done
[[ -z $gen ]] || args+=(--generator "$gen")
relay "$py" tests/host/contract.py "${args[@]}"
[[ $TAP_RC -eq 0 ]] && ok "contract.py exits 0" || not_ok "contract.py exits 0 (status $TAP_RC)"

# mutant DESC PATTERN CMD...: CMD (the check on a changed copy) must fail
# and name the difference (the extended regex PATTERN).
mutant() {
	local desc=$1 pattern=$2
	shift 2
	"$@" >"$tmp/mutant.out" 2>&1
	if [[ $? -eq 1 ]] && grep -Eq -- "$pattern" "$tmp/mutant.out"; then
		ok "self-test: $desc"
	else
		not_ok "self-test: $desc"
		diag "expected exit status 1 and /$pattern/"
		diag "$(grep -E '^(not ok|#)' "$tmp/mutant.out" | head -n 20)"
	fi
}

# One bound changed in a scratch copy of the module's sources; the sed
# must have changed the file, or the self-test would prove nothing.
cp -r kmod "$tmp/kmod"
sed -i 's/\(\[VGPU_A_VF_DRIVER_OVERRIDE\] = { \.type = NLA_NUL_STRING, \.len = \)31 }/\132 }/' \
	"$tmp/kmod/"*.c
if grep -q 'VGPU_A_VF_DRIVER_OVERRIDE\] = { .type = NLA_NUL_STRING, .len = 32 }' "$tmp/kmod/"*.c; then
	mutant "a string bound changed in the module (VF_SET driver override 31 -> 32) fails" \
		'vf-set do: vgpu_vf_set_policy\[VGPU_A_VF_DRIVER_OVERRIDE\] is \(NLA_NUL_STRING, 32\), the spec says \(NLA_NUL_STRING, 31\)' \
		"$py" tests/host/contract.py --kmod "$tmp/kmod"
else
	not_ok "self-test: VF_SET's driver override bound found in kmod/ to change"
fi
cp -r kmod "$tmp/kmod2"
sed -i 's/\(\[VGPU_A_SRIOV_AUTOPROBE\] = NLA_POLICY_MAX(NLA_U8, \)1)/\12)/' "$tmp/kmod2/"*.c
if grep -q 'VGPU_A_SRIOV_AUTOPROBE\] = NLA_POLICY_MAX(NLA_U8, 2)' "$tmp/kmod2/"*.c; then
	mutant "an integer bound changed in a nest (DEV_SET autoprobe max 1 -> 2) fails" \
		'dev-set do dev-sriov: vgpu_sriov_set_policy\[VGPU_A_SRIOV_AUTOPROBE\] is \(NLA_U8, None, 2\), the spec says \(NLA_U8, None, 1\)' \
		"$py" tests/host/contract.py --kmod "$tmp/kmod2"
else
	not_ok "self-test: DEV_SET's autoprobe bound found in kmod/ to change"
fi
# The spec as it was before the dump filter was written down.
"$py" - "$tmp/spec.yaml" <<'PY'
import sys, yaml
spec = yaml.safe_load(open("Documentation/netlink/specs/vgpu.yaml"))
op = next(o for o in spec["operations"]["list"] if o["name"] == "resource-get")
del op["dump"]["request"]
yaml.safe_dump(spec, open(sys.argv[1], "w"), sort_keys=False)
PY
mutant "a spec without RESOURCE_GET's dump filter fails on the tool's requests" \
	"resource-get dump: sends dev-handle \(3\), which the spec's request lacks" \
	"$py" tests/host/contract.py --spec "$tmp/spec.yaml" --requests "$tmp/requests.log"
tap_done
