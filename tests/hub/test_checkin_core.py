"""Checking in appointments, tested on the pure core with the example site (late after 15 min, 15-min slots)."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub import views
from hub.core.appointments import Appointment
from hub.core.checkin import AGAIN, KEPT, LATE, UNKNOWN, Booking, Bookings, hand_over, issue_booked
from hub.core.estimate import Estimates
from hub.core.queue import Queue

CPH = ZoneInfo("Europe/Copenhagen")
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=CPH)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def q(site):
    return Queue(site)


@pytest.fixture
def bookings(site):
    """4711: pension at 10:00 at any desk; 5822: pension at 10:00 at desk-2; 6933: moving at 10:30."""
    return Bookings(site.appointments, [
        Booking(Appointment("4711", at(60), "pension"), "slot-4711-aaaa"),
        Booking(Appointment("5822", at(60), "pension", "desk-2"), "slot-5822-bbbb"),
        Booking(Appointment("6933", at(90), "moving"), "slot-6933-cccc"),
    ])


def check_in(q, bookings, minutes, **how):
    return issue_booked(q, bookings, at(minutes), "appointment", **how)


def next_at(q, desk, minutes):
    q.command(desk, "next", at(minutes))
    current = q.current(desk)
    return current.number if current else None


def test_an_early_arrival_waits_for_the_booked_time(q, bookings):
    ticket, _, check = check_in(q, bookings, 40, code="4711")
    assert check.outcome == KEPT and check.walk_in is None
    assert (ticket.service, ticket.booked_at, "appointment" in ticket.extras) == ("pension", at(60), True)
    assert next_at(q, "desk-1", 45) is None, "nobody calls a booked citizen before the booked time"
    assert ticket.number not in [t.number for t in q.waiting()] and q.held() == [ticket]
    walk_in, _ = q.issue("moving", at(25))  # ranks before the booking (10:00 - 30 min head start), not after
    assert next_at(q, "desk-1", 60) == walk_in.number, "coming early earns no place before the booked time"
    assert next_at(q, "desk-1", 61) == ticket.number


def test_on_time_goes_ahead_of_walk_ins_but_not_of_one_who_waited_longer_than_the_head_start(q, bookings):
    long_waiting, _ = q.issue("moving", at(20))  # 40 minutes before the booked time: more than the head start
    later, _ = q.issue("moving", at(45))
    booked, _, check = check_in(q, bookings, 58, code="4711")
    assert check.outcome == KEPT
    q.issue("moving", at(59))
    calls = [next_at(q, "desk-1", 60 + i) for i in range(3)]
    assert calls == [long_waiting.number, booked.number, later.number]


def test_late_within_the_limit_keeps_the_booking_waiting_from_arrival(q, bookings):
    walk_in, _ = q.issue("moving", at(50))  # effective 9:50; the booking counts from 10:14 - 30 = 9:44
    ticket, _, check = check_in(q, bookings, 74, code="4711")
    assert check.outcome == KEPT and ticket.booked_at == at(60)
    assert next_at(q, "desk-1", 75) == ticket.number
    assert next_at(q, "desk-1", 76) == walk_in.number


def test_more_than_the_limit_late_becomes_a_walk_in_saying_late(q, bookings):
    ticket, _, check = check_in(q, bookings, 76, code="4711")
    assert (check.outcome, check.walk_in) == (LATE, "late")
    assert (ticket.service, ticket.booked_at, ticket.extras) == ("appointment", None, ())
    booking = bookings.find("2026-11-24", code="4711")
    assert booking.arrived_at == at(76) and booking.ticket == ticket.number and not booking.missed


def test_an_unknown_code_becomes_a_walk_in_saying_unknown(q, bookings):
    ticket, _, check = check_in(q, bookings, 50, code="9999", extras=("appointment", "carer"))
    assert (check.outcome, check.walk_in, check.booking) == (UNKNOWN, "unknown", None)
    assert ticket.service == "appointment" and ticket.booked_at is None
    assert ticket.extras == ("carer",), "no booking, no booking's head start"
    kept, _, _ = check_in(q, bookings, 50, code="4711", extras=("appointment",))
    assert kept.extras == ("appointment",), "the head start counts once"
    tomorrow = check_in(q, bookings, 50 - 24 * 60, code="4711")[2]
    assert tomorrow.outcome == UNKNOWN, "a code counts only on its own day"


def test_check_in_by_slot(q, bookings):
    ticket, _, check = check_in(q, bookings, 80, slot="slot-6933-cccc")
    assert check.outcome == KEPT and (ticket.service, ticket.booked_at) == ("moving", at(90))
    assert check_in(q, bookings, 80, slot="slot-nothing-here")[2].outcome == UNKNOWN


def test_a_second_check_in_gives_the_same_ticket(q, bookings):
    first, effects, _ = check_in(q, bookings, 50, code="4711")
    again, no_effects, check = check_in(q, bookings, 51, code="4711")
    assert check.outcome == AGAIN and again is first and not no_effects.tickets
    assert len(q.tickets) == 1
    q.call_number("desk-1", first.number, at(60))
    q.command("desk-1", "done", at(70))
    after, _, check = check_in(q, bookings, 71, code="4711")
    assert check.outcome == UNKNOWN and after is not first, "once served, the code gives no second booked ticket"


def test_the_booked_desk_calls_the_booking_while_it_is_open(q, bookings):
    for desk in ("desk-1", "desk-2"):
        q.command(desk, "open", at(0))
    ticket, _, _ = check_in(q, bookings, 55, code="5822")
    assert ticket.booked_desk == "desk-2"
    assert next_at(q, "desk-1", 60) is None
    assert next_at(q, "desk-2", 60) == ticket.number
    other, _, _ = check_in(q, bookings, 56, code="4711")
    q.command("desk-2", "close", at(61))
    assert next_at(q, "desk-1", 62) == other.number


def test_a_closed_booked_desk_leaves_the_booking_to_the_others(q, bookings):
    ticket, _, _ = check_in(q, bookings, 55, code="5822")
    assert next_at(q, "desk-1", 60) == ticket.number


def test_missed_at_the_end_of_the_slot_once(q, bookings):
    check_in(q, bookings, 50, code="4711")
    assert bookings.missed_due(at(74)) == []
    missed = bookings.missed_due(at(75))
    assert [b.code for b in missed] == ["5822"] and missed[0].missed
    assert bookings.missed_due(at(76)) == []
    assert [b.code for b in bookings.missed_due(at(105))] == ["6933"]
    ticket, _, check = check_in(q, bookings, 106, code="6933")
    assert check.outcome == LATE and ticket.booked_at is None, "a missed booking that comes after all is late"


def test_the_time_list_holds_the_next_hour_not_checked_in(q, bookings):
    day = "2026-11-24"
    assert [b.code for b in bookings.upcoming(day, at(0))] == ["4711", "5822"]
    assert [b.code for b in bookings.upcoming(day, at(-1))] == []
    check_in(q, bookings, 50, code="4711")
    assert [b.code for b in bookings.upcoming(day, at(50))] == ["5822", "6933"]
    assert [b.code for b in bookings.upcoming(day, at(76))] == ["6933"], "15 minutes late: off the list"


def test_an_import_changes_open_bookings_and_keeps_what_happened(site, q, bookings):
    check_in(q, bookings, 50, code="4711")
    changed = bookings.merge([Booking(Appointment("4711", at(65), "passport"), "slot-4711-aaaa"),
                              Booking(Appointment("6933", at(95), "moving"), "slot-6933-dddd")])
    assert changed
    kept = bookings.find("2026-11-24", code="4711")
    assert kept.appointment.at == at(60) and kept.arrived_at == at(50), "an arrival stays as it happened"
    assert bookings.find("2026-11-24", code="5822") is None
    assert bookings.find("2026-11-24", slot="slot-6933-dddd").at == at(95)
    assert not bookings.merge([Booking(Appointment("6933", at(95), "moving"), "slot-6933-dddd")])


def test_a_rebuilt_queue_holds_and_releases_booked_tickets_as_before(site, q, bookings):
    ticket, _, _ = check_in(q, bookings, 40, code="4711")
    rebuilt = Queue(site, [ticket])
    assert rebuilt.held() == [ticket]
    rebuilt.release(at(59))
    assert rebuilt.waiting() == []
    assert next_at(rebuilt, "desk-1", 60) == ticket.number


def test_the_queue_snapshot_lists_early_appointments_after_those_due(site, q, bookings):
    walk_in, _ = q.issue("moving", at(30))
    early, _, _ = check_in(q, bookings, 40, code="4711")
    snapshot = views.queue_snapshot(q, Estimates(), at(40))
    assert [(t.number, t.eta_min) for t in snapshot.tickets] == [(walk_in.number, None), (early.number, 20)]


def test_an_offline_ticket_handed_over_with_a_booking_counts_as_arrived(q, bookings):
    ticket, _ = q.import_offline("H901", "appointment", at(55), at(70), kiosk="kiosk-1")
    check = hand_over(bookings, "2026-11-24", ticket, code="4711")
    assert check.outcome == KEPT and ticket.booked_at is None, "the printed ticket stays as it is"
    assert bookings.find("2026-11-24", code="4711").ticket == "H901"
    assert "4711" not in [b.code for b in bookings.missed_due(at(80))]
    again = hand_over(bookings, "2026-11-24", ticket, code="4711")
    assert again.outcome == KEPT and again.booking.ticket == "H901" and again.booking.arrived_at == at(55)


def test_a_hand_over_replacing_an_unanswered_request_names_the_ticket_the_citizen_holds(q, bookings):
    unanswered, _, _ = check_in(q, bookings, 55, code="4711")  # the kiosk gave up waiting and printed H901
    printed, _ = q.import_offline("H901", "appointment", at(55), at(56), kiosk="kiosk-1")
    check = hand_over(bookings, "2026-11-24", printed, code="4711")
    assert check.outcome == KEPT and check.booking.ticket == "H901" != unanswered.number
