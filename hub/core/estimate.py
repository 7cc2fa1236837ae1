"""Estimated waits: how long until a ticket is called.

``WaitEstimator`` is the small interface the hub uses (``observe``, ``estimate``,
``estimate_new``); ``ForwardSimulation`` is our implementation, in two steps:

1. A forward simulation of the queue as it stands, with the real routing rules
   (``routing.may_serve``, ``routing.rank_key``, the private room first): each desk
   is free when the visit at it should end (the mean of the recent visits of that
   reason that lasted longer than this one has so far), then takes the ticket the
   routing would give it and is busy for that reason's typical desk time at that
   desk's own speed, less when the citizen may be gone by then (``VisitLengths``
   learns how often, by how long they will have waited).  It follows the schedule:
   the desks' usual hours learned from their own history (``DeskCalendar``: lunch
   breaks, early closing, a room opening late), the volunteer session's end from
   the site file (those who chose a volunteer then go to staff, as routing says),
   and the expected citizens still to come who will be ranked ahead
   (``PriorityArrivals``).  This gives each ticket's *typical* wait and its spread.
2. A learned margin (``Calibration``) turns the typical wait into a promise that
   is rarely broken: from the site's own (forecast, actual) pairs, the smallest
   margins that keep waits more than 2 minutes past the promise at about 9%.
   Republished promises move only when they change by a minute or more.

It costs one simulation per update plus one per (service, kind) for the board,
all sharing the routing work: a few milliseconds for 100 waiting tickets.
"""
from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from reception import schedule
from reception.config import DESK_KINDS, Site

from hub.core import routing
from hub.core.calibration import Calibration, Forecast
from hub.core.history import (DeskCalendar, Pauses, PriorityArrivals, VisitLengths, arrivals_within,
                              minutes_between)
from hub.core.model import DESK_OPEN, DESK_PAUSED, Ticket
from hub.core.queue import Queue

PHANTOM = "~new"
FORECASTS_KEPT = 5000  # raw forecasts of tickets not yet called, to learn from when they are
INF = float("inf")
LATE_OPENING_MIN = 5.0
STEADY_MIN = 1.0  # a republished promise moves only when it changes by at least this  # a closed desk that is usually open by now is expected this soon


@dataclass
class Estimates:
    """Minutes until called; None where no open desk can take the ticket."""

    tickets: dict[str, float | None] = field(default_factory=dict)  # by ticket key
    ahead: dict[str, int] = field(default_factory=dict)  # by ticket key
    services: dict[str, dict[str, float | None]] = field(default_factory=dict)  # service -> kind -> minutes
    kinds: dict[str, float | None] = field(default_factory=dict)


class WaitEstimator(Protocol):
    def observe(self, ticket: Ticket) -> None:
        """Learn from a ticket that has just finished (served or no-show)."""

    def estimate(self, queue: Queue, now: datetime) -> Estimates:
        """Waits of every waiting ticket, and of a new ticket per service and desk kind."""

    def estimate_new(self, queue: Queue, now: datetime, ticket: Ticket) -> tuple[float | None, int]:
        """Wait and number ahead for a ticket just issued (already in the queue)."""


class ForwardSimulation:
    """Simulate the desks working through the queue, then add the learned margin."""

    def __init__(self, site: Site, calibration: Calibration | None = None):
        self.site = site
        self.visits = VisitLengths(site)
        self.pauses = Pauses()
        self.calendar = DeskCalendar(site)
        self.arrivals = PriorityArrivals(site)
        self.calibration = calibration or Calibration()
        self._forecasts: dict[str, tuple[Forecast, float]] = {}  # at issue: forecast and promise
        self._published: dict[str, float | None] = {}  # ticket key -> promised call time (epoch minutes)

    def observe(self, ticket: Ticket) -> None:
        self.visits.observe(ticket)
        self.arrivals.observe(ticket)
        issued = self._forecasts.pop(ticket.key, None)
        if issued is not None and ticket.first_called_at is not None:
            forecast, promised = issued
            self.calibration.learn(forecast, minutes_between(ticket.issued_at, ticket.first_called_at), promised)

    def estimate(self, queue: Queue, now: datetime) -> Estimates:
        plan = self._plan(queue, now)
        forecasts = plan.run()
        result = Estimates(tickets=self._steady(now, {k: self._promise(v) for k, v in forecasts.items()}),
                           ahead=_ahead(forecasts))
        open_cfgs = queue.open_desks()
        for sid, svc in self.site.services.items():
            result.services[sid] = {}
            for kind in sorted(svc.served_by):
                if not any(d.kind == kind and sid in d.services for d in open_cfgs):
                    result.services[sid][kind] = None  # nobody of this kind can help now
                    continue
                phantom = Ticket(PHANTOM, sid, "", now, kind if svc.citizen_chooses else "any")
                result.services[sid][kind] = self._promise(plan.run(phantom).get(phantom.key))
        for kind in DESK_KINDS:
            values = [v[kind] for v in result.services.values() if v.get(kind) is not None]
            result.kinds[kind] = sum(values) / len(values) if values else None
        return result

    def estimate_new(self, queue: Queue, now: datetime, ticket: Ticket) -> tuple[float | None, int]:
        forecasts = self._plan(queue, now).run()
        forecast = forecasts.get(ticket.key)
        promised = self._promise(forecast)
        if forecast is not None:
            self._forecasts[ticket.key] = (forecast, promised)
            if len(self._forecasts) > FORECASTS_KEPT:
                del self._forecasts[next(iter(self._forecasts))]
        return promised, _ahead(forecasts).get(ticket.key, 0)

    def _steady(self, now: datetime, promises: dict[str, float | None]) -> dict[str, float | None]:
        """Keep a ticket's promised call time while the new one is within ``STEADY_MIN`` of it.

        Every finished visit shifts the forecasts a little; republishing each shift makes
        the board and the queue flicker without telling anyone anything useful.
        """
        clock = now.timestamp() / 60
        published = {}
        for key, minutes in promises.items():
            old = self._published.get(key)
            if minutes is not None and old is not None and abs(clock + minutes - old) < STEADY_MIN:
                minutes = max(0.0, old - clock)
            published[key] = None if minutes is None else clock + minutes
            promises[key] = minutes
        self._published = published
        return promises

    def _promise(self, forecast: Forecast | None) -> float | None:
        return None if forecast is None else self.calibration.promise(forecast)

    def _plan(self, queue: Queue, now: datetime) -> "_Plan":
        """Each desk's working windows from now on (minutes), and when it is free of its current visit."""
        self.pauses.watch(queue.desks)
        self.calendar.watch(queue.desks, now)
        until = schedule.volunteers_until(self.site, now)
        windows: dict[str, tuple[list[tuple[float, float]], float]] = {}
        for did, desk in queue.desks.items():
            cfg = self.site.desks.get(did)
            if cfg is None:
                continue
            spans = self._windows(desk, now)
            if cfg.kind == "volunteer" and until:  # the session's end is known from the site file
                end = minutes_between(now, until)
                spans = [(s, min(e, end)) for s, e in spans if s < end]
            if spans:
                windows[did] = (spans, max(spans[0][0], self._busy(queue, did, now)))
        return _Plan(self, queue.waiting(), windows, now)

    def _windows(self, desk, now: datetime) -> list[tuple[float, float]]:
        """When the desk will take calls: its status now, then its usual days (``DeskCalendar``)."""
        usual = self.calendar.windows(desk.id, now)
        paused_for = minutes_between(desk.status_since, now) if desk.status_since else 0.0
        back = max(2.0, self.pauses.typical() - paused_for)  # a paused desk that is usually open now
        if usual is None:  # no history yet: as it is now, a pause lasting the typical time
            return {DESK_OPEN: [(0.0, INF)], DESK_PAUSED: [(back, INF)]}.get(desk.status, [])
        if desk.status == DESK_OPEN:
            return [(0.0, usual[0][1] if usual else INF)] + usual[1:]  # open now: until its usual end
        late = back if desk.status == DESK_PAUSED else LATE_OPENING_MIN
        return [(max(s, late) if s == 0 else s, e) for s, e in usual if max(s, late) < e or s > 0]

    def _busy(self, queue: Queue, desk_id: str, now: datetime) -> float:
        current = queue.current(desk_id)
        if current is None or current.called_at is None:
            return 0.0
        speed = self.visits.speed(desk_id)
        elapsed = minutes_between(current.called_at, now)
        return speed * self.visits.remaining(current.service, elapsed / speed)


class _Plan:
    """One forward simulation set up; ``run`` plays it, optionally with one extra (phantom) ticket.

    Who may serve whom depends on which desks are open, so the time axis is cut at
    every window start and end ("regimes"), and each desk's list of tickets, in the
    order it would take them, is built once per regime and shared by all runs.
    """

    def __init__(self, est: ForwardSimulation, waiting: list[Ticket],
                 windows: dict[str, tuple[list[tuple[float, float]], float]], now: datetime):
        self.est, self.site, self.waiting, self.windows = est, est.site, waiting, windows
        self.now = now
        self.ages = {t.key: minutes_between(t.issued_at, now) for t in waiting}
        self.cuts = sorted({t for spans, _f in windows.values() for s, e in spans for t in (s, e) if 0 < t < INF})
        self._lists: dict[tuple[int, str], tuple[list, list[Ticket]]] = {}
        self._sharing: dict[int, dict[str, list[str]]] = {}
        self._rivals_now: tuple[list, int] | None = None

    def _regime(self, t: float) -> int:
        return bisect_right(self.cuts, t)

    def _open_at(self, regime: int) -> list:
        t = self.cuts[regime - 1] if regime else 0.0
        return [self.site.desks[d] for d, (spans, _f) in self.windows.items() if any(s <= t < e for s, e in spans)]

    def _next_start(self, desk_id: str, t: float) -> float | None:
        """``t`` if the desk works then, else when it next starts working (None: not again today)."""
        for s, e in self.windows[desk_id][0]:
            if t < e:
                return max(s, t)
        return None

    def _order(self, desk, ticket: Ticket) -> tuple:
        first = desk.private and not routing.wants_private_room(self.site, ticket)
        return (first, routing.rank_key(self.site, ticket))

    def _list(self, regime: int, desk_id: str) -> tuple[list, list[Ticket]]:
        key = (regime, desk_id)
        if key not in self._lists:
            open_cfgs = self._open_at(regime)
            cfg = self.site.desks[desk_id]
            mine = [t for t in self.waiting if routing.may_serve(self.site, cfg, t, open_cfgs)]
            if cfg.private:
                mine.sort(key=lambda t: self._order(cfg, t))
            self._lists[key] = ([self._order(cfg, t) for t in mine], mine)
        return self._lists[key]

    def _with(self, regime: int, desk_id: str, extra: Ticket | None) -> list[Ticket]:
        orders, mine = self._list(regime, desk_id)
        if extra is None:
            return mine
        cfg = self.site.desks[desk_id]
        if not routing.may_serve(self.site, cfg, extra, self._open_at(regime)):
            return mine
        mine = list(mine)
        mine.insert(bisect_right(orders, self._order(cfg, extra)), extra)
        return mine

    def run(self, extra: Ticket | None = None) -> dict[str, Forecast | None]:
        """Minutes from now until each waiting ticket would be called, typically, and the spread of that;
        with ``extra`` (a phantom new ticket), only that ticket's."""
        starts, variances = self._play(extra)
        return self._overtaken(starts, variances, extra)

    def _overtaken(self, starts: dict[str, float | None], variances: dict[str, float],
                   extra: Ticket | None) -> dict[str, Forecast | None]:
        """Add the expected delay by citizens still to come who will be ranked ahead (``PriorityArrivals``).

        One arriving ``a`` minutes from now with head start ``h`` overtakes a ticket that has
        waited ``age`` with head start ``h_t`` when ``a < h - age - h_t``; it costs that
        ticket one visit shared by its desks, if it goes to one of them.
        """
        site = self.site
        rivals, minute = self._rivals()
        out: dict[str, Forecast | None] = {}
        for t in [extra] if extra else self.waiting:  # with a phantom, only its forecast is wanted
            f = starts[t.key]
            mine = set(self._desks_of(0, t, extra))
            if f is None:
                out[t.key] = None
                continue
            delay = var = 0.0
            lead = self.ages.get(t.key, 0.0) + routing.head_start(site, t)
            for rates, h, desks, m in rivals if f and mine else ():
                if h > lead:  # expected rivals (Poisson: their count varies as much), one visit each
                    n = arrivals_within(rates, minute, min(f, h - lead)) * len(mine & desks) / len(desks)
                    delay += n * m / len(mine)
                    var += n * (m / len(mine)) ** 2
            out[t.key] = Forecast(f + delay, math.sqrt(variances.get(t.key, 0.0) + var))
        return out

    def _rivals(self) -> tuple[list, int]:
        """The kinds of citizens still to come who may be ranked ahead, with the desks open now for them."""
        if self._rivals_now is None:
            site, visits = self.site, self.est.visits
            open_cfgs = self._open_at(0)
            rivals = []
            for like, rates in self.est.arrivals.expected(self.now):
                desks = {d.id for d in open_cfgs if routing.may_serve(site, d, like, open_cfgs)}
                if desks:
                    rivals.append((rates, routing.head_start(site, like), desks, visits.visit(like.service)))
            local = self.now.astimezone(site.tz)
            self._rivals_now = (rivals, local.hour * 60 + local.minute)
        return self._rivals_now

    def _play(self, extra: Ticket | None) -> tuple[dict[str, float | None], dict[str, float]]:
        """Typical start of each ticket, and its variance: with ``c`` desks sharing the work ahead,
        the variances of the visits before it at those desks, divided by ``c`` squared."""
        visits = self.est.visits
        tickets = self.waiting + ([extra] if extra else [])
        starts: dict[str, float | None] = {t.key: None for t in tickets}
        variances: dict[str, float] = {}
        piled = {did: (0.5 * free) ** 2 for did, (_spans, free) in self.windows.items()}  # the visits under way
        heap = [(free, did) for did, (_spans, free) in self.windows.items()]
        heapq.heapify(heap)
        taken: set[str] = set()
        cursors: dict[tuple[int, str], int] = {}
        lists: dict[tuple[int, str], list[Ticket]] = {}
        while heap and len(taken) < len(tickets):
            at, did = heapq.heappop(heap)
            start = self._next_start(did, at)
            if start is None:
                continue
            if start > at:
                heapq.heappush(heap, (start, did))  # away now (a break): back then
                continue
            regime = self._regime(at)
            key = (regime, did)
            if key not in lists:
                lists[key] = self._with(regime, did, extra)
            mine, i = lists[key], cursors.get(key, 0)
            while i < len(mine) and mine[i].key in taken:
                i += 1
            cursors[key] = i
            if i == len(mine):
                if regime < len(self.cuts):
                    heapq.heappush(heap, (self.cuts[regime], did))  # others may become its citizens
                continue
            ticket = mine[i]
            taken.add(ticket.key)
            starts[ticket.key] = at
            sharing = self._desks_of(regime, ticket, extra) or [did]
            variances[ticket.key] = sum(piled[d] for d in sharing) / len(sharing) ** 2
            waited = self.ages.get(ticket.key, 0.0) + at
            speed = visits.speed(did)
            piled[did] += visits.spread(ticket.service) * speed ** 2
            heapq.heappush(heap, (at + visits.per_call(ticket.service, waited) * speed, did))
        return starts, variances

    def _desks_of(self, regime: int, ticket: Ticket, extra: Ticket | None) -> list[str]:
        """The desks working in this regime that may take the ticket."""
        if regime not in self._sharing:
            members: dict[str, list[str]] = {}
            for cfg in self._open_at(regime):
                for t in self._list(regime, cfg.id)[1]:
                    members.setdefault(t.key, []).append(cfg.id)
            self._sharing[regime] = members
        if ticket is extra:
            open_cfgs = self._open_at(regime)
            return [d.id for d in open_cfgs if routing.may_serve(self.site, d, ticket, open_cfgs)]
        return self._sharing[regime].get(ticket.key, [])


def default_estimator(site: Site) -> WaitEstimator:
    """The estimator the hub runs."""
    return ForwardSimulation(site)


def _ahead(forecasts: dict[str, Forecast | None]) -> dict[str, int]:
    known = sorted((f.minutes, k) for k, f in forecasts.items() if f is not None)
    ahead = {k: i for i, (_m, k) in enumerate(known)}
    return {k: ahead.get(k, len(known)) for k in forecasts}
