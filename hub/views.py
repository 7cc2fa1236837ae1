"""What the hub tells the devices, as the contract's message types.

Pure functions of the queue, the estimates and the time; the MQTT adapter only
publishes them (``to_payload``).  Only numbers, services, desks and times leave the
hub; extra needs go to the desk that serves the citizen, never to the board.
"""
from __future__ import annotations

import math
from collections import Counter
from datetime import datetime

from reception import schedule
from reception.config import DESK_KINDS, Site
from reception.protocol import (BoardSnapshot, CallEvent, DeskState, IssuedTicket, KindWait, QueuedTicket,
                                QueueSnapshot, ServiceWait, TicketAtDesk)

from hub.core.estimate import Estimates, not_before_booked
from hub.core.model import DESK_OPEN, Ticket
from hub.core.queue import Queue

DESK_QUEUE_LENGTH = 5


def minutes(value: float | None) -> int | None:
    """Whole minutes, rounded up: a promise should rather be kept early than late."""
    return None if value is None else max(0, math.ceil(value - 1e-9))


def waited(ticket: Ticket, now: datetime) -> float:
    return round((now - ticket.issued_at).total_seconds() / 60, 1)


def ticket_view(ticket: Ticket, eta: float | None, ahead: int, walk_in: str | None = None) -> IssuedTicket:
    """The ticket as the kiosk shows and prints it; ``walk_in``: why a booking became a walk-in."""
    return IssuedTicket(ticket.number, ticket.service, ticket.preference, ticket.issued_at, ahead, minutes(eta),
                        ticket.offline, ticket.booked_at, walk_in)


def desk_state(site: Site, queue: Queue, desk_id: str, now: datetime) -> DeskState:
    desk, cfg = queue.desks[desk_id], site.desks[desk_id]
    current = queue.current(desk_id)
    upcoming = queue.desk_queue(desk_id)
    return DeskState(desk_id, desk.status, None if current is None else _at_desk(current, now),
                     tuple(TicketAtDesk(t.number, t.service, waited(t, now), tuple(t.extras))
                           for t in upcoming[:DESK_QUEUE_LENGTH]),
                     len(upcoming), now, kind=cfg.kind)


def _at_desk(current: Ticket, now: datetime) -> TicketAtDesk:
    """The desk's current ticket; its wait stops when it is first called."""
    wait = round(((current.first_called_at or now) - current.issued_at).total_seconds() / 60, 1)
    return TicketAtDesk(current.number, current.service, wait, tuple(current.extras), current.state,
                        current.called_at, current.recalls, current.issued_at, current.transfers, current.first_visit)


def call_event(site: Site, kind: str, number: str, desk: str, at: datetime, seq: int, lang: str) -> CallEvent:
    """A "called" or "recalled" event as the waiting room sees it (new, or read back from the store)."""
    return CallEvent("recall" if kind == "recalled" else "call", number, desk, dict(site.desks[desk].name), at, seq, lang)


def latest_per_number(calls: list[CallEvent], limit: int) -> list[CallEvent]:
    """Newest first, each number once: a recall replaces the number's earlier call, so the board's
    list of earlier calls stays full instead of showing a gap where the duplicate was."""
    seen: set[str] = set()
    kept = [c for c in calls if not (c.number in seen or seen.add(c.number))]
    return kept[:limit]


def board_snapshot(site: Site, queue: Queue, estimates: Estimates, calls: list[CallEvent],
                   now: datetime) -> BoardSnapshot:
    waiting = queue.waiting()  # counted in one pass: a call's snapshot must not cost a pass per service
    by_service = Counter(t.service for t in waiting)
    by_kind = Counter(_kind_of(site, t) for t in waiting)
    langs = {t.lang for t in waiting}
    open_kinds = Counter(site.desks[d.id].kind for d in queue.desks.values() if d.status == DESK_OPEN)
    services = tuple(ServiceWait(sid, svc.letter, by_service[sid],
                                 {k: minutes(v) for k, v in estimates.services.get(sid, {}).items()})
                     for sid, svc in site.services.items())
    kinds = {kind: KindWait(open_kinds[kind], by_kind[kind], minutes(estimates.kinds.get(kind))) for kind in DESK_KINDS}
    until = schedule.volunteers_until(site, now)
    return BoardSnapshot(now, tuple(calls[: site.board.recent_calls + 1]), services, kinds,
                         until.astimezone(site.tz).strftime("%H:%M") if until else None,
                         tuple(lang for lang in site.languages if lang in langs))


def queue_snapshot(queue: Queue, estimates: Estimates, now: datetime) -> QueueSnapshot:
    """Every waiting ticket in call order, then the early appointments waiting for their booked time
    (their wait as estimated, at least until then)."""
    ahead = queue.ahead_all()
    waiting = tuple(QueuedTicket(t.number, t.service, ahead[t.key], minutes(estimates.tickets.get(t.key)))
                    for t in queue.waiting())
    held = tuple(QueuedTicket(t.number, t.service, queue.ahead(t),
                              minutes(not_before_booked(t, estimates.tickets.get(t.key), now)))
                 for t in queue.held())
    return QueueSnapshot(now, waiting + held)


def _kind_of(site: Site, ticket: Ticket) -> str:
    """The desk kind a waiting ticket counts towards on the board."""
    if ticket.preference in DESK_KINDS:
        return ticket.preference
    return "staff" if "staff" in site.services[ticket.service].served_by else "volunteer"
