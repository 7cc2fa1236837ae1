"""What became of a citizen's booking, in one word the screen and the paper both explain; the time list's pages.

Pure (no Kivy): the hub says why a booking became an ordinary ticket (``walk_in``: "late" or
"unknown"); the kiosk adds "unchecked" for a booking it had to number alone, while the hub was
away, so nobody is told their code was wrong when it was never looked at.
"""
from __future__ import annotations

from typing import Sequence, TypeVar

from kiosk.flow import Order
from reception.protocol import IssuedTicket

BOOKED, LATE, UNKNOWN, UNCHECKED = "booked", "late", "unknown", "unchecked"

T = TypeVar("T")


def outcome(order: Order, ticket: IssuedTicket) -> str | None:
    """``booked`` (checked in: the ticket carries the booked time), ``late`` or ``unknown`` (the hub
    made it an ordinary ticket, and says why), ``unchecked`` (issued offline), or None: no booking."""
    if not order.checking_in:
        return None
    if ticket.offline:
        return UNCHECKED
    if ticket.walk_in in (LATE, UNKNOWN):
        return ticket.walk_in
    return BOOKED if ticket.booked_at is not None else None


def page_of(items: Sequence[T], page: int, size: int) -> tuple[list[T], int, int]:
    """The items on ``page`` (clamped to the pages there are), that page's number and how many pages there are."""
    size = max(1, size)
    count = max(1, -(-len(items) // size))
    page = min(max(0, page), count - 1)
    return list(items[page * size:(page + 1) * size]), page, count
