/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hooks.h - the commands that make the next boot see a change of the
 * host's boot files: update-initramfs, and the boot loader's own
 * (update-grub, proxmox-boot-tool refresh)
 */
#ifndef VGPU_NL_HOST_HOOKS_H
#define VGPU_NL_HOST_HOOKS_H

#include <stdbool.h>

struct hs_hooks {
	bool initramfs;		/* update-initramfs -u */
	const char *boot;	/* the boot loader's, NULL if not needed */
};

/* Adds what a change of @path (as the host names it) needs. */
void hs_hooks_for(const char *path, struct hs_hooks *h);

/*
 * Prints the hooks as the next step ("commands" in JSON), or runs them
 * when @run (only ever for the running system). Returns 0, or -1 when one
 * failed (reported).
 */
int hs_hooks_finish(const struct hs_hooks *h, bool run);

#endif
