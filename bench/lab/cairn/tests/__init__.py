"""The lab's own tests (unittest), run by `make test` (tests/run.py's lab
unit) or by `python3 -m unittest discover -s bench/lab/cairn/tests -t
bench/lab`.  The programs they start (a fake QEMU, fake bench steps,
cairnlab.py itself) find the cairn package through PYTHONPATH, set here
for them."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.dirname(os.path.dirname(HERE))
REPO = os.path.dirname(os.path.dirname(LAB))

_old = os.environ.get("PYTHONPATH")
if LAB not in (_old or "").split(os.pathsep):
    os.environ["PYTHONPATH"] = LAB + (os.pathsep + _old if _old else "")
