"""A call's way to the board: work that holds the queue's lock for milliseconds (an estimate pass, a
refresh) waits until the calls being stored are announced, and a call that could not be stored holds
nothing back."""
import json
import threading
import time
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from hub import pipeline
from hub.service import Hub
from hub.store import Store
from reception import config, schedule
from reception.mqtt import BrokerAddress
from tests.conftest import EXAMPLE_CONFIG
from tests.hub.in_process import commits_held

SITE = config.load(EXAMPLE_CONFIG)
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))  # a Tuesday, open
BASE = "reception/toender"


def send(hub, topic: str, body: dict) -> None:
    assert hub.dispatch.deliver(f"{BASE}/{topic}", json.dumps({"v": 1, **body}).encode(), lambda: None)
    hub.intake.run_pending()


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """A hub with desk-1 open and one ticket waiting, its flusher running; nothing leaves it."""
    monkeypatch.setattr(pipeline, "CALLS_FIRST_S", 10.0)  # a wait that does not end shows as a hang, not a pass
    store = Store(tmp_path / "hub.db", local_day=partial(schedule.local_day, SITE))
    hub = Hub(SITE, store, BrokerAddress("127.0.0.1", 1), clock=lambda: T0).load()  # never connected
    monkeypatch.setattr(hub.conn, "publish", lambda *_a, **_k: None)
    send(hub, "desk/desk-1/command", {"id": "o-1", "action": "open"})
    send(hub, "kiosk/kiosk-1/ticket/request", {"id": "r-1", "service": "passport"})
    hub.pipeline.flush()
    hub.pipeline.start()
    yield hub
    hub.pipeline.stop()
    store.close()


def call_and_issue(hub) -> None:
    """The intake handling a call and a new ticket together, then ending the group."""
    hub.dispatch.deliver(f"{BASE}/kiosk/kiosk-1/ticket/request", b'{"v":1,"id":"r-2","service":"passport"}',
                         lambda: None)
    hub.dispatch.deliver(f"{BASE}/desk/desk-1/command", b'{"v":1,"id":"c-1","action":"next"}', lambda: None)
    hub.intake.run_pending()


def answered(hub, request_id: str) -> bool:
    with hub.locks.queue():
        return hub.pipeline.answers.get(f"kiosk/kiosk-1/{request_id}") is not None


def eventually(condition) -> bool:
    deadline = time.monotonic() + 5
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_the_pass_waits_until_the_call_being_stored_is_announced(hub, monkeypatch):
    disk = commits_held(hub, monkeypatch)
    call_and_issue(hub)  # the intake does not wait for the disk: it goes on with the next messages
    assert not disk.is_set() and hub.state.calls == [] and not answered(hub, "r-2"), \
        "the pass went ahead of a call not yet on the board"
    disk.set()
    assert eventually(lambda: answered(hub, "r-2")), "the pass never came"
    assert hub.state.calls[0].number == "C001"


def test_calls_made_after_the_group_ended_do_not_hold_its_pass_back(hub, monkeypatch):
    send(hub, "desk/desk-2/command", {"id": "o-2", "action": "open"})
    send(hub, "kiosk/kiosk-1/ticket/request", {"id": "r-0", "service": "passport"})
    hub.pipeline.flush()
    gates = [threading.Event(), threading.Event()]  # the disk stores the next batch once its gate opens
    closed = list(gates)
    store = hub.store.apply_group

    def slow_disk(changes):
        if closed:
            closed.pop(0).wait(5)
        store(changes)
    monkeypatch.setattr(hub.store, "apply_group", slow_disk)
    call_and_issue(hub)  # the group's pass waits for c-1
    assert eventually(lambda: len(closed) == 1)  # c-1 is being stored
    send(hub, "desk/desk-2/command", {"id": "c-2", "action": "next"})  # a later call, stored after c-1
    gates[0].set()
    assert eventually(lambda: answered(hub, "r-2")), "the pass waited for a call made after its group"
    gates[1].set()


def test_a_call_that_could_not_be_stored_holds_no_pass_back(hub, monkeypatch):
    def full_disk(_changes):
        raise OSError("disk full")
    monkeypatch.setattr(hub.store, "apply_group", full_disk)
    monkeypatch.setattr(hub.conn, "reconnect", lambda: None)  # the broker would send both again
    call_and_issue(hub)
    assert eventually(lambda: hub.state.queue.current("desk-1") is None)  # back to the stored state
    monkeypatch.undo()
    monkeypatch.setattr(hub.conn, "publish", lambda *_a, **_k: None)
    send(hub, "kiosk/kiosk-1/ticket/request", {"id": "r-3", "service": "passport"})
    assert answered(hub, "r-3"), "a call not stored kept the pass waiting"
