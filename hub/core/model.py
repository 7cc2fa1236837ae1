"""The queue's nouns: tickets and desks, as plain mutable records.

A ticket is anonymous: a number, a visit reason, the citizen's choice of helper,
discreet extra needs, and the times things happened.  Nothing else.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cached_property

WAITING, CALLED, SERVED, NO_SHOW, EXPIRED = "waiting", "called", "served", "no_show", "expired"
OPEN_STATES = (WAITING, CALLED)
CALL_KINDS = ("called", "recalled")
DESK_OPEN, DESK_PAUSED, DESK_CLOSED = "open", "paused", "closed"
TIMES = ("issued_at", "called_at", "first_called_at", "finished_at", "booked_at")  # a ticket's times, stored as text


@dataclass
class Ticket:
    number: str
    service: str
    day: str  # local date (ISO) the ticket belongs to; numbering restarts each day
    issued_at: datetime
    preference: str = "any"  # the citizen's choice: any, staff or volunteer
    extras: tuple[str, ...] = ()
    first_visit: bool | None = None
    kiosk: str | None = None
    offline: bool = False
    state: str = WAITING
    desk: str | None = None  # the desk that called it last
    called_at: datetime | None = None  # latest call
    first_called_at: datetime | None = None  # end of the citizen's wait, for statistics
    finished_at: datetime | None = None  # served, no-show or expired
    recalls: int = 0
    transfers: int = 0
    original_service: str | None = None
    served_by_kind: str | None = None
    eta_at_issue: float | None = None  # minutes promised on the ticket, to measure how often we kept it
    lang: str = "da"  # the language the citizen chose at the kiosk: the call is announced in it too
    booked_at: datetime | None = None  # a checked-in appointment: no desk calls it before this time
    booked_desk: str | None = None  # ... and this desk calls it, while open (None: any desk of the service)
    token_hash: str | None = None  # SHA-256 of the status page's token (the token itself is never kept)

    @cached_property
    def key(self) -> str:
        """Made once: the queue, the waiting order and the estimator keep this one string, not a copy each."""
        return f"{self.day}/{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def to_record(self) -> dict:
        record = asdict(self)
        record["extras"] = ",".join(self.extras)
        for name in TIMES:
            record[name] = record[name].isoformat() if record[name] else None
        record["key"] = self.key
        return record

    @classmethod
    def from_record(cls, record: dict) -> "Ticket":
        values = {k: record[k] for k in cls.__dataclass_fields__ if k in record}
        values["extras"] = tuple(e for e in (record.get("extras") or "").split(",") if e)
        for name in TIMES:
            values[name] = datetime.fromisoformat(values[name]) if values.get(name) else None
        for name in ("offline",):
            values[name] = bool(values.get(name))
        if values.get("first_visit") is not None:
            values["first_visit"] = bool(values["first_visit"])
        values["lang"] = values.get("lang") or "da"  # stored before tickets kept their language
        return cls(**values)


@dataclass
class Desk:
    id: str
    status: str = DESK_CLOSED
    current: str | None = None  # key of the ticket being called/served
    last_call_at: datetime | None = None
    status_since: datetime | None = None

    def to_record(self) -> dict:
        record = asdict(self)
        for name in ("last_call_at", "status_since"):
            record[name] = record[name].isoformat() if record[name] else None
        return record

    @classmethod
    def from_record(cls, record: dict) -> "Desk":
        values = {k: record.get(k) for k in cls.__dataclass_fields__}
        for name in ("last_call_at", "status_since"):
            values[name] = datetime.fromisoformat(values[name]) if values[name] else None
        return cls(**values)


@dataclass(frozen=True)
class Event:
    """Something that happened, for the log, the statistics and the devices."""

    kind: str  # issued, called, recalled, served, no_show, transferred, expired, desk_open, ...
    at: datetime
    ticket: str | None = None  # ticket key
    desk: str | None = None
    detail: dict = field(default_factory=dict)
    seq: int | None = None  # a call's number, for the board to tell a new call from one seen; given when staged


@dataclass
class Effects:
    """What one operation changed: the adapter persists these, then publishes."""

    tickets: dict[str, Ticket] = field(default_factory=dict)
    desks: dict[str, Desk] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def touch(self, *items: Ticket | Desk) -> None:
        for item in items:
            if isinstance(item, Ticket):
                self.tickets[item.key] = item
            else:
                self.desks[item.id] = item

    def merge(self, other: "Effects") -> None:
        self.tickets.update(other.tickets)
        self.desks.update(other.desks)
        self.events.extend(other.events)

    @property
    def calls(self) -> list[Event]:
        return [e for e in self.events if e.kind in CALL_KINDS]
