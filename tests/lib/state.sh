# SPDX-License-Identifier: GPL-2.0
#
# state.sh - the state a multi-step operation may change, for the fault
# injection scenarios (tests/scenarios/7*-fault-*.sh); sourced after
# tap.sh and vgpu.sh.
#
#   state            one text of: the PF's VF count, autoprobe and driver;
#                    each VF's driver and driver_override; every mdev and
#                    its type; every file of the PF's provisioning tree
#                    (byte for byte); /etc/mdevctl.d (names, modes, bytes)
#   vf_drivers       just the VFs' drivers and overrides
#   same_state DESC BEFORE AFTER
#                    ok if equal, else not ok with the difference
#   sim KNOB VALUE   sets a vgpu_sim fault-injection parameter

SIM_PARAMS=/sys/module/vgpu_sim/parameters

sim() {
	echo "$2" >"$SIM_PARAMS/$1"
}

vf_drivers() {
	local f vf d o
	for f in "$PCI/$VGPU_PF"/virtfn*; do
		[[ -e $f ]] || continue
		vf=$(basename "$(readlink "$f")")
		d=$(readlink "$PCI/$vf/driver" 2>/dev/null) || d=none
		o=$(cat "$PCI/$vf/driver_override")
		echo "vf ${f##*/} $vf driver ${d##*/} override $o"
	done
}

state() {
	local pf=$PCI/$VGPU_PF f d
	d=$(readlink "$pf/driver" 2>/dev/null) || d=none
	echo "pf numvfs $(<"$pf/sriov_numvfs") autoprobe $(<"$pf/sriov_drivers_autoprobe") driver ${d##*/}"
	vf_drivers
	for f in /sys/bus/mdev/devices/*; do
		[[ -e $f ]] || continue
		d=$(readlink "$f/mdev_type")
		echo "mdev ${f##*/} type ${d##*/}"
	done
	# Every readable file of the driver's provisioning tree, as bytes.
	[[ ! -d $pf/drm ]] || grep -r --no-messages -H '' "$pf/drm/" | sort
	if [[ -d /etc/mdevctl.d ]]; then
		find /etc/mdevctl.d -printf 'mdevctl %P %M %s\n' | sort
		grep -r --no-messages -H '' /etc/mdevctl.d | sort
	fi
}

same_state() {
	if [[ "$2" == "$3" ]]; then
		ok "$1"
	else
		not_ok "$1"
		diag "$(diff -u <(echo "$2") <(echo "$3") | tail -n +3 | head -n 40)"
	fi
}
