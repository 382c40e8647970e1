#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection, host setup: "vgpu-nl host apply" changes several files
# of a host (the kernel command line in /etc/default/grub, a
# modules-load.d file, for passthrough a modprobe.d file) and keeps a
# backup of each. Every file change it makes fails in turn
# (userspace/failio.so, LD_PRELOAD), and the host's tree must be as
# before, byte for byte, modes and all, with no backup left behind. Then
# a stop signal at the first, a middle and the last file change of an
# apply and of a rollback: the command finishes its files (every one as a
# whole apply leaves it, or as before it), reports, and only then ends by
# the signal.
#
# Topology: no device is used; a fake Debian root with GRUB in /tmp (the
# guest's overlay) and an Intel iGPU 0000:00:02.0 on i915 in its sysfs,
# as tests/host/hostsetup.sh makes them, worked on with --root.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

FAILIO=$VGPU_CHECKOUT/userspace/failio.so
PRISTINE=/tmp/host-pristine
ROOT=/tmp/host-root

# A Debian host with GRUB and an iGPU (tests/host/hostsetup.sh: grub_root).
make_root() {
	local r=$1 d=$1/sys/devices/pci0000:00/0000:00:02.0
	rm -rf "$r"
	mkdir -p "$r/etc/default" "$r/etc/modules-load.d" "$r/etc/modprobe.d" \
		"$d" "$r/sys/bus/pci/devices" "$r/sys/bus/pci/drivers/i915" \
		"$r/sys/kernel/iommu_groups/0/devices"
	printf 'GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX=""\n' \
		>"$r/etc/default/grub"
	chmod 0640 "$r/etc/default/grub"
	printf '# /etc/modules: kernel modules to load at boot time.\nloop\n' >"$r/etc/modules"
	echo 'options snd_hda_intel power_save=1' >"$r/etc/modprobe.d/audio.conf"
	echo 0x8086 >"$d/vendor"
	echo 0x3e92 >"$d/device"
	echo 0x030000 >"$d/class"
	echo 1 >"$d/boot_vga"
	ln -s ../../../bus/pci/drivers/i915 "$d/driver"
	ln -s ../../../kernel/iommu_groups/0 "$d/iommu_group"
	ln -s ../../../../devices/pci0000:00/0000:00:02.0 "$r/sys/kernel/iommu_groups/0/devices/0000:00:02.0"
	ln -s ../../../devices/pci0000:00/0000:00:02.0 "$r/sys/bus/pci/devices/0000:00:02.0"
}

# tree ROOT: every path with its type, mode and link target, and the
# bytes of every file (a directory's size depends on the filesystem's
# bookkeeping, not on what is in it).
tree() {
	(cd "$1" && find . -printf '%p %y %m %l\n' | sort &&
		find . -type f -exec sha256sum {} + | sort -k2)
}

# The directories where apply keeps backups, without what is in them:
# the two checks tell a file left changed from an empty directory left.
no_backup_dirs() {
	grep -Ev '^\./var(/lib(/vgpu-nl(/backup)?)?)? d '
}

# failio [-s SIG] N CMD...: CMD with the N-th file change under $ROOT
# failing or, with -s, sending CMD signal SIG there instead. FAILIO_CALLS:
# how many file changes CMD made (unset when a signal ended it).
failio() {
	local sig=0 n rc=0
	if [[ $1 == -s ]]; then
		sig=$2
		shift 2
	fi
	n=$1
	shift
	rm -f /tmp/failio.rep
	FAILIO_PREFIX=$ROOT FAILIO_NTH=$n FAILIO_SIGNAL=$sig FAILIO_REPORT=/tmp/failio.rep \
		LD_PRELOAD=$FAILIO "$@" || rc=$?
	FAILIO_CALLS=
	[[ ! -e /tmp/failio.rep ]] || read -r FAILIO_CALLS _ </tmp/failio.rep
	return $rc
}

test_mode() {
	local mode=$1 dev=$2 calls n before after
	make_root $PRISTINE
	rm -rf $ROOT
	cp -a $PRISTINE $ROOT
	before=$(tree $ROOT)
	if ! failio 0 vgpu-nl host apply "$mode" $dev --root $ROOT >/dev/null 2>/tmp/apply.err; then
		not_ok "host apply $mode on the fake root (without failures)"
		diag "$(cat /tmp/apply.err)"
		return
	fi
	calls=$FAILIO_CALLS
	check "host apply $mode changes the fake root ($calls file changes)" \
		test "$(tree $ROOT)" != "$before"
	for ((n = 1; n <= calls; n++)); do
		rm -rf $ROOT
		cp -a $PRISTINE $ROOT
		tap_run failio "$n" vgpu-nl host apply "$mode" $dev --root $ROOT
		if [[ $TAP_RC -eq 1 ]] && grep -q "^Error: cannot .*Input/output error" <<<"$TAP_ERR"; then
			ok "host apply $mode, file change $n of $calls fails: refused, naming what failed"
		else
			not_ok "host apply $mode, file change $n of $calls fails: refused, naming what failed"
			tap_show
		fi
		after=$(tree $ROOT)
		same "host apply $mode, file change $n fails: every file as before, byte for byte" \
			"$(no_backup_dirs <<<"$after")" "$(no_backup_dirs <<<"$before")"
		same "host apply $mode, file change $n fails: no backup directory left behind" \
			"$after" "$before"
		[[ $after == "$before" ]] ||
			diag "$(diff <(echo "$before") <(echo "$after") | head -n 20)"
	done
}

# The tree without apply's backups (./var/lib/vgpu-nl/backup/<time>/...).
no_backup() {
	grep -Ev '\./var(/| |$)'
}

# signal_taken DESC SIG NAME REPORT: the last "failio -s" run finished and
# printed its report (stdout starting REPORT), said it was interrupted,
# then ended by SIG.
signal_taken() {
	if [[ $TAP_RC -eq $((128 + $2)) && $TAP_OUT == "$4"* &&
		$TAP_ERR == *"interrupted ($3) once the files had changed"* ]]; then
		ok "$1: finished and reported, then the signal taken"
	else
		not_ok "$1: finished and reported, then the signal taken"
		tap_show
	fi
}

# A stop signal (^C, SIGTERM, the SIGHUP of a dropped ssh session) at the
# first, a middle or the last file change of an apply, then of a rollback:
# held back until every file is changed and the backup complete (or every
# file restored), the report printed, then taken (exit status 128+SIG).
test_signals() {
	local mode=$1 dev=$2 calls rcalls before applied i n m sig name
	local sigs=(2 15 1) names=(SIGINT SIGTERM SIGHUP)
	make_root $PRISTINE
	rm -rf $ROOT
	cp -a $PRISTINE $ROOT
	before=$(tree $ROOT | no_backup)
	failio 0 vgpu-nl host apply "$mode" $dev --root $ROOT >/dev/null 2>&1
	calls=$FAILIO_CALLS
	applied=$(tree $ROOT | no_backup)
	failio 0 vgpu-nl host rollback --root $ROOT >/dev/null 2>&1
	rcalls=$FAILIO_CALLS
	for i in 0 1 2; do
		n=$(((calls - 1) * i / 2 + 1))
		m=$(((rcalls - 1) * i / 2 + 1))
		sig=${sigs[i]} name=${names[i]}
		rm -rf $ROOT
		cp -a $PRISTINE $ROOT
		tap_run failio -s "$sig" "$n" vgpu-nl host apply "$mode" $dev --root $ROOT
		signal_taken "host apply $mode, $name at file change $n of $calls" \
			"$sig" "$name" "applied $mode, backup in "
		same "host apply $mode, $name at file change $n: every file as a whole apply leaves it" \
			"$(tree $ROOT | no_backup)" "$applied"
		same "host apply $mode, $name at file change $n: no staged copy left" \
			"$(find $ROOT -name '*.vgpu-nl-new')" ""

		tap_run failio -s "$sig" "$m" vgpu-nl host rollback --root $ROOT
		signal_taken "host rollback, $name at file change $m of $rcalls" \
			"$sig" "$name" "rolled back "
		same "host rollback, $name at file change $m: every file as before the apply" \
			"$(tree $ROOT | no_backup)" "$before"
		expect_out "^nothing to roll back" \
			"host rollback, $name at file change $m: the backup is no longer pending" \
			vgpu-nl host rollback --root $ROOT
	done
}

test_mode gvt ""
test_mode passthrough 0000:00:02.0
test_signals gvt ""
tap_done
