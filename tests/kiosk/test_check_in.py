"""What became of a booking, as the screen and the paper explain it; the time list's pages (pure, no Kivy)."""
from datetime import datetime, timezone

from kiosk.check_in import BOOKED, LATE, UNCHECKED, UNKNOWN, outcome, page_of
from kiosk.flow import Order
from reception.protocol import IssuedTicket

AT = datetime(2026, 11, 24, 9, 5, tzinfo=timezone.utc)


def ticket(**kw) -> IssuedTicket:
    return IssuedTicket("H004", "appointment", "any", AT, **kw)


def test_the_outcome_of_a_booking():
    by_code, by_slot, plain = Order("appointment", booking="4711"), Order("appointment", slot="q7Rk2mXw9aLc"), \
        Order("appointment")
    assert outcome(by_code, ticket(booked_at=AT)) == BOOKED
    assert outcome(by_slot, ticket(walk_in="late")) == LATE
    assert outcome(by_code, ticket(walk_in="unknown")) == UNKNOWN
    assert outcome(by_code, ticket(offline=True)) == UNCHECKED  # never "unknown": nobody looked at the code
    assert outcome(plain, ticket(walk_in="late")) is None  # no booking: nothing to explain
    assert outcome(by_code, ticket()) is None  # neither kept nor refused: the kiosk says nothing it does not know


def test_pages_of_the_time_list():
    items = list(range(7))
    assert page_of(items, 0, 3) == ([0, 1, 2], 0, 3)
    assert page_of(items, 2, 3) == ([6], 2, 3)
    assert page_of(items, 9, 3) == ([6], 2, 3)  # the list got shorter under the citizen's finger
    assert page_of([], 0, 3) == ([], 0, 1)
