#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# pve-syntax.py KIND < TEXT - checks a snippet against Proxmox VE's
# documented syntax; prints one line per problem and exits 1, or exits 0.
#
#   KIND qm       lines of a VM's configuration (qm.conf(5)); '#' lines
#                 are allowed (Proxmox VE keeps them as the VM's notes)
#   KIND mapping  "pvesh create /cluster/mapping/pci ..." commands
#
# qm.conf(5), qemu-server's PVE/QemuServer/PCI.pm ($hostpci_fmt):
#   hostpci[n]: [[host=]<HOSTPCIID[;HOSTPCIID2...]>] [,device-id=<hex id>]
#     [,legacy-igd=<1|0>] [,mapping=<mapping-id>] [,mdev=<string>]
#     [,pcie=<1|0>] [,rombar=<1|0>] [,romfile=<string>]
#     [,sub-device-id=<hex id>] [,sub-vendor-id=<hex id>]
#     [,vendor-id=<hex id>] [,x-vga=<1|0>]
#   n is 0..15 ($MAX_HOSTPCI_DEVICES = 16);
#   HOSTPCIID: "bus:dev.func (hexadecimal numbers)",
#     my $PCIRE = qr/(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?/;
#     without the function, every function of the device (multifunction);
#   legacy-igd: "Pass this device in legacy IGD mode, making it the primary
#     and exclusive graphics device in the VM. Requires 'pc-i440fx' machine
#     type and VGA set to 'none'."
#   mdev: pattern '[^/\.:]+'; romfile: pattern '[^,;]+' ("must be located
#     in /usr/share/kvm/"); *-id: qr/^0x[0-9a-fA-F]{4}$/;
#   machine: (pc|pc(-i440fx)?-...|q35|...); vga: ...|none|...;
#   args: "Arbitrary arguments passed to kvm" (one line).
#
# POST /cluster/mapping/pci (pve-manager PVE/API2/Cluster/Mapping/PCI.pm,
# "Create a new hardware mapping"), its properties from pve-guest-common's
# PVE/Mapping/PCI.pm:
#   id           "The ID of the logical PCI mapping.", format pve-configid:
#                qr/[a-z][a-z0-9_-]+/i (pve-common's $CONFIGID_RE)
#   description  optional, maxLength 4096
#   mdev         boolean, optional
#   map          array of property strings, each:
#     node          get_standard_option('pve-node'):
#                   ^([a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?)$
#     id            "The vendor and device ID that is expected.",
#                   ^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$
#     subsystem-id  optional, ^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$
#     path          "The path to the device. If the function is omitted, the
#                   whole device is mapped. In that case use the attributes
#                   of the first device.", (?:${PCI_RE};)*${PCI_RE} with
#                   $PCI_RE = "[a-f0-9]{4,}:[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?"
#     iommugroup    integer, optional ("Used for detecting hardware changes.")
#     description   optional
# pvesh takes each as --NAME VALUE; an array parameter (map) by repeating it.
import re
import shlex
import sys

PCIRE = r'(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?'
HEXID = r'0x[0-9a-fA-F]{4}'
HOSTPCI_KEYS = {
    'host': re.compile(rf'{PCIRE}(;{PCIRE})*'),
    'mapping': re.compile(r'[a-z][a-z0-9_-]+', re.I),
    'legacy-igd': re.compile(r'[01]'), 'pcie': re.compile(r'[01]'),
    'rombar': re.compile(r'[01]'), 'x-vga': re.compile(r'[01]'),
    'mdev': re.compile(r'[^/.:]+'), 'romfile': re.compile(r'[^,;]+'),
    'device-id': re.compile(HEXID), 'vendor-id': re.compile(HEXID),
    'sub-device-id': re.compile(HEXID), 'sub-vendor-id': re.compile(HEXID),
}


def hostpci(value):
    """Problems of one hostpci value, as PVE::JSONSchema parses it."""
    bad = []
    for i, item in enumerate(value.split(',')):
        key, eq, val = item.partition('=')
        if not eq and i == 0:       # the default key: host
            key, val = 'host', item
        if key not in HOSTPCI_KEYS:
            bad.append(f'unknown hostpci key {key!r}')
        elif not HOSTPCI_KEYS[key].fullmatch(val):
            bad.append(f'hostpci {key}={val!r} does not match its format')
    return bad


def qm(text):
    bad = []
    for line in text.splitlines():
        if not line or line.startswith('#'):
            continue
        m = re.fullmatch(r'([a-z0-9-]+): (.*)', line)
        if not m:
            bad.append(f'not "key: value": {line!r}')
            continue
        key, value = m.groups()
        hm = re.fullmatch(r'hostpci([0-9]+)', key)
        if hm:
            if int(hm.group(1)) > 15:
                bad.append(f'{key}: past hostpci15')
            bad += hostpci(value)
        elif key == 'machine':
            if not re.fullmatch(r'(pc|pc-i440fx-\S+|q35|pc-q35-\S+)', value):
                bad.append(f'machine {value!r}')
        elif key == 'vga':
            if not re.fullmatch(r'(none|std|cirrus|qxl\d?|serial\d|virtio(-gl)?|vmware)(,.*)?', value):
                bad.append(f'vga {value!r}')
        elif key != 'args':
            bad.append(f'unexpected key {key!r}')
    return bad


MAP_KEYS = {
    'node': re.compile(r'[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?'),
    'id': re.compile(r'[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}'),
    'subsystem-id': re.compile(r'[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}'),
    'path': re.compile(rf'(?:{PCIRE};)*{PCIRE}'),
    'iommugroup': re.compile(r'-?[0-9]+'),
    'description': re.compile(r'.{0,4096}'),
}


def mapping(text):
    bad = []
    cmds = [line for line in text.splitlines() if line and not line.startswith('#')]
    if not cmds:
        return ['no command']
    for line in cmds:
        words = shlex.split(line)
        if words[:3] != ['pvesh', 'create', '/cluster/mapping/pci']:
            bad.append(f'not pvesh create /cluster/mapping/pci: {line!r}')
            continue
        args = words[3:]
        if len(args) % 2:
            bad.append('an option without a value')
            continue
        opts = list(zip(args[0::2], args[1::2]))
        names = [o for o, _ in opts]
        if names.count('--id') != 1:
            bad.append('--id must be given once')
        for opt, val in opts:
            if opt == '--id':
                if not re.fullmatch(r'[a-z][a-z0-9_-]+', val, re.I):
                    bad.append(f'--id {val!r} is no pve-configid')
            elif opt == '--mdev':
                if val not in ('0', '1'):
                    bad.append(f'--mdev {val!r} is no boolean')
            elif opt == '--description':
                pass
            elif opt == '--map':
                seen = {}
                for item in val.split(','):
                    k, eq, v = item.partition('=')
                    if not eq or k not in MAP_KEYS:
                        bad.append(f'map: unknown key {k!r}')
                    elif not MAP_KEYS[k].fullmatch(v):
                        bad.append(f'map: {k}={v!r} does not match its format')
                    seen[k] = v
                for k in ('node', 'path', 'id'):
                    if k not in seen:
                        bad.append(f'map: {k} is required')
            else:
                bad.append(f'unknown option {opt!r}')
    return bad


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else ''
    check = {'qm': qm, 'mapping': mapping}.get(kind)
    if not check:
        print('usage: pve-syntax.py qm|mapping < TEXT', file=sys.stderr)
        return 2
    bad = check(sys.stdin.read())
    for b in bad:
        print(b)
    return 1 if bad else 0


sys.exit(main())
