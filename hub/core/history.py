"""What the site's own finished visits and desks teach the wait estimator.

* ``VisitLengths``: how long a call keeps a desk busy, per reason (a window of recent
  visits, not one mean: the visit under way at a desk is expected to need the mean
  of the longer visits still left), how often a called citizen is no longer there,
  by how long they had waited (the longer the wait, the more have given up), what
  that costs the desk, and how fast each desk is compared with the others.
* ``Pauses``: how long a paused desk (a lunch break) usually stays away.

Both learn only from what the hub already knows: finished tickets and desk states.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import deque
from datetime import datetime
from typing import NamedTuple

from reception.config import WEEKDAYS, Site

from hub.core import routing
from hub.core.model import DESK_OPEN, DESK_PAUSED, NO_SHOW, SERVED, Desk, Ticket

WINDOW = 300  # recent visits kept per reason
MIN_SAMPLES = 8  # below this the configured mean still counts
SPEED_WEIGHT = 0.03
DEFAULT_NO_SHOW_MIN = 2.0
DEFAULT_ABSENT = 0.03
WAIT_BINS = (5, 10, 20, 30, 45, 60, 90)  # minutes waited: the longer, the more have given up
DEFAULT_PAUSE_MIN = 30.0


def minutes_between(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 60


class Span(NamedTuple):
    """Minutes (from now, or of the day) when a desk works; ``end`` is ``INF`` when it works until everyone is seen."""

    start: float
    end: float


class StatusChange(NamedTuple):
    """A desk's status as the calendar logs it: since when, and whether it was open then."""

    since: datetime
    is_open: bool


class ArrivalKind(NamedTuple):
    """What ``PriorityArrivals`` counts by: a weekday and the kind of ticket issued."""

    weekday: int
    service: str
    preference: str
    extras: tuple[str, ...]


class ExpectedArrivals(NamedTuple):
    """One kind of citizen expected to be ranked ahead: a ticket like theirs, and arrivals per minute
    in each quarter hour of the day."""

    like: Ticket
    rates: list[float]


class VisitLengths:
    """Desk time per call, per reason, learned from the site's recent visits."""

    def __init__(self, site: Site):
        self.site = site
        self.prior = {sid: s.mean_service_minutes for sid, s in site.services.items()}
        self.served: dict[str, deque[float]] = {sid: deque(maxlen=WINDOW) for sid in site.services}
        self.absent_by_wait: list[deque[bool]] = [deque(maxlen=WINDOW) for _ in range(len(WAIT_BINS) + 1)]
        self._absent_rates: list[float] | None = None
        self.absent_minutes: deque[float] = deque(maxlen=WINDOW)
        self._absent_cost: float | None = None
        self.desk_speed: dict[str, float] = {}  # visit length at this desk / the reason's mean
        self._mean: dict[str, float] = {}
        self._var: dict[str, float] = {}
        self._sorted: dict[str, list[float]] = {}

    def observe(self, ticket: Ticket) -> None:
        if ticket.called_at is None or ticket.finished_at is None or ticket.service not in self.served:
            return
        minutes = minutes_between(ticket.called_at, ticket.finished_at)
        if not 0 <= minutes < 240:
            return
        if ticket.state not in (NO_SHOW, SERVED):
            return
        if ticket.first_called_at is not None:
            waited = minutes_between(ticket.issued_at, ticket.first_called_at)
            self.absent_by_wait[bisect_right(WAIT_BINS, waited)].append(ticket.state == NO_SHOW)
        if ticket.state == NO_SHOW:
            self.absent_minutes.append(minutes)
        else:
            if ticket.desk in self.site.desks:
                ratio = minutes / max(self.visit(ticket.service), 0.5)
                old = self.desk_speed.get(ticket.desk, 1.0)
                self.desk_speed[ticket.desk] = min(3.0, max(0.33, old + SPEED_WEIGHT * (ratio - old)))
            self.served[ticket.service].append(minutes)
        self._absent_rates = self._absent_cost = None
        self._mean.pop(ticket.service, None)
        self._var.pop(ticket.service, None)
        self._sorted.pop(ticket.service, None)

    def visit(self, service: str) -> float:
        """Mean length of a visit of this reason (citizen present), shrunk to the configured mean."""
        if service not in self._mean:
            samples = self.served[service]
            n = len(samples)
            self._mean[service] = (sum(samples) + MIN_SAMPLES * self.prior[service]) / (n + MIN_SAMPLES)
        return self._mean[service]

    def spread(self, service: str) -> float:
        """Variance of a visit's length (minutes squared), shrunk to a coefficient of variation of 0.5."""
        if service not in self._var:
            samples = self.served[service]
            mean = self.visit(service)
            prior = (0.5 * mean) ** 2
            var = sum((x - mean) ** 2 for x in samples) / (len(samples) - 1) if len(samples) > 1 else prior
            self._var[service] = (var * len(samples) + prior * MIN_SAMPLES) / (len(samples) + MIN_SAMPLES)
        return self._var[service]

    def absent_rate(self, waited: float) -> float:
        """Share of citizens gone when called after waiting this long (no-shows and those who gave up)."""
        if self._absent_rates is None:
            overall = [x for seen in self.absent_by_wait for x in seen]
            base = (sum(overall) + DEFAULT_ABSENT * MIN_SAMPLES) / (len(overall) + MIN_SAMPLES)
            self._absent_rates = [(sum(seen) + base * MIN_SAMPLES) / (len(seen) + MIN_SAMPLES)
                                  for seen in self.absent_by_wait]
        return self._absent_rates[bisect_right(WAIT_BINS, waited)]

    def absent_cost(self) -> float:
        """Desk minutes a call in vain costs (the mean of the recent ones): asked for every call a play
        foresees, so worked out once per visit learned."""
        if self._absent_cost is None:
            seen = self.absent_minutes
            self._absent_cost = sum(seen) / len(seen) if seen else DEFAULT_NO_SHOW_MIN
        return self._absent_cost

    def per_call(self, service: str, waited: float) -> float:
        """Expected desk time for calling a citizen of this reason who will have waited ``waited``."""
        p = self.absent_rate(waited)
        return (1 - p) * self.visit(service) + p * self.absent_cost()

    def speed(self, desk: str) -> float:
        """Factor on visit lengths at this desk (0.8: its visits take 80% of the usual)."""
        return self.desk_speed.get(desk, 1.0)

    def remaining(self, service: str, elapsed: float) -> float:
        """Expected minutes left of a visit that has lasted ``elapsed`` so far."""
        samples = self._sorted.get(service)
        if samples is None:
            samples = self._sorted[service] = sorted(self.served[service])
        longer = samples[bisect_right(samples, elapsed):]
        if len(longer) >= MIN_SAMPLES:
            return max(0.5, sum(longer) / len(longer) - elapsed)
        return max(1.0, self.visit(service) - elapsed, 0.25 * self.visit(service))


class Pauses:
    """How long desks stay paused, learned by watching their status change."""

    def __init__(self):
        self.seen: deque[float] = deque(maxlen=100)
        self._paused_since: dict[str, datetime] = {}

    def watch(self, desks: dict[str, Desk]) -> None:
        for desk in desks.values():
            if desk.status == DESK_PAUSED and desk.status_since is not None:
                self._paused_since[desk.id] = desk.status_since
            elif desk.id in self._paused_since:
                since = self._paused_since.pop(desk.id)
                if desk.status == DESK_OPEN and desk.status_since is not None:
                    self.seen.append(minutes_between(since, desk.status_since))

    def typical(self) -> float:
        if not self.seen:
            return DEFAULT_PAUSE_MIN
        return sorted(self.seen)[len(self.seen) // 2]


SLOT_MIN = 5
SLOTS = 24 * 60 // SLOT_MIN
DAYS_KEPT = 8
INF = float("inf")


class DeskCalendar:
    """When each desk is usually open, by weekday and time of day, from the desks' own history.

    Staff lunch breaks, a desk that always closes at 13:00 or a meeting room that
    opens at 9:30 are not in the site file, but they repeat.  The calendar follows
    every desk's status changes (exact times from ``status_since``) and, each new
    day, folds the finished day into a per-weekday profile of the last few days.
    """

    def __init__(self, site: Site):
        self.site = site
        self._day: str | None = None
        self._weekday = 0
        self._log: dict[str, list[StatusChange]] = {}
        self._last_seen: datetime | None = None
        self.days: dict[tuple[int, str], deque[list[bool]]] = {}
        self._profiles: dict[tuple[int, str], list[bool] | None] = {}
        self._spans_from: dict[tuple[int, str, int], list[Span] | None] = {}

    def watch(self, desks: dict[str, Desk], now: datetime) -> None:
        local = now.astimezone(self.site.tz)
        day = local.date().isoformat()
        if day != self._day:
            self._fold()
            self._day, self._weekday, self._log = day, local.weekday(), {}
        for desk in desks.values():
            since = desk.status_since or now
            log = self._log.setdefault(desk.id, [])
            state = StatusChange(since, desk.status == DESK_OPEN)
            if not log or log[-1] != state:
                log.append(state)
        self._last_seen = now

    def _fold(self) -> None:
        if self._day is None or self._last_seen is None:
            return
        for did, log in self._log.items():
            profile = [False] * SLOTS
            changes = sorted(log)
            ends = [self._slot(change.since) for change in changes[1:]] + [SLOTS]  # open at the end: stays so
            for change, end in zip(changes, ends):
                if change.is_open:
                    for slot in range(self._slot(change.since), end):
                        profile[slot] = True
            self.days.setdefault((self._weekday, did), deque(maxlen=DAYS_KEPT)).append(profile)
        self._profiles.clear()
        self._spans_from.clear()

    def _slot(self, t: datetime) -> int:
        local = t.astimezone(self.site.tz)
        if local.date().isoformat() != self._day:
            return 0 if local.date().isoformat() < self._day else SLOTS
        return (local.hour * 60 + local.minute) // SLOT_MIN

    def _usual(self, weekday: int, desk_id: str) -> list[bool] | None:
        """Per slot of the day: open on at least half of the days kept."""
        key = (weekday, desk_id)
        if key not in self._profiles:
            days = self.days.get(key)
            self._profiles[key] = [sum(d[s] for d in days) * 2 >= len(days) for s in range(SLOTS)] if days else None
        return self._profiles[key]

    def windows(self, desk_id: str, now: datetime) -> list[Span] | None:
        """Minutes from now when the desk is usually open for the rest of today; None without history."""
        local = now.astimezone(self.site.tz)
        minute = local.hour * 60 + local.minute + local.second / 60
        spans = self._spans(local.weekday(), desk_id, int(minute) // SLOT_MIN)
        if spans is None:
            return None
        return [Span(max(0.0, s - minute), e if e == INF else max(0.0, e - minute)) for s, e in spans]

    def open_for(self, desk_id: str, now: datetime) -> float | None:
        """Minutes since the desk's usual open span of this moment began; None when usually closed now."""
        local = now.astimezone(self.site.tz)
        minute = local.hour * 60 + local.minute + local.second / 60
        for start, end in self._spans(local.weekday(), desk_id, 0) or ():
            if start <= minute < end:
                return minute - start
        return None

    def _spans(self, weekday: int, desk_id: str, first: int) -> list[Span] | None:
        """The usual open spans (minutes of the day) from slot ``first`` on, worked out once per slot."""
        key = (weekday, desk_id, first)
        if key not in self._spans_from:
            usual = self._usual(weekday, desk_id)
            hours = self.site.hours.get(WEEKDAYS[weekday])
            closing = hours.end.hour * 60 + hours.end.minute if hours else 0
            found, start = [], None
            for s in range(first, SLOTS) if usual else ():
                if usual[s] and start is None:
                    start = s * SLOT_MIN
                elif not usual[s] and start is not None:
                    # Working until closing or later: staff see everyone still inside, however long that takes.
                    found.append(Span(start, INF if s * SLOT_MIN >= closing else s * SLOT_MIN))
                    start = None
            if start is not None:
                found.append(Span(start, INF))
            self._spans_from[key] = found if usual else None
        return self._spans_from[key]


class PriorityArrivals:
    """How many citizens arrive, quarter by quarter of the day, who will be ranked ahead of those
    already waiting.

    A ticket with a head start (an appointment, a carer) that is issued later can
    still be called first; on a day with many of them, that is the main reason a
    plain forward look is too optimistic.  Counted per weekday, kind of ticket and
    quarter hour, so a bus from a care home that comes at 10:20 on Wednesdays is
    expected then, not spread over the morning.
    """

    def __init__(self, site: Site):
        self.site = site
        self.days: dict[int, set[str]] = {}  # weekday -> days seen
        self.counts: dict[ArrivalKind, list[int]] = {}
        self.version = 0  # changes whenever ``expected`` would

    def observe(self, ticket: Ticket) -> None:
        local = ticket.issued_at.astimezone(self.site.tz)
        days = self.days.setdefault(local.weekday(), set())
        if ticket.day not in days:
            days.add(ticket.day)
            self.version += 1
        if routing.head_start(self.site, ticket) > 0:
            self.version += 1
            key = ArrivalKind(local.weekday(), ticket.original_service or ticket.service, ticket.preference,
                              ticket.extras)
            self.counts.setdefault(key, [0] * ARRIVAL_SLOTS)[(local.hour * 60 + local.minute) // ARRIVAL_SLOT_MIN] += 1

    def expected(self, now: datetime) -> list[ExpectedArrivals]:
        """For each kind seen on this weekday: the citizens expected to come."""
        weekday = now.astimezone(self.site.tz).weekday()
        days = max(1, len(self.days.get(weekday, ())))
        return [ExpectedArrivals(Ticket("~priority", kind.service, "", now, kind.preference, kind.extras),
                                 [n / days / ARRIVAL_SLOT_MIN for n in slots])
                for kind, slots in self.counts.items() if kind.weekday == weekday]


ARRIVAL_SLOT_MIN = 15
ARRIVAL_SLOTS = 24 * 60 // ARRIVAL_SLOT_MIN
