# SPDX-License-Identifier: GPL-2.0
#
# bash completion for vgpu-nl(8): objects, commands, keywords, options, and
# the handles this host has - devices from /sys/kernel/vgpu_nl/ (PCI
# display-class functions when the module is not loaded), VFs from
# /sys/bus/pci/devices/*/physfn, mdev UUIDs from /sys/bus/mdev/devices and
# mdev types from the parent's mdev_supported_types.
#
# Installed as /usr/share/bash-completion/completions/vgpu-nl, where
# bash-completion loads it on first use; it needs nothing from
# bash-completion. Handles contain ':', at which bash splits words
# (COMP_WORDBREAKS): __vgpu_nl_words takes them back together, and the
# replies are trimmed to what follows the last ':', the part bash replaces.

# Where sysfs is; tests/completion-test.sh points it at a fake tree.
__vgpu_nl_sys=${__vgpu_nl_sys:-/sys}

# __vgpu_nl_reply WORD...: offer the WORDs that start with $cur.
__vgpu_nl_reply()
{
	local w
	for w in "$@"; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$w")
	done
}

# __vgpu_nl_bdf_forms BDF...: a handle in the forms vgpu-nl takes; only
# pci/DDDD:BB:DD.F while nothing is typed, so the list stays short.
__vgpu_nl_bdf_forms()
{
	local b
	for b in "$@"; do
		if [[ -z $cur || $cur == p* ]]; then
			__vgpu_nl_reply "pci/$b"
		else
			__vgpu_nl_reply "$b"
			[[ $b == 0000:* ]] && __vgpu_nl_reply "${b#0000:}"
		fi
	done
}

# PCI addresses of the managed devices (PFs).
__vgpu_nl_devs()
{
	local d b out=()
	for d in "$__vgpu_nl_sys"/kernel/vgpu_nl/*/; do
		b=${d%/}
		b=${b##*/}
		[[ $b == *:*:*.* ]] && out+=("$b")
	done
	if [[ ${#out[@]} -eq 0 ]]; then
		# The module is not loaded (doctor, host plan): the GPUs.
		for d in "$__vgpu_nl_sys"/bus/pci/devices/*; do
			[[ -r $d/class && ! -e $d/physfn ]] || continue
			[[ $(<"$d/class") == 0x03* ]] && out+=("${d##*/}")
		done
	fi
	printf '%s\n' "${out[@]}"
}

# PCI addresses of the SR-IOV VFs.
__vgpu_nl_vfs()
{
	local d
	for d in "$__vgpu_nl_sys"/bus/pci/devices/*/physfn; do
		[[ -e $d ]] || continue
		d=${d%/physfn}
		printf '%s\n' "${d##*/}"
	done
}

__vgpu_nl_uuids()
{
	local d
	for d in "$__vgpu_nl_sys"/bus/mdev/devices/*; do
		[[ -e $d ]] && printf '%s\n' "${d##*/}"
	done
}

# __vgpu_nl_bdf HANDLE: DDDD:BB:DD.F from any of the three forms.
__vgpu_nl_bdf()
{
	local h=${1#pci/}
	[[ $h == *:*:* ]] || h=0000:$h
	printf '%s\n' "$h"
}

# __vgpu_nl_words: COMP_WORDS with the ':' pieces joined, into words and
# cword (no vgpu-nl word has a ':' on its own or at either end).
__vgpu_nl_words()
{
	local i n w
	words=()
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		n=${#words[@]}
		if [[ $n -gt 1 && ($w == : || ${words[n - 1]} == *:) ]]; then
			words[n - 1]+=$w
		else
			words+=("$w")
		fi
		[[ $i -eq $COMP_CWORD ]] && cword=$((${#words[@]} - 1))
	done
}

# __vgpu_nl_trim: bash replaces only what follows the last ':' of the word.
__vgpu_nl_trim()
{
	local i pre
	[[ $cur == *:* ]] || return 0
	pre=${cur%"${cur##*:}"}
	for i in "${!COMPREPLY[@]}"; do
		COMPREPLY[i]=${COMPREPLY[i]#"$pre"}
	done
}

_vgpu_nl()
{
	local cur prev words cword
	__vgpu_nl_words
	cur=${words[cword]}
	prev=${words[cword - 1]}
	COMPREPLY=()

	# Global options come before the object; -batch FILE takes its place.
	local i=1 obj= cmd= oi=0 batch=
	while [[ $i -lt $cword ]]; do
		case ${words[i]} in
		-j | --json | -p | --pretty | -f | -force | --force) ;;
		-b | -batch | --batch)
			i=$((i + 1))
			batch=${words[i]:-}
			;;
		*)
			obj=${words[i]}
			oi=$i
			break
			;;
		esac
		i=$((i + 1))
	done

	case $prev in
	-b | -batch | --batch)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		[[ -z $cur || $cur == - ]] && COMPREPLY+=(-)
		return 0
		;;
	esac
	if [[ -n $batch && -z $obj ]]; then
		[[ $cur == -* ]] && __vgpu_nl_reply -j --json -p --pretty -f -force
		return 0
	fi

	if [[ -z $obj ]]; then
		if [[ $cur == -* ]]; then
			__vgpu_nl_reply -j --json -p --pretty -b -batch -f -force \
				-h --help -V --version
		else
			__vgpu_nl_reply version dev vf type mdev resource monitor \
				doctor host snippet apply save reset help
		fi
		return 0
	fi

	# Objects with commands: the word after the object is the command.
	local -a args=()
	case $obj in
	dev | vf | type | mdev | resource | host)
		if [[ $cword -eq $((oi + 1)) ]]; then
			case $obj in
			dev | vf) __vgpu_nl_reply show set help ;;
			type) __vgpu_nl_reply show help ;;
			mdev) __vgpu_nl_reply show add del help ;;
			resource) __vgpu_nl_reply show help ;;
			host) __vgpu_nl_reply plan apply rollback help ;;
			esac
			return 0
		fi
		cmd=${words[oi + 1]}
		args=("${words[@]:oi+2:cword-oi-2}")
		;;
	*)
		args=("${words[@]:oi+1:cword-oi-1}")
		;;
	esac
	local nargs=${#args[@]}

	# Values of options and keywords first.
	case $prev in
	--root)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0
		;;
	--format)
		case $obj in
		snippet) __vgpu_nl_reply libvirt pve qemu pve-mapping ;;
		resource) __vgpu_nl_reply text json openmetrics ;;
		esac
		return 0
		;;
	--index | --mapping | --node | uuid | ggtt | contexts | doorbells | vram | exec-quantum | \
	gt1-contexts | gt1-doorbells | gt1-exec-quantum | gt1-preempt-timeout | \
	preempt-timeout)
		return 0
		;;
	autoprobe)
		__vgpu_nl_reply on off
		return 0
		;;
	provisioning)
		__vgpu_nl_reply auto custom
		return 0
		;;
	state)
		__vgpu_nl_reply stop pause resume reset
		return 0
		;;
	--driver)
		__vgpu_nl_reply i915 xe
		return 0
		;;
	--max-vfs)
		return 0
		;;
	priority)
		__vgpu_nl_reply low normal high
		return 0
		;;
	esac

	case $obj/$cmd in
	version/ | monitor/)
		[[ $nargs -eq 0 ]] && __vgpu_nl_reply help
		;;
	dev/show | type/show | mdev/show)
		[[ $nargs -eq 0 ]] && __vgpu_nl_bdf_forms $(__vgpu_nl_devs)
		;;
	dev/set)
		if [[ $nargs -eq 0 ]]; then
			__vgpu_nl_bdf_forms $(__vgpu_nl_devs)
		elif [[ $prev == numvfs ]]; then
			local tot b
			b=$(__vgpu_nl_bdf "${args[0]}")
			tot=$(cat "$__vgpu_nl_sys/bus/pci/devices/$b/sriov_totalvfs" \
				2>/dev/null)
			[[ $tot =~ ^[0-9]+$ ]] && __vgpu_nl_reply $(seq 0 "$tot")
		elif [[ ${args[1]:-} == profile ]]; then
			# KEY VALUE pairs: a key is due after every value.
			[[ $(((nargs - 2) % 2)) -eq 0 ]] &&
				__vgpu_nl_reply exec-quantum preempt-timeout priority vram
		else
			__vgpu_nl_reply numvfs autoprobe provisioning force
			[[ $nargs -eq 1 ]] && __vgpu_nl_reply profile
		fi
		;;
	vf/show)
		[[ $nargs -eq 0 ]] &&
			__vgpu_nl_bdf_forms $(__vgpu_nl_devs) $(__vgpu_nl_vfs)
		;;
	vf/set)
		if [[ $nargs -eq 0 ]]; then
			__vgpu_nl_bdf_forms $(__vgpu_nl_vfs)
		elif [[ $nargs -eq 1 ]]; then
			__vgpu_nl_reply driver quota state
		elif [[ ${args[1]} == driver ]]; then
			if [[ $nargs -eq 2 ]]; then
				local d
				__vgpu_nl_reply vfio vfio-pci default
				# Loaded VFIO variants (vfio_pci_core users).
				for d in "$__vgpu_nl_sys"/bus/pci/drivers/*vfio*; do
					[[ -e $d ]] || continue
					d=${d##*/}
					[[ $d == vfio-pci ]] || __vgpu_nl_reply "$d"
				done
			elif [[ $nargs -eq 3 ]]; then
				__vgpu_nl_reply quota
			fi
		elif [[ ${args[1]} == quota && $(((nargs - 2) % 2)) -eq 0 ]]; then
			# KEY VALUE pairs: a key is due after every value.
			__vgpu_nl_reply ggtt contexts doorbells vram \
				exec-quantum preempt-timeout priority \
				gt1-contexts gt1-doorbells gt1-exec-quantum \
				gt1-preempt-timeout
		fi
		;;
	mdev/add)
		if [[ $nargs -eq 0 ]]; then
			__vgpu_nl_bdf_forms $(__vgpu_nl_devs)
		elif [[ $prev == type ]]; then
			local t b
			b=$(__vgpu_nl_bdf "${args[0]}")
			for t in "$__vgpu_nl_sys"/bus/pci/devices/"$b"/mdev_supported_types/*; do
				[[ -e $t ]] && __vgpu_nl_reply "${t##*/}"
			done
		else
			__vgpu_nl_reply type uuid persist
		fi
		;;
	mdev/del)
		if [[ $nargs -eq 0 ]]; then
			__vgpu_nl_reply $(__vgpu_nl_uuids)
		elif [[ $nargs -eq 1 ]]; then
			__vgpu_nl_reply force
		fi
		;;
	resource/show)
		if [[ $cur == -* ]]; then
			__vgpu_nl_reply --format
		else
			[[ $nargs -eq 0 ]] && __vgpu_nl_bdf_forms $(__vgpu_nl_devs)
		fi
		;;
	host/plan | host/apply)
		if [[ $nargs -eq 0 ]]; then
			__vgpu_nl_reply gvt sriov passthrough
		elif [[ $cur == -* ]]; then
			__vgpu_nl_reply --root
			[[ ${args[0]} == passthrough ]] &&
				__vgpu_nl_reply --windows-guest --acs-override
			[[ ${args[0]} == sriov ]] &&
				__vgpu_nl_reply --driver --max-vfs
			[[ $cmd == apply ]] && __vgpu_nl_reply --run-hooks
		elif [[ $nargs -eq 1 ]]; then
			__vgpu_nl_bdf_forms $(__vgpu_nl_devs)
		fi
		;;
	host/rollback)
		__vgpu_nl_reply --root --force --run-hooks
		;;
	doctor/)
		if [[ $cur == -* ]]; then
			__vgpu_nl_reply --root
		elif [[ $nargs -eq 0 ]]; then
			__vgpu_nl_reply help
			__vgpu_nl_bdf_forms $(__vgpu_nl_devs)
		fi
		;;
	snippet/)
		if [[ $nargs -eq 0 ]]; then
			__vgpu_nl_reply help $(__vgpu_nl_uuids)
			__vgpu_nl_bdf_forms $(__vgpu_nl_vfs) $(__vgpu_nl_devs)
		else
			__vgpu_nl_reply --format --index --mapping --node --root
		fi
		;;
	apply/ | save/)
		if [[ $nargs -eq 0 ]]; then
			__vgpu_nl_reply help
			compopt -o filenames 2>/dev/null
			COMPREPLY+=($(compgen -f -- "$cur"))
		fi
		;;
	reset/)
		[[ $nargs -eq 0 ]] && __vgpu_nl_bdf_forms $(__vgpu_nl_devs)
		;;
	esac
	__vgpu_nl_trim
	return 0
}

complete -F _vgpu_nl vgpu-nl
