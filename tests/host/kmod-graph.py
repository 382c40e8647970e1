#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The include graph of kmod/ and the rules it must keep.

usage: kmod-graph.py [TOP]               check TOP/kmod (default: .)
       kmod-graph.py --self-test [TOP]   show that each rule can fail

Prints, as "# " lines, every file's project includes (file -> headers) and
the module graph derived from them (module -> modules), then one TAP line
per rule and "N passed, N failed". Exit status 1 if a rule is broken.

A module is one subsystem: a header vgpu_X.h and the .c files that
implement it, vgpu_X.c or vgpu_X_*.c (vgpu_genl_vf.c is part of vgpu_genl,
vgpu_prov_xe.c of vgpu_prov). A .c file with no header of its name is a
module of its own (vgpu_main). Module A depends on module B when a file of
A includes B's header. Rules:

  - every module is classified in MODULES below, every include resolves;
  - no core file includes a glue header (glue translates, the core
    decides: the core must not know who calls it);
  - the other layer rules: shared headers include only shared ones, and
    nothing includes the module's init (it has no header to include);
  - no cycle between modules;
  - a file's includes tell the truth: each project header it includes
    defines a name the file uses, and each project header that defines a
    name the file uses is included by the file itself, not reached through
    another header;
  - each name is defined in one header;
  - Kbuild builds every kmod/*.c file and nothing else.

Python 3 standard library only.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Every module and its layer. Why each is where it is:
#   core    decides: the registry, the device state and the operations on
#           devices, VFs and mdevs, provisioning, the resource report, the
#           events core and the helpers they share. May include core and
#           shared headers only.
#   glue    translates between an interface (generic netlink, sysfs) and
#           core calls; may include anything but the init.
#   init    module init/exit, which starts every part, so it includes all
#           (WireGuard's main.c).
#   shared  what both layers may use: the uAPI contract and the one header
#           of kernel-version differences. Include shared headers only.
MODULES = {
    "vgpu_registry": ("core", "the managed devices, their lifetime, the PCI bus notifier"),
    "vgpu_dev": ("core", "a device's state snapshot"),
    "vgpu_handle": ("core", "device handles: the one formatter, the parser"),
    "vgpu_sriov": ("core", "VF count and autoprobe of a PF"),
    "vgpu_vf": ("core", "VF lookup, state and driver binding"),
    "vgpu_mdev": ("core", "mdev types and mdevs"),
    "vgpu_holders": ("core", "whether a process holds a device's VFIO files"),
    "vgpu_prov": ("core", "VF provisioning over the GPU drivers' files"),
    "vgpu_resource": ("core", "the resource report"),
    "vgpu_event": ("core", "notifications of change, to whoever listens"),
    "vgpu_vfs": ("core", "other drivers' sysfs files through the VFS"),
    "vgpu_genl": ("glue", "the generic netlink family"),
    "vgpu_sysfs": ("glue", "/sys/kernel/vgpu_nl"),
    "vgpu_main": ("init", "module init/exit"),
    "vgpu_compat": ("shared", "kernel-version differences"),
    "vgpu_nl": ("shared", "the uAPI header (kmod/uapi)"),
}

# Which layers a layer may include.
MAY_INCLUDE = {
    "core": {"core", "shared"},
    "glue": {"core", "glue", "shared"},
    "init": {"core", "glue", "shared"},
    "shared": {"shared"},
}


# The rules, as the TAP lines name them.
RULES = {
    "classified": "kmod graph: every file is in a classified module, every include resolves",
    "core-glue": "kmod graph: no core file includes a glue header",
    "layers": "kmod graph: shared headers include only shared ones, nothing includes the init",
    "cycles": "kmod graph: no cycle between modules",
    "unused": "kmod includes: every project header a file includes defines a name it uses",
    "direct": "kmod includes: a file includes every project header whose names it uses",
    "one-definition": "kmod headers: each name is defined in one header",
    "kbuild": "Kbuild: vgpu_nl-y lists every kmod/*.c file and nothing else",
}


class Tap:
    def __init__(self):
        self.n = self.failed = 0

    def result(self, good, desc, why=()):
        self.n += 1
        if good:
            print(f"ok {self.n} - {desc}")
        else:
            self.failed += 1
            print(f"not ok {self.n} - {desc}")
            for line in why:
                print(f"# {line}")

    def done(self):
        print(f"1..{self.n}")
        print(f"{self.n - self.failed} passed, {self.failed} failed")
        return 1 if self.failed else 0


def strip_c(text):
    """The text without comments, string and character literals."""
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                  lambda m: " " if m.group(0)[0] == "/" else '""',
                  text, flags=re.S)


def defined_names(text):
    """Names a header defines: macros, tagged types with a body, enum
    constants, functions and extern variables. Forward declarations
    ("struct foo;") define nothing."""
    code = strip_c(text)
    names = set()
    for m in re.finditer(r"^\s*#\s*define\s+(\w+)", code, re.M):
        if not re.fullmatch(r"_\w+_H", m.group(1)):
            names.add(m.group(1))
    for m in re.finditer(r"\b(?:struct|enum|union)\s+(\w+)\s*\{", code):
        names.add(m.group(1))
    for m in re.finditer(r"\benum\b[^{;]*\{([^}]*)\}", code):
        for item in m.group(1).split(","):
            item = item.strip()
            if item:
                names.add(re.match(r"\w+", item).group(0))
    # Top level only: what is left once every brace body is blanked out.
    top, depth = [], 0
    for ch in re.sub(r"^\s*#.*?(?<!\\)$", "", code, flags=re.M | re.S):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                top.append(";")  # a function body ends its statement
        elif depth == 0:
            top.append(ch)
    top = "".join(top)
    for stmt in top.split(";"):
        stmt = re.sub(r"__printf\s*\([^)]*\)|__\w+", " ", stmt)
        m = re.search(r"\b(\w+)\s*\(", stmt)
        if m and not stmt.lstrip().startswith("typedef"):
            names.add(m.group(1))
            continue
        m = re.search(r"\bextern\b.*?\b(\w+)\s*(?:\[[^\]]*\]\s*)*$", stmt, re.S)
        if m:
            names.add(m.group(1))
    return names


def member_names(text):
    """The members of the structs and unions a header defines."""
    code, names = strip_c(text), set()
    for m in re.finditer(r"\b(?:struct|union)\b[^{;()]*\{", code):
        depth, i = 1, m.end()
        while depth and i < len(code):
            depth += {"{": 1, "}": -1}.get(code[i], 0)
            i += 1
        body = re.sub(r"\{[^{}]*\}", " ", code[m.end():i - 1])
        for decl in body.split(";"):
            fn = re.search(r"\(\s*\*\s*(\w+)\s*\)\s*\(", decl)
            if fn:
                names.add(fn.group(1))
                continue
            for part in decl.split(","):
                last = re.search(r"(\w+)\s*(?:\[[^\]]*\]\s*)*(?::\s*\w+\s*)?$", part)
                if last and not last.group(1).isdigit():
                    names.add(last.group(1))
    return names


def used_names(text):
    return set(re.findall(r"\b[A-Za-z_]\w*\b", strip_c(text)))


def needs_definition(text, name):
    """Whether a file needs tag @name complete: "struct NAME" used other
    than as a pointer or in a forward declaration."""
    return re.search(r"\b(?:struct|union)\s+%s\b(?!\s*[*;])" % name,
                     strip_c(text)) is not None


class Tree:
    """The files of TOP/kmod, their includes and modules."""

    def __init__(self, top):
        self.top = top
        kmod = os.path.join(top, "kmod")
        self.path = {}
        for d in (kmod, os.path.join(kmod, "uapi")):
            for name in sorted(os.listdir(d)):
                if name.endswith((".c", ".h")):
                    self.path[name] = os.path.join(d, name)
        self.text = {f: open(p).read() for f, p in self.path.items()}
        self.headers = sorted(f for f in self.path if f.endswith(".h"))
        self.sources = sorted(f for f in self.path if f.endswith(".c"))
        self.includes = {
            f: re.findall(r'^\s*#\s*include\s+"([^"]+)"', t, re.M)
            for f, t in self.text.items()
        }
        stems = [h[:-2] for h in self.headers]
        self.module = {}
        for f in self.path:
            stem = f[:-2]
            owners = [s for s in stems if stem == s or stem.startswith(s + "_")]
            self.module[f] = max(owners, key=len) if owners else stem
        self.defines = {h: defined_names(self.text[h]) for h in self.headers}
        self.members = {h: member_names(self.text[h]) for h in self.headers}
        self.tags = {h: set(re.findall(r"\b(?:struct|union)\s+(\w+)\s*\{",
                                       strip_c(self.text[h]))) for h in self.headers}
        self.uses = {f: used_names(t) for f, t in self.text.items()}

    def edges(self):
        """(file, header) for every project include that resolves."""
        return [(f, h) for f in sorted(self.path) for h in self.includes[f]
                if h in self.path]

    def module_graph(self):
        graph = {m: set() for m in self.module.values()}
        for f, h in self.edges():
            a, b = self.module[f], self.module[h]
            if a != b:
                graph[a].add(b)
        return graph


def cycles(graph):
    """The strongly connected components with more than one module."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def kbuild_objects(top):
    text = open(os.path.join(top, "Kbuild")).read().replace("\\\n", " ")
    m = re.search(r"^vgpu_nl-y\s*:?=(.*)$", text, re.M)
    return m.group(1).split() if m else []


def member_use(tree, f, h):
    """Whether @f reaches a member of a struct of @h (e->vdev->pdev needs
    struct vgpu_dev) that no other struct it sees has: a member name is
    only a hint of its type."""
    accessed = set(re.findall(r"(?:->|\.)\s*([A-Za-z_]\w*)", strip_c(tree.text[f])))
    others = member_names(tree.text[f]) if f.endswith(".c") else set()
    for g in tree.includes[f]:
        if g != h and g in tree.members:
            others |= tree.members[g]
    return bool(tree.members[h] & accessed - others)


def layer(tree, f):
    return MODULES.get(tree.module[f], ("?", ""))[0]


def print_graph(tree):
    print("# kmod include graph: file -> project headers")
    for f in sorted(tree.path, key=lambda f: (f.endswith(".h"), f)):
        print(f"#   {f} -> {' '.join(tree.includes[f]) or '(none)'}")
    print("# module (layer: what it is) -> modules whose headers it includes")
    graph = tree.module_graph()
    for m in sorted(graph):
        cls, what = MODULES.get(m, ("unclassified", "not in MODULES"))
        print(f"#   {m} ({cls}: {what}) -> {' '.join(sorted(graph[m])) or '(none)'}")


def check(top, tap):
    """Runs every rule on TOP/kmod; returns {rule: [reasons]} of broken ones."""
    tree = Tree(top)
    print_graph(tree)
    broken = {}

    def rule(key, why):
        broken.update({key: why} if why else {})
        tap.result(not why, RULES[key], why)

    rule("classified",
         [f"{f}: module {tree.module[f]} is not in MODULES" for f in sorted(tree.path)
          if tree.module[f] not in MODULES] +
         [f"{f}: includes \"{h}\", which is not in kmod/" for f in sorted(tree.path)
          for h in tree.includes[f] if h not in tree.path])

    rule("core-glue",
         [f"{f} ({tree.module[f]}, core) includes {h} ({tree.module[h]}, glue)"
          for f, h in tree.edges() if layer(tree, f) == "core" and layer(tree, h) == "glue"])

    rule("layers",
         [f"{f} ({layer(tree, f)}) includes {h} ({layer(tree, h)})"
          for f, h in tree.edges()
          if layer(tree, f) in MAY_INCLUDE and layer(tree, f) != "core"
          and layer(tree, h) not in MAY_INCLUDE[layer(tree, f)]])

    rule("cycles",
         ["cycle: " + " <-> ".join(c) for c in cycles(tree.module_graph())])

    rule("unused",
         [f"{f} includes {h} but uses none of its names" for f, h in tree.edges()
          if not tree.defines[h] & tree.uses[f] and not member_use(tree, f, h)])

    # A struct used only through pointers needs no more than a forward
    # declaration ("struct vgpu_dev;"), the compiler sees to that.
    missing = []
    for f in sorted(tree.path):
        for h in tree.headers:
            if h == f or h in tree.includes[f]:
                continue
            names = sorted(n for n in tree.defines[h] & tree.uses[f]
                           if n not in tree.defines.get(f, set()) and
                           (n not in tree.tags[h] or needs_definition(tree.text[f], n)))
            if names:
                missing.append(f"{f} uses {', '.join(names[:4])} from {h} without including it")
    rule("direct", missing)

    owner = {}
    for h in tree.headers:
        for name in tree.defines[h]:
            owner.setdefault(name, []).append(h)
    rule("one-definition",
         [f"{n} is defined in {' and '.join(hs)}" for n, hs in sorted(owner.items())
          if len(hs) > 1])

    objs = kbuild_objects(top)
    want = [f"kmod/{c[:-2]}.o" for c in tree.sources]
    rule("kbuild",
         [f"{o}: no kmod source builds it" for o in objs if o not in want] +
         [f"{o}: not in vgpu_nl-y" for o in want if o not in objs] +
         [f"{o}: listed twice" for o in sorted(set(objs)) if objs.count(o) > 1])
    return broken


def self_test(top, tap):
    """Breaks a scratch copy of kmod/ one way at a time and runs this
    script on it: each must exit 1 with the rule's "not ok" line saying
    what is wrong; the unbroken copy must pass."""
    def add_line(f, after, line):
        def edit(d):
            p = os.path.join(d, "kmod", f)
            s = open(p).read()
            assert after in s, (f, after)
            open(p, "w").write(s.replace(after, after + line, 1))
        return edit

    def drop_line(f, line):
        def edit(d):
            p = os.path.join(d, "kmod", f) if f != "Kbuild" else os.path.join(d, f)
            s = open(p).read()
            assert line in s, (f, line)
            open(p, "w").write(s.replace(line, "", 1))
        return edit

    cases = [
        ("the tree as it is passes every rule", None, None, None),
        ("a core file including a glue header fails (vgpu_registry.c -> vgpu_genl.h)",
         add_line("vgpu_registry.c", '#include "vgpu_event.h"\n', '#include "vgpu_genl.h"\n'),
         "core-glue", "vgpu_registry.c (vgpu_registry, core) includes vgpu_genl.h"),
        ("a cycle between two core modules fails (vgpu_handle.c -> vgpu_registry.h)",
         add_line("vgpu_handle.c", '#include "vgpu_handle.h"\n', '#include "vgpu_registry.h"\n'),
         "cycles", "vgpu_handle <-> vgpu_registry"),
        ("a header included for nothing fails (vgpu_event.c -> vgpu_vfs.h)",
         add_line("vgpu_event.c", '#include "vgpu_event.h"\n', '#include "vgpu_vfs.h"\n'),
         "unused", "vgpu_event.c includes vgpu_vfs.h but uses none of its names"),
        ("a header reached only through another fails (vgpu_vf.c without vgpu_handle.h)",
         drop_line("vgpu_vf.c", '#include "vgpu_handle.h"\n'),
         "direct", "vgpu_vf.c uses"),
        ("a source Kbuild does not build fails (no vgpu_vfs.o)",
         drop_line("Kbuild", "\t     kmod/vgpu_vfs.o \\\n"),
         "kbuild", "kmod/vgpu_vfs.o: not in vgpu_nl-y"),
        ("a file of no known module fails (kmod/vgpu_new.c)",
         lambda d: open(os.path.join(d, "kmod", "vgpu_new.c"), "w").write(
             "// SPDX-License-Identifier: GPL-2.0\n"),
         "classified", "vgpu_new.c: module vgpu_new is not in MODULES"),
    ]
    for desc, edit, key, text in cases:
        with tempfile.TemporaryDirectory() as d:
            shutil.copytree(os.path.join(top, "kmod"), os.path.join(d, "kmod"))
            shutil.copy(os.path.join(top, "Kbuild"), d)
            if edit:
                edit(d)
            run = subprocess.run([sys.executable, os.path.abspath(__file__), d],
                                 stdout=subprocess.PIPE, text=True)
        report = failures(run.stdout)
        if key is None:
            tap.result(run.returncode == 0 and not report, f"self-test: {desc}",
                       [f"exit status {run.returncode}"] +
                       [f"{r}: {w}" for r, ws in report.items() for w in ws])
            continue
        why = report.get(RULES[key], [])
        said = [w for w in why if text in w]
        tap.result(run.returncode == 1 and said, f"self-test: {desc}",
                   [f"expected exit status 1 and \"not ok - {RULES[key]}\" saying \"{text}\";",
                    f"got exit status {run.returncode}, failures:"] +
                   [f"  {r}: {w}" for r, ws in report.items() for w in ws])
        if said:
            print(f"#   failed as it should: {RULES[key]}: {said[0]}")


def failures(out):
    """{rule description: its "# " lines} of each "not ok" line in @out."""
    report, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"(ok|not ok) \d+ - (.*)", line)
        if m:
            cur = m.group(2) if m.group(1) == "not ok" else None
            if cur:
                report[cur] = []
        elif cur and line.startswith("# "):
            report[cur].append(line[2:])
    return report


def main(argv):
    args = argv[1:]
    test = "--self-test" in args
    args = [a for a in args if a != "--self-test"]
    top = args[0] if args else "."
    tap = Tap()
    if test:
        self_test(top, tap)
    else:
        check(top, tap)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
