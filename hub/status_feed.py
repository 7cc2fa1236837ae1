"""What the citizen's phone page and a municipality's SMS gateway learn from the hub.

The web service gets the retained ``status/pages``: each open ticket's token hash, number,
language and the end of its day, so a phone's page finds its ticket without any token crossing
the broker.  The list changes only when a ticket with a page is issued or leaves the queue; it is
rebuilt then, on the hub's next refresh (within half a second), not on the path of a call or an
issue: it lists every open ticket (about 140 bytes each).  A gateway gets ``events/near`` once per ticket, when it
first stands ``[integration] near_position``-th or nearer in its own line.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from reception.config import Site
from reception.protocol import NearEvent, QueueSnapshot, TicketLink, TicketLinks

from hub.core.model import Ticket


def day_end(site: Site, day: str) -> datetime:
    """The local midnight that ends ``day``: a ticket's page expires then."""
    return datetime.combine(date.fromisoformat(day) + timedelta(days=1), time(0), tzinfo=site.tz)


def has_page(ticket: Ticket) -> bool:
    return ticket.is_open and ticket.token_hash is not None


class StatusFeed:
    """The links last published, and the tickets already announced as near (in memory: a restarted
    hub may announce one again, under the same id)."""

    def __init__(self):
        self.published: frozenset[str] | None = None  # keys of the tickets in the last list; None: publish anew
        self.changed = True  # the list is due
        self.near_sent: set[str] = set()

    def note(self, tickets) -> None:
        """The list is due when any of these changed tickets joins or leaves it."""
        listed = self.published or frozenset()
        self.changed = self.changed or self.published is None or any(has_page(t) != (t.key in listed) for t in tickets)

    def links(self, site: Site, tickets, now: datetime) -> TicketLinks | None:
        """The list, when it differs from the one published last (else None)."""
        self.changed = False
        open_ = sorted((t for t in tickets if has_page(t)), key=lambda t: t.key)
        keys = frozenset(t.key for t in open_)
        if keys == self.published:
            return None
        self.published = keys
        return TicketLinks(now, tuple(TicketLink(t.token_hash, t.number, t.lang, day_end(site, t.day)) for t in open_))

    def near(self, site: Site, waiting: list[Ticket], snapshot: QueueSnapshot, now: datetime) -> list[NearEvent]:
        """Events for the waiting tickets that have come ``near_position``-th or nearer since last time;
        ``snapshot`` lists ``waiting`` first, in the same order, with how many stand ahead of each (the
        early appointments after them are not called before their time: not near)."""
        if site.integration is None:
            return []
        limit, events = site.integration.near_position, []
        for ticket, queued in zip(waiting, snapshot.tickets):
            if queued.ahead + 1 <= limit and ticket.key not in self.near_sent:
                self.near_sent.add(ticket.key)
                events.append(NearEvent(f"near:{ticket.day}:{ticket.number}", ticket.number, ticket.service,
                                        queued.ahead + 1, ticket.lang, now))
        self.near_sent.intersection_update(t.key for t in waiting)
        return events
