"""The waiting tickets, kept in call order as they change instead of sorted for every view.

A waiting ticket's rank (``routing.rank_key``) never changes with time, only with the
ticket: it enters the order when issued (or put back by a transfer or a late no-show),
leaves it when called or finished.  Keeping the order costs a binary search per change;
sorting it again cost every view of the queue (a desk's line, the board, "8 foran dig")
a sort of the whole queue.  Pure: the queue calls ``sync`` after every change to a ticket.

An appointment checked in early is *held*: it waits, but no desk may call it before its booked
time, so it joins the order only when ``release`` is told that time has come.
"""
from __future__ import annotations

from bisect import bisect_left
from datetime import datetime
from typing import Iterable

from reception.config import Site

from hub.core import routing
from hub.core.model import WAITING, Ticket


class WaitingOrder:
    def __init__(self, site: Site, tickets: Iterable[Ticket] = (), released: datetime | None = None):
        """``released``: the time up to which booked tickets may be called (None: none yet)."""
        self.site = site
        self.released = released
        self._ranks: list[tuple] = []  # (rank key, ticket key), ascending
        self._tickets: list[Ticket] = []  # in the same order
        self._rank_of: dict[str, tuple] = {}  # ticket key -> its entry in ``_ranks``
        self._held: dict[str, Ticket] = {}  # waiting for their booked time
        for ticket in tickets:
            self.sync(ticket)

    def sync(self, ticket: Ticket) -> None:
        """Put ``ticket`` where its state and rank say now: in its place while it waits, out otherwise."""
        old = self._rank_of.pop(ticket.key, None)
        if old is not None:
            i = bisect_left(self._ranks, old)
            del self._ranks[i], self._tickets[i]
        self._held.pop(ticket.key, None)
        if ticket.state == WAITING and ticket.booked_at and (self.released is None or ticket.booked_at > self.released):
            self._held[ticket.key] = ticket
        elif ticket.state == WAITING:
            rank = self._rank(ticket)
            i = bisect_left(self._ranks, rank)
            self._ranks.insert(i, rank)
            self._tickets.insert(i, ticket)
            self._rank_of[ticket.key] = rank

    def release(self, now: datetime) -> list[Ticket]:
        """Booked tickets whose time has come join the order; those released now."""
        self.released = now if self.released is None else max(self.released, now)
        due = [t for t in self._held.values() if t.booked_at <= self.released]
        for ticket in due:
            self.sync(ticket)
        return due

    def held(self) -> list[Ticket]:
        """Booked tickets waiting for their time, soonest first."""
        return sorted(self._held.values(), key=lambda t: (t.booked_at, t.key))

    def tickets(self) -> list[Ticket]:
        """The waiting tickets in call order (a copy: the caller may keep it while the queue changes)."""
        return list(self._tickets)

    def with_held(self) -> list[Ticket]:
        """The waiting tickets and the held ones, all in the order they rank once the held are due: what
        the estimator plays forward (it holds each until its time)."""
        if not self._held:
            return list(self._tickets)
        ranks, tickets = list(self._ranks), list(self._tickets)
        for ticket in self._held.values():
            i = bisect_left(ranks, rank := self._rank(ticket))
            ranks.insert(i, rank)
            tickets.insert(i, ticket)
        return tickets

    def earlier(self, ticket: Ticket) -> int:
        """How many waiting tickets rank before ``ticket`` (waiting itself or not)."""
        return bisect_left(self._ranks, self._rank_of.get(ticket.key) or self._rank(ticket))

    def __len__(self) -> int:
        return len(self._tickets)

    def _rank(self, ticket: Ticket) -> tuple:
        return routing.rank_key(self.site, ticket), ticket.key
