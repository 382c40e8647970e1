#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/completion-test.sh: the bash completion (userspace/vgpu-nl.bash)
# against a fake sysfs tree, the way bash calls it: COMP_LINE, COMP_POINT,
# COMP_WORDS split at blanks and at ':' (COMP_WORDBREAKS), COMP_CWORD.
# Run without bash-completion and again with it loaded (how it is used).
#
#   fake /sys: kernel/vgpu_nl/0000:00:02.0     the managed PF
#              bus/pci/devices/0000:00:02.0    PF, 7 VFs max, two mdev types
#              bus/pci/devices/0000:00:02.1    its VF (physfn)
#              bus/pci/devices/0000:03:00.0    a GPU the module does not manage
#              bus/mdev/devices/UUID           one mdev
# Prints TAP lines and "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/tap.sh"

sys=$(mktemp -d)
trap 'rm -rf "$sys"' EXIT
uuid=5b6e3c8a-2f1d-4e57-9a0b-6c1d2e3f4a5b
pf=$sys/bus/pci/devices/0000:00:02.0
mkdir -p "$sys/kernel/vgpu_nl/0000:00:02.0" \
	"$pf/mdev_supported_types/i915-GVTg_V5_4" \
	"$pf/mdev_supported_types/i915-GVTg_V5_8" \
	"$sys/bus/pci/devices/0000:00:02.1" \
	"$sys/bus/pci/devices/0000:03:00.0" \
	"$sys/bus/mdev/devices/$uuid" \
	"$sys/bus/pci/drivers/vfio-pci" "$sys/bus/pci/drivers/xe-vfio-pci" \
	"$sys/bus/pci/drivers/i915"
echo 1 >"$sys/kernel/vgpu_nl/version"
echo 0x030000 >"$pf/class"
echo 0x030000 >"$sys/bus/pci/devices/0000:03:00.0/class"
echo 0x030000 >"$sys/bus/pci/devices/0000:00:02.1/class"
echo 3 >"$pf/sriov_totalvfs"
ln -s ../0000:00:02.0 "$sys/bus/pci/devices/0000:00:02.1/physfn"

# complete LINE: what the completion offers at the end of LINE, sorted,
# on one line. Words are split as bash does with ':' in COMP_WORDBREAKS.
complete_line() {
	local line=$1 w
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDS=()
	for w in $(sed 's/:/ : /g' <<<"$line"); do
		COMP_WORDS+=("$w")
	done
	[[ $line == *' ' || $line == *: ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_vgpu_nl vgpu-nl "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd ' '
}

# offers LINE EXPECTED: ok if the completion of LINE is exactly EXPECTED.
offers() {
	local got
	got=$(complete_line "$1")
	if [[ $got == "$2" ]]; then
		ok "completion ($mode): '$1' -> $2"
	else
		not_ok "completion ($mode): '$1' -> $2"
		diag "got: $got"
	fi
}

cases() {
	offers 'vgpu-nl ' 'apply dev doctor help host mdev monitor reset resource save snippet type version vf'
	offers 'vgpu-nl -' '--help --json --pretty --version -V -b -batch -f -force -h -j -p'
	offers "vgpu-nl -batch $sys/ker" "$sys/kernel"
	offers "vgpu-nl -f -b $sys/kernel " ''
	offers "vgpu-nl -b $sys/kernel -" '--json --pretty -f -force -j -p'
	offers 'vgpu-nl -j d' 'dev doctor'
	offers 'vgpu-nl dev ' 'help set show'
	offers 'vgpu-nl mdev ' 'add del help show'
	offers 'vgpu-nl host ' 'apply help plan rollback'
	offers 'vgpu-nl dev show ' 'pci/0000:00:02.0'
	offers 'vgpu-nl dev set pci/0000:00:02.0 ' 'autoprobe force numvfs profile provisioning'
	offers 'vgpu-nl dev set 00:02.0 numvfs 2 ' 'autoprobe force numvfs provisioning'
	offers 'vgpu-nl dev set 00:02.0 provisioning ' 'auto custom'
	offers 'vgpu-nl dev set 00:02.0 profile ' 'exec-quantum preempt-timeout priority vram'
	offers 'vgpu-nl dev set 00:02.0 profile vram ' ''
	offers 'vgpu-nl dev set 00:02.0 numvfs ' '0 1 2 3'
	offers 'vgpu-nl dev set 00:02.0 autoprobe ' 'off on'
	offers 'vgpu-nl vf set ' 'pci/0000:00:02.1'
	offers 'vgpu-nl vf set 00:02.1 ' 'driver quota state'
	offers 'vgpu-nl vf set 00:02.1 driver ' 'default vfio vfio-pci xe-vfio-pci'
	offers 'vgpu-nl vf set 00:02.1 driver vfio ' 'quota'
	offers 'vgpu-nl vf set 00:02.1 state ' 'pause reset resume stop'
	offers 'vgpu-nl vf set 00:02.1 quota ggtt 1G ' 'contexts doorbells exec-quantum ggtt gt1-contexts gt1-doorbells gt1-exec-quantum gt1-preempt-timeout preempt-timeout priority vram'
	offers 'vgpu-nl vf set 00:02.1 quota ggtt ' ''
	offers 'vgpu-nl vf set 00:02.1 quota priority ' 'high low normal'
	offers 'vgpu-nl mdev add 00:02.0 type ' 'i915-GVTg_V5_4 i915-GVTg_V5_8'
	offers 'vgpu-nl mdev add 00:02.0 ' 'persist type uuid'
	offers 'vgpu-nl mdev del ' "$uuid"
	offers "vgpu-nl mdev del $uuid " 'force'
	offers 'vgpu-nl host plan ' 'gvt passthrough sriov'
	offers 'vgpu-nl host plan passthrough --' '--acs-override --root --windows-guest'
	offers 'vgpu-nl host apply passthrough --' '--acs-override --root --run-hooks --windows-guest'
	offers 'vgpu-nl host plan sriov --' '--driver --max-vfs --root'
	offers 'vgpu-nl host plan sriov --driver ' 'i915 xe'
	offers 'vgpu-nl host plan gvt --' '--root'
	offers 'vgpu-nl host rollback --' '--force --root --run-hooks'
	offers 'vgpu-nl snippet ' "$uuid help pci/0000:00:02.0 pci/0000:00:02.1"
	offers 'vgpu-nl snippet 00:02.0 --' '--format --index --mapping --node --root'
	offers 'vgpu-nl snippet 00:02.1 --format ' 'libvirt pve pve-mapping qemu'
	offers 'vgpu-nl snippet 00:02.0 --format pve-mapping --node ' ''
	offers 'vgpu-nl resource show --format ' 'json openmetrics text'
	offers 'vgpu-nl doctor --' '--root'
}

# Handles contain ':': what is offered is what follows the last ':' typed,
# the part bash replaces.
colon_cases() {
	offers 'vgpu-nl dev show 0000:' '00:02.0'
	offers 'vgpu-nl dev show 00:' '02.0'
	offers 'vgpu-nl vf show pci/0000:00:02.' '02.0 02.1'
	offers 'vgpu-nl vf set pci/0000:00:02.1 ' 'driver quota state'
}

# The module not loaded: the GPUs in the PCI tree are offered instead.
unloaded_cases() {
	rm -rf "$sys/kernel/vgpu_nl"
	offers 'vgpu-nl doctor ' 'help pci/0000:00:02.0 pci/0000:03:00.0'
}

__vgpu_nl_sys=$sys
check "completion: bash -n userspace/vgpu-nl.bash" bash -n "$top/userspace/vgpu-nl.bash"
# shellcheck source=/dev/null
. "$top/userspace/vgpu-nl.bash"
mode=plain
cases
colon_cases

if [ -r /usr/share/bash-completion/bash_completion ]; then
	# shellcheck source=/dev/null
	. /usr/share/bash-completion/bash_completion
	. "$top/userspace/vgpu-nl.bash"
	mode=bash-completion
	cases
	colon_cases
	unloaded_cases
else
	not_ok "completion: bash-completion is not installed (tests/deps.sh)"
fi
tap_done
