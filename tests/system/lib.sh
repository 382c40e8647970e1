# SPDX-License-Identifier: GPL-2.0
#
# lib.sh - what the system test's host side shares (sourced by
# tests/system/mkimage and tests/system/run.sh):
#
#   sys_mirror              Debian's registry as this host's apt sources name
#                           it (or $VGPU_MIRROR)
#   sys_with_disk DISK FN [ARGS...]
#                           mounts the root file system of the disk image
#                           DISK (partition 1 of an MBR disk, at 1 MiB) on
#                           $SYS_ROOT, with /proc, /sys, /dev/pts and a
#                           private /dev (once it has a system:
#                           sys_mount_api), and runs FN ARGS in a private mount
#                           namespace: nothing stays mounted, and the loop
#                           device is released, however FN ends
#   sys_in_root CMD...      (inside FN) runs CMD chrooted in $SYS_ROOT
#   sys_boot ...            boots a disk image once under QEMU (see there)
#
# The host's kernel here has no partition table parsers (no loop
# partitions, no device mapper), so the root partition is mounted by its
# offset; see tests/system/README.md.

: "${VGPU_CACHE:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/cache}"
export VGPU_CACHE
SYS_PART_OFFSET=$((2048 * 512))
QEMU=${QEMU:-qemu-system-x86_64}

# sys_share DIR: the guest's scripts in the 9p share DIR (guest/ and the
# TAP helpers they use).
sys_share() {
	local top
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	mkdir -p "$1/guest" "$1/tests/lib"
	cp "$top"/tests/system/guest/*.sh "$1/guest/"
	cp "$top/tests/lib/tap.sh" "$1/tests/lib/"
}

sys_mirror() {
	local m
	if [[ -n ${VGPU_MIRROR:-} ]]; then
		echo "$VGPU_MIRROR"
		return
	fi
	m=$(grep -hsoE '(URIs:|deb)[[:space:]]+https?://[^[:space:]]+/debian/?([[:space:]]|$)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '{print $2}' | head -n1)
	echo "${m:-http://deb.debian.org/debian}"
}

# The namespace's own /dev, which the root gets too: what apt, dpkg, DKMS
# and GRUB's tools use, the root file system's loop device, named
# /dev/vgpu-root, and the /dev/disk/by-uuid link udev makes on a real
# host (update-grub writes root=UUID=... only when that link exists).
# Named /dev/loopN, GRUB would take it for a file on the host's disk and
# write "loopback" lines into grub.cfg; named like a partition (vda1), it
# would look for the disk around it, which this host's kernel cannot show.
_sys_dev() {
	local loop=$1 uuid maj min
	maj=$((16#$(stat -c %t "$loop")))
	min=$((16#$(stat -c %T "$loop")))
	mount -t tmpfs -o mode=755,nosuid dev /dev
	mknod -m 666 /dev/null c 1 3
	mknod -m 666 /dev/zero c 1 5
	mknod -m 666 /dev/full c 1 7
	mknod -m 666 /dev/random c 1 8
	mknod -m 666 /dev/urandom c 1 9
	mknod -m 666 /dev/tty c 5 0
	mkdir -p /dev/pts /dev/shm /dev/disk/by-uuid
	mount -t devpts -o newinstance,ptmxmode=666 devpts /dev/pts
	ln -s pts/ptmx /dev/ptmx
	ln -s /proc/self/fd /dev/fd
	mknod -m 660 /dev/vgpu-root b "$maj" "$min"
	mknod -m 660 "$loop" b "$maj" "$min"	# for losetup -d
	uuid=$(blkid -s UUID -o value /dev/vgpu-root || true)
	[[ -z $uuid ]] || ln -s ../../vgpu-root "/dev/disk/by-uuid/$uuid"
}

sys_with_disk() {
	SYS_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vgpu-sysroot.XXXXXX")
	export SYS_ROOT
	# The function and its callers' functions go along: export -f.
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -m --propagation private -- /bin/bash -c '
		set -euo pipefail
		. "$SYS_LIB"
		disk=$1; shift
		# A loop device of our own, detached at once once mounted:
		# the kernel frees it when the file system is unmounted, that
		# is when this namespace ends, however it ends.
		loop=$(losetup -f --show -o '"$SYS_PART_OFFSET"' "$disk")
		_sys_dev "$loop"
		mount /dev/vgpu-root "$SYS_ROOT" || { losetup -d "$loop"; exit 1; }
		losetup -d "$loop"
		[[ ! -d $SYS_ROOT/proc ]] || sys_mount_api
		"$@"
	' sys_with_disk "$1" "${@:2}"
	local rc=$?
	rmdir "$SYS_ROOT" 2>/dev/null || true
	return $rc
}
SYS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh
export SYS_LIB

# sys_mount_api: /proc, /sys and /dev in $SYS_ROOT (done by sys_with_disk
# when the file system has a system already).
sys_mount_api() {
	mount -t proc proc "$SYS_ROOT/proc"
	mount -t sysfs sysfs "$SYS_ROOT/sys"
	mount --rbind /dev "$SYS_ROOT/dev"
}

sys_in_root() {
	chroot "$SYS_ROOT" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# sys_boot DISK FORMAT SHARE OUTDIR TIMEOUT [KERNEL INITRD CMDLINE]
#
# Boots DISK (FORMAT raw or qcow2) once, as the host in the issue: TCG,
# q35 with an intel-iommu (interrupt remapping), one CPU, no network, no
# legacy devices (-nodefaults: less for udev to probe; GRUB needs the VGA
# BIOS, so a VGA card stays), and
# the emulated SR-IOV PF that tests/vm/run uses (nvme 1b36:0010 behind a
# PCIe root port, 7 VFs). SeaBIOS boots the disk, that is GRUB from the
# disk's MBR; with KERNEL, INITRD and CMDLINE QEMU loads that kernel
# instead (only to install GRUB on a new image).
#
# SHARE is the guest's read-only 9p share "vgpusys". Three serial ports:
# OUTDIR/console.log (ttyS0, the console), OUTDIR/results.log (ttyS1,
# written by the stage script only) and OUTDIR/journal.log (ttyS2, the
# boot's journal). QEMU exits when the guest powers off or reboots
# (-no-reboot). Returns QEMU's status, 124 on timeout.
#
# $VGPU_QEMU_WRAP, if set, is a command QEMU runs under (a slot holder).
sys_boot() {
	local disk=$1 fmt=$2 share=$3 out=$4 timeout=$5 rc
	local -a direct=() wrap=()
	[[ $# -lt 8 ]] || direct=(-kernel "$6" -initrd "$7" -append "$8")
	[[ -z ${VGPU_QEMU_WRAP:-} ]] || read -r -a wrap <<<"$VGPU_QEMU_WRAP"
	mkdir -p "$out"
	[[ -e $out/nvme.img ]] || truncate -s 16M "$out/nvme.img"
	set +e
	# --foreground: QEMU stays in our process group, so that stopping
	# the test stops it too.
	"${wrap[@]}" timeout --foreground -k 10 "$timeout" "$QEMU" \
		-accel tcg,thread=single -cpu max -M q35,kernel-irqchip=split \
		-device intel-iommu,intremap=on \
		-m 2G -smp 1 -nodefaults -vga std -display none -no-reboot \
		-monitor none -nic none \
		-drive "file=$disk,format=$fmt,if=virtio,cache=unsafe" \
		-serial "file:$out/console.log" -serial "file:$out/results.log" \
		-serial "file:$out/journal.log" \
		-device pcie-root-port,id=rp1,slot=1 \
		-device nvme-subsys,id=s0 \
		-device nvme,id=nvme0,serial=vgpusim0,subsys=s0,bus=rp1,sriov_max_vfs=7,sriov_vq_flexible=14,sriov_vi_flexible=7,max_ioqpairs=16,msix_qsize=16 \
		-drive "file=$out/nvme.img,if=none,id=nvm0,format=raw" \
		-device nvme-ns,drive=nvm0,bus=nvme0 \
		-virtfs "local,path=$share,mount_tag=vgpusys,security_model=none,readonly=on" \
		"${direct[@]}" </dev/null >"$out/qemu.log" 2>&1
	rc=$?
	set -e
	return $rc
}
