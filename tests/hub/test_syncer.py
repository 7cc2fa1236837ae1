"""Answers wait for the disk, the board does not: a committed call is announced at once, while replies and
acknowledgements wait for the fsync (``hub.syncer``); a failed fsync answers nothing, and the commands that
come again are answered from the store; the write-ahead log is copied into the database file as it grows."""
import json
import os
import threading
import time
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from hub.core.model import Effects, Ticket
from hub.service import Hub
from hub.store import Change, Store
from hub.syncer import Syncer
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


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """A hub with desk-1 open and a ticket waiting, its flusher and syncer running; what it publishes,
    acknowledges and reconnects is kept."""
    store = Store(tmp_path / "hub.db", local_day=partial(schedule.local_day, SITE))
    hub = Hub(SITE, store, BrokerAddress("127.0.0.1", 1), clock=lambda: T0).load()  # never connected
    hub.published, hub.reconnects = [], []
    monkeypatch.setattr(hub.conn, "publish", lambda topic, payload, **_k: hub.published.append((topic, payload)))
    monkeypatch.setattr(hub.conn, "reconnect", lambda: hub.reconnects.append(time.monotonic()))
    deliver(hub, "desk/desk-1/command", {"id": "o-1", "action": "open"})
    deliver(hub, "kiosk/kiosk-1/ticket/request", {"id": "r-1", "service": "passport"})
    hub.pipeline.flush()
    hub.pipeline.start()
    yield hub
    hub.pipeline.stop()
    store.close()


@pytest.fixture
def slow_disk(hub, monkeypatch):
    """The disk's flush held until the test lets it go on."""
    go_on, entered, sync = threading.Event(), threading.Event(), hub.store.sync

    def held_sync():
        entered.set()
        assert go_on.wait(10), "the test never let the disk go on"
        return sync()
    monkeypatch.setattr(hub.store, "sync", held_sync)
    yield go_on, entered
    go_on.set()


def published(hub, suffix: str, command: str | None = None) -> list[dict]:
    found = [json.loads(p) for t, p in list(hub.published) if t.endswith(suffix)]
    return [m for m in found if command is None or m.get("id") == command]


def test_a_call_is_on_the_board_before_the_disk_has_it_but_answered_only_after(hub, slow_disk):
    go_on, entered = slow_disk
    acked = threading.Event()
    deliver(hub, "desk/desk-1/command", {"id": "c-1", "action": "next"}, ack=acked.set)
    assert eventually(lambda: published(hub, "/calls")), "the call waited for the disk"
    assert entered.wait(5)
    assert published(hub, "/board")[-1]["calls"][0]["number"] == "C001"
    time.sleep(0.1)
    assert not published(hub, "/desk/desk-1/result", "c-1") and not acked.is_set(), "answered before the disk had it"
    go_on.set()
    assert eventually(lambda: published(hub, "/desk/desk-1/result", "c-1") and acked.is_set())
    assert published(hub, "/desk/desk-1/result", "c-1")[0]["ticket"] == "C001"


def test_a_failed_flush_answers_nothing_and_the_command_again_is_answered_from_the_store(hub, monkeypatch):
    sync, failures = hub.store.sync, []

    def failing_once():
        if not failures:
            failures.append(1)
            raise OSError(5, "Input/output error")
        return sync()
    monkeypatch.setattr(hub.store, "sync", failing_once)
    acks = []
    deliver(hub, "kiosk/kiosk-1/ticket/request", {"id": "r-2", "service": "passport"}, ack=lambda: acks.append(1))
    assert eventually(lambda: hub.reconnects), "a failed flush did not make the hub reconnect"
    assert not published(hub, "/ticket/reply", "r-2") and acks == []
    deliver(hub, "kiosk/kiosk-1/ticket/request", {"id": "r-2", "service": "passport"}, ack=lambda: acks.append(2))
    assert eventually(lambda: published(hub, "/ticket/reply", "r-2") and acks == [2])
    replies = published(hub, "/ticket/reply", "r-2")
    assert [r["ticket"]["number"] for r in replies] == ["C002"]  # the same ticket, not a second one
    assert [t.number for t in hub.state.queue.waiting()] == ["C001", "C002"]


def test_the_log_is_copied_into_the_database_as_it_grows(tmp_path, monkeypatch):
    monkeypatch.setattr(Store, "CHECKPOINT_BYTES", 64 * 1024)
    store = Store(tmp_path / "hub.db")
    syncer, answered = Syncer(store, send=lambda batch: answered.append(batch), failed=lambda: None), []
    try:
        for i in range(300):  # about 1 MB of log, unless copied
            effects = Effects()
            effects.touch(Ticket(f"2026-11-24/A{i:03d}", "passport", "any", T0, extras=("x" * 2000,)))
            store.apply_group([Change(effects)])
            syncer.add(i)
        assert answered == list(range(300))
        assert os.path.getsize(tmp_path / "hub.db-wal") <= 2 * 64 * 1024, "the log grew without a checkpoint"
        assert store.db.execute("select count(*) from tickets").fetchone()[0] == 300
    finally:
        store.close()
