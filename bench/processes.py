"""Child processes of the benchmarks: stopped for sure, so a slow hub never leaves its broker behind."""
from __future__ import annotations

import subprocess


def stop(proc: subprocess.Popen | None, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if it has not ended within ``timeout`` (a hub still storing a backlog)."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
