"""Messages as the hub publishes them, for tests that drive the board without a hub."""
from __future__ import annotations

import json
from datetime import datetime

from hub import stats
from hub.daily_stats import DailyStats
from reception import clock, protocol
from reception.config import Site

DESKS = {"desk-1": ("Skranke 1", "Desk 1"), "desk-2": ("Skranke 2", "Desk 2"), "desk-3": ("Skranke 3", "Desk 3"),
         "room-1": ("Samtalerum", "Meeting room"), "vol-1": ("Frivillig 1", "Volunteer 1"),
         "vol-2": ("Frivillig 2", "Volunteer 2")}


def call(number: str, desk: str, seq: int, type: str = "call", lang: str | None = None) -> dict:
    da, en = DESKS[desk]
    return {"v": 1, "type": type, "number": number, "desk": desk, "desk_name": {"da": da, "en": en},
            "at": clock.from_env()().isoformat(), "seq": seq, **({"lang": lang} if lang else {})}


def snapshot(calls=(), waiting=None, volunteers_until="12:00", languages=None) -> dict:
    """A board snapshot; ``waiting`` maps service id to (waiting, volunteer eta, staff eta)."""
    waiting = waiting or {}
    services = []
    for sid, (n, vol, staff) in waiting.items():
        eta = {"staff": staff} if vol is False else {"volunteer": vol, "staff": staff}
        services.append({"service": sid, "letter": "A", "waiting": n, "eta_min": eta})
    listed = [{k: v for k, v in c.items() if k != "v"} for c in calls]  # a snapshot lists calls without "v"
    return {"v": 1, "at": clock.from_env()().isoformat(), "calls": listed, "services": services,
            "kinds": {"staff": {"open": 3, "waiting": 10, "eta_min": 20},
                      "volunteer": {"open": 1, "waiting": 3, "eta_min": 6}},
            "volunteers_until": volunteers_until, **({"languages": languages} if languages is not None else {})}


def parsed_call(*args, **kw) -> protocol.CallEvent:
    return protocol.CallEvent.from_payload(protocol.encode(call(*args, **kw)))


def parsed_snapshot(*args, **kw) -> protocol.BoardSnapshot:
    return protocol.BoardSnapshot.from_payload(protocol.encode(snapshot(*args, **kw)))


def daily_stats(site: Site, day: str, waiting: int, served: int, avg_wait_min: float | None) -> dict:
    """A ``stats/daily`` as the hub publishes it (an empty day's aggregate), with these live figures."""
    at = datetime.fromisoformat(f"{day}T12:00+00:00")
    published = json.loads(DailyStats.payload(stats.day_aggregate(site, day, [], [], [], at), at, final=False).to_payload())
    return {**published, "live": {"waiting": waiting, "served": served, "avg_wait_min": avg_wait_min}}


def parsed_daily_stats(*args) -> protocol.DailyStatsMessage:
    return protocol.DailyStatsMessage.from_payload(protocol.encode(daily_stats(*args)))
