"""One play of the queue forward, for ``hub.core.plan``: the desks calling in rank order, minute by minute.

Whenever a desk is free (a heap of free moments), it takes the first ticket on its list for that
regime not yet taken, and is busy for that ticket's typical desk time.  An appointment checked in
early is *held* until its booked time, as in the queue (``hub.core.waiting``): the play keeps it
in the place it ranks from then on and lets no desk take it before; a desk with nothing else
waits for it.  So a walk-in behind bookings due before it would be called waits for them too.
"""
from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from hub.core import routing
from hub.core.model import Ticket

if TYPE_CHECKING:
    from hub.core.plan import Plan

INF = float("inf")
Lists = Callable[[int, str], list[int]]  # (regime, desk id) -> the tickets it would take, in order


class IdleMoment(NamedTuple):
    """A desk with no ticket left for it: a new ticket it may take would be called then.  Or (``instead``
    set) a desk taking a held appointment: a new ticket that ranks before it there would be taken instead."""

    at: float
    desk: str
    regime: int
    piled: dict[str, float]  # variance of the work piled up at each desk by then
    instead: tuple | None = None  # the held ticket's place in the desk's order (``Play.order``)


class Run(NamedTuple):
    """What one play of the queue gives, by ticket index: typical start (None: never) and its variance."""

    starts: list[float | None]
    variances: list[float]


def shared_variance(piled: dict[str, float], desks: list[str]) -> float:
    """The variance of the work ahead when ``desks`` share it: the sum of theirs, over their number squared."""
    return sum(piled[d] for d in desks) / len(desks) ** 2


def order(plan: Plan, desk_id: str, ticket: Ticket) -> tuple:
    """Where a ticket goes in a desk's order: a private room takes those who asked for one first."""
    private = plan.site.desks[desk_id].private and not routing.wants_private_room(plan.site, ticket)
    return private, routing.rank_key(plan.site, ticket)


class Play:
    """One play of the queue (``lists``: each desk's tickets per regime, in the order it takes them).

    A ticket's variance: with ``c`` desks sharing the work ahead, the variances of the visits before it at
    those desks, divided by ``c`` squared.  ``record`` keeps the idle moments (``Plan.idle``) and plays on
    after the last ticket, for new tickets ranked last.
    """

    def __init__(self, plan: Plan, lists: Lists, record: bool, extra: Ticket | None = None):
        self.plan, self.lists, self.record = plan, lists, record
        self.tickets = plan.waiting + ([extra] if extra else [])
        self.ages = plan.ages + [0.0]
        self.release = plan.release + [0.0]  # minutes until a held appointment may be called
        self.starts: list[float | None] = [None] * len(self.tickets)
        self.variances = [0.0] * len(self.tickets)
        self.taken = [False] * len(self.tickets)
        self.left = len(self.tickets)
        self.piled = {did: (0.5 * w.free_at) ** 2 for did, w in plan.windows.items()}  # the visits under way
        self.heap = [(w.free_at, did) for did, w in plan.windows.items()]  # (free at, desk id)
        heapq.heapify(self.heap)
        self.cursors: dict[tuple[int, str], int] = {}  # (regime, desk) -> where in its list the untaken start
        self.holding = plan.holding
        self.passed: dict[tuple[int, str], list[int]] = {}  # (regime, desk) -> held tickets its cursor passed

    def run(self) -> Run:
        heap, cuts, next_start = self.heap, self.plan.cuts, self.plan.next_start
        while heap and (self.left or self.record):
            at, did = heapq.heappop(heap)
            start = next_start(did, at)
            if start is None:
                continue  # not working again today
            if start > at:
                heapq.heappush(heap, (start, did))  # away now (a break): back then
                continue
            regime = bisect_right(cuts, at)
            j = self._next_ticket(regime, did, at)
            if j is None:
                self._idle(at, did, regime)
            else:
                self._take(at, did, regime, j)
        return Run(self.starts, self.variances)

    def _next_ticket(self, regime: int, did: str, at: float) -> int | None:
        """The first ticket on the desk's list not taken yet (None: nothing left for it in this regime)."""
        key = (regime, did)
        mine, i = self.lists(regime, did), self.cursors.get(key, 0)
        if self.holding:
            return self._next_with_held(key, mine, i, at)
        while i < len(mine) and self.taken[mine[i]]:
            i += 1
        self.cursors[key] = i
        return mine[i] if i < len(mine) else None

    def _next_with_held(self, key: tuple[int, str], mine: list[int], i: int, at: float) -> int | None:
        """``_next_ticket`` with held appointments on the list: the cursor passes them (kept, in order, in
        ``passed``), and the first of those due by ``at`` goes before the first other untaken ticket."""
        taken, release = self.taken, self.release
        passed = self.passed.setdefault(key, [])
        while i < len(mine) and (taken[mine[i]] or release[mine[i]] > 0):
            if not taken[mine[i]]:
                passed.append(mine[i])
            i += 1
        self.cursors[key] = i
        for j in passed:  # few: the held tickets ranked before the cursor
            if not taken[j] and release[j] <= at:
                return j
        return mine[i] if i < len(mine) else None

    def _idle(self, at: float, did: str, regime: int) -> None:
        """Nothing for the desk now: it looks again when others may become its citizens (the next regime) or
        when a held appointment on its list comes due."""
        if self.record:
            self.plan.idle.append(IdleMoment(at, did, regime, dict(self.piled)))
        cuts = self.plan.cuts
        wake = cuts[regime] if regime < len(cuts) else INF
        if self.holding:
            wake = min(wake, self._next_due(regime, did, at))
        if wake < INF:
            heapq.heappush(self.heap, (wake, did))

    def _next_due(self, regime: int, did: str, at: float) -> float:
        """When the next held appointment on the desk's list comes due after ``at`` (INF: none).  An idle
        desk's cursor has passed its whole list, so ``passed`` holds every held ticket on it not taken then."""
        release, taken = self.release, self.taken
        return min((release[j] for j in self.passed.get((regime, did), ()) if release[j] > at and not taken[j]),
                   default=INF)

    def _take(self, at: float, did: str, regime: int, j: int) -> None:
        """Desk ``did`` calls ticket ``j`` at ``at``; it is busy for that ticket's typical desk time."""
        plan, ticket = self.plan, self.tickets[j]
        if self.record and self.release[j] > 0:
            self.plan.idle.append(IdleMoment(at, did, regime, dict(self.piled), order(plan, did, ticket)))
        self.taken[j], self.left, self.starts[j] = True, self.left - 1, at
        sharing = (plan.sharing(regime, j) if j < len(plan.waiting) else plan.open_may(regime, ticket)) or [did]
        self.variances[j] = shared_variance(self.piled, sharing)
        speed = plan.visits.speed(did)
        self.piled[did] += plan.visits.spread(ticket.service) * speed ** 2
        heapq.heappush(self.heap, (at + plan.visits.per_call(ticket.service, self.ages[j] + at) * speed, did))
