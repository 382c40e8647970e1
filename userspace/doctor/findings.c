// SPDX-License-Identifier: GPL-2.0
/*
 * findings.c - the findings list of "vgpu-nl doctor", and the fix that
 * names the host's boot loader
 *
 * Doctor reads the host only through the host layer (host/rootfs.h,
 * host/pci.h, host/bootloader.h, host/modules.h), so that its findings
 * and "vgpu-nl host" agree on what the host is.
 */
#define _GNU_SOURCE	/* vasprintf() */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor/doctor.h"
#include "host/bootloader.h"
#include "host/rootfs.h"

char *dr_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	return ret < 0 ? NULL : s;
}

void dr_add(struct doctor *d, const char *check, enum doctor_status status,
	    const char *subject, char *evidence, char *fix)
{
	struct doctor_finding *f;
	char *subj = strdup(subject);

	if (d->n == d->cap) {
		f = realloc(d->f, (d->cap ? d->cap * 2 : 32) * sizeof(*f));
		if (f) {
			d->f = f;
			d->cap = d->cap ? d->cap * 2 : 32;
		}
	}
	if (d->n == d->cap || !evidence || !subj) {
		d->nomem = true;
		free(subj);
		free(evidence);
		free(fix);
		return;
	}
	f = &d->f[d->n++];
	f->check = check;
	f->status = status;
	f->subject = subj;
	f->evidence = evidence;
	f->fix = fix;
}

char *dr_boot_fix(const char *params)
{
	struct boot_cfg cfg;
	char *text;
	bool there;

	/* The boot loader "host plan" would edit, found the same way. */
	if (bootcfg_detect(&cfg)) {
		cfg.loader = BOOT_GRUB;
		cfg.path = "/etc/default/grub";
		cfg.hook = "update-grub";
	}
	there = !rootfs_read(&text, NULL, "%s", cfg.path) &&
		bootcfg_holds(&cfg, text, params);
	free(text);
	if (there)
		return dr_fmt("%s is in %s but not in use: run %s and reboot",
			      params, cfg.path, cfg.hook);
	if (cfg.loader == BOOT_SYSTEMD)
		return dr_fmt("add %s to %s (its one line), then run %s and reboot",
			      params, cfg.path, cfg.hook);
	return dr_fmt("add %s to GRUB_CMDLINE_LINUX_DEFAULT in %s, then run %s and reboot",
		      params, cfg.path, cfg.hook);
}
