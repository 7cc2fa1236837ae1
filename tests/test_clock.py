"""The one clock (reception/clock.py): a process can be started at a chosen instant, then runs at real speed."""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from reception import clock
from reception.errors import ReceptionError
from tests.conftest import ROOT, TEST_INSTANT


def test_a_running_clock_starts_at_its_instant_and_keeps_real_pace():
    start = datetime.fromisoformat("2026-10-25T02:59:59.5+02:00")
    c = clock.RunningFrom(start)
    first = c()
    assert timedelta(0) <= first - start < timedelta(seconds=1)
    time.sleep(0.6)
    later = c()
    assert later - first >= timedelta(seconds=0.6) and later.tzinfo == timezone.utc
    assert later.astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%H:%M %Z") == "02:00 CET", \
        "half a second after 02:59:59.5 CEST the clocks went back"


def test_the_suite_runs_on_one_fixed_clock(fixed_clock):
    assert clock.from_env() is fixed_clock, "one clock per process, so times keep their order"
    assert fixed_clock() - datetime.fromisoformat(TEST_INSTANT) < timedelta(hours=1)
    assert clock.from_env({}) is clock.system


@pytest.mark.parametrize("text", ["tomorrow", "2026-10-25T02:30", ""])
def test_an_instant_without_offset_or_date_is_refused_plainly(text):
    with pytest.raises(ReceptionError, match=r"RECEPTION_CLOCK: .* is not an ISO instant with a UTC offset"):
        clock.parse_instant(text)


def test_a_child_goes_on_from_the_parents_clock():
    parent = clock.RunningFrom(datetime(2026, 12, 31, 22, 59, 59, tzinfo=timezone.utc))
    env = clock.child_env(parent, {"PATH": "/bin"})
    assert datetime.fromisoformat(env[clock.ENV]) - parent.start < timedelta(seconds=1)
    assert clock.child_env(clock.system, {"PATH": "/bin"}) == {"PATH": "/bin"}


def test_a_command_started_with_a_bad_clock_says_so_in_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "reception.cli", "report", "--last-week", "--db", str(tmp_path / "x.db")],
                          capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**clock.child_env(clock.system), clock.ENV: "next tuesday"})
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: RECEPTION_CLOCK: 'next tuesday' is not an ISO instant with a UTC offset "
        "(e.g. 2026-10-25T01:59:30+02:00 or 2026-12-31T22:59:59Z)"]


def test_a_child_that_starts_slowly_still_agrees_with_its_parent():
    parent = clock.RunningFrom(datetime(2026, 12, 31, 22, 59, 59, tzinfo=timezone.utc))
    slow_start = "import time; time.sleep(1.0); from reception import clock; print(clock.from_env()().isoformat())"
    done = subprocess.run([sys.executable, "-c", slow_start], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env=clock.child_env(parent), check=True)
    child_now, parent_now = datetime.fromisoformat(done.stdout.strip()), parent()
    assert timedelta(0) <= parent_now - child_now < timedelta(seconds=0.5), "the child's clock must not lag its start-up"
