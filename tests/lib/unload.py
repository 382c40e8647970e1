#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""unload.py MODULE [SECS]: unload MODULE, trying again every 10 ms for up
to SECS seconds (default 10) while it is in use.

rmmod gives up at once when the module's reference count is not 0; under
a steady load of requests (each holds the module for a moment) that is
nearly always. delete_module(O_NONBLOCK) in a loop, without a process per
attempt, finds the moments in between, as a patient admin would. Exit
status 0 once unloaded, 1 if it never was (the last error on stderr).
"""
import ctypes
import errno
import os
import sys
import time

NR_DELETE_MODULE = 176  # x86_64


def main():
    name = sys.argv[1].encode()
    secs = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    libc = ctypes.CDLL(None, use_errno=True)
    end = time.monotonic() + secs
    err = 0
    while time.monotonic() < end:
        if libc.syscall(NR_DELETE_MODULE, name, os.O_NONBLOCK) == 0:
            return 0
        err = ctypes.get_errno()
        if err not in (errno.EAGAIN, errno.EBUSY, errno.EWOULDBLOCK):
            break
        time.sleep(0.01)
    print(f"unload.py: {sys.argv[1]}: {os.strerror(err)}", file=sys.stderr)
    return 1


sys.exit(main())
