#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The netlink contract of the "vgpu" family, checked to the attribute.

    contract.py [--top DIR] [--spec FILE] [--kmod DIR] [--requests FILE]
                [--kernel-tree DIR]...

Four descriptions of the family must agree; this reads each of them and
compares, printing one TAP line per check and "N passed, N failed":

  the spec     Documentation/netlink/specs/vgpu.yaml (YNL, genetlink-c)
  the header   kmod/uapi/vgpu_nl.h: every enum the spec names, same names
               and numbers; family name, group, constants
  the module   kmod/*.c: the nla_policy arrays and the ops table. Per
               operation, the attributes its policy accepts must be the
               spec's do and dump request attributes (genl_ops share one
               policy between do and dump, split ops have one each), with
               the same type and bounds (string max-len as NLA_NUL_STRING
               .len, integer min/max as NLA_POLICY_*), nests compared
               attribute by attribute against the nested set (subset-of
               sets resolved, so a read-only attribute can be left out of a
               request's nest); do/dump and admin-perm as the spec says;
               every attribute it puts in a reply, with its type, in the
               spec and in some reply or event
  the tool     userspace/kernel/nl.c: its parser (one libnl policy per
               attribute set) has every attribute of the spec with the same
               type, strings long enough for the spec's max-len; and every
               request the tool sends (--requests: the log the unit tests
               write with VGPU_NL_REQUEST_LOG, tests/unit/fake_kernel.c)
               carries only the spec's request attributes of that operation
               and mode, each well-formed for its type, nests flagged
               NLA_F_NESTED as strict validation wants

With --kernel-tree (a kernel source tree: its Documentation/netlink/), the
spec is also validated against that kernel's own schema for its protocol.
With --generator TREE, that tree's tools/net/ynl ynl_gen_c.py generates
the kernel policies from the spec, which are compared like the module's:
the kernel's own reading of the spec must be this check's.

The C is read with regular expressions: policies written as
"[ATTR] = { .type = NLA_X, .len = EXPR }" or "NLA_POLICY_MAX(NLA_X, EXPR)",
"NLA_POLICY_MIN/RANGE/NESTED(...)"; EXPR may use #defines of kmod/ and the
header's enums. Anything else in a policy is reported as not understood
(a failure), never skipped.
"""
import argparse
import glob
import json
import os
import re
import sys

import yaml

NLA_F_NESTED = 0x8000
NLM_F_DUMP = 0x300

checks = []


def check(ok, desc, why=()):
    checks.append((bool(ok), desc, list(why)))


# ---------------------------------------------------------------- the spec

class Spec:
    def __init__(self, path):
        self.path = path
        self.y = yaml.safe_load(open(path))
        self.sets = {s["name"]: s for s in self.y["attribute-sets"]}
        self.ops = self.y["operations"]["list"]

    def base(self, setname):
        """The set that numbers @setname's attributes."""
        s = self.sets[setname]
        return self.base(s["subset-of"]) if "subset-of" in s else setname

    def attrs(self, setname):
        """{name: attribute} of a set, subset-of resolved as in the
        kernel's tools/net/ynl (the subset's keys override the parent's)."""
        s = self.sets[setname]
        if "subset-of" not in s:
            return {a["name"]: a for a in s["attributes"]}
        parent = self.attrs(s["subset-of"])
        return {a["name"]: {**parent[a["name"]], **a} for a in s["attributes"]}

    def values(self, setname):
        """{name: number} of a non-subset set."""
        out, nxt = {}, 1
        for a in self.sets[setname]["attributes"]:
            nxt = a.get("value", nxt)
            out[a["name"]] = nxt
            nxt += 1
        return out

    def c_name(self, setname, attr):
        s = self.sets[self.base(setname)]
        return (s["name-prefix"] + attr).upper().replace("-", "_")

    def op_values(self):
        out, nxt = {}, 1
        for op in self.ops:
            nxt = op.get("value", nxt)
            out[op["name"]] = nxt
            nxt += 1
        return out

    def request(self, op, mode):
        m = op.get(mode)
        if m is None:
            return None
        return (m.get("request") or {}).get("attributes", [])


def spec_policy(spec, setname, attr):
    """One attribute as the kernel's policy would have it (as
    tools/net/ynl/ynl_gen_c.py makes it): (kind, details)."""
    t = attr["type"]
    c = attr.get("checks", {})
    if t == "string":
        return ("NLA_NUL_STRING", c.get("max-len"))
    if t in ("u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"):
        return ("NLA_" + t.upper(), c.get("min"), c.get("max"))
    if t == "flag":
        return ("NLA_FLAG",)
    if t == "nest":
        return ("NLA_NESTED", attr["nested-attributes"])
    if t == "binary":
        return ("NLA_BINARY", c.get("max-len"))
    return ("?" + t,)


# ------------------------------------------------------------------- C text

def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def split_top(body, sep=","):
    """@body split at @sep outside (), {} and []."""
    out, depth, cur = [], 0, ""
    for ch in body:
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return [x.strip() for x in out if x.strip()]


def header_enums(text):
    """{enum name: {CONST: value}} of a header."""
    out = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\};", strip_comments(text), re.S):
        vals, nxt = {}, 0
        for item in split_top(m.group(2)):
            name, _, val = (p.strip() for p in item.partition("="))
            nxt = int(val, 0) if val and re.fullmatch(r"-?\w+", val) and \
                val.lstrip("-").isdigit() else (vals.get(val, nxt) if val else nxt)
            vals[name] = nxt
            nxt += 1
        out[m.group(1)] = vals
    return out


class Consts:
    """#defines and enum values, for the expressions in policies."""

    def __init__(self, texts):
        self.raw, self.vals = {}, {}
        for text in texts:
            for name, expr in re.findall(r"^#define\s+(\w+)[ \t]+([^\n]+)$",
                                         strip_comments(text), re.M):
                self.raw.setdefault(name, expr.strip())
            for vals in header_enums(text).values():
                self.vals.update(vals)

    def eval(self, expr):
        expr = expr.strip()

        def sub(m):
            name = m.group(0)
            if name in self.vals:
                return str(self.vals[name])
            if name in self.raw:
                return "(%s)" % self.eval(self.raw[name])
            raise ValueError("unknown constant %s" % name)

        py = re.sub(r"\b[A-Za-z_]\w*\b", sub, expr)
        if not re.fullmatch(r"[\d\s()+\-*/xXa-fA-F]*", py):
            raise ValueError("not an integer expression: %s" % expr)
        return int(eval(py, {"__builtins__": {}}))  # digits and + - * / only


def parse_policies(text, consts, enum_of):
    """{array name: (set enum name, {ATTR: entry})} of every nla_policy
    array in @text; an entry is (kind, details) as spec_policy() makes, or
    ("?", text) when it is not understood."""
    out = {}
    for m in re.finditer(r"struct\s+nla_policy\s+(\w+)\s*\[([^\]]*)\]\s*=\s*\{(.*?)\};",
                         text, re.S):
        name, size, body = m.groups()
        size_const = re.match(r"\s*(\w+)", size).group(1)
        entries = {}
        for item in split_top(body):
            em = re.match(r"\[\s*(\w+)\s*\]\s*=\s*(.*)$", item, re.S)
            if not em:
                entries["?" + item[:40]] = ("?", item)
                continue
            entries[em.group(1)] = parse_entry(em.group(2).strip(), consts)
        out[name] = (enum_of.get(size_const), entries)
    return out


def parse_entry(v, consts):
    try:
        m = re.fullmatch(r"NLA_POLICY_(MAX|MIN)\(\s*(NLA_\w+)\s*,\s*(.+)\)", v, re.S)
        if m:
            bound = consts.eval(m.group(3))
            return (m.group(2), bound if m.group(1) == "MIN" else None,
                    bound if m.group(1) == "MAX" else None)
        m = re.fullmatch(r"NLA_POLICY_RANGE\(\s*(NLA_\w+)\s*,(.+),(.+)\)", v, re.S)
        if m:
            return (m.group(1), consts.eval(m.group(2)), consts.eval(m.group(3)))
        m = re.fullmatch(r"NLA_POLICY_NESTED\(\s*(\w+)\s*\)", v)
        if m:
            return ("NLA_NESTED", m.group(1))
        m = re.fullmatch(r"\{(.*)\}", v, re.S)
        if m:
            f = {}
            for part in split_top(m.group(1)):
                k, _, val = (x.strip() for x in part.partition("="))
                f[k.lstrip(".")] = val
            t = f.pop("type", None)
            if t is None:
                return ("?", v)
            if t in ("NLA_NUL_STRING", "NLA_STRING", "NLA_BINARY"):
                ln = f.pop("len", f.pop("maxlen", None))
                f.pop("minlen", None)
                if f:
                    return ("?", v)
                return (t, consts.eval(ln) if ln else None)
            if t.startswith(("NLA_U", "NLA_S")) and not f:
                return (t, None, None)
            if t in ("NLA_FLAG", "NLA_NESTED") and not f:
                return (t,) if t == "NLA_FLAG" else (t, None)
        return ("?", v)
    except ValueError as e:
        return ("?", "%s (%s)" % (v, e))


def parse_ops(text):
    """The ops table: [{cmd, do, dump, policy, admin}] from genl_ops or
    genl_split_ops initialisers."""
    out = []
    for m in re.finditer(r"struct\s+genl_(?:split_)?ops\s+\w+\[\w*\]\s*=\s*\{(.*?)\n\};",
                         text, re.S):
        for entry in split_top(m.group(1)):
            f = {}
            for part in split_top(entry.strip()[1:-1]):
                k, _, val = (x.strip() for x in part.partition("="))
                f[k.lstrip(".")] = val
            out.append({"cmd": f.get("cmd"), "do": "doit" in f,
                        "dump": "dumpit" in f, "policy": f.get("policy"),
                        "admin": "GENL_ADMIN_PERM" in f.get("flags", "")})
    return out


# ------------------------------------------------------------------ compare

def compare_policy(spec, setname, names, policies, polname, where, why, seen=()):
    """The module's (or generated) policy @polname against the spec's
    attributes @names of @setname; differences into @why."""
    if polname not in policies:
        why.append("%s: no policy array %s" % (where, polname))
        return
    _, entries = policies[polname]
    attrs = spec.attrs(setname)
    want = {}
    for n in names:
        if attrs[n]["type"] == "pad":
            continue
        want[spec.c_name(setname, n)] = (n, spec_policy(spec, setname, attrs[n]))
    for c in sorted(set(entries) - set(want)):
        why.append("%s: %s accepts %s, which the spec does not list" %
                   (where, polname, c))
    for c, (n, sp) in want.items():
        have = entries.get(c)
        if have is None:
            why.append("%s: %s lacks %s (spec: %s %s)" % (where, polname, c, n, sp))
            continue
        if have[0] == "?":
            why.append("%s: %s[%s] not understood: %s" % (where, polname, c, have[1]))
            continue
        if sp[0] == "NLA_NESTED" and have[0] == "NLA_NESTED":
            if have[1] is None:
                why.append("%s: %s[%s] is a nest without a policy (spec: %s)" %
                           (where, polname, c, sp[1]))
            elif (sp[1], have[1]) not in seen:
                compare_policy(spec, sp[1], list(spec.attrs(sp[1])), policies,
                               have[1], "%s %s" % (where, n), why,
                               seen + ((sp[1], have[1]),))
            continue
        if have != sp:
            why.append("%s: %s[%s] is %s, the spec says %s" %
                       (where, polname, c, fmt(have), fmt(sp)))


def fmt(p):
    return "(" + ", ".join(str(x) for x in p) + ")"


def check_module(spec, kmod, consts, enum_of, header, who="module"):
    text = strip_comments("\n".join(open(f).read()
                                    for f in sorted(glob.glob(kmod + "/*.c"))))
    policies = parse_policies(text, consts, enum_of)
    ops = parse_ops(text)
    cmd_val = header_enums(header)["vgpu_cmd"]
    by_cmd = {}
    for o in ops:
        by_cmd.setdefault(o["cmd"], []).append(o)
    prefix = spec.y["operations"]["name-prefix"]
    seen_cmds = set()
    for op in spec.ops:
        if "event" in op:
            continue
        cname = (prefix + op["name"]).upper().replace("-", "_")
        seen_cmds.add(cname)
        why = []
        entries = by_cmd.get(cname, [])
        if not entries:
            check(False, "%s: %s has an op" % (who, op["name"]), ["no ops entry for " + cname])
            continue
        has_do = any(e["do"] for e in entries)
        has_dump = any(e["dump"] for e in entries)
        if has_do != ("do" in op) or has_dump != ("dump" in op):
            why.append("do/dump: module %s/%s, spec %s/%s" %
                       (has_do, has_dump, "do" in op, "dump" in op))
        admin = "admin-perm" in op.get("flags", [])
        if any(e["admin"] != admin for e in entries):
            why.append("GENL_ADMIN_PERM: spec says %s" % admin)
        for e in entries:
            modes = [m for m in ("do", "dump") if e[m]]
            names = []
            for m in modes:
                for n in spec.request(op, m) or []:
                    if n not in names:
                        names.append(n)
            where = "%s %s" % (op["name"], "+".join(modes))
            if e["policy"] is None:
                if names:
                    why.append("%s: no policy, the spec's request has %s" %
                               (where, ", ".join(names)))
                continue
            compare_policy(spec, op["attribute-set"], names, policies,
                           e["policy"], where, why)
        check(not why, "%s: %s request policy matches the spec (%s)" %
              (who, op["name"], ", ".join(m for m in ("do", "dump") if m in op)), why)
    extra = sorted(set(by_cmd) - seen_cmds)
    check(not extra, "%s: no op the spec lacks" % who, ["extra: " + ", ".join(extra)])
    if who != "module":
        return policies

    # Every attribute the module puts in a message, with its type.
    put_type = {"string": "string", "u8": "u8", "u16": "u16", "u32": "u32",
                "u64_64bit": "u64", "u64": "u64", "flag": "flag", "s32": "s32"}
    by_c = {}
    for sname, s in spec.sets.items():
        if "subset-of" in s:
            continue
        for n, a in spec.attrs(sname).items():
            by_c[spec.c_name(sname, n)] = (sname, n, a)
    replied = set()
    for op in spec.ops:
        for mode in ("do", "dump"):
            r = (op.get(mode) or {}).get("reply") or {}
            replied.update((spec.base(op["attribute-set"]), n) for n in r.get("attributes", []))
        if "event" in op:
            replied.update((spec.base(op["attribute-set"]), n) for n in op["event"]["attributes"])
    # Nested attributes are replied when their nest is.
    for sname, s in spec.sets.items():
        for n, a in spec.attrs(sname).items():
            if a["type"] == "nest" and (spec.base(sname), n) in replied:
                replied.update((spec.base(a["nested-attributes"]), x)
                               for x in spec.attrs(a["nested-attributes"]))
    why = []
    puts = set(re.findall(r"nla_put_(\w+?)\s*\(\s*[\w>.-]+\s*,\s*(VGPU_A_\w+)", text))
    puts |= {("nest", c) for c in
             re.findall(r"nla_nest_start(?:_noflag)?\s*\(\s*[\w>.-]+\s*,\s*(VGPU_A_\w+)", text)}
    for kind, c in sorted(puts):
        if c not in by_c:
            why.append("puts %s, which no attribute set of the spec has" % c)
            continue
        sname, n, a = by_c[c]
        if put_type.get(kind, kind) != a["type"]:
            why.append("puts %s as %s, the spec says %s" % (c, kind, a["type"]))
        if (sname, n) not in replied:
            why.append("puts %s, which no reply or event of the spec lists" % c)
    check(not why and puts, "module: the %d attributes it puts are in the spec, "
          "with their types, in a reply or event" % len(puts), why)
    return policies


def check_tool(spec, userspace, consts, enum_of):
    text = strip_comments(open(userspace + "/kernel/nl.c").read())
    policies = parse_policies(text, consts, enum_of)
    libnl = {"u8": "NLA_U8", "u16": "NLA_U16", "u32": "NLA_U32", "u64": "NLA_U64",
             "string": "NLA_STRING", "flag": "NLA_FLAG", "nest": "NLA_NESTED"}
    for sname, s in spec.sets.items():
        if "subset-of" in s:
            continue
        why = []
        pols = [p for p, (enum, _) in policies.items() if enum == s["enum-name"]]
        if len(pols) != 1:
            check(False, "tool: one parser policy for set %s" % sname,
                  ["found %s" % (pols or "none")])
            continue
        _, entries = policies[pols[0]]
        want = {}
        for n, a in spec.attrs(sname).items():
            if a["type"] != "pad":
                want[spec.c_name(sname, n)] = (n, a)
        for c in sorted(set(entries) - set(want)):
            why.append("%s parses %s, which the spec does not have" % (pols[0], c))
        for c, (n, a) in want.items():
            have = entries.get(c)
            if have is None:
                why.append("%s lacks %s (%s)" % (pols[0], c, n))
                continue
            kind = "NLA_STRING" if have[0] == "NLA_NUL_STRING" else have[0]
            if kind != libnl.get(a["type"], "?"):
                why.append("%s[%s] is %s, the spec says %s" % (pols[0], c, have[0], a["type"]))
                continue
            ml = a.get("checks", {}).get("max-len")
            if a["type"] == "string" and ml is not None and have[1] and have[1] < ml + 1:
                why.append("%s[%s] takes at most %d bytes, the spec allows %d + NUL" %
                           (pols[0], c, have[1], ml))
        check(not why, "tool: parser %s matches the spec's set %s" % (pols[0], sname), why)


def decode_attrs(b):
    out, i = [], 0
    while i + 4 <= len(b):
        ln = int.from_bytes(b[i:i + 2], "little")
        t = int.from_bytes(b[i + 2:i + 4], "little")
        if ln < 4 or i + ln > len(b):
            return None
        out.append((t & 0x3fff, bool(t & NLA_F_NESTED), b[i + 4:i + ln]))
        i += (ln + 3) & ~3
    return out if i == len(b) or i - len(b) < 4 else None


def check_payload(spec, setname, names, raw, why, where):
    attrs = decode_attrs(raw)
    if attrs is None:
        why.append("%s: malformed attributes" % where)
        return
    num = spec.values(spec.base(setname))
    byval = {num[n]: (n, a) for n, a in spec.attrs(setname).items() if n in names}
    named = {v: n for n, v in num.items()}
    size = {"u8": 1, "u16": 2, "u32": 4, "u64": 8, "flag": 0}
    for t, nested, payload in attrs:
        if t not in byval:
            why.append("%s: sends %s (%d), which the spec's request lacks" %
                       (where, named.get(t, "an unknown attribute"), t))
            continue
        n, a = byval[t]
        ty = a["type"]
        if ty in size and len(payload) != size[ty]:
            why.append("%s: %s is %d bytes, %s wants %d" % (where, n, len(payload), ty, size[ty]))
        elif ty == "string":
            ml = a.get("checks", {}).get("max-len")
            if not payload.endswith(b"\0") or b"\0" in payload[:-1]:
                why.append("%s: %s is not a NUL-terminated string" % (where, n))
            elif ml is not None and len(payload) - 1 > ml:
                why.append("%s: %s is %d long, max-len %d" % (where, n, len(payload) - 1, ml))
        elif ty == "nest":
            if not nested:
                why.append("%s: nest %s without NLA_F_NESTED (strict validation refuses it)" %
                           (where, n))
            sub = a["nested-attributes"]
            check_payload(spec, sub, list(spec.attrs(sub)), payload, why, "%s %s" % (where, n))


def check_requests(spec, log):
    vals = {v: k for k, v in spec.op_values().items()}
    ops = {op["name"]: op for op in spec.ops}
    seen = {}
    for line in open(log):
        r = json.loads(line)
        seen.setdefault((r["cmd"], (r["flags"] & NLM_F_DUMP) == NLM_F_DUMP),
                        set()).add(r["attrs"])
    check(seen, "tool: the unit tests logged the requests the tool sends",
          ["no request in " + log])
    for (cmd, dump), raws in sorted(seen.items()):
        mode = "dump" if dump else "do"
        why = []
        name = vals.get(cmd)
        if name is None:
            check(False, "tool: command %d is in the spec" % cmd)
            continue
        names = spec.request(ops[name], mode)
        if names is None:
            why.append("the spec has no %s for %s" % (mode, name))
        else:
            for raw in sorted(raws):
                check_payload(spec, ops[name]["attribute-set"], names,
                              bytes.fromhex(raw), why, "%s %s" % (name, mode))
        check(not why, "tool: its %s %s requests (%d kinds) are the spec's" %
              (name, mode, len(raws)), sorted(set(why)))


# ------------------------------------------------------------ spec, header

def check_header(spec, header):
    enums = header_enums(header)

    def compare(what, enum_name, want):
        have = enums.get(enum_name)
        if have is None:
            check(False, "header: %s (enum %s)" % (what, enum_name), ["missing"])
            return
        have = {k: v for k, v in have.items() if not k.startswith("__") and
                not k.endswith("_MAX") and (not k.endswith("_UNSPEC") or k in want)}
        why = ["%s: header %s, spec %s" % (k, have.get(k), want.get(k))
               for k in sorted(set(have) | set(want)) if have.get(k) != want.get(k)]
        check(not why, "header: %s matches enum %s" % (what, enum_name), why)

    def entries(prefix, items, first):
        out, nxt = {}, first
        for it in items:
            name = it if isinstance(it, str) else it["name"]
            if not isinstance(it, str):
                nxt = it.get("value", nxt)
            out[(prefix + name).upper().replace("-", "_")] = nxt
            nxt += 1
        return out

    for d in spec.y.get("definitions", []):
        if d["type"] == "enum":
            compare("enum " + d["name"], d["enum-name"], entries(d["name-prefix"], d["entries"], 0))
    for sname, s in spec.sets.items():
        if "subset-of" not in s:
            compare("attribute-set " + sname, s["enum-name"],
                    entries(s["name-prefix"], s["attributes"], 1))
    o = spec.y["operations"]
    compare("operations", o["enum-name"], entries(o["name-prefix"], o["list"], 1))
    consts = {d["name"]: d["value"] for d in spec.y["definitions"] if d["type"] == "const"}
    for cname, macro in (("api-version", "VGPU_API_VERSION"), ("handle-max", "VGPU_HANDLE_MAX")):
        m = re.search(r"#define\s+%s\s+(\d+)" % macro, header)
        check(m and int(m.group(1)) == consts.get(cname), "header: const %s is %s" % (cname, macro))
    m = re.search(r'#define\s+VGPU_GENL_NAME\s+"([^"]+)"', header)
    check(m and m.group(1) == spec.y["name"], "header: family name")
    m = re.search(r'#define\s+VGPU_GENL_MCGRP_MONITOR\s+"([^"]+)"', header)
    check(m and m.group(1) in [g["name"] for g in spec.y["mcast-groups"]["list"]],
          "header: multicast group")


def check_spec_use(spec):
    """Every attribute is used by some operation: a request, a reply, an
    event, or inside a nest that is."""
    used = set()
    for op in spec.ops:
        sets = [op["attribute-set"]]
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                used.update((spec.base(op["attribute-set"]), n) for n in
                            ((op.get(mode) or {}).get(part) or {}).get("attributes", []))
        if "event" in op:
            used.update((spec.base(op["attribute-set"]), n) for n in op["event"]["attributes"])
    changed = True
    while changed:
        changed = False
        for sname in spec.sets:
            for n, a in spec.attrs(sname).items():
                if a["type"] == "nest" and (spec.base(sname), n) in used:
                    for x in spec.attrs(a["nested-attributes"]):
                        k = (spec.base(a["nested-attributes"]), x)
                        if k not in used:
                            used.add(k)
                            changed = True
    unused = ["%s %s" % (s, n) for s in spec.sets if "subset-of" not in spec.sets[s]
              for n, a in spec.attrs(s).items() if a["type"] != "pad" and (s, n) not in used]
    check(not unused, "spec: every attribute is in some request, reply, event or nest",
          ["unused: " + ", ".join(unused)])


def check_schema(spec, tree):
    import jsonschema
    proto = spec.y.get("protocol", "genetlink")
    path = "%s/Documentation/netlink/%s.yaml" % (tree, proto)
    name = os.path.basename(os.path.normpath(tree))
    if proto not in ("genetlink", "genetlink-c"):
        check(False, "schema: protocol is genetlink or genetlink-c", [proto])
        return
    if not os.path.exists(path):
        check(False, "schema: %s has %s.yaml" % (name, proto), [path])
        return
    schema = yaml.safe_load(open(path))
    errs = ["%s: %s" % ("/".join(str(p) for p in e.path), e.message)
            for e in jsonschema.Draft7Validator(schema).iter_errors(spec.y)]
    check(not errs, "schema: the spec is valid %s for %s" % (proto, name), errs)


def generate(spec_path, tree, out):
    """The kernel policies @tree's ynl_gen_c.py makes of the spec, as
    @out/vgpu_gen.c. The generator finds the schema next to the spec's
    directory and the tree's root by its MAINTAINERS: a scratch tree."""
    import shutil
    import subprocess
    gen = None
    for g in ("tools/net/ynl/pyynl/ynl_gen_c.py", "tools/net/ynl/ynl-gen-c.py"):
        if os.path.exists(os.path.join(tree, g)):
            gen = os.path.join(tree, g)
            break
    if gen is None:
        return "no ynl_gen_c.py in " + tree
    spec = yaml.safe_load(open(spec_path))
    os.makedirs(out + "/Documentation/netlink/specs", exist_ok=True)
    open(out + "/MAINTAINERS", "w").close()
    shutil.copy("%s/Documentation/netlink/%s.yaml" % (tree, spec["protocol"]),
                out + "/Documentation/netlink/")
    shutil.copy(spec_path, out + "/Documentation/netlink/specs/vgpu.yaml")
    r = subprocess.run([sys.executable, gen, "--mode", "kernel", "--source",
                        "--spec", out + "/Documentation/netlink/specs/vgpu.yaml",
                        "-o", out + "/vgpu_gen.c"], cwd=os.path.dirname(gen),
                       capture_output=True, text=True, timeout=120)
    return None if r.returncode == 0 else (r.stderr or r.stdout)[-2000:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", default=os.path.join(os.path.dirname(__file__), "../.."))
    ap.add_argument("--spec")
    ap.add_argument("--kmod")
    ap.add_argument("--requests")
    ap.add_argument("--kernel-tree", action="append", default=[])
    ap.add_argument("--generator")
    ap.add_argument("--scratch", default="/tmp")
    a = ap.parse_args()
    top = a.top
    spec = Spec(a.spec or top + "/Documentation/netlink/specs/vgpu.yaml")
    kmod = a.kmod or top + "/kmod"
    header = open(kmod + "/uapi/vgpu_nl.h").read()
    texts = [open(f).read() for f in sorted(glob.glob(kmod + "/*.h"))]
    consts = Consts([header] + texts)
    enum_of = {}
    for ename, vals in header_enums(header).items():
        for c in vals:
            enum_of[c] = ename

    check_header(spec, header)
    check_spec_use(spec)
    for tree in a.kernel_tree:
        check_schema(spec, tree)
    check_module(spec, kmod, consts, enum_of, header)
    if a.generator:
        import tempfile
        with tempfile.TemporaryDirectory(dir=a.scratch) as out:
            err = generate(spec.path, a.generator, out)
            name = os.path.basename(os.path.normpath(a.generator))
            check(err is None, "ynl_gen_c.py of %s generates policies from the spec" % name,
                  (err or "").splitlines())
            if err is None:
                check_module(spec, out, consts, enum_of, header,
                             "ynl_gen_c.py (%s)" % name)
    check_tool(spec, top + "/userspace", Consts([header]), enum_of)
    if a.requests:
        check_requests(spec, a.requests)

    failed = 0
    for n, (ok, desc, why) in enumerate(checks, 1):
        print("%s %d - contract: %s" % ("ok" if ok else "not ok", n, desc))
        for w in why if not ok else ():
            print("# " + w)
        failed += not ok
    print("1..%d" % len(checks))
    print("%d passed, %d failed" % (len(checks) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
