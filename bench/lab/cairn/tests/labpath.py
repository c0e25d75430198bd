"""Where things are, for the tests: this directory, bench/lab and the
repository."""

from . import HERE, LAB, REPO  # noqa: F401
