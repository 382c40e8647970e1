/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config.h - the desired-state file /etc/vgpu-nl/vgpu-nl.conf: its parser
 * and its writer ("vgpu-nl apply" reads it, "vgpu-nl save" writes it)
 *
 * One setting per line, devlink/mdevctl-flavoured, '#' starts a comment:
 *
 *	device pci/0000:00:02.0 numvfs 3 autoprobe on
 *	device pci/0000:03:00.0 numvfs 2 provisioning auto
 *	vf pci/0000:00:02.0/1 driver vfio-pci quota ggtt 512M contexts 1024
 *	vf pci/0000:00:02.2 driver vfio
 *	vf pci/0000:03:00.0/0 driver xe-vfio-pci
 *	mdev 3f6c1a2e-4b1d-4c8e-9a57-0e2d5b7c9f10 parent pci/0000:00:02.0 type i915-GVTg_V5_4
 *
 * A VF is named by its PF and 0-based index (PF/INDEX, as "vf show"
 * prints them; devlink names ports the same way), which exists before
 * the VFs do, or by its own address, which apply resolves from the PF's
 * SR-IOV offset and stride. The whole file is parsed and checked before
 * anything is used, so an error anywhere means nothing is applied.
 *
 * "provisioning auto" gives the PF's VFs the driver's fair shares; quotas
 * set by hand make its provisioning custom, so a file that gives both for
 * one PF is refused. "driver vfio" is the VF's VFIO driver as libvirt
 * chooses it (a variant whose vfio_pci: alias matches, else vfio-pci);
 * any other name is that VFIO PCI driver.
 */
#ifndef VGPU_NL_CONFIG_H
#define VGPU_NL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/quota.h"
#include "vgpu_nl.h"

#define CONFIG_PATH	"/etc/vgpu-nl/vgpu-nl.conf"

/*
 * The file "save" writes and "apply" reads when given none: CONFIG_PATH
 * (the unit tests point it into a fake root).
 */
extern const char *config_path;

/*
 * One "apply" at a time (apply.c): the lock file, and how long an apply
 * waits for another to finish (the unit tests shorten both).
 */
#define APPLY_LOCK_PATH	"/run/vgpu-nl/apply.lock"
extern const char *apply_lock_path;
extern unsigned int apply_lock_wait_ms;

/* The longest mdev type name kept (sysfs names are far shorter). */
#define CONFIG_TYPE_MAX	128

/* The longest driver name kept (PCI drivers' are far shorter). */
#define CONFIG_DRIVER_MAX	64

/*
 * "device DEV [numvfs N] [autoprobe on|off] [provisioning auto|custom]"
 */
struct cfg_device {
	int line;
	char handle[VGPU_HANDLE_MAX];
	bool has_numvfs;
	uint16_t numvfs;
	bool has_autoprobe;
	bool autoprobe;
	int prov_mode;			/* VGPU_PROV_MODE_*; 0: not given */
};

enum cfg_driver {
	CFG_DRIVER_KEEP,	/* not given: left as it is */
	CFG_DRIVER_VFIO,	/* "driver vfio" or a VFIO driver (drvname) */
	CFG_DRIVER_DEFAULT,	/* "driver default": no override */
};

/* "vf PF/INDEX|VF [driver vfio|NAME|default] [quota KEY VALUE ...]" */
struct cfg_vf {
	int line;
	char pf[VGPU_HANDLE_MAX];	/* PF/INDEX: the PF; else resolved */
	int index;			/* PF/INDEX: the index; else -1 */
	char handle[VGPU_HANDLE_MAX];	/* by address: the VF; else "" */
	enum cfg_driver driver;
	char drvname[CONFIG_DRIVER_MAX];	/* CFG_DRIVER_VFIO: "vfio", NAME */
	bool has_quota;
	struct vf_quota quota;
};

/* "mdev UUID parent DEV type TYPE" */
struct cfg_mdev {
	int line;
	char uuid[VGPU_UUID_LEN + 1];
	char parent[VGPU_HANDLE_MAX];
	char type[CONFIG_TYPE_MAX];
};

struct config {
	char *name;			/* for messages: the path, "<stdin>" */
	struct cfg_device *devs;
	size_t ndevs;
	struct cfg_vf *vfs;
	size_t nvfs;
	struct cfg_mdev *mdevs;
	size_t nmdevs;
};

/* Failures of config_parse() and config_load(): */
#define CONFIG_ESYNTAX	(-2)	/* the file is wrong: "NAME:LINE: reason" */
#define CONFIG_EIO	(-1)	/* it could not be read, memory ran out */

/*
 * Parses @f, called @name in messages, into @c (zeroed first; free with
 * config_free() whatever the result). Returns 0, or CONFIG_ESYNTAX with
 * @why set to "NAME:LINE: reason" for the first error, or CONFIG_EIO with
 * @why saying what failed.
 */
int config_parse(FILE *f, const char *name, struct config *c, char *why,
		 size_t len);

/* config_parse() of the file @path, "-" meaning stdin. */
int config_load(const char *path, struct config *c, char *why, size_t len);

void config_free(struct config *c);

/*
 * Appends an empty entry to @c (line 0); NULL when memory ran out. For
 * save, which builds a config from the system.
 */
struct cfg_device *config_add_device(struct config *c);
struct cfg_vf *config_add_vf(struct config *c);
struct cfg_mdev *config_add_mdev(struct config *c);

/* One entry as its line, without newline, into @buf. */
void config_format_device(const struct cfg_device *d, char *buf, size_t len);
void config_format_vf(const struct cfg_vf *v, char *buf, size_t len);
void config_format_mdev(const struct cfg_mdev *m, char *buf, size_t len);

/*
 * The whole of @c as a file: devices, then VFs, then mdevs, each in the
 * order given. Returns 0 or -errno of the write.
 */
int config_write(FILE *f, const struct config *c);

#endif
