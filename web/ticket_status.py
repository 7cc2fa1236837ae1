"""Where one ticket stands, as its status page shows it: pure, from what the hub has published.

The page's address holds the token; the hub has published only tokens' hashes (``status/pages``),
so the token is hashed here and looked up.  Position and wait come from the retained ``queue``,
"your turn" from the desks' retained states.  A token that is malformed, unknown, or past the
end of its ticket's day is simply unknown: the page says no more than that.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from reception import protocol

WAITING, CALLED, DONE, UNKNOWN = "waiting", "called", "done", "unknown"


@dataclass(frozen=True)
class TicketStatus:
    state: str  # WAITING, CALLED, DONE or UNKNOWN
    lang: str | None = None  # the ticket's language; None for an unknown token
    number: str | None = None
    position: int | None = None  # 1: next in its line; None until the queue lists it
    eta_min: int | None = None
    desk: str | None = None  # the desk that called it


def hash_of(token: str) -> str | None:
    """The token's hash, or None for something that cannot be a token."""
    return protocol.token_hash(token) if protocol.TOKEN_RE.fullmatch(token) else None


def status_of(token: str, links: Mapping[str, protocol.TicketLink], seen: Mapping[str, protocol.TicketLink],
              parsed: Mapping[str, Any], now: datetime) -> TicketStatus:
    """``links``: the open tickets by hash; ``seen``: every ticket listed today (a ticket that left the
    list is done); ``parsed``: the web's latest retained messages (``queue``, ``desk:<id>``)."""
    key = hash_of(token)
    link = links.get(key) if key else None
    if link is None:
        gone = seen.get(key) if key else None
        if gone is None or now >= gone.expires:
            return TicketStatus(UNKNOWN)
        return TicketStatus(DONE, gone.lang, gone.number)
    if now >= link.expires:
        return TicketStatus(UNKNOWN)
    for name, message in parsed.items():
        if name.startswith("desk:") and message.current is not None and message.current.number == link.number:
            return TicketStatus(CALLED, link.lang, link.number, desk=message.desk)
    queue = parsed.get("queue")
    queued = next((t for t in queue.tickets if t.number == link.number), None) if queue else None
    if queued is None:
        return TicketStatus(WAITING, link.lang, link.number)
    return TicketStatus(WAITING, link.lang, link.number, queued.ahead + 1, queued.eta_min)
