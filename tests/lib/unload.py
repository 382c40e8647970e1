#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""unload.py MODULE [SECS [START [LOCK SECS2]]]: unload MODULE, trying again
every 10 ms for up to SECS seconds (default 10) while it is in use; from
START (seconds since the epoch; 0: now) or a SIGUSR1 on, whichever comes
first, so that a caller can start it ahead of a load under which python's
own start takes tens of seconds (it prints "ready" once it can take the
signal); and if it is still in use then, for SECS2 more with an exclusive
flock(1) of the file LOCK held (which the load's VF count changes take
shared).

rmmod gives up at once when the module's reference count is not 0; under
a steady load of requests (each holds the module for a moment) that is
nearly always. delete_module(O_NONBLOCK) in a loop, without a process per
attempt, finds the moments in between, as a patient admin would. Exit
status 0 once unloaded, 1 if it never was (the last error on stderr).
On success it prints "unloaded: began T, took D s, attempt N after S s"
(and ", LOCK held" if it was): T the wall-clock time (seconds since the
epoch, as bash's $EPOCHREALTIME) of the attempt that found the module
unused and ran its exit, D how long that exit took, N that attempt's
number, S the time since the first attempt.
"""
import ctypes
import errno
import fcntl
import os
import signal
import sys
import time

NR_DELETE_MODULE = 176  # x86_64
IN_USE = (errno.EAGAIN, errno.EBUSY, errno.EWOULDBLOCK)


class Unloader:
    def __init__(self, module):
        self.module = module
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.first = None
        self.n = 0
        self.err = 0

    def refcnt(self):
        try:
            with open(f"/sys/module/{self.module}/refcnt") as f:
                return f.read().strip()
        except OSError:
            return "?"

    def tries(self, secs, held=""):
        """True once unloaded; False after SECS s of it in use."""
        end = time.monotonic() + secs
        while time.monotonic() < end:
            began, t0 = time.time(), time.monotonic()
            if self.first is None:
                self.first = t0
            self.n += 1
            if self.libc.syscall(NR_DELETE_MODULE, self.module.encode(),
                                 os.O_NONBLOCK) == 0:
                print(f"unloaded: began {began:.2f}, took {time.monotonic() - t0:.2f} s,"
                      f" attempt {self.n} after {t0 - self.first:.2f} s{held}")
                return True
            self.err = ctypes.get_errno()
            if self.err not in IN_USE:
                return False
            time.sleep(0.01)
        return False


class Go(Exception):
    pass


def go(_signum, _frame):
    raise Go


def main():
    args = sys.argv[1:]
    u = Unloader(args[0])
    secs = float(args[1]) if len(args) > 1 else 10.0
    if len(args) > 2:
        signal.signal(signal.SIGUSR1, go)
        print("ready", flush=True)
        try:
            time.sleep(max(0.0, float(args[2]) - time.time()))
        except Go:
            pass
    if u.tries(secs):
        return 0
    if len(args) > 4 and u.err in IN_USE:
        print(f"unload.py: {args[0]} in use through {secs:g} s of tries"
              f" (refcnt {u.refcnt()}); again with {args[3]} held",
              file=sys.stderr)
        with open(args[3], "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if u.tries(float(args[4]), f", {args[3]} held"):
                return 0
    print(f"unload.py: {args[0]}: {os.strerror(u.err)} ({u.n} attempts,"
          f" refcnt {u.refcnt()})", file=sys.stderr)
    return 1


sys.exit(main())
