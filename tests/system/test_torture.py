"""The torture run, short: a minute of hub kills, broker restarts, cut kiosks, duplicated commands
and junk, then every ticket a citizen holds reconciled with the hub's database."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE_CONFIG, ROOT

SEED = 7  # in its first minute: hub kills, broker restarts, kiosk cuts and junk, all at least once


@pytest.mark.timeout(400)
def test_a_minute_of_torture_loses_doubles_and_skips_nobody():
    done = subprocess.run([sys.executable, "-m", "reception.cli", "bench", "torture", "--minutes", "1",
                           "--seed", str(SEED), "-c", str(EXAMPLE_CONFIG)],
                          cwd=ROOT, capture_output=True, text=True, timeout=380, env={**os.environ})
    assert done.stdout.startswith(f"torture: seed {SEED}"), done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("{"), done.stderr[-3000:]
    result = json.loads(last)
    assert (result["lost"], result["duplicated"], result["skipped"]) == (0, 0, 0), (result, done.stderr[-3000:])
    assert done.returncode == 0
    assert result["issued"] > 50 and result["offline"] > 0 and result["calls"] == result["issued"]
    for chaos in ("hub_kills", "broker_restarts", "kiosk_cuts", "duplicate_commands", "malformed"):
        assert result[chaos] > 0, chaos
