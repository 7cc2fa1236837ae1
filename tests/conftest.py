"""Shared fixtures: a fixed clock, a real Mosquitto on a free port, the example site, an MQTT recorder, Xvfb."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from reception import clock, config
from reception.broker import PrivateBroker
from reception.mqtt import BrokerAddress, Connection

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = ROOT / "config" / "site.example.toml"

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
    patch.setenv(clock.ENV, TEST_INSTANT)
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


class Recorder:
    """A test client that records every message on the given topic filters."""

    def __init__(self, broker, *filters: str):
        self.messages: list[tuple[str, bytes]] = []
        self._cond = threading.Condition()
        self.conn = Connection(f"test-{uuid.uuid4().hex[:8]}", BrokerAddress(broker.host, broker.port))
        for f in filters:
            self.conn.subscribe(f, self._record)
        self.conn.start()
        assert self.conn.wait_connected(10), "recorder could not connect"

    def _record(self, topic: str, payload: bytes) -> None:
        with self._cond:
            self.messages.append((topic, payload))
            self._cond.notify_all()

    def json(self, topic_suffix: str = "") -> list[dict]:
        with self._cond:
            return [json.loads(p) for t, p in self.messages if t.endswith(topic_suffix) and p]

    def wait_for(self, predicate, timeout: float = 10.0):
        """Wait until ``predicate(messages)`` is truthy and return its value."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate(self.messages)
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; saw {[(t, p[:200]) for t, p in self.messages[-10:]]}")
                self._cond.wait(left)

    def settle(self) -> None:
        """Wait until the retained messages of its subscriptions are in: the broker sends them when it
        subscribes, so before a message this client publishes after connecting comes back."""
        probe = f"test/probe/{self.conn.client_id}"
        self.conn.subscribe(probe, self._record)
        self.publish(probe, b"probe")
        self.wait_for(lambda msgs: any(t == probe for t, _p in msgs))
        with self._cond:
            self.messages = [(t, p) for t, p in self.messages if t != probe]

    def publish(self, topic: str, payload, retain: bool = False) -> None:
        if isinstance(payload, dict):
            payload = json.dumps(payload).encode()
        self.conn.publish(topic, payload, retain=retain).wait_for_publish(5)

    def close(self) -> None:
        self.conn.stop()


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


class HubProcess:
    """``reception hub`` as a real child process, so tests can SIGKILL it mid-burst and restart it."""

    def __init__(self, broker, db_path: Path, config_path: Path = EXAMPLE_CONFIG, *, instant: str | None = None):
        """``instant``: where the hub's clock starts (ISO with offset; default the suite's clock).
        A restarted hub goes on from where its clock is now, as a real one would."""
        self.broker, self.db_path, self.config_path = broker, db_path, config_path
        self.clock = clock.RunningFrom(clock.parse_instant(instant)) if instant else clock.from_env()
        self.proc: subprocess.Popen | None = None
        self.log_path = db_path.parent / "hub.log"
        site = config.load(config_path)
        self.available = Recorder(broker, f"reception/{site.id}/hub/available")
        self.available.settle()  # a retained "online" of an earlier hub (or a test's) must not count as ours

    def start(self, timeout: float = 15) -> "HubProcess":
        mark = len(self.available.messages)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reception.cli", "hub", "-c", str(self.config_path),
             "--broker-port", str(self.broker.port), "--db", str(self.db_path)],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=clock.child_env(self.clock))
        self.available.wait_for(
            lambda msgs: any(json.loads(p).get("status") == "online" for _t, p in msgs[mark:] if p), timeout)
        return self

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:  # never leave a hub behind a failed test
                self.proc.kill()
                self.proc.wait()
                raise

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def hub(broker, tmp_path):
    """A real hub process on the ``broker`` fixture with a fresh SQLite file (``hub.db_path``), for the
    example site at the suite's instant (an open Tuesday morning: the day-end rules never interfere)."""
    h = HubProcess(broker, tmp_path / "hub.db").start()
    yield h
    h.stop()
    h.available.close()
