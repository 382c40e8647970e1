#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/system/run.sh [-i SUITE]... (make system-test): vgpu-nl on a real
# host, end to end, as an admin lives with it - on a Debian 12 (bookworm)
# and a Debian 13 (trixie) disk image, both at once, one TCG guest each.
#
#   -i SUITE   only this image (bookworm or trixie; may be repeated)
#   -r STAGE   (working on the test) boot the last run's disk again from
#              STAGE on (installed, configured, restored, new-kernel,
#              no-config, clean), with the guest scripts of the checkout
#
# Topology, per image:
#
#   tests/system/mkimage SUITE      cached base image: debootstrap, kernel
#        |                          + headers, DKMS, GRUB on its own disk
#        v  copy
#   RUN/disk.img --- chroot on the host: the simulated vGPU built for the
#        |           image's kernels (test only), step 1 (apt install)
#        v
#   QEMU (TCG, q35, intel-iommu, the emulated SR-IOV PF 1b36:0010), one
#   boot per stage, each through the image's own GRUB:
#     ttyS0 -> RUN/boot-N/console.log    the console
#     ttyS1 -> RUN/boot-N/results.log    the stage's results (only the
#                                        stage script writes there)
#     ttyS2 -> RUN/boot-N/journal.log    journalctl -b of that boot
#     9p "vgpusys" <- RUN/share          the guest's scripts (guest/), the
#                                        README, the packages, the sims
#
# The scenario (tests/system/guest/steps.sh) is issue 12's: 1 apt install
# of `make deb`'s packages, 2 boot, 3 the README's recipes copied from
# README.md, 4 power-off and restore, 5 a kernel upgrade, 6 a vgpu-nl
# upgrade, 7 rollback and purge; and O (apply before VM services), H (a
# kernel without headers), D (no config file). One TAP line per step and
# image, the step's checks as comments above it; on a failure the last
# lines of every boot's console and the failing boot's journal. Ends with
# "N passed, N failed"; exit status 1 on any failure.
#
# RUN is $VGPU_CACHE/system/run-SUITE, kept until the next run (the disk
# image is removed when the image passed). $VGPU_QEMU_WRAP, if set, is a
# command each QEMU runs under (e.g. a slot holder).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$HERE/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$HERE/lib.sh"
# shellcheck source=tests/system/suites.sh
. "$HERE/suites.sh"

STAGES=(installed configured restored new-kernel no-config clean)
# Seconds per boot before QEMU is stopped: far above what each takes on
# a loaded two-core machine (the README has the figures).
declare -A TIMEOUT=([installed]=1800 [configured]=1200 [restored]=3000
	[new-kernel]=3600 [no-config]=1800 [clean]=900)
STEPS=(1 2 3 4 O H 5 6 D 7)
declare -A STEP_DESC=(
	[1]="step 1: apt install ./vgpu-nl-dkms_*.deb ./vgpu-nl_*.deb, DKMS builds vgpu_nl"
	[2]="step 2: boot: vgpu_nl loads from modules-load.d, doctor runs"
	[3]="step 3: the README's GVT-g and SR-IOV recipes, from README.md"
	[4]="step 4: power off, boot: apply restores VFs, drivers, quotas, mdevs"
	[O]="ordering: vgpu-nl-apply.service ran before the VM service"
	[H]="headers missing: doctor names the kernel and the fix; installing them builds"
	[5]="step 5: kernel upgrade with apt, DKMS through its hook, same state"
	[6]="step 6: vgpu-nl upgrade with VFs and mdevs: state kept, mdevs still owned"
	[D]="no config: boot without /etc/vgpu-nl/vgpu-nl.conf leaves the GPU default"
	[7]="step 7: host rollback, apt purge, reboot: /etc, updates, dkms as before"
)
# The stages each step has checks in: all must have run to the end.
declare -A STEP_STAGES=([1]=chroot [2]=installed [3]="installed configured"
	[4]=restored [O]=restored [H]=restored [5]="restored new-kernel"
	[6]=new-kernel [D]="new-kernel no-config" [7]="chroot no-config clean")

IMAGES=()
RESUME=
# Progress, on the terminal also while an image's run writes to its log.
log() { echo "system: $*" >&"${PROGRESS_FD:-2}"; }

usage() {
	sed -n '4,8s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

# The packages: `make deb`'s, and the same tree at a newer version for
# step 6 (built from a copy, with dkms.conf, the changelog and the man
# page at NEXT).
build_packages() {
	local out=$1 next=$2 copy date
	mkdir -p "$out/debs" "$out/debs-next"
	"$top/scripts/mkdeb.sh" >"$out/debs.list" 2>"$out/debs.log" || return 1
	xargs -a "$out/debs.list" cp -t "$out/debs/"
	copy=$(mktemp -d "${TMPDIR:-/tmp}/vgpu-next.XXXXXX")
	tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$copy" -xf -
	sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$next\"/" "$copy/dkms.conf"
	sed -i "s/\"vgpu\\\\-nl $VERSION\"/\"vgpu\\\\-nl $next\"/" "$copy/doc/vgpu-nl.8"
	date=$(date -R)
	{
		printf 'vgpu-nl (%s) bookworm; urgency=medium\n\n' "$next"
		printf '  * The system test'"'"'s upgrade: the same tree, a newer version.\n\n'
		printf ' -- vgpu-nl maintainers <vgpu-nl@localhost>  %s\n\n' "$date"
		cat "$copy/debian/changelog"
	} >"$copy/debian/changelog.new"
	mv "$copy/debian/changelog.new" "$copy/debian/changelog"
	make -s -C "$copy/userspace" clean >/dev/null 2>&1
	if ! "$copy/scripts/mkdeb.sh" >"$out/debs-next.list" 2>"$out/debs-next.log"; then
		rm -rf "$copy"
		return 1
	fi
	xargs -a "$out/debs-next.list" cp -t "$out/debs-next/"
	rm -rf "$copy"
}

# In the run disk's chroot (sys_with_disk): the simulated vGPU for each
# kernel the image has or will have, then step 1 (steps.sh: stage_chroot).
sim_build() {
	local root=$1 k=$2
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -ec "
		rm -rf /tmp/vgpu-sim
		cp -r /run/vgpu-systest/sim-src /tmp/vgpu-sim
		make -s -C /lib/modules/$k/build M=/tmp/vgpu-sim modules
		mkdir -p /run/vgpu-systest/sim/$k
		cp /tmp/vgpu-sim/vgpu_sim.ko /run/vgpu-systest/sim/$k/
		rm -rf /tmp/vgpu-sim"
}

chroot_part() {
	local ovl=$RUN/ovl k headers
	local -a upgrade
	read -r -a upgrade <<<"$UPGRADE_S"
	# /run is a tmpfs, as when the image boots: nothing of this is left.
	mount -t tmpfs -o mode=755 run "$SYS_ROOT/run"
	mkdir "$SYS_ROOT/run/vgpu-systest"
	mount --bind "$RUN/share" "$SYS_ROOT/run/vgpu-systest"
	for k in $(ls "$SYS_ROOT/lib/modules"); do
		[[ -e $SYS_ROOT/lib/modules/$k/build ]] || continue
		echo "sim: building vgpu_sim for $k"
		sim_build "$SYS_ROOT" "$k" || return 1
	done
	# The next kernel's headers, from apt's cache, in a throw-away layer:
	# the image gets them only in step 5.
	echo "sim: the next kernel's headers in an overlay"
	mkdir -p "$ovl/upper" "$ovl/work" "$ovl/root"
	mount -t overlay overlay -o "lowerdir=$SYS_ROOT,upperdir=$ovl/upper,workdir=$ovl/work" "$ovl/root"
	mount -t proc proc "$ovl/root/proc"
	mount --rbind /dev "$ovl/root/dev"
	# No boot files for a kernel this layer will not boot.
	rm -f "$ovl/root/etc/kernel/postinst.d/zz-update-grub" \
		"$ovl/root/etc/kernel/postinst.d/initramfs-tools"
	mkdir -p "$ovl/root/run/vgpu-systest"
	mount --bind "$RUN/share" "$ovl/root/run/vgpu-systest"
	# Only the versioned headers package(s) the meta package would bring:
	# the kernel's own packages would run update-grub, which an overlay
	# cannot serve.
	headers=$(chroot "$ovl/root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		apt-get install -s --no-install-recommends "${upgrade[@]}" "$UPGRADE_HEADERS" |
		awk '$1 == "Inst" && $2 ~ /^linux-headers-[0-9]+\.[0-9]+\.[0-9]+.*-amd64$/ {print $2}')
	[[ -n $headers ]] || { echo "sim: no versioned headers package for $UPGRADE_HEADERS"; return 1; }
	# shellcheck disable=SC2086 # package names
	chroot "$ovl/root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${upgrade[@]}" $headers || return 1
	for k in $(ls "$ovl/root/lib/modules"); do
		[[ -e $ovl/root/lib/modules/$k/build && ! -e $RUN/share/sim/$k ]] || continue
		echo "sim: building vgpu_sim for $k (the next kernel)"
		sim_build "$ovl/root" "$k" || return 1
	done
	umount -R "$ovl/root"
	rm -rf "$ovl"
	# Test only, before step 1's listing: the simulated vGPU is an nvme
	# PF (class 0108), not a display-class function, so vgpu_nl manages
	# it by id, as the VM test bed's insmod does (a real GPU needs none).
	printf '%s\n' "# vgpu-nl system test only: manage the simulated vGPU (nvme 1b36:0010)" \
		"options vgpu_nl extra_ids=1b36:0010" >"$SYS_ROOT/etc/modprobe.d/vgpu-systest.conf"
	echo chroot >"$RUN/share/stage"
	sys_in_root env VGPU_SYSTEST_CHROOT=1 bash /run/vgpu-systest/guest/stage.sh
}

# The guest's uptime at its last kernel message: how long it ran.
guest_secs() {
	tr -d '\r' <"$1" | sed -n 's/^\[ *\([0-9]*\)\.[0-9]*\].*/\1/p' | tail -n1
}

# run_image SUITE: the whole scenario on one image; everything in RUN.
run_image() {
	local suite=$1 base n=0 stage rc t0 qrc
	RUN=$VGPU_CACHE/system/run-$suite
	suite_vars "$suite"
	[[ -z $RESUME ]] || { resume_image "$suite"; return; }
	rm -rf "$RUN"
	mkdir -p "$RUN/share/out" "$RUN/share/sim"
	SECONDS=0
	base=$("$HERE/mkimage" "$suite") || { echo "ABORT mkimage" >>"$RUN/share/out/results.log"; return 1; }
	echo "TIME image $SECONDS" >>"$RUN/times"
	t0=$SECONDS
	cp --sparse=always "$base" "$RUN/disk.img"
	sys_share "$RUN/share"
	cp "$top/README.md" "$RUN/share/"
	cp -r "$top/tests/sim" "$RUN/share/sim-src"
	cp -r "$PKGS/debs" "$PKGS/debs-next" "$RUN/share/"
	{
		printf 'SUITE=%s\nHOST_MODE=%s\nVERSION=%q\nNEXT_VERSION=%q\n' \
			"$suite" "$HOST_MODE" "$VERSION" "$NEXT"
		printf 'UPGRADE_APT=%q\nUPGRADE_IMAGE=%q\nUPGRADE_HEADERS=%q\n' \
			"${UPGRADE_APT[*]}" "$UPGRADE_IMAGE" "$UPGRADE_HEADERS"
	} >"$RUN/share/params"
	export RUN UPGRADE_S="${UPGRADE_APT[*]}" UPGRADE_HEADERS
	export -f chroot_part sim_build
	log "$suite: chroot (simulated vGPU, step 1)"
	sys_with_disk "$RUN/disk.img" chroot_part >"$RUN/chroot.log" 2>&1
	rc=$?
	grep -q '^STAGE-END chroot rc=0$' "$RUN/share/out/results.log" || rc=1
	echo "TIME chroot $((SECONDS - t0))" >>"$RUN/times"
	if [[ $rc -ne 0 ]]; then
		echo "ABORT chroot" >>"$RUN/share/out/results.log"
		return 1
	fi
	cp "$RUN/share/out/listing.before" "$RUN/share/out/packages.before" "$RUN/share/"
	boots 0
}

# boots FIRST: the boots from stage number FIRST (0-based) on.
boots() {
	local n=$1 stage t0 qrc
	for stage in "${STAGES[@]:$n}"; do
		n=$((n + 1))
		echo "$stage" >"$RUN/share/stage"
		echo "BOOT $n $stage" >>"$RUN/boots"
		log "$suite: boot $n: $stage"
		t0=$SECONDS
		sys_boot "$RUN/disk.img" raw "$RUN/share" "$RUN/boot-$n" "${TIMEOUT[$stage]}"
		qrc=$?
		# Wall time includes waiting for a slot ($VGPU_QEMU_WRAP); the
		# guest's own clock says how long it ran.
		echo "TIME boot-$n-$stage $((SECONDS - t0)) (guest up $(guest_secs "$RUN/boot-$n/console.log") s)" \
			>>"$RUN/times"
		log "$suite: boot $n: $stage: $((SECONDS - t0)) s"
		tr -d '\r' <"$RUN/boot-$n/results.log" >>"$RUN/share/out/results.log"
		if [[ $qrc -ne 0 ]]; then
			echo "ABORT $stage qemu=$qrc" >>"$RUN/share/out/results.log"
			return 1
		fi
		tr -d '\r' <"$RUN/boot-$n/results.log" | grep -q "^STAGE-END $stage rc=0$" ||
			return 1
	done
	rm -f "$RUN/disk.img"
}

# For working on the test itself (-r STAGE): the last run's disk and
# results, its guest scripts refreshed, boots from STAGE on.
resume_image() {
	local i n
	[[ -e $RUN/disk.img ]] || { echo "no $RUN/disk.img to resume" >&2; return 1; }
	for i in "${!STAGES[@]}"; do
		[[ ${STAGES[$i]} == "$RESUME" ]] && break
	done
	sys_share "$RUN/share"
	cp "$top/README.md" "$RUN/share/"
	cp -r "$PKGS/debs" "$PKGS/debs-next" "$RUN/share/"
	# The results up to STAGE: the chroot's, then those of each boot.
	sed -i '/^STAGE-END chroot /q' "$RUN/share/out/results.log"
	for ((n = 1; n <= i; n++)); do
		tr -d '\r' <"$RUN/boot-$n/results.log" >>"$RUN/share/out/results.log"
	done
	sed -i "/ $RESUME\$/,\$d" "$RUN/boots"
	boots "$i"
}

# report SUITE: one TAP line per step, its checks above it.
report() {
	local suite=$1 res s st ok bad missing desc line failed=0 n
	RUN=$VGPU_CACHE/system/run-$suite
	res=$RUN/share/out/results.log
	for s in "${STEPS[@]}"; do
		missing=
		for st in ${STEP_STAGES[$s]}; do
			grep -q "^STAGE-END $st rc=" "$res" 2>/dev/null || missing+=" $st"
		done
		ok=$(grep -c "^STEP $s ok " "$res" 2>/dev/null)
		bad=$(grep -c "^STEP $s not ok " "$res" 2>/dev/null)
		grep -a "^STEP $s " "$res" 2>/dev/null | sed "s/^STEP $s /# /"
		desc="$suite ${STEP_DESC[$s]}"
		TAP_N=$((TAP_N + 1))
		if [[ -z $missing && $bad -eq 0 && $ok -gt 0 ]]; then
			echo "ok $TAP_N - $desc ($ok checks)"
		else
			failed=1
			TAP_FAILED=$((TAP_FAILED + 1))
			if [[ -n $missing ]]; then
				echo "not ok $TAP_N - $desc (not reached:$missing)"
			else
				echo "not ok $TAP_N - $desc ($bad of $((ok + bad)) checks failed)"
			fi
		fi
	done
	grep -a '^ABORT' "$res" 2>/dev/null | sed 's/^/# /'
	sed 's/^TIME /# time: /' "$RUN/times" 2>/dev/null
	if [[ $failed -eq 1 ]]; then
		[[ ! -s $RUN/chroot.log ]] || { echo "# --- $suite: the chroot's log, last lines"; tail -n 30 "$RUN/chroot.log" | sed 's/^/#   /'; }
		while read -r _ n st; do
			echo "# --- $suite: boot $n ($st): last lines of the serial console"
			tr -d '\r' <"$RUN/boot-$n/console.log" | tail -n 40 | sed 's/^/#   /'
			[[ ! -s $RUN/boot-$n/qemu.log ]] || sed 's/^/#   qemu: /' "$RUN/boot-$n/qemu.log"
			line=$n
		done < <(cat "$RUN/boots" 2>/dev/null)
		if [[ -n ${line:-} ]]; then
			echo "# --- $suite: journalctl -b of boot $line, the failing one: last lines"
			if [[ -s $RUN/boot-$line/journal.log ]]; then
				tr -d '\r' <"$RUN/boot-$line/journal.log" | tail -n 80 | sed 's/^/#   /'
			else
				echo "#   (none: the boot did not reach the end of its stage; see its console)"
			fi
		fi
		echo "# --- $suite: everything is in $RUN"
	fi
}

main() {
	local s pid
	local -A pids=()
	while [[ $# -gt 0 ]]; do
		case $1 in
		-i) [[ $# -ge 2 ]] || usage; IMAGES+=("$2"); shift ;;
		-r) [[ $# -ge 2 ]] || usage; RESUME=$2; shift ;;
		-h|--help) sed -n '4,40s/^# \{0,1\}//p' "$0"; exit 0 ;;
		*) usage ;;
		esac
		shift
	done
	[[ ${#IMAGES[@]} -gt 0 ]] || IMAGES=(bookworm trixie)
	. "$top/tests/lib/tap.sh"
	if [[ $(id -u) -ne 0 ]]; then
		not_ok "system test: needs root (debootstrap, chroot, loop devices)"
		tap_done
		exit 1
	fi
	for s in "${IMAGES[@]}"; do
		suite_vars "$s" || usage
	done
	VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
	NEXT=$VERSION+systest1
	PKGS=$VGPU_CACHE/system/packages
	rm -rf "$PKGS"
	SECONDS=0
	log "make deb ($VERSION), and $NEXT for the upgrade"
	if ! build_packages "$PKGS" "$NEXT"; then
		not_ok "system test: building the packages failed"
		tail -n 20 "$PKGS"/debs*.log | sed 's/^/# /'
		tap_done
		exit 1
	fi
	log "packages built in $SECONDS s"
	export VERSION NEXT PKGS RESUME
	exec {PROGRESS_FD}>&2
	export PROGRESS_FD
	for s in "${IMAGES[@]}"; do
		run_image "$s" >"$VGPU_CACHE/system/run-$s.log" 2>&1 &
		pids[$s]=$!
	done
	for s in "${IMAGES[@]}"; do
		wait "${pids[$s]}"
	done
	for s in "${IMAGES[@]}"; do
		report "$s"
	done
	echo "# system test: $SECONDS s in all"
	tap_done
}

main "$@"
