"""Checking in a booked visit at the kiosk: by booking code or by the slot picked from the time list.

Pure: the clock is an argument, the bookings are plain records.  The outcome decides the ticket:

* ``kept``: on time, early, or at most ``appointments.late_after_minutes`` late.  The ticket is of
  the booked service, carries the booked time and desk, and waits for the booked time
  (``hub.core.waiting``) before a desk may call it, then goes ahead of walk-ins by the head start of
  the ``appointment`` extra (``hub.core.routing``: the rule that keeps anyone from starving).
* ``late`` (more than that late) and ``unknown`` (no such code today): a walk-in ticket of the service
  the kiosk asked for, without the booking's head start, and the reason goes back so the kiosk can
  explain.
* ``again``: checked in before; the same ticket again while it is open, nothing doubled.

An appointment nobody checked in is counted missed at the end of its slot (``missed_due``).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from reception.config import Appointments

from hub.core.appointments import ANY_DESK, Appointment
from hub.core.model import Effects

KEPT, LATE, UNKNOWN, AGAIN = "kept", "late", "unknown", "again"
LIST_AHEAD = timedelta(hours=1)  # the kiosk's time list: appointments of the next hour
BOOKED_EXTRA = "appointment"  # the extra need a kept booking's ticket carries: its head start, "har aftale" at the desk


def is_late(rules: Appointments, at: datetime, arrived_at: datetime) -> bool:
    """Too late to keep the booking (a missed one too, if it comes after all): a walk-in instead."""
    return arrived_at - at > timedelta(minutes=rules.late_after_minutes)


@dataclass
class Booking:
    """An appointment as the hub keeps it through the day: its slot id, and what became of it."""

    appointment: Appointment
    slot: str
    arrived_at: datetime | None = None
    ticket: str | None = None  # the number of the ticket it got (kept or walk-in)
    missed: bool = False

    @property
    def code(self) -> str:
        return self.appointment.code

    @property
    def at(self) -> datetime:
        return self.appointment.at

    @property
    def open(self) -> bool:
        """Nobody has checked in for it and it was not counted missed."""
        return self.arrived_at is None and not self.missed

    @property
    def desk(self) -> str | None:
        return None if self.appointment.desk == ANY_DESK else self.appointment.desk


@dataclass(frozen=True)
class CheckIn:
    outcome: str  # KEPT, LATE, UNKNOWN or AGAIN
    booking: Booking | None = None

    @property
    def walk_in(self) -> str | None:
        """Why the citizen gets a walk-in ticket (the reply's ``walk_in``), None when the booking holds."""
        return self.outcome if self.outcome in (LATE, UNKNOWN) else None


class Bookings:
    """Today's (and recent days') bookings, by day and code and by slot."""

    def __init__(self, rules: Appointments, bookings: Iterable[Booking] = ()):
        self.rules = rules
        self._by_code: dict[tuple[str, str], Booking] = {}
        self._by_slot: dict[str, Booking] = {}
        self.merge(bookings)

    def merge(self, stored: Iterable[Booking]) -> bool:
        """Take the list as stored (after an import): new and changed appointments come in, removed ones go,
        but what happened here stays (an arrival or a miss this hub knows and the store may not yet).
        Whether anything changed."""
        stored = {(b.appointment.day, b.code): b for b in stored}
        before = {key: (b.appointment, b.slot) for key, b in self._by_code.items()}
        kept = {key: b for key, b in self._by_code.items() if not b.open}
        self._by_code = {**stored, **kept}
        self._by_slot = {b.slot: b for b in self._by_code.values()}
        self._sorted = sorted(self._by_code.values(), key=lambda b: (b.at, b.code))
        self._times = [b.at for b in self._sorted]
        return before != {key: (b.appointment, b.slot) for key, b in self._by_code.items()}

    def all(self) -> list[Booking]:
        """Every booking, by time (then code)."""
        return list(self._sorted)

    def find(self, day: str, *, code: str | None = None, slot: str | None = None) -> Booking | None:
        booking = self._by_code.get((day, code)) if code is not None else self._by_slot.get(slot)
        return booking if booking is not None and booking.appointment.day == day else None

    def check_in(self, day: str, now: datetime, *, code: str | None = None, slot: str | None = None) -> CheckIn:
        """What a check-in at ``now`` comes to (nothing changes here: ``arrive`` records it)."""
        booking = self.find(day, code=code, slot=slot)
        if booking is None:
            return CheckIn(UNKNOWN)
        if booking.arrived_at is not None:
            return CheckIn(AGAIN, booking)
        return CheckIn(LATE if is_late(self.rules, booking.at, now) else KEPT, booking)

    @staticmethod
    def arrive(booking: Booking, now: datetime, ticket_number: str) -> Booking:
        """Record the check-in: the booking leaves the time list and counts as kept or late, not missed."""
        booking.arrived_at, booking.ticket, booking.missed = now, ticket_number, False
        return booking

    def missed_due(self, now: datetime) -> list[Booking]:
        """Bookings whose slot ended with nobody checked in: counted missed now (and returned)."""
        due = [b for b in self._sorted[:bisect_right(self._times, now - timedelta(minutes=self.rules.slot_minutes))]
               if b.open]
        for booking in due:
            booking.missed = True
        return due

    def upcoming(self, day: str, now: datetime) -> list[Booking]:
        """The kiosk's time list: today's bookings not checked in, from those still on time to the next hour."""
        first = bisect_left(self._times, now - timedelta(minutes=self.rules.late_after_minutes))
        last = bisect_right(self._times, now + LIST_AHEAD)
        return [b for b in self._sorted[first:last] if b.open and b.appointment.day == day]


def issue_booked(queue, bookings: Bookings, now: datetime, service: str, *, code: str | None = None,
                 slot: str | None = None, extras: tuple[str, ...] = (), **fields):
    """Check in at the kiosk and issue the ticket it comes to: ``(ticket, effects, check_in)``.

    ``service`` is what a walk-in gets; ``fields`` are the rest of ``Queue.issue``'s (preference,
    language, kiosk...).  The booking's arrival is recorded (``check_in.booking``, to be stored with
    the ticket) unless it was checked in before, whose open ticket is given again.
    """
    queue.release(now)  # an on-time citizen is callable at once, whenever the ticker last looked
    day = queue.day(now)
    check = bookings.check_in(day, now, code=code, slot=slot)
    if check.outcome == AGAIN:
        ticket = queue.find(check.booking.ticket, now)
        if ticket is not None and ticket.is_open:
            return ticket, Effects(), check
        check = CheckIn(UNKNOWN)  # served already: whoever typed the code again is a walk-in
    extras = tuple(e for e in extras if e != BOOKED_EXTRA)  # only a kept booking has its head start
    if check.outcome == KEPT:
        a = check.booking.appointment
        ticket, effects = queue.issue(a.service, now, extras=(*extras, BOOKED_EXTRA), booked_at=a.at,
                                      booked_desk=check.booking.desk, **fields)
    else:
        ticket, effects = queue.issue(service, now, extras=extras, **fields)
    if check.booking is not None:
        bookings.arrive(check.booking, now, ticket.number)
    return ticket, effects, check


def hand_over(bookings: Bookings, day: str, ticket, *, code: str | None = None, slot: str | None = None) -> CheckIn:
    """A kiosk that could not reach the hub printed a number of its own for a booked citizen: the ticket
    stays as printed, and the booking counts as arrived when the ticket was issued (kept or late).

    Checked in before (the kiosk gave up waiting for the hub's answer and printed this one instead,
    and the hub withdraws its own), the booking now names the ticket the citizen holds."""
    check = bookings.check_in(day, ticket.issued_at, code=code, slot=slot)
    if check.outcome == AGAIN:
        booking = check.booking
        check = CheckIn(LATE if is_late(bookings.rules, booking.at, booking.arrived_at) else KEPT, booking)
        bookings.arrive(booking, booking.arrived_at, ticket.number)
    elif check.outcome in (KEPT, LATE):
        bookings.arrive(check.booking, ticket.issued_at, ticket.number)
    return check
