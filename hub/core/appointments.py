"""The day's booked visits, as the hub keeps them: a time, a visit reason, a desk or any, a code.

An appointment carries no name, CPR, phone or e-mail: importers strip those before a record
becomes an ``Appointment`` (see docs/appointments.md).  The booking code is what the citizen
types at the kiosk; the kiosk's time list names an appointment by an opaque slot id instead
(random, kept by the hub), so the list never carries a code someone else could type.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

ANY_DESK = "any"


@dataclass(frozen=True)
class Appointment:
    code: str  # the booking code, 4-6 digits
    at: datetime  # the booked time, aware, in the site's zone
    service: str  # a service id of the site file
    desk: str = ANY_DESK  # a desk id of the site file, or "any"

    @property
    def day(self) -> str:
        return self.at.date().isoformat()
