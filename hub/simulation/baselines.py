"""The textbook wait predictors our estimator is measured against.

Each is computed when a ticket is issued, from the queue as it stands then (which
holds only what has happened) and from the finished visits it was told about
(``observe``).  Definitions, for a new ticket with ``n`` waiting tickets ranked
before it, ``s`` open desks and mean visit length ``m`` learned from history:

* ``ql`` queue length (Whitt 1999): ``(n + 1) * m / s`` when every open desk is busy
  or someone is ahead, else 0 (a free desk calls at once).
* ``ql_class`` class-aware queue length: the expected work ahead that competes for
  the same desks (the mean visit length of each such ticket's reason), plus one
  visit of those at those desks, divided by the number of open desks that may
  take the new ticket; 0 when one of them is free and nobody competing is ahead.
* ``les`` last to enter service: the wait of the ticket most recently called.
* ``les_reason`` the same, among tickets of the new ticket's reason (``les`` when
  none of its reason has been called yet today).
* ``hol`` head of line: how long the longest-waiting ticket that competes for the
  same desks has waited so far (0 when there is none).
* ``les_smooth`` exponentially smoothed LES: ``E = a*W + (1-a)*E`` over today's
  calls in call order, ``a = 0.3``.
* ``slot`` the slot formula of large public citizen-office systems: position ahead
  ``n`` times the site's average handling time divided by the staffed desks,
  ``n * AHT / s`` (no idle-desk check, one site-wide AHT).

All of them return None when no desk is open (no estimate shown).
"""
from __future__ import annotations

from datetime import datetime
from functools import partial

from reception.config import Site

from hub.core import routing
from hub.core.calibration import Calibration, Forecast
from hub.core.estimate import AtIssue, Promised
from hub.core.model import SERVED, Ticket
from hub.core.queue import Queue

SMOOTHING = 0.3


class MeanVisit:
    """Mean visit length (call to finish) overall and per reason, from all served visits seen."""

    def __init__(self, site: Site):
        self.prior = {sid: s.mean_service_minutes for sid, s in site.services.items()}
        self.sums = {sid: 0.0 for sid in site.services}
        self.counts = {sid: 0 for sid in site.services}

    def observe(self, ticket: Ticket) -> None:
        if ticket.state != SERVED or ticket.called_at is None or ticket.finished_at is None:
            return
        self.sums[ticket.service] += (ticket.finished_at - ticket.called_at).total_seconds() / 60
        self.counts[ticket.service] += 1

    def of(self, service: str) -> float:
        n = self.counts[service]
        return self.sums[service] / n if n else self.prior[service]

    def overall(self) -> float:
        n = sum(self.counts.values())
        if not n:
            return sum(self.prior.values()) / len(self.prior)
        return sum(self.sums.values()) / n


class Baseline:
    """Shared plumbing: learn mean visit lengths; subclasses say how to predict."""

    def __init__(self, site: Site):
        self.site = site
        self.visits = MeanVisit(site)

    def observe(self, ticket: Ticket) -> None:
        self.visits.observe(ticket)

    def estimate_new(self, queue: Queue, now: datetime, ticket: Ticket) -> Promised:
        ahead = ahead_of(queue, ticket)
        if not queue.open_desks():
            return Promised(None, len(ahead))
        return Promised(self.predict(queue, now, ticket, ahead), len(ahead))

    def predict(self, queue: Queue, now: datetime, ticket: Ticket, ahead: list[Ticket]) -> float:
        raise NotImplementedError


def ahead_of(queue: Queue, ticket: Ticket) -> list[Ticket]:
    """Waiting tickets ranked before ``ticket`` in the queue's overall order."""
    mine = routing.rank_key(queue.site, ticket)
    return [t for t in queue.waiting() if t.key != ticket.key and routing.rank_key(queue.site, t) < mine]


def eligible_desks(queue: Queue, ticket: Ticket) -> list:
    open_cfgs = queue.open_desks()
    return [d for d in open_cfgs if routing.may_serve(queue.site, d, ticket, open_cfgs)]


def competing(queue: Queue, ticket: Ticket, tickets: list[Ticket]) -> list[Ticket]:
    """Those of ``tickets`` that one of the new ticket's desks may take."""
    open_cfgs, desks = queue.open_desks(), eligible_desks(queue, ticket)
    return [t for t in tickets if any(routing.may_serve(queue.site, d, t, open_cfgs) for d in desks)]


def called_today(queue: Queue, ticket: Ticket) -> list[Ticket]:
    """Today's tickets that have been called, in the order they were first called."""
    called = [t for t in queue.tickets.values() if t.day == ticket.day and t.first_called_at is not None]
    return sorted(called, key=lambda t: t.first_called_at)


def waited(t: Ticket) -> float:
    return (t.first_called_at - t.issued_at).total_seconds() / 60


def reason_of(t: Ticket) -> str:
    return t.original_service or t.service


class QueueLength(Baseline):
    def predict(self, queue, now, ticket, ahead):
        desks = queue.open_desks()
        busy = sum(1 for d in desks if queue.desks[d.id].current)
        if not ahead and busy < len(desks):
            return 0.0
        return (len(ahead) + 1) * self.visits.overall() / len(desks)


class ClassQueueLength(Baseline):
    def predict(self, queue, now, ticket, ahead):
        desks = eligible_desks(queue, ticket)
        if not desks:
            return None
        rivals = competing(queue, ticket, ahead)
        at_desks = [queue.current(d.id) for d in desks]
        if not rivals and any(t is None for t in at_desks):
            return 0.0
        work = sum(self.visits.of(t.service) for t in rivals)
        serving = [self.visits.of(t.service) for t in at_desks if t is not None]
        work += sum(serving) / len(serving) if serving else 0.0
        return work / len(desks)


class LastToEnterService(Baseline):
    def predict(self, queue, now, ticket, ahead):
        called = called_today(queue, ticket)
        return waited(called[-1]) if called else 0.0


class LastToEnterServiceByReason(Baseline):
    def predict(self, queue, now, ticket, ahead):
        called = called_today(queue, ticket)
        same = [t for t in called if reason_of(t) == reason_of(ticket)]
        pick = same or called
        return waited(pick[-1]) if pick else 0.0


class HeadOfLine(Baseline):
    def predict(self, queue, now, ticket, ahead):
        line = competing(queue, ticket, [t for t in queue.waiting() if t.key != ticket.key])
        if not line:
            return 0.0
        return max((now - t.issued_at).total_seconds() / 60 for t in line)


class SmoothedLastToEnterService(Baseline):
    def predict(self, queue, now, ticket, ahead):
        smoothed = None
        for t in called_today(queue, ticket):
            w = waited(t)
            smoothed = w if smoothed is None else SMOOTHING * w + (1 - SMOOTHING) * smoothed
        return smoothed or 0.0


class SlotFormula(Baseline):
    def predict(self, queue, now, ticket, ahead):
        return len(ahead) * self.visits.overall() / len(queue.open_desks())


BASELINES = {
    "ql": QueueLength,
    "ql_class": ClassQueueLength,
    "les": LastToEnterService,
    "les_reason": LastToEnterServiceByReason,
    "hol": HeadOfLine,
    "les_smooth": SmoothedLastToEnterService,
    "slot": SlotFormula,
}


class WithMargin:
    """A textbook predictor plus our learned margin, to compare forecasts at the same promise-keeping.

    Not a textbook method: it answers "is ours better only because of its margin?"
    by giving a queue-length forecast the very same ``Calibration``.
    """

    def __init__(self, site: Site, base: type[Baseline] = QueueLength):
        self.base = base(site)
        self.calibration = Calibration()
        self._issued: dict[str, AtIssue] = {}

    def observe(self, ticket: Ticket) -> None:
        self.base.observe(ticket)
        issued = self._issued.pop(ticket.key, None)
        if issued is not None and ticket.first_called_at is not None:
            self.calibration.learn(issued.forecast, waited(ticket), issued.promised)

    def estimate_new(self, queue: Queue, now: datetime, ticket: Ticket) -> Promised:
        minutes, ahead = self.base.estimate_new(queue, now, ticket)
        if minutes is None:
            return Promised(None, ahead)
        forecast = Forecast(minutes, 0.0)
        promised = self.calibration.promise(forecast)
        self._issued[ticket.key] = AtIssue(forecast, promised, "")
        return Promised(promised, ahead)


# Shown beside the baselines, never counted as one.
CALIBRATED = {"ql+margin": WithMargin, "ql_class+margin": partial(WithMargin, base=ClassQueueLength)}
