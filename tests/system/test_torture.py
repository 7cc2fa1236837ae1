"""The torture run, short: a minute of hub kills, broker restarts, cut kiosks, duplicated commands
and junk, then every ticket a citizen holds reconciled with the hub's database."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE_CONFIG, ROOT

SEED = 7  # any seed does every kind of abuse at least once (``Chaos.run``'s first round)
CHAOS = ("hub_kills", "broker_restarts", "kiosk_cuts", "duplicate_commands", "malformed")


def run_report(done: subprocess.CompletedProcess) -> str:
    """All a failed run leaves to go on: exit code, the bench's own lines, the end of its log (the
    hub's log and the traceback, when it failed), and the environment it inherited from the suite."""
    inherited = {k: v for k, v in os.environ.items() if k.startswith(("RECEPTION", "PYTHON", "KIVY", "DISPLAY"))}
    return (f"exit {done.returncode}; environment {inherited}\n--- stdout ---\n{done.stdout[-4000:]}"
            f"\n--- stderr (end) ---\n{done.stderr[-6000:]}")


def text(output: bytes | str | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


@pytest.mark.timeout(400)
def test_a_minute_of_torture_loses_doubles_and_skips_nobody():
    command = [sys.executable, "-m", "reception.cli", "bench", "torture", "--minutes", "1", "--seed", str(SEED),
               "-c", str(EXAMPLE_CONFIG)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=380, env={**os.environ})
    except subprocess.TimeoutExpired as late:  # what it printed until then says where it hung
        pytest.fail(run_report(subprocess.CompletedProcess(command, "timeout", text(late.stdout), text(late.stderr))))
    report = run_report(done)
    lines = done.stdout.strip().splitlines()
    assert lines and lines[0].startswith(f"torture: seed {SEED}") and lines[-1].startswith("{"), report
    result = json.loads(lines[-1])
    assert (result["lost"], result["duplicated"], result["skipped"]) == (0, 0, 0), report
    assert done.returncode == 0, report
    assert result["issued"] > 50 and result["offline"] > 0 and result["calls"] == result["issued"], report
    assert all(result[chaos] > 0 for chaos in CHAOS), report
