"""What the hub tells the devices, as plain dicts for the contract's payloads.

Pure functions of the queue, the estimates and the time; the MQTT adapter only
encodes and publishes them.  Only numbers, services, desks and times leave the
hub; extra needs go to the desk that serves the citizen, never to the board.
"""
from __future__ import annotations

import math
from collections import Counter
from datetime import datetime

from reception import schedule
from reception.config import DESK_KINDS, Site

from hub.core.estimate import Estimates
from hub.core.model import DESK_OPEN, Event, Ticket
from hub.core.queue import Queue

DESK_QUEUE_LENGTH = 5


def minutes(value: float | None) -> int | None:
    """Whole minutes, rounded up: a promise should rather be kept early than late."""
    return None if value is None else max(0, math.ceil(value - 1e-9))


def waited(ticket: Ticket, now: datetime) -> float:
    return round((now - ticket.issued_at).total_seconds() / 60, 1)


def ticket_view(ticket: Ticket, eta: float | None, ahead: int) -> dict:
    return {"number": ticket.number, "service": ticket.service, "preference": ticket.preference,
            "ahead": ahead, "eta_min": minutes(eta), "issued_at": ticket.issued_at.isoformat(),
            "offline": ticket.offline}


def desk_state(site: Site, queue: Queue, desk_id: str, now: datetime) -> dict:
    desk, cfg = queue.desks[desk_id], site.desks[desk_id]
    current = queue.current(desk_id)
    upcoming = queue.desk_queue(desk_id)
    return {
        "desk": desk_id, "kind": cfg.kind, "status": desk.status,
        "current": None if current is None else {
            "number": current.number, "service": current.service, "state": current.state,
            "issued_at": current.issued_at.isoformat(),
            "called_at": current.called_at.isoformat() if current.called_at else None,
            "waited_min": round(((current.first_called_at or now) - current.issued_at).total_seconds() / 60, 1),
            "extras": list(current.extras), "recalls": current.recalls, "transfers": current.transfers,
            "first_visit": current.first_visit,
        },
        "next": [{"number": t.number, "service": t.service, "waited_min": waited(t, now), "extras": list(t.extras)}
                 for t in upcoming[:DESK_QUEUE_LENGTH]],
        "waiting": len(upcoming),
        "at": now.isoformat(),
    }


def call_event(site: Site, event: Event, number: str, seq: int, lang: str) -> dict:
    return {"type": "recall" if event.kind == "recalled" else "call", "number": number, "desk": event.desk,
            "desk_name": dict(site.desks[event.desk].name), "at": event.at.isoformat(), "seq": seq, "lang": lang}


def latest_per_number(calls: list[dict], limit: int) -> list[dict]:
    """Newest first, each number once: a recall replaces the number's earlier call, so the board's
    list of earlier calls stays full instead of showing a gap where the duplicate was."""
    seen: set[str] = set()
    kept = [c for c in calls if not (c["number"] in seen or seen.add(c["number"]))]
    return kept[:limit]


def board_snapshot(site: Site, queue: Queue, estimates: Estimates, calls: list[dict], now: datetime) -> dict:
    waiting = queue.waiting()  # counted in one pass: a call's snapshot must not cost a pass per service
    by_service = Counter(t.service for t in waiting)
    by_kind = Counter(_kind_of(site, t) for t in waiting)
    langs = {t.lang for t in waiting}
    open_kinds = Counter(site.desks[d.id].kind for d in queue.desks.values() if d.status == DESK_OPEN)
    services = [{"service": sid, "letter": svc.letter, "waiting": by_service[sid],
                 "eta_min": {k: minutes(v) for k, v in estimates.services.get(sid, {}).items()}}
                for sid, svc in site.services.items()]
    kinds = {kind: {"open": open_kinds[kind], "waiting": by_kind[kind], "eta_min": minutes(estimates.kinds.get(kind))}
             for kind in DESK_KINDS}
    until = schedule.volunteers_until(site, now)
    return {"at": now.isoformat(), "calls": calls[: site.board.recent_calls + 1], "services": services,
            "kinds": kinds, "volunteers_until": until.astimezone(site.tz).strftime("%H:%M") if until else None,
            "languages": [lang for lang in site.languages if lang in langs]}


def queue_snapshot(queue: Queue, estimates: Estimates, now: datetime) -> dict:
    ahead = queue.ahead_all()
    return {"at": now.isoformat(),
            "tickets": [{"number": t.number, "service": t.service, "ahead": ahead[t.key],
                         "eta_min": minutes(estimates.tickets.get(t.key))} for t in queue.waiting()]}


def _kind_of(site: Site, ticket: Ticket) -> str:
    """The desk kind a waiting ticket counts towards on the board."""
    if ticket.preference in DESK_KINDS:
        return ticket.preference
    return "staff" if "staff" in site.services[ticket.service].served_by else "volunteer"
