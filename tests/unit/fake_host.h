/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fake_host.h - a throw-away /proc, /sys and /etc/mdevctl.d for
 * host/holders.c and host/mdevctl.c
 *
 * fh_setup() makes a temporary directory with empty proc/, sys/ and
 * etc/mdevctl.d/ trees and makes it the root the host layer reads
 * (host/rootfs.h); fh_teardown() removes it all and restores the real
 * root. In between, the helpers add what host/holders.c reads: fd
 * links (dangling: only readlink() matters), comm files, PCI functions
 * with or without physfn and vfio-dev/vfioX, mdevs; and mdevctl
 * definitions.
 */
#ifndef VGPU_NL_FAKE_HOST_H
#define VGPU_NL_FAKE_HOST_H

#include <stdbool.h>

void fh_setup(void);
void fh_teardown(void);

/* proc/PID/fd/FD -> @target, and proc/PID/comm = @comm unless NULL. */
void fh_fd(int pid, int fd, const char *target);
void fh_comm(int pid, const char *comm);
/* proc/PID/ alone: a process that exited while being looked at. */
void fh_pid_dir(int pid);

/*
 * sys/bus/pci/devices/NAME/: a VF (physfn link) if @vf, with
 * vfio-dev/@cdev unless @cdev is NULL.
 */
void fh_pci(const char *name, int vf, const char *cdev);

/* sys/bus/mdev/devices/@uuid/, with vfio-dev/@cdev unless @cdev is NULL. */
void fh_mdev(const char *uuid, const char *cdev);

/* etc/mdevctl.d/@parent/@uuid holding @text (mkdir -p). */
void fh_define(const char *parent, const char *uuid, const char *text);

/* rm -r root/@rel: a /proc or /etc/mdevctl.d that is not there. */
void fh_remove(const char *rel);

/* mkdir -p root/@rel, and root/@rel as a file holding @text. */
void fh_mkdir(const char *rel);
void fh_write(const char *rel, const char *text);

/* The content of root/@rel (malloc'ed), or NULL if it cannot be read. */
char *fh_read(const char *rel);

/* Whether root/@rel exists (lstat). */
bool fh_exists(const char *rel);

/* The temporary directory's path + @rel (static buffer). */
const char *fh_path(const char *rel);

#endif
