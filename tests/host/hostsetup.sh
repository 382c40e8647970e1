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
# planned, apply again, rollback to byte-identical.
cycle() {
	local name=$1 r=$2 mode=$3 before planned plan
	before=$(tree "$r")
	cp -a "$r" "$tmp/planned"
	check "$name: host plan $mode" vgpu host plan "$mode" --root "$r"
	plan=$TAP_OUT
	same "$name: plan changes nothing" "$(tree "$r")" "$before"
	check "$name: the plan is a patch that applies (patch -p1)" \
		patch -s -p1 -d "$tmp/planned" -i <(printf '%s\n' "$plan")
	check "$name: host apply $mode" vgpu host apply "$mode" --root "$r"
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
		"$name: a second apply changes nothing and says so" vgpu host apply "$mode" --root "$r"
	same "$name: and leaves the files alone" "$(tree "$r")" "$after"
	same "$name: and makes no backup" "$(pending "$r")" 1
	expect_out "^# nothing to change" "$name: plan after apply: nothing to change" \
		vgpu host plan "$mode" --root "$r"
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
#   0000:01:00.0 10de:1b80 was nouveau
#   0000:01:00.1 10de:10f0 was snd_hda_intel
options vfio-pci ids=10de:1b80,10de:10f0
softdep nouveau pre: vfio-pci
softdep nvidia pre: vfio-pci
softdep snd_hda_intel pre: vfio-pci
blacklist nouveau
blacklist nvidia'
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

# The test sysfs of snippet: PF + 2 VFs on bus 01, an iGPU with an mdev.
snip_root() {
	local r=$tmp/snip m
	rm -rf "$r"
	pci_fn "$r" 0000:01:00.0 0x8086 0x56c0 0x030000 i915
	echo 2 >"$r/sys/devices/pci0000:00/0000:01:00.0/sriov_numvfs"
	pci_fn "$r" 0000:01:00.1 0x8086 0x56c0 0x030000 vfio-pci
	ln -s ../0000:01:00.0 "$r/sys/devices/pci0000:00/0000:01:00.1/physfn"
	pci_fn "$r" 0000:01:00.2 0x8086 0x56c0 0x030000
	pci_fn "$r" 0000:00:02.0 0x8086 0x3e92 0x030000 i915 1
	echo 0 >"$r/sys/devices/pci0000:00/0000:00:02.0/sriov_numvfs"
	mkdir -p "$r/sys/devices/pci0000:00/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4"
	m=$r/sys/devices/pci0000:00/0000:00:02.0/$UUID
	mkdir -p "$m" "$r/sys/bus/mdev/devices"
	ln -s ../mdev_supported_types/i915-GVTg_V5_4 "$m/mdev_type"
	ln -s "../../../devices/pci0000:00/0000:00:02.0/$UUID" "$r/sys/bus/mdev/devices/$UUID"
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
	check "whole device without VFs is fine (iGPU, numvfs 0)" \
		vgpu snippet 00:02.0 --format qemu --root "$r"

	expect_fail 1 'Error: pci/0000:01:00.0 is an SR-IOV PF with 2 VFs enabled: pass a VF to the VM, never the PF' \
		"a PF with VFs is refused" vgpu snippet 01:00.0 --format libvirt --root "$r"
	expect_fail 1 'Error: no PCI device 0000:01:00.7 on this host' "unknown VF" \
		vgpu snippet 01:00.7 --format pve --root "$r"
	expect_fail 1 "Error: no mdev 00000000-0000-0000-0000-000000000001 on this host" \
		"unknown mdev" vgpu snippet 00000000-0000-0000-0000-000000000001 --format qemu --root "$r"
	expect_fail 2 "Error: 'gpu0' is neither a VF \(pci/DDDD:BB:DD.F\) nor an mdev UUID" \
		"garbage handle" vgpu snippet gpu0 --format qemu --root "$r"
	expect_fail 2 'Error: missing --format libvirt\|pve\|qemu' "missing --format" \
		vgpu snippet 01:00.1 --root "$r"
	expect_fail 2 "Error: unknown format 'xen'" "unknown format" \
		vgpu snippet 01:00.1 --format xen
	expect_fail 2 "Error: invalid --index value '16' \(expected 0..15\)" "--index 16" \
		vgpu snippet 01:00.1 --format pve --index 16
	expect_fail 2 "Error: invalid --index value '-1'" "--index -1" \
		vgpu snippet 01:00.1 --format pve --index -1
	expect_fail 2 'Error: --index is for --format pve' "--index with qemu" \
		vgpu snippet 01:00.1 --format qemu --index 1
	expect_fail 2 'Error: missing VF or UUID' "nothing to snippet" vgpu snippet --format qemu
	expect_fail 1 "Error: cannot use root directory '$tmp/nope'" "snippet, missing root" \
		vgpu snippet 01:00.1 --format qemu --root "$tmp/nope"
	expect_out '^Usage: vgpu-nl snippet' "snippet help" vgpu snippet help
	expect_out '^Usage: vgpu-nl host plan' "host help" vgpu host help
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
test_boot_loader_agrees
test_plans
test_cmdline_edits
test_refusals
test_snippet
tap_done
