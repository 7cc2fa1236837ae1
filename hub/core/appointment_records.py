"""What the CSV and the iCalendar reader of appointments files share: the site's rules, one record's
checks (never quoting a value), and the file as read."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Mapping

from reception.errors import AppointmentFileError
from reception.protocol.codes import BOOKING_RE

from hub.core.appointments import ANY_DESK, Appointment

MAX_BYTES = 1024 * 1024  # a day of a big office is some tens of kilobytes
# What a value that is not what it should be looks like: said in a refusal instead of the value.
LOOKS_LIKE = ((re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"), "an e-mail address"),
              (re.compile(r"\d{6}-?\d{4}"), "a CPR number"),
              (re.compile(r"(\+|00)?[\d ]{8,15}"), "a phone number"))


@dataclass(frozen=True)
class SiteRules:
    """What a record may name: the site's zone, its services, and the services of each desk."""

    zone: tzinfo
    services: frozenset[str]
    desks: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, site) -> "SiteRules":
        return cls(site.tz, frozenset(site.services), {d.id: frozenset(d.services) for d in site.desks.values()})


@dataclass(frozen=True)
class AppointmentFile:
    """A file as read: its appointments, the kinds of personal data left out, the cancelled events skipped."""

    name: str
    appointments: tuple[Appointment, ...]
    left_out: tuple[str, ...] = ()
    cancelled: int = 0

    def days(self) -> dict[str, tuple[Appointment, ...]]:
        """The appointments by day, days in order: each day's list replaces the one stored."""
        days: dict[str, list[Appointment]] = {}
        for a in sorted(self.appointments, key=lambda a: (a.at, a.code)):
            days.setdefault(a.day, []).append(a)
        return {day: tuple(listed) for day, listed in sorted(days.items())}

    def note(self) -> str:
        """One line for the log: what was read and what was left out (by kind, never a value)."""
        days = ", ".join(f"{day} ({len(listed)})" for day, listed in self.days().items()) or "no appointments"
        parts = [f"{self.name}: {days}"]
        if self.left_out:
            parts.append(f"left out unread: {', '.join(self.left_out)}")
        if self.cancelled:
            parts.append(f"{self.cancelled} cancelled skipped")
        return "; ".join(parts)


@dataclass
class Reading:
    """One file being read: its name, the site's rules, and the codes seen so far per day."""

    name: str
    rules: SiteRules
    seen: dict[tuple[str, str], int] = field(default_factory=dict)

    def fail(self, line: int, problem: str) -> AppointmentFileError:
        return AppointmentFileError(f"{self.name}: line {line}: {problem}")

    def appointment(self, line: int, at: datetime, service: str, desk: str, code: str) -> Appointment:
        """One record, checked against the site; the same code twice on one day is refused."""
        if not BOOKING_RE.fullmatch(code):  # as the citizen types it at the kiosk
            raise self.fail(line, f"code: not a booking code of 4-6 digits{looks_like(code)}")
        if service not in self.rules.services:
            raise self.fail(line, f"service: not a service of the site file{looks_like(service)}")
        desk = desk or ANY_DESK
        if desk != ANY_DESK and desk not in self.rules.desks:
            raise self.fail(line, f"desk: neither \"any\" nor a desk of the site file{looks_like(desk)}")
        if desk != ANY_DESK and service not in self.rules.desks[desk]:
            raise self.fail(line, "desk: that desk does not serve that service")
        appointment = Appointment(code, at.astimezone(self.rules.zone), service, desk)
        first = self.seen.setdefault((appointment.day, code), line)
        if first != line:
            raise self.fail(line, f"code: the same booking code as line {first} on the same day")
        return appointment


def looks_like(value: str) -> str:
    kind = next((kind for pattern, kind in LOOKS_LIKE if pattern.fullmatch(value.strip())), None)
    return f" (it looks like {kind}; not shown)" if kind else ""
