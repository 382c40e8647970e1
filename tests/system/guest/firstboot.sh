# SPDX-License-Identifier: GPL-2.0
#
# firstboot.sh (guest, test only): the image's first boot, part of making
# it (tests/system/mkimage; its recipe, so a change makes new images).

# The image's own grub-install on its own disk, as the Debian installer
# does, and update-grub. The initramfs gets the modules this host needs
# (MODULES=dep) rather than most of them: it is made again at every
# "update-initramfs -u" under TCG, about twice as fast.
stage_install_bootloader() {
	local disk=/dev/vda
	step 0 "boot loader"
	check "grub-install $disk" grub-install "$disk"
	echo "grub-pc grub-pc/install_devices multiselect $disk" | debconf-set-selections
	printf '# Only the modules this host needs (the default: most of them).\nMODULES=dep\n' \
		>/etc/initramfs-tools/conf.d/modules-dep
	check "update-initramfs -u -k all (MODULES=dep)" update-initramfs -u -k all
	check "update-grub" update-grub
	NEXT=poweroff
}
