// SPDX-License-Identifier: GPL-2.0
/*
 * handle.c - device handle and UUID parsing
 *
 * Hand-written rather than sscanf(): "%x" would accept signs, spaces,
 * "0x" prefixes and overlong fields, and cannot reject trailing junk.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kernel/handle.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Reads 1..@width hex digits at *@s into @v, and checks @max. Widths are
 * those of the kernel's own spelling, so "00002:..." is refused even
 * though its value would fit.
 */
static bool hexfield(const char **s, int width, unsigned int max,
		     unsigned int *v)
{
	int i, d;

	*v = 0;
	for (i = 0; i < width && (d = hexval((*s)[i])) >= 0; i++)
		*v = *v * 16 + d;
	if (i == 0 || hexval((*s)[i]) >= 0 || *v > max)
		return false;
	*s += i;
	return true;
}

static bool expect(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

int handle_parse_pci(const char *s, struct pci_addr *addr)
{
	const char *colon;

	if (!strncmp(s, "pci/", 4))
		s += 4;
	/* Two colons mean a domain is given; one means domain 0. */
	colon = strchr(s, ':');
	addr->domain = 0;
	if (colon && strchr(colon + 1, ':') &&
	    !(hexfield(&s, 4, 0xffff, &addr->domain) && expect(&s, ':')))
		return -EINVAL;
	if (!hexfield(&s, 2, 0xff, &addr->bus) || !expect(&s, ':') ||
	    !hexfield(&s, 2, 0x1f, &addr->dev) || !expect(&s, '.') ||
	    !hexfield(&s, 1, 0x7, &addr->fn) || *s)
		return -EINVAL;
	return 0;
}

void handle_format(const struct pci_addr *addr, char out[VGPU_HANDLE_MAX])
{
	snprintf(out, VGPU_HANDLE_MAX, "pci/%04x:%02x:%02x.%x", addr->domain,
		 addr->bus, addr->dev, addr->fn);
}

int handle_normalize(const char *s, char out[VGPU_HANDLE_MAX])
{
	struct pci_addr addr;

	if (handle_parse_pci(s, &addr) < 0)
		return -EINVAL;
	handle_format(&addr, out);
	return 0;
}

int uuid_normalize(const char *s, char out[VGPU_UUID_LEN + 1])
{
	int i, d;

	for (i = 0; i < VGPU_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -EINVAL;
			out[i] = '-';
			continue;
		}
		d = hexval(s[i]);	/* also stops at the NUL of a short one */
		if (d < 0)
			return -EINVAL;
		out[i] = "0123456789abcdef"[d];
	}
	if (s[i])
		return -EINVAL;
	out[i] = '\0';
	return 0;
}

const char *handle_dev_name(const char *handle)
{
	const char *slash = strchr(handle, '/');

	return slash ? slash + 1 : handle;
}

/* @n decimal digits at @s into *@v; false if any is not a digit. */
static bool decimal(const char *s, int n, unsigned long long *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

bool uuid_pve_owner(const char *uuid, unsigned int *vmid, unsigned int *index)
{
	unsigned long long idx, id;

	if (strlen(uuid) != VGPU_UUID_LEN ||
	    strncmp(uuid + 8, "-0000-0000-0000-", 16) ||
	    !decimal(uuid, 8, &idx) || !decimal(uuid + 24, 12, &id) ||
	    idx > 15 || id < 100 || id > 999999999)
		return false;
	*index = idx;
	*vmid = id;
	return true;
}
