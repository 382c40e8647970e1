#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/hostsetup.sh: "vgpu-nl host" and "vgpu-nl snippet" on fake
# roots, on the build host (no VM, no module). Runs the tool under
# valgrind when it is there (leaks are errors), prints TAP and
# "N passed, N failed".
#
# Fake roots, each a fresh temporary directory:
#   grub_root   Debian with GRUB: /etc/default/grub (mode 0640, a GVT-g
#               tutorial's leftovers on the command line), /etc/modules
#               with vfio, an iGPU 0000:00:02.0 8086:a7a0 on i915 (boot VGA)
#   pve_root    Proxmox VE with systemd-boot: /etc/kernel/cmdline and
#               proxmox-boot-uuids (and a /etc/default/grub it must not
#               use); a discrete 10de:1b80 at 0000:01:00.0 on nouveau with
#               its audio 0000:01:00.1 in IOMMU group 1, behind a bridge
#   snip_root   sysfs for snippet: a PF 0000:01:00.0 with 2 VFs, an iGPU
#               0000:00:02.0 with a GVT-g mdev of type i915-GVTg_V5_4
#   leftover    grub_root plus the /etc/kernel/cmdline kernel-install
#               leaves on GRUB hosts, and a /proc/cmdline for doctor
#   xe_root     GRUB, a Battlemage 0000:03:00.0 (8086:e20b, 24 VFs) on xe
#               and a Tiger Lake iGPU 0000:00:02.0 (8086:9a49) on i915,
#               running kernel KVER (/proc/sys/kernel/osrelease) with
#               configfs (/sys/kernel/config)
#   intel_n100, amd_nvidia, twin_nvidia   the whole-GPU passthrough hosts
#               of tests/host/passthrough-roots.sh (see there)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
VGPU_CHECKOUT=$top VGPU_KVER=none
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/vgpu.sh"

tool=$top/userspace/vgpu-nl
if command -v valgrind >/dev/null && [ -z "${VGPU_NO_VALGRIND:-}" ]; then
	vg=(valgrind -q --leak-check=full --show-leak-kinds=all
	    --errors-for-leak-kinds=all --error-exitcode=99)
else
	vg=()
fi
vgpu() { "${vg[@]}" "$tool" "$@"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/host/passthrough-roots.sh"
UUID=6f2a7c62-3c8e-4e43-9d1b-2f0a5b0c7e11

# pci_fn ROOT NAME VENDOR DEVICE CLASS [DRIVER [BOOT_VGA]]: a PCI function
# in sysfs' shape: the device under devices/pci0000:00, a bus link to it.
pci_fn() {
	local root=$1 name=$2 d=$1/sys/devices/pci0000:00/$2
	mkdir -p "$d" "$root/sys/bus/pci/devices" "$root/sys/bus/pci/drivers/${6:-none}"
	echo "$3" >"$d/vendor"
	echo "$4" >"$d/device"
	echo "$5" >"$d/class"
	echo "${7:-0}" >"$d/boot_vga"
	[ -n "${6:-}" ] && ln -s "../../../bus/pci/drivers/$6" "$d/driver"
	ln -s "../../../devices/pci0000:00/$name" "$root/sys/bus/pci/devices/$name"
}

grub_root() {
	local r=$tmp/$1
	rm -rf "$r"
	mkdir -p "$r/etc/default" "$r/etc/modules-load.d" "$r/etc/modprobe.d"
	cat >"$r/etc/default/grub" <<'G'
# If you change this file, run 'update-grub' afterwards.
GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT="quiet i915.enable_gvt=1 i915.enable_guc=2"
GRUB_CMDLINE_LINUX=""

# Uncomment to disable graphical terminal
#GRUB_TERMINAL=console
G
	chmod 0640 "$r/etc/default/grub"
	printf '# /etc/modules: kernel modules to load at boot time.\nloop\nvfio\n' >"$r/etc/modules"
	ln -s ../modules "$r/etc/modules-load.d/modules.conf"
	echo 'options snd_hda_intel power_save=1' >"$r/etc/modprobe.d/audio.conf"
	pci_fn "$r" 0000:00:02.0 0x8086 0xa7a0 0x030000 i915 1
	pci_fn "$r" 0000:00:1f.3 0x8086 0x51c8 0x040380 snd_hda_intel
	echo "$r"
}

pve_root() {
	local r=$tmp/$1 g
	rm -rf "$r"
	mkdir -p "$r/etc/default" "$r/etc/kernel" "$r/etc/modules-load.d" "$r/etc/modprobe.d"
	printf 'root=ZFS=rpool/ROOT/pve-1 boot=zfs\n' >"$r/etc/kernel/cmdline"
	printf 'ABCD-1234\n' >"$r/etc/kernel/proxmox-boot-uuids"
	printf 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n' >"$r/etc/default/grub"
	printf '# /etc/modules\n' >"$r/etc/modules"
	pci_fn "$r" 0000:00:01.0 0x8086 0x1901 0x060400 pcieport
	pci_fn "$r" 0000:01:00.0 0x10de 0x1b80 0x030000 nouveau
	pci_fn "$r" 0000:01:00.1 0x10de 0x10f0 0x040300 snd_hda_intel
	g=$r/sys/kernel/iommu_groups/1
	mkdir -p "$g/devices"
	for f in 0000:00:01.0 0000:01:00.0 0000:01:00.1; do
		ln -s "../../../../devices/pci0000:00/$f" "$g/devices/$f"
	done
	for f in 0000:01:00.0 0000:01:00.1; do
		ln -s ../../../kernel/iommu_groups/1 "$r/sys/devices/pci0000:00/$f/iommu_group"
	done
	echo "$r"
}

# xe_root NAME KVER: see above.
xe_root() {
	local r=$tmp/$1
	rm -rf "$r"
	mkdir -p "$r/etc/default" "$r/etc/modules-load.d" "$r/etc/modprobe.d" \
		"$r/proc/sys/kernel" "$r/sys/kernel/config"
	printf 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n' >"$r/etc/default/grub"
	printf '# /etc/modules\nvfio\n' >"$r/etc/modules"
	echo "$2" >"$r/proc/sys/kernel/osrelease"
	pci_fn "$r" 0000:00:02.0 0x8086 0x9a49 0x030000 i915 1
	pci_fn "$r" 0000:03:00.0 0x8086 0xe20b 0x030000 xe
	echo 24 >"$r/sys/devices/pci0000:00/0000:03:00.0/sriov_totalvfs"
	echo "$r"
}

# tree ROOT: every path but the backups, with its mode and content hash,
# so that two trees compare byte for byte and mode for mode.
tree() {
	(cd "$1" && find . -path ./var -prune -o -print | sort | while read -r p; do
		if [ -f "$p" ] && [ ! -L "$p" ]; then
			printf '%s %s %s\n' "$p" "$(stat -c %a "$p")" "$(sha256sum <"$p" | cut -c1-16)"
		else
			printf '%s %s %s\n' "$p" "$(stat -c %a "$p")" "$(readlink "$p")"
		fi
	done)
}

# same_file DESC FILE EXPECTED-TEXT
same_file() {
	if printf '%s' "$3" | cmp -s - "$2"; then
		ok "$1"
	else
		not_ok "$1"
		diag "$(printf '%s' "$3" | diff -u - "$2" 2>&1)"
	fi
}

pending() { ls "$1"/var/lib/vgpu-nl/backup/*/manifest 2>/dev/null | wc -l; }

# cycle NAME ROOT MODE FILE EXPECTED MODFILE EXPECTED: plan, apply as
# planned, apply again, rollback to byte-identical. MODE may carry a DEV
# and options ("passthrough 01:00.0 --windows-guest").
cycle() {
	local name=$1 r=$2 before planned plan
	local -a args
	read -ra args <<<"$3"
	local mode=${args[0]}
	before=$(tree "$r")
	cp -a "$r" "$tmp/planned"
	check "$name: host plan $3" vgpu host plan "${args[@]}" --root "$r"
	plan=$TAP_OUT
	same "$name: plan changes nothing" "$(tree "$r")" "$before"
	check "$name: the plan is a patch that applies (patch -p1)" \
		patch -s -p1 -d "$tmp/planned" -i <(printf '%s\n' "$plan")
	check "$name: host apply $3" vgpu host apply "${args[@]}" --root "$r"
	expect_out '^Now run .*update-initramfs -u' "$name: apply says what to run" \
		printf '%s\n' "$TAP_OUT"
	same_file "$name: $4 as expected" "$r$4" "$5"
	same_file "$name: $6 as expected" "$r$6" "$7"
	same "$name: apply made exactly the planned files" "$(tree "$r")" "$(tree "$tmp/planned")"
	rm -rf "$tmp/planned"
	same "$name: one pending backup" "$(pending "$r")" 1
	local after
	after=$(tree "$r")
	expect_out "^nothing to change: this host is already set up for $mode" \
		"$name: a second apply changes nothing and says so" vgpu host apply "${args[@]}" --root "$r"
	same "$name: and leaves the files alone" "$(tree "$r")" "$after"
	same "$name: and makes no backup" "$(pending "$r")" 1
	expect_out "^# nothing to change" "$name: plan after apply: nothing to change" \
		vgpu host plan "${args[@]}" --root "$r"
	expect_fail 1 "Error: the apply of .* is not rolled back; run 'vgpu-nl host rollback' first" \
		"$name: apply of another mode refused while one is pending" \
		vgpu host apply gvt --root "$r"
	same "$name: the refusal changes nothing" "$(tree "$r")" "$after"
	check "$name: host rollback" vgpu host rollback --root "$r"
	expect_out "^restored $4" "$name: rollback reports the restore" printf '%s\n' "$TAP_OUT"
	same "$name: byte-identical to before, modes too" "$(tree "$r")" "$before"
	same "$name: no pending backup" "$(pending "$r")" 0
	expect_out '^nothing to roll back' "$name: a second rollback has nothing to do" \
		vgpu host rollback --root "$r"
}

test_grub_sriov() {
	local r
	r=$(grub_root grub)
	cycle grub "$r" sriov /etc/default/grub "$(cat <<'G'
# If you change this file, run 'update-grub' afterwards.
GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT="quiet i915.enable_guc=3 intel_iommu=on iommu=pt i915.max_vfs=7"
GRUB_CMDLINE_LINUX=""

# Uncomment to disable graphical terminal
#GRUB_TERMINAL=console
G
)
" /etc/modules-load.d/vgpu-nl.conf '# Modules for vgpu-nl mode sriov, written by "vgpu-nl host apply".
# "vgpu-nl host rollback" removes this file.
vfio_iommu_type1
vfio_pci
'
	expect_out '^# boot loader: GRUB, kernel command line in /etc/default/grub' \
		"grub: plan names the boot loader" vgpu host plan sriov --root "$r"
	expect_out 'update-initramfs -u && update-grub$' "grub: hooks update-grub" \
		vgpu host plan sriov --root "$r"
}

test_pve_sriov() {
	local r
	r=$(pve_root pve)
	cycle pve "$r" sriov /etc/kernel/cmdline \
		'root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on iommu=pt i915.enable_guc=3 i915.max_vfs=7
' /etc/modules-load.d/vgpu-nl.conf '# Modules for vgpu-nl mode sriov, written by "vgpu-nl host apply".
# "vgpu-nl host rollback" removes this file.
vfio
vfio_iommu_type1
vfio_pci
'
	expect_out '^# boot loader: systemd-boot, kernel command line in /etc/kernel/cmdline' \
		"pve: systemd-boot detected (not the GRUB file)" vgpu host plan sriov --root "$r"
	expect_out 'update-initramfs -u && proxmox-boot-tool refresh$' \
		"pve: hooks proxmox-boot-tool refresh" vgpu host plan sriov --root "$r"
}

XE_RULE='install xe for d in 0000:03:00.0; do echo vgpu-nl-hold >/sys/bus/pci/devices/$d/driver_override; done; /sbin/modprobe --ignore-install xe $CMDLINE_OPTS; r=$?; grep -qs '"' /sys/kernel/config configfs '"' /proc/mounts || mount -t configfs configfs /sys/kernel/config; for d in 0000:03:00.0; do mkdir -p /sys/kernel/config/xe/$d && echo unlimited >/sys/kernel/config/xe/$d/sriov/max_vfs; echo >/sys/bus/pci/devices/$d/driver_override; echo $d >/sys/bus/pci/drivers_probe; done; exit $r'

# An xe GPU on a kernel with xe's configfs: its max_vfs in a modprobe.d
# install rule that sets it before xe probes the GPU, the command line
# only for the IOMMU (the iGPU stays with i915-sriov-dkms).
test_xe_configfs() {
	local r
	r=$(xe_root xe7 7.3.4+deb13-amd64)
	cycle xe-configfs "$r" sriov /etc/default/grub \
		'GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on iommu=pt i915.enable_guc=3 i915.max_vfs=7"
' /etc/modprobe.d/vgpu-nl-xe.conf '# Written by "vgpu-nl host apply sriov"; "vgpu-nl host rollback" removes it.
# xe reads a GPU'"'"'s VF limit from /sys/kernel/config/xe/<BDF>/sriov/max_vfs
# when it probes the GPU, and configfs starts empty at every boot. So each
# time xe loads, this holds these GPUs back from it (driver_override), loads
# xe, writes their max_vfs, then lets xe probe them:
#   0000:03:00.0 8086:e20b max_vfs unlimited
'"$XE_RULE"'
'
	expect_out '^# device pci/0000:03:00.0 8086:e20b driver xe, VFs through xe$' \
		"xe-configfs: the plan says which GPU xe takes" vgpu host plan sriov --root "$r"
	expect_out "^# xe: max_vfs unlimited per device in xe's configfs \(kernel 7.3.4\+deb13-amd64\), set each time xe loads by /etc/modprobe.d/vgpu-nl-xe.conf$" \
		"xe-configfs: the plan says how the limit is set and why" printf '%s\n' "$TAP_OUT"
	jq_check "xe-configfs: -j has the xe object" \
		'.host.xe == {"max_vfs": "unlimited", "configfs": true} and
		 (.host.devices | map(.sriov_driver) == [null, "xe"]) and
		 (.host.changes | map(.path) == ["/etc/default/grub",
		  "/etc/modules-load.d/vgpu-nl.conf", "/etc/modprobe.d/vgpu-nl-xe.conf"])' \
		vgpu -j host plan sriov --root "$r"
	expect_out '^\+#   0000:03:00.0 8086:e20b max_vfs 8$' "xe-configfs: --max-vfs 8 goes to configfs" \
		vgpu host plan sriov 03:00.0 --max-vfs 8 --root "$r"
	check "xe-configfs: ... and the command line stays without i915 options (DEV is xe's)" \
		grep -q '^+GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on iommu=pt"$' <<<"$TAP_OUT"
	# modprobe itself reads the file: one install rule, a valid shell line.
	check "xe-configfs: apply" vgpu host apply sriov --root "$r"
	same "xe-configfs: modprobe -c reads the install rule from the file" \
		"$(/sbin/modprobe -C "$r/etc/modprobe.d" -c 2>/dev/null | grep '^install ')" "$XE_RULE"
	check "xe-configfs: the rule is a valid sh command line" \
		sh -n -c "${XE_RULE#install xe }"
	check "xe-configfs: rollback" vgpu host rollback --root "$r"
}

# The same GPUs on 6.12 (no xe configfs): xe.max_vfs on the command line,
# and Tiger Lake moved to xe with --driver needs force_probe for both.
test_xe_cmdline() {
	local r
	r=$(xe_root xe6 6.12.117+deb12-amd64)
	cycle xe-cmdline "$r" sriov /etc/default/grub \
		'GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on iommu=pt i915.enable_guc=3 i915.max_vfs=7 xe.max_vfs=24"
' /etc/modules-load.d/vgpu-nl.conf '# Modules for vgpu-nl mode sriov, written by "vgpu-nl host apply".
# "vgpu-nl host rollback" removes this file.
vfio_iommu_type1
vfio_pci
'
	check "xe-cmdline: no xe configfs file" test ! -e "$r/etc/modprobe.d/vgpu-nl-xe.conf"
	expect_out "^# xe: max_vfs 24 on the kernel command line \(xe.max_vfs\): kernel 6.12.117\+deb12-amd64 has no per-device configfs for it \(6.19 and later have\)$" \
		"xe-cmdline: the plan says why the command line" vgpu host plan sriov --root "$r"
	expect_out '^\+GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on iommu=pt xe.force_probe=9a49 i915.force_probe=!9a49 xe.max_vfs=7"$' \
		"xe-cmdline: Tiger Lake on xe needs force_probe (xe's and i915's)" \
		vgpu host plan sriov 00:02.0 --driver xe --root "$r"
	printf 'GRUB_CMDLINE_LINUX_DEFAULT="quiet i915.force_probe=4680 xe.max_vfs=2"\n' >"$r/etc/default/grub"
	expect_out '^\+GRUB_CMDLINE_LINUX_DEFAULT="quiet i915.force_probe=4680,!9a49 xe.max_vfs=7 intel_iommu=on iommu=pt xe.force_probe=9a49"$' \
		"xe-cmdline: force_probe lists get the item, xe.max_vfs its value" \
		vgpu host plan sriov 00:02.0 --driver xe --root "$r"
	pci_fn "$r" 0000:00:03.0 0x8086 0x4c8a 0x030000 i915
	expect_fail 1 "Error: xe makes no VFs of pci/0000:00:03.0 \\(8086:4c8a, Rocket Lake\\): Linux 7.3's xe has no SR-IOV for it" \
		"xe: a GPU xe cannot make VFs of is refused with the reason" \
		vgpu host plan sriov 00:03.0 --driver xe --root "$r"
	expect_fail 2 "Error: invalid --max-vfs '0' \\(expected 1 to 65535\\)" \
		"xe: --max-vfs 0 is a usage error" vgpu host plan sriov --max-vfs 0 --root "$r"
	expect_fail 2 "Error: invalid driver 'nouveau' \\(expected i915 or xe\\)" \
		"xe: --driver takes i915 or xe" vgpu host plan sriov --driver nouveau --root "$r"
	expect_fail 2 'Error: --driver and --max-vfs are for mode sriov' \
		"xe: --driver with another mode is a usage error" vgpu host plan gvt --driver xe --root "$r"
}

test_plans() {
	local r
	r=$(grub_root plans)
	expect_out '^\+GRUB_CMDLINE_LINUX_DEFAULT="quiet i915.enable_gvt=1 intel_iommu=on iommu=pt"$' \
		"gvt: enable_gvt kept, GuC submission (refused by GVT-g) dropped" \
		vgpu host plan gvt --root "$r"
	expect_out '^\+mdev$' "gvt: loads mdev" printf '%s\n' "$TAP_OUT"
	expect_out '^\+kvmgt$' "gvt: loads kvmgt" printf '%s\n' "$TAP_OUT"
	check "gvt: vfio is in /etc/modules already, not repeated" \
		bash -c '! grep -qx "+vfio" <<<"$1"' - "$TAP_OUT"
	expect_out '^-GRUB_CMDLINE_LINUX_DEFAULT="quiet i915.enable_gvt=1 i915.enable_guc=2"$' \
		"sriov: the old line is shown removed" vgpu host plan sriov --root "$r"
	expect_out '^\+GRUB_CMDLINE_LINUX_DEFAULT="quiet i915.enable_gvt=1 i915.enable_guc=2 intel_iommu=on iommu=pt initcall_blacklist=sysfb_init"$' \
		"passthrough of the boot iGPU: sysfb_init blacklisted, i915 options kept" \
		vgpu host plan passthrough --root "$r"
	expect_out '^\+options vfio-pci ids=8086:a7a0$' "passthrough iGPU: vfio-pci ids" \
		printf '%s\n' "$TAP_OUT"
	expect_out '^\+blacklist xe$' "passthrough iGPU: xe blacklisted too" \
		printf '%s\n' "$TAP_OUT"
	jq_check "plan -j: mode, boot loader, three changes, commands" \
		'.host.mode == "passthrough" and .host.boot_loader == "GRUB" and
		 (.host.changes | map(.action) == ["modify", "create", "create"]) and
		 .host.commands == ["update-initramfs -u", "update-grub"] and
		 .host.devices[0].handle == "pci/0000:00:02.0"' \
		vgpu -j host plan passthrough 00:02.0 --root "$r"

	r=$(pve_root plans-pve)
	check "passthrough of a discrete GPU" vgpu host plan passthrough pci/0000:01:00.0 --root "$r"
	local conf
	conf=$(sed -n 's/^+//p' <<<"$TAP_OUT" | sed -n '/^# Written/,$p')
	same "passthrough dGPU: vfio file with its audio function, softdeps, blacklists" "$conf" \
'# Written by "vgpu-nl host apply passthrough"; "vgpu-nl host rollback"
# removes it. vfio-pci takes these functions at boot:
#   0000:01:00.0 10de:1b80 VGA
#   0000:01:00.1 10de:10f0 audio
# By id: vfio-pci claims every function with these vendor:device ids.
# disable_vga=1: 0000:01:00.0 is a VGA GPU but not the boot display: vfio-pci
# stays out of VGA arbitration, so the host'"'"'s console keeps the legacy
# VGA ranges (QEMU'"'"'s x-vga=on then cannot be used; UEFI guests need none).
options vfio-pci ids=10de:1b80,10de:10f0 disable_vga=1
# vfio-pci loads before each driver that could claim them, so it comes first:
softdep nouveau pre: vfio-pci
softdep nvidia pre: vfio-pci
softdep nvidiafb pre: vfio-pci
softdep snd_hda_intel pre: vfio-pci
# NVIDIA'"'"'s GPU drivers do not load at all: the host keeps no NVIDIA GPU.
blacklist nouveau
blacklist nvidia
blacklist nvidia_drm
blacklist nvidiafb'
	expect_out '^\+root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on iommu=pt$' \
		"passthrough dGPU: no sysfb_init blacklist (not the boot GPU)" \
		printf '%s\n' "$TAP_OUT"

	# Switching back: the passthrough file goes when planning SR-IOV.
	check "apply passthrough" vgpu host apply passthrough 01:00.0 --root "$r"
	expect_out '^\+\+\+ /dev/null$' "sriov after passthrough: the vfio-pci file is removed" \
		vgpu host plan sriov --root "$r"
	check "rollback passthrough" vgpu host rollback --root "$r"
	check "no vfio-pci file left" test ! -e "$r/etc/modprobe.d/vgpu-nl-vfio.conf"
}

test_cmdline_edits() {
	local r=$tmp/edits
	rm -rf "$r"
	mkdir -p "$r/etc/default"
	printf 'GRUB_CMDLINE_LINUX_DEFAULT=quiet # keep me\n' >"$r/etc/default/grub"
	expect_out '^\+GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on iommu=pt i915.enable_gvt=1" # keep me$' \
		"unquoted value gets quotes, the comment stays" vgpu host plan gvt --root "$r"
	printf "GRUB_CMDLINE_LINUX_DEFAULT='splash'\n" >"$r/etc/default/grub"
	expect_out "^\+GRUB_CMDLINE_LINUX_DEFAULT='splash intel_iommu=on iommu=pt i915.enable_gvt=1'$" \
		"single quotes stay" vgpu host plan gvt --root "$r"
	printf 'GRUB_TIMEOUT=5\n' >"$r/etc/default/grub"
	expect_out '^\+GRUB_CMDLINE_LINUX_DEFAULT="intel_iommu=on iommu=pt i915.enable_gvt=1"$' \
		"no GRUB_CMDLINE_LINUX_DEFAULT: one is added" vgpu host plan gvt --root "$r"
	printf 'GRUB_CMDLINE_LINUX="intel_iommu=on,sm_on iommu=pt"\nGRUB_CMDLINE_LINUX_DEFAULT="quiet i915.enable-gvt=1"\n' \
		>"$r/etc/default/grub"
	printf 'kvmgt\nvfio\nvfio-iommu-type1\nvfio_pci # for VMs\nmdev\n' >"$r/etc/modules"
	expect_out '^# nothing to change' \
		"GRUB_CMDLINE_LINUX, lists, dash spellings and /etc/modules count" \
		vgpu host plan gvt --root "$r"
	rm "$r/etc/modules"
	printf 'GRUB_CMDLINE_LINUX_DEFAULT="intel_iommu=off iommu=pt"\n' >"$r/etc/default/grub"
	expect_out '^\+GRUB_CMDLINE_LINUX_DEFAULT="intel_iommu=on iommu=pt i915.enable_gvt=1"$' \
		"intel_iommu=off becomes on" vgpu host plan gvt --root "$r"
	printf 'GRUB_CMDLINE_LINUX_DEFAULT="quiet\n splash"\n' >"$r/etc/default/grub"
	expect_fail 1 'Error: .*/etc/default/grub: a GRUB_CMDLINE_LINUX value goes on past its line' \
		"a value over two lines is refused" vgpu host plan gvt --root "$r"
	mkdir -p "$r/etc/kernel" "$r/boot/efi/loader" "$r/etc/modules-load.d"
	printf 'root=/dev/sda1\nquiet\n' >"$r/etc/kernel/cmdline"
	expect_fail 1 'Error: .*/etc/kernel/cmdline: /etc/kernel/cmdline has more than one line' \
		"a two-line kernel/cmdline is refused" vgpu host plan gvt --root "$r"
	printf 'root=/dev/sda1' >"$r/etc/kernel/cmdline"
	check "systemd-boot by /boot/efi/loader, no newline kept" vgpu host apply sriov --root "$r"
	same_file "kernel/cmdline edited, still without newline" "$r/etc/kernel/cmdline" \
		'root=/dev/sda1 intel_iommu=on iommu=pt i915.enable_guc=3 i915.max_vfs=7'
}

test_refusals() {
	local r before
	r=$(grub_root bad)
	expect_fail 2 "Error: unknown mode 'vdi' \(expected gvt, sriov or passthrough\)" \
		"unknown mode" vgpu host plan vdi --root "$r"
	expect_fail 2 'Error: missing MODE' "missing mode" vgpu host apply --root "$r"
	expect_fail 1 'Error: no PCI device 0000:00:09.0 in .*/sys/bus/pci/devices' \
		"unknown DEV" vgpu host plan passthrough 00:09.0 --root "$r"
	expect_fail 2 "Error: malformed device handle 'gpu0'" "malformed DEV" \
		vgpu host plan sriov gpu0 --root "$r"
	expect_fail 1 "Error: cannot use root directory '$tmp/nope': No such file or directory" \
		"missing root" vgpu host plan sriov --root "$tmp/nope"
	expect_fail 2 'Error: --root needs a directory' "--root without a value" \
		vgpu host plan sriov --root
	expect_fail 2 'Error: --run-hooks works on the running system only, not with --root' \
		"--run-hooks with --root" vgpu host apply sriov --root "$r" --run-hooks
	expect_fail 2 "Error: unknown option '--frobnicate'" "unknown option" \
		vgpu host rollback --frobnicate
	expect_fail 2 "Error: unexpected argument 'x'" "rollback takes no words" \
		vgpu host rollback x --root "$r"
	expect_fail 1 'Error: no boot loader configuration in .*: neither /etc/default/grub nor /etc/kernel/cmdline' \
		"no boot loader" vgpu host plan sriov --root "$tmp"
	pci_fn "$r" 0000:03:00.0 0x1002 0x73bf 0x030000 amdgpu
	expect_fail 1 'Error: 2 GPUs found; name the one to pass through \(DEV\)' \
		"passthrough with two GPUs needs DEV" vgpu host plan passthrough --root "$r"
	expect_fail 1 'Error: 0000:00:01.0 is a PCI bridge' "a bridge is refused" \
		vgpu host plan passthrough 00:01.0 --root "$(pve_root bridge)"
	# The kernel takes all behind an unpaired quote as one value: what
	# the plan added there would be lost (found by tests/fuzz).
	local q
	q=$(pve_root quote)
	echo 'root=ZFS=rpool/ROOT/pve-1 boot=zfs quiet="' >"$q/etc/kernel/cmdline"
	expect_fail 1 "Error: $q/etc/kernel/cmdline: /etc/kernel/cmdline has an unpaired double quote, behind which the kernel sees no parameter; fix it first" \
		"an unpaired quote in /etc/kernel/cmdline is refused" vgpu host plan sriov --root "$q"
	q=$(grub_root quote)
	sed -i 's/^GRUB_CMDLINE_LINUX=""$/GRUB_CMDLINE_LINUX="acpi_osi=\\"Linux"/' "$q/etc/default/grub"
	expect_fail 1 "Error: $q/etc/default/grub: a GRUB_CMDLINE_LINUX value has an unpaired double quote" \
		"an unpaired quote in a GRUB value is refused" vgpu host plan gvt --root "$q"
	# Quotes inside an unquoted word: the shell takes them out, and the
	# quotes put around the value would pair up with them differently.
	sed -i 's/^GRUB_CMDLINE_LINUX=.*$/GRUB_CMDLINE_LINUX=acpi_osi="Linux"/' "$q/etc/default/grub"
	expect_fail 1 "Error: $q/etc/default/grub: a GRUB_CMDLINE_LINUX value has quotes or escapes but is not quoted itself; put the whole value in double quotes first" \
		"quotes in an unquoted GRUB value are refused" vgpu host plan gvt --root "$q"

	# Unreadable: modules-load.d is a file.
	rm -rf "$r/etc/modules-load.d"
	echo x >"$r/etc/modules-load.d"
	expect_fail 1 "Error: cannot read $r/etc/modules-load.d/vgpu-nl.conf: Not a directory" \
		"plan with an unreadable file fails" vgpu host plan sriov --root "$r"
	# Unwritable: modules-load.d leads nowhere, so the second file fails
	# after the first was staged; nothing may change.
	rm "$r/etc/modules-load.d"
	ln -s ../nowhere "$r/etc/modules-load.d"
	before=$(tree "$r")
	expect_fail 1 "Error: cannot write $r/etc/modules-load.d/vgpu-nl.conf: No such file or directory" \
		"apply with an unwritable file fails" vgpu host apply sriov --root "$r"
	expect_out 'nothing was changed' "and says nothing changed" printf '%s\n' "$TAP_ERR"
	same "everything as it was, no temporary file left" "$(tree "$r")" "$before"
	same "no pending backup" "$(pending "$r")" 0

	# Edited after apply: rollback refuses, --force restores.
	r=$(grub_root edited)
	before=$(tree "$r")
	vgpu host apply sriov --root "$r" >/dev/null
	echo 'GRUB_GFXMODE=1024x768' >>"$r/etc/default/grub"
	expect_fail 1 'Error: /etc/default/grub changed since the apply; rolling back would lose that change' \
		"rollback of an edited file refused" vgpu host rollback --root "$r"
	expect_out 'add --force' "and names --force" printf '%s\n' "$TAP_ERR"
	check "nothing rolled back: the other file is still there" \
		test -e "$r/etc/modules-load.d/vgpu-nl.conf"
	check "rollback --force" vgpu host rollback --force --root "$r"
	same "--force restores everything" "$(tree "$r")" "$before"

	r=$(grub_root manifest)
	vgpu host apply gvt --root "$r" >/dev/null
	echo 'modified 0644 0 0 ../../etc/shadow' >>"$r"/var/lib/vgpu-nl/backup/*/manifest
	expect_fail 1 'Error: .*/manifest:5: malformed line' "a malformed manifest is refused" \
		vgpu host rollback --root "$r"
}

# The modules-load.d file every passthrough host here gets.
PT_MODULES='# Modules for vgpu-nl mode passthrough, written by "vgpu-nl host apply".
# "vgpu-nl host rollback" removes this file.
vfio
vfio_iommu_type1
vfio_pci
'

# after_reboot ROOT MODE FN...: the functions on vfio-pci, as the next
# boot leaves them; the same plan must then change nothing.
after_reboot() {
	local r=$1 mode=$2 f
	shift 2
	vgpu host apply $mode --root "$r" >/dev/null
	for f; do bind "$r" "$f" vfio-pci; done
	expect_out '^# nothing to change: this host is set up for passthrough' \
		"$mode: after the reboot (vfio-pci has them) the plan is the same" \
		vgpu host plan $mode --root "$r"
	vgpu host rollback --root "$r" >/dev/null
}

# Tutorial 1: an N100's iGPU (with the PCH's HD audio) to a Windows VM on
# Proxmox VE: intel_iommu=on iommu=pt, sysfb_init (it is the boot
# display), vfio-pci ids=8086:46d1, i915/xe out, kvm MSR options.
test_tutorial_n100() {
	local r
	r=$(intel_n100 n100)
	cycle "n100" "$r" "passthrough 00:02.0 --windows-guest" /etc/default/grub \
'GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR="Proxmox VE"
GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on iommu=pt initcall_blacklist=sysfb_init"
GRUB_CMDLINE_LINUX=""
' /etc/modprobe.d/vgpu-nl-vfio.conf \
'# Written by "vgpu-nl host apply passthrough"; "vgpu-nl host rollback"
# removes it. vfio-pci takes these functions at boot:
#   0000:00:02.0 8086:46d1 VGA
# By id: vfio-pci claims every function with these vendor:device ids.
options vfio-pci ids=8086:46d1
# vfio-pci loads before each driver that could claim them, so it comes first:
softdep i915 pre: vfio-pci
softdep xe pre: vfio-pci
# Intel'"'"'s GPU drivers do not load at all: the host keeps no Intel GPU.
blacklist i915
blacklist xe
# --windows-guest: Windows reads MSRs that KVM does not emulate; ignore_msrs=1
# answers them instead of failing the read (a blue screen in the guest),
# report_ignored_msrs=0 keeps each one out of the kernel log.
options kvm ignore_msrs=1 report_ignored_msrs=0
'
	vgpu host apply passthrough 00:02.0 --windows-guest --root "$r" >/dev/null
	same_file "n100: modules-load.d file" "$r/etc/modules-load.d/vgpu-nl.conf" "$PT_MODULES"
	vgpu host rollback --root "$r" >/dev/null
	expect_out '^# cmdline intel_iommu=on: ' "n100: every command-line parameter has its comment" \
		vgpu host plan passthrough 00:02.0 --root "$r"
	expect_out '^# cmdline initcall_blacklist=sysfb_init: the boot display' \
		"n100: sysfb_init because it is the boot display" printf '%s\n' "$TAP_OUT"
	check "n100: no kvm options without --windows-guest" \
		bash -c '! grep -q "ignore_msrs" <<<"$1"' - "$TAP_OUT"
	after_reboot "$r" "passthrough 00:02.0 --windows-guest" 0000:00:02.0
	expect_fail 2 'Error: --windows-guest is for mode passthrough' \
		"--windows-guest with another mode is a usage error" \
		vgpu host plan gvt --windows-guest --root "$r"
}

# Tutorial 2: an NVIDIA card with its audio on an AMD host (Proxmox VE,
# systemd-boot): no intel_iommu=, iommu=pt, vfio-pci ids of both functions
# with disable_vga=1 (the Radeon iGPU is the boot display), NVIDIA's four
# drivers out, no pcie_acs_override unless asked for.
test_tutorial_amd() {
	local r
	r=$(amd_nvidia amd)
	cycle "amd" "$r" "passthrough 01:00.0 --windows-guest" /etc/kernel/cmdline \
'root=ZFS=rpool/ROOT/pve-1 boot=zfs iommu=pt
' /etc/modprobe.d/vgpu-nl-vfio.conf \
'# Written by "vgpu-nl host apply passthrough"; "vgpu-nl host rollback"
# removes it. vfio-pci takes these functions at boot:
#   0000:01:00.0 10de:2d04 VGA
#   0000:01:00.1 10de:22eb audio
# By id: vfio-pci claims every function with these vendor:device ids.
# disable_vga=1: 0000:01:00.0 is a VGA GPU but not the boot display: vfio-pci
# stays out of VGA arbitration, so the host'"'"'s console keeps the legacy
# VGA ranges (QEMU'"'"'s x-vga=on then cannot be used; UEFI guests need none).
options vfio-pci ids=10de:2d04,10de:22eb disable_vga=1
# vfio-pci loads before each driver that could claim them, so it comes first:
softdep nouveau pre: vfio-pci
softdep nvidia pre: vfio-pci
softdep nvidiafb pre: vfio-pci
softdep snd_hda_intel pre: vfio-pci
# NVIDIA'"'"'s GPU drivers do not load at all: the host keeps no NVIDIA GPU.
blacklist nouveau
blacklist nvidia
blacklist nvidia_drm
blacklist nvidiafb
# --windows-guest: Windows reads MSRs that KVM does not emulate; ignore_msrs=1
# answers them instead of failing the read (a blue screen in the guest),
# report_ignored_msrs=0 keeps each one out of the kernel log.
options kvm ignore_msrs=1 report_ignored_msrs=0
'
	expect_out '^# CPU: AMD$' "amd: the CPU vendor is AMD" \
		vgpu host plan passthrough 01:00.0 --root "$r"
	check "amd: no intel_iommu anywhere in the plan's changes" \
		bash -c '! grep -q "^+.*intel_iommu" <<<"$1"' - "$TAP_OUT"
	check "amd: no pcie_acs_override unless asked for" \
		bash -c '! grep -q "pcie_acs_override" <<<"$1"' - "$TAP_OUT"
	expect_out '^\+root=ZFS=rpool/ROOT/pve-1 boot=zfs iommu=pt pcie_acs_override=downstream,multifunction$' \
		"amd: --acs-override adds it" vgpu host plan passthrough 01:00.0 --acs-override --root "$r"
	expect_out '^# cmdline pcie_acs_override=downstream,multifunction: .*GIVES UP ISOLATION between devices.*a VM can read and write the memory of devices the host kept' \
		"amd: and says in words what it gives up" printf '%s\n' "$TAP_OUT"
	check "amd: apply --acs-override" vgpu host apply passthrough 01:00.0 --acs-override --root "$r"
	expect_out 'GIVES UP ISOLATION' "amd: apply --acs-override warns on stderr too" \
		printf '%s\n' "$TAP_ERR"
	vgpu host rollback --root "$r" >/dev/null
	# amd_iommu=off goes, its other items and intel_iommu stay the admin's.
	printf 'root=/dev/sda1 amd_iommu=off,fullflush intel_iommu=on\n' >"$r/etc/kernel/cmdline"
	expect_out '^\+root=/dev/sda1 amd_iommu=fullflush intel_iommu=on iommu=pt$' \
		"amd: amd_iommu=off goes, the rest of the line stays" \
		vgpu host plan passthrough 01:00.0 --root "$r"
	printf 'root=ZFS=rpool/ROOT/pve-1 boot=zfs\n' >"$r/etc/kernel/cmdline"
	after_reboot "$r" "passthrough 01:00.0" 0000:01:00.0 0000:01:00.1
}

# Two identical NVIDIA cards, one passed, and a datacenter GPU: ids= and
# blacklists would take the host's card too, so by address.
test_twin_nvidia() {
	local r
	r=$(twin_nvidia twin)
	cycle "twin" "$r" "passthrough 02:00.0" /etc/default/grub \
'GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on iommu=pt"
' /etc/modprobe.d/vgpu-nl-vfio.conf \
'# Written by "vgpu-nl host apply passthrough"; "vgpu-nl host rollback"
# removes it. vfio-pci takes these functions at boot:
#   0000:02:00.0 10de:2204 VGA
#   0000:02:00.1 10de:1aef audio
# By address, not by id: 0000:01:00.0 has the same id 10de:2204 and stays with the host; 0000:01:00.1 has the same id 10de:1aef and stays with the host; the host keeps 0000:03:00.0 (10de:2335, 3D), another NVIDIA GPU, which a blacklist of NVIDIA'"'"'s drivers would take too.
# Loading vfio-pci first sets their driver_override, so that vfio-pci
# and no other driver binds them (what driverctl does), then loads it:
install vfio-pci for f in 0000:02:00.0 0000:02:00.1; do echo vfio-pci > /sys/bus/pci/devices/$f/driver_override; done; /sbin/modprobe --ignore-install vfio-pci $CMDLINE_OPTS
# disable_vga=1: 0000:02:00.0 is a VGA GPU but not the boot display: vfio-pci
# stays out of VGA arbitration, so the host'"'"'s console keeps the legacy
# VGA ranges (QEMU'"'"'s x-vga=on then cannot be used; UEFI guests need none).
options vfio-pci disable_vga=1
# vfio-pci loads before each driver that could claim them, so it comes first:
softdep nouveau pre: vfio-pci
softdep nvidia pre: vfio-pci
softdep nvidiafb pre: vfio-pci
softdep snd_hda_intel pre: vfio-pci
'
	check "twin: host plan of the datacenter GPU" \
		vgpu host plan passthrough 03:00.0 --root "$r"
	local conf
	conf=$(sed -n 's/^+//p' <<<"$TAP_OUT" | sed -n '/^# Written/,$p')
	expect_out '^install vfio-pci for f in 0000:03:00.0; do echo vfio-pci > /sys/bus/pci/devices/\$f/driver_override; done; ' \
		"twin: the 3D GPU by address too (other NVIDIA GPUs stay)" printf '%s\n' "$conf"
	check "twin: 3D GPU: no ids=, no blacklist, no disable_vga (not VGA)" \
		bash -c '! grep -Eq "ids=|^blacklist|disable_vga" <<<"$1"' - "$conf"
	check "twin: 3D GPU without boot_vga: no sysfb_init" \
		bash -c '! grep -q "sysfb_init" <<<"$1"' - "$TAP_OUT"
	expect_out '^\+GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on iommu=pt initcall_blacklist=sysfb_init"$' \
		"twin: the boot display (boot_vga 1) gets sysfb_init" \
		vgpu host plan passthrough 01:00.0 --root "$r"
	jq_check "twin: plan -j: notes say by address and why, params have their why" \
		'(.host.notes | any(test("by address .*0000:01:00.0 has the same id 10de:2204"))) and
		 (.host.params | map(.param) == ["intel_iommu=on", "iommu=pt"]) and
		 (.host.params | all(.why | length > 20)) and .host.cpu == "Intel"' \
		vgpu -j host plan passthrough 02:00.0 --root "$r"
	after_reboot "$r" "passthrough 02:00.0" 0000:02:00.0 0000:02:00.1
}

# The test sysfs of snippet: PF + 2 VFs on bus 01, an iGPU with an mdev.
snip_root() {
	local r=$tmp/snip m
	rm -rf "$r"
	pci_fn "$r" 0000:01:00.0 0x8086 0x56c0 0x030000 i915
	echo 2 >"$r/sys/devices/pci0000:00/0000:01:00.0/sriov_numvfs"
	pci_fn "$r" 0000:01:00.1 0x8086 0x56c0 0x030000 vfio-pci
	ln -s ../0000:01:00.0 "$r/sys/devices/pci0000:00/0000:01:00.1/physfn"
	pci_fn "$r" 0000:01:00.2 0x8086 0x56c0 0x030000
	ln -s ../0000:01:00.0 "$r/sys/devices/pci0000:00/0000:01:00.2/physfn"
	pci_fn "$r" 0000:00:02.0 0x8086 0x3e92 0x030000 i915 1
	echo 0 >"$r/sys/devices/pci0000:00/0000:00:02.0/sriov_numvfs"
	mkdir -p "$r/sys/devices/pci0000:00/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4"
	m=$r/sys/devices/pci0000:00/0000:00:02.0/$UUID
	mkdir -p "$m" "$r/sys/bus/mdev/devices"
	ln -s ../mdev_supported_types/i915-GVTg_V5_4 "$m/mdev_type"
	ln -s "../../../devices/pci0000:00/0000:00:02.0/$UUID" "$r/sys/bus/mdev/devices/$UUID"
	# For pve-mapping: IOMMU groups, subsystem ids, the node's name.
	for m in 0000:00:02.0:1:8086:2212 0000:01:00.1:5:8086:1020; do
		IFS=: read -r dd bb ss gg sv sd <<<"$m"
		mkdir -p "$r/sys/kernel/iommu_groups/$gg/devices"
		ln -s "../../../kernel/iommu_groups/$gg" "$r/sys/devices/pci0000:00/$dd:$bb:$ss/iommu_group"
		echo "0x$sv" >"$r/sys/devices/pci0000:00/$dd:$bb:$ss/subsystem_vendor"
		echo "0x$sd" >"$r/sys/devices/pci0000:00/$dd:$bb:$ss/subsystem_device"
	done
	mkdir -p "$r/proc/sys/kernel"
	echo pve2.example.org >"$r/proc/sys/kernel/hostname"
	echo "$r"
}

# valid_domain DESC FILE: virt-xml-validate of the hostdev in a domain.
valid_domain() {
	{
		echo "<domain type='kvm'><name>t</name><memory unit='MiB'>512</memory>"
		echo "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
		cat "$2"
		echo "</devices></domain>"
	} >"$2.domain.xml"
	check "$1" virt-xml-validate "$2.domain.xml" domain
}

# The hostdev alone, against libvirt's own grammar started at hostdev.
valid_hostdev() {
	cat >"$tmp/hostdev.rng" <<R
<grammar xmlns="http://relaxng.org/ns/structure/1.0"
         datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="hostdev"/></start>
  <include href="/usr/share/libvirt/schemas/domaincommon.rng"/>
</grammar>
R
	check "$1" xmllint --noout --relaxng "$tmp/hostdev.rng" "$2"
}

# qm.conf(5): hostpci[n]: [host=]HOSTPCIID[;...][,mdev=TYPE][,pcie=1|0]...
# with HOSTPCIID [domain:]bus:dev.func (hex), n 0..15.
PVE_RE='^hostpci([0-9]|1[0-5]): (host=)?([0-9a-f]{4}:)?[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7](,(pcie=[01]|mdev=[^/.:,]+))*$'

test_snippet() {
	local r
	r=$(snip_root)
	check "libvirt, VF" vgpu snippet pci/0000:01:00.1 --format libvirt --root "$r"
	printf '%s\n' "$TAP_OUT" >"$tmp/vf.xml"
	same "libvirt VF hostdev" "$TAP_OUT" \
"<hostdev mode='subsystem' type='pci' managed='yes'>
  <source>
    <address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/>
  </source>
</hostdev>"
	valid_domain "libvirt VF: valid domain XML (virt-xml-validate)" "$tmp/vf.xml"
	valid_hostdev "libvirt VF: valid hostdev (domaincommon.rng)" "$tmp/vf.xml"
	# A VF on a VFIO variant driver: libvirt 10 names it, older ones must
	# not move the VF (managed='no'); both valid for this host's libvirt.
	mkdir -p "$r/sys/bus/pci/drivers/xe-vfio-pci" "$r/proc/sys/kernel" \
		"$r/lib/modules/7.3.4+deb13-amd64" "$r/var/lib/dpkg"
	ln -sfn ../../../bus/pci/drivers/xe-vfio-pci "$r/sys/devices/pci0000:00/0000:01:00.2/driver"
	echo 7.3.4+deb13-amd64 >"$r/proc/sys/kernel/osrelease"
	echo 'alias vfio_pci:v00008086d000056C0sv*sd*bc*sc*i* xe_vfio_pci' \
		>"$r/lib/modules/7.3.4+deb13-amd64/modules.alias"
	printf 'Package: libvirt0\nStatus: install ok installed\nVersion: 9.0.0-4+deb12u2\n\n' \
		>"$r/var/lib/dpkg/status"
	check "libvirt, VF on xe-vfio-pci, libvirt 9" vgpu snippet 01:00.2 --format libvirt --root "$r"
	printf '%s\n' "$TAP_OUT" >"$tmp/variant.xml"
	same "libvirt 9: managed='no' keeps the variant driver, and says why" "$TAP_OUT" \
"<hostdev mode='subsystem' type='pci' managed='no'>
  <!-- xe-vfio-pci is a VFIO variant driver: managed='no' keeps the VF on it;
       libvirt before 10.0 has no <driver model=> and would move it to vfio-pci -->
  <source>
    <address domain='0x0000' bus='0x01' slot='0x00' function='0x2'/>
  </source>
</hostdev>"
	valid_domain "libvirt 9 variant: valid domain XML (virt-xml-validate)" "$tmp/variant.xml"
	printf 'Package: libvirt0\nStatus: install ok installed\nVersion: 10.0.0-2\n\n' \
		>"$r/var/lib/dpkg/status"
	check "libvirt, VF on xe-vfio-pci, libvirt 10" vgpu snippet 01:00.2 --format libvirt --root "$r"
	same "libvirt 10: <driver model='xe-vfio-pci'/>, managed" "$TAP_OUT" \
"<hostdev mode='subsystem' type='pci' managed='yes'>
  <driver model='xe-vfio-pci'/>
  <source>
    <address domain='0x0000' bus='0x01' slot='0x00' function='0x2'/>
  </source>
</hostdev>"
	rm -f "$r/sys/devices/pci0000:00/0000:01:00.2/driver"
	check "libvirt, mdev" vgpu snippet "${UUID^^}" --format libvirt --root "$r"
	printf '%s\n' "$TAP_OUT" >"$tmp/mdev.xml"
	same "libvirt mdev hostdev (UUID in lower case)" "$TAP_OUT" \
"<hostdev mode='subsystem' type='mdev' model='vfio-pci' managed='no'>
  <source>
    <address uuid='$UUID'/>
  </source>
</hostdev>"
	valid_domain "libvirt mdev: valid domain XML (virt-xml-validate)" "$tmp/mdev.xml"
	valid_hostdev "libvirt mdev: valid hostdev (domaincommon.rng)" "$tmp/mdev.xml"
	# The validators can say no: a wrong attribute value fails both.
	sed "s/managed='yes'/managed='maybe'/" "$tmp/vf.xml" >"$tmp/bad.xml"
	sed "s/managed='yes'/managed='maybe'/" "$tmp/vf.xml.domain.xml" >"$tmp/bad.domain.xml"
	expect_fail 3 'fails to validate' \
		"virt-xml-validate rejects a broken hostdev" \
		virt-xml-validate "$tmp/bad.domain.xml" domain
	check "xmllint rejects a broken hostdev" bash -c "! xmllint --noout --relaxng '$tmp/hostdev.rng' '$tmp/bad.xml' 2>/dev/null"

	check "pve, VF" vgpu snippet 01:00.1 --format pve --root "$r"
	same "pve VF line" "$TAP_OUT" "hostpci0: 0000:01:00.1,pcie=1"
	expect_out "$PVE_RE" "pve VF line has the documented syntax" printf '%s\n' "$TAP_OUT"
	check "pve, VF, --index 15" vgpu snippet 01:00.2 --format pve --index 15 --root "$r"
	same "pve VF line as hostpci15" "$TAP_OUT" "hostpci15: 0000:01:00.2,pcie=1"
	check "pve, mdev" vgpu snippet "$UUID" --format pve --index 1 --root "$r"
	same "pve mdev: parent and type" "$TAP_OUT" "hostpci1: 0000:00:02.0,mdev=i915-GVTg_V5_4"
	expect_out 'Proxmox VE creates an mdev of type i915-GVTg_V5_4 on 0000:00:02.0' \
		"pve mdev: the note (stderr) says Proxmox makes the mdev" printf '%s\n' "$TAP_ERR"
	expect_out "$PVE_RE" "pve mdev line has the documented syntax" \
		vgpu snippet "$UUID" --format pve --index 1 --root "$r"

	check "qemu, VF" vgpu snippet 0000:01:00.1 --format qemu --root "$r"
	same "qemu VF args" "$TAP_OUT" "-device vfio-pci,host=0000:01:00.1"
	check "qemu, mdev" vgpu snippet "$UUID" --format qemu --root "$r"
	same "qemu mdev args" "$TAP_OUT" "-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/$UUID"
	jq_check "snippet -j: uuid, parent, type, text" \
		".snippet.uuid == \"$UUID\" and .snippet.parent == \"0000:00:02.0\" and
		 .snippet.type == \"i915-GVTg_V5_4\" and .snippet.format == \"qemu\" and
		 (.snippet.text | startswith(\"-device vfio-pci\"))" \
		vgpu -j snippet "$UUID" --format qemu --root "$r"
	expect_fail 1 'Error: pci/0000:00:02.0 is not bound to a VFIO driver, so a VM cannot have it: 0000:00:02.0 is bound to i915 \(vgpu-nl host plan passthrough 0000:00:02.0 binds it to vfio-pci at boot; for an mdev of it, give the mdev.s UUID\)' \
		"a whole device on its host driver is refused, with the way out" \
		vgpu snippet 00:02.0 --format qemu --root "$r"

	expect_fail 1 'Error: pci/0000:01:00.0 is an SR-IOV PF with 2 VFs enabled: pass a VF to the VM, never the PF' \
		"a PF with VFs is refused" vgpu snippet 01:00.0 --format libvirt --root "$r"
	expect_fail 1 'Error: no PCI device 0000:01:00.7 on this host' "unknown VF" \
		vgpu snippet 01:00.7 --format pve --root "$r"
	expect_fail 1 "Error: no mdev 00000000-0000-0000-0000-000000000001 on this host" \
		"unknown mdev" vgpu snippet 00000000-0000-0000-0000-000000000001 --format qemu --root "$r"
	expect_fail 2 "Error: 'gpu0' is neither a PCI device or VF \(pci/DDDD:BB:DD.F\) nor an mdev UUID" \
		"garbage handle" vgpu snippet gpu0 --format qemu --root "$r"
	expect_fail 2 'Error: missing --format libvirt\|pve\|qemu\|pve-mapping' "missing --format" \
		vgpu snippet 01:00.1 --root "$r"
	expect_fail 2 "Error: unknown format 'xen'" "unknown format" \
		vgpu snippet 01:00.1 --format xen
	expect_fail 2 "Error: invalid --index value '16' \(expected 0..15\)" "--index 16" \
		vgpu snippet 01:00.1 --format pve --index 16
	expect_fail 2 "Error: invalid --index value '-1'" "--index -1" \
		vgpu snippet 01:00.1 --format pve --index -1
	expect_fail 2 'Error: --index is for --format pve' "--index with qemu" \
		vgpu snippet 01:00.1 --format qemu --index 1
	expect_fail 2 'Error: missing VF, UUID or DEV' "nothing to snippet" vgpu snippet --format qemu
	expect_fail 1 "Error: cannot use root directory '$tmp/nope'" "snippet, missing root" \
		vgpu snippet 01:00.1 --format qemu --root "$tmp/nope"
	expect_out '^Usage: vgpu-nl snippet' "snippet help" vgpu snippet help
	expect_out '^Usage: vgpu-nl host plan' "host help" vgpu host help
}

# pve_syntax KIND DESC TEXT: the text against Proxmox VE's documented
# syntax (tests/lib/pve-syntax.py quotes qm.conf(5) and the
# /cluster/mapping/pci API).
pve_syntax() {
	check "$2" bash -c 'printf "%s\n" "$2" | "$1" '"$1" - "$top/tests/lib/pve-syntax.py" "$3"
}

# valid_whole DESC FILE: the libvirt snippet of a whole device in a domain:
# its <qemu:override> (if any) after </devices>, the rest inside.
valid_whole() {
	{
		echo "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><name>t</name><memory unit='MiB'>512</memory>"
		echo "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
		sed '/^<qemu:override/,$d' "$2"
		echo "</devices>"
		sed -n '/^<qemu:override/,$p' "$2"
		echo "</domain>"
	} >"$2.domain.xml"
	check "$1" virt-xml-validate "$2.domain.xml" domain
}

# Whole devices: the N100's iGPU (legacy IGD mode) and the AMD host's
# NVIDIA card with its audio function, once on vfio-pci.
test_whole_snippets() {
	local r out
	r=$(intel_n100 snip-n100)
	bind "$r" 0000:00:02.0 vfio-pci
	check "n100: pve snippet of the iGPU" vgpu snippet 00:02.0 --format pve --root "$r"
	out=$TAP_OUT
	same "n100: pve lines (comments aside): i440fx, no VGA, legacy-igd, romfile, IGD args" \
		"$(grep -v '^#' <<<"$out")" \
"machine: pc
vga: none
hostpci0: 0000:00:02.0,legacy-igd=1,romfile=igd-8086-46d1.rom
args: -set device.hostpci0.x-igd-opregion=on -set device.hostpci0.x-igd-gms=0x2"
	pve_syntax qm "n100: pve lines have qm.conf(5)'s syntax" "$out"
	for w in 'legacy-igd=1: QEMU.s legacy IGD mode' 'romfile: the IGD.s video BIOS or UEFI option ROM' \
		 'x-igd-opregion=on: a copy of the host.s OpRegion' 'x-igd-gms=0x2: 2 x 32 MB of stolen memory' \
		 'gen 11 or later .* keeps its stolen memory.s base in a 64-bit register'; do
		expect_out "^# .*$w" "n100: pve comment: $w" printf '%s\n' "$out"
	done
	check "n100: pve --index 3" vgpu snippet 00:02.0 --format pve --index 3 --root "$r"
	expect_out '^args: -set device.hostpci3.x-igd-opregion=on -set device.hostpci3.x-igd-gms=0x2$' \
		"n100: the args follow the index" printf '%s\n' "$TAP_OUT"
	check "n100: qemu snippet" vgpu snippet 00:02.0 --format qemu --root "$r"
	same "n100: qemu options" "$(grep -v '^#' <<<"$TAP_OUT")" \
"-vga none
-device vfio-pci,host=0000:00:02.0,addr=02.0,romfile=/usr/share/kvm/igd-8086-46d1.rom,x-igd-opregion=on,x-igd-gms=0x2"
	check "n100: libvirt snippet" vgpu snippet 00:02.0 --format libvirt --root "$r"
	printf '%s\n' "$TAP_OUT" >"$tmp/igd.xml"
	valid_whole "n100: libvirt hostdev, video none and qemu:override validate in a domain" "$tmp/igd.xml"
	expect_out "<rom file='/usr/share/kvm/igd-8086-46d1.rom'/>" "n100: libvirt names the ROM" cat "$tmp/igd.xml"
	expect_out "<qemu:property name='x-igd-opregion' type='bool' value='true'/>" \
		"n100: libvirt sets the OpRegion through qemu:override" cat "$tmp/igd.xml"
	# doctor: a GPU passed whole is not judged by the vGPU modes it could have.
	TAP_MAX_RC=1 jq_check "n100: doctor: no failure about the iGPU on vfio-pci, its group alone" \
		'[.findings[] | select(.subject == "pci/0000:00:02.0")] as $f |
		 ($f | all(.status != "fail")) and ($f | map(.check) | index("cmdline") == null) and
		 ($f[] | select(.check == "iommu-group") | .evidence) == "group 1, alone"' \
		vgpu -j doctor 00:02.0 --root "$r"
	# The PCH's audio shares its group with SMBus and SPI, which the host keeps.
	bind "$r" 0000:00:1f.3 vfio-pci
	expect_fail 1 'Error: pci/0000:00:1f.3 shares IOMMU group 10 with 0000:00:1f.4 \(SMBus 8086:54a3, driver i801_smbus\): a host driver has it, so VFIO refuses the group: pass it to the same VM too' \
		"n100: the PCH's audio is refused, naming the SMBus function and what to do" \
		vgpu snippet 00:1f.3 --format pve --root "$r"
	expect_out '0000:00:1f.5 \(serial bus 8086:54a4, driver intel-spi\)' \
		"n100: and the SPI function" printf '%s\n' "$TAP_ERR"
	check "n100: not the ISA bridge, which has no driver (VFIO allows it)" \
		bash -c '! grep -q "0000:00:1f.0" <<<"$1"' - "$TAP_ERR"

	r=$(amd_nvidia snip-amd)
	expect_fail 1 'Error: pci/0000:01:00.0 is not bound to a VFIO driver, so a VM cannot have it: 0000:01:00.0 is bound to nouveau, 0000:01:00.1 is bound to snd_hda_intel' \
		"amd: refused while nouveau and snd_hda_intel have it" \
		vgpu snippet 01:00.0 --format qemu --root "$r"
	bind "$r" 0000:01:00.0 vfio-pci
	bind "$r" 0000:01:00.1 vfio-pci
	check "amd: pve snippet" vgpu snippet 01:00.0 --format pve --root "$r"
	out=$TAP_OUT
	same "amd: one hostpci line for the whole slot, primary GPU" "$(grep -v '^#' <<<"$out")" \
		"hostpci0: 0000:01:00,pcie=1,x-vga=1"
	pve_syntax qm "amd: pve line has qm.conf(5)'s syntax" "$out"
	expect_out '^# x-vga=1: the guest.s primary GPU' "amd: x-vga=1 has its comment" printf '%s\n' "$out"
	mkdir -p "$r/sys/module/vfio_pci/parameters"
	echo N >"$r/sys/module/vfio_pci/parameters/disable_vga"
	check "amd: qemu snippet (vfio-pci with VGA ranges)" vgpu snippet 01:00.0 --format qemu --root "$r"
	same "amd: qemu: a root port, both functions in one slot, x-vga=on" "$(grep -v '^#' <<<"$TAP_OUT")" \
"-device pcie-root-port,id=vgpu-nl-rp-01-00,chassis=1,slot=0
-device vfio-pci,host=0000:01:00.0,bus=vgpu-nl-rp-01-00,addr=00.0,multifunction=on,x-vga=on
-device vfio-pci,host=0000:01:00.1,bus=vgpu-nl-rp-01-00,addr=00.1"
	echo Y >"$r/sys/module/vfio_pci/parameters/disable_vga"
	check "amd: qemu snippet (disable_vga=Y, as the plan sets it)" vgpu snippet 01:00.0 --format qemu --root "$r"
	out=$TAP_OUT
	check "amd: no x-vga=on then" bash -c '! grep -q "^-device.*x-vga" <<<"$1"' - "$out"
	expect_out '^# No x-vga=on: vfio-pci has disable_vga=Y' "amd: and the comment says why" \
		printf '%s\n' "$out"
	check "amd: libvirt snippet" vgpu snippet 01:00.0 --format libvirt --root "$r"
	printf '%s\n' "$TAP_OUT" >"$tmp/amd.xml"
	valid_whole "amd: libvirt hostdevs validate in a domain" "$tmp/amd.xml"
	same "amd: two hostdevs in one guest slot, multifunction on the first" \
		"$(grep -c "<address type='pci' domain='0x0000' bus='0x10' slot='0x00'" "$tmp/amd.xml"),$(grep -c "multifunction='on'" "$tmp/amd.xml")" "2,1"
	jq_check "amd: snippet -j lists the functions" \
		'.snippet.functions == ["0000:01:00.0", "0000:01:00.1"] and .snippet.handle == "pci/0000:01:00.0"' \
		vgpu -j snippet 01:00.0 --format pve --root "$r"
	# A NIC with a host driver in the card's group.
	dev "$r" 0000:02:00.0 0x10ec 0x8125 0x020000 r8169 - 12
	expect_fail 1 'Error: pci/0000:01:00.0 shares IOMMU group 12 with 0000:02:00.0 \(network 10ec:8125, driver r8169\): a host driver has it, so VFIO refuses the group: pass it to the same VM too \(bind it to vfio-pci\), or move the card to a slot with its own IOMMU group' \
		"amd: refused while a NIC on its host driver shares the group" \
		vgpu snippet 01:00.0 --format libvirt --root "$r"
	check "amd: the root port in the group is no obstacle" \
		bash -c '! grep -q "0000:00:01.1" <<<"$1"' - "$TAP_ERR"
}

# --format pve-mapping: this node's entry of a Proxmox VE cluster mapping,
# checked against the API (tests/lib/pve-syntax.py quotes it:
# POST /cluster/mapping/pci with id, mdev and map=node,path,id,
# subsystem-id,iommugroup, from pve-guest-common's PVE::Mapping::PCI)
# and, value by value, against the fake host.
test_pve_mapping() {
	local r out
	r=$(snip_root)
	check "pve-mapping of a VF" vgpu snippet 01:00.1 --format pve-mapping --root "$r"
	out=$TAP_OUT
	pve_syntax mapping "VF: the command has the API's parameters and formats" "$TAP_OUT"
	same "VF: node (host name up to its first dot), path, id, subsystem-id, iommugroup" \
		"$(grep -v '^#' <<<"$out")" \
		"pvesh create /cluster/mapping/pci --id vf-8086-56c0 --map node=pve2,path=0000:01:00.1,id=8086:56c0,subsystem-id=8086:1020,iommugroup=5"
	check "pve-mapping of a GVT-g parent (it stays on i915)" \
		vgpu snippet 00:02.0 --format pve-mapping --mapping igpu --node pve3 --root "$r"
	out=$TAP_OUT
	pve_syntax mapping "GVT-g parent: the command has the API's parameters and formats" "$TAP_OUT"
	same "GVT-g parent: mdev 1, the parent's attributes, --mapping and --node" \
		"$(grep -v '^#' <<<"$out")" \
		"pvesh create /cluster/mapping/pci --id igpu --map node=pve3,path=0000:00:02.0,id=8086:3e92,subsystem-id=8086:2212,iommugroup=1 --mdev 1"
	check "pve-mapping of an mdev: its parent's entry" vgpu snippet "$UUID" --format pve-mapping --root "$r"
	expect_out '^pvesh create /cluster/mapping/pci --id mdev-8086-3e92 --map node=pve2,path=0000:00:02.0,id=8086:3e92,subsystem-id=8086:2212,iommugroup=1 --mdev 1$' \
		"mdev: the parent's mapping with --mdev 1" printf '%s\n' "$TAP_OUT"
	expect_out '^# .*hostpciN: mapping=mdev-8086-3e92' "mdev: the comment says how a VM names it" \
		printf '%s\n' "$TAP_OUT"

	r=$(amd_nvidia map-amd)
	bind "$r" 0000:01:00.0 vfio-pci
	bind "$r" 0000:01:00.1 vfio-pci
	check "pve-mapping of a whole device" vgpu snippet 01:00.0 --format pve-mapping --root "$r"
	out=$TAP_OUT
	pve_syntax mapping "whole device: the command has the API's parameters and formats" "$TAP_OUT"
	same "whole device: path without function (every function), function 0's attributes" \
		"$(grep -v '^#' <<<"$out")" \
		"pvesh create /cluster/mapping/pci --id gpu-10de-2d04 --map node=pve-amd,path=0000:01:00,id=10de:2d04,subsystem-id=1458:4191,iommugroup=12"
	bind "$r" 0000:01:00.1 snd_hda_intel
	expect_fail 1 'Error: pci/0000:01:00.0 is not bound to a VFIO driver, so a VM cannot have it: 0000:01:00.1 is bound to snd_hda_intel' \
		"whole device: refused as for the other formats" \
		vgpu snippet 01:00.0 --format pve-mapping --root "$r"
	expect_fail 1 "Error: 'pve 1' is not a Proxmox VE node name" "a bad --node" \
		vgpu snippet 00:02.0 --format pve-mapping --node 'pve 1' --root "$(snip_root)"
	expect_fail 1 "Error: '1gpu' is not a Proxmox VE mapping ID" "a bad --mapping" \
		vgpu snippet 00:02.0 --format pve-mapping --mapping 1gpu --root "$(snip_root)"
	expect_fail 2 'Error: --mapping is for --format pve-mapping' "--mapping with pve" \
		vgpu snippet 00:02.0 --format pve --mapping x
	# The checker can say no.
	tap_run bash -c 'printf "pvesh create /cluster/mapping/pci --id 9x --map path=01:00.0,id=10de:2d04\n" | "$1" mapping' - "$top/tests/lib/pve-syntax.py"
	expect_out "id '9x' is no pve-configid" "pve-syntax.py rejects a bad mapping" printf '%s\n' "$TAP_OUT"
	expect_out 'map: node is required' "pve-syntax.py wants the node" printf '%s\n' "$TAP_OUT"
	tap_run bash -c 'printf "hostpci16: 0000:01:00,x-vga=2\n" | "$1" qm' - "$top/tests/lib/pve-syntax.py"
	same "pve-syntax.py rejects hostpci16 and x-vga=2" "$TAP_RC:$TAP_OUT" \
		"1:hostpci16: past hostpci15
hostpci x-vga='2' does not match its format"
}

# The file doctor names in its command-line fix, and the one host plan
# edits, on ROOT (both from -j); they must be the same, and EXPECTED.
boot_answers() {
	local r=$1 want=$2 name=$3 planned fix
	mkdir -p "$r/proc"
	echo 'BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 ro quiet' >"$r/proc/cmdline"
	tap_run vgpu -j host plan sriov --root "$r"
	planned=$(printf '%s' "$TAP_OUT" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["host"]["cmdline_file"])')
	same "$name: host plan ran" "$TAP_RC" 0
	# Exit status 1: the fake host lacks iommu=pt, which is the point.
	tap_run vgpu -j doctor --root "$r"
	fix=$(printf '%s' "$TAP_OUT" | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f["check"] == "cmdline" and f["subject"] == "host":
        print(f.get("fix", ""))')
	same "$name: doctor ran, with failures" "$TAP_RC" 1
	same "$name: host plan edits $want" "$planned" "$want"
	expect_out "(to|in) $want[ ,]" "$name: doctor names $want too" \
		printf '%s\n' "$fix"
}

# doctor and host plan find the boot loader one way: a /etc/kernel/cmdline
# alone (kernel-install leaves one on GRUB hosts) proves nothing.
test_boot_loader_agrees() {
	local r
	r=$(grub_root agree-grub)
	boot_answers "$r" /etc/default/grub "GRUB"
	r=$(grub_root agree-leftover)
	mkdir -p "$r/etc/kernel"
	echo 'root=/dev/sda1 ro quiet' >"$r/etc/kernel/cmdline"
	boot_answers "$r" /etc/default/grub "GRUB with a leftover /etc/kernel/cmdline"
	r=$(pve_root agree-pve)
	boot_answers "$r" /etc/kernel/cmdline "Proxmox VE (proxmox-boot-tool)"
	r=$(grub_root agree-sdboot)
	mkdir -p "$r/etc/kernel" "$r/boot/efi/loader"
	echo 'root=/dev/sda1 ro quiet' >"$r/etc/kernel/cmdline"
	boot_answers "$r" /etc/kernel/cmdline "systemd-boot (a loader in the ESP)"
}

test_grub_sriov
test_pve_sriov
test_xe_configfs
test_xe_cmdline
test_boot_loader_agrees
test_plans
test_cmdline_edits
test_refusals
test_snippet
test_tutorial_n100
test_tutorial_amd
test_twin_nvidia
test_whole_snippets
test_pve_mapping
tap_done
