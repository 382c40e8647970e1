/* SPDX-License-Identifier: GPL-2.0 */
/* metrics.h - "resource show --format openmetrics" */
#ifndef VGPU_NL_METRICS_H
#define VGPU_NL_METRICS_H

/*
 * Prints the resource report of @handle (NULL: every device), the VF and
 * mdev counts in the OpenMetrics text format, which Prometheus' text
 * parser reads too. Returns the exit status.
 */
int metrics_show(const char *handle);

#endif
