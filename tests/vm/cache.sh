# SPDX-License-Identifier: GPL-2.0
#
# cache.sh - where the test bed keeps what it downloads and builds between
# runs (sourced by tests/vm/kernels, tests/vm/newest and their users).
#
#   VGPU_CACHE   default: build/cache in this checkout (make clean removes
#                it; everything in it is made again when missing). Point
#                several checkouts at one directory to share it.
#   root_run ROOT CMD...
#                runs CMD chrooted in the build root ROOT with its own /proc
#                and /dev/pts, in a private mount namespace: nothing stays
#                mounted on the host when CMD ends, however it ends.

: "${VGPU_CACHE:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/cache}"
export VGPU_CACHE

root_run() {
	local root=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -m --propagation private -- /bin/sh -c '
		root=$1; shift
		mount -t proc proc "$root/proc" || exit 1
		mount -t devpts -o newinstance devpts "$root/dev/pts" 2>/dev/null
		exec chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
	' root_run "$root" "$@"
}
