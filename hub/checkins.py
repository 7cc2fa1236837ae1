"""The hub's side of booked visits: today's bookings read from the store, check-ins and misses written
back with the ticket they belong to, and the kiosks' retained time list.

The rules are in ``hub.core.checkin``; this module only moves them between the queue's lock, the
store (table ``appointments``, see ``hub.appointment_store``) and the broker.  An arrival or a miss
is stored in the same transaction as the ticket (``Pending.statements``), so after a crash a
booking is checked in exactly when its ticket exists.  The store is read again when its rows for
today change (an import through the watched folder or the web endpoint), keeping every arrival and
miss this hub knows of.
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
SIGNATURE = "select count(*) as n, group_concat(code || at || service || desk || slot, '|') as s " \
            "from appointments where day = ?"


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


class StoredBookings:
    """Today's bookings as the store has them, read again when an import changed them."""

    def __init__(self, db):
        self.db = db
        self._signature: tuple | None = None
        self._day: str | None = None

    def changed(self, day: str) -> list[Booking] | None:
        """Today's stored bookings if they changed since last asked (or the day did), else None."""
        signature = tuple(next(self.db.query(SIGNATURE, [day])).values())
        if day == self._day and signature == self._signature:
            return None
        self._day, self._signature = day, signature
        return [booking_of(row) for row in self.db.query(DAY_ROWS, [day])]
