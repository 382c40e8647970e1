#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/mkdeb.sh (`make deb`): builds the Debian packages vgpu-nl-dkms
# (the module sources for DKMS) and vgpu-nl (the tool, its man page and
# bash completion) from this checkout, as it is, uncommitted edits too.
#
# dpkg-buildpackage writes next to the source tree, so the tree is copied to
# build/deb/vgpu-nl-VERSION/ and the packages land in build/deb/; they are
# then copied to build/ and their paths printed, one a line, on stdout.
# Everything else (the build's log) goes to stderr or build/deb/build.log.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

die() { echo "deb: $*" >&2; exit 1; }

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
[ -n "$ver" ] || die "no PACKAGE_VERSION in dkms.conf"
# One version everywhere: dkms.conf is the source, the changelog follows.
chver=$(dpkg-parsechangelog -l debian/changelog -S Version)
[ "$chver" = "$ver" ] ||
	die "debian/changelog is at $chver but dkms.conf PACKAGE_VERSION is $ver: add a changelog entry (dch -v $ver)"
mver=$(sed -n 's/^\.TH .* "vgpu\\-nl \([^"]*\)".*/\1/p' doc/vgpu-nl.8)
[ "$mver" = "$ver" ] ||
	die "doc/vgpu-nl.8 says version $mver but dkms.conf PACKAGE_VERSION is $ver"

out=$top/build/deb
src=$out/vgpu-nl-$ver
rm -rf "$out"
mkdir -p "$src"
tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -

cd "$src"
if ! missing=$(dpkg-checkbuilddeps 2>&1); then
	echo "$missing" >&2
	die "build dependencies missing: run tests/deps.sh (as root)"
fi
echo "deb: dpkg-buildpackage -us -uc -b in $src (log: $out/build.log)" >&2
if ! dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	die "dpkg-buildpackage failed; the whole log is $out/build.log"
fi

cd "$top"
for p in vgpu-nl-dkms_"${ver}"_all vgpu-nl_"${ver}"_"$(dpkg-architecture -qDEB_HOST_ARCH)"; do
	[ -f "$out/$p.deb" ] || die "$p.deb was not built (see $out/build.log)"
	cp "$out/$p.deb" "$top/build/"
	echo "$top/build/$p.deb"
done
