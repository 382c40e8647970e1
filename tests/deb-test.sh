#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages, end to end, on this host (root):
#
#   1. `make deb` builds vgpu-nl-dkms and vgpu-nl;
#   2. `apt-get install ./vgpu-nl-dkms_*.deb ./vgpu-nl_*.deb` makes DKMS
#      build and install vgpu_nl.ko for every installed kernel with headers
#      (tests/vm/kernels list), of the package's version; the tool, its man
#      page, completion and modules-load.d entry are in place, and the tool
#      package holds exactly what `make install-files` installs;
#   3. `apt-get purge` leaves nothing behind: no sources, no DKMS tree, no
#      module, no file of either package, the same file list as before.
#
# The host here boots a kernel that is not installed (its release has no
# /lib/modules directory), in which case DKMS's common.postinst builds for
# every kernel anyway. A real host boots one of its installed kernels, and
# then common.postinst builds only for the running and the newest one; to
# test that case, an empty /lib/modules/$(uname -r) stands in for the
# running kernel's (no headers: nothing is built for it) while the
# packages are installed, and is removed again.
#
# It changes the host's DKMS and dpkg state, so it refuses to start unless
# vgpu-nl is installed neither by DKMS (make install) nor as a package, and
# it returns to that state. Prints TAP lines and "N passed, N failed".
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. tests/lib/tap.sh

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
apt_get() {
	env DEBIAN_FRONTEND=noninteractive apt-get -y -q \
		-o DPkg::Lock::Timeout=300 "$@"
}
pkg_installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q ' installed$'
}

# Refuse rather than clobber an install someone else made.
if [ "$(id -u)" -ne 0 ]; then
	not_ok "deb: must run as root (it installs packages)"
	tap_done
	exit 1
fi
held=
[ -z "$(dkms status -m vgpu-nl 2>/dev/null)" ] ||
	held="DKMS has vgpu-nl: $(dkms status -m vgpu-nl | paste -sd ' ')"
for p in vgpu-nl vgpu-nl-dkms; do
	if dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qv '^unknown\|not-installed'; then
		held="package $p is installed"
	fi
done
compgen -G '/usr/src/vgpu-nl-*' >/dev/null && held="/usr/src/vgpu-nl-* exists"
if [ -n "$held" ]; then
	not_ok "deb: vgpu-nl is already installed on this host ($held); not touching it: run 'make uninstall' or 'apt-get purge vgpu-nl vgpu-nl-dkms' first"
	tap_done
	exit 1
fi

mapfile -t kernels < <(tests/vm/kernels list --host)
watched=(/usr/src /usr/sbin /usr/share/man/man8 /usr/share/bash-completion/completions
	/usr/lib/modules-load.d /etc/modules-load.d /usr/share/doc /var/lib/dkms
	/lib/modules /etc/dkms)
snapshot() { find "${watched[@]}" 2>/dev/null | sort; }
before=$(mktemp)
after=$(mktemp)
snapshot >"$before"

fake_kdir=/lib/modules/$(uname -r)
made_fake=
installed=
cleanup() {
	if [ -n "$installed" ]; then
		apt_get purge vgpu-nl vgpu-nl-dkms >/dev/null 2>&1 || true
		if [ -n "$(dkms status -m vgpu-nl 2>/dev/null)" ]; then
			dkms remove -m vgpu-nl -v "$ver" --all >/dev/null 2>&1 || true
		fi
	fi
	[ -z "$made_fake" ] || rmdir "$fake_kdir" 2>/dev/null || true
	rm -f "$before" "$after"
}
trap cleanup EXIT

# 1. the build
tap_run make -s deb
debs=$(grep '\.deb$' <<<"$TAP_OUT" || true)
dkms_deb=$(grep '/vgpu-nl-dkms_[^/]*_all\.deb$' <<<"$debs" || true)
tool_deb=$(grep '/vgpu-nl_[^/]*\.deb$' <<<"$debs" || true)
if [ $TAP_RC -eq 0 ] && [ -f "$dkms_deb" ] && [ -f "$tool_deb" ]; then
	ok "deb: make deb builds vgpu-nl-dkms and vgpu-nl"
else
	not_ok "deb: make deb builds vgpu-nl-dkms and vgpu-nl"
	tap_show
	tap_done
	exit 1
fi
check "deb: both at version $ver (dkms.conf)" test \
	"$(dpkg-deb -f "$dkms_deb" Version) $(dpkg-deb -f "$tool_deb" Version)" = "$ver $ver"
expect_out '^all$' "deb: vgpu-nl-dkms is Architecture: all" dpkg-deb -f "$dkms_deb" Architecture
expect_out "^$(dpkg --print-architecture)\$" "deb: vgpu-nl is Architecture: $(dpkg --print-architecture)" \
	dpkg-deb -f "$tool_deb" Architecture
expect_out '^vgpu-nl-dkms' "deb: vgpu-nl recommends vgpu-nl-dkms" dpkg-deb -f "$tool_deb" Recommends
if command -v lintian >/dev/null; then
	# Advice, not a verdict: shown, not counted.
	diag "lintian: $(lintian "$dkms_deb" "$tool_deb" 2>&1 || true)"
else
	diag "lintian is not installed: package lint skipped (optional)"
fi

# 2. the install
if [ ! -e "$fake_kdir" ]; then
	mkdir "$fake_kdir"
	made_fake=1
	diag "standing in for the running kernel's $fake_kdir (no headers)"
fi
installed=1
check "deb: apt-get install ./vgpu-nl-dkms_$ver ./vgpu-nl_$ver" \
	apt_get install "$dkms_deb" "$tool_deb"
if [ -n "$made_fake" ]; then
	rmdir "$fake_kdir" && made_fake=
fi

[ ${#kernels[@]} -gt 0 ] || not_ok "deb: no installed kernel with headers to build for"
for k in "${kernels[@]}"; do
	expect_out "^vgpu-nl/$ver, $(sed 's/[][\\.^$*+?(){}|]/\\&/g' <<<"$k"), [^:]*: installed" \
		"deb: dkms status: installed for $k" dkms status -m vgpu-nl -v "$ver" -k "$k"
	check "deb: vgpu_nl.ko* under /lib/modules/$k/updates/dkms/" \
		compgen -G "/lib/modules/$k/updates/dkms/vgpu_nl.ko*"
	expect_out "^$ver\$" "deb: modinfo -k $k vgpu_nl: version $ver" \
		modinfo -k "$k" -F version vgpu_nl
done
expect_out "$ver" "deb: /usr/sbin/vgpu-nl --version" /usr/sbin/vgpu-nl --version
expect_out '^/usr/share/man/man8/vgpu-nl\.8\.gz$' "deb: man -w vgpu-nl" man -w vgpu-nl
check "deb: completion installed, bash -n passes" \
	bash -n /usr/share/bash-completion/completions/vgpu-nl
expect_out '^vgpu_nl$' "deb: module loaded at boot (modules-load.d)" \
	cat /usr/lib/modules-load.d/vgpu_nl.conf

# The packages and `make install` install one set (the Makefile's lists):
# same_set PKG TARGET VAR=VALUE...
same_set() {
	local pkg=$1 target=$2 stage want have
	shift 2
	stage=$(mktemp -d)
	make -s "$target" DESTDIR="$stage" "$@" >/dev/null
	want=$(cd "$stage" && find . -type f | sed 's/^\.//; s/\.8$/.8.gz/' | sort)
	have=$(dpkg -L "$pkg" | grep -v '^/usr/share/doc/' |
		while read -r f; do [ -f "$f" ] && echo "$f"; done | sort)
	rm -rf "$stage"
	if [ -n "$want" ] && [ "$want" = "$have" ]; then
		ok "deb: $pkg holds what make $target installs"
	else
		not_ok "deb: $pkg holds what make $target installs"
		diag "$(diff <(echo "$want") <(echo "$have"))"
	fi
}
same_set vgpu-nl install-files PREFIX=/usr
same_set vgpu-nl-dkms install-module-files MODLOADDIR=/usr/lib/modules-load.d

# 3. the removal
pkgfiles=$(for d in "$dkms_deb" "$tool_deb"; do dpkg-deb -c "$d"; done |
	awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }')
check "deb: apt-get purge vgpu-nl vgpu-nl-dkms" apt_get purge vgpu-nl vgpu-nl-dkms
installed=
check "deb: neither package is installed any more" \
	bash -c '! dpkg-query -W -f="\${Status}\n" vgpu-nl vgpu-nl-dkms 2>/dev/null | grep -q " installed$"'
check "deb: no /usr/src/vgpu-nl-*" test -z "$(compgen -G '/usr/src/vgpu-nl-*')"
check "deb: no /var/lib/dkms/vgpu-nl" test ! -e /var/lib/dkms/vgpu-nl
check "deb: dkms knows nothing of vgpu-nl" test -z "$(dkms status -m vgpu-nl)"
check "deb: no vgpu_nl.ko* under /lib/modules" \
	test -z "$(find /lib/modules/ -name 'vgpu_nl.ko*' 2>/dev/null)"
left=$(while read -r f; do [ ! -e "$f" ] || echo "$f"; done <<<"$pkgfiles")
check "deb: no file of either package is left ($(wc -l <<<"$pkgfiles") files)" test -z "$left"
[ -z "$left" ] || diag "left: $left"
snapshot >"$after"
if cmp -s "$before" "$after"; then
	ok "deb: ${watched[*]}: the same files as before"
else
	not_ok "deb: ${watched[*]}: the same files as before"
	diag "$(diff "$before" "$after" | head -n 40)"
fi
tap_done
