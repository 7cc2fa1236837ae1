"""The queue: every rule about tickets and desks, as operations that return their ``Effects``.

Pure: no clock (``now`` is an argument), no I/O, no threads.  The hub adapter
persists the effects of an operation before it tells anyone, and rebuilds this
object from the stored tickets and desks after a restart.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Iterable, Iterator

from reception import schedule
from reception.config import Site
from reception.errors import QueueError

from hub.core import numbering, routing
from hub.core.issuing import Issuing
from hub.core.model import (CALLED, DESK_CLOSED, DESK_OPEN, DESK_PAUSED, EXPIRED, NO_SHOW, SERVED,
                            WAITING, Desk, Effects, Event, Ticket)
from hub.core.waiting import WaitingOrder

ROUTING_TABLES = 32  # sets of open desks whose routing is remembered (a day sees a handful)


class Queue(Issuing):
    """All tickets of the current and recent days, and every desk's state (the kiosk's operations: ``Issuing``)."""

    def __init__(self, site: Site, tickets: Iterable[Ticket] = (), desks: Iterable[Desk] = ()):
        self.tickets: dict[str, Ticket] = {t.key: t for t in tickets}
        self.desks: dict[str, Desk] = {d.id: d for d in desks}
        self._stretch: routing.Lines | None = None  # see ``steady``
        self._released: datetime | None = None  # booked tickets may be called up to this time (``release``)
        self.site = site
        for did in site.desks:
            self.desks.setdefault(did, Desk(did))
        self._last: dict[tuple[str, str], int] = {}
        reserved = site.reserved_numbers()
        for t in self.tickets.values():
            letter, n = numbering.parse_number(t.number)
            if not numbering.in_ranges(n, reserved):
                self._last[(t.day, letter)] = max(n, self._last.get((t.day, letter), 0))

    @property
    def site(self) -> Site:
        return self._site

    @site.setter
    def site(self, site: Site) -> None:
        """The site's rules, replaced when the office changes today's setup: who may take whom and the
        call order are worked out again for them."""
        self._site = site
        self._tables: dict[tuple[str, ...], routing.Lines] = {}  # see ``_lines``
        self._order = WaitingOrder(site, self.tickets.values(), self._released)

    # -- views -------------------------------------------------------------

    def waiting(self) -> list[Ticket]:
        """Waiting tickets, in the order the desks would take them if all could take all."""
        return self._order.tickets()

    def held(self) -> list[Ticket]:
        """Checked-in appointments waiting for their booked time (no desk calls them before it), soonest first."""
        return self._order.held()

    def waiting_and_held(self) -> list[Ticket]:
        """``waiting`` with the held appointments in the places they will rank from their booked time on."""
        return self._order.with_held()

    def release(self, now: datetime) -> list[Ticket]:
        """Booked tickets whose time has come may be called from now on; those released now.  Every call
        asks first, and the hub's ticker asks, so views show them from their time on."""
        self._released = now if self._released is None else max(self._released, now)
        return self._order.release(now)

    @contextmanager
    def steady(self) -> Iterator["Queue"]:
        """A stretch in which nothing changes the queue (its views are built and published): who may
        take whom is worked out once for all of them, not once per desk."""
        self._stretch = self._lines()
        try:
            yield self
        finally:
            self._stretch = None

    def _lines(self) -> routing.Lines:
        """Who takes whom with the desks open now: worked out once per set of open desks (there are few)."""
        if self._stretch:
            return self._stretch
        open_desks = self.open_desks()
        key = tuple(d.id for d in open_desks)
        if key not in self._tables:
            if len(self._tables) >= ROUTING_TABLES:
                self._tables.clear()
            self._tables[key] = routing.Lines(self.site, open_desks, self.site.desks.values())
        return self._tables[key]

    def open_desks(self) -> list:
        """Configurations of the desks that take calls now (open, not paused)."""
        return [self.site.desks[d.id] for d in self.desks.values() if d.status == DESK_OPEN]

    def desk_queue(self, desk_id: str) -> list[Ticket]:
        """The waiting tickets this desk may take, in the order it would take them."""
        return self._lines().line(self.site.desks[desk_id], self.waiting())

    def ahead(self, ticket: Ticket) -> int:
        """How many waiting citizens will be called before this one (see ``routing.Lines.ahead_of``)."""
        return len(self._lines().ahead_of(ticket, self.waiting(), self._order.earlier(ticket)))

    def ahead_all(self) -> dict[str, int]:
        """``ahead`` of every waiting ticket, by key, in one pass (for snapshots of the whole queue)."""
        return self._lines().ahead_counts(self.waiting())

    def current(self, desk_id: str) -> Ticket | None:
        key = self.desks[desk_id].current
        return self.tickets.get(key) if key else None

    def find(self, number: str, now: datetime) -> Ticket | None:
        """Today's ticket with this number."""
        return self.tickets.get(f"{self.day(now)}/{number}")

    def day(self, now: datetime) -> str:
        """The site's local date at ``now``: the day tickets and bookings belong to."""
        return schedule.local_day(self.site, now)

    # -- desks -------------------------------------------------------------

    def command(self, desk_id: str, action: str, now: datetime, *, ticket: str | None = None,
                service: str | None = None, to_kind: str | None = None) -> Effects:
        """Carry out one desk command; raise QueueError (and change nothing) when it cannot be done."""
        if desk_id not in self.site.desks:
            raise QueueError(f"unknown desk {desk_id!r}")
        handler = {
            "next": lambda: self.call_next(desk_id, now),
            "recall": lambda: self.recall(desk_id, now),
            "noshow": lambda: self.no_show(desk_id, now),
            "done": lambda: self.done(desk_id, now),
            "transfer": lambda: self.transfer(desk_id, now, service=service, to_kind=to_kind),
            "call": lambda: self.call_number(desk_id, ticket or "", now),
            "open": lambda: self.set_status(desk_id, DESK_OPEN, now),
            "pause": lambda: self.set_status(desk_id, DESK_PAUSED, now),
            "close": lambda: self.set_status(desk_id, DESK_CLOSED, now),
        }.get(action)
        if handler is None:
            raise QueueError(f"unknown action {action!r}")
        return handler()

    def call_next(self, desk_id: str, now: datetime) -> Effects:
        """Finish the current citizen and call the next; a quick second press only repeats nothing."""
        self.release(now)
        desk = self.desks[desk_id]
        guard = timedelta(seconds=self.site.queue.double_press_guard_seconds)
        if desk.current and desk.last_call_at and now - desk.last_call_at < guard:
            return Effects()  # a double press: the citizen just called keeps their turn
        effects = Effects()
        if desk.status != DESK_OPEN:
            effects.merge(self.set_status(desk_id, DESK_OPEN, now))
        nxt = self._lines().pick_next(self.site.desks[desk_id], self.waiting())
        effects.merge(self._finish_current(desk, SERVED, now))
        if nxt is None:
            effects.touch(desk)
            return effects
        effects.merge(self._call(desk, nxt, now))
        return effects

    def call_number(self, desk_id: str, number: str, now: datetime) -> Effects:
        """Call one chosen ticket out of order (a citizen who must be taken now, or a late no-show)."""
        desk = self.desks[desk_id]
        ticket = self.find(number, now)
        if ticket is None:
            raise QueueError(f"no ticket {number} today")
        if ticket.state == NO_SHOW:
            grace = timedelta(minutes=self.site.queue.no_show_grace_minutes)
            if now - ticket.finished_at > grace:
                raise QueueError(f"{number} was marked no-show more than {grace} ago")
        elif ticket.state != WAITING:
            raise QueueError(f"{number} is {ticket.state}, not waiting")
        desk_cfg = self.site.desks[desk_id]
        if not routing.serves(self.site, desk_cfg, ticket.service):
            raise QueueError(f"{desk_id} may not serve {ticket.service!r}")
        if desk_cfg.kind == "volunteer" and ticket.preference == "staff":
            raise QueueError(f"{number} asked for staff, not a volunteer")
        effects = Effects()
        if desk.status != DESK_OPEN:
            effects.merge(self.set_status(desk_id, DESK_OPEN, now))
        effects.merge(self._finish_current(desk, SERVED, now))
        if ticket.state == NO_SHOW:
            ticket.state, ticket.finished_at = WAITING, None
        effects.merge(self._call(desk, ticket, now))
        return effects

    def recall(self, desk_id: str, now: datetime) -> Effects:
        desk = self.desks[desk_id]
        ticket = self._require_current(desk)
        ticket.recalls += 1
        ticket.called_at = desk.last_call_at = now
        effects = Effects()
        effects.touch(ticket, desk)
        effects.events.append(Event("recalled", now, ticket.key, desk_id, {"recalls": ticket.recalls}))
        return effects

    def done(self, desk_id: str, now: datetime) -> Effects:
        desk = self.desks[desk_id]
        self._require_current(desk)
        return self._finish_current(desk, SERVED, now)

    def no_show(self, desk_id: str, now: datetime) -> Effects:
        desk = self.desks[desk_id]
        self._require_current(desk)
        return self._finish_current(desk, NO_SHOW, now)

    def transfer(self, desk_id: str, now: datetime, *, service: str | None = None,
                 to_kind: str | None = None) -> Effects:
        """Hand the current citizen on (e.g. volunteer to staff), keeping their original arrival time."""
        desk = self.desks[desk_id]
        ticket = self._require_current(desk)
        new_service = self._service(service or ticket.service)
        kind = to_kind or ("staff" if new_service.served_by == {"staff"} else "any")
        if kind != "any" and kind not in new_service.served_by:
            raise QueueError(f"{new_service.id!r} cannot be served by {kind}")
        if not any(routing.serves(self.site, d, new_service.id) and kind in ("any", d.kind)
                   for d in self.site.desks.values()):
            raise QueueError(f"no desk can take {new_service.id!r} from {kind}")
        ticket.original_service = ticket.original_service or ticket.service
        ticket.service = new_service.id
        ticket.preference = kind
        ticket.transfers += 1
        ticket.state, ticket.desk = WAITING, None
        self._order.sync(ticket)  # back in the queue, ranked by its new service's priority
        desk.current = None
        effects = Effects()
        effects.touch(ticket, desk)
        effects.events.append(Event("transferred", now, ticket.key, desk_id,
                                    {"from_kind": self.site.desks[desk_id].kind, "to_kind": kind,
                                     "service": new_service.id}))
        return effects

    def set_status(self, desk_id: str, status: str, now: datetime) -> Effects:
        """Open, pause or close a desk; closing finishes whoever is at the desk.  A desk the office closed
        for the day (``Site.office``) stays closed."""
        if status != DESK_CLOSED and desk_id in self.site.office.closed_desks:
            raise QueueError(f"{desk_id} is closed today by the office")
        desk = self.desks[desk_id]
        effects = Effects()
        if status == DESK_CLOSED:
            effects.merge(self._finish_current(desk, SERVED, now))
        if desk.status != status:
            desk.status, desk.status_since = status, now
            effects.events.append(Event(f"desk_{status}", now, None, desk_id))
        effects.touch(desk)
        return effects

    # -- the day -----------------------------------------------------------

    def expire_due(self, now: datetime) -> Effects:
        """The day's end: what was open at closing expires (after a margin), and everything at midnight.

        Only what began before closing ends with it: a ticket issued or a desk opened after hours
        (staff working late) lasts until midnight instead of vanishing at once.
        """
        today = schedule.local_day(self.site, now)
        closing = schedule.closing_time(self.site, now)
        after_close = closing is not None and now >= closing + timedelta(
            minutes=self.site.queue.expire_after_close_minutes)

        def ended(day: str, since: datetime | None) -> bool:
            return day < today or (after_close and since is not None and since < closing)

        effects = Effects()
        for ticket in list(self.tickets.values()):
            if ticket.is_open and ended(ticket.day, ticket.issued_at):
                effects.merge(self._expire(ticket, now))
        for desk in self.desks.values():
            since = desk.status_since or desk.last_call_at
            if desk.status != DESK_CLOSED and since is not None and ended(schedule.local_day(self.site, since), since):
                effects.merge(self.set_status(desk.id, DESK_CLOSED, now))
        return effects

    def _expire(self, ticket: Ticket, now: datetime) -> Effects:
        effects = Effects()
        for desk in self.desks.values():
            if desk.current == ticket.key:
                desk.current = None
                effects.touch(desk)
        effects.merge(self._finish(ticket, EXPIRED, now))
        return effects

    def forget_before(self, day: str) -> list[str]:
        """Drop finished tickets of days before ``day`` from memory (they stay in the store until purged)."""
        old = [k for k, t in self.tickets.items() if t.day < day and not t.is_open]
        for k in old:
            del self.tickets[k]
        for key in [k for k in self._last if k[0] < day]:
            del self._last[key]
        return old

    # -- helpers -----------------------------------------------------------

    def _call(self, desk: Desk, ticket: Ticket, now: datetime) -> Effects:
        ticket.state, ticket.desk, ticket.called_at = CALLED, desk.id, now
        ticket.first_called_at = ticket.first_called_at or now
        self._order.sync(ticket)
        desk.current, desk.last_call_at = ticket.key, now
        effects = Effects()
        effects.touch(ticket, desk)
        effects.events.append(Event("called", now, ticket.key, desk.id))
        return effects

    def _finish_current(self, desk: Desk, state: str, now: datetime) -> Effects:
        ticket = self.tickets.get(desk.current) if desk.current else None
        desk.current = None
        effects = Effects()
        effects.touch(desk)
        if ticket is not None and ticket.state == CALLED:
            ticket.served_by_kind = self.site.desks[desk.id].kind
            effects.merge(self._finish(ticket, state, now, desk.id))
        return effects

    def _finish(self, ticket: Ticket, state: str, now: datetime, desk_id: str | None = None) -> Effects:
        ticket.state, ticket.finished_at = state, now
        self._order.sync(ticket)
        effects = Effects()
        effects.touch(ticket)
        effects.events.append(Event(state, now, ticket.key, desk_id))
        return effects

    def _require_current(self, desk: Desk) -> Ticket:
        ticket = self.tickets.get(desk.current) if desk.current else None
        if ticket is None:
            raise QueueError(f"{desk.id} is not serving anyone")
        return ticket

    def _service(self, service: str):
        svc = self.site.services.get(service)
        if svc is None:
            raise QueueError(f"unknown service {service!r}")
        return svc
