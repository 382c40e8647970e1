#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/build-modules.sh [--w1|--sparse] KVER
#
# Builds vgpu_nl.ko and the simulated device (vgpu_sim.ko, with its VFIO
# variant driver vgpu_sim_vfio.ko) for kernel KVER
# into build/KVER/. Kbuild cannot put objects outside M= before 6.13, so the
# sources are mirrored there first (only changed files are copied, so builds
# stay incremental). --w1 adds W=1, --sparse runs sparse (C=2) on every
# file; both fail on any warning, as the project's standard demands.
#
# A kernel of a build root (tests/vm/kernels: 7.x from Debian 13) is built
# inside that root, with its compiler and kbuild tools: build/KVER is bound
# into the root for the build, in a private mount namespace.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
mode=plain
case "${1:-}" in
--w1) mode=w1; shift ;;
--sparse) mode=sparse; shift ;;
esac
kver=${1:?usage: $0 [--w1|--sparse] KVER}
eval "$("$top/tests/vm/kernels" info "$kver")" ||
	{ echo "build-modules: no usable kernel $kver" >&2; exit 1; }
kdir=$KBUILD
[ -d "$KROOT$kdir" ] || { echo "build-modules: no headers for $kver ($KROOT$kdir)" >&2; exit 1; }

# W=1 and sparse need every file compiled again: they get their own tree.
out=$top/build/$kver
[ $mode = plain ] || out=$top/build/$kver.$mode
mkdir -p "$out/sim"
cp -a -u "$top/Kbuild" "$top/dkms.conf" "$out/"
cp -a -u "$top/kmod" "$out/"
cp -a -u "$top/tests/sim/." "$out/sim/"
# cp -u never deletes: a source file removed from the checkout would stay in
# the mirror and still be found by an #include. Drop such leftovers (and
# their objects, so nothing stale is linked), but not what kbuild itself
# writes there (MODULE.mod.c): without it an incremental build has no rule
# for MODULE.mod.o.
prune() {
	local src=$1 dst=$2 f rel
	while IFS= read -r -d '' f; do
		rel=${f#"$dst"/}
		[ -e "$src/$rel" ] && continue
		rm -f "$f" "${f%.c}.o"
	done < <(find "$dst" -type f \( -name '*.[ch]' -o -name '*.mk' -o -name Kbuild \) \
		! -name '*.mod.c' -print0)
}
prune "$top/kmod" "$out/kmod"
prune "$top/tests/sim" "$out/sim"
# A mirror an older prune left without MODULE.mod.c: its module is made
# again from the start (kbuild writes the .mod.c only for a new .ko).
for f in "$out"/*.mod "$out"/sim/*.mod; do
	[ -e "$f" ] && [ ! -e "${f%.mod}.mod.c" ] && rm -f "$f" "${f%.mod}.ko"
done

extra=()
case $mode in
w1) extra=(W=1) ;;
sparse) extra=(C=2) ;;
esac

log=$out/build-$mode.log
# kmake DIR ARGS...: make in the kernel's tree for the module in DIR.
kmake() {
	local dir=$1
	shift
	if [ -z "$KROOT" ]; then
		make -s -C "$kdir" M="$dir" "$@"
		return
	fi
	. "$top/tests/vm/cache.sh"
	mkdir -p "$KROOT/mnt/vgpu"
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -m --propagation private -- /bin/sh -c '
		mount --bind "$1" "$2/mnt/vgpu" || exit 1
		mount -t proc proc "$2/proc" || exit 1	# objtool reads it
		root=$2 kdir=$3; shift 3
		exec chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			make -s -C "$kdir" M=/mnt/vgpu "$@"
	' kmake "$dir" "$KROOT" "$kdir" "$@"
}
build() {
	kmake "$1" "${extra[@]}" modules 2>&1 | tee -a "$log"
}
: >"$log"
[ $mode = plain ] || kmake "$out" clean >/dev/null 2>&1 || true
[ $mode = plain ] || kmake "$out/sim" clean >/dev/null 2>&1 || true
if ! build "$out" >/dev/null || ! build "$out/sim" >/dev/null ||
	[ ! -f "$out/vgpu_nl.ko" ] || [ ! -f "$out/sim/vgpu_sim.ko" ] ||
	[ ! -f "$out/sim/vgpu_sim_vfio.ko" ]; then
	cat "$log" >&2
	echo "build-modules: build for $kver failed" >&2
	exit 1
fi
cp -u "$out/sim/vgpu_sim.ko" "$out/sim/vgpu_sim_vfio.ko" "$out/"

# Scenario 47 installs vgpu_sim_vfio.ko in the guest's updates/ with the
# module indexes made here: by this machine's depmod, which is the one the
# guest runs (its root is this one), over the lane's modules and the
# variant. In the guest, under TCG and through 9p, depmod -a takes 2 to 3
# minutes on the xz-compressed trees of 6.12 and 7.3; here, 10 s. Made
# again when the variant, the lane's modules or depmod changed. They are
# one archive, renamed into place, so that runs in parallel never see it
# half made.
variant_indexes() {
	local mods=${KMODBASE%/}/lib/modules/$kver tar=$out/variant-indexes.tar
	local key tmp tree rc
	key=$({ depmod --version; md5sum <"$out/vgpu_sim_vfio.ko"
		find "$mods" -name '*.ko*' -printf '%P %s %T@\n' | sort; } | md5sum) || return 1
	[ -s "$tar" ] && [ "$(cat "$tar.key" 2>/dev/null)" = "$key" ] && return 0
	tmp=$(mktemp -d "$out/variant-indexes.XXXXXX") || return 1
	tree=$tmp/lib/modules/$kver
	# The tree as links. depmod writes each index to a new file that it
	# renames over the old one: the files it wrote are what it changed.
	mkdir -p "$tree/updates" && cp -rs "$mods/." "$tree/" &&
		cp "$out/vgpu_sim_vfio.ko" "$tree/updates/" &&
		depmod -b "$tmp" "$kver" &&
		find "$tree" -maxdepth 1 -type f -name 'modules.*' -printf '%P\0' |
		tar -C "$tree" --null -T - -cf "$tmp/indexes.tar" &&
		mv -f "$tmp/indexes.tar" "$tar" && printf '%s\n' "$key" >"$tar.key"
	rc=$?
	rm -rf "$tmp"
	return $rc
}
if [ $mode = plain ] && ! variant_indexes; then
	echo "build-modules: depmod for vgpu_sim_vfio on $kver failed" >&2
	exit 1
fi

# kbuild turns sparse off, with a note, when it thinks it too old: a
# sparse build that did not run sparse must not pass as clean.
if [ $mode = sparse ] && grep -q 'specified, but .* not available' "$log"; then
	echo "build-modules: sparse did not run for $kver (see above)" >&2
	exit 1
fi
# Any diagnostic is a failure in every mode: the code is kept warning-free.
if grep -E 'warning:|error:' "$log" >&2; then
	echo "build-modules: $mode build for $kver has warnings (see above)" >&2
	exit 1
fi
echo "build-modules: $mode build for $kver clean;" \
	"probes: $(awk '{printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2}' "$out/compat-probes.txt")"
