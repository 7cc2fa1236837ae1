"""Today's anonymous aggregates, kept in ``day_stats`` and published on the retained ``stats/daily``.

The hub's ticker asks ``today`` for a fresh payload; it gets one at most every
``every`` seconds after something changed (a new event or feedback answer), and
once a minute anyway (desk-hours grow while desks stay open).  At the day change
``finish_past_days`` writes the final aggregate of every past day that still has
ticket rows, so the retention purge (which keeps ``retention_days`` of rows, at least
a day) can drop those rows without losing a figure.
"""
from __future__ import annotations

from contextlib import nullcontext
from datetime import date, datetime, timedelta
from typing import Callable, ContextManager

from reception import schedule
from reception.config import Site
from reception.protocol import DailyStatsMessage

from hub import stats
from hub.stats_db import StatsDB

PUBLISH_SECONDS = 5.0
REFRESH_SECONDS = 60.0


class DailyStats:
    def __init__(self, site: Site, db: StatsDB, *, every: float = PUBLISH_SECONDS, reader: StatsDB | None = None,
                 writing: Callable[[], ContextManager] = nullcontext):
        """``reader``: where ``today`` reads (the hub's ticker: a connection of its own, so that the day's
        tickets are read without holding up a commit); ``writing`` is held while ``db`` is used (the hub's
        database lock): to save, and to read too where there is no reader of its own."""
        self.site, self.db, self.every, self.writing = site, db, every, writing
        self.reader = reader or db
        self.reads = nullcontext if reader else writing
        self._last_at: datetime | None = None
        self._last_signature: tuple | None = None

    def aggregate(self, day: str, now: datetime, db: StatsDB | None = None) -> dict:
        db = db or self.db
        return stats.day_aggregate(self.site, day, db.tickets(day), db.events(day), db.feedback(day), now,
                                   db.appointments(day))

    def today(self, now: datetime) -> DailyStatsMessage | None:
        """The message for ``stats/daily`` when one is due, else None; today's row is saved with it."""
        day = schedule.local_day(self.site, now)
        if self._last_at is not None and (now - self._last_at).total_seconds() < self.every:
            return None
        with self.reads():
            signature = self.reader.signature(day)
            if self._last_at is not None and signature == self._last_signature \
                    and (now - self._last_at).total_seconds() < REFRESH_SECONDS:
                return None
            aggregate = self.aggregate(day, now, self.reader)
        with self.writing():
            self.db.save(aggregate, at=now.isoformat())
        self._last_at, self._last_signature = now, signature
        return self.payload(aggregate, now, final=False)

    def finish_past_days(self, now: datetime) -> list[DailyStatsMessage]:
        """Write (and return as messages) the aggregates of past days not finished yet.

        A day is final once none of its tickets is open any more; one whose expiry is not
        stored yet (the hub commits in the background) is written again at the next day change.
        """
        payloads = []
        for day in self.db.days_not_final(self.site.id, schedule.local_day(self.site, now)):
            end = schedule.at_local(self.site, date.fromisoformat(day) + timedelta(days=1), datetime.min.time())
            aggregate = self.aggregate(day, min(now, end))
            final = stats.live_figures(aggregate).waiting == 0 and not any(
                r["called"] for r in aggregate["reasons"].values())
            self.db.save(aggregate, at=now.isoformat(), final=final)
            payloads.append(self.payload(aggregate, now, final=final))
        return payloads

    @staticmethod
    def payload(aggregate: dict, now: datetime, *, final: bool) -> DailyStatsMessage:
        return DailyStatsMessage.of(aggregate, stats.live_figures(aggregate), now, final=final)
