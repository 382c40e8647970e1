/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fake_host.h - a throw-away /proc and /sys for host.c
 *
 * fh_setup() makes a temporary directory with empty proc/ and sys/ trees
 * and points host_proc_root and host_sys_root at them; fh_teardown()
 * removes it all and restores the real roots. In between, the helpers add
 * what host.c reads: fd links (dangling: only readlink() matters), comm
 * files, and PCI functions with or without physfn and vfio-dev/vfioX.
 */
#ifndef VGPU_NL_FAKE_HOST_H
#define VGPU_NL_FAKE_HOST_H

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

/* The temporary directory's path + @rel (static buffer). */
const char *fh_path(const char *rel);

#endif
