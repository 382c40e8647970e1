// SPDX-License-Identifier: GPL-2.0
/*
 * pci.c - see pci.h
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/pci.h"
#include "host/rootfs.h"

int pci_fn_read(const char *name, struct pci_fn *fn)
{
	char buf[8];

	memset(fn, 0, sizeof(*fn));
	if (strlen(name) >= sizeof(fn->name) || strchr(name, '/'))
		return -EINVAL;
	strcpy(fn->name, name);
	if (!rootfs_uint(&fn->vendor, PCI_DEVICES "/%s/vendor", name))
		return -ENOENT;
	rootfs_uint(&fn->device, PCI_DEVICES "/%s/device", name);
	rootfs_uint(&fn->class, PCI_DEVICES "/%s/class", name);
	fn->boot_vga = !rootfs_attr(buf, sizeof(buf), PCI_DEVICES "/%s/boot_vga",
				    name) && !strcmp(buf, "1");
	if (rootfs_link_name(fn->driver, sizeof(fn->driver),
			     PCI_DEVICES "/%s/driver", name))
		fn->driver[0] = '\0';
	fn->is_vf = rootfs_exists(PCI_DEVICES "/%s/physfn", name);
	return 0;
}

bool pci_is_display(const struct pci_fn *fn)
{
	return fn->class >> 16 == 0x03;
}

bool pci_is_bridge(const struct pci_fn *fn)
{
	return fn->class >> 16 == 0x06;
}

bool pci_fn_exists(const char *name)
{
	return !strchr(name, '/') && rootfs_exists(PCI_DEVICES "/%s", name);
}

bool pci_is_vf(const char *name)
{
	return !strchr(name, '/') &&
	       rootfs_exists(PCI_DEVICES "/%s/physfn", name);
}

bool pci_fn_uint(const char *name, const char *attr, unsigned int *v)
{
	return !strchr(name, '/') &&
	       rootfs_uint(v, PCI_DEVICES "/%s/%s", name, attr);
}

int pci_fn_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pci_fn *)a)->name,
		      ((const struct pci_fn *)b)->name);
}

int pci_list(const char *dir, const char *prefix, enum pci_filter filter,
	     struct pci_fn **fns)
{
	struct pci_fn fn, *v = NULL, *t;
	char **names;
	int i, n, count = 0;

	*fns = NULL;
	n = rootfs_list(&names, "%s", dir);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (strncmp(names[i], prefix, strlen(prefix)) ||
		    pci_fn_read(names[i], &fn))
			continue;
		if ((filter == PCI_DISPLAY && !pci_is_display(&fn)) ||
		    (filter == PCI_NO_BRIDGES && pci_is_bridge(&fn)))
			continue;
		t = realloc(v, (count + 1) * sizeof(*v));
		if (!t) {
			free(v);
			rootfs_list_free(names, n);
			return -ENOMEM;
		}
		v = t;
		v[count++] = fn;
	}
	rootfs_list_free(names, n);
	/* In name order: rootfs_list() sorts. */
	*fns = v;
	return count;
}
