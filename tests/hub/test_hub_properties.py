"""The hub's handlers on whatever a device could send: served, or refused with a logged reason; never a failure.

Valid device messages with one part changed at random go through the hub's own
dispatch (the handlers it subscribes, behind its checks), then its commit; each is
acknowledged exactly once, and nothing but a one-line refusal is logged.
"""
import json
import logging
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.service import Hub
from hub.store import Store
from reception import config, schedule
from reception.mqtt import BrokerAddress
from tests.conftest import EXAMPLE_CONFIG
from tests.test_payload_properties import changed, json_values, paths

SITE = config.load(EXAMPLE_CONFIG)
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))  # a Tuesday, open, volunteers in
BASE = "reception/toender"
AT = T0.isoformat()
SENT = [  # what devices send the hub, one of each
    ("kiosk/kiosk-1/ticket/request", {"id": "r-1", "service": "passport", "preference": "any", "extras": ["carer"],
                                      "first_visit": True, "lang": "da"}),
    ("kiosk/kiosk-2/ticket/request", {"id": "r-2", "service": "moving", "offline_number": "F951", "issued_at": AT,
                                      "replaces": "r-0"}),
    ("kiosk/kiosk-1/ticket/first_visit", {"id": "fv-1", "number": "C001", "first_visit": False}),
    ("kiosk/kiosk-1/status", {"printer": "paper_low", "outbox": 2}),
    ("kiosk/kiosk-1/feedback", {"id": "fb-1", "score": 4, "tags": ["kind"], "service": "passport", "at": AT}),
    ("kiosk/kiosk-1/available", {"status": "offline"}),
    ("board/board-1/available", {"status": "online"}),
    ("desk/desk-1/console/available", {"status": "stopped"}),
    ("desk/desk-1/command", {"id": "c-1", "action": "next"}),
    ("desk/desk-1/command", {"id": "c-2", "action": "transfer", "service": "mitid_get", "to_kind": "staff"}),
    ("desk/vol-1/command", {"id": "c-3", "action": "call", "ticket": "A001"}),
    ("setup/command", {"id": "s-1", "by": "mette", "action": "set_services", "desk": "desk-1", "services": ["*"]}),
    ("setup/command", {"id": "s-2", "by": "mette", "action": "add_session", "date": "2026-11-25",
                       "time": "13:00-15:00", "place": {"da": "Her"}, "at_desks": True}),
]


class Failures(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("hub") / "hub.db", local_day=partial(schedule.local_day, SITE))
    hub = Hub(SITE, store, BrokerAddress("127.0.0.1", 1), clock=lambda: T0).load()  # never connected: nothing leaves
    hub.failures = Failures()
    logging.getLogger("hub").addHandler(hub.failures)
    yield hub
    logging.getLogger("hub").removeHandler(hub.failures)


def deliver(hub, topic: str, payload: bytes) -> int:
    """Hand a message to the hub's dispatch as the network would; commit; count the acknowledgements."""
    acks = []
    assert hub.dispatch.deliver(topic, payload, lambda: acks.append(1))
    hub.intake.run_pending()
    hub.pipeline.flush()
    return len(acks)


@pytest.mark.parametrize("suffix, body", SENT, ids=[f"{t}:{b.get('action', '')}" for t, b in SENT])
@settings(max_examples=60, deadline=None)
@given(data=st.data(), new=json_values, how=st.sampled_from(["replace", "delete", "add"]))
def test_a_device_message_with_one_part_changed(hub, suffix, body, data, new, how):
    hub.failures.records.clear()
    message = {"v": 1, **body}
    path = data.draw(st.sampled_from(list(paths(message))))
    payload = json.dumps(changed(message, path, new, how)).encode()
    assert deliver(hub, f"{BASE}/{suffix}", payload) == 1
    assert not hub.failures.records, hub.failures.records[0].getMessage()
