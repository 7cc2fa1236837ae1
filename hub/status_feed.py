"""What the citizen's phone page and a municipality's SMS gateway learn from the hub.

The web service gets the retained ``status/pages``: each open ticket's token hash, number,
language and the end of its day, so a phone's page finds its ticket without any token crossing
the broker.  The list changes only when a ticket with a page is issued or leaves the queue; it is
rebuilt then, on the hub's next refresh (within half a second), not on the path of a call or an
issue: it lists every open ticket (about 140 bytes each), and the day's latest ``FINISHED_LISTED``
finished ones, so that a web service restarted since still knows their pages as "done" (a bounded
tail, which gives way to open tickets: ``LISTED_MAX`` in all stay under the size limit).
A gateway gets ``events/near`` once per ticket, when it first stands ``[integration] near_position``-th
or nearer in its own line.
"""
from __future__ import annotations

import heapq
from datetime import date, datetime, time, timedelta

from reception import schedule
from reception.config import Site
from reception.protocol import NearEvent, QueueSnapshot, TicketLink, TicketLinks

from hub.core.model import Ticket

FINISHED_LISTED = 200  # the day's latest finished tickets in the list: about 28 KB
LISTED_MAX = 1800  # open and finished together (about 142 bytes each) stay under the 256 KiB limit; open ones first

def day_end(site: Site, day: str) -> datetime:
    """The local midnight that ends ``day``: a ticket's page expires then."""
    return datetime.combine(date.fromisoformat(day) + timedelta(days=1), time(0), tzinfo=site.tz)


def has_page(ticket: Ticket) -> bool:
    return ticket.is_open and ticket.token_hash is not None


def finished_today(tickets, today: str, room: int) -> list[Ticket]:
    """The day's latest finished tickets that have a page, the newest first: ``FINISHED_LISTED``, or
    fewer when the open ones leave less ``room``."""
    done = (t for t in tickets if t.day == today and not t.is_open and t.token_hash and t.finished_at)
    return heapq.nlargest(max(0, min(FINISHED_LISTED, room)), done, key=lambda t: (t.finished_at, t.key))


def link(site: Site, ticket: Ticket) -> TicketLink:
    return TicketLink(ticket.token_hash, ticket.number, ticket.lang, day_end(site, ticket.day))


class StatusFeed:
    """The links last published, and the tickets already announced as near (in memory: a restarted
    hub may announce one again, under the same id)."""

    def __init__(self):
        # keys of the open and of the finished tickets in the last list; None: publish anew
        self.published: tuple[frozenset[str], tuple[str, ...]] | None = None
        self.changed = True  # the list is due
        self.near_sent: set[str] = set()

    def note(self, tickets) -> None:
        """The list is due when any of these changed tickets joins or leaves it."""
        listed = self.published[0] if self.published else frozenset()
        self.changed = self.changed or self.published is None or any(has_page(t) != (t.key in listed) for t in tickets)

    def links(self, site: Site, tickets, now: datetime) -> TicketLinks | None:
        """The list, when it differs from the one published last (else None)."""
        self.changed = False
        open_ = sorted((t for t in tickets if has_page(t)), key=lambda t: t.key)
        finished = finished_today(tickets, schedule.local_day(site, now), LISTED_MAX - len(open_))
        keys = (frozenset(t.key for t in open_), tuple(t.key for t in finished))
        if keys == self.published:
            return None
        self.published = keys
        return TicketLinks(now, tuple(link(site, t) for t in open_), tuple(link(site, t) for t in finished))

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
