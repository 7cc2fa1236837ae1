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
"""
from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from datetime import datetime

from reception.config import Site

from hub.core import routing
from hub.core.calibration import Forecast
from hub.core.history import ARRIVAL_SLOT_MIN, PriorityArrivals, VisitLengths, minutes_between
from hub.core.model import Ticket

INF = float("inf")
Windows = dict[str, tuple[list[tuple[float, float]], float]]  # desk -> (working spans, free of its visit at)


class Plan:
    def __init__(self, site: Site, visits: VisitLengths, arrivals: PriorityArrivals, waiting: list[Ticket],
                 windows: Windows, now: datetime, shared: dict | None = None):
        self.site, self.visits, self.arrivals = site, visits, arrivals
        # Shared by the plans of one site: may_serve answers (bounded by desk sets and ticket classes),
        # and the latest rivals still to come.
        self.shared = {} if shared is None else shared
        self.waiting, self.windows, self.now = waiting, windows, now
        self.keys = [t.key for t in waiting]
        self.ages = [minutes_between(t.issued_at, now) for t in waiting]
        self.classes: dict[tuple, int] = {}
        self.samples: list[Ticket] = []  # one ticket of each class
        self.cls = [self._class(t) for t in waiting]
        self.cuts = sorted({t for spans, _f in windows.values() for s, e in spans for t in (s, e) if 0 < t < INF})
        self._open: dict[int, list] = {}
        self._lists: dict[tuple[int, str], list[int]] = {}
        self._sharing: dict[int, list[list[str]]] = {}
        self._head: dict[tuple, float] = {}
        self._rivals_now: tuple[list, int] | None = None
        self._ranks: list[tuple] = []
        self._open_ids: dict[int, tuple[str, ...]] = {}
        self.idle: list[tuple[float, str, int, dict[str, float]]] = []  # (when, desk, regime, piled variances)
        self.starts: list[float | None] = []

    def _class(self, t: Ticket) -> int:
        key = (t.service, t.preference, routing.wants_private_room(self.site, t))
        if key not in self.classes:
            self.classes[key] = len(self.samples)
            self.samples.append(t)
        return self.classes[key]

    def _open_at(self, regime: int) -> list:
        if regime not in self._open:
            t = self.cuts[regime - 1] if regime else 0.0
            self._open[regime] = [self.site.desks[d] for d, (spans, _f) in self.windows.items()
                                  if any(s <= t < e for s, e in spans)]
        return self._open[regime]

    def _may(self, regime: int, cfg, ticket: Ticket) -> bool:
        """``routing.may_serve``, remembered across plans by the desks open and the ticket's class."""
        key = (self._open_key(regime), cfg.id, ticket.service, ticket.preference, "private" in ticket.extras)
        mays = self.shared.setdefault("may", {})
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
            mine = [i for i, c in enumerate(self.cls) if ok[c]]
            if cfg.private:  # a private room takes those who asked for one first
                wants = [routing.wants_private_room(self.site, t) for t in self.samples]
                mine = [i for i in mine if wants[self.cls[i]]] + [i for i in mine if not wants[self.cls[i]]]
            self._lists[key] = mine
        return self._lists[key]

    def _next_start(self, desk_id: str, t: float) -> float | None:
        """``t`` if the desk works then, else when it next starts working (None: not again today)."""
        for s, e in self.windows[desk_id][0]:
            if t < e:
                return max(s, t)
        return None

    def sharing(self, regime: int, i: int) -> list[str]:
        """The desks working in this regime that may take waiting ticket ``i``."""
        if regime not in self._sharing:
            members: list[list[str]] = [[] for _ in self.waiting]
            for cfg in self._open_at(regime):
                for j in self._list(regime, cfg.id):
                    members[j].append(cfg.id)
            self._sharing[regime] = members
        return self._sharing[regime][i]

    def head_start(self, t: Ticket) -> float:
        key = (t.service, t.extras)
        if key not in self._head:
            self._head[key] = routing.head_start(self.site, t)
        return self._head[key]

    # -- playing -------------------------------------------------------------

    def run(self) -> dict[str, Forecast | None]:
        """Minutes from now until each waiting ticket would be called, typically, and the spread of that."""
        self.starts, variances = self._play(lists=self._list, record=True)
        return {self.keys[i]: self._forecast(self.starts[i], variances[i], self.head_start(t) + self.ages[i],
                                             set(self.sharing(0, i)))
                for i, t in enumerate(self.waiting)}

    def phantom(self, ticket: Ticket) -> Forecast | None:
        """The forecast of a new ticket (not in the queue), from the run already made where possible."""
        open_now = self._open_at(0)
        mine = {d.id for d in open_now if routing.may_serve(self.site, d, ticket, open_now)}
        h = self.head_start(ticket)
        if h > 0 and any(age + self.head_start(t) < h for t, age in zip(self.waiting, self.ages)):
            start, variance = self._with(ticket)  # it overtakes someone: a run of its own
            return self._forecast(start, variance, h, mine)
        for at, did, regime, piled in self.idle:  # ranked last: taken at the first idle moment of its desks
            cfg = self.site.desks[did]
            if self._may(regime, cfg, ticket):
                shared = [d.id for d in self._open_at(regime) if self._may(regime, d, ticket)] or [did]
                return self._forecast(at, sum(piled[d] for d in shared) / len(shared) ** 2, h, mine)
        return None

    def _with(self, extra: Ticket) -> tuple[float | None, float]:
        """Play the queue again with ``extra`` in its place in every list (index ``len(waiting)``)."""
        n, order = len(self.waiting), routing.rank_key(self.site, extra)
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
                    mine.insert(bisect_right(orders, (first, order)), n)
                lists[key] = mine
            return lists[key]

        starts, variances = self._play(lists=with_extra, record=False, extra=extra)
        return starts[n], variances[n]

    def _rank(self, i: int) -> tuple:
        if not self._ranks:
            self._ranks = [routing.rank_key(self.site, t) for t in self.waiting]
        return self._ranks[i]

    def _play(self, lists, record: bool, extra: Ticket | None = None) -> tuple[list, list]:
        """Typical start of each ticket, and its variance: with ``c`` desks sharing the work ahead,
        the variances of the visits before it at those desks, divided by ``c`` squared."""
        visits, windows = self.visits, self.windows
        tickets = self.waiting + ([extra] if extra else [])
        ages = self.ages + [0.0]
        starts: list[float | None] = [None] * len(tickets)
        variances = [0.0] * len(tickets)
        taken = [False] * len(tickets)
        left = len(tickets)
        piled = {did: (0.5 * free) ** 2 for did, (_spans, free) in windows.items()}  # the visits under way
        heap = [(free, did) for did, (_spans, free) in windows.items()]
        heapq.heapify(heap)
        cursors: dict[tuple[int, str], int] = {}
        while heap and (left or record):
            at, did = heapq.heappop(heap)
            start = self._next_start(did, at)
            if start is None:
                continue
            if start > at:
                heapq.heappush(heap, (start, did))  # away now (a break): back then
                continue
            regime = bisect_right(self.cuts, at)
            key = (regime, did)
            mine, i = lists(regime, did), cursors.get(key, 0)
            while i < len(mine) and taken[mine[i]]:
                i += 1
            cursors[key] = i
            if i == len(mine):
                if record:
                    self.idle.append((at, did, regime, dict(piled)))
                if regime < len(self.cuts):
                    heapq.heappush(heap, (self.cuts[regime], did))  # others may become its citizens
                continue
            j = mine[i]
            ticket = tickets[j]
            taken[j], left, starts[j] = True, left - 1, at
            sharing = (self.sharing(regime, j) if j < len(self.waiting) else
                       [d.id for d in self._open_at(regime) if self._may(regime, d, ticket)]) or [did]
            variances[j] = sum(piled[d] for d in sharing) / len(sharing) ** 2
            speed = visits.speed(did)
            piled[did] += visits.spread(ticket.service) * speed ** 2
            heapq.heappush(heap, (at + visits.per_call(ticket.service, ages[j] + at) * speed, did))
        return starts, variances

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
            rivals, minute = self._rivals()
            for h, desks, work, work2 in rivals:  # by head start, largest first
                if h <= lead:
                    break
                share = len(mine & desks) / len(desks) / len(mine)
                end = min(minute + min(start, h - lead), DAY_MIN)
                delay += (_cumulative(work, end) - _cumulative(work, minute)) * share
                var += (_cumulative(work2, end) - _cumulative(work2, minute)) * share / len(mine)
        return Forecast(start + delay, math.sqrt(variance + var))

    def _rivals(self) -> tuple[list, float]:
        """The citizens still to come who may be ranked ahead, by head start and the desks open now for
        them: their expected desk minutes (and squared minutes) to come, summed from midnight.  Shared
        by the plans of one weekday with the same desks open until another such citizen is seen."""
        if self._rivals_now is None:
            local = self.now.astimezone(self.site.tz)
            key = (local.weekday(), self._open_key(0), self.arrivals.version)
            if self.shared.get("rivals", (None,))[0] != key:
                self.shared["rivals"] = (key, self._rivals_of())
            self._rivals_now = (self.shared["rivals"][1], local.hour * 60 + local.minute)
        return self._rivals_now

    def _rivals_of(self) -> list:
        open_cfgs = self._open_at(0)
        kinds: dict[tuple, tuple[list[float], list[float]]] = {}
        for like, rates in self.arrivals.expected(self.now):
            desks = frozenset(d.id for d in open_cfgs if self._may(0, d, like))
            if desks:
                m = self.visits.visit(like.service)
                slots = len(rates)
                work, work2 = kinds.setdefault((self.head_start(like), desks), ([0.0] * slots, [0.0] * slots))
                for slot, rate in enumerate(rates):
                    work[slot] += rate * m
                    work2[slot] += rate * m * m
        return sorted(((h, desks, _sums(w), _sums(w2)) for (h, desks), (w, w2) in kinds.items()), key=lambda r: -r[0])


DAY_MIN = 24 * 60


def _sums(per_minute: list[float]) -> tuple[list[float], list[float]]:
    """Rates per minute in each slot of the day, and their running total at the start of each slot."""
    totals = [0.0]
    for rate in per_minute:
        totals.append(totals[-1] + ARRIVAL_SLOT_MIN * rate)
    return per_minute, totals


def _cumulative(sums: tuple[list[float], list[float]], minute: float) -> float:
    """The total from midnight to ``minute`` of the day."""
    rates, totals = sums
    slot = min(len(rates) - 1, int(minute) // ARRIVAL_SLOT_MIN)
    return totals[slot] + rates[slot] * (minute - ARRIVAL_SLOT_MIN * slot)
