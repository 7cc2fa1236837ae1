"""The hub's state in memory: the queue and what is derived from it (the latest calls, the waits, the call numbers).

All of it is guarded by the queue's lock (``hub.locks``).  ``load`` rebuilds it exactly
as stored: at start, and after a failed write.
"""
from __future__ import annotations

import json
from collections import deque
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Callable

from reception import protocol, schedule
from reception.config import Site

from hub import checkins, views
from hub.core.checkin import Bookings
from hub.core.estimate import Estimates, WaitEstimator
from hub.core.model import CALL_KINDS, Effects
from hub.core.queue import Queue
from hub.locks import HubLocks
from hub.store import Store

LEARN_DAYS = 14  # days of finished visits the estimator learns from at start
RECENT_ROWS = 4  # call events read per call shown at start: recalls repeat numbers, and each number shows once


class HubState:
    def __init__(self, site: Site, store: Store, locks: HubLocks, estimator: WaitEstimator,
                 clock: Callable[[], datetime]):
        self.site, self.store, self.locks, self.estimator, self.clock = site, store, locks, estimator, clock
        self.queue = Queue(site)  # empty until ``load``
        self.bookings = Bookings(site.appointments)  # today's appointments (``hub.checkins``), read by ``load``
        self.bookings_day: str | None = None  # the day they were read for
        self.calls: list[dict] = []  # newest first, each number once
        self.estimates = Estimates()
        self.last_seq = 0  # the last call number given out
        self.dirty = True  # the queue changed since the estimates were made
        self._to_learn: deque = deque()  # visits ended that the estimator has not learned from yet
        self.setup_site: Callable[[datetime], Site] = lambda _now: site  # the site with today's setup (``hub.setup``)

    def load(self) -> None:
        """Rebuild the queue exactly as stored (at start, and after a failed write)."""
        now = self.clock()
        self.site = self.setup_site(now)
        with self.locks.db():
            tickets, desks = self.store.load(since_day=schedule.local_day(self.site, now))
            recent = self.store.recent_calls(RECENT_ROWS * (self.site.board.recent_calls + 1))
            self.last_seq = self.store.last_call_seq()  # call numbers keep growing across restarts
        self.queue = Queue(self.site, tickets, desks)
        self.queue.release(now)
        self.bookings, self.bookings_day = Bookings(self.site.appointments), None
        self.refresh_bookings(now)
        self.calls = views.latest_per_number([self._stored_call(row) for row in recent], self.site.board.recent_calls + 1)
        self.estimates = Estimates()
        self.refresh_estimates(now)

    def refresh_bookings(self, now: datetime, *, imported: bool = False) -> bool:
        """Today's appointments as stored, read on a new day or once an import is stored (arrivals and
        misses this hub knows of kept); whether the bookings changed."""
        day = schedule.local_day(self.site, now)
        if day == self.bookings_day and not imported:
            return False
        with self.locks.db():
            stored = checkins.stored(self.store.db, day)
        self.bookings_day = day
        return self.bookings.merge(stored)

    def learn_history(self) -> None:
        """Teach the estimator the visits of recent days, so a restarted hub does not start from the
        configured guesses (no-shows teach how often a call is in vain)."""
        since = schedule.local_day(self.site, self.clock() - timedelta(days=LEARN_DAYS))
        with self.locks.db():
            finished = self.store.finished_since(since)
        for ticket in finished:
            self.estimator.observe(ticket)

    def _stored_call(self, row: dict) -> protocol.CallEvent:
        number = row["ticket"].split("/", 1)[1]
        seq = json.loads(row["detail"] or "{}").get("seq", 0)  # the store's event detail, not a message
        ticket = self.queue.tickets.get(row["ticket"])
        return views.call_event(self.site, row["kind"], number, row["desk"], datetime.fromisoformat(row["at"]), seq,
                                ticket.lang if ticket else self.site.default_language)

    def number_calls(self, effects: Effects) -> None:
        """Give each call in ``effects`` the next call number (stored with its event, so it survives a restart)."""
        for i, event in enumerate(effects.events):
            if event.kind in CALL_KINDS:
                self.last_seq += 1
                effects.events[i] = replace(event, seq=self.last_seq)

    def add_call(self, call: protocol.CallEvent) -> None:
        self.calls = views.latest_per_number([call, *self.calls], self.site.board.recent_calls + 1)

    def finished(self, ticket) -> None:
        """A visit ended (under the queue's lock): the estimator learns from it at its next use, under its
        own lock, so a call's announcement never waits for a refresh's play."""
        self._to_learn.append(ticket)

    def learn_finished(self) -> None:
        """Teach the estimator the visits ended since its last use (holding the estimator's lock)."""
        while self._to_learn:
            self.estimator.observe(self._to_learn.popleft())

    def refresh_estimates(self, now: datetime, pause: Callable[[], None] | None = None) -> None:
        """New waits for the whole queue.  What the estimator reads of the queue is taken under the queue's
        lock; its play of a long queue (tens of milliseconds) runs with only the estimator's lock, calling
        ``pause`` now and then, and the waits are put in place under the queue's lock again.  A change
        meanwhile marks them out of date again (``dirty``)."""
        with self.locks.queue():
            self.locks.take_estimator()
            try:
                self.learn_finished()
                prepare = getattr(self.estimator, "prepare", None)  # an estimator without it plays here
                prepared = prepare(self.queue, now) if prepare else self.estimator.estimate(self.queue, now)
                self.dirty = False
            except BaseException:
                self.locks.let_go_estimator()
                raise
        try:
            estimates = self.estimator.finish(prepared, pause) if prepare else prepared
        finally:
            self.locks.let_go_estimator()
        with self.locks.queue():
            self.estimates = estimates
