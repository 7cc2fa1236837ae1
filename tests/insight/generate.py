"""Generated opening days, played through the real queue core into a real SQLite store.

A seeded random generator decides who arrives when, why, with which answers, and
what each desk does (next, no-show, transfer to staff); every operation goes
through ``hub.core.queue.Queue`` and is persisted with ``hub.store.Store.apply``
exactly as the hub does, so the store holds what a real day would leave behind.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from functools import partial

from reception import schedule
from reception.config import Site

from hub.core.queue import Queue
from hub.store import Store

SERVICES = {"mitid_learn": 5, "mitid_get": 2, "passport": 3, "driving_licence": 1, "health_card": 1,
            "moving": 1, "pension": 1, "reception": 1}
STAFF_DESKS = ("desk-1", "desk-2", "desk-3")
VOLUNTEER_DESKS = ("vol-1",)
TAGS = ("got_help", "kind", "can_do_it_now", "waited_too_long", "still_cannot", "hard_to_understand")


def new_store(site: Site, path) -> Store:
    """A real store file; without the hub's per-write fsync, which only costs test time here."""
    store = Store(path, local_day=partial(schedule.local_day, site))
    store.db.execute("PRAGMA synchronous=OFF")
    return store


def play_day(site: Site, store: Store, day: date, rng: random.Random, *, arrivals_per_hour: float = 14) -> None:
    """One opening day of ``site`` (its hours), minute by minute, ending with closing and expiry."""
    hours = site.hours.get(schedule.weekday(day))
    if hours is None:
        return
    opening, closing = schedule.at_local(site, day, hours.start), schedule.at_local(site, day, hours.end)
    tickets, desks = store.load(since_day=day.isoformat())
    queue = Queue(site, tickets, desks)
    volunteers = [d for d in VOLUNTEER_DESKS if schedule.volunteers_until(site, opening + timedelta(minutes=1))]
    busy_until: dict[str, datetime] = {}
    for desk in (*STAFF_DESKS, *volunteers):
        store.apply(queue.command(desk, "open", opening + timedelta(minutes=rng.randint(0, 20))))
        busy_until[desk] = opening + timedelta(minutes=21)
    now = opening
    while now < closing:
        now += timedelta(minutes=1)
        if rng.random() < arrivals_per_hour / 60:
            _arrive(site, store, queue, now + timedelta(seconds=rng.randint(0, 59)), rng)
        for desk in list(busy_until):
            if now >= busy_until[desk]:
                busy_until[desk] = now + _act(site, store, queue, desk, now, rng)
        if volunteers and not schedule.volunteers_until(site, now):
            for desk in volunteers:
                store.apply(queue.command(desk, "close", now))
                busy_until.pop(desk, None)
            volunteers = []
    for desk in busy_until:
        store.apply(queue.command(desk, "close", closing + timedelta(minutes=rng.randint(0, 15))))
    store.apply(queue.expire_due(closing + timedelta(minutes=site.queue.expire_after_close_minutes + 1)))
    for i in range(rng.randint(3, 12)):
        _feedback(store, day, i, rng)


def _arrive(site: Site, store: Store, queue: Queue, at: datetime, rng: random.Random) -> None:
    service = rng.choices(list(SERVICES), weights=list(SERVICES.values()))[0]
    ticket, effects = queue.issue(service, at, preference=rng.choice(("any", "staff", "volunteer")),
                                  first_visit=rng.choice((True, False, None)), kiosk="kiosk-1")
    open_desks = max(1, len(queue.open_desks()))
    ticket.eta_at_issue = rng.choice((None, 5 * len(queue.waiting()) / open_desks + rng.uniform(0, 4)))
    store.apply(effects)


def _act(site: Site, store: Store, queue: Queue, desk: str, now: datetime, rng: random.Random) -> timedelta:
    """What a desk does when its current visit is over; returns how long the next visit takes."""
    current = queue.current(desk)
    roll = rng.random()
    if current is not None and current.state == "called" and roll < 0.06:
        store.apply(queue.command(desk, "noshow", now))
    elif current is not None and site.desks[desk].kind == "volunteer" and roll < 0.2:
        store.apply(queue.command(desk, "transfer", now, to_kind="staff"))
    store.apply(queue.command(desk, "next", now))
    following = queue.current(desk)
    if following is None:
        return timedelta(minutes=1)
    mean = site.services[following.service].mean_service_minutes
    return timedelta(minutes=max(1.0, rng.expovariate(1 / mean)))


def _feedback(store: Store, day: date, i: int, rng: random.Random) -> None:
    service = rng.choice((None, "mitid_learn", "passport", "mitid_learn"))
    store.add_feedback(f"kiosk-1/{day}-{i}", day=day.isoformat(), hour=rng.randint(9, 14),
                       score=rng.randint(1, 5), tags=rng.sample(TAGS, rng.randint(0, 2)), service=service)
