#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that the YNL spec and the uAPI header describe the same family.

Every enum in kmod/uapi/vgpu_nl.h that the spec names (commands, attribute
sets, enums) must have exactly the same names with the same values, and the
family name, version constant and multicast group must agree. Prints one
TAP line per check and exits 1 on any mismatch.
"""
import re
import sys

import yaml

top = sys.argv[1] if len(sys.argv) > 1 else "."
spec = yaml.safe_load(open(f"{top}/Documentation/netlink/specs/vgpu.yaml"))
header = open(f"{top}/kmod/uapi/vgpu_nl.h").read()


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def header_enum(enum_name):
    m = re.search(r"enum\s+%s\s*\{(.*?)\};" % enum_name, header, re.S)
    if not m:
        return None
    body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
    values, nxt = {}, 0
    for item in (i.strip() for i in body.split(",")):
        if not item:
            continue
        name, _, val = (p.strip() for p in item.partition("="))
        if name.startswith("__") or name.endswith("_MAX"):
            continue
        nxt = int(val, 0) if val else nxt
        values[name] = nxt
        nxt += 1
    return values


def spec_entries(prefix, items, first):
    values, nxt = {}, first
    for it in items:
        name = it if isinstance(it, str) else it["name"]
        if not isinstance(it, str) and "value" in it:
            nxt = it["value"]
        values[c_name(prefix, name)] = nxt
        nxt += 1
    return values


checks = []


def compare(what, enum_name, want):
    have = header_enum(enum_name)
    if have is None:
        checks.append((False, f"{what}: enum {enum_name} missing in header"))
        return
    have = {k: v for k, v in have.items() if not k.endswith("_UNSPEC") or k in want}
    checks.append((have == want, f"{what}: enum {enum_name} matches"))
    if have != want:
        for k in sorted(set(have) | set(want)):
            if have.get(k) != want.get(k):
                print(f"# {k}: header {have.get(k)} spec {want.get(k)}")


for d in spec.get("definitions", []):
    if d["type"] == "enum":
        compare(f"enum {d['name']}", d["enum-name"],
                spec_entries(d["name-prefix"], d["entries"], 0))
for aset in spec["attribute-sets"]:
    compare(f"attribute-set {aset['name']}", aset["enum-name"],
            spec_entries(aset["name-prefix"], aset["attributes"], 1))
ops = spec["operations"]
compare("operations", ops["enum-name"],
        spec_entries(ops["name-prefix"], ops["list"], 1))

consts = {d["name"]: d["value"] for d in spec["definitions"] if d["type"] == "const"}
for cname, macro in (("api-version", "VGPU_API_VERSION"), ("handle-max", "VGPU_HANDLE_MAX")):
    m = re.search(r"#define\s+%s\s+(\d+)" % macro, header)
    checks.append((m is not None and int(m.group(1)) == consts.get(cname),
                   f"const {cname} equals {macro}"))
m = re.search(r'#define\s+VGPU_GENL_NAME\s+"([^"]+)"', header)
checks.append((m is not None and m.group(1) == spec["name"], "family name"))
m = re.search(r'#define\s+VGPU_GENL_MCGRP_MONITOR\s+"([^"]+)"', header)
groups = [g["name"] for g in spec["mcast-groups"]["list"]]
checks.append((m is not None and m.group(1) in groups, "multicast group"))

failed = 0
for n, (ok, desc) in enumerate(checks, 1):
    print(f"{'ok' if ok else 'not ok'} {n} - ynl spec: {desc}")
    failed += not ok
print(f"{len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
