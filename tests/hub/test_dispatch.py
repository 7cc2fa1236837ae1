"""The hub's dispatch table driven without a broker: a hub loaded from a real SQLite file, never started.

Messages go in as the network hands them over (``Dispatch.deliver``), the intake's
worker is run on the test's thread (``Intake.run_pending``) and the pipeline commits
(``CommitPipeline.flush``); what the hub did is read back from its store and state.
"""
import json
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from hub.locks import HubLocks, LockOrderError
from hub.service import Hub
from hub.store import Store
from reception import schedule
from reception.mqtt import BrokerAddress

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))  # a Tuesday, open
REQUEST = {"id": "r-1", "service": "passport"}


def loaded_hub(site, path) -> Hub:
    store = Store(path, local_day=partial(schedule.local_day, site))
    return Hub(site, store, BrokerAddress("127.0.0.1", 1), clock=lambda: T0).load()  # never connected


@pytest.fixture
def hub(site, tmp_path):
    hub = loaded_hub(site, tmp_path / "hub.db")
    yield hub
    hub.store.close()


def send(hub: Hub, suffix: str, body: dict) -> int:
    """One message through the table and a commit; how many times it was acknowledged."""
    acks = []
    routed = hub.dispatch.deliver(f"reception/{hub.site.id}/{suffix}", json.dumps({"v": 1, **body}).encode(),
                                  lambda: acks.append(1))
    assert routed, suffix
    hub.intake.run_pending()
    hub.pipeline.flush()
    return len(acks)


def test_a_ticket_request_sent_twice_issues_one_ticket_and_is_answered_from_the_store(hub):
    assert send(hub, "kiosk/kiosk-1/ticket/request", REQUEST) == 1
    assert send(hub, "kiosk/kiosk-1/ticket/request", REQUEST) == 1
    assert [t.number for t in hub.state.queue.waiting()] == ["C001"]
    topic, reply = hub.store.handled("kiosk/kiosk-1/r-1")
    assert topic.endswith("/kiosk/kiosk-1/ticket/reply") and json.loads(reply)["ticket"]["number"] == "C001"


def test_calls_are_numbered_in_their_stored_events_and_go_on_after_a_restart(site, hub, tmp_path):
    send(hub, "kiosk/kiosk-1/ticket/request", REQUEST)
    send(hub, "desk/desk-1/command", {"id": "c-1", "action": "open"})
    send(hub, "desk/desk-1/command", {"id": "c-2", "action": "next"})
    send(hub, "desk/desk-1/command", {"id": "c-3", "action": "recall"})
    assert [(c.type, c.seq) for c in hub.state.calls] == [("recall", 2)]  # each number shown once
    hub.store.close()
    again = loaded_hub(site, tmp_path / "hub.db")
    assert again.state.last_seq == 2 and [c.seq for c in again.state.calls] == [2]
    again.store.close()


def test_a_message_from_a_device_the_site_does_not_name_is_acknowledged_and_changes_nothing(hub):
    assert send(hub, "kiosk/kiosk-99/ticket/request", REQUEST) == 1
    assert hub.state.queue.waiting() == [] and hub.store.handled("kiosk/kiosk-99/r-1") is None


def test_a_topic_no_route_takes_is_not_delivered(hub):
    assert not hub.dispatch.deliver(f"reception/{hub.site.id}/board", b"{}", lambda: None)


def test_the_queue_lock_is_never_taken_while_holding_the_database_lock():
    locks = HubLocks()
    with locks.queue(), locks.db():  # the one order allowed
        pass
    with locks.db(), pytest.raises(LockOrderError):
        with locks.queue():
            pass
    with locks.queue():  # the refusal left nothing held
        pass
