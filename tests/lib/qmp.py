#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# qmp.py SOCKET COMMAND [ARGUMENTS-JSON] - runs one QMP command on a QEMU's
# monitor socket and prints its "return" as JSON; exit 1 on an error.
# The guest scenarios use it to ask a nested QEMU what it has:
#   qmp.py SOCK human-monitor-command '{"command-line": "info qtree"}'
# (a device behind a bridge the frozen guest's firmware has not numbered
# yet is missing from query-pci, but not from the device tree).
import json
import socket
import sys


def main():
    path, cmd = sys.argv[1], sys.argv[2]
    args = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(60)
    s.connect(path)
    f = s.makefile('rw')

    def reply():
        while True:
            msg = json.loads(f.readline())
            if 'return' in msg or 'error' in msg:
                return msg

    json.loads(f.readline())                    # the greeting
    f.write(json.dumps({'execute': 'qmp_capabilities'}) + '\n')
    f.flush()
    reply()
    req = {'execute': cmd}
    if args is not None:
        req['arguments'] = args
    f.write(json.dumps(req) + '\n')
    f.flush()
    msg = reply()
    if 'error' in msg:
        print(msg['error'], file=sys.stderr)
        return 1
    print(json.dumps(msg['return']))
    return 0


sys.exit(main())
