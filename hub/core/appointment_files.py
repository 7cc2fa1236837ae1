"""Reading the booking system's files, CSV or iCalendar, strictly and keeping nothing personal.

A file is read whole or refused whole, with one line naming the file and the line.  A
refusal never quotes a value from the file: a misplaced column could hold a name or a CPR
number, and the line goes into logs.  Columns and properties that may hold personal data
(names, CPR numbers, phone numbers, e-mails, free text) are left out unread, and the result
says which kinds, for the log.  Plain Python: the hub, the web service and the command line
all read files with it.  The formats are in docs/appointments.md.
"""
from __future__ import annotations

from reception.errors import AppointmentFileError

from hub.core import appointment_csv, appointment_ics
from hub.core.appointment_records import MAX_BYTES, AppointmentFile, Reading, SiteRules

__all__ = ("AppointmentFile", "SiteRules", "read")


def read(name: str, data: bytes, rules: SiteRules) -> AppointmentFile:
    """A whole file, CSV or iCalendar (told by its first line), or ``AppointmentFileError``."""
    if len(data) > MAX_BYTES:
        raise AppointmentFileError(f"{name}: larger than {MAX_BYTES // 1024} kB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise AppointmentFileError(f"{name}: line {line}: not UTF-8 text (save the file as UTF-8)") from None
    reading = Reading(name, rules)
    if text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        result = appointment_ics.read(reading, text)
    else:
        result = appointment_csv.read(reading, text)
    if not result.appointments:
        raise AppointmentFileError(f"{name}: no appointments in it")
    return result
