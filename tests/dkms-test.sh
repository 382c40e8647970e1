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
#   4. `make uninstall` leaves nothing behind.
#
# It changes the host's DKMS state, so it starts from and returns to
# "not installed". Prints TAP lines and "N passed, N failed".
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

check "dkms: make uninstall" make -s uninstall
check "dkms: no module left for any kernel" \
	test -z "$(ls /lib/modules/*/updates/dkms/vgpu_nl.ko* 2>/dev/null)"
check "dkms: sources and tool removed" \
	test ! -e /usr/src/vgpu-nl-* -a ! -e /usr/local/sbin/vgpu-nl
check "dkms: dkms knows nothing of vgpu-nl" test -z "$(dkms status -m vgpu-nl)"
tap_done
