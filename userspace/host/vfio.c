// SPDX-License-Identifier: GPL-2.0
/*
 * vfio.c - see vfio.h
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/pci.h"
#include "host/rootfs.h"
#include "host/vfio.h"
#include "output/output.h"

static size_t stars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '*';
	return n;
}

int vfio_best_module(const char *dev, char *module, size_t len)
{
	char alias[256], *kver, *text, *line, *save = NULL;
	char pat[256], mod[64];
	size_t best = (size_t)-1, n;
	int ret;

	ret = rootfs_attr(alias, sizeof(alias), PCI_DEVICES "/%s/modalias", dev);
	if (ret)
		return ret;
	if (strncmp(alias, "pci:", 4))
		return -EINVAL;
	/* "pci:v..." read as "vfio_pci:v..." */
	memmove(alias + 9, alias + 4, strlen(alias + 4) + 1);
	memcpy(alias, "vfio_pci:", 9);
	snprintf(module, len, "%s", VFIO_MODULE);

	kver = rootfs_text("/proc/sys/kernel/osrelease");
	text = NULL;
	if (kver)
		rootfs_read(&text, NULL, "/lib/modules/%s/modules.alias", kver);
	free(kver);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "alias %255s %63s", pat, mod) != 2 ||
		    strncmp(pat, "vfio_pci:", 9) ||
		    fnmatch(pat, alias, 0))
			continue;
		n = stars(pat);
		if (n < best) {
			best = n;
			snprintf(module, len, "%s", mod);
		}
	}
	free(text);
	return 0;
}

/* modprobe(8) @module; 0 when it exited 0. */
static int modprobe(const char *module)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execlp("modprobe", "modprobe", "-q", module, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ENOENT;
}

/* The "pci:NAME" entry of /sys/module/@module/drivers, as NAME. */
static int module_pci_driver(const char *module, char *driver, size_t len)
{
	char **names;
	int i, n, ret = -ENOENT;

	n = rootfs_list(&names, "/sys/module/%s/drivers", module);
	for (i = 0; i < n && ret; i++)
		if (!strncmp(names[i], "pci:", 4)) {
			snprintf(driver, len, "%s", names[i] + 4);
			ret = 0;
		}
	rootfs_list_free(names, n);
	return ret;
}

int vfio_module_driver(const char *module, char *driver, size_t len)
{
	if (!module_pci_driver(module, driver, len))
		return 0;
	/* Only the running system's modules can be loaded. */
	if (*rootfs_root() || modprobe(module))
		return -ENOENT;
	return module_pci_driver(module, driver, len);
}

void vfio_driver_module(const char *driver, char *module, size_t len)
{
	char *p;

	if (!rootfs_link_name(module, len, "/sys/bus/pci/drivers/%s/module",
			      driver))
		return;
	/* Not loaded: module names spell '-' as '_' (modprobe(8)). */
	snprintf(module, len, "%s", driver);
	for (p = module; *p; p++)
		if (*p == '-')
			*p = '_';
}

bool vfio_driver_is_vfio(const char *driver)
{
	char module[64], pat[256], mod[64], *kver, *text = NULL, *line;
	char *save = NULL;
	bool found = false;

	if (!strcmp(driver, VFIO_DRIVER))
		return true;
	vfio_driver_module(driver, module, sizeof(module));
	kver = rootfs_text("/proc/sys/kernel/osrelease");
	if (kver)
		rootfs_read(&text, NULL, "/lib/modules/%s/modules.alias", kver);
	free(kver);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save))
		found = sscanf(line, "alias %255s %63s", pat, mod) == 2 &&
			!strncmp(pat, "vfio_pci:", 9) && !strcmp(mod, module);
	free(text);
	return found;
}
