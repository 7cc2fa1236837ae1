"""The broker dies mid-visit: the kiosk keeps issuing from its own range, then hands every
ticket to the real hub once, in the order issued, when the broker is back."""
from __future__ import annotations

import json

from kiosk.i18n import tr
from tests.kiosk.paths import Path, tap_through

PASSPORT = Path((1, 0), "passport", "any", (), None)
LEARN_STAFF = Path((0, 0), "mitid_learn", "staff", ("carer",), True)


def shown(drv):
    return drv.wait_until(lambda: drv.screen.name == "ticket" and drv.screen.phase == "shown" and drv.screen, 10)


def test_broker_cut_tickets_issued_offline_reach_the_hub_once_in_issue_order(kiosk, hub, broker, recorder, site):
    drv, link = kiosk.driver, kiosk.services.link
    requests = recorder(f"reception/{site.id}/kiosk/kiosk-1/ticket/request")
    queue = recorder(f"reception/{site.id}/queue")
    drv.wait_until(lambda: link.hub_online)
    tap_through(drv, site, "da", PASSPORT)
    online = shown(drv).number
    assert int(online[1:]) < 900
    drv.tap(tr("da", "done"))

    # the citizen is half-way when the broker dies
    drv.tap("Dansk")
    drv.tap("Pas og kørekort")
    broker.kill()
    drv.wait_until(lambda: not link.hub_online, 10)
    drv.tap("Pas")
    drv.tap(tr("da", "extras_continue"))
    drv.tap(tr("da", "skip"))
    numbers = [shown(drv).number]
    assert kiosk.printer.device.output.count(b"\x1dV\x00") == 2  # printed as well: the first and this one
    drv.tap(tr("da", "done"))
    for path in (LEARN_STAFF, PASSPORT):
        tap_through(drv, site, "da", path)
        numbers.append(shown(drv).number)
        drv.tap(tr("da", "done"))
    assert numbers == ["C901", "A901", "C902"]
    assert len(kiosk.services.outbox) == 3

    broker.start()
    drv.wait_until(lambda: len(kiosk.services.outbox) == 0, 40)
    handed = [json.loads(p) for _t, p in requests.messages if b"offline_number" in p]
    by_id = {}
    for body in handed:
        by_id.setdefault(body["id"], body)
    assert [b["offline_number"] for b in by_id.values()] == numbers
    issued = [b["issued_at"] for b in by_id.values()]
    assert issued == sorted(issued)
    assert by_id[next(iter(k for k, b in by_id.items() if b["offline_number"] == "A901"))]["extras"] == ["carer"]

    def waiting_numbers(msgs):
        latest = [json.loads(p) for _t, p in msgs if p]
        return latest and [t["number"] for t in latest[-1]["tickets"]]
    in_queue = queue.wait_for(lambda msgs: (lambda n: n if n and all(x in n for x in numbers) else None)(
        waiting_numbers(msgs)), 20)
    for number in numbers + [online]:
        assert in_queue.count(number) == 1
