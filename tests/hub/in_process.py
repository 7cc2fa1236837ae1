"""A real hub in this process with its flusher and syncer running but never connected: what it publishes,
acknowledges and reconnects is kept on it, and messages are handed to its intake directly."""
import json
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from typing import Iterator
from zoneinfo import ZoneInfo

from hub.service import Hub
from hub.store import Store
from reception import config, schedule
from reception.mqtt import BrokerAddress
from tests.conftest import EXAMPLE_CONFIG

SITE = config.load(EXAMPLE_CONFIG)
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))  # a Tuesday, open
BASE = "reception/toender"


def deliver(hub, topic: str, body: dict, ack=lambda: None) -> bool:
    handled = hub.dispatch.deliver(f"{BASE}/{topic}", json.dumps({"v": 1, **body}).encode(), ack)
    hub.intake.run_pending()
    return handled


def eventually(condition, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


@contextmanager
def running_hub(tmp_path, monkeypatch, *, waiting: int) -> Iterator[Hub]:
    """desk-1 open and ``waiting`` passport tickets (r-1, r-2, ...) stored; its clock ``hub.now[0]``
    (from ``T0``), what it publishes ``hub.published``, its reconnects ``hub.reconnects``."""
    store = Store(tmp_path / "hub.db", local_day=partial(schedule.local_day, SITE))
    now = [T0]
    hub = Hub(SITE, store, BrokerAddress("127.0.0.1", 1), clock=lambda: now[0]).load()
    hub.now, hub.published, hub.reconnects = now, [], []
    monkeypatch.setattr(hub.conn, "publish", lambda topic, payload, **_k: hub.published.append((topic, payload)))
    monkeypatch.setattr(hub.conn, "reconnect", lambda: hub.reconnects.append(time.monotonic()))
    deliver(hub, "desk/desk-1/command", {"id": "o-1", "action": "open"})
    for i in range(1, waiting + 1):
        deliver(hub, "kiosk/kiosk-1/ticket/request", {"id": f"r-{i}", "service": "passport"})
    hub.pipeline.flush()
    hub.pipeline.start()
    try:
        yield hub
    finally:
        hub.pipeline.stop()
        store.close()


def commits_held(hub, monkeypatch) -> threading.Event:
    """A slow disk: the hub's commits wait (at most 5 s) until the event returned is set."""
    go_on, apply_group = threading.Event(), hub.store.apply_group

    def held(changes):
        go_on.wait(5)
        apply_group(changes)
    monkeypatch.setattr(hub.store, "apply_group", held)
    return go_on


@contextmanager
def queue_held_elsewhere(hub) -> Iterator[None]:
    """Another thread holds the hub's queue lock until the block ends."""
    held, release = threading.Event(), threading.Event()

    def hold():
        with hub.locks.queue():
            held.set()
            release.wait(10)
    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(5)
        yield
    finally:
        release.set()
        holder.join(10)


def published(hub, suffix: str, command: str | None = None) -> list[dict]:
    """The messages published on topics ending in ``suffix`` (answers to ``command`` only, if given)."""
    found = [json.loads(p) for t, p in list(hub.published) if t.endswith(suffix)]
    return [m for m in found if command is None or m.get("id") == command]
