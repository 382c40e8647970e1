/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated GVT-g mdev parent of vgpu_sim (tests/sim/sim_mdev.c).
 *
 * vgpu_sim_mdev_init()/_exit() register the mdev driver that every
 * simulated vGPU binds to; call them around pci_register_driver().
 * vgpu_sim_gvt_add() makes a bound PF an mdev parent with the four
 * GVT-g-shaped types (NULL when the gvt parameter is off, ERR_PTR on
 * failure); vgpu_sim_gvt_remove() removes every mdev of that parent and
 * the parent itself, and accepts NULL.
 */
#ifndef _VGPU_SIM_MDEV_H
#define _VGPU_SIM_MDEV_H

struct pci_dev;
struct vgpu_sim_gvt;

int vgpu_sim_mdev_init(void);
void vgpu_sim_mdev_exit(void);
struct vgpu_sim_gvt *vgpu_sim_gvt_add(struct pci_dev *pdev);
void vgpu_sim_gvt_remove(struct vgpu_sim_gvt *gvt);

#endif /* _VGPU_SIM_MDEV_H */
