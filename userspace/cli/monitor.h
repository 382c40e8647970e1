/* SPDX-License-Identifier: GPL-2.0 */
/*
 * monitor.h - event names and event lines, exposed for the unit tests
 */
#ifndef VGPU_NL_MONITOR_H
#define VGPU_NL_MONITOR_H

#include <stddef.h>

#include <netlink/attr.h>

/*
 * The name of an enum vgpu_event value; one this tool does not know yet
 * (a newer module) is "event-N" in @buf, so that it is shown, not dropped.
 */
const char *event_name(unsigned int event, char *buf, size_t len);

/* One event as a text line or a one-line JSON object; 0 or -errno. */
int monitor_print_event(struct nlattr **tb);

#endif
