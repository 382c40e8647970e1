/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modules.h - the host's kernel modules, under the root (host/rootfs.h):
 * which are loaded, and which are loaded at boot (the files
 * systemd-modules-load reads: /etc/modules, which Debian links in, and
 * /etc/modules-load.d/\*.conf)
 */
#ifndef VGPU_NL_HOST_MODULES_H
#define VGPU_NL_HOST_MODULES_H

#include <stdbool.h>

/*
 * Where @module is listed: "/etc/modules" or "DIR/X.conf" of the first of
 * systemd-modules-load's directories (/etc, /run, /usr/local/lib, /usr/lib,
 * /lib modules-load.d) that has X.conf (malloc'ed), not counting the files
 * named @except unless @except is NULL; NULL when it is listed nowhere (or memory ran out).
 * Names compare as modprobe's do ('-' and '_' alike); '#' and ';' start
 * comments.
 */
char *modules_listed(const char *module, const char *except);

/*
 * Whether module @name is loaded (/sys/module/@name) or built into kernel
 * @kver (its modules.builtin).
 */
bool modules_loaded(const char *name, const char *kver);

#endif
