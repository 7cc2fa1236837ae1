"""The booking system's list of the day's appointments, handed to the hub (web -> hub), and its outcome.

The web service reads the file the municipality's booking system posts (``hub.core.appointment_files``:
personal fields are left out there, before anything reaches the broker) and sends the appointments
it read; the hub checks each against the site file, stores each day's list in place of the one it
had (``hub.appointment_store``) and answers on ``import/result`` by the command's id.  The codes go
only to the hub: no kiosk, desk or board may read these topics.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reception.errors import MessageError
from reception.protocol import fields as f
from reception.protocol.codes import BOOKING_RE
from reception.protocol.from_hub import MAX_ERROR
from reception.protocol.wire import Message, iso, present, shorten

MAX_APPOINTMENTS = 2000  # in one import: a week of a big office
LEFT_OUT_KINDS = 12  # kinds of personal data named as left out
DAY_COUNTS = ("added", "changed", "removed", "unchanged", "kept")


@dataclass(frozen=True)
class BookedVisit:
    """One appointment as imported: the code, the booked time, the service, the desk or "any"."""

    code: str
    at: datetime
    service: str
    desk: str = "any"

    FIELDS = ("code", "at", "service", "desk")

    @classmethod
    def read(cls, data: dict) -> "BookedVisit":
        return cls(f.field(data, "code", str, pattern=BOOKING_RE), f.timestamp(data, "at"), f.segment(data, "service"),
                   f.segment(data, "desk"))

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "at": iso(self.at), "service": self.service, "desk": self.desk}


@dataclass(frozen=True)
class AppointmentImport(Message):
    """``appointments/import``: a file's appointments, by whom (a web account), the kinds of personal data
    the reader left out (for the hub's log)."""

    id: str
    by: str
    file: str
    appointments: tuple[BookedVisit, ...]
    left_out: tuple[str, ...] = ()

    FIELDS = ("id", "by", "file", "appointments", "left_out")

    @classmethod
    def read(cls, data: dict) -> "AppointmentImport":
        listed = f.objects(data, "appointments", BookedVisit.FIELDS, required=True)
        if not listed or len(listed) > MAX_APPOINTMENTS:
            raise MessageError(f"field 'appointments' must list 1 to {MAX_APPOINTMENTS}")
        left_out = f.field(data, "left_out", list, required=False, default=[])
        if len(left_out) > LEFT_OUT_KINDS or not all(isinstance(kind, str) for kind in left_out):
            raise MessageError(f"field 'left_out' must list at most {LEFT_OUT_KINDS} texts")
        return cls(f.command_id(data), f.segment(data, "by"), f.field(data, "file", str),
                   tuple(BookedVisit.read(a) for a in listed),
                   tuple(f.field({"left_out": kind}, "left_out", str) for kind in left_out))

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "by": self.by, "file": self.file, "appointments": [a.body() for a in self.appointments],
                **present(left_out=list(self.left_out) or None)}


@dataclass(frozen=True)
class ImportedDay:
    """What an import did to one day: the store's count, the hub's answer, the folder's results line."""

    day: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    kept: int = 0  # gone from the file, but arrived or missed already

    @classmethod
    def read(cls, data: dict) -> "ImportedDay":
        return cls(f.field(data, "day", str), *(f.integer(data, key) for key in DAY_COUNTS))

    def body(self) -> dict[str, Any]:
        return {"day": self.day, **{key: getattr(self, key) for key in DAY_COUNTS}}

    @property
    def changes(self) -> int:
        return self.added + self.changed + self.removed

    def describe(self) -> str:
        return (f"{self.day}: {self.added} new, {self.changed} changed, {self.removed} removed, "
                f"{self.unchanged} unchanged" + (f", {self.kept} kept (arrived or missed)" if self.kept else ""))


@dataclass(frozen=True)
class ImportResult(Message):
    """``appointments/import/result``: the outcome of one import, by its id; refused with a one-line reason."""

    id: str
    ok: bool
    days: tuple[ImportedDay, ...] = ()
    error: str | None = None

    FIELDS = ("id", "ok", "days", "error")

    @classmethod
    def refused(cls, command_id: str, error: str) -> "ImportResult":
        return cls(command_id, False, error=shorten(error, MAX_ERROR))

    @classmethod
    def read(cls, data: dict) -> "ImportResult":
        days = f.objects(data, "days", ("day", *DAY_COUNTS))
        return cls(f.command_id(data), f.field(data, "ok", bool), tuple(ImportedDay.read(d) for d in days),
                   f.field(data, "error", str, required=False))

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "ok": self.ok, "days": [d.body() for d in self.days], **present(error=self.error)}
