"""What the devices send the hub: ticket requests, first-visit answers, desk commands, kiosk status,
feedback, and every ``available`` (the hub's own too).

These are the hub's intake, so each is held to ``MAX_DEVICE_PAYLOAD`` and read field by field.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reception.errors import MessageError
from reception.protocol import fields as f
from reception.protocol.codes import (ACTION_FIELDS, AVAILABILITY, BOOKING_RE, DESK_ACTIONS, EXTRAS, FEEDBACK_TAGS,
                                      LANG_RE, PREFERENCES, PRINTER_STATES, SLOT_RE, TOKEN_RE)
from reception.protocol.wire import MAX_DEVICE_PAYLOAD, Message, iso, present


@dataclass(frozen=True)
class TicketRequest(Message):
    """A kiosk asks for a ticket.  With ``offline_number`` it hands over one it issued itself.

    ``replaces`` names an earlier request of the same kiosk that got no answer in time: if the
    hub did issue a ticket for it, nobody holds that ticket, and the hub withdraws it.
    ``booking`` (the code the citizen typed) or ``slot`` (picked from the time list) checks in an
    appointment; ``service`` is then what a walk-in gets if the booking cannot be kept.
    ``token`` opens the ticket's status page (``protocol.status``): made once per ticket, sent
    again unchanged with a retry or the hand-over; the hub keeps only its hash.
    """

    id: str
    service: str
    preference: str = "any"
    extras: tuple[str, ...] = ()
    first_visit: bool | None = None
    lang: str = "da"
    offline_number: str | None = None
    issued_at: datetime | None = None
    replaces: str | None = None
    sent_at: datetime | None = None  # the kiosk's clock when it asked: a request replayed after a hub restart may be stale
    booking: str | None = None  # 4-6 digits
    slot: str | None = None  # an opaque slot id from the retained ``appointments`` list
    token: str | None = None

    FIELDS = ("id", "service", "preference", "extras", "first_visit", "lang",
              "offline_number", "issued_at", "replaces", "sent_at", "booking", "slot", "token")
    HAND_OVER_FIELDS = ("issued_at", "replaces")  # only with an offline_number
    LIMIT = MAX_DEVICE_PAYLOAD

    @classmethod
    def read(cls, data: dict) -> "TicketRequest":
        offline = f.ticket_number(data, "offline_number", required=False)
        if offline is None:
            for key in cls.HAND_OVER_FIELDS:
                if data.get(key) is not None:
                    raise MessageError(f"field {key!r} belongs only to a hand-over with 'offline_number'")
        if data.get("booking") is not None and data.get("slot") is not None:
            raise MessageError("give 'booking' or 'slot', not both")
        return cls(
            id=f.command_id(data),
            service=f.segment(data, "service"),
            preference=f.field(data, "preference", str, required=False, default="any", choices=PREFERENCES),
            extras=f.one_of_each(data, "extras", EXTRAS, "extra need"),
            first_visit=f.field(data, "first_visit", bool, required=False),
            lang=f.field(data, "lang", str, required=False, default="da", pattern=LANG_RE),
            offline_number=offline,
            issued_at=f.timestamp(data, "issued_at", required=offline is not None),
            replaces=f.command_id(data, "replaces", required=False),
            sent_at=f.timestamp(data, "sent_at", required=False),
            booking=f.field(data, "booking", str, required=False, pattern=BOOKING_RE),
            slot=f.field(data, "slot", str, required=False, pattern=SLOT_RE),
            token=f.field(data, "token", str, required=False, pattern=TOKEN_RE),
        )

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "service": self.service, "preference": self.preference, "extras": list(self.extras),
                "first_visit": self.first_visit, "lang": self.lang,
                **present(offline_number=self.offline_number, issued_at=iso(self.issued_at), replaces=self.replaces,
                          sent_at=iso(self.sent_at), booking=self.booking, slot=self.slot, token=self.token)}


@dataclass(frozen=True)
class TicketFirstVisit(Message):
    """The citizen's answer to "is this your first visit about this?", given on the ticket screen.

    It comes after the number, so the question never stands between a citizen and a ticket;
    ``number`` is a ticket this kiosk issued today.
    """

    id: str
    number: str
    first_visit: bool

    FIELDS = ("id", "number", "first_visit")
    LIMIT = MAX_DEVICE_PAYLOAD

    @classmethod
    def read(cls, data: dict) -> "TicketFirstVisit":
        return cls(f.command_id(data), f.ticket_number(data), f.field(data, "first_visit", bool))

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "first_visit": self.first_visit}


@dataclass(frozen=True)
class DeskCommand(Message):
    """One button press or console key.  ``ticket`` for call, ``service``/``to_kind`` for transfer."""

    id: str
    action: str
    ticket: str | None = None
    service: str | None = None
    to_kind: str | None = None

    FIELDS = ("id", "action", "ticket", "service", "to_kind")
    LIMIT = MAX_DEVICE_PAYLOAD

    @classmethod
    def read(cls, data: dict) -> "DeskCommand":
        action = f.field(data, "action", str, choices=DESK_ACTIONS)
        for key in ("ticket", "service", "to_kind"):
            if data.get(key) is not None and key not in ACTION_FIELDS.get(action, ()):
                raise MessageError(f"field {key!r} does not go with action {action!r}")
        f.field(data, "ticket", str, required=action == "call")
        ticket = f.ticket_number(data, "ticket", required=False)
        to_kind = f.field(data, "to_kind", str, required=False, choices=("staff", "volunteer"))
        service = f.segment(data, "service", required=False)
        if action == "transfer" and not (to_kind or service):
            raise MessageError("transfer needs 'to_kind' or 'service'")
        return cls(f.command_id(data), action, ticket, service, to_kind)

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "action": self.action,
                **present(ticket=self.ticket, service=self.service, to_kind=self.to_kind)}


@dataclass(frozen=True)
class KioskStatus(Message):
    """A kiosk's retained status: fixed codes and counts only, never text a device made up."""

    printer: str = "ok"
    outbox: int = 0

    FIELDS = ("printer", "outbox")
    LIMIT = MAX_DEVICE_PAYLOAD

    @classmethod
    def read(cls, data: dict) -> "KioskStatus":
        return cls(printer=f.field(data, "printer", str, choices=PRINTER_STATES),
                   outbox=f.integer(data, "outbox", required=False, default=0))

    def body(self) -> dict[str, Any]:
        return {"printer": self.printer, "outbox": self.outbox}


@dataclass(frozen=True)
class Feedback(Message):
    """An anonymous answer at the kiosk: a face (1-5), optional fixed reasons, optionally the visit reason.

    ``kiosk/<kiosk>/feedback``; no free text is accepted, so none can carry personal data.
    """

    id: str
    score: int
    tags: tuple[str, ...] = ()
    service: str | None = None
    at: datetime | None = None  # when the citizen answered (a kiosk may send it late from its outbox)

    FIELDS = ("id", "score", "tags", "service", "at")
    LIMIT = MAX_DEVICE_PAYLOAD

    @classmethod
    def read(cls, data: dict) -> "Feedback":
        return cls(f.command_id(data), f.integer(data, "score", 1, 5),
                   f.one_of_each(data, "tags", FEEDBACK_TAGS, "feedback reason"),
                   f.segment(data, "service", required=False), f.timestamp(data, "at", required=False))

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "score": self.score, "tags": list(self.tags), "service": self.service,
                **present(at=iso(self.at))}


@dataclass(frozen=True)
class Availability(Message):
    """A retained ``available``: the hub's or one device's; "offline" is its Last Will, "stopped" a clean exit."""

    status: str

    FIELDS = ("status",)
    LIMIT = MAX_DEVICE_PAYLOAD

    @classmethod
    def read(cls, data: dict) -> "Availability":
        return cls(f.field(data, "status", str, choices=AVAILABILITY))

    def body(self) -> dict[str, Any]:
        if self.status not in AVAILABILITY:
            raise ValueError(self.status)
        return {"status": self.status}
