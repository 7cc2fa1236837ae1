"""The integration event (issue 17 §4): ``events/near`` once per ticket when it first stands
``[integration] near_position``-th in its line, from a real hub on a real broker; and none at all
for a site without ``[integration]``."""
from __future__ import annotations

import json

from bench.harness import HubProcess
from tests import site_files

BASE = "reception/toender"


def hub_with(broker, tmp_path, **integration) -> HubProcess:
    doc = site_files.example()
    if integration:
        doc["integration"] = integration
    return HubProcess(broker, tmp_path / "hub.db", site_files.write(doc, tmp_path / "site.toml")).start()


def issue(recorder, count: int) -> list[str]:
    kiosk = recorder(f"{BASE}/kiosk/kiosk-1/ticket/reply")
    for i in range(count):
        kiosk.publish(f"{BASE}/kiosk/kiosk-1/ticket/request", {"v": 1, "id": f"near-{i}", "service": "passport"})
    replies = kiosk.wait_for(lambda msgs: len(msgs) == count and msgs)
    return [json.loads(p)["ticket"]["number"] for _t, p in replies]


def after_the_queue_lists(queue, count: int, near) -> list[dict]:
    """The near events, once the hub has published the queue that follows a change (the events come with it)."""
    queue.wait_for(lambda msgs: any(len(json.loads(p)["tickets"]) == count for _t, p in msgs))
    near.settle()
    return [json.loads(p) for _t, p in near.messages]


def test_a_ticket_is_announced_once_when_it_becomes_nth_in_line(broker, recorder, tmp_path):
    hub = hub_with(broker, tmp_path, near_position=2)
    try:
        near, queue = recorder(f"{BASE}/events/near"), recorder(f"{BASE}/queue")
        first, second, third, fourth = issue(recorder, 4)
        events = near.wait_for(lambda msgs: len(msgs) >= 2 and msgs)
        assert [(e["number"], e["position"]) for e in map(json.loads, (p for _t, p in events))] == \
            [(first, 1), (second, 2)]
        recorder().publish(f"{BASE}/desk/desk-3/command", {"v": 1, "id": "near-call-1", "action": "next"})
        events = near.wait_for(lambda msgs: len(msgs) >= 3 and msgs)
        bodies = [json.loads(p) for _t, p in events]
        assert (bodies[2]["number"], bodies[2]["position"]) == (third, 2), "one moved up: the next one is near"
        assert bodies[2] == {"v": 1, "id": f"near:2026-11-24:{third}", "number": third, "service": "passport",
                             "position": 2, "lang": "da", "at": bodies[2]["at"]}, "nothing personal, an id per ticket"
        assert [e["number"] for e in after_the_queue_lists(queue, 3, near)] == [first, second, third], \
            "the fourth stands third: not near"
        recorder().publish(f"{BASE}/desk/desk-1/command", {"v": 1, "id": "near-call-2", "action": "next"})
        numbers = [e["number"] for e in after_the_queue_lists(queue, 2, near)]
        assert numbers == [first, second, third, fourth], "each once, however often the queue moves"
    finally:
        hub.stop()
        hub.available.close()


def test_no_event_without_an_integration(broker, recorder, tmp_path):
    hub = hub_with(broker, tmp_path)
    try:
        near, queue = recorder(f"{BASE}/events/near"), recorder(f"{BASE}/queue")
        issue(recorder, 2)
        assert after_the_queue_lists(queue, 2, near) == []
    finally:
        hub.stop()
        hub.available.close()
