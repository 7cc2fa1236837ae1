"""Tickets issued since the last estimate pass, waiting for their wait estimate and answer.

The forward simulation behind a new ticket's estimate costs time in proportion to the
queue, so the hub runs it once for every ticket issued in one stretch of work (a
commit group), not once per ticket: the intake ends the group when it runs dry or
has handled ``GROUP_MAX`` messages, and so does any change to one of its tickets (a
desk calling it at once), so that a ticket's issue is always stored before its call.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterator

from reception import protocol

from hub import views
from hub.core.estimate import not_before_booked
from hub.core.model import WAITING, Effects, Ticket
from hub.core.queue import Queue

GROUP_MAX = 64  # messages handled before the group is estimated anyway (bounds the answer's delay)


@dataclass
class Issued:
    """A ticket issued for a request, its effects, and where its answer goes once estimated."""

    ticket: Ticket
    effects: Effects
    request_id: str
    key: str
    reply_topic: str
    ack: Callable[[], None]
    at: datetime
    walk_in: str | None = None  # why a booking became a walk-in ticket (``hub.core.checkin``)
    statements: tuple[tuple[str, tuple], ...] = ()  # the booking's check-in, stored with the ticket


@dataclass
class IssuedGroup:
    items: list[Issued] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # their command keys
    tickets: set[str] = field(default_factory=set)  # their ticket keys

    def add(self, item: Issued) -> None:
        self.items.append(item)
        self.keys.add(item.key)
        self.tickets.add(item.ticket.key)

    def touched_by(self, effects: Effects) -> bool:
        return bool(self.tickets) and not self.tickets.isdisjoint(effects.tickets)

    def clear(self) -> list[Issued]:
        items, self.items = self.items, []
        self.keys.clear()
        self.tickets.clear()
        return items

    def answers(self, estimator, queue: Queue, now: datetime) -> Iterator[tuple[Issued, bytes]]:
        """Empty the group: each ticket with its answer, the waits from one pass (``eta_at_issue`` set)."""
        items = self.clear()
        if not items:
            return
        tickets = [i.ticket for i in items]
        ahead = lines_ahead(queue, tickets)
        for item, (eta, _) in zip(items, estimate_issued(estimator, queue, now, tickets)):
            eta = not_before_booked(item.ticket, eta, now)
            if item.ticket.eta_at_issue is None:
                item.ticket.eta_at_issue = eta
                item.effects.touch(item.ticket)
            view = views.ticket_view(item.ticket, eta, ahead[item.ticket.key], item.walk_in)
            yield item, protocol.TicketReply.issued(item.request_id, view).to_payload()


def lines_ahead(queue: Queue, tickets: list[Ticket]) -> dict[str, int]:
    """Those before each ticket in its own line ("8 foran dig"), not everyone the office calls sooner:
    one count for a lone ticket, one pass over the queue for a group."""
    if len(tickets) == 1:  # called already (a desk was quicker than this answer): nobody is ahead any more
        ticket = tickets[0]
        return {ticket.key: queue.ahead(ticket) if ticket.state == WAITING else 0}
    counts = queue.ahead_all()
    return {t.key: counts.get(t.key, 0) for t in tickets}


def together(estimator) -> bool:
    """Whether the estimator estimates a group in one pass; if not, grouping would only delay answers."""
    return hasattr(estimator, "estimate_issued")


def estimate_issued(estimator, queue: Queue, now: datetime, tickets: list[Ticket]) -> list[tuple[float | None, int]]:
    """(wait, ahead) of each ticket, from one simulation where the estimator offers that."""
    if together(estimator):
        return estimator.estimate_issued(queue, now, tickets)
    return [estimator.estimate_new(queue, now, t) for t in tickets]
