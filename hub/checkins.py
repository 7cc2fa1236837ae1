"""The hub's side of booked visits: today's bookings read from the store, check-ins and misses written
back with the ticket they belong to, and the kiosks' retained time list.

The rules are in ``hub.core.checkin``; this module only moves them between the queue's lock, the
store (table ``appointments``, see ``hub.appointment_store``) and the broker.  An arrival or a miss
is stored in the same transaction as the ticket (``Pending.statements``), so after a crash a
booking is checked in exactly when its ticket exists.  The store is read again at the day's change
and once an import (``hub.bookings``: the web endpoint, the watched folder) is stored, keeping every
arrival and miss this hub knows of.
"""
from __future__ import annotations

import logging
from datetime import datetime

from reception import protocol

from hub.core.appointments import Appointment
from hub.core.checkin import Booking, Bookings

log = logging.getLogger(__name__)

ARRIVED = "update appointments set arrived_at = ?, ticket = ?, missed = 0 where day = ? and code = ?"
MISSED = "update appointments set missed = 1 where day = ? and code = ? and arrived_at is null"
DAY_ROWS = "select * from appointments where day = ? order by at, code"


def booking_of(row: dict) -> Booking:
    at = datetime.fromisoformat(row["at"])
    return Booking(Appointment(row["code"], at, row["service"], row["desk"]), row["slot"],
                   datetime.fromisoformat(row["arrived_at"]) if row["arrived_at"] else None, row["ticket"],
                   bool(row["missed"]))


def arrived(booking: Booking) -> tuple[str, tuple]:
    """The statement that stores a check-in, with the ticket's number."""
    return ARRIVED, (booking.arrived_at.isoformat(), booking.ticket, booking.appointment.day, booking.code)


def missed(booking: Booking) -> tuple[str, tuple]:
    return MISSED, (booking.appointment.day, booking.code)


def slots_message(bookings: Bookings, day: str, now: datetime) -> protocol.AppointmentSlots:
    """The kiosks' time list: time and service of each booking of the next hour not checked in."""
    return protocol.AppointmentSlots(now, tuple(protocol.AppointmentSlot(b.slot, b.at, b.appointment.service)
                                                for b in bookings.upcoming(day, now)))


def stored(db, day: str) -> list[Booking]:
    """The day's bookings as the store has them."""
    return [booking_of(row) for row in db.query(DAY_ROWS, [day])]
