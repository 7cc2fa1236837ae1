"""What the hub tells the kiosks about today's appointments: the retained list the citizen without a
code picks their time from.

Time and service only: never the booking code (the list is on every kiosk's screen, so a code
there could be typed by anyone), never a desk or anything about the citizen.  Each entry is named
by an opaque ``slot`` id that the hub made at random and keeps; a kiosk sends it back in the ticket
request's ``slot``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reception.protocol import fields as f
from reception.protocol.codes import SLOT_RE
from reception.protocol.lists import ListAsOf
from reception.protocol.wire import Message, iso


@dataclass(frozen=True)
class AppointmentSlot:
    """One appointment not yet checked in: its slot id, its booked time, its service."""

    slot: str
    at: datetime
    service: str

    FIELDS = ("slot", "at", "service")

    @classmethod
    def read(cls, data: dict) -> "AppointmentSlot":
        return cls(f.field(data, "slot", str, pattern=SLOT_RE), f.timestamp(data, "at"), f.segment(data, "service"))

    def body(self) -> dict[str, Any]:
        return {"slot": self.slot, "at": iso(self.at), "service": self.service}


@dataclass(frozen=True)
class AppointmentSlots(ListAsOf, Message):
    """The retained ``appointments``: the next hour's appointments not yet checked in, by booked time;
    republished when it changes (a check-in, a new hour, an import)."""

    at: datetime
    slots: tuple[AppointmentSlot, ...] = ()

    FIELDS = ("at", "slots")
    ITEMS, ITEM = "slots", AppointmentSlot
