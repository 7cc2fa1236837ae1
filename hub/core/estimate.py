"""Estimated waits: how long until a ticket is called.

``WaitEstimator`` is the small interface the hub uses (``observe``, ``estimate``,
``estimate_new``); ``ForwardSimulation`` is our implementation, in two steps:

1. A forward simulation of the queue as it stands, with the real routing rules
   (``routing.may_serve``, ``routing.rank_key``, the private room first, appointments
   checked in early held until their booked time, then ranked ahead): each desk
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
   is rarely broken: from the site's own recent (forecast, actual) pairs, per visit
   reason and choice of desk kind where there are enough, the margins that keep
   waits more than 2 minutes past the promise at about 8.5%, as tight as they can.
   A waiting ticket's republished promise keeps the margin it got at issue
   (shrinking with the wait) and moves only when it changes by more than a minute,
   a fifth of the wait or 1.25 of the forecast's spreads.

An update costs one run of the simulation (``hub.core.plan``); the board's wait per
service and desk kind comes from that same run.  ``reception bench eta`` measures it:
about 2.5 ms for 100 waiting tickets on the 2-core development machine when it is
not busy (27 ms before the run was shared).  Several
tickets issued together are estimated with one run (``estimate_issued``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, Protocol

from reception import schedule
from reception.config import DESK_KINDS, Site

from hub.core.calibration import Calibration, Forecast
from hub.core.history import DeskCalendar, Pauses, PriorityArrivals, Span, VisitLengths, minutes_between
from hub.core.model import DESK_OPEN, DESK_PAUSED, Ticket
from hub.core.plan import INF, DeskWindows, Plan, Shared
from hub.core.queue import Queue

PHANTOM = "~new"
FORECASTS_KEPT = 5000  # raw forecasts of tickets not yet called, to learn from when they are
LATE_OPENING_MIN = 5.0  # a closed desk that is usually open by now is expected this soon ...
ABSENT_AFTER_MIN = 15.0  # ... until it is this late: then it is not expected today
STEADY_MIN = 1.0  # a republished promise moves only when it changes by at least this ...
STEADY_SHARE = 0.2  # ... or by this share of the wait still ahead ...
STEADY_SPREADS = 1.25  # ... or by this many of the forecast's own spreads, whichever is most


@dataclass
class Estimates:
    """Minutes until called; None where no open desk can take the ticket."""

    tickets: dict[str, float | None] = field(default_factory=dict)  # by ticket key
    ahead: dict[str, int] = field(default_factory=dict)  # by ticket key
    services: dict[str, dict[str, float | None]] = field(default_factory=dict)  # service -> kind -> minutes
    kinds: dict[str, float | None] = field(default_factory=dict)


class Promised(NamedTuple):
    """What a citizen is told at issue: minutes until called (None: no desk can take them now), and how
    many are ahead (None: not counted)."""

    minutes: float | None
    ahead: int | None


class AtIssue(NamedTuple):
    """Kept from a ticket's issue until it is called, to learn the margins from."""

    forecast: Forecast
    promised: float
    group: str


class WaitEstimator(Protocol):
    def observe(self, ticket: Ticket) -> None:
        """Learn from a ticket that has just finished (served or no-show)."""

    def estimate(self, queue: Queue, now: datetime) -> Estimates:
        """Waits of every waiting ticket, and of a new ticket per service and desk kind."""

    def estimate_new(self, queue: Queue, now: datetime, ticket: Ticket) -> Promised:
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
        self._forecasts: dict[str, AtIssue] = {}  # by ticket key
        self._published: dict[str, float | None] = {}  # ticket key -> promised call time (epoch minutes)
        self._session_minute: datetime | None = None  # the volunteers' session as of this minute ...
        self._volunteers_until: datetime | None = None  # ... ends then
        self._shared = Shared()

    def observe(self, ticket: Ticket) -> None:
        self.visits.observe(ticket)
        self.arrivals.observe(ticket)
        issued = self._forecasts.pop(ticket.key, None)
        if issued is not None and ticket.first_called_at is not None:
            self.calibration.learn(issued.forecast, minutes_between(ticket.issued_at, ticket.first_called_at),
                                   issued.promised, issued.group)

    def estimate(self, queue: Queue, now: datetime) -> Estimates:
        plan = self._plan(queue, now)
        forecasts = plan.run()
        promises = {k: not_before_booked(queue.tickets[k], self._republish(k, v, queue.tickets[k]), now)
                    for k, v in forecasts.items()}
        result = Estimates(tickets=self._steady(now, promises, forecasts), ahead=_ahead(forecasts))
        open_cfgs = queue.open_desks()
        for sid, svc in self.site.services.items():
            result.services[sid] = {}
            for kind in sorted(svc.served_by):
                if not any(d.kind == kind and sid in d.services for d in open_cfgs):
                    result.services[sid][kind] = None  # nobody of this kind can help now
                    continue
                phantom = Ticket(PHANTOM, sid, "", now, kind if svc.citizen_chooses else "any")
                result.services[sid][kind] = self._promise(plan.phantom(phantom), phantom)
        for kind in DESK_KINDS:
            values = [v[kind] for v in result.services.values() if v.get(kind) is not None]
            result.kinds[kind] = sum(values) / len(values) if values else None
        return result

    def estimate_new(self, queue: Queue, now: datetime, ticket: Ticket) -> Promised:
        forecasts = self._plan(queue, now).run()
        return Promised(self._at_issue(ticket, forecasts.get(ticket.key)), _ahead(forecasts).get(ticket.key, 0))

    def estimate_issued(self, queue: Queue, now: datetime, tickets: list[Ticket]) -> list[Promised]:
        """``estimate_new`` for several tickets issued together (one commit group): one run for all, and
        only their forecasts, so those ahead are not counted here (None; the hub counts the ticket's own
        line, ``Queue.ahead``)."""
        forecasts = self._plan(queue, now).forecasts([t.key for t in tickets])
        return [Promised(self._at_issue(t, forecasts[t.key]), None) for t in tickets]

    def _at_issue(self, ticket: Ticket, forecast: Forecast | None) -> float | None:
        """The wait promised to a ticket just issued; its forecast is kept to learn the margins from."""
        promised = self._promise(forecast, ticket)
        if forecast is not None:
            self._forecasts[ticket.key] = AtIssue(forecast, promised, group_of(ticket))
            if len(self._forecasts) > FORECASTS_KEPT:
                del self._forecasts[next(iter(self._forecasts))]
        return promised

    def _steady(self, now: datetime, promises: dict[str, float | None],
                forecasts: dict[str, Forecast | None]) -> dict[str, float | None]:
        """Keep a ticket's promised call time while the new one is within its band.

        Every finished visit shifts the forecasts a little, back and forth; republishing
        each shift makes the board and the queue flicker without telling anyone anything
        useful.  A longer or less certain wait may move more before it is republished: a
        change within the forecast's own spread is news to nobody (in a small office one
        long visit moves an hour's queue by whole minutes, and back again).
        """
        clock = now.timestamp() / 60
        published = {}
        for key, minutes in promises.items():
            old = self._published.get(key)
            forecast = forecasts.get(key)
            spread = forecast.spread if forecast is not None else 0.0
            band = max(STEADY_MIN, STEADY_SHARE * (minutes or 0.0), STEADY_SPREADS * spread)
            if minutes is not None and old is not None and abs(clock + minutes - old) < band:
                minutes = max(0.0, old - clock)
            published[key] = None if minutes is None else clock + minutes
            promises[key] = minutes
        self._published = published
        return promises

    def _republish(self, key: str, forecast: Forecast | None, ticket: Ticket) -> float | None:
        """A waiting ticket's promise: the forecast now plus the margin it was given at issue, shrinking
        with the wait still ahead.  The learned margins step from one range of waits to the next; a
        ticket crossing ranges as it waits would see its promise jump with each step."""
        issued = self._forecasts.get(key)
        if forecast is None or issued is None or issued.promised is None:
            return self._promise(forecast, ticket)
        at_issue = issued.forecast.minutes
        margin = issued.promised - at_issue
        return max(0.0, forecast.minutes + margin * min(1.0, forecast.minutes / max(at_issue, 1.0)))

    def _promise(self, forecast: Forecast | None, ticket: Ticket) -> float | None:
        return None if forecast is None else self.calibration.promise(forecast, group_of(ticket))

    def _plan(self, queue: Queue, now: datetime) -> Plan:
        """Each desk's working windows from now on (minutes), and when it is free of its current visit."""
        self.pauses.watch(queue.desks)
        self.calendar.watch(queue.desks, now)
        until = self._session_end(now)
        windows: dict[str, DeskWindows] = {}
        for did, desk in queue.desks.items():
            cfg = self.site.desks.get(did)
            if cfg is None:
                continue
            spans = self._windows(desk, now)
            if cfg.kind == "volunteer" and until:  # the session's end is known from the site file
                end = minutes_between(now, until)
                spans = [Span(s, min(e, end)) for s, e in spans if s < end]
            if spans:
                windows[did] = DeskWindows(spans, max(spans[0].start, self._busy(queue, did, now)))
        return Plan(self.site, self.visits, self.arrivals, queue.waiting_and_held(), windows, now, self._shared)

    def _session_end(self, now: datetime) -> datetime | None:
        """When the volunteers' session under way ends (None: none now), looked up once a minute: sessions
        start and end on whole minutes."""
        minute = now.replace(second=0, microsecond=0)
        if self._session_minute != minute:
            self._session_minute, self._volunteers_until = minute, schedule.volunteers_until(self.site, minute)
        return self._volunteers_until

    def _windows(self, desk, now: datetime) -> list[Span]:
        """When the desk will take calls: its status now, then its usual days (``DeskCalendar``)."""
        usual = self.calendar.windows(desk.id, now)
        paused_for = minutes_between(desk.status_since, now) if desk.status_since else 0.0
        back = max(2.0, self.pauses.typical() - paused_for)  # a paused desk that is usually open now
        if usual is None:  # no history yet: as it is now, a pause lasting the typical time
            return {DESK_OPEN: [Span(0.0, INF)], DESK_PAUSED: [Span(back, INF)]}.get(desk.status, [])
        if desk.status == DESK_OPEN:
            return [Span(0.0, usual[0].end if usual else INF)] + usual[1:]  # open now: until its usual end
        late = back if desk.status == DESK_PAUSED else LATE_OPENING_MIN
        if desk.status != DESK_PAUSED and self._not_coming(desk, now):
            return [span for span in usual if span.start > 0]  # not in today, as on the days a desk is unstaffed
        return [Span(max(s, late) if s == 0 else s, e) for s, e in usual if max(s, late) < e or s > 0]

    def _not_coming(self, desk, now: datetime) -> bool:
        """A closed desk that should have opened ``ABSENT_AFTER_MIN`` ago (and has not since) is not coming."""
        late = self.calendar.open_for(desk.id, now)
        closed_for = minutes_between(desk.status_since, now) if desk.status_since else INF
        return late is not None and min(late, closed_for) > ABSENT_AFTER_MIN

    def _busy(self, queue: Queue, desk_id: str, now: datetime) -> float:
        current = queue.current(desk_id)
        if current is None or current.called_at is None:
            return 0.0
        speed = self.visits.speed(desk_id)
        elapsed = minutes_between(current.called_at, now)
        return speed * self.visits.remaining(current.service, elapsed / speed)


def default_estimator(site: Site) -> WaitEstimator:
    """The estimator the hub runs."""
    return ForwardSimulation(site)


def not_before_booked(ticket: Ticket, eta: float | None, now: datetime) -> float | None:
    """An early appointment is called at its booked time at the earliest: its wait is at least that long."""
    if ticket.booked_at is None or ticket.booked_at <= now:
        return eta
    return max(eta or 0.0, (ticket.booked_at - now).total_seconds() / 60)


def group_of(ticket: Ticket) -> str:
    """The margin's group: the visit reason and the citizen's choice of desk kind."""
    return f"{ticket.original_service or ticket.service}/{ticket.preference}"


def _ahead(forecasts: dict[str, Forecast | None]) -> dict[str, int]:
    known = sorted((f.minutes, k) for k, f in forecasts.items() if f is not None)
    ahead = {k: i for i, (_m, k) in enumerate(known)}
    return {k: ahead.get(k, len(known)) for k in forecasts}
