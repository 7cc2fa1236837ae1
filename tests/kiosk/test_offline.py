"""The broker dies mid-visit: the kiosk keeps issuing from its own range, then hands every
ticket to the real hub once, in the order issued, when the broker is back.  And the hub
that answers too late: the kiosk's own ticket replaces the one nobody holds."""
from __future__ import annotations

import json
import signal
import sqlite3

from kiosk import waits
from kiosk.i18n import tr
from kiosk.widgets import KioskButton
from tests.kiosk.conftest import make_kiosk
from tests.kiosk.paths import Path, answer_first_visit, tap_through

PASSPORT = Path((1, 0), "passport", "any", (), None)
LEARN_STAFF = Path((0, 0), "mitid_learn", "staff", ("carer",), True)


def shown(drv):
    return drv.wait_until(lambda: drv.screen.name == "ticket" and drv.screen.phase == "shown" and drv.screen, 10)


def test_broker_cut_tickets_issued_offline_reach_the_hub_once_in_issue_order(kiosk, hub, broker, recorder, site):
    drv, link = kiosk.driver, kiosk.services.link
    queue = recorder(f"reception/{site.id}/queue")
    drv.wait_until(lambda: link.hub_online)
    recorder().publish(f"reception/{site.id}/desk/desk-1/command", {"v": 1, "id": "open-1", "action": "open"})
    drv.wait_until(lambda: waits.expected_wait(link.board, "mitid_learn", "staff") is not None, 10)
    tap_through(drv, site, "da", PASSPORT)
    online = shown(drv).number
    assert int(online[1:]) < 900
    drv.tap(tr("da", "done"))

    # the citizen is half-way when the broker dies
    drv.tap("Pas og kørekort")
    broker.kill()
    drv.wait_until(lambda: not link.hub_online, 10)
    drv.tap("Pas")
    numbers = [shown(drv).number]
    assert kiosk.printer.sink.device.output.count(b"\x1dV\x00") == 2  # printed as well: the first and this one
    assert drv.screen.wait.startswith(tr("da", "wait_unknown")), "no wait is known: say so calmly"
    assert "Ventetiden kendes ikke lige nu" in kiosk.printer.sink.device.output.split(b"\x1dV\x00")[1].decode("cp865")
    drv.tap(tr("da", "done"))
    learn = site.questions["start"].answers[0]
    drv.tap(learn.label.get_text("da"))
    drv.tap(site.questions[learn.next].answers[0].label.get_text("da"))
    assert drv.screen.name == "choice"
    buttons = [b for b in drv.screen.ids.options.children if isinstance(b, KioskButton)]
    assert buttons and not any(b.detail for b in buttons), "the old snapshot's waits are not known now"
    drv.tap(tr("da", "start_over"))
    for path in (LEARN_STAFF, PASSPORT):
        tap_through(drv, site, "da", path)
        numbers.append(shown(drv).number)
        answer_first_visit(drv, "da", path.first_visit)
        drv.tap(tr("da", "done"))
    assert numbers == ["C901", "A901", "C902"]
    assert len(kiosk.services.outbox) == 3
    # the first-visit answer given on the ticket screen waits in the outbox with its ticket
    drv.wait_until(lambda: [p.request.first_visit for p in kiosk.services.outbox.pending()] == [None, True, None])

    broker.start()
    drv.wait_until(lambda: len(kiosk.services.outbox) == 0, 40)
    # what the hub stored, in the order it took them over (the hub's own record: a test client
    # reconnecting to the restarted broker could miss the first hand-over)
    with sqlite3.connect(hub.db_path) as db:
        taken = db.execute("select number, issued_at, extras, first_visit from tickets where offline = 1 "
                           "order by rowid").fetchall()
    assert [t[0] for t in taken] == numbers
    assert [t[1] for t in taken] == sorted(t[1] for t in taken)
    assert taken[1][2:] == ("carer", 1)  # A901: its need, and the first-visit answer given offline

    def waiting_numbers(msgs):
        latest = [json.loads(p) for _t, p in msgs if p]
        return latest and [t["number"] for t in latest[-1]["tickets"]]
    in_queue = queue.wait_for(lambda msgs: (lambda n: n if n and all(x in n for x in numbers) else None)(
        waiting_numbers(msgs)), 20)
    for number in numbers + [online]:
        assert in_queue.count(number) == 1


def tickets_in_hub(hub) -> dict[str, str]:
    with sqlite3.connect(hub.db_path) as db:
        return dict(db.execute("select number, state from tickets").fetchall())


def test_a_hub_that_answers_too_late_keeps_no_ghost_ticket(kiosk_app, broker, hub, recorder, site, tmp_path):
    """The hub is frozen (SIGSTOP) past the reply timeout: the kiosk prints its own number and, when
    handing it over, names the unanswered request, so the ticket the hub issued late is withdrawn."""
    requests = recorder(f"reception/{site.id}/kiosk/kiosk-1/ticket/request")
    k = make_kiosk(kiosk_app, broker, tmp_path, reply_timeout=1.0)
    try:
        drv = k.driver
        drv.wait_until(lambda: k.services.link.hub_online)
        hub.proc.send_signal(signal.SIGSTOP)
        try:
            tap_through(drv, site, "da", PASSPORT)
            assert shown(drv).number == "C901"  # after the timeout, from the kiosk's own range
            drv.wait_until(lambda: b"C901" in k.printer.sink.device.output)
        finally:
            hub.proc.send_signal(signal.SIGCONT)
        k.services.issuer.wake()
        drv.wait_until(lambda: len(k.services.outbox) == 0, 20)
        first, handed = [json.loads(p) for _t, p in requests.messages][:2]
        assert "offline_number" not in first
        assert (handed["offline_number"], handed["replaces"]) == ("C901", first["id"])
        # the hub did issue C001 for the first request, late; nobody holds it, so it is withdrawn:
        # exactly one waiting ticket for this citizen, the one in their hand
        assert tickets_in_hub(hub) == {"C001": "expired", "C901": "waiting"}
    finally:
        k.services.stop()
