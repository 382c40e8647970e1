// SPDX-License-Identifier: GPL-2.0
/*
 * modules.c - see modules.h
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/modules.h"
#include "host/rootfs.h"

/* Whether a line of @text names @module. */
static bool lists_module(const char *text, const char *module)
{
	const char *p, *nl;
	size_t len, i;

	for (p = text; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		p += strspn(p, " \t");
		len = strcspn(p, " \t\n#;");
		if (len != strlen(module))
			continue;
		/* modprobe spells '-' and '_' alike. */
		for (i = 0; i < len; i++)
			if ((p[i] == '-' ? '_' : p[i]) !=
			    (module[i] == '-' ? '_' : module[i]))
				break;
		if (i == len)
			return true;
	}
	return false;
}

/* Whether the file @path lists @module. */
static bool file_lists(const char *path, const char *module)
{
	char *text;
	bool found;

	if (rootfs_read(&text, NULL, "%s", path))
		return false;
	found = lists_module(text, module);
	free(text);
	return found;
}

/*
 * systemd-modules-load's directories, first wins: a file of the same name
 * in an earlier one hides the later one (/etc over the packages' /usr/lib,
 * where vgpu-nl-dkms puts vgpu_nl.conf).
 */
static const char *const load_dirs[] = {
	"/etc/modules-load.d", "/run/modules-load.d",
	"/usr/local/lib/modules-load.d", "/usr/lib/modules-load.d",
	"/lib/modules-load.d",
};
#define NLOAD_DIRS	(sizeof(load_dirs) / sizeof(load_dirs[0]))

/* Whether a directory before load_dirs[@k] has a file @name. */
static bool hidden(size_t k, const char *name)
{
	size_t j;

	for (j = 0; j < k; j++)
		if (rootfs_exists("%s/%s", load_dirs[j], name))
			return true;
	return false;
}

char *modules_listed(const char *module, const char *except)
{
	char **confs, *where = NULL, path[300];
	size_t len, k;
	int i, n;

	if (file_lists("/etc/modules", module))
		return strdup("/etc/modules");
	for (k = 0; k < NLOAD_DIRS && !where; k++) {
		n = rootfs_list(&confs, "%s", load_dirs[k]);
		for (i = 0; i < n && !where; i++) {
			len = strlen(confs[i]);
			if (len < 6 || strcmp(confs[i] + len - 5, ".conf") ||
			    (except && !strcmp(confs[i], except)) ||
			    hidden(k, confs[i]))
				continue;
			snprintf(path, sizeof(path), "%s/%s", load_dirs[k],
				 confs[i]);
			if (file_lists(path, module))
				where = strdup(path);
		}
		rootfs_list_free(confs, n);
	}
	return where;
}

bool modules_loaded(const char *name, const char *kver)
{
	char *builtin, *p, want[128];
	size_t n, w;
	bool found;

	if (rootfs_exists("/sys/module/%s", name))
		return true;
	/* Built-in modules without parameters have no /sys/module entry. */
	builtin = rootfs_text("/lib/modules/%s/modules.builtin", kver);
	if (!builtin)
		return false;
	for (p = builtin; *p; p++)
		if (*p == '-')
			*p = '_';
	snprintf(want, sizeof(want), "/%s.ko\n", name);
	found = strstr(builtin, want);
	if (!found) {
		/* The last line has no newline left (rootfs_text strips it). */
		n = strlen(builtin);
		w = strlen(want) - 1;
		found = n >= w && !strncmp(builtin + n - w, want, w);
	}
	free(builtin);
	return found;
}
