# SPDX-License-Identifier: GPL-2.0
#
# state.sh (guest and image chroot, test only): what the system test
# compares between boots.
#
#   sim_pf          the emulated PF, 0000:BB:DD.F
#   gpu_state       the PF's VFs, mdevs and the driver's quota files, one
#                   JSON document (what is compared before and after a
#                   power-off, a kernel upgrade, a vgpu-nl upgrade)
#   host_listing    /etc, /lib/modules/*/updates and /var/lib/dkms, one
#                   line per file: type, mode, owner, size, checksum, path
#   boot_clean      checks: no failed unit, a kernel log without warnings

# Kernel log lines that fail a boot, as tests/vm/guest-init has them.
DMESG_BAD='WARNING:|BUG:|Oops|hung task|blocked for more than|general protection|Call Trace'

sim_pf() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[[ $(<"$d/vendor") == 0x1b36 && $(<"$d/device") == 0x0010 &&
		   -e $d/sriov_totalvfs ]] || continue
		echo "${d##*/}"
		return 0
	done
	return 1
}

# The sim's i915-style provisioning files of each VF, "path=value" (the
# files vgpu-nl's quotas go to).
quota_files() {
	local pf=$1 f
	for f in /sys/bus/pci/devices/"$pf"/drm/card*/prelim_iov/vf*/gt*/*; do
		[[ -f $f && -r $f ]] || continue
		printf '%s=%s\n' "${f#/sys/bus/pci/devices/"$pf"/}" "$(cat "$f" 2>/dev/null)"
	done | sort
}

gpu_state() {
	local pf=$1
	jq -cnS --argjson d "$(vgpu-nl -j dev show "pci/$pf")" \
		--argjson v "$(vgpu-nl -j vf show "pci/$pf")" \
		--argjson m "$(vgpu-nl -j mdev show)" \
		--arg q "$(quota_files "$pf")" \
		'{dev: [$d.devices[] | {handle, driver, sriov}],
		  vfs: [$v.vfs[] | {handle, pf, index, driver, driver_override, quota}] | sort_by(.index),
		  mdevs: [$m.mdevs[] | {uuid, parent, type, driver, owned}] | sort_by(.uuid),
		  quota_files: ($q | split("\n"))}'
}

host_listing() {
	local d
	for d in /etc /lib/modules/*/updates /var/lib/dkms; do
		[[ -e $d ]] || continue
		find "$d" -xdev -printf '%y %m %u:%g %s %p -> %l\n'
	done | while read -r type mode owner size path arrow target; do
		case $type in
		f) printf '%s %s %s %s %s %s\n' "$type" "$mode" "$owner" "$size" \
			"$(sha256sum <"$path" | cut -c1-16)" "$path" ;;
		l) printf '%s %s %s\n' "$type" "$path" "$target" ;;
		*) printf '%s %s %s %s\n' "$type" "$mode" "$owner" "$path" ;;
		esac
	done | sort
}

# boot_clean: two checks, in the current step.
boot_clean() {
	local failed bad
	failed=$(systemctl --failed --no-legend --plain 2>&1)
	if [[ -z $failed ]]; then
		ok "boot $(uname -r): no failed unit"
	else
		not_ok "boot $(uname -r): no failed unit"
		diag "$failed"
		diag "$(systemctl status --no-pager -l $(awk '{print $1}' <<<"$failed") 2>&1 | tail -n 40)"
	fi
	bad=$(dmesg | grep -E "$DMESG_BAD")
	if [[ -z $bad ]]; then
		ok "boot $(uname -r): kernel log without warnings"
	else
		not_ok "boot $(uname -r): kernel log without warnings"
		diag "$(dmesg | grep -E -B 5 -A 20 "$DMESG_BAD" | head -n 80)"
	fi
}
