"""Real parts driven from outside, shared by the tests and the benchmarks: an MQTT recorder, the hub as a
child process that can be SIGKILLed and restarted, and a site file open all day."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from reception import clock, config
from reception.mqtt import BrokerAddress, Connection

ROOT = Path(__file__).resolve().parent.parent  # the checkout this code runs from: the hub child runs the same
EXAMPLE_CONFIG = ROOT / "config" / "site.example.toml"


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


class HubProcess:
    """``reception hub`` as a real child process, so tests can SIGKILL it mid-burst and restart it."""

    def __init__(self, broker, db_path: Path, config_path: Path = EXAMPLE_CONFIG, *, instant: str | None = None):
        """``instant``: where the hub's clock starts (ISO with offset; default this process's clock,
        ``RECEPTION_CLOCK`` or the real one).  A restarted hub goes on from where its clock is now."""
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

    def stop(self, timeout: float = 10) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:  # never leave a hub behind a failed test
                self.proc.kill()
                self.proc.wait()
                raise

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def open_all_day(config_path: Path, dest: Path) -> Path:
    """The site file with the office open every day, all day: the hub's day-end rules then never
    interfere with a test, whatever the hour CI runs at (the day-end rules have their own tests)."""
    text = config_path.read_text(encoding="utf-8")
    start, end = text.index("[hours]"), text.index("\n[", text.index("[hours]"))
    days = "\n".join(f'{d} = "00:00-23:59"' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    dest.write_text(text[:start] + "[hours]\n" + days + "\n" + text[end:], encoding="utf-8")
    config.load(dest)
    return dest


