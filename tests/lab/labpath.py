"""Puts bench/lab on sys.path so the lab tests import the cairn package,
whether run by tests/run.py or by `python3 -m unittest discover tests/lab`."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LAB = os.path.join(REPO, "bench", "lab")
for p in (LAB, HERE):
    if p not in sys.path:
        sys.path.insert(0, p)
