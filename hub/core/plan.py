"""The forward simulation behind our wait estimates: the desks working through the queue as it stands.

``Plan`` is set up once per update and played once (``run``).  Who may serve whom
depends on which desks are open, so the time axis is cut at every window start
and end ("regimes"), and each desk's list of tickets, in the order it would take
them, is built once per regime from ticket *classes* (service, choice, private):
``routing.may_serve`` is asked once per class, not once per ticket.

A new ticket ranks after everyone already waiting, so adding it changes nothing
until some desk it may go to runs out of tickets: its wait is the first such
"idle moment" of the one run (``phantom``).  Only a ticket with a head start over
some of those waiting (an appointment) needs a run of its own.  One update thus
costs one run of the queue plus a few steps per service and desk kind.

Appointments checked in early are in the play too, held until their booked time
(``hub.core.play``), so those behind them wait for them.  A new ticket may rank
before a held one booked for later: the moments a desk takes a held ticket are kept
with the idle ones, and a new ticket ranked before it is taken then instead.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, field
from collections.abc import Callable
from datetime import datetime
from itertools import compress
from typing import NamedTuple

from reception.config import Site

from hub.core import routing
from hub.core.calibration import Forecast
from hub.core.history import ARRIVAL_SLOT_MIN, PriorityArrivals, Span, VisitLengths, minutes_between
from hub.core.model import Ticket
from hub.core.play import IdleMoment, Play, Run, order, shared_variance

INF = float("inf")
DAY_MIN = 24 * 60


class DeskWindows(NamedTuple):
    """One desk's working spans from now on (minutes), and when it is free of the visit under way."""

    spans: list[Span]
    free_at: float


Windows = dict[str, DeskWindows]  # by desk id


class Cumulative(NamedTuple):
    """Rates per minute in each slot of the day, and their running total at the start of each slot."""

    rates: list[float]
    totals: list[float]

    @classmethod
    def of(cls, per_minute: list[float]) -> Cumulative:
        totals = [0.0]
        for rate in per_minute:
            totals.append(totals[-1] + ARRIVAL_SLOT_MIN * rate)
        return cls(per_minute, totals)

    def at(self, minute: float) -> float:
        """The total from midnight to ``minute`` of the day."""
        slot = min(len(self.rates) - 1, int(minute) // ARRIVAL_SLOT_MIN)
        return self.totals[slot] + self.rates[slot] * (minute - ARRIVAL_SLOT_MIN * slot)

    def between(self, start: float, end: float) -> float:
        return self.at(end) - self.at(start)


class Rivals(NamedTuple):
    """Citizens still to come with one head start, for one set of desks: their expected desk minutes
    (``work``) and squared minutes (``work2``) from midnight on."""

    head_start: float
    desks: frozenset[str]
    work: Cumulative
    work2: Cumulative


class RivalsNow(NamedTuple):
    rivals: list[Rivals]  # by head start, largest first
    minute: float  # of the day, now


@dataclass
class Shared:
    """What the plans of one site share: ``may_serve`` answers (bounded by desk sets and ticket classes),
    and the latest rivals still to come with the key they were worked out for."""

    may: dict[tuple, bool] = field(default_factory=dict)
    rivals_key: tuple | None = None
    rivals: list[Rivals] = field(default_factory=list)


class Plan:
    def __init__(self, site: Site, visits: VisitLengths, arrivals: PriorityArrivals, waiting: list[Ticket],
                 windows: Windows, now: datetime, shared: Shared | None = None):
        self.site, self.visits, self.arrivals = site, visits, arrivals
        self.shared = Shared() if shared is None else shared
        self.waiting, self.windows, self.now = waiting, windows, now
        self.keys = [t.key for t in waiting]
        self.ages = [minutes_between(t.issued_at, now) for t in waiting]
        self.release, self.waited = booked_times(waiting, self.ages, now)
        self.holding = any(self.release)  # some appointment is held until its booked time
        self.classes: dict[tuple, int] = {}
        self.samples: list[Ticket] = []  # one ticket of each class
        self._private = routing.private_rooms_matter(site)
        self.cls = [self._class(t) for t in waiting]
        self.cuts = sorted({t for w in windows.values() for s, e in w.spans for t in (s, e) if 0 < t < INF})
        self._open: dict[int, list] = {}
        self._lists: dict[tuple[int, str], list[int]] = {}
        self._sharing: dict[tuple[int, int], list[str]] = {}  # (regime, class) -> desks
        self._head: dict[tuple, float] = {}
        self._rivals_now: RivalsNow | None = None
        self._ranks: list[tuple] = []
        self._open_ids: dict[int, tuple[str, ...]] = {}
        self.idle: list[IdleMoment] = []
        self.starts: list[float | None] = []

    def _class(self, t: Ticket) -> int:
        key = (t.service, t.preference, self._private and "private" in t.extras, t.booked_desk)  # wants_private_room
        if key not in self.classes:
            self.classes[key] = len(self.samples)
            self.samples.append(t)
        return self.classes[key]

    def _open_at(self, regime: int) -> list:
        if regime not in self._open:
            t = self.cuts[regime - 1] if regime else 0.0
            self._open[regime] = [self.site.desks[d] for d, w in self.windows.items()
                                  if any(s <= t < e for s, e in w.spans)]
        return self._open[regime]

    def _may(self, regime: int, cfg, ticket: Ticket) -> bool:
        """``routing.may_serve``, remembered across plans by the desks open and the ticket's class."""
        key = (self._open_key(regime), cfg.id, ticket.service, ticket.preference, "private" in ticket.extras,
               ticket.booked_desk)
        mays = self.shared.may
        if key not in mays:
            mays[key] = routing.may_serve(self.site, cfg, ticket, self._open_at(regime))
        return mays[key]

    def _open_key(self, regime: int) -> tuple[str, ...]:
        if regime not in self._open_ids:
            self._open_ids[regime] = tuple(d.id for d in self._open_at(regime))
        return self._open_ids[regime]

    def _list(self, regime: int, desk_id: str) -> list[int]:
        """Indices of the tickets this desk may take in this regime, in the order it would take them."""
        key = (regime, desk_id)
        if key not in self._lists:
            cfg = self.site.desks[desk_id]
            ok = [self._may(regime, cfg, t) for t in self.samples]
            mine = list(compress(range(len(self.cls)), map(ok.__getitem__, self.cls)))  # the classes it may take
            if cfg.private:  # a private room takes those who asked for one first
                wants = [routing.wants_private_room(self.site, t) for t in self.samples]
                mine = [i for i in mine if wants[self.cls[i]]] + [i for i in mine if not wants[self.cls[i]]]
            self._lists[key] = mine
        return self._lists[key]

    def next_start(self, desk_id: str, t: float) -> float | None:
        """``t`` if the desk works then, else when it next starts working (None: not again today)."""
        for s, e in self.windows[desk_id].spans:
            if t < e:
                return max(s, t)
        return None

    def sharing(self, regime: int, i: int) -> list[str]:
        """The desks working in this regime that may take waiting ticket ``i``: the same for every ticket
        of its class, so worked out once per regime and class."""
        key = (regime, self.cls[i])
        if key not in self._sharing:
            self._sharing[key] = self.open_may(regime, self.samples[self.cls[i]])
        return self._sharing[key]

    def open_may(self, regime: int, ticket: Ticket) -> list[str]:
        """The desks working in this regime that may take ``ticket`` (one not in the queue)."""
        return [d.id for d in self._open_at(regime) if self._may(regime, d, ticket)]

    def head_start(self, t: Ticket) -> float:
        key = (t.service, t.extras)
        if key not in self._head:
            self._head[key] = routing.head_start(self.site, t)
        return self._head[key]

    # -- playing -------------------------------------------------------------

    def run(self, pause: Callable[[], None] | None = None) -> dict[str, Forecast | None]:
        """Minutes from now until each waiting ticket would be called, typically, and the spread of that
        (``pause``: called every ``play.PAUSE_STEPS`` steps, e.g. to let other threads run)."""
        run = Play(self, self._list, record=True, pause=pause).run()
        self.starts = run.starts
        return {self.keys[i]: self._forecast_of(run, i) for i in range(len(self.waiting))}

    def forecasts(self, keys: list[str]) -> dict[str, Forecast | None]:
        """``run``'s forecasts of these tickets only (just issued: the rest keep theirs until the next
        refresh; None for one no longer waiting).  The play stops once these are called, and works out
        the spread of theirs only: no idle moments kept, no phantoms."""
        index = {key: i for i, key in enumerate(self.keys)}
        run = Play(self, self._list, record=False, wanted={index[key] for key in keys if key in index}).run()
        return {key: None if key not in index else self._forecast_of(run, index[key]) for key in keys}

    def _forecast_of(self, run: Run, i: int) -> Forecast | None:
        return self._forecast(run.starts[i], run.variances[i], self.head_start(self.waiting[i]) + self.waited[i],
                              set(self.sharing(0, i)))

    def phantom(self, ticket: Ticket) -> Forecast | None:
        """The forecast of a new ticket (not in the queue), from the run already made where possible."""
        open_now = self._open_at(0)
        mine = {d.id for d in open_now if routing.may_serve(self.site, d, ticket, open_now)}
        h = self.head_start(ticket)
        if h > 0 and any(waited + self.head_start(t) < h and not due
                         for t, waited, due in zip(self.waiting, self.waited, self.release)):
            run, n = self._with(ticket), len(self.waiting)  # it overtakes someone: a run of its own
            return self._forecast(run.starts[n], run.variances[n], h, mine)
        for idle in self.idle:  # ranked last but for held ones: taken at the first idle moment of its desks
            if self._may(idle.regime, self.site.desks[idle.desk], ticket) and (
                    idle.instead is None or order(self, idle.desk, ticket) < idle.instead):
                shared = self.open_may(idle.regime, ticket) or [idle.desk]
                return self._forecast(idle.at, shared_variance(idle.piled, shared), h, mine)
        return None

    def _with(self, extra: Ticket) -> Run:
        """Play the queue again with ``extra`` in its place in every list (index ``len(waiting)``)."""
        n, rank = len(self.waiting), routing.rank_key(self.site, extra)
        lists: dict[tuple[int, str], list[int]] = {}

        def with_extra(regime: int, desk_id: str) -> list[int]:
            key = (regime, desk_id)
            if key not in lists:
                mine = self._list(regime, desk_id)
                cfg = self.site.desks[desk_id]
                if self._may(regime, cfg, extra):
                    first = cfg.private and not routing.wants_private_room(self.site, extra)
                    orders = [(cfg.private and not routing.wants_private_room(self.site, self.waiting[i]),
                               self._rank(i)) for i in mine]
                    mine = list(mine)
                    mine.insert(bisect_right(orders, (first, rank)), n)
                lists[key] = mine
            return lists[key]

        return Play(self, with_extra, record=False, extra=extra).run()

    def _rank(self, i: int) -> tuple:
        if not self._ranks:
            self._ranks = [routing.rank_key(self.site, t) for t in self.waiting]
        return self._ranks[i]

    # -- citizens still to come ----------------------------------------------

    def _forecast(self, start: float | None, variance: float, lead: float, mine: set[str]) -> Forecast | None:
        """Add the expected delay by citizens still to come who will be ranked ahead (``PriorityArrivals``).

        One arriving ``a`` minutes from now with head start ``h`` overtakes a ticket that has
        waited ``age`` with head start ``h_t`` (``lead = age + h_t``) when ``a < h - lead``; it
        costs that ticket one visit shared by its desks, if it goes to one of them.  Their
        number is Poisson, so it varies as much as it is expected.
        """
        if start is None:
            return None
        delay = var = 0.0
        if start and mine:
            now = self._rivals()
            for rival in now.rivals:  # by head start, largest first
                if rival.head_start <= lead:
                    break
                share = len(mine & rival.desks) / len(rival.desks) / len(mine)
                end = min(now.minute + min(start, rival.head_start - lead), DAY_MIN)
                delay += rival.work.between(now.minute, end) * share
                var += rival.work2.between(now.minute, end) * share / len(mine)
        return Forecast(start + delay, math.sqrt(variance + var))

    def _rivals(self) -> RivalsNow:
        """The citizens still to come who may be ranked ahead, by head start and the desks open now for
        them: their expected desk minutes (and squared minutes) to come, summed from midnight.  Shared
        by the plans of one weekday with the same desks open until another such citizen is seen."""
        if self._rivals_now is None:
            local = self.now.astimezone(self.site.tz)
            key = (local.weekday(), self._open_key(0), self.arrivals.version)
            if self.shared.rivals_key != key:
                self.shared.rivals_key, self.shared.rivals = key, self._rivals_of()
            self._rivals_now = RivalsNow(self.shared.rivals, local.hour * 60 + local.minute)
        return self._rivals_now

    def _rivals_of(self) -> list[Rivals]:
        open_cfgs = self._open_at(0)
        kinds: dict[tuple[float, frozenset[str]], tuple[list[float], list[float]]] = {}  # minutes, squared
        for expected in self.arrivals.expected(self.now):
            like = expected.like
            desks = frozenset(d.id for d in open_cfgs if self._may(0, d, like))
            if desks:
                m = self.visits.visit(like.service)
                slots = len(expected.rates)
                work, work2 = kinds.setdefault((self.head_start(like), desks), ([0.0] * slots, [0.0] * slots))
                for slot, rate in enumerate(expected.rates):
                    work[slot] += rate * m
                    work2[slot] += rate * m * m
        return sorted((Rivals(h, desks, Cumulative.of(w), Cumulative.of(w2)) for (h, desks), (w, w2) in kinds.items()),
                      key=lambda r: -r.head_start)


def booked_times(waiting: list[Ticket], ages: list[float], now: datetime) -> tuple[list[float], list[float]]:
    """For each ticket, minutes until it may be called (a held appointment: its booked time; else 0), and
    minutes its rank has counted by now (from its booked time, if later than arrival: negative while held)."""
    release, waited = [0.0] * len(waiting), list(ages)
    for i, t in enumerate(waiting):
        if t.booked_at is not None:
            to_booked = minutes_between(now, t.booked_at)
            release[i], waited[i] = max(0.0, to_booked), min(ages[i], -to_booked)
    return release, waited
