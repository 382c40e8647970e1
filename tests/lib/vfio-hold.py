#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""vfio-hold.py GROUP [container]: hold /dev/vfio/GROUP open, as a VM does.

With "container", also attach the group to a VFIO container, which claims
the IOMMU group's DMA ownership: the state of a running VM that the kernel
itself can see (iommu_group_dma_owner_claimed). Prints "ready" once held,
then sleeps until killed.
"""
import fcntl
import os
import signal
import struct
import sys

VFIO_TYPE = ord(";")
VFIO_BASE = 100


def vfio_io(nr):
    return (VFIO_TYPE << 8) | (VFIO_BASE + nr)


VFIO_GROUP_SET_CONTAINER = vfio_io(4)

group = os.open(f"/dev/vfio/{sys.argv[1]}", os.O_RDWR)
if len(sys.argv) > 2 and sys.argv[2] == "container":
    container = os.open("/dev/vfio/vfio", os.O_RDWR)
    fcntl.ioctl(group, VFIO_GROUP_SET_CONTAINER, struct.pack("i", container))
print("ready", flush=True)
signal.pause()
