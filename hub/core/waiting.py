"""The waiting tickets, kept in call order as they change instead of sorted for every view.

A waiting ticket's rank (``routing.rank_key``) never changes with time, only with the
ticket: it enters the order when issued (or put back by a transfer or a late no-show),
leaves it when called or finished.  Keeping the order costs a binary search per change;
sorting it again cost every view of the queue (a desk's line, the board, "8 foran dig")
a sort of the whole queue.  Pure: the queue calls ``sync`` after every change to a ticket.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable

from reception.config import Site

from hub.core import routing
from hub.core.model import WAITING, Ticket


class WaitingOrder:
    def __init__(self, site: Site, tickets: Iterable[Ticket] = ()):
        self.site = site
        self._ranks: list[tuple] = []  # (rank key, ticket key), ascending
        self._tickets: list[Ticket] = []  # in the same order
        self._rank_of: dict[str, tuple] = {}  # ticket key -> its entry in ``_ranks``
        for ticket in tickets:
            self.sync(ticket)

    def sync(self, ticket: Ticket) -> None:
        """Put ``ticket`` where its state and rank say now: in its place while it waits, out otherwise."""
        old = self._rank_of.pop(ticket.key, None)
        if old is not None:
            i = bisect_left(self._ranks, old)
            del self._ranks[i], self._tickets[i]
        if ticket.state == WAITING:
            rank = self._rank(ticket)
            i = bisect_left(self._ranks, rank)
            self._ranks.insert(i, rank)
            self._tickets.insert(i, ticket)
            self._rank_of[ticket.key] = rank

    def tickets(self) -> list[Ticket]:
        """The waiting tickets in call order (a copy: the caller may keep it while the queue changes)."""
        return list(self._tickets)

    def earlier(self, ticket: Ticket) -> int:
        """How many waiting tickets rank before ``ticket`` (waiting itself or not)."""
        return bisect_left(self._ranks, self._rank_of.get(ticket.key) or self._rank(ticket))

    def __len__(self) -> int:
        return len(self._tickets)

    def _rank(self, ticket: Ticket) -> tuple:
        return routing.rank_key(self.site, ticket), ticket.key
