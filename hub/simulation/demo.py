"""Demo data: generated opening days of any site, played through the real queue core into a real SQLite file.

A new user (and the report's tests) needs weeks of figures before the office has any.
A seeded random generator decides who arrives when, why, with which answers, and what
each desk does (next, no-show, hand-over to staff); every operation goes through
``hub.core.queue.Queue`` and is persisted with ``hub.store.Store.apply`` exactly as
the hub does, so the file holds what real days would leave behind.  Services, desks,
their kinds and what each may serve, opening hours and volunteer sessions all come
from the ``Site``, so any valid site file gives plausible days; the same seed and days
give the same file.

Unlike ``hub.simulation.day`` (one day, measured against wait predictors), this writes
the tables the report reads, and marks the file as demo data (table ``demo``) so
``reception demo-data`` may replace it later but never a real hub's file.
"""
from __future__ import annotations

import random
import sqlite3
import statistics
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Iterable

from reception import schedule
from reception.protocol import FEEDBACK_TAGS
from reception.config import Site
from reception.errors import ReceptionError

from hub.core.queue import Queue
from hub.daily_stats import DailyStats
from hub.stats_db import StatsDB
from hub.store import Store

LOAD = 0.9  # arrivals as a share of what the staff desks can serve: real queues at peaks, a few sent home at closing
VOLUNTEER_DRAW = 4  # how many citizens a volunteer desk draws while its session runs, to a staff desk's one (_mix)
FEEDBACK_SHARE = 0.1  # of the day's citizens, those who answer "Tell us how it went" at the kiosk
# What citizens answer where the kiosk lets them choose who helps (the queue ignores it elsewhere):
# many who may be helped by a volunteer came for exactly that.
PREFERENCES, PREFERENCE_WEIGHTS = ("any", "staff", "volunteer"), (1, 1, 2)
MARK = "demo"  # the table that says a file holds generated days, not a real office's


class NotDemoData(ReceptionError, FileExistsError):
    """A file exists at the path and is not one ``reception demo-data`` wrote: it must not be replaced."""


@dataclass(frozen=True)
class Written:
    """What ``write`` put into the file, for the command's summary."""

    path: Path
    first: date
    last: date
    opening_days: int
    visits: int
    feedback: int


def new_store(site: Site, path) -> Store:
    """A real store file; without the hub's per-write fsync, which only costs time for generated days."""
    store = Store(path, local_day=partial(schedule.local_day, site))
    store.db.execute("PRAGMA synchronous=OFF")
    return store


def play_days(site: Site, store: Store, days: Iterable[date], rng: random.Random, *,
              arrivals_per_hour: float | None = None) -> int:
    """Play each opening day among ``days`` in order; returns how many were open."""
    return sum(play_day(site, store, d, rng, arrivals_per_hour=arrivals_per_hour) for d in days)


def play_day(site: Site, store: Store, day: date, rng: random.Random, *,
             arrivals_per_hour: float | None = None) -> bool:
    """One day of ``site`` (its hours), minute by minute, ending with closing and expiry; False when closed.

    Every staff desk opens in the first 20 minutes; the volunteer desks open while a
    volunteer session at the desks is running.  Citizens arrive at ``arrivals_per_hour``,
    by default at a rate the site's staff desks can keep up with (``usual_arrivals``).
    """
    hours = site.hours.get(schedule.weekday(day))
    if hours is None:
        return False
    per_minute = (arrivals_per_hour or usual_arrivals(site)) / 60
    opening, closing = schedule.at_local(site, day, hours.start), schedule.at_local(site, day, hours.end)
    tickets, desks = store.load(since_day=day.isoformat())
    queue = Queue(site, tickets, desks)
    volunteers = [d.id for d in site.desks.values() if d.kind == "volunteer"]
    busy_until = _open(store, queue, [d.id for d in site.desks.values() if d.kind == "staff"], opening, rng)
    volunteers_open, arrived = False, 0
    for now in _minutes(opening, closing):
        volunteering = bool(volunteers) and schedule.volunteers_until(site, now) is not None
        if volunteering and not volunteers_open:
            busy_until.update(_open(store, queue, volunteers, now, rng))
        elif volunteers_open and not volunteering:
            for desk in volunteers:
                store.apply(queue.command(desk, "close", now))
                busy_until.pop(desk)
        volunteers_open = volunteering
        if rng.random() < per_minute:
            _arrive(site, store, queue, now + timedelta(seconds=rng.randint(0, 59)), volunteering, rng)
            arrived += 1
        for desk in rng.sample(list(busy_until), len(busy_until)):  # no desk is always first to a new ticket
            if now >= busy_until[desk]:
                busy_until[desk] = now + _act(site, store, queue, desk, now, rng)
    for desk in busy_until:
        store.apply(queue.command(desk, "close", closing + timedelta(minutes=rng.randint(0, 15))))
    store.apply(queue.expire_due(closing + timedelta(minutes=site.queue.expire_after_close_minutes + 1)))
    last_hour = (closing - timedelta(minutes=1)).hour
    for i in range(sum(rng.random() < FEEDBACK_SHARE for _ in range(arrived))):
        _feedback(site, store, day, i, rng.randint(opening.hour, last_hour), rng)
    return True


def usual_arrivals(site: Site) -> float:
    """Citizens an hour that keep the staff desks (all desks, at a site without staff) ``LOAD`` busy."""
    desks = [d for d in site.desks.values() if d.kind == "staff" and d.services] or \
        [d for d in site.desks.values() if d.services]
    return LOAD * sum(60 / _mean_minutes(site, d.services) for d in desks)


def _mean_minutes(site: Site, services: Iterable[str]) -> float:
    return statistics.fmean(site.services[s].mean_service_minutes for s in services)


def _minutes(start: datetime, end: datetime) -> Iterable[datetime]:
    """Every whole minute after ``start`` and before ``end``: an arrival in the last one is still in hours."""
    at = start + timedelta(minutes=1)
    while at < end:
        yield at
        at += timedelta(minutes=1)


def _open(store: Store, queue: Queue, desks: list[str], at: datetime, rng: random.Random) -> dict[str, datetime]:
    """Open ``desks`` within 20 minutes of ``at``; each takes its first citizen after that."""
    for desk in desks:
        store.apply(queue.command(desk, "open", at + timedelta(minutes=rng.randint(0, 20))))
    return {desk: at + timedelta(minutes=21) for desk in desks}


def _arrive(site: Site, store: Store, queue: Queue, at: datetime, volunteering: bool, rng: random.Random) -> None:
    reasons, weights = _mix(site, volunteering)
    ticket, effects = queue.issue(rng.choices(reasons, weights)[0], at,
                                  preference=rng.choices(PREFERENCES, PREFERENCE_WEIGHTS)[0],
                                  first_visit=rng.choice((True, False, None)), kiosk=_kiosk(site, rng))
    per_desk = len(queue.waiting()) / max(1, len(queue.open_desks()))  # a rough estimate, sometimes none
    ticket.eta_at_issue = rng.choice((None, per_desk * _mean_minutes(site, site.services) + rng.uniform(0, 4)))
    store.apply(effects)


def _mix(site: Site, volunteering: bool) -> tuple[list[str], list[int]]:
    """The visit reasons and how often each comes: as often as desks are set up for it (an office staffs
    what citizens ask for); while volunteers sit at the desks, each of theirs draws ``VOLUNTEER_DRAW``
    times as many (citizens come to a session for the help it offers, such as learning MitID)."""
    draw = {"staff": 1, "volunteer": VOLUNTEER_DRAW if volunteering else 0}
    reasons = list(site.services)
    return reasons, [sum(draw[d.kind] for d in site.desks.values() if r in d.services) for r in reasons]


def _act(site: Site, store: Store, queue: Queue, desk: str, now: datetime, rng: random.Random) -> timedelta:
    """What a desk does when its current visit is over; returns how long the next visit takes."""
    current = queue.current(desk)
    roll = rng.random()
    if current is not None and current.state == "called" and roll < 0.06:
        store.apply(queue.command(desk, "noshow", now))
    elif current is not None and site.desks[desk].kind == "volunteer" and roll < 0.2 \
            and _staff_may_take(site, current.service):
        store.apply(queue.command(desk, "transfer", now, to_kind="staff"))
    store.apply(queue.command(desk, "next", now))
    following = queue.current(desk)
    if following is None:
        return timedelta(minutes=1)
    mean = site.services[following.service].mean_service_minutes
    return timedelta(minutes=max(1.0, rng.expovariate(1 / mean)))


def _staff_may_take(site: Site, service: str) -> bool:
    """A volunteer can hand this visit over to staff: staff may serve it and a staff desk is set up for it."""
    return "staff" in site.services[service].served_by and any(
        d.kind == "staff" and service in d.services for d in site.desks.values())


def _kiosk(site: Site, rng: random.Random) -> str | None:
    return rng.choice(list(site.kiosks)) if site.kiosks else None


def _feedback(site: Site, store: Store, day: date, i: int, hour: int, rng: random.Random) -> None:
    """One answer at a kiosk, about one of the two commonest visit reasons (the first twice as often) or
    none, as the kiosk allows: spread over every reason, most would have fewer than the 3 answers a
    mean face needs to be shown (``hub.stats.MIN_COUNT``)."""
    reasons, weights = _mix(site, volunteering=True)
    common = [r for _w, r in sorted(zip(weights, reasons), key=lambda wr: -wr[0])][:2]
    service = rng.choice((None, *common, common[0]))
    store.add_feedback(f"{_kiosk(site, rng) or 'kiosk'}/{day}-{i}", day=day.isoformat(), hour=hour,
                       score=rng.randint(1, 5), tags=rng.sample(FEEDBACK_TAGS, rng.randint(0, 2)), service=service)


# -- the demo file -------------------------------------------------------------


def is_demo(path: str | Path) -> bool:
    """The file at ``path`` is a SQLite file marked as demo data (read without changing it)."""
    try:
        with closing(sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)) as db:
            return db.execute("select 1 from sqlite_master where type = 'table' and name = ?",
                              [MARK]).fetchone() is not None
    except sqlite3.Error:
        return False  # not SQLite at all: someone's file, not ours


def write(site: Site, path: str | Path, *, first: date, last: date, seed: int, now: datetime) -> Written:
    """A fresh demo file with the days ``first`` to ``last`` and their final aggregates, as the hub leaves them.

    Raises ``NotDemoData`` rather than replace a file that is not demo data.
    """
    path = Path(path)
    if path.exists():
        if not is_demo(path):
            raise NotDemoData(f"{path} exists and is not demo data; refusing to overwrite it (choose another --db)")
        for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            old.unlink(missing_ok=True)
    store = new_store(site, path)
    store.db[MARK].insert({"site": site.id, "seed": seed, "first_day": first.isoformat(),
                           "last_day": last.isoformat(), "written_at": now.isoformat()})
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    opening_days = play_days(site, store, days, random.Random(seed))
    DailyStats(site, StatsDB(store.db)).finish_past_days(now)  # the hub's day change: the final aggregates
    written = Written(path, first, last, opening_days, store.db["tickets"].count, store.db["feedback"].count)
    store.close()
    return written
