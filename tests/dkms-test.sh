#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The DKMS auto-rebuild path, end to end, on this host (root):
#
#   1. `make install` for the older kernel only: DKMS builds vgpu_nl.ko there
#      and nowhere else;
#   2. reinstalling the newer kernel's headers package, with no project
#      command, makes the kernel's own hook (/etc/kernel/header_postinst.d/
#      dkms) build and install the module for that kernel;
#   3. the VM lane of the newer kernel boots, loads that very file with
#      modprobe and drives it with vgpu-nl (tests/dkms/guest-check.sh);
#   4. `make uninstall` leaves nothing behind;
#   5. DKMS's gate takes a kernel series that does not exist yet: a fake
#      release 8.0.0-1-amd64 (its build link pointing at real headers) is
#      built for, on Debian 12's DKMS here and on Debian 13's in the root;
#   6. in the Debian 13 build root of the newest lane (tests/vm/newest),
#      with its DKMS 3.2: dkms add/build/install for the newest backports
#      kernel, the module signed as that DKMS signs (modinfo signer) with
#      that kernel's vermagic, and the newest VM lane loads it by modprobe.
#
# It changes the host's and the root's DKMS state, so it starts from and
# returns to "not installed". Prints TAP lines and "N passed, N failed".
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. tests/lib/tap.sh

mapfile -t kernels < <(tests/vm/kernels list --host)
if [ ${#kernels[@]} -lt 2 ]; then
	not_ok "dkms: needs two installed kernels with headers, found ${#kernels[*]}"
	tap_done
	exit 1
fi
old=${kernels[0]}
new=${kernels[-1]}
series=$(echo "$new" | cut -d. -f1,2)

dkms_ko() { ls /lib/modules/"$1"/updates/dkms/vgpu_nl.ko* 2>/dev/null; }
# Kernel releases contain regex metacharacters ("6.12.117+deb12-amd64").
re_quote() { sed 's/[][\\.^$*+?(){}|]/\\&/g' <<<"$1"; }

make -s uninstall >/dev/null 2>&1 || true
check "dkms: clean start, no module for $new" test -z "$(dkms_ko "$new")"

check "dkms: make install for $old" scripts/dkms-install.sh install "$old"
check "dkms: module built for $old" test -n "$(dkms_ko "$old")"
check "dkms: nothing built for $new yet" test -z "$(dkms_ko "$new")"
check "dkms: tool installed" test -x /usr/local/sbin/vgpu-nl

marker=$(mktemp)
pkg=$(dpkg -S "/lib/modules/$new/build" | cut -d: -f1)
diag "reinstalling $pkg (its postinst runs /etc/kernel/header_postinst.d/dkms)"
check "dkms: apt reinstall of $pkg succeeds" \
	env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "$pkg"
ko=$(dkms_ko "$new")
check "dkms: the header hook built vgpu_nl for $new" test -n "$ko"
check "dkms: that module is new (built by the reinstall)" test -n "$ko" -a "$ko" -nt "$marker"
expect_out "vgpu-nl/.*, $(re_quote "$new"), x86_64: installed" "dkms: status says installed for $new" \
	dkms status -m vgpu-nl
rm -f "$marker"

tap_run tests/vm/run -k "$series" --dkms -- tests/dkms/guest-check.sh
printf '%s\n' "$TAP_OUT" | sed 's/^/# vm: /'
if [ $TAP_RC -eq 0 ]; then
	ok "dkms: the $series VM lane loads and drives the DKMS-built module"
else
	not_ok "dkms: the $series VM lane loads and drives the DKMS-built module"
	tap_show
fi

# The gate: a release of a series that does not exist yet is built for.
fake=8.0.0-1-amd64
fake_gate() {
	local root=$1 dkmsv
	rm -rf "$root/lib/modules/$fake"
	mkdir -p "$root/lib/modules/$fake"
	ln -s "/lib/modules/$2/build" "$root/lib/modules/$fake/build"
	dkmsv=$(in_root "$root" dkms --version)
	tap_run in_root "$root" dkms build -m vgpu-nl -v "$ver" -k "$fake"
	if [ "$TAP_RC" -eq 0 ]; then
		ok "dkms: $dkmsv builds for a future release $fake (the gate lets it through)"
	else
		not_ok "dkms: $dkmsv builds for a future release $fake (the gate lets it through)"
		tap_show
	fi
	check "dkms: ... and says nothing of BUILD_EXCLUSIVE" \
		sh -c "! printf '%s' \"\$1\" | grep -qi exclusive" sh "$TAP_OUT$TAP_ERR"
	in_root "$root" dkms remove -m vgpu-nl -v "$ver" -k "$fake" >/dev/null 2>&1 || true
	rm -rf "$root/lib/modules/$fake"
}
# in_root ROOT CMD...: CMD on the host (ROOT "") or in a build root.
in_root() {
	local root=$1
	shift
	if [ -z "$root" ]; then "$@"; else root_run "$root" "$@"; fi
}
. tests/vm/cache.sh
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
fake_gate "" "$new"

check "dkms: make uninstall" make -s uninstall
check "dkms: no module left for any kernel" \
	test -z "$(ls /lib/modules/*/updates/dkms/vgpu_nl.ko* 2>/dev/null)"
check "dkms: sources and tool removed" \
	test ! -e /usr/src/vgpu-nl-* -a ! -e /usr/local/sbin/vgpu-nl
check "dkms: dkms knows nothing of vgpu-nl" test -z "$(dkms status -m vgpu-nl)"

# Debian 13's DKMS, in the root the newest lane is built in.
if newest=$(tests/vm/kernels resolve newest); then
	eval "$(tests/vm/kernels info "$newest")"
	root=$KROOT
	in_root "$root" dkms remove -m vgpu-nl -v "$ver" --all >/dev/null 2>&1 || true
	rm -rf "$root/usr/src/vgpu-nl-$ver"
	make -s install-module-files DESTDIR="$root" MODLOADDIR=/etc/modules-load.d
	check "dkms (Debian 13, $(in_root "$root" dkms --version)): add" \
		in_root "$root" dkms add -m vgpu-nl -v "$ver"
	check "dkms (Debian 13): build for $newest" \
		in_root "$root" dkms build -m vgpu-nl -v "$ver" -k "$newest"
	check "dkms (Debian 13): install for $newest" \
		in_root "$root" dkms install -m vgpu-nl -v "$ver" -k "$newest"
	ko=$(ls "$root/lib/modules/$newest/updates/dkms/"vgpu_nl.ko* 2>/dev/null | head -n1)
	check "dkms (Debian 13): module in updates/dkms" test -n "$ko"
	expect_out "^$(re_quote "$newest") " "dkms (Debian 13): vermagic is $newest's" \
		in_root "$root" modinfo -F vermagic "${ko#"$root"}"
	# Debian 13's DKMS signs what it builds with its own key (mok.pub).
	signer=$(in_root "$root" sh -c 'openssl x509 -in /var/lib/dkms/mok.pub -noout -subject -nameopt multiline 2>/dev/null ||
		openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -subject -nameopt multiline' |
		sed -n 's/^ *commonName *= *//p')
	expect_out "^$(re_quote "$signer")\$" "dkms (Debian 13): signed with DKMS's key ($signer)" \
		in_root "$root" modinfo -F signer "${ko#"$root"}"
	tap_run tests/vm/run -k "$newest" --dkms -- tests/dkms/guest-check.sh
	printf '%s\n' "$TAP_OUT" | sed 's/^/# vm: /'
	if [ $TAP_RC -eq 0 ]; then
		ok "dkms (Debian 13): the $newest VM lane loads and drives that module"
	else
		not_ok "dkms (Debian 13): the $newest VM lane loads and drives that module"
		tap_show
	fi
	fake_gate "$root" "$newest"
	check "dkms (Debian 13): remove" in_root "$root" dkms remove -m vgpu-nl -v "$ver" --all
	check "dkms (Debian 13): nothing left" \
		test -z "$(ls "$root/lib/modules/"*/updates/dkms/vgpu_nl.ko* 2>/dev/null)"
	rm -rf "$root/usr/src/vgpu-nl-$ver" "$root/etc/modules-load.d/vgpu_nl.conf"
else
	not_ok "dkms (Debian 13): no newest lane (tests/vm/newest failed)"
fi
tap_done
