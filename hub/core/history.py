"""What the site's own finished visits and desks teach the wait estimator.

* ``VisitLengths``: how long a call keeps a desk busy, per reason (a window of recent
  visits, not one mean: the visit under way at a desk is expected to need the mean
  of the longer visits still left), how often a called citizen is not there and how
  long that costs the desk, and how fast each desk is compared with the others.
* ``Pauses``: how long a paused desk (a lunch break) usually stays away.

Both learn only from what the hub already knows: finished tickets and desk states.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import deque
from datetime import datetime

from reception.config import Site

from hub.core.model import DESK_OPEN, DESK_PAUSED, NO_SHOW, SERVED, Desk, Ticket

WINDOW = 300  # recent visits kept per reason
MIN_SAMPLES = 8  # below this the configured mean still counts
SPEED_WEIGHT = 0.03
DEFAULT_NO_SHOW_MIN = 2.0
DEFAULT_PAUSE_MIN = 30.0


def minutes_between(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 60


class VisitLengths:
    """Desk time per call, per reason, learned from the site's recent visits."""

    def __init__(self, site: Site):
        self.site = site
        self.prior = {sid: s.mean_service_minutes for sid, s in site.services.items()}
        self.served: dict[str, deque[float]] = {sid: deque(maxlen=WINDOW) for sid in site.services}
        self.absent: dict[str, deque[bool]] = {sid: deque(maxlen=WINDOW) for sid in site.services}
        self.absent_minutes: deque[float] = deque(maxlen=WINDOW)
        self.desk_speed: dict[str, float] = {}  # visit length at this desk / the reason's mean
        self._mean: dict[str, float] = {}
        self._sorted: dict[str, list[float]] = {}

    def observe(self, ticket: Ticket) -> None:
        if ticket.called_at is None or ticket.finished_at is None or ticket.service not in self.served:
            return
        minutes = minutes_between(ticket.called_at, ticket.finished_at)
        if not 0 <= minutes < 240:
            return
        if ticket.state == NO_SHOW:
            self.absent[ticket.service].append(True)
            self.absent_minutes.append(minutes)
        elif ticket.state == SERVED:
            self.absent[ticket.service].append(False)
            if ticket.desk in self.site.desks:
                ratio = minutes / max(self.visit(ticket.service), 0.5)
                old = self.desk_speed.get(ticket.desk, 1.0)
                self.desk_speed[ticket.desk] = min(3.0, max(0.33, old + SPEED_WEIGHT * (ratio - old)))
            self.served[ticket.service].append(minutes)
        else:
            return
        self._mean.pop(ticket.service, None)
        self._sorted.pop(ticket.service, None)

    def visit(self, service: str) -> float:
        """Mean length of a visit of this reason (citizen present), shrunk to the configured mean."""
        if service not in self._mean:
            samples = self.served[service]
            n = len(samples)
            self._mean[service] = (sum(samples) + MIN_SAMPLES * self.prior[service]) / (n + MIN_SAMPLES)
        return self._mean[service]

    def absent_rate(self, service: str) -> float:
        seen = self.absent[service]
        return (sum(seen) + 0.03 * MIN_SAMPLES) / (len(seen) + MIN_SAMPLES)

    def absent_cost(self) -> float:
        seen = self.absent_minutes
        return sum(seen) / len(seen) if seen else DEFAULT_NO_SHOW_MIN

    def per_call(self, service: str) -> float:
        """Expected desk time for one call of this reason, no-shows included."""
        p = self.absent_rate(service)
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
