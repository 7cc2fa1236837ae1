"""Shared fixtures: a fixed clock, a real Mosquitto on a free port, the example site, an MQTT recorder, Xvfb,
the hub, a desk console to watch.
``Recorder`` and ``HubProcess`` live in ``bench.harness``: the benchmarks drive the same real parts."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.harness import EXAMPLE_CONFIG, HubProcess, Recorder, open_all_day  # noqa: F401  (tests import them from here)
from reception import clock, config
from reception.broker import PrivateBroker

ROOT = Path(__file__).resolve().parent.parent

# The one clock of the test suite (``RECEPTION_CLOCK``): it starts at this instant and runs at real
# speed.  Every test reads it, and so does every process a test starts: from this instant, or from
# the suite's current time with ``env=reception.clock.child_env(...)`` (``HubProcess`` does that, so a
# restarted hub goes on).  A test may pick its own (``now=``/``clock=``, ``HubProcess(instant=...)``).
# A Tuesday morning: the office is open, volunteers are in.  No test may depend on the real date,
# weekday, hour or daylight-saving state.
TEST_INSTANT = "2026-11-24T10:00:00+01:00"


KIVY_PACKAGES = (ROOT / "tests" / "board", ROOT / "tests" / "kiosk")  # in this order, see below


def pytest_collection_modifyitems(items):
    """Keep each test package's tests together, in the random order pytest-randomly gave them (it runs
    first) within and between packages: Kivy allows one window per process, and the board's and the
    kiosk's apps each hold it for their whole package.  The board's go first: the window the kiosk's
    app leaves behind lays the board's new screens out wrongly (only ever in a test process).
    A stable sort keeps the shuffled order otherwise."""
    rank: dict[Path, float] = {}
    for item in items:
        rank.setdefault(item.path.parent, len(rank))
    board, kiosk = KIVY_PACKAGES
    if board in rank and kiosk in rank and rank[kiosk] < rank[board]:
        rank[kiosk] = rank[board] + 0.5
    items.sort(key=lambda item: rank[item.path.parent])


@pytest.fixture(scope="session", autouse=True)
def fixed_clock():
    patch = pytest.MonkeyPatch()
    for name, value in clock.env_for(clock.RunningFrom(clock.parse_instant(TEST_INSTANT))).items():
        patch.setenv(name, value)  # children inherit the instant and when it was: they agree to the millisecond
    yield clock.from_env()
    patch.undo()


@pytest.fixture
def site():
    return config.load(EXAMPLE_CONFIG)


@pytest.fixture
def broker(tmp_path):
    """A private Mosquitto for one test; ``broker.kill()`` and ``broker.start()`` simulate outages."""
    b = PrivateBroker(tmp_path / "broker").start()
    yield b
    b.stop()


@pytest.fixture
def recorder(broker):
    made = []

    def make(*filters: str) -> Recorder:
        r = Recorder(broker, *filters)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


@pytest.fixture(scope="session")
def xvfb():
    """A virtual screen for Kivy; reuses $DISPLAY when one is already set."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    if not shutil.which("Xvfb"):
        pytest.fail("Xvfb is not installed (apt-get install xvfb)")
    display = f":{50 + os.getpid() % 200}"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("Xvfb did not start")
        time.sleep(0.05)
    os.environ["DISPLAY"] = display
    yield display
    proc.terminate()
    proc.wait()


@pytest.fixture
def hub(broker, tmp_path):
    """A real hub process on the ``broker`` fixture with a fresh SQLite file (``hub.db_path``), for the
    example site at the suite's instant (an open Tuesday morning: the day-end rules never interfere)."""
    h = HubProcess(broker, tmp_path / "hub.db").start()
    yield h
    h.stop()
    h.available.close()


@pytest.fixture
def watching_console(broker, tmp_path):
    """Staff at desk-3 watching their console, which stays up throughout."""
    out = tmp_path / "desk-3-console.out"
    proc = subprocess.Popen([sys.executable, "-m", "reception.cli", "console", "-c", str(EXAMPLE_CONFIG),
                             "--broker-port", str(broker.port), "--desk", "desk-3", "--outbox", str(tmp_path / "w.db")],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=open(out, "wb"), stderr=subprocess.STDOUT)
    yield out
    proc.stdin.close()  # "q" or the end of input
    assert proc.wait(30) == 0
