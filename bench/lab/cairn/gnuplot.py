"""gnuplot: finding the PNG terminal, quoting, and running scripts.

Shared by the plots (plot.py), the curves (curves.py) and the dashboard.
A script names its files relative to its own directory and gnuplot runs
there, so a script is the same in every checkout.
"""

import os
import re
import subprocess

Y_LABEL = {
    "icount": "instructions (icount) per operation",
    "kvm": "%s per operation (KVM, real time)",
    "tcg": "%s per operation (TCG, real time, noisy)",
    "metal": "%s per operation (bare metal, real time)",
}
RED, GREEN, BLUE = "#c62828", "#2e7d32", "#1f5fbf"

_terminal_cache = {}


def png_terminal():
    """pngcairo when this gnuplot has it (gnuplot-nox may not), else png."""
    if "png" not in _terminal_cache:
        try:
            p = subprocess.run(["gnuplot", "-e", "set terminal"],
                               capture_output=True, text=True, timeout=30)
            listing = p.stdout + p.stderr
        except (OSError, subprocess.TimeoutExpired):
            listing = ""
        _terminal_cache["png"] = "pngcairo" if re.search(
            r"^\s*pngcairo\s", listing, re.M) else "png"
    return _terminal_cache["png"]


def y_label(series, unit):
    if unit.lower() in ("tsc", "ticks", "tsc_ticks"):
        unit = "TSC ticks"
    label = Y_LABEL.get(series)
    if label is None:
        return "%s per operation (%s)" % (unit, series)
    return label % unit if "%s" in label else label


def safe_name(name):
    return re.sub(r"[^A-Za-z0-9_.+-]", "_", name)


def gp_string(text):
    return '"%s"' % (text.replace("\\", "\\\\").replace('"', '\\"')
                     .replace("\n", "\\n"))


def rel_to(path, script_path):
    """path as the script at script_path names it: relative to the
    script's directory, where gnuplot runs (run_gnuplot), so that a .gp
    file holds no absolute path and is the same in every checkout."""
    return os.path.relpath(path, os.path.dirname(os.path.abspath(
        script_path)))


def write_script(script_path, text):
    with open(script_path, "w", encoding="utf-8") as f:
        f.write(text)
    run_gnuplot(script_path)


def run_gnuplot(script_path):
    """Runs gnuplot on a script in the script's own directory (its paths
    are relative to it)."""
    where = os.path.dirname(os.path.abspath(script_path))
    p = subprocess.run(["gnuplot", os.path.basename(script_path)],
                       capture_output=True, text=True, timeout=120, cwd=where)
    errors = [l for l in p.stderr.splitlines()
              if l.strip() and "empty y range" not in l
              and "warning" not in l.lower()]
    if p.returncode != 0 or errors:
        raise RuntimeError("gnuplot failed on %s: %s"
                           % (script_path, p.stderr.strip()))
