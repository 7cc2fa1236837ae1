"""One simulated day at the reception, driving the hub's real queue core.

The simulator plays the citizens and the desk staff; everything the queue does
(numbering, routing, priorities, desks, no-shows, transfers, expiry) is the real
``hub.core.queue.Queue``.  What only the simulator knows (each citizen's visit
length, patience, whether they will be there when called, the arrivals still to
come) lives in ``_Citizen`` records and the event heap, out of the predictors'
reach: a predictor gets the queue as it stands when a ticket is issued (only the
past is in it) and learns from finished tickets through ``observe``, exactly as
the hub feeds its estimator.

Every random draw comes from streams seeded by (seed, day, purpose, citizen), so a
day is reproducible, and changing what happens late in a day cannot change a
draw made earlier in it.
"""
from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable, Iterable, Protocol

from hub.core import routing
from hub.core.estimate import Promised
from hub.core.model import DESK_CLOSED, DESK_OPEN, DESK_PAUSED, NO_SHOW, SERVED, WAITING, Ticket
from hub.core.queue import Queue
from hub.simulation.scenario import Scenario

FIRST_DAY = date(2027, 1, 4)  # a Monday; day i is the scenario's weekday in week i
FINISHED = {"served": SERVED, "no_show": NO_SHOW}


class Predictor(Protocol):
    """What the simulator asks of a wait predictor: the hub's ``WaitEstimator`` calls."""

    def observe(self, ticket: Ticket) -> None: ...

    def estimate_new(self, queue: Queue, now: datetime, ticket: Ticket) -> Promised: ...


@dataclass
class Arrival:
    """A citizen who will take a ticket: the only input a day needs besides the scenario."""

    index: int
    at: float  # minutes after local midnight
    service: str
    extras: tuple[str, ...] = ()


@dataclass
class _Citizen:
    arrival: Arrival
    preference: str
    length_z: float  # standard normal draw of the visit length
    transfer_z: float
    patience: float | None  # minutes until they give up, None = never
    absent: bool  # gone when called, whatever the wait
    kind_u: float = 0.0  # uniform draw: which kind of visit of the reason's mixture
    gone: bool = False


@dataclass
class Outcome:
    """One ticket of the day: what each predictor promised and what happened."""

    number: str
    service: str
    preference: str
    extras: tuple[str, ...]
    issued_min: float
    wait_min: float | None  # until first called; None when never called (expired)
    state: str
    abandoned: bool
    predictions: dict[str, float | None]
    at_issue: dict | None = None  # the queue as the new ticket found it (when the day is traced)


@dataclass
class DayResult:
    day: int
    outcomes: list[Outcome] = field(default_factory=list)
    busy_min: dict[str, float] = field(default_factory=dict)  # per desk, minutes with a citizen


def arrivals(scenario: Scenario, seed: int, day: int) -> list[Arrival]:
    """The day's citizens: a time-varying Poisson stream (scaled by a day factor) plus groups."""
    rng = random.Random(f"{seed}/{day}/arrivals")
    factor = math.exp(rng.gauss(0, scenario.day_spread)) if scenario.day_spread else 1.0
    factor *= scenario.weekday_factor.get(scenario.weekday, 1.0)
    services = list(scenario.reasons)
    weights = [scenario.reasons[s].share for s in services]
    times: list[tuple[float, str, tuple[str, ...]]] = []
    points = list(scenario.arrivals) + [(scenario.close_min, 0.0)]
    for (start, rate), (end, _next) in zip(points, points[1:]):
        start, end = max(start, scenario.open_min), min(end, scenario.close_min)
        t = start
        while rate > 0 and t < end:
            t += rng.expovariate(rate * factor / 60)
            if t < end:
                times.append((t, rng.choices(services, weights)[0], ()))
    for g in scenario.groups:
        if rng.random() < g.probability:
            mix = list(g.reasons)
            for _ in range(g.size):
                at = g.at + rng.uniform(0, g.within_min)
                reason = rng.choices(mix, [g.reasons[m] for m in mix])[0] if len(mix) > 1 else mix[0]
                times.append((at, reason, g.extras))
    times.sort()
    return [Arrival(i, t, s, e) for i, (t, s, e) in enumerate(times)]


def weekday_of(scenario: Scenario, day: int) -> str:
    """Day ``day`` of a run: the scenario's weekdays in turn, week after week."""
    return scenario.weekdays[day % len(scenario.weekdays)]


def day_start(scenario: Scenario, day: int) -> datetime:
    """Local midnight of simulated day ``day`` (its weekday in week ``day // len(weekdays)``)."""
    weekday = WEEKDAY_INDEX[weekday_of(scenario, day)]
    first = FIRST_DAY + timedelta(days=(weekday - FIRST_DAY.weekday()) % 7)
    return datetime.combine(first + timedelta(weeks=day // len(scenario.weekdays)), time(0), tzinfo=scenario.site.tz)


def desk_days(scenario: Scenario, seed: int, day: int) -> tuple[dict[str, tuple], dict[str, list]]:
    """Each desk's shifts and stalls on this day: absent on some days, breaks moved, stalls drawn."""
    shifts, stalls = {}, {}
    for did, plan in scenario.desks.items():
        rng = random.Random(f"{seed}/{day}/desk/{did}")
        spans = [] if plan.absent and rng.random() < plan.absent else list(plan.shifts)
        for i in range(1, len(spans)) if plan.break_jitter_min else ():
            move = rng.uniform(-plan.break_jitter_min, plan.break_jitter_min)  # the whole break, earlier or later
            move = min(max(move, spans[i - 1][0] + 1 - spans[i - 1][1]), spans[i][1] - 1 - spans[i][0])
            spans[i - 1], spans[i] = (spans[i - 1][0], spans[i - 1][1] + move), (spans[i][0] + move, spans[i][1])
        shifts[did] = tuple(spans)
        stalls[did] = _stalls(spans, plan.stalls, rng) if plan.stalls else []
    return shifts, stalls


def _stalls(spans: list, stalls: tuple[float, float, float], rng: random.Random) -> list[tuple[float, float]]:
    """Spells (a Poisson number a day, at random times of the shifts) when an open desk calls nobody."""
    per_day, median, spread = stalls
    working = sum(end - start for start, end in spans)
    out, t = [], 0.0
    while per_day and working:
        t += rng.expovariate(per_day / working)
        if t >= working:
            return out
        at, left = t, t
        for start, end in spans:  # working minute t as a time of day
            if left < end - start:
                at = start + left
                break
            left -= end - start
        out.append((at, at + median * math.exp(spread * rng.gauss(0, 1))))
    return out


WEEKDAY_INDEX = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}


class DaySimulation:
    """Runs one day; ``predictors`` are asked at every issue and told of every finished ticket."""

    def __init__(self, scenario: Scenario, seed: int, day: int, predictors: dict[str, Predictor] | None = None,
                 *, citizens: Iterable[Arrival] | None = None,
                 on_change: Callable[[Queue, datetime], None] | None = None, trace: bool = False):
        self.sc, self.seed, self.day = scenario.on(weekday_of(scenario, day)), seed, day
        scenario = self.sc
        self.site = scenario.site
        self.predictors = predictors or {}
        self.on_change = on_change
        self.trace = trace
        self.queue = Queue(self.site)
        self.midnight = day_start(scenario, day)
        self.citizens = {a.index: self._citizen(a) for a in
                         (arrivals(scenario, seed, day) if citizens is None else citizens)}
        self.by_ticket: dict[str, _Citizen] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.result = DayResult(day)
        self._heap: list = []
        self._seq = 0
        self._token: dict[str, int] = {d: 0 for d in self.site.desks}  # invalidates stale desk events
        self._stopping: dict[str, str] = {}  # desk -> status to take when its current visit ends
        self.shifts, self.stalls = desk_days(scenario, seed, day)
        self._last_shift_end = {d: (s[-1][1] if s else 0.0) for d, s in self.shifts.items()}
        self.now_min = 0.0

    # -- the citizens ------------------------------------------------------

    def _citizen(self, a: Arrival) -> _Citizen:
        rng = random.Random(f"{self.seed}/{self.day}/citizen/{a.index}")
        reason = self.sc.reasons[a.service]
        prefs = list(reason.preference)
        preference = rng.choices(prefs, [reason.preference[p] for p in prefs])[0]
        extras = tuple(e for e, share in self.sc.extras.items() if rng.random() < share)
        patience = None
        p = self.sc.patience
        if p and rng.random() < p.share:
            patience = p.median_min * math.exp(p.spread * rng.gauss(0, 1))
        citizen = _Citizen(a, preference, rng.gauss(0, 1), rng.random(), patience, rng.random() < reason.no_show)
        citizen.kind_u = rng.random()  # drawn last: scenarios without a mixture keep every earlier draw
        a.extras = tuple(dict.fromkeys(a.extras + extras))
        return citizen

    def _visit_minutes(self, citizen: _Citizen, service: str, desk: str) -> float:
        reason = self.sc.reasons.get(service)
        median = reason.median_min if reason else self.site.services[service].mean_service_minutes
        spread = reason.spread if reason else 0.5
        own = service == citizen.arrival.service
        share = 0.0
        for part, part_median, part_spread in reason.mixture if reason and own else ():
            share += part
            if citizen.kind_u < share:  # one of the other kinds of visit (e.g. the long ones)
                median, spread = part_median, part_spread
                break
        z = citizen.length_z if own else -citizen.length_z
        return max(0.5, median * math.exp(spread * z)) / self.sc.desks[desk].speed

    # -- the event loop ----------------------------------------------------

    def at(self, minutes: float) -> datetime:
        return self.midnight + timedelta(minutes=minutes)

    def _schedule(self, minutes: float, action: Callable, *args) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (minutes, self._seq, action, args))

    def run(self) -> DayResult:
        for citizen in self.citizens.values():
            self._schedule(citizen.arrival.at, self._arrive, citizen)
        for did, shifts in self.shifts.items():
            for i, (start, end) in enumerate(shifts):
                self._schedule(start, self._shift_start, did)
                last = i == len(shifts) - 1
                self._schedule(end, self._shift_end, did, DESK_CLOSED if last else DESK_PAUSED)
            for _start, end in self.stalls[did]:
                self._schedule(end, self._stall_over, did)
        while self._heap:
            self.now_min, _seq, action, args = heapq.heappop(self._heap)
            action(*args)
            if self.on_change is not None:
                self.on_change(self.queue, self.at(self.now_min))
        expiry = self.sc.close_min + self.site.queue.expire_after_close_minutes + 1
        self._apply(self.queue.expire_due(self.at(max(expiry, self.now_min))))
        for key, outcome in self.outcomes.items():
            outcome.state = self.queue.tickets[key].state
        self.result.outcomes = list(self.outcomes.values())
        return self.result

    # -- handlers ----------------------------------------------------------

    def _arrive(self, citizen: _Citizen) -> None:
        now = self.at(self.now_min)
        a = citizen.arrival
        ticket, effects = self.queue.issue(a.service, now, preference=citizen.preference, extras=a.extras)
        self.by_ticket[ticket.key] = citizen
        predictions = {name: p.estimate_new(self.queue, now, ticket)[0] for name, p in self.predictors.items()}
        self.outcomes[ticket.key] = Outcome(ticket.number, a.service, ticket.preference, ticket.extras,
                                            self.now_min, None, WAITING, False, predictions,
                                            self._at_issue(ticket) if self.trace else None)
        if citizen.patience is not None:
            self._schedule(self.now_min + citizen.patience, self._give_up, citizen, ticket.key)
        self._wake_idle(ticket)

    def _at_issue(self, ticket: Ticket) -> dict:
        """What the hub knew when the ticket was issued: its place, the queue, the desks."""
        waiting = self.queue.waiting()
        status = {d.id: d.status for d in self.queue.desks.values()}
        open_ids = [d for d, s in status.items() if s == DESK_OPEN]
        return {"position": waiting.index(ticket), "waiting": len(waiting),
                "desks_open": len(open_ids), "desks_busy": sum(bool(self.queue.desks[d].current) for d in open_ids),
                "desks_paused": sum(s == DESK_PAUSED for s in status.values()), "open": " ".join(open_ids)}

    def _give_up(self, citizen: _Citizen, key: str) -> None:
        if self.queue.tickets[key].state == WAITING:
            citizen.gone = True
            self.outcomes[key].abandoned = True

    def _shift_start(self, desk: str) -> None:
        self._stopping.pop(desk, None)
        if self.queue.desks[desk].status != DESK_OPEN:
            self._apply(self.queue.command(desk, "open", self.at(self.now_min)))
        self._wake_idle()

    def _shift_end(self, desk: str, status: str) -> None:
        if self.queue.desks[desk].current:
            self._stopping[desk] = status  # the visit at the desk is finished first
        elif not self._keeps_serving(desk, status):
            self._set_status(desk, status)

    def _keeps_serving(self, desk: str, status: str) -> bool:
        """After the last shift ends at closing, staff see to everyone still inside who is theirs."""
        return (status == DESK_CLOSED and self._last_shift_end[desk] >= self.sc.close_min
                and self.queue.desks[desk].status == DESK_OPEN and bool(self.queue.desk_queue(desk)))

    def _set_status(self, desk: str, status: str) -> None:
        self._stopping.pop(desk, None)
        action = {DESK_PAUSED: "pause", DESK_CLOSED: "close"}[status]
        self._apply(self.queue.command(desk, action, self.at(self.now_min)))
        self._wake_idle()  # who may serve whom can change when a desk goes

    def _visit_over(self, desk: str, token: int, transfer: bool) -> None:
        if token != self._token[desk]:
            return
        now = self.at(self.now_min)
        current = self.queue.current(desk)
        if transfer and current is not None:
            citizen = self.by_ticket[current.key]
            service = self.sc.reasons[citizen.arrival.service].transfer_service
            self._apply(self.queue.command(desk, "transfer", now, service=service, to_kind="staff"))
            self._after_visit(desk)
            self._wake_idle()  # staff may take the handed-on citizen now
            return
        self._after_visit(desk)

    def _absent(self, desk: str, token: int) -> None:
        if token != self._token[desk]:
            return
        self._apply(self.queue.command(desk, "noshow", self.at(self.now_min)))
        self._after_visit(desk)

    def _after_visit(self, desk: str) -> None:
        stop = self._stopping.get(desk)
        if stop and not self._keeps_serving(desk, stop):
            if self.queue.desks[desk].current:
                self._apply(self.queue.command(desk, "done", self.at(self.now_min)))
            self._set_status(desk, stop)
            return
        self._call_next(desk)

    def _stalled(self, desk: str) -> bool:
        return any(start <= self.now_min < end for start, end in self.stalls[desk])

    def _stall_over(self, desk: str) -> None:
        d = self.queue.desks[desk]
        if d.status == DESK_OPEN and not d.current and not self._stopping.get(desk):
            self._call_next(desk)

    def _call_next(self, desk: str) -> None:
        """The desk presses call-next; the real routing decides who comes."""
        if self._stalled(desk):  # open, but not calling until the stall is over (``_stall_over``)
            if self.queue.desks[desk].current:
                self._apply(self.queue.command(desk, "done", self.at(self.now_min)))
            return
        self._apply(self.queue.command(desk, "next", self.at(self.now_min)))
        self._token[desk] += 1
        ticket = self.queue.current(desk)
        if ticket is None:
            if self._stopping.get(desk):
                self._set_status(desk, self._stopping[desk])
            elif self.now_min >= self._last_shift_end[desk]:
                self._set_status(desk, DESK_CLOSED)  # stayed on after closing, and everyone is seen
            return
        outcome = self.outcomes[ticket.key]
        if outcome.wait_min is None:
            outcome.wait_min = (ticket.first_called_at - ticket.issued_at).total_seconds() / 60
        citizen = self.by_ticket[ticket.key]
        if citizen.gone or (citizen.absent and ticket.transfers == 0):
            self._schedule(self.now_min + self.sc.noshow_after_min, self._absent, desk, self._token[desk])
            return
        kind = self.site.desks[desk].kind
        reason = self.sc.reasons[citizen.arrival.service]
        transfer = kind == "volunteer" and citizen.transfer_z < reason.transfer_to_staff
        minutes = self._visit_minutes(citizen, ticket.service, desk) * (0.5 if transfer else 1.0)
        self.result.busy_min[desk] = self.result.busy_min.get(desk, 0.0) + minutes
        self._schedule(self.now_min + minutes, self._visit_over, desk, self._token[desk], transfer)

    def _wake_idle(self, ticket: Ticket | None = None) -> None:
        """Open desks with nobody at them call as soon as someone they may serve is waiting."""
        open_cfgs = self.queue.open_desks()
        for cfg in open_cfgs:
            desk = self.queue.desks[cfg.id]
            if desk.current or self._stopping.get(cfg.id) or self._stalled(cfg.id):
                continue
            if ticket is not None and not routing.may_serve(self.site, cfg, ticket, open_cfgs):
                continue
            self._call_next(cfg.id)

    def _apply(self, effects) -> None:
        """Tell the predictors of every ticket that has just finished, as the hub does."""
        for event in effects.events:
            if event.kind in FINISHED and event.ticket in self.queue.tickets:
                ticket = self.queue.tickets[event.ticket]
                for p in self.predictors.values():
                    p.observe(ticket)


def run_day(scenario: Scenario, seed: int, day: int, predictors: dict[str, Predictor] | None = None,
            **kwargs) -> DayResult:
    return DaySimulation(scenario, seed, day, predictors, **kwargs).run()
