#!/usr/bin/env python3
"""Import and call circles in kernel/ and smp/.

A module is one name with its .c, .h and .S (kernel/proc.c and
kernel/proc.h are the module kernel/proc), except under kernel/arch/:
there a header is a node of its own (kernel/arch/i386/fpu.h) apart from
its implementation (kernel/arch/i386/fpu: fpu.c, fpu.S). The arch headers
are the layer generic code builds on, through kernel/arch.h; the arch
implementation builds on generic code (fpu.c on struct proc), and where it
also calls back into it, the call graph shows that. Two graphs:

  include  A -> B when a file of A has #include "B.h"
  call     A -> B when an object of A uses a symbol an object of B
           defines (nm on the build's objects: <build>/<source>.o)

And two rules of direction: nothing in kernel/ or smp/ includes a header
of bench/ or tests/ (they build on the kernel, never the reverse); and
outside kernel/arch/, only kernel/arch.h includes kernel/arch/i386/
headers (`direct: file` lines in the allowlist name the files that still
do, until they are converted).

A circle is a strongly connected component of more than one module: each
of its modules needs each other one, directly or through the rest. Every
circle is printed with the edges that make it.

tools/circles.allow lists the circles that exist today and may stay for
now (`include: a b c` or `call: a b c`, one per line, # comments). The
check fails on a circle that is not inside one allowed circle of its
graph (a new one, or one that grew); an allowed circle that shrank passes,
and an allowed entry that no longer matches is named so that it can go.

    tools/circles.py [--build build] [--allow tools/circles.allow] [--edges]
    tools/circles.py --write-allow    # the allowlist := what is there now

--write-allow is for a deliberate step (a merge that moves code between
files): it rewrites the list with today's circles and direct includes,
keeping its comments; read its diff before committing it.
"""
import argparse
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOTS = ("kernel", "smp")
EXTS = (".c", ".h", ".S")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(repo):
    out = []
    for root in ROOTS:
        for d, _, names in os.walk(os.path.join(repo, root)):
            for n in sorted(names):
                if n.endswith(EXTS):
                    out.append(os.path.relpath(os.path.join(d, n), repo))
    return sorted(out)


ARCH = "kernel/arch/"


def module(path):
    if path.startswith(ARCH) and path.endswith(".h"):
        return path                     # the interface, apart
    return os.path.splitext(path)[0]


def include_graph(repo, files):
    """{a: {b: why}} over modules, from the quoted includes."""
    known = set(files)
    g = {}
    for f in files:
        a = module(f)
        g.setdefault(a, {})
        with open(os.path.join(repo, f), errors="replace") as fh:
            text = fh.read()
        for inc in INCLUDE.findall(text):
            # -I. and -Iinclude: only the tree's own files count.
            if inc not in known:
                continue
            b = module(inc)
            if b != a:
                g[a].setdefault(b, '%s includes "%s"' % (f, inc))
    return g


UPWARD = ("bench/", "tests/")
ARCH_HEADER = "kernel/arch.h"


def wrong_includes(repo, files, direct_ok):
    """Includes of bench/ or tests/ headers from kernel/ and smp/, and of
    kernel/arch/i386/ headers from outside kernel/arch/ but arch.h and the
    files direct_ok names."""
    found = []
    for f in files:
        with open(os.path.join(repo, f), errors="replace") as fh:
            for inc in INCLUDE.findall(fh.read()):
                if inc.startswith(UPWARD):
                    found.append('upward include: %s includes "%s"'
                                 % (f, inc))
                elif inc.startswith(ARCH) and not f.startswith(ARCH) and \
                        f != ARCH_HEADER and f not in direct_ok:
                    found.append('arch header not through %s: %s includes '
                                 '"%s"' % (ARCH_HEADER, f, inc))
    return found


def nm(obj):
    out = subprocess.run(["nm", obj], check=True, capture_output=True,
                         text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
        elif len(parts) == 3 and parts[1].isupper() and parts[1] != "U":
            defined.add(parts[2])
    return defined, used


def call_graph(build, files):
    """{a: {b: why}} over modules, from the objects' symbol tables; None
    when no object is there (nothing built)."""
    owner, uses = {}, {}
    for f in files:
        if f.endswith(".h"):
            continue
        obj = os.path.join(build, f + ".o")
        if not os.path.exists(obj):
            continue
        defined, used = nm(obj)
        for s in defined:
            owner.setdefault(s, module(f))
        uses.setdefault(module(f), set()).update(used)
    if not uses:
        return None
    g = {}
    for a, used in sorted(uses.items()):
        g.setdefault(a, {})
        for s in sorted(used):
            b = owner.get(s)
            if b and b != a:
                g[a].setdefault(b, "%s uses %s" % (a, s))
    return g


def circles(g):
    """Strongly connected components of more than one node (Tarjan,
    iterative), each a sorted tuple; sorted."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    nodes = set(g) | {b for a in g for b in g[a]}
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(g.get(start, {}))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g.get(w, {})))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(tuple(sorted(comp)))
    return sorted(out)


def read_allow(path):
    allow = {"include": [], "call": [], "direct": []}
    if not os.path.exists(path):
        return allow
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            kind, _, mods = line.partition(":")
            if kind.strip() not in allow or not mods.split():
                sys.exit("circles: %s:%d: want 'include: a b ...', "
                         "'call: a b ...' or 'direct: file'" % (path, n))
            if kind.strip() == "direct":
                allow["direct"].extend(mods.split())
            else:
                allow[kind.strip()].append(frozenset(mods.split()))
    return allow


def report(kind, g, allow, show_edges):
    """Prints the circles of one graph; returns (circles, not allowed)."""
    found = circles(g)
    bad = 0
    for c in found:
        ok = any(set(c) <= a for a in allow)
        bad += not ok
        print("  %s %s" % ("allowed" if ok else "NEW    ", " ".join(c)))
        if show_edges or not ok:
            members = set(c)
            for a in c:
                for b, why in sorted(g.get(a, {}).items()):
                    if b in members:
                        print("        %s -> %s  (%s)" % (a, b, why))
    for a in allow:
        if not any(set(c) <= a for c in found) or \
                not any(set(c) == a for c in found):
            now = [" ".join(c) for c in found if set(c) <= a]
            print("  note: allowed %s circle '%s' %s" % (
                kind, " ".join(sorted(a)),
                "is gone: drop its line" if not now else
                "is now " + " | ".join(now) + ": shrink its line"))
    return len(found), bad


def write_allow(path, build, files):
    cg = call_graph(build, files)
    if cg is None:
        print("circles: no objects under %s (build first)" % build)
        return 1
    comments = []
    if os.path.exists(path):
        with open(path) as f:
            comments = [l for l in f if l.startswith("#")]
    direct = sorted({w.split(": ", 1)[1].split(" includes ")[0]
                     for w in wrong_includes(REPO, files, set())
                     if w.startswith("arch header")})
    with open(path, "w") as f:
        f.writelines(comments)
        for c in circles(include_graph(REPO, files)):
            f.write("include: %s\n" % " ".join(c))
        for c in circles(cg):
            f.write("call: %s\n" % " ".join(c))
        for d in direct:
            f.write("direct: %s\n" % d)
    print("circles: wrote %s" % os.path.relpath(path, REPO))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--allow", default=os.path.join(REPO, "tools",
                                                    "circles.allow"))
    ap.add_argument("--edges", action="store_true",
                    help="print the edges of allowed circles too")
    ap.add_argument("--write-allow", action="store_true",
                    help="rewrite the allowlist with what is there now")
    a = ap.parse_args()
    files = sources(REPO)
    if a.write_allow:
        return write_allow(a.allow, a.build, files)
    allow = read_allow(a.allow)
    print("include circles (a module is foo.c + foo.h + foo.S; under "
          "kernel/arch/ a header is apart):")
    n_inc, bad_inc = report("include", include_graph(REPO, files),
                            allow["include"], a.edges)
    cg = call_graph(a.build, files)
    if cg is None:
        print("call circles: no objects under %s (build first)" % a.build)
        return 1
    print("call circles (nm on %s: A uses a symbol B defines):" % a.build)
    n_call, bad_call = report("call", cg, allow["call"], a.edges)
    wrong = wrong_includes(REPO, files, set(allow["direct"]))
    for line in wrong:
        print("  NEW     " + line)
    for f in allow["direct"]:
        with open(os.path.join(REPO, f), errors="replace") as fh:
            if not any(i.startswith(ARCH) for i in INCLUDE.findall(fh.read())):
                print("  note: %s includes no arch/i386 header any more: "
                      "drop its 'direct:' line" % f)
    print("circles: %d include, %d call; %d not in %s; %d includes the "
          "wrong way" % (n_inc, n_call, bad_inc + bad_call,
                         os.path.relpath(a.allow, REPO), len(wrong)))
    return 1 if bad_inc + bad_call + len(wrong) else 0


if __name__ == "__main__":
    sys.exit(main())
