"""No broker: every device says so at once, and again now and then, instead of waiting in silence."""
from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys
import threading
import time

import pytest

from reception import mqtt
from reception.broker import free_port
from reception.mqtt import BrokerAddress, Connection
from tests.conftest import EXAMPLE_CONFIG, ROOT


def test_a_connection_says_it_cannot_reach_the_broker_at_once_then_every_while(monkeypatch, caplog):
    monkeypatch.setattr(mqtt, "UNREACHABLE_REPEAT", 1.5)
    port = free_port()  # nothing listens there
    conn = Connection("kiosk-1", BrokerAddress("127.0.0.1", port))
    caplog.set_level(logging.INFO, logger="reception.mqtt")
    started = time.monotonic()
    conn.start()
    try:
        said = f"kiosk-1: cannot reach broker 127.0.0.1:{port}, retrying"
        wait_for(lambda: said in caplog.messages, 5)
        assert time.monotonic() - started < 2.5, "at once, not after a retry or two"
        wait_for(lambda: caplog.messages.count(said) == 2, 10)
        assert caplog.messages.count(said) == 2, "paho retries every 1-5 s; the line repeats only every while"
    finally:
        conn.stop()
    assert f"kiosk-1: connecting to broker 127.0.0.1:{port}" in caplog.messages


def wait_for(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "not said in time"
        time.sleep(0.05)


DEVICES = {
    "hub": ["hub", "--db", "{tmp}/hub.db"],
    "desk": ["desk", "--desk", "desk-1", "--mock-pins", "--outbox", "{tmp}/desk.db"],
    "console": ["console", "--desk", "desk-1", "--outbox", "{tmp}/console.db"],
    "kiosk": ["kiosk", "--state-dir", "{tmp}/kiosk"],
    "board": ["board", "--announce-dir", "{tmp}/announce"],
}


@pytest.mark.parametrize("device", [*DEVICES, "collect"])
def test_every_device_says_it_cannot_reach_the_broker(device, tmp_path, request):
    port = free_port()
    if device == "collect":
        args = ["collect", "--broker-port", str(port), "--db", str(tmp_path / "central.db")]
    else:
        args = [part.format(tmp=tmp_path) for part in DEVICES[device]]
        args += ["-c", str(EXAMPLE_CONFIG), "--broker-host", "127.0.0.1", "--broker-port", str(port)]
    env = dict(os.environ)
    if device in ("kiosk", "board"):
        env["DISPLAY"] = request.getfixturevalue("xvfb")
    proc = subprocess.Popen([sys.executable, "-m", "reception.cli", *args], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        said = read_until(proc, f"cannot reach broker 127.0.0.1:{port}, retrying", 30)
        assert said.endswith("retrying\n"), f"{device} never said it cannot reach the broker:\n{said}"
    finally:
        proc.kill()
        proc.wait()


def read_until(proc: subprocess.Popen, wanted: str, timeout: float) -> str:
    """The child's stderr up to the first line that contains ``wanted`` (what came, at the timeout).
    A thread reads it: select() on a buffered pipe would miss lines already in the buffer."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr] + [lines.put("")], daemon=True).start()
    deadline = time.monotonic() + timeout
    seen = ""
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        seen += line
        if not line or wanted in line:
            break
    return seen
