"""What the hub tells the waiting room: each call, the retained board snapshot and the retained queue.

Only numbers, services, desks and times: nothing about the citizen, and extra needs never.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from reception.errors import MessageError
from reception.protocol import fields as f
from reception.protocol.codes import CALL_TYPES, CLOCK_RE, LANG_RE, LETTER_RE
from reception.protocol.lists import ListAsOf
from reception.protocol.wire import Message, iso, present


@dataclass(frozen=True)
class CallEvent(Message):
    """One call or recall as the waiting room sees it: ticket number and desk, nothing about the citizen."""

    type: str  # "call" | "recall"
    number: str
    desk: str
    desk_name: Mapping[str, str]
    at: datetime
    seq: int
    lang: str | None = None  # the ticket's language (None from a hub that does not say): announced in it too

    FIELDS = ("type", "number", "desk", "desk_name", "at", "seq", "lang")

    @classmethod
    def read(cls, data: dict) -> "CallEvent":
        desk_name = f.text_map(data, "desk_name", LANG_RE)
        if not desk_name:
            raise MessageError("field 'desk_name' must map language codes to non-empty texts")
        return cls(
            type=f.field(data, "type", str, choices=CALL_TYPES),
            number=f.ticket_number(data),
            desk=f.segment(data, "desk"),
            desk_name=desk_name,
            at=f.timestamp(data, "at"),
            seq=f.integer(data, "seq"),
            lang=f.lang(data, default=None),
        )

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "number": self.number, "desk": self.desk, "desk_name": dict(self.desk_name),
                "at": iso(self.at), "seq": self.seq, **present(lang=self.lang)}


@dataclass(frozen=True)
class ServiceWait:
    """Waiting tickets of one service; ``eta_min`` by desk kind, None where no desk of that kind is open."""

    service: str
    letter: str
    waiting: int
    eta_min: Mapping[str, int | None]

    FIELDS = ("service", "letter", "waiting", "eta_min")

    @classmethod
    def read(cls, data: dict) -> "ServiceWait":
        eta = f.kind_map(data, "eta_min")
        return cls(service=f.segment(data, "service"), letter=f.field(data, "letter", str, pattern=LETTER_RE),
                   waiting=f.integer(data, "waiting"), eta_min={kind: f.minutes(eta, kind) for kind in eta})

    def body(self) -> dict[str, Any]:
        return {"service": self.service, "letter": self.letter, "waiting": self.waiting, "eta_min": dict(self.eta_min)}


@dataclass(frozen=True)
class KindWait:
    """Desks of one kind: how many are open, how many tickets wait for that kind, the wait for a new one."""

    open: int
    waiting: int
    eta_min: int | None

    FIELDS = ("open", "waiting", "eta_min")

    @classmethod
    def read(cls, kind: str, data: Any) -> "KindWait":
        if not isinstance(data, dict):
            raise MessageError(f"'kinds.{kind}' must be an object")
        f.only(data, cls.FIELDS, f"kinds.{kind}.")
        return cls(f.integer(data, "open"), f.integer(data, "waiting"), f.minutes(data, "eta_min"))

    def body(self) -> dict[str, Any]:
        return {"open": self.open, "waiting": self.waiting, "eta_min": self.eta_min}


@dataclass(frozen=True)
class BoardSnapshot(Message):
    """The retained ``board`` message: all a display needs to be right at once after it starts.

    Any bad part rejects the whole message (a display keeps the last good one).
    """

    at: datetime
    calls: tuple[CallEvent, ...]  # newest first
    services: tuple[ServiceWait, ...]
    kinds: Mapping[str, KindWait]
    volunteers_until: str | None
    languages: tuple[str, ...] | None = None  # of the waiting tickets; None from a hub that does not say

    FIELDS = ("at", "calls", "services", "kinds", "volunteers_until", "languages")

    @classmethod
    def read(cls, data: dict) -> "BoardSnapshot":
        return cls(
            at=f.timestamp(data, "at"),
            calls=tuple(CallEvent.read(c) for c in f.objects(data, "calls", CallEvent.FIELDS)),
            services=tuple(ServiceWait.read(s) for s in f.objects(data, "services", ServiceWait.FIELDS)),
            kinds={k: KindWait.read(k, v) for k, v in f.kind_map(data, "kinds").items()},
            volunteers_until=f.field(data, "volunteers_until", str, required=False, pattern=CLOCK_RE),
            languages=f.languages(data),
        )

    def body(self) -> dict[str, Any]:
        return {"at": iso(self.at), "calls": [c.body() for c in self.calls],
                "services": [s.body() for s in self.services],
                "kinds": {kind: wait.body() for kind, wait in self.kinds.items()},
                "volunteers_until": self.volunteers_until,
                **({} if self.languages is None else {"languages": list(self.languages)})}


@dataclass(frozen=True)
class QueuedTicket:
    """A waiting ticket on the retained ``queue``: how many go before it, and its estimated wait."""

    number: str
    service: str
    ahead: int
    eta_min: int | None = None

    FIELDS = ("number", "service", "ahead", "eta_min")

    @classmethod
    def read(cls, data: dict) -> "QueuedTicket":
        return cls(f.ticket_number(data), f.segment(data, "service"), f.integer(data, "ahead"),
                   f.minutes(data, "eta_min"))

    def body(self) -> dict[str, Any]:
        return {"number": self.number, "service": self.service, "ahead": self.ahead, "eta_min": self.eta_min}


@dataclass(frozen=True)
class QueueSnapshot(ListAsOf, Message):
    """The retained ``queue``: every waiting ticket, in the order they are due."""

    at: datetime
    tickets: tuple[QueuedTicket, ...] = ()

    FIELDS = ("at", "tickets")
    ITEMS, ITEM = "tickets", QueuedTicket
