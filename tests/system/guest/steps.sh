# SPDX-License-Identifier: GPL-2.0
#
# steps.sh (guest and image chroot, test only): the scenario of the system
# test, one function per boot (stage_NAME), each check in the step of the
# issue it belongs to (checks.sh: step). SHARE/params says, per image:
#
#   HOST_MODE       gvt or sriov: whose host setup (plan, apply, reboot)
#                   this image runs; the other recipe runs without
#                   "host apply", which is refused once a mode is applied
#   VERSION, NEXT_VERSION
#                   the packages' version, and the bumped one of step 6
#   UPGRADE_APT     apt's options for the next kernel ("-t trixie-backports")
#   UPGRADE_IMAGE, UPGRADE_HEADERS
#                   the next kernel's image and headers packages
#
# What must outlive a boot is kept in /var/lib/vgpu-systest ($P).
#
#   stage            step  what
#   chroot              1  (the image's chroot) listing, apt install
#   installed        2, 3  module at boot, doctor; host setup, reboot
#   configured          3  /proc/cmdline; the recipes' device lines; save
#   restored      4, O, 5  power-off restored; ordering; next kernel
#   new-kernel       5, 6  restored on it; vgpu-nl upgrade; conf deleted
#   no-config        D, 7  default without conf; rollback, purge
#   clean               7  the host is as before step 1

PF=

kver_of_ko() {
	modinfo -F vermagic "$1" 2>/dev/null | cut -d' ' -f1
}

dkms_ko() {
	ls /lib/modules/"$1"/updates/dkms/vgpu_nl.ko* 2>/dev/null | head -n1
}

# Step 1, in the image's chroot on the host: the listing step 7 compares
# with, then the packages as the README installs them.
stage_chroot() {
	local k ko
	k=$(ls /lib/modules | sort -V | tail -n1)
	step 1 "apt install the packages"
	host_listing >"$S/out/listing.before"
	dpkg-query -W -f '${binary:Package}\n' | sort >"$S/out/packages.before"
	check "listing of /etc, /lib/modules/*/updates, /var/lib/dkms before" \
		test -s "$S/out/listing.before" -a -s "$S/out/packages.before"
	check "no vgpu-nl before" test ! -e /usr/sbin/vgpu-nl -a ! -e /var/lib/dkms/vgpu-nl
	check "apt install ./vgpu-nl-dkms_${VERSION}_all.deb ./vgpu-nl_${VERSION}_amd64.deb" \
		apt install -y "$S/debs/vgpu-nl-dkms_${VERSION}_all.deb" \
		"$S/debs/vgpu-nl_${VERSION}_amd64.deb"
	printf '%s\n' "$TAP_OUT" | tail -n 25 | sed 's/^/  | /'
	ko=$(dkms_ko "$k")
	check "DKMS built and installed vgpu_nl for $k: $ko" test -n "$ko"
	expect_out "^$(re_quote "$k")\$" "... for that kernel (vermagic)" kver_of_ko "$ko"
	expect_out "vgpu-nl/$(re_quote "$VERSION"), $(re_quote "$k"), x86_64: installed" \
		"dkms status: installed" dkms status -m vgpu-nl
	expect_out "^vgpu_nl$" "loaded at boot: vgpu_nl in /usr/lib/modules-load.d/vgpu_nl.conf" \
		cat /usr/lib/modules-load.d/vgpu_nl.conf
	check "the tool: /usr/sbin/vgpu-nl" test -x /usr/sbin/vgpu-nl
	check "the boot-time unit is enabled" systemctl is-enabled vgpu-nl-apply.service
}

# Boot 1 of a run: the module loads at boot; doctor; the host setup of
# this image's mode, up to the README's "reboot".
stage_installed() {
	local line
	PF=$(sim_pf)
	step 2 "boot"
	boot_clean
	check "the simulated GPU is bound: $PF" test -e "/sys/bus/pci/drivers/vgpu_sim/$PF"
	check "vgpu_nl is loaded" test -d /sys/module/vgpu_nl
	expect_out "Inserted module 'vgpu_nl'" "... by systemd-modules-load, at boot" \
		journalctl -b -o cat -t systemd-modules-load
	expect_out "^/lib/modules/$(re_quote "$(uname -r)")/updates/dkms/vgpu_nl\.ko" \
		"... from updates/dkms" modinfo -n vgpu_nl
	same "... of version $VERSION" "$(cat /sys/module/vgpu_nl/version)" "$VERSION"
	check "vgpu_nl manages the PF" test -d "/sys/kernel/vgpu_nl/$PF"
	TAP_MAX_RC=1 expect_out "pci/$PF: 1b36:0010 .*managed by vgpu_nl" \
		"vgpu-nl doctor runs, and sees the PF" vgpu-nl doctor
	printf '%s\n' "$TAP_OUT" | sed 's/^/  | /'
	expect_out "^no$" "vgpu-nl-apply.service: no file yet, not started" \
		systemctl show -P ConditionResult vgpu-nl-apply.service

	step 3 "the README's recipes"
	readme_recipe "$(recipe_name "$HOST_MODE")" >"$P/recipe"
	check "the README has the $(recipe_name "$HOST_MODE") recipe with a reboot" \
		grep -qx reboot "$P/recipe"
	while read -r line; do
		[[ $line != reboot ]] || break
		readme_run "$line" || return 1
	done <"$P/recipe"
	check "host plan named kernel parameters to add: $(mode_params | xargs)" test -n "$(mode_params)"
	NEXT=reboot
}

recipe_name() {
	case $1 in
	gvt) echo GVT-g ;;
	sriov) echo SR-IOV ;;
	esac
}

# The kernel parameters of this mode, as the README's "host plan" showed
# them on the fresh host (readme.sh keeps its output): the words its diff
# adds to GRUB_CMDLINE_LINUX_DEFAULT.
mode_params() {
	local plan=$P/plan-$HOST_MODE old new w
	[[ -s $plan ]] || return 0
	old=$(sed -n 's/^-GRUB_CMDLINE_LINUX_DEFAULT="\(.*\)"$/\1/p' "$plan")
	new=$(sed -n 's/^+GRUB_CMDLINE_LINUX_DEFAULT="\(.*\)"$/\1/p' "$plan")
	for w in $new; do
		[[ " $old " == *" $w "* ]] || printf '%s\n' "$w"
	done
}

# re_quote TEXT: TEXT as an extended regex that matches only itself.
re_quote() {
	sed 's/[][\.^$*+?(){}|]/\\&/g' <<<"$1"
}

# Boot 2: the new command line, then the rest of the recipes.
stage_configured() {
	local line other p after=
	PF=$(sim_pf)
	step 3 "the README's recipes"
	boot_clean
	for p in $(mode_params); do
		check "/proc/cmdline has $p" grep -qw -- "$p" /proc/cmdline
	done
	check "the parameters host plan named are known (boot 1's plan)" test -n "$(mode_params)"
	while read -r line; do
		if [[ -n $after ]]; then
			readme_run "$line" || return 1
		fi
		[[ $line != reboot ]] || after=1
	done <"$P/recipe"
	other=$([[ $HOST_MODE == gvt ]] && echo sriov || echo gvt)
	diag "the $(recipe_name "$other") recipe, without 'host apply' and 'reboot' ($HOST_MODE is applied; its host setup runs on the other image)"
	while read -r line; do
		case $line in
		"vgpu-nl host apply "*|reboot) continue ;;
		esac
		readme_run "$line" || return 1
	done < <(readme_recipe "$(recipe_name "$other")")
	check "save wrote /etc/vgpu-nl/vgpu-nl.conf" test -s /etc/vgpu-nl/vgpu-nl.conf
	same "... mode 0644" "$(stat -c %a /etc/vgpu-nl/vgpu-nl.conf)" 644
	expect_out "^device pci/$PF numvfs 7 autoprobe on$" "... with the VF count" \
		cat /etc/vgpu-nl/vgpu-nl.conf
	expect_out "^vf pci/$PF/0 driver vfio-pci quota .*exec-quantum 20" \
		"... VF 0 on vfio-pci with its quota" cat /etc/vgpu-nl/vgpu-nl.conf
	expect_out "^mdev $(tail -n1 "$P/readme-uuids") parent pci/$PF type " \
		"... the mdev with its UUID" cat /etc/vgpu-nl/vgpu-nl.conf
	gpu_state "$PF" >"$P/state.json"
	jq_ok "the state kept for later: 7 VFs, VF 0 on vfio-pci, mdevs owned" \
		'.dev[0].sriov.numvfs == 7 and .vfs[0].driver == "vfio-pci" and
		 (.mdevs | length) >= 1 and all(.mdevs[]; .owned) and
		 (.quota_files | length) > 0' "$P/state.json"
	NEXT=poweroff
}

jq_ok() {
	local desc=$1 filter=$2 file=$3
	if jq -e "$filter" "$file" >/dev/null 2>&1; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "$(cat "$file")"
	fi
}

# same_state DESC: ok if the GPU's state is the one kept in boot 2.
same_state() {
	local now
	now=$(gpu_state "$PF")
	if [[ $now == "$(cat "$P/state.json")" ]]; then
		ok "$1"
	else
		not_ok "$1"
		diag "$(diff <(jq -S . "$P/state.json") <(jq -S . <<<"$now"))"
	fi
}

# unit_ran UNIT: it ran at this boot and succeeded.
unit_ran() {
	[[ $(systemctl show -P Result "$1") == success &&
	   $(systemctl show -P ExecMainStatus "$1") == 0 &&
	   $(systemctl show -P ExecMainStartTimestampMonotonic "$1") -gt 0 ]]
}

# instance_ran UNIT: a template instance that is gone once it ended (no
# RemainAfterExit, so systemd forgets it): its journal says it ran and
# ended well, and nothing failed.
# It may still be running, or queued, when the stage starts: udev started
# it when the PF's driver bound, apart from the boot's ordering; it is
# waited for (at most 300 s), as the trixie run showed.
instance_ran() {
	local log i
	udevadm settle --timeout=60 || true
	for ((i = 0; i < 300; i++)); do
		[[ -z $(systemctl list-jobs --no-legend "$1" 2>/dev/null) ]] &&
			[[ $(systemctl show -P ActiveState "$1") != @(active|activating|deactivating) ]] &&
			break
		sleep 1
	done
	log=$(journalctl -b -o cat -u "$1")
	grep -q "^Starting $1" <<<"$log" && grep -q "^Finished $1" <<<"$log" &&
		! grep -q "^Failed to start $1" <<<"$log"
}

# Boot 3, after a power-off: restored; ordered before VMs; the next
# kernel, first without its headers.
stage_restored() {
	local t_apply t_vm k new image meta
	PF=$(sim_pf)
	step 4 "power off, boot: restored"
	boot_clean
	check "vgpu-nl-apply.service ran and succeeded" unit_ran vgpu-nl-apply.service
	diag "$(journalctl -b -o cat -u vgpu-nl-apply.service | head -n 30)"
	check "60-vgpu-nl.rules started vgpu-nl-apply@$PF.service when the PF's driver bound, and it succeeded" \
		instance_ran "vgpu-nl-apply@$PF.service"
	diag "$(journalctl -b -o cat -u "vgpu-nl-apply@$PF.service" | head -n 30)"
	same_state "the VF count, VF drivers, quotas, quota files and mdevs (UUIDs, owned) are back"
	expect_out "^nothing to change$" "vgpu-nl apply: nothing to change" vgpu-nl apply

	step O "ordering"
	t_apply=$(systemctl show -P ExecMainExitTimestampMonotonic vgpu-nl-apply.service)
	t_vm=$(systemctl show -P ExecMainStartTimestampMonotonic pve-guests.service)
	check "the VM service (stand-in pve-guests.service) started after vgpu-nl-apply.service ended ($t_apply < $t_vm us)" \
		test "$t_apply" -gt 0 -a "$t_vm" -gt "$t_apply"
	expect_out "pve-guests.service" "vgpu-nl-apply.service is Before= it" \
		systemctl show -P Before vgpu-nl-apply.service
	jq_ok "the VM service found the 7 VFs" '.vfs | length == 7' /run/vgpu-systest-vm/vfs.json
	jq_ok "... and the mdevs" "[.mdevs[].uuid] | sort == $(jq -c '[.mdevs[].uuid] | sort' "$P/state.json")" \
		/run/vgpu-systest-vm/mdevs.json

	step H "headers missing"
	k=$(uname -r)
	# The kernel's own package, not the meta package: upgrading
	# linux-image-amd64 upgrades the linux-headers-amd64 installed with it
	# (they go in step), headers and all, which is step 5 proper.
	# shellcheck disable=SC2086 # options
	image=$(apt-get install -s $UPGRADE_APT "$UPGRADE_IMAGE" |
		awk '$1 == "Inst" && $2 ~ /^linux-image-[0-9]+\.[0-9]+\.[0-9]+.*-amd64$/ {print $2; exit}')
	check "the kernel $UPGRADE_IMAGE brings: $image" test -n "$image"
	# Debian 13's backports kernels (7.x) come with linux-base-amd64,
	# whose version upgrades the linux-headers-amd64 installed beside the
	# image: the new kernel's headers come along. A host whose headers
	# are installed by version (apt install linux-headers-$(uname -r), as
	# DKMS's own docs put it) gets none: be that host.
	# shellcheck disable=SC2086 # options
	meta=$(apt-get install -s $UPGRADE_APT "$image" |
		awk '$1 == "Inst" && $2 ~ /^linux-headers-[a-z0-9]+$/ {print $2}')
	if [[ -n $meta ]]; then
		check "headers by version only: apt-mark manual linux-headers-$k; apt remove $meta" \
			sh -c "apt-mark manual 'linux-headers-$k' && apt remove -y $meta"
		# shellcheck disable=SC2086 # options
		check "... so that $image comes without headers" \
			sh -c "! apt-get install -s $UPGRADE_APT '$image' | grep -q '^Inst linux-headers-'"
	fi
	# shellcheck disable=SC2086 # options
	check "apt install $UPGRADE_APT $image (no headers)" \
		apt install -y $UPGRADE_APT "$image"
	printf '%s\n' "$TAP_OUT" | tail -n 20 | sed 's/^/  | /'
	[[ $TAP_RC -eq 0 ]] || return 1
	new=$(ls /lib/modules | sort -V | tail -n1)
	echo "$new" >"$P/new-kernel"
	check "a newer kernel is installed: $new (running $k)" test "$new" != "$k" -a -e "/boot/vmlinuz-$new"
	check "no headers for it, so DKMS built nothing" test ! -e "/lib/modules/$new/build" -a -z "$(dkms_ko "$new")"
	TAP_MAX_RC=1 expect_out "^fail +dkms +vgpu-nl/$(re_quote "$new"): $(re_quote "$new") has no headers" \
		"doctor names the kernel" vgpu-nl doctor
	printf '%s\n' "$TAP_OUT" | grep -A1 "vgpu-nl/$new" | sed 's/^/  | /'
	TAP_MAX_RC=1 expect_out "fix: apt install linux-headers-$(re_quote "$new") \(DKMS then builds vgpu-nl for it\)" \
		"... and the fix" vgpu-nl doctor
	same "... and fails (exit 1)" "$(vgpu-nl doctor >/dev/null 2>&1; echo $?)" 1
	# shellcheck disable=SC2086
	check "apt install $UPGRADE_APT $UPGRADE_HEADERS" apt install -y $UPGRADE_APT "$UPGRADE_HEADERS"
	printf '%s\n' "$TAP_OUT" | tail -n 20 | sed 's/^/  | /'
	[[ $TAP_RC -eq 0 ]] || return 1
	check "the headers' hook made DKMS build vgpu_nl for $new: $(dkms_ko "$new")" test -n "$(dkms_ko "$new")"
	expect_out "^ok +dkms +vgpu-nl/$(re_quote "$new")" "doctor: now installed for $new" vgpu-nl doctor

	step 5 "kernel upgrade"
	expect_out "^[[:space:]]*linux[[:space:]]+/boot/vmlinuz-$(re_quote "$new") " \
		"update-grub made $new GRUB's default entry" \
		awk '/^menuentry /{m=1} m && $1 == "linux" {print; exit}' /boot/grub/grub.cfg
	NEXT=reboot
}

# Boot 4, the new kernel: restored there; vgpu-nl upgraded in place; the
# file deleted for the next boot.
stage_new_kernel() {
	local new ko k u out
	PF=$(sim_pf)
	new=$(cat "$P/new-kernel")
	step 5 "kernel upgrade"
	boot_clean
	same "GRUB booted the new kernel" "$(uname -r)" "$new"
	ko=$(dkms_ko "$new")
	same "vgpu_nl was loaded from updates/dkms" "$(modinfo -n vgpu_nl)" "$ko"
	same "... that very file (srcversion)" "$(cat /sys/module/vgpu_nl/srcversion)" \
		"$(modinfo -F srcversion "$ko")"
	check "vgpu-nl-apply.service ran and succeeded" unit_ran vgpu-nl-apply.service
	same_state "the same VFs, drivers, quotas and mdevs on $new"
	expect_out "^nothing to change$" "vgpu-nl apply: nothing to change" vgpu-nl apply
	check "doctor: no failure" vgpu-nl doctor
	printf '%s\n' "$TAP_OUT" | sed 's/^/  | /'

	step 6 "vgpu-nl upgrade"
	check "apt install of $NEXT_VERSION while VFs and mdevs exist" \
		apt install -y "$S/debs-next/vgpu-nl-dkms_${NEXT_VERSION}_all.deb" \
		"$S/debs-next/vgpu-nl_${NEXT_VERSION}_amd64.deb"
	printf '%s\n' "$TAP_OUT" | tail -n 30 | sed 's/^/  | /'
	[[ $TAP_RC -eq 0 ]] || return 1
	expect_out "^vgpu-nl tool $(re_quote "$NEXT_VERSION")" "the tool is $NEXT_VERSION" vgpu-nl version
	for k in $(ls /lib/modules); do
		[[ -e /lib/modules/$k/build ]] || continue
		expect_out "^version: +$(re_quote "$NEXT_VERSION")$" \
			"DKMS replaced the module for $k" modinfo "$(dkms_ko "$k")"
	done
	check "... and removed $VERSION from DKMS" \
		test -z "$(dkms status -m vgpu-nl -v "$VERSION")" -a ! -e "/var/lib/dkms/vgpu-nl/$VERSION"
	same_state "the running state is untouched (the old module still runs)"
	check "the old module is unloaded" modprobe -r vgpu_nl
	check "the new one is loaded" modprobe vgpu_nl
	same "... of version $NEXT_VERSION" "$(cat /sys/module/vgpu_nl/version)" "$NEXT_VERSION"
	same_state "after the reload: the same state, the mdevs still vgpu-nl's (owned)"
	check "reset without force" vgpu-nl reset "pci/$PF"
	out=$TAP_OUT
	printf '%s\n' "$out" | sed 's/^/  | /'
	for u in $(jq -r '.mdevs[].uuid' "$P/state.json"); do
		expect_out "^mdev del $u " "... removed mdev $u" echo "$out"
	done
	same "... no mdevs left" "$(ls /sys/bus/mdev/devices | wc -l)" 0
	same "... no VFs left" "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" 0

	step D "no config"
	check "rm /etc/vgpu-nl/vgpu-nl.conf" rm /etc/vgpu-nl/vgpu-nl.conf
	NEXT=reboot
}

# Boot 5: no file, default state; then rollback and purge.
stage_no_config() {
	PF=$(sim_pf)
	step D "no config"
	boot_clean
	check "no /etc/vgpu-nl/vgpu-nl.conf (the .bak of the last save is there)" \
		test ! -e /etc/vgpu-nl/vgpu-nl.conf -a -e /etc/vgpu-nl/vgpu-nl.conf.bak
	expect_out "^no$" "vgpu-nl-apply.service was skipped (ConditionPathExists)" \
		systemctl show -P ConditionResult vgpu-nl-apply.service
	expect_out "^success$" "... and did not fail" systemctl show -P Result vgpu-nl-apply.service
	same "the GPU is in its default state: no VFs" "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" 0
	same "... no mdevs" "$(ls /sys/bus/mdev/devices | wc -l)" 0
	same "vgpu_nl $NEXT_VERSION is loaded" "$(cat /sys/module/vgpu_nl/version)" "$NEXT_VERSION"

	step 7 "rollback and purge"
	check "vgpu-nl host rollback --run-hooks" vgpu-nl host rollback --run-hooks
	printf '%s\n' "$TAP_OUT" | sed 's/^/  | /'
	check "apt purge vgpu-nl vgpu-nl-dkms" apt purge -y vgpu-nl vgpu-nl-dkms
	printf '%s\n' "$TAP_OUT" | tail -n 20 | sed 's/^/  | /'
	NEXT=reboot
}

# owners PATH: the packages dpkg says PATH is of, "" if none.
owners() {
	dpkg -S "$1" 2>/dev/null | sed -n '1s/: .*//p' | tr -d ,
}

# all_new OWNERS NEWPKGS: every package in OWNERS is one of NEWPKGS.
all_new() {
	local o
	for o in $1; do
		grep -qxF -- "$o" "$2" || return 1
	done
	[[ -n $1 ]]
}

# ancestor_owners PATH: the packages of PATH's nearest directory that a
# package ships, below the listing's roots (/etc itself is base-files').
ancestor_owners() {
	local d=$1 o
	while d=$(dirname "$d") && [[ $d != / && $d != /etc && $d != /var/lib/dkms ]]; do
		o=$(owners "$d")
		[[ -z $o ]] || { printf '%s\n' "$o"; return; }
	done
}

# made_by OWNERS PATH: PATH looks made by the maintainer scripts of the
# packages in OWNERS: a script names it, or it bears the name of one of
# their own files (apparmor's postinst makes local/PROFILE for each of
# its profiles, tunables/*.d/site.local like its own).
made_by() {
	local o
	for o in $1; do
		o=${o%%:*}
		grep -qsF -- "$2" /var/lib/dpkg/info/"$o".{preinst,postinst} && return 0
		dpkg -L "$o" 2>/dev/null | grep -q -- "/${2##*/}\$" && return 0
	done
	return 1
}

# new_libs NEWPKGS: some package in NEWPKGS ships a shared library, so
# ldconfig's trigger rewrote /etc/ld.so.cache.
new_libs() {
	local p
	while read -r p; do
		dpkg -L "$p" 2>/dev/null | grep -q '\.so[.0-9]*$' && return 0
	done <"$1"
	return 1
}

# listing_same BEFORE AFTER NEWPKGS: the listings differ only in what is
# not vgpu-nl's and stays by design:
#  - files of the packages in NEWPKGS (what the kernel upgrade of step 5
#    brought: the kernel, apparmor...), which nothing after it removes;
#  - what their maintainer scripts made without dpkg listing it: links to
#    their own files (apparmor's postinst enables apparmor.service:
#    sysinit.target.wants, rcS.d) count as the package they point to,
#    files in their own directories (apparmor.d/local/*, tunables/*.d/*)
#    as that directory's package when its scripts name them or they bear
#    the name of one of its files, and /etc/ld.so.cache when one of them
#    brought a library;
#  - DKMS's module-signing key /var/lib/dkms/mok.{key,pub}, which dkms
#    makes at its first build (step 1's) and keeps for every later one:
#    it may be enrolled in the firmware, so purging a module package must
#    not take it.
# Prints what differs, each line with its reason; fails on anything else.
listing_same() {
	local side line path target owners dir why bad=0
	while read -r side line; do
		case $line in
		"l "*) path=$(cut -d' ' -f2 <<<"$line") ;;
		*) path=${line##* } ;;
		esac
		owners=$(owners "$path") why=
		if [[ -z $owners && $line == "l "* ]]; then
			target=$(cut -d' ' -f3 <<<"$line")
			[[ $target == /* ]] || target=$(dirname "$path")/$target
			owners=$(owners "$(realpath -m "$target")")
			[[ -n $owners ]] || owners=$(owners "$(realpath -m "$target" | sed 's|^/usr/lib/|/lib/|')")
		fi
		if [[ -n $owners ]] && grep -qxF -f <(tr ' ' '\n' <<<"$owners") "$3"; then
			why="new package's ($owners)"
		elif [[ -z $owners ]] && dir=$(ancestor_owners "$path") &&
			all_new "$dir" "$3" && made_by "$dir" "$path"; then
			why="made by a new package's scripts in its directory ($dir)"
		elif [[ $path == /etc/ld.so.cache ]] && new_libs "$3"; then
			why="ldconfig's cache, new packages brought libraries"
		elif [[ $side == ">" && ( $path == /var/lib/dkms/mok.key || $path == /var/lib/dkms/mok.pub ) ]]; then
			why="DKMS's signing key, kept by design"
		fi
		if [[ -n $why ]]; then
			echo "$side $why: $line"
		else
			echo "$side DIFFERS${owners:+ (of $owners)}: $line"
			bad=1
		fi
	done < <(diff "$1" "$2" | grep '^[<>] ')
	return $bad
}

# Boot 6: the host as it was before step 1.
stage_clean() {
	local p
	PF=$(sim_pf)
	step 7 "rollback and purge"
	boot_clean
	host_listing >"$P/listing.after"
	dpkg-query -W -f '${binary:Package}\n' | sort >"$P/packages.after"
	comm -13 "$S/packages.before" "$P/packages.after" >"$P/packages.new"
	diag "packages the scenario added (the next kernel's): $(paste -sd ' ' "$P/packages.new")"
	check "/etc, /lib/modules/*/updates and /var/lib/dkms as before step 1, but the new kernel's packages' files" \
		listing_same "$S/listing.before" "$P/listing.after" "$P/packages.new"
	printf '%s\n' "$TAP_OUT" | head -n 60 | sed 's/^/  | /'
	check "no /etc/vgpu-nl, /run/vgpu-nl, /var/lib/vgpu-nl" \
		sh -c '! ls -d /etc/vgpu-nl /run/vgpu-nl /var/lib/vgpu-nl 2>/dev/null'
	for p in $(mode_params); do
		check "/proc/cmdline is without $p" sh -c "! grep -qw -- '$p' /proc/cmdline"
	done
	check "vgpu_nl is not loaded, and is nowhere" \
		sh -c '! test -d /sys/module/vgpu_nl && ! ls /lib/modules/*/updates/dkms/vgpu_nl.ko* 2>/dev/null'
	check "no vgpu-nl files: tool, sources, DKMS tree" \
		sh -c '! ls -d /usr/sbin/vgpu-nl /usr/src/vgpu-nl-* /var/lib/dkms/vgpu-nl 2>/dev/null'
	NEXT=poweroff
}
