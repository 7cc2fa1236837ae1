"""What the hub sends one kiosk or desk: the answer to a ticket request or a command, a desk's
retained state, and the alerts the desk consoles show.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from reception.errors import MessageError
from reception.protocol import fields as f
from reception.protocol.codes import (ALERT_PROBLEMS, DESK_ACTIONS, DESK_KINDS, DESK_STATUSES, DEVICE_RE, EXTRAS,
                                      PREFERENCES, TICKET_STATES, WALK_IN_REASONS)
from reception.protocol.to_hub import DeskCommand
from reception.protocol.wire import Message, iso, present, shorten

MAX_ERROR = 200  # characters of the reason in a refusal


@dataclass(frozen=True)
class IssuedTicket:
    """The ticket in the hub's reply to a kiosk: what the citizen's screen and paper show.

    A checked-in appointment carries its ``booked_at`` (printed on the ticket); a booking that could
    not be kept carries ``walk_in`` ("late" | "unknown"), so the kiosk can explain kindly.
    """

    number: str
    service: str
    preference: str
    issued_at: datetime
    ahead: int | None = None
    eta_min: int | None = None
    offline: bool = False
    booked_at: datetime | None = None
    walk_in: str | None = None

    FIELDS = ("number", "service", "preference", "ahead", "eta_min", "issued_at", "offline", "booked_at", "walk_in")

    @classmethod
    def read(cls, t: dict) -> "IssuedTicket":
        f.only(t, cls.FIELDS, "ticket.")
        ahead, eta = f.number(t, "ahead", required=False), f.number(t, "eta_min", required=False)
        return cls(
            number=f.ticket_number(t),
            service=f.segment(t, "service"),
            preference=f.field(t, "preference", str, required=False, default="any", choices=PREFERENCES),
            issued_at=f.timestamp(t, "issued_at"),
            ahead=None if ahead is None else round(ahead),
            eta_min=None if eta is None else round(eta),
            offline=f.field(t, "offline", bool, required=False, default=False),
            booked_at=f.timestamp(t, "booked_at", required=False),
            walk_in=f.field(t, "walk_in", str, required=False, choices=WALK_IN_REASONS),
        )

    def body(self) -> dict[str, Any]:
        return {"number": self.number, "service": self.service, "preference": self.preference, "ahead": self.ahead,
                "eta_min": self.eta_min, "issued_at": iso(self.issued_at), "offline": self.offline,
                **present(booked_at=iso(self.booked_at), walk_in=self.walk_in)}


@dataclass(frozen=True)
class TicketReply(Message):
    """The hub's answer to one ticket request, matched to it by ``id``: the ticket, or why not."""

    id: str
    ok: bool
    ticket: IssuedTicket | None = None
    error: str | None = None

    FIELDS = ("id", "ok", "ticket", "error")

    @classmethod
    def issued(cls, request_id: str, ticket: IssuedTicket) -> "TicketReply":
        return cls(request_id, True, ticket)

    @classmethod
    def refused(cls, request_id: str, error: str) -> "TicketReply":
        return cls(request_id, False, error=shorten(error, MAX_ERROR))

    @classmethod
    def read(cls, data: dict) -> "TicketReply":
        rid, ok = f.command_id(data), f.field(data, "ok", bool)
        f.only(data, ("v", "id", "ok", "ticket" if ok else "error"))
        if not ok:
            return cls(rid, False, error=f.field(data, "error", str))
        return cls(rid, True, IssuedTicket.read(f.field(data, "ticket", dict)))

    def body(self) -> dict[str, Any]:
        if self.ok:
            return {"id": self.id, "ok": True, "ticket": self.ticket.body()}
        return {"id": self.id, "ok": False, "error": self.error}


@dataclass(frozen=True)
class DeskResult(Message):
    """The hub's answer to one desk command, matched to it by ``id``; ``ticket``: the desk's current one."""

    id: str
    action: str
    ok: bool
    error: str | None = None
    ticket: str | None = None

    FIELDS = ("id", "action", "ok", "ticket", "error")

    @classmethod
    def answer(cls, command: DeskCommand, *, ticket: str | None = None, error: str | None = None) -> "DeskResult":
        """Done (with the desk's current ticket, if any), or refused with a one-line reason."""
        if error is not None:
            return cls(command.id, command.action, False, shorten(error, MAX_ERROR))
        return cls(command.id, command.action, True, ticket=ticket)

    @classmethod
    def read(cls, data: dict) -> "DeskResult":
        return cls(
            id=f.command_id(data),
            action=f.field(data, "action", str, choices=DESK_ACTIONS),
            ok=f.field(data, "ok", bool),
            error=f.field(data, "error", str, required=False),
            ticket=f.ticket_number(data, "ticket", required=False),
        )

    def body(self) -> dict[str, Any]:
        body = {"id": self.id, "action": self.action, "ok": self.ok}
        if self.ok or self.ticket is not None:  # a done command always says whom the desk serves now
            body["ticket"] = self.ticket
        return {**body, **present(error=self.error)}


@dataclass(frozen=True)
class TicketAtDesk:
    """A ticket as a desk sees it: number, reason (service id), wait so far, discreet extras.

    The desk's current ticket (``state`` set) also says when it was called and how often;
    ``issued_at``, ``transfers`` and ``first_visit`` travel with it, though a desk shows none of them.
    """

    number: str
    service: str
    waited_min: float
    extras: tuple[str, ...] = ()
    state: str | None = None  # "called" | "serving" for the current ticket
    called_at: datetime | None = None
    recalls: int = 0
    issued_at: datetime | None = None
    transfers: int = 0
    first_visit: bool | None = None

    NEXT_FIELDS = ("number", "service", "waited_min", "extras")
    CURRENT_FIELDS = (*NEXT_FIELDS, "state", "issued_at", "called_at", "recalls", "transfers", "first_visit")

    @classmethod
    def read(cls, data: Any, current: bool) -> "TicketAtDesk":
        if not isinstance(data, dict):
            raise MessageError("a ticket must be an object")
        f.only(data, cls.CURRENT_FIELDS if current else cls.NEXT_FIELDS, "current." if current else "next[].")
        waiting = cls(number=f.ticket_number(data), service=f.segment(data, "service"),
                      waited_min=max(0.0, f.number(data, "waited_min", -f.MAX_COUNT, required=False, default=0.0)),
                      extras=f.one_of_each(data, "extras", EXTRAS, "extra need"))  # a clock ahead: no negative wait
        if not current:
            return waiting
        return replace(waiting, state=f.field(data, "state", str, choices=TICKET_STATES),
                       called_at=f.timestamp(data, "called_at", required=False),
                       recalls=f.integer(data, "recalls", required=False, default=0),
                       issued_at=f.timestamp(data, "issued_at", required=False),
                       transfers=f.integer(data, "transfers", required=False, default=0),
                       first_visit=f.field(data, "first_visit", bool, required=False))

    def body(self) -> dict[str, Any]:
        body = {"number": self.number, "service": self.service, "waited_min": self.waited_min,
                "extras": list(self.extras)}
        if self.state is None:
            return body
        return {**body, "state": self.state, "issued_at": iso(self.issued_at), "called_at": iso(self.called_at),
                "recalls": self.recalls, "transfers": self.transfers, "first_visit": self.first_visit}


@dataclass(frozen=True)
class DeskState(Message):
    """The retained ``desk/<desk>/state``: the desk's status, who it serves, who comes next."""

    desk: str
    status: str
    current: TicketAtDesk | None
    next: tuple[TicketAtDesk, ...]
    waiting: int
    at: datetime
    kind: str | None = None  # "staff" | "volunteer"

    FIELDS = ("desk", "kind", "status", "current", "next", "waiting", "at")

    @classmethod
    def read(cls, data: dict) -> "DeskState":
        current = data.get("current")
        return cls(
            desk=f.segment(data, "desk"),
            status=f.field(data, "status", str, choices=DESK_STATUSES),
            current=None if current is None else TicketAtDesk.read(current, current=True),
            next=tuple(TicketAtDesk.read(t, current=False) for t in f.field(data, "next", list, required=False,
                                                                             default=[])),
            waiting=f.integer(data, "waiting", required=False, default=0),
            at=f.timestamp(data, "at"),
            kind=f.field(data, "kind", str, required=False, choices=DESK_KINDS),
        )

    def body(self) -> dict[str, Any]:
        return {"desk": self.desk, "kind": self.kind, "status": self.status,
                "current": None if self.current is None else self.current.body(),
                "next": [t.body() for t in self.next], "waiting": self.waiting, "at": iso(self.at)}


@dataclass(frozen=True)
class Alert:
    """A device problem staff should see, as a fixed code: a printer out of paper, a kiosk gone."""

    device: str  # "kiosk-1", "board-1", "desk-1/console", "hub"
    problem: str  # one of ALERT_PROBLEMS
    since: datetime | None = None

    FIELDS = ("device", "problem", "since")

    @classmethod
    def read(cls, data: dict) -> "Alert":
        return cls(device=f.field(data, "device", str, pattern=DEVICE_RE),
                   problem=f.field(data, "problem", str, choices=ALERT_PROBLEMS),
                   since=f.timestamp(data, "since", required=False))

    def body(self) -> dict[str, Any]:
        return {"device": self.device, "problem": self.problem, **present(since=iso(self.since))}


@dataclass(frozen=True)
class Alerts(Message):
    """The retained ``alerts`` list; an empty list means all is well."""

    alerts: tuple[Alert, ...] = ()
    at: datetime | None = None

    FIELDS = ("at", "alerts")

    @classmethod
    def read(cls, data: dict) -> "Alerts":
        listed = f.objects(data, "alerts", Alert.FIELDS, required=True)
        return cls(tuple(Alert.read(a) for a in listed), f.timestamp(data, "at", required=False))

    def body(self) -> dict[str, Any]:
        return {**present(at=iso(self.at)), "alerts": [a.body() for a in self.alerts]}
