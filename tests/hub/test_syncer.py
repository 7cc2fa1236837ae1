"""Answers wait for the disk, the board does not: a committed call is announced at once, while replies and
acknowledgements wait for the fsync (``hub.syncer``); a failed fsync answers nothing, and the commands that
come again are answered from the store; the write-ahead log is copied into the database file as it grows."""
import os
import threading
import time

import pytest

from hub.core.model import Effects, Ticket
from hub.store import Change, Store
from hub.syncer import Syncer
from tests.hub.in_process import T0, deliver, eventually, published, running_hub


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """desk-1 open and a ticket waiting, the flusher and syncer running."""
    with running_hub(tmp_path, monkeypatch, waiting=1) as hub:
        yield hub


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
