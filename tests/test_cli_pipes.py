"""Output into a pipe whose reader is gone (``reception ... | head``): a quiet end, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reception.cli import EXIT_BROKEN_PIPE
from tests.conftest import EXAMPLE_CONFIG, ROOT

COMMANDS = {
    "simulate": ["simulate", "--scenario", "scenarios/normal_day.toml"],
    "check-config": ["check-config", "-c", str(EXAMPLE_CONFIG)],
    "help": ["--help"],
    "report-help": ["report", "--help"],
    "demo-data": ["demo-data", "-c", str(EXAMPLE_CONFIG), "--days", "1", "--db", "{tmp}/demo.db"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_reader_that_went_away_ends_the_command_quietly(command, tmp_path):
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `| head` does after its lines: every write now fails with EPIPE
    try:
        done = subprocess.run([sys.executable, "-m", "reception.cli",
                               *(a.format(tmp=tmp_path) for a in COMMANDS[command])],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120, cwd=ROOT)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (EXIT_BROKEN_PIPE, "")
