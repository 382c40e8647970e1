#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""vfio-hold.py GROUP [container | device NAME | device-only NAME]: hold a VFIO group, as a VM.

Opens /dev/vfio/GROUP. With "container", also attaches the group to a VFIO
container, which claims the IOMMU group's DMA ownership: the state of a
running VM that the kernel itself can see (iommu_group_dma_owner_claimed).
With "device NAME", also sets up the type1 IOMMU and opens the VFIO device
NAME (a PCI address or an mdev UUID) as QEMU does; removing that device
then waits until this process lets go. With "device-only NAME", the same,
then closes the group and container files and keeps the device file
alone, which keeps the group busy. Prints "ready" once held, then
sleeps until killed. SIGUSR1 closes the device alone, as a VM that
unplugged it but keeps its group and container open; "device closed" says
it is done.
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


VFIO_SET_IOMMU = vfio_io(2)
VFIO_GROUP_SET_CONTAINER = vfio_io(4)
VFIO_GROUP_GET_DEVICE_FD = vfio_io(6)
VFIO_TYPE1v2_IOMMU = 3


def close_device(signum, frame):
    global device
    if device is not None:
        os.close(device)
        device = None
        print("device closed", flush=True)


mode = sys.argv[2] if len(sys.argv) > 2 else ""
device = None
group = os.open(f"/dev/vfio/{sys.argv[1]}", os.O_RDWR)
if mode in ("container", "device", "device-only"):
    container = os.open("/dev/vfio/vfio", os.O_RDWR)
    fcntl.ioctl(group, VFIO_GROUP_SET_CONTAINER, struct.pack("i", container))
if mode in ("device", "device-only"):
    fcntl.ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)
    device = fcntl.ioctl(group, VFIO_GROUP_GET_DEVICE_FD,
                         bytearray(sys.argv[3].encode() + b"\0"))
if mode == "device-only":
    os.close(group)
    os.close(container)
signal.signal(signal.SIGUSR1, close_device)
print("ready", flush=True)
while True:
    signal.pause()
