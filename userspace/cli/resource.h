/* SPDX-License-Identifier: GPL-2.0 */
/* resource.h - the resource report, shared by its text/JSON and metrics forms */
#ifndef VGPU_NL_RESOURCE_H
#define VGPU_NL_RESOURCE_H

#include "kernel/nl.h"

/* RESOURCE_GET of @handle, or a dump of every device when it is NULL. */
int res_query(struct vgpu_nl *nl, const char *handle,
	      struct vgpu_nl_replies *rep);

/* "bytes" or "count", from a resource's attributes. */
const char *res_unit_name(struct nlattr **rt);

#endif
