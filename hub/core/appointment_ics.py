"""The iCalendar (.ics, RFC 5545) form of an appointments file: one VEVENT per appointment.

A small strict reader of the part we use, so a refusal can name the line (the libraries
report no line numbers): DTSTART is the time, CATEGORIES the service, LOCATION the desk
(or none: any desk), X-BOOKING-CODE the code; STATUS:CANCELLED events are skipped.  Other
components (VTIMEZONE, ...) are passed over: a TZID must be an IANA zone name.  Properties
that may hold personal data (SUMMARY, DESCRIPTION, ATTENDEE, ...) are left out unread.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.core.appointment_records import AppointmentFile, Reading
from hub.core.appointments import Appointment

NAME_RE = re.compile(r"[A-Za-z0-9-]+")
PARAM_RE = re.compile(r';([A-Za-z0-9-]+)=((?:"[^"]*"|[^";:])*)')
DATETIME_RE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)")
USED = ("DTSTART", "CATEGORIES", "LOCATION", "X-BOOKING-CODE", "STATUS")
PERSONAL = ("SUMMARY", "DESCRIPTION", "ATTENDEE", "ORGANIZER", "CONTACT", "COMMENT", "RESOURCES", "URL",
            "ATTACH", "GEO")  # names, e-mails, phone numbers or free text that may hold them
IGNORED = ("UID", "DTSTAMP", "DTEND", "DURATION", "SEQUENCE", "CREATED", "LAST-MODIFIED", "CLASS", "TRANSP",
           "PRIORITY")


class Line:
    """One unfolded content line: where it starts, its name, its parameters, its value."""

    def __init__(self, number: int, name: str, params: dict[str, str], value: str):
        self.number, self.name, self.params, self.value = number, name, params, value


def read(reading: Reading, text: str) -> AppointmentFile:
    lines = _content_lines(reading, text)
    first = next(lines, None)
    if first is None or (first.name, first.value.upper()) != ("BEGIN", "VCALENDAR"):
        raise reading.fail(first.number if first else 1, "an iCalendar file begins with BEGIN:VCALENDAR")
    appointments, left_out, cancelled = [], {}, 0
    for line in lines:
        if line.name == "BEGIN" and line.value.upper() == "VEVENT":
            event = _event(reading, line.number, lines)
            left_out.update(dict.fromkeys(n for n in event if n not in USED and (n in PERSONAL or n.startswith("X-"))))
            if event.get("STATUS") and event["STATUS"].value.upper() == "CANCELLED":
                cancelled += 1
                continue
            appointments.append(_appointment(reading, line.number, event))
        elif line.name == "BEGIN":
            _skip(reading, line, lines)
        elif line.name == "END" and line.value.upper() == "VCALENDAR":
            return AppointmentFile(reading.name, tuple(appointments), tuple(left_out), cancelled)
    raise reading.fail(text.count("\n") + 1, "BEGIN:VCALENDAR without END:VCALENDAR")


def _content_lines(reading: Reading, text: str) -> Iterator[Line]:
    """Unfolded lines (a line starting with a space or tab continues the one before), parsed."""
    start, current = 0, None
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and current is not None:
            current += raw[1:]
            continue
        if current is not None:
            yield _parse(reading, start, current)
        start, current = number, raw if raw.strip() else None
    if current is not None:
        yield _parse(reading, start, current)


def _parse(reading: Reading, number: int, raw: str) -> Line:
    m = NAME_RE.match(raw)
    if not m:
        raise reading.fail(number, "not an iCalendar content line (NAME:value)")
    params, at = {}, m.end()
    for p in PARAM_RE.finditer(raw, at):
        if p.start() != at:
            break
        params[p[1].upper()], at = p[2].strip('"'), p.end()
    if raw[at:at + 1] != ":":
        raise reading.fail(number, "not an iCalendar content line (NAME:value)")
    return Line(number, m[0].upper(), params, raw[at + 1:])


def _event(reading: Reading, begun: int, lines: Iterator[Line]) -> dict[str, Line]:
    """The properties of one VEVENT up to its END; a property we use given twice is refused."""
    event: dict[str, Line] = {}
    for line in lines:
        if line.name == "END" and line.value.upper() == "VEVENT":
            return event
        if line.name == "END":
            break
        if line.name == "BEGIN":  # VALARM and the like: nothing of ours inside
            _skip(reading, line, lines)
        elif line.name in USED and line.name in event:
            raise reading.fail(line.number, f"{line.name} given twice in one event")
        elif line.name in USED or line.name in PERSONAL or line.name in IGNORED or line.name.startswith("X-"):
            event[line.name] = line
        else:
            raise reading.fail(line.number, f"{line.name}: not a property an appointment may have")
    raise reading.fail(begun, "BEGIN:VEVENT without END:VEVENT")


def _skip(reading: Reading, begin: Line, lines: Iterator[Line]) -> None:
    """Pass over a component we do not read (VTIMEZONE, VALARM, ...), up to its matching END."""
    kind = begin.value.upper()
    for line in lines:
        if line.name == "END" and line.value.upper() == kind:
            return
        if line.name == "BEGIN":
            _skip(reading, line, lines)
    raise reading.fail(begin.number, f"BEGIN:{kind} without END:{kind}")


def _appointment(reading: Reading, number: int, event: dict[str, Line]) -> Appointment:
    for name in ("DTSTART", "CATEGORIES", "X-BOOKING-CODE"):
        if name not in event:
            raise reading.fail(number, f"the event has no {name}")
    at = _start(reading, event["DTSTART"])
    desk = event["LOCATION"].value.strip() if "LOCATION" in event else ""
    return reading.appointment(number, at, _unescape(event["CATEGORIES"].value).strip(), _unescape(desk),
                               event["X-BOOKING-CODE"].value.strip())


def _start(reading: Reading, line: Line) -> datetime:
    """DTSTART as UTC (…Z), in a named zone (TZID=Europe/Copenhagen), or floating: the site's own time."""
    m = DATETIME_RE.fullmatch(line.value.strip())
    if line.params.get("VALUE", "DATE-TIME").upper() != "DATE-TIME" or not m:
        raise reading.fail(line.number, "DTSTART: not a date and time like 20261208T093000")
    zone = timezone.utc if m[7] else reading.rules.zone
    if "TZID" in line.params and not m[7]:
        try:
            zone = ZoneInfo(line.params["TZID"])
        except (ZoneInfoNotFoundError, ValueError):
            raise reading.fail(line.number, "DTSTART: TZID is not a time zone name such as Europe/Copenhagen") \
                from None
    try:
        return datetime(*(int(part) for part in m.groups()[:6]), tzinfo=zone)
    except ValueError:
        raise reading.fail(line.number, "DTSTART: not a real date and time") from None


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)
