#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/dkms-install.sh install|uninstall [KVER...]
#
# install: registers the module sources with DKMS (/usr/src/vgpu-nl-VERSION),
# builds and installs vgpu_nl.ko for KVER (default: the running kernel),
# installs the vgpu-nl tool and has the module loaded at boot. From then on
# DKMS rebuilds the module whenever a kernel or its headers are installed
# (AUTOINSTALL=yes, /etc/kernel/{header_,}postinst.d/dkms).
# uninstall: removes all of that again, for every kernel.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
name=vgpu-nl
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
src=/usr/src/$name-$ver
sbindir=${SBINDIR:-/usr/local/sbin}
loadconf=/etc/modules-load.d/vgpu_nl.conf

die() { echo "install: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must be run as root (sudo make install)"

# Not a pipe into grep -q: with pipefail, dkms dying of SIGPIPE would read as "no".
registered() { [ -n "$(dkms status -m "$name" -v "$ver" 2>/dev/null)" ]; }

do_install() {
	local k kvers=("$@")
	command -v dkms >/dev/null ||
		die "dkms is not installed: apt-get install dkms linux-headers-$(uname -r)"
	[ ${#kvers[@]} -gt 0 ] || kvers=("$(uname -r)")
	for k in "${kvers[@]}"; do
		[ -d "/lib/modules/$k/build" ] ||
			die "no headers for kernel $k: apt-get install linux-headers-$k"
	done

	# Re-registering replaces the sources of an earlier install of the
	# same version, so an updated checkout is really what gets built.
	if registered; then
		dkms remove -m "$name" -v "$ver" --all >/dev/null
	fi
	rm -rf "$src"
	# The same files the vgpu-nl-dkms package ships (one list, Makefile).
	make -s -C "$top" install-module-files DESTDIR= MODLOADDIR="${loadconf%/*}"
	dkms add -m "$name" -v "$ver"
	for k in "${kvers[@]}"; do
		dkms install -m "$name" -v "$ver" -k "$k"
	done

	# The same files the vgpu-nl package ships (one list, Makefile).
	make -s -C "$top" install-files DESTDIR= SBINDIR="$sbindir"
	echo "install: vgpu_nl $ver installed for ${kvers[*]}; tool in $sbindir/vgpu-nl"
	echo "install: load it now with: modprobe vgpu_nl"
}

do_uninstall() {
	modprobe -r vgpu_nl 2>/dev/null || true
	if registered; then
		dkms remove -m "$name" -v "$ver" --all
	fi
	make -s -C "$top" uninstall-files DESTDIR= SBINDIR="$sbindir"
	rm -rf "$src" "$loadconf"
	echo "install: vgpu-nl $ver removed"
}

case "${1:-}" in
install) shift; do_install "$@" ;;
uninstall) do_uninstall ;;
*) die "usage: $0 install [KVER...] | uninstall" ;;
esac
