"""Estimated waits: how long until a ticket is called.

``WaitEstimator`` is the small interface the hub uses; ``ForwardSimulation`` is
the first implementation.  It replays the real routing rules forward in time:
each open desk becomes free when its current visit should end, takes the ticket
the routing would give it, and is busy for that service's typical duration.  The
typical durations are learned from the site's own finished visits
(``ServiceTimes``), starting from the configured means.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from reception.config import DESK_KINDS, Site

from hub.core import routing
from hub.core.model import Ticket
from hub.core.queue import Queue

PHANTOM = "~new"


@dataclass
class Estimates:
    """Minutes until called; None where no open desk can take the ticket."""

    tickets: dict[str, float | None] = field(default_factory=dict)  # by ticket key
    ahead: dict[str, int] = field(default_factory=dict)  # by ticket key
    services: dict[str, dict[str, float | None]] = field(default_factory=dict)  # service -> kind -> minutes
    kinds: dict[str, float | None] = field(default_factory=dict)


class WaitEstimator(Protocol):
    def observe(self, ticket: Ticket) -> None:
        """Learn from a ticket that has just been served."""

    def estimate(self, queue: Queue, now: datetime) -> Estimates:
        """Waits of every waiting ticket, and of a new ticket per service and desk kind."""

    def estimate_new(self, queue: Queue, now: datetime, ticket: Ticket) -> tuple[float | None, int]:
        """Wait and number ahead for a ticket just issued (already in the queue)."""


class ServiceTimes:
    """Typical visit length per service: an exponentially weighted mean of recent visits."""

    def __init__(self, site: Site, weight: float = 0.1):
        self.weight = weight
        self.minutes = {sid: s.mean_service_minutes for sid, s in site.services.items()}

    def observe(self, ticket: Ticket) -> None:
        if ticket.called_at is None or ticket.finished_at is None:
            return
        minutes = (ticket.finished_at - ticket.called_at).total_seconds() / 60
        if 0 < minutes < 180:
            old = self.minutes[ticket.service]
            self.minutes[ticket.service] = old + self.weight * (minutes - old)

    def __getitem__(self, service: str) -> float:
        return self.minutes[service]


class ForwardSimulation:
    """Simulate the desks working through the queue with typical visit lengths."""

    def __init__(self, site: Site):
        self.site = site
        self.times = ServiceTimes(site)

    def observe(self, ticket: Ticket) -> None:
        self.times.observe(ticket)

    def estimate(self, queue: Queue, now: datetime) -> Estimates:
        starts = self._simulate(queue, now, queue.waiting())
        result = Estimates(tickets=dict(starts), ahead=_ahead(starts))
        open_cfgs = queue.open_desks()
        for sid, svc in self.site.services.items():
            result.services[sid] = {}
            for kind in sorted(svc.served_by):
                if not any(d.kind == kind and sid in d.services for d in open_cfgs):
                    result.services[sid][kind] = None  # nobody of this kind can help now
                    continue
                preference = kind if svc.citizen_chooses else "any"
                result.services[sid][kind] = self._phantom(queue, now, sid, preference)
        for kind in DESK_KINDS:
            values = [v[kind] for v in result.services.values() if v.get(kind) is not None]
            result.kinds[kind] = sum(values) / len(values) if values else None
        return result

    def estimate_new(self, queue: Queue, now: datetime, ticket: Ticket) -> tuple[float | None, int]:
        starts = self._simulate(queue, now, queue.waiting())
        return starts.get(ticket.key), _ahead(starts).get(ticket.key, 0)

    def _phantom(self, queue: Queue, now: datetime, service: str, preference: str) -> float | None:
        phantom = Ticket(PHANTOM, service, "", now, preference)
        return self._simulate(queue, now, queue.waiting() + [phantom]).get(phantom.key)

    def _simulate(self, queue: Queue, now: datetime, waiting: list[Ticket]) -> dict[str, float | None]:
        """Minutes from now until each ticket would be called."""
        site = self.site
        open_cfgs = queue.open_desks()
        free: list[tuple[float, str]] = []
        eligible: dict[str, list[Ticket]] = {}
        for cfg in open_cfgs:
            mine = [t for t in waiting if routing.may_serve(site, cfg, t, open_cfgs)]
            if cfg.private:  # the private room first takes those who asked for it, as routing does
                mine.sort(key=lambda t: not routing.wants_private_room(site, t))
            eligible[cfg.id] = mine
            heapq.heappush(free, (self._busy_until(queue, cfg.id, now), cfg.id))
        starts: dict[str, float | None] = {t.key: None for t in waiting}
        taken: set[str] = set()
        cursor = {did: 0 for did in eligible}
        while free and len(taken) < len(waiting):
            at, did = heapq.heappop(free)
            mine, i = eligible[did], cursor[did]
            while i < len(mine) and mine[i].key in taken:
                i += 1
            cursor[did] = i
            if i == len(mine):
                continue  # this desk can take nobody else
            ticket = mine[i]
            taken.add(ticket.key)
            starts[ticket.key] = at
            heapq.heappush(free, (at + self.times[ticket.service], did))
        return starts

    def _busy_until(self, queue: Queue, desk_id: str, now: datetime) -> float:
        current = queue.current(desk_id)
        if current is None or current.called_at is None:
            return 0.0
        elapsed = (now - current.called_at).total_seconds() / 60
        # An overrunning visit is assumed to need a little longer still.
        return max(self.times[current.service] - elapsed, 1.0)


def _ahead(starts: dict[str, float | None]) -> dict[str, int]:
    known = sorted((m, k) for k, m in starts.items() if m is not None)
    ahead = {k: i for i, (_m, k) in enumerate(known)}
    return {k: ahead.get(k, len(known)) for k in starts}
