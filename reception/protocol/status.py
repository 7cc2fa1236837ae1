"""What the citizen's phone page and a municipality's own SMS gateway need: which ticket a status-page
token belongs to, and the event when a ticket comes near the front of its line.

A token travels only from the kiosk (or the front desk) to the hub, inside the ticket request, and
from the printed QR code to the web service, inside the page's address.  The hub publishes
nothing but its SHA-256 (``token_hash``), on a topic only the web service may read: what the
broker carries cannot open anyone's page.  Nothing personal: a number, a language, times.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from reception.protocol import fields as f
from reception.protocol.codes import LANG_RE, TOKEN_HASH_RE
from reception.protocol.lists import ListAsOf
from reception.protocol.wire import Message, iso

TOKEN_BYTES = 16  # 128 bits: unguessable, and short enough for a small QR code


def new_token() -> str:
    """A fresh token for one ticket's status page (22 URL-safe characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the hub keeps and publishes of a token: its SHA-256 in hex (a 128-bit secret needs no salt)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class TicketLink:
    """One open ticket with a status page: the token's hash, the number, the page's language, its end."""

    hash: str
    number: str
    lang: str
    expires: datetime  # the end of the ticket's local day: the page says "unknown" from then on

    FIELDS = ("hash", "number", "lang", "expires")

    @classmethod
    def read(cls, data: dict) -> "TicketLink":
        return cls(f.field(data, "hash", str, pattern=TOKEN_HASH_RE), f.ticket_number(data),
                   f.field(data, "lang", str, pattern=LANG_RE), f.timestamp(data, "expires"))

    def body(self) -> dict[str, Any]:
        return {"hash": self.hash, "number": self.number, "lang": self.lang, "expires": iso(self.expires)}


@dataclass(frozen=True)
class TicketLinks(ListAsOf, Message):
    """The retained ``status/pages`` (hub -> web only): every open ticket that has a status page, and
    (``finished``) the latest of the day's finished ones, newest first, so that a web service started
    since still says "done" on their pages rather than "unknown"."""

    at: datetime
    tickets: tuple[TicketLink, ...] = ()
    finished: tuple[TicketLink, ...] = ()

    FIELDS = ("at", "tickets", "finished")
    ITEMS, ITEM = "tickets", TicketLink

    @classmethod
    def read(cls, data: dict) -> "TicketLinks":
        finished = tuple(TicketLink.read(item) for item in f.objects(data, "finished", TicketLink.FIELDS))
        return replace(super().read(data), finished=finished)

    def body(self) -> dict[str, Any]:
        return {**super().body(), **({"finished": [t.body() for t in self.finished]} if self.finished else {})}


@dataclass(frozen=True)
class NearEvent(Message):
    """``events/near``: a ticket now stands ``position``-th in its line (``[integration] near_position``).

    Sent once per ticket; ``id`` is the same for that ticket whenever it is sent (a hub restarted
    may send it again), so a gateway texts a citizen once per id.
    """

    id: str
    number: str
    service: str
    position: int
    lang: str
    at: datetime

    FIELDS = ("id", "number", "service", "position", "lang", "at")

    @classmethod
    def read(cls, data: dict) -> "NearEvent":
        return cls(f.command_id(data), f.ticket_number(data), f.segment(data, "service"),
                   f.integer(data, "position", 1), f.field(data, "lang", str, pattern=LANG_RE),
                   f.timestamp(data, "at"))

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "service": self.service, "position": self.position,
                "lang": self.lang, "at": iso(self.at)}
