"""tools/circles.py and tools/check_contract.py on small made-up trees:
a circle is found and judged against the allowlist, a second definition
of a contract name is caught in C, assembly, linker scripts and Python."""

import contextlib
import importlib.util
import io
import os
import subprocess
import tempfile
import unittest

TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))), "tools")


def load(name):
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(TOOLS, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


circles = load("circles")
contract = load("check_contract")


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class Circles(unittest.TestCase):
    def test_components(self):
        g = {"a": {"b": ""}, "b": {"c": ""}, "c": {"a": ""},
             "d": {"a": ""}, "e": {"f": ""}, "f": {"e": ""}, "g": {}}
        self.assertEqual(circles.circles(g), [("a", "b", "c"), ("e", "f")])

    def test_no_circle_in_a_chain(self):
        self.assertEqual(circles.circles({"a": {"b": ""}, "b": {"c": ""}}),
                         [])

    def test_include_graph_joins_c_and_h(self):
        with tempfile.TemporaryDirectory() as root:
            write(root, "kernel/x.h", "")
            write(root, "kernel/y.h", "")
            write(root, "kernel/x.c", '#include "kernel/y.h"\n')
            write(root, "kernel/y.c", '#include "kernel/x.h"\n'
                  '#include <stdint.h>\n#include "cairn/types.h"\n')
            g = circles.include_graph(root, circles.sources(root))
        self.assertEqual(circles.circles(g), [("kernel/x", "kernel/y")])

    def test_arch_header_apart_from_its_code(self):
        # proc.h needs the FPU's types and fpu.c needs struct proc: the
        # arch header is a layer below, its code one above, no circle.
        with tempfile.TemporaryDirectory() as root:
            write(root, "kernel/arch/i386/fpu.h", "")
            write(root, "kernel/arch/i386/fpu.c", '#include "kernel/proc.h"\n')
            write(root, "kernel/arch.h", '#include "kernel/arch/i386/fpu.h"\n')
            write(root, "kernel/proc.h", '#include "kernel/arch.h"\n')
            write(root, "kernel/proc.c", "")
            write(root, "kernel/sched.c", '#include "kernel/arch/i386/fpu.h"\n'
                  '#include "bench/kern/bench.h"\n')
            files = circles.sources(root)
            g = circles.include_graph(root, files)
            self.assertEqual(circles.circles(g), [])
            self.assertIn("kernel/arch/i386/fpu.h", g["kernel/arch"])
            wrong = circles.wrong_includes(root, files, set())
            self.assertEqual(len(wrong), 2)
            self.assertTrue(any("kernel/sched.c includes \"kernel/arch/i386"
                                in w for w in wrong))
            self.assertTrue(any(w.startswith("upward") for w in wrong))
            self.assertEqual(len(circles.wrong_includes(
                root, files, {"kernel/sched.c"})), 1)

    def report(self, g, allow):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            counts = circles.report("include", g, allow, False)
        return counts, buf.getvalue()

    def test_allowlist(self):
        g = {"a": {"b": ""}, "b": {"a": ""}}
        # inside an allowed circle (shrunk from a b c): passes, with a note
        (n, bad), text = self.report(g, [frozenset("abc")])
        self.assertEqual((n, bad), (1, 0))
        self.assertIn("is now a b: shrink its line", text)
        # not inside any: a new circle, shown with its edges
        (n, bad), text = self.report(g, [frozenset("ac")])
        self.assertEqual((n, bad), (1, 1))
        self.assertIn("a -> b", text)
        self.assertIn("'a c' is gone", text)
        self.assertEqual(self.report({"a": {"b": ""}}, [])[0], (0, 0))


class Contract(unittest.TestCase):
    def tree(self, root, files):
        write(root, "include/cairn/layout.h",
              "#ifndef CAIRN_LAYOUT_H\n#define CAIRN_LAYOUT_H\n"
              "#define KERNEL_BASE 0xF0000000\n#endif\n")
        write(root, "include/cairn/arch/i386/mmu.h", "#define PTE_W 0x2\n")
        for rel, text in files.items():
            write(root, rel, text)
        subprocess.run(["git", "init", "-q", root], check=True)
        names = contract.contract_names(root)
        return contract.copies(root, names, contract.tree_files(root))

    def test_names_without_guard(self):
        with tempfile.TemporaryDirectory() as root:
            self.tree(root, {})
            self.assertEqual(contract.contract_names(root),
                             {"KERNEL_BASE", "PTE_W"})

    def test_copies_found(self):
        with tempfile.TemporaryDirectory() as root:
            found = self.tree(root, {
                "vm/pt.h": "#define PTE_W 2\n",
                "boot/x.S": "  # define KERNEL_BASE 0\n",
                "k.ld": "KERNEL_BASE = 0xF0000000;\n",
                "tools/t.py": "KERNEL_BASE = 1\n",
                "ok.c": "#include \"cairn/layout.h\"\n"
                        "int a = KERNEL_BASE == 0;\n#define PTE_WX 1\n"})
        self.assertEqual(sorted(f.split(":")[0] for f in found),
                         ["boot/x.S", "k.ld", "tools/t.py", "vm/pt.h"])


if __name__ == "__main__":
    unittest.main()
