/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated PF's VF provisioning interfaces (tests/sim/sim_iov*.c;
 * sim_iov_priv.h says which file holds what):
 * i915-sriov-dkms' prelim_iov sysfs tree, or xe's sriov_admin sysfs and
 * debugfs quota files (6.19+ or older layout), chosen by the iov= module
 * parameter. tests/sim/PROVISIONING.md documents every file.
 *
 * Accounting invariants the sim keeps (per resource, at all times):
 *   GGTT       sum of VF quotas + free + PF spare == ggtt_mb pool
 *              (while free is not clamped at 0); xe: ggtt_available's
 *              total == pool - sum of VF quotas
 *   contexts   i915: sum of VF quotas + contexts_free (+ the part of the
 *              spare beyond the PF's fixed share) == contexts - PF share;
 *              xe: sum of VF quotas + free == contexts (PF uses none)
 *   doorbells  sum of VF quotas + doorbells_free == doorbells
 *   VRAM (xe)  sum of VF quotas + free == vram_mb pool
 * The sim has no fragmentation, so i915's *_max_quota equals *_free;
 * the real driver reports the largest hole, which can be smaller.
 *
 * Hooks for sim_main.c: vgpu_sim_iov_add() at probe (NULL for iov=none,
 * ERR_PTR on failure), vgpu_sim_iov_remove() at remove (accepts NULL).
 * Around VF enable: vgpu_sim_iov_enable() before pci_enable_sriov() (may
 * refuse or auto-provision), vgpu_sim_iov_enabled() after it succeeded
 * (device links); around disable: vgpu_sim_iov_disabling() before
 * pci_disable_sriov() and vgpu_sim_iov_disabled() after it (or after a
 * failed enable) to release auto-provisioned quotas.
 */
#ifndef _VGPU_SIM_IOV_H
#define _VGPU_SIM_IOV_H

struct pci_dev;
struct vgpu_sim_iov;

struct vgpu_sim_iov *vgpu_sim_iov_add(struct pci_dev *pdev);
void vgpu_sim_iov_remove(struct vgpu_sim_iov *iov);
int vgpu_sim_iov_enable(struct vgpu_sim_iov *iov, int num_vfs);
void vgpu_sim_iov_enabled(struct vgpu_sim_iov *iov, int num_vfs);
void vgpu_sim_iov_disabling(struct vgpu_sim_iov *iov);
void vgpu_sim_iov_disabled(struct vgpu_sim_iov *iov);

#endif /* _VGPU_SIM_IOV_H */
