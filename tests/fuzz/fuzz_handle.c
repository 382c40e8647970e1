// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_handle.c - libFuzzer target: device handles and mdev UUIDs as users
 * type them (kernel/handle.c)
 *
 * Properties besides memory errors: what is accepted comes out in the
 * kernel's spelling, which is accepted again unchanged (normalising is
 * idempotent), fits the buffers the uAPI gives, and a handle's parts are
 * within PCI's ranges.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/handle.h"

static void handle(const char *s)
{
	char out[VGPU_HANDLE_MAX], again[VGPU_HANDLE_MAX];
	struct pci_addr a;

	if (handle_normalize(s, out))
		return;
	if (strlen(out) != strlen("pci/0000:00:00.0") ||
	    handle_normalize(out, again) || strcmp(out, again) ||
	    handle_parse_pci(out, &a) || a.domain > 0xffff || a.bus > 0xff ||
	    a.dev > 0x1f || a.fn > 7)
		abort();
	handle_format(&a, again);
	if (strcmp(out, again) || strcmp(handle_dev_name(out), out + 4))
		abort();
}

static void uuid(const char *s)
{
	char out[VGPU_UUID_LEN + 1], again[VGPU_UUID_LEN + 1];
	size_t i;

	if (uuid_normalize(s, out))
		return;
	if (strlen(out) != VGPU_UUID_LEN || uuid_normalize(out, again) ||
	    strcmp(out, again))
		abort();
	for (i = 0; i < VGPU_UUID_LEN; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ?
		    out[i] != '-' : !isxdigit((unsigned char)out[i]) ||
		    isupper((unsigned char)out[i]))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	handle(s);
	uuid(s);
	free(s);
	return 0;
}
