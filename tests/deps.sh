#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/deps.sh [--print] [--debug-kernel]: installs the Debian 12 packages
# that building, `make demo` and `make check` need, when any is missing.
# As root it runs apt-get itself; otherwise it prints the command and
# fails. --debug-kernel adds what building the debug-kernel lane's kernel
# needs (make check-debug: tests/vm/debug-kernel).
#
# Two test kernels come from Debian 12: linux-image-amd64 (6.1) and
# linux-image-6.12-amd64; their headers build the modules (6.12's need
# pahole, from dwarves). The third lane, the newest Debian 13 backports
# kernel, lives in a build root made with debootstrap (tests/vm/newest).
set -euo pipefail

pkgs=(
	build-essential pkg-config
	libnl-3-dev libnl-genl-3-dev libjson-c-dev
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	dwarves sparse dkms kmod
	qemu-system-x86 busybox-static cpio xz-utils debootstrap fdisk
	util-linux jq bc valgrind python3 python3-yaml python3-jsonschema mdevctl strace
	linux-source-6.12 clang libclang-rt-14-dev
	python3-prometheus-client
	debhelper dh-dkms dpkg-dev man-db groff-base bash-completion
	libvirt-clients libxml2-utils patch
)

# The debug-kernel lane builds Debian's kernel source itself.
debug_pkgs=(linux-source-6.12 flex bison libelf-dev libssl-dev bc)

print=
for arg in "$@"; do
	case $arg in
	--print) print=1 ;;
	--debug-kernel) pkgs+=("${debug_pkgs[@]}") ;;
	*) echo "usage: tests/deps.sh [--print] [--debug-kernel]" >&2; exit 2 ;;
	esac
done
[ -z "$print" ] || { echo "${pkgs[@]}"; exit 0; }

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
