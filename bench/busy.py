"""A busy machine on demand: processes that spin on the CPU while a benchmark measures.

A board in a waiting room shares its Pi with the speech synthesiser, the browser of a
staff member or an update; a bench run on an idle machine would promise more than that
board keeps.  ``spinning(n)`` starts ``n`` processes at normal priority that do nothing
but compute, and stops them when the block ends.
"""
from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

from bench import processes

SPIN = "while True:\n    pass\n"


@contextmanager
def spinning(n: int) -> Iterator[None]:
    procs = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(n)]
    try:
        yield
    finally:
        for proc in procs:
            processes.stop(proc)
