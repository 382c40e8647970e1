# SPDX-License-Identifier: GPL-2.0
#
# suites.sh - the two Debian releases of the system test (sourced by
# tests/system/mkimage and tests/system/run.sh): suite_vars SUITE sets
#
#   SUITES          the apt suites of the image
#   SECURITY        its security suite
#   UPGRADE_APT     apt's options for the next kernel
#   UPGRADE_IMAGE, UPGRADE_HEADERS
#                   the next kernel's packages (Debian 12: 6.1 -> 6.12;
#                   Debian 13: 6.12 -> the newest in trixie-backports,
#                   what its linux-image-amd64 depends on)
#   HOST_MODE       the README recipe whose host setup runs on it: gvt
#                   on Debian 12 (Proxmox VE 8 hosts with GVT-g's
#                   6th-10th gen GPUs), sriov on Debian 13

suite_vars() {
	case $1 in
	bookworm)
		SUITES=(bookworm bookworm-updates)
		SECURITY=bookworm-security
		UPGRADE_APT=()
		UPGRADE_IMAGE=linux-image-6.12-amd64
		UPGRADE_HEADERS=linux-headers-6.12-amd64
		HOST_MODE=gvt
		;;
	trixie)
		SUITES=(trixie trixie-updates trixie-backports)
		SECURITY=trixie-security
		UPGRADE_APT=(-t trixie-backports)
		UPGRADE_IMAGE=linux-image-amd64
		UPGRADE_HEADERS=linux-headers-amd64
		HOST_MODE=sriov
		;;
	*)
		return 1
		;;
	esac
}
