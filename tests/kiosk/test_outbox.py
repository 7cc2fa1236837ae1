"""The offline outbox on a real SQLite file: numbers never reused, order kept, kept until confirmed."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.flow import Order
from kiosk.outbox import Outbox, RangeExhausted
from reception import protocol
from reception.config import Kiosk

TZ = ZoneInfo("Europe/Copenhagen")
T0 = datetime(2026, 11, 25, 10, 0, tzinfo=TZ)


@pytest.fixture
def kiosk():
    return Kiosk("kiosk-1", (901, 903))


def test_numbers_count_per_letter_and_survive_a_restart(tmp_path, kiosk):
    box = Outbox(tmp_path / "o.db", kiosk)
    assert box.issue(Order("passport"), "C", T0).number == "C901"
    assert box.issue(Order("mitid_learn"), "A", T0).number == "A901"
    box.close()
    box = Outbox(tmp_path / "o.db", kiosk)
    assert box.issue(Order("passport"), "C", T0).number == "C902"


def test_a_new_local_day_starts_the_range_again(tmp_path, kiosk):
    box = Outbox(tmp_path / "o.db", kiosk)
    box.issue(Order("passport"), "C", T0)
    assert box.issue(Order("passport"), "C", T0 + timedelta(days=1)).number == "C901"


def test_exhausted_range_refuses_and_takes_nothing(tmp_path, kiosk):
    box = Outbox(tmp_path / "o.db", kiosk)
    for _ in range(3):
        box.issue(Order("passport"), "C", T0)
    with pytest.raises(RangeExhausted):
        box.issue(Order("passport"), "C", T0)
    assert len(box) == 3


def test_pending_in_issue_order_with_contract_bodies_until_delivered(tmp_path, kiosk):
    box = Outbox(tmp_path / "o.db", kiosk)
    a = box.issue(Order("passport", lang="uk"), "C", T0)
    b = box.issue(Order("moving", extras=("carer",)), "F", T0 + timedelta(seconds=5))
    assert [p.number for p in box.pending()] == ["C901", "F901"]
    parsed = protocol.TicketRequest.from_payload(box.pending()[1].request.to_payload())
    assert (parsed.offline_number, parsed.issued_at, parsed.extras) == ("F901", b.issued_at, ("carer",))
    box.delivered(a.id)
    assert [p.number for p in box.pending()] == ["F901"]
    box.rejected(b.id, "unknown service")
    assert len(box) == 0
    assert box.db["rejected"].count == 1


def test_counter_and_ticket_are_one_transaction(tmp_path, kiosk):
    """If storing the ticket fails, the number is not taken either."""
    box = Outbox(tmp_path / "o.db", kiosk)
    box.db.execute("CREATE TRIGGER no_more BEFORE INSERT ON pending BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(Exception, match="disk full"):
        box.issue(Order("passport"), "C", T0)
    box.db.execute("DROP TRIGGER no_more")
    assert box.issue(Order("passport"), "C", T0).number == "C901"


def test_the_hand_over_names_the_request_it_replaces_and_carries_a_late_first_visit_answer(tmp_path, kiosk):
    box = Outbox(tmp_path / "o.db", kiosk)
    ticket = box.issue(Order("passport"), "C", T0, replaces="kiosk-1-abc")
    assert box.set_first_visit("C901", T0, True)
    assert not box.set_first_visit("C901", T0 + timedelta(days=1), True)  # another day's C901: not here
    parsed = protocol.TicketRequest.from_payload(box.pending()[0].request.to_payload())
    assert (parsed.replaces, parsed.first_visit, parsed.offline_number) == ("kiosk-1-abc", True, "C901")
    box.delivered(ticket.id)
    assert not box.set_first_visit("C901", T0, False)  # handed over: the answer must travel on its own


def test_a_ticket_stored_by_an_older_kiosk_without_the_version_is_still_handed_over(tmp_path, kiosk):
    box = Outbox(tmp_path / "o.db", kiosk)
    box.db.execute("INSERT INTO pending (id, number, issued_at, body) VALUES (?, ?, ?, ?)",
                   ["kiosk-1-off-1", "C901", T0.isoformat(), '{"id":"kiosk-1-off-1","service":"passport",'
                    f'"offline_number":"C901","issued_at":"{T0.isoformat()}","first_visit":null}}'])
    assert box.set_first_visit("C901", T0, False)
    [pending] = box.pending()
    assert (pending.request.offline_number, pending.request.issued_at, pending.request.first_visit) == ("C901", T0, False)
