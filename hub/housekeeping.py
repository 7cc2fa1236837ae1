"""The hub's ticker: what happens because time passes, not because a message came.

Twice a second (under the queue's lock) it ends the issue group, says when the hub
falls behind, expires tickets at closing, lets booked tickets be called from their time,
counts bookings missed at the end of their slot and keeps the kiosks' time list current,
refreshes the wait estimates when the queue changed, and publishes the day's statistics;
once a day it finishes past days' figures and drops rows older than the retention allows.  It also pings the systemd
watchdog: a ticker that stops makes systemd restart the hub.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Callable

from reception import schedule, service_notify
from reception.config import Site
from reception.mqtt import Connection
from reception.protocol import Topics

from hub import checkins
from hub.alerts import Alerts
from hub.core.model import Effects
from hub.daily_stats import DailyStats
from hub.intake import Intake
from hub.locks import HubLocks
from hub.overload import OverloadWatch
from hub.pipeline import CommitPipeline, Pending
from hub.publisher import Publisher
from hub.state import HubState
from hub.stats_db import StatsDB
from hub.store import Store

log = logging.getLogger(__name__)

REFRESH_SECONDS = 0.5  # estimates and desk queues follow the queue at most this often
REFRESH_SHARE = 0.25  # ... and a long queue's refresh takes at most this share of the time
CALLS_FIRST_PAUSE_S = 0.005  # a refresh's play waits at most this long at each pause for the calls being stored


class Housekeeping:
    def __init__(self, site: Site, topics: Topics, store: Store, locks: HubLocks, conn: Connection, *,
                 state: HubState, pipeline: CommitPipeline, publisher: Publisher, alerts: Alerts,
                 intake: Intake, overload: OverloadWatch, on_tick: Callable[[datetime], None] = lambda _now: None):
        """``on_tick``: more that time brings (``hub.setup``: a new day's setup), under the queue's lock."""
        self.site, self.topics, self.store, self.locks, self.conn = site, topics, store, locks, conn
        self.state, self.pipeline, self.publisher, self.alerts = state, pipeline, publisher, alerts
        self.intake, self.overload, self.on_tick = intake, overload, on_tick
        self.daily: DailyStats | None = None  # opened by ``load``
        self._next_refresh = 0.0  # monotonic time the next refresh may start (``REFRESH_SHARE``)
        self._refresh_due = False  # the tick found the estimates out of date
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hub-ticker", daemon=True)

    def load(self) -> None:
        """Open the day statistics (their table is made in the hub's file when new): read on a connection
        of their own where the store has a file, else (in memory) under the database's lock."""
        with self.locks.db():
            stats_db, reader = StatsDB(self.store.db), self.store.reader()
        self.daily = DailyStats(self.site, stats_db, reader=StatsDB(reader) if reader else None, writing=self.locks.db)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        if self.daily and self.daily.reader is not self.daily.db:
            self.daily.reader.close()

    def _loop(self) -> None:
        interval = service_notify.watchdog_interval()
        last_ping = last_purge_day = None
        while not self._stop.wait(REFRESH_SECONDS):
            now = self.state.clock()
            try:
                with self.locks.queue():
                    self.tick(now)
                    today = schedule.local_day(self.site, now)
                    if last_purge_day != today:
                        self.purge(now)
                        last_purge_day = today
                self.daily_stats(now)
                if self._refresh_due:  # with the lock let go: the refresh takes it in two steps
                    self.pipeline.after_calls()
                    self.refresh_and_publish(now)
            except Exception:  # keep ticking; a stuck ticker would silently freeze the estimates
                log.exception("hub tick failed")
            if interval and (last_ping is None or (now - last_ping).total_seconds() >= interval):
                service_notify.watchdog_ping()
                last_ping = now

    def tick(self, now: datetime) -> None:
        self.pipeline.finish_issued()
        self.on_tick(now)
        self._watch_load(now)
        effects = self.state.queue.expire_due(now)
        if effects.events:
            self.pipeline.stage(Pending(effects, now))
        self.appointments(now)
        if self.state.dirty and self.conn.connected and time.monotonic() >= self._next_refresh:
            self._refresh_due = True

    def daily_stats(self, now: datetime) -> None:
        """Today's figures when due, read from the day's rows on a connection of the ticker's own, with
        no lock held (milliseconds for a long day: commits and calls go on meanwhile)."""
        stats = self.daily.today(now) if self.conn.connected else None  # due again as soon as it is back
        if stats is not None:
            self.publisher.publish(self.topics.stats_daily, stats, retain=True)

    def appointments(self, now: datetime) -> None:
        """Booked tickets whose time has come join the queue; bookings whose slot ended unseen are counted
        missed (stored; a late evening's too, before a new day's bookings are read); the kiosks' time list
        is republished when it changed."""
        state = self.state
        if state.queue.release(now):
            state.dirty = True
        missed = state.bookings.missed_due(now)
        if missed:
            log.info("appointments missed: %d (slot ended, nobody checked in)", len(missed))
            self.pipeline.stage(Pending(Effects(), now, statements=tuple(checkins.missed(b) for b in missed)))
        state.refresh_bookings(now)
        if self.conn.connected:
            self.publisher.appointments(now)

    def _watch_load(self, now: datetime) -> None:
        """Say when the hub falls behind (log and an alert for the desks), and when it has caught up."""
        change = self.overload.update(time.monotonic(), self.intake.oldest_age())
        if change:
            log.warning(self.overload.describe(change, len(self.intake), self.intake.oldest_age()))
            self.alerts.overload(change, now)

    def refresh_and_publish(self, now: datetime) -> None:
        """New estimates, and every view they show in; a long queue's refresh waits longer for the next.
        The play of the queue runs with the queue's lock let go and gives way now and then (``_give_way``);
        each view takes the lock on its own, after the calls being stored are on the board, so a call
        waits for one view at most.  (A caller holding the queue's lock keeps it throughout.)"""
        started = time.monotonic()
        self._refresh_due = False
        self.state.refresh_estimates(now, pause=self._give_way)
        self.pipeline.finish_wanted()
        for step in self.publisher.view_steps(now):
            self.pipeline.after_calls()
            with self.locks.queue(), self.state.queue.steady():
                send = step()
            if send:
                send()
        self._next_refresh = time.monotonic() + (time.monotonic() - started) * (1 / REFRESH_SHARE - 1)

    def _give_way(self) -> None:
        """Now and then inside a refresh's play: the calls being stored onto the board first (the play
        would slow their threads down), the interpreter to the threads waiting for it, and the estimator
        to a group's pass that waits for it (new tickets are not answered a whole play late: the play goes
        on afterwards, on what it took of the queue).  The wait for calls is short: a flusher storing a
        setup change may itself wait for this play's estimator."""
        self.pipeline.after_calls(CALLS_FIRST_PAUSE_S)
        time.sleep(0)
        if self.pipeline.pass_wanted and not self.locks.holds_queue():
            self.locks.let_go_estimator()
            try:
                self.pipeline.finish_wanted()
            finally:
                self.locks.take_estimator()

    def purge(self, now: datetime) -> None:
        """A new day: past days' figures finished (and published), rows past the retention dropped."""
        with self.locks.db():
            finished_days = list(self.daily.finish_past_days(now))  # the aggregates outlive the rows purged below
            keep_from = schedule.local_day(self.site, now - timedelta(days=self.site.retention_days))
            dropped = self.store.purge(keep_from, now)
        for finished in finished_days:
            self.publisher.publish(self.topics.stats_daily, finished)
        self.state.queue.forget_before(schedule.local_day(self.site, now))
        if dropped:
            log.info("retention: aggregated and removed %d ticket rows before %s", dropped, keep_from)
