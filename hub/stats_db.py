"""The ``day_stats`` table: one anonymous aggregate per site and day, what every report reads.

The hub keeps today's row current and writes the final row of a past day before
the retention purge drops that day's tickets; the central collector stores the
rows other sites publish.  So a report reads the same table whether it runs on a
hub's own file, on a copy of it, or on the centre's gathered file.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable

import sqlite_utils

from hub.core.model import Ticket


class StatsDB:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        if "day_stats" not in db.table_names():
            db["day_stats"].create({"site": str, "day": str, "at": str, "final": int, "data": str},
                                   pk=("site", "day"))

    @classmethod
    def open(cls, path: str | Path) -> "StatsDB":
        """A file of its own (the centre's, or a report reading a hub's file)."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return cls(sqlite_utils.Database(sqlite3.connect(path, check_same_thread=False)))

    def close(self) -> None:
        self.db.close()

    def save(self, aggregate: dict, *, at: str, final: bool = False) -> None:
        """Store a day's aggregate, unless a newer one is already there (a late, reordered message)."""
        self.save_many([(aggregate, at, final)])

    def save_many(self, rows: Iterable[tuple[dict, str, bool]]) -> None:
        """``save`` for each ``(aggregate, at, final)``, all in one transaction."""
        with self.db.conn:
            for aggregate, at, final in rows:
                self.db.execute(
                    """insert into day_stats (site, day, at, final, data) values (?, ?, ?, ?, ?)
                       on conflict (site, day) do update set at = excluded.at, final = excluded.final,
                       data = excluded.data where excluded.at >= day_stats.at""",
                    [aggregate["site"], aggregate["day"], at, int(final), json.dumps(aggregate, ensure_ascii=False)])

    def aggregates(self, day_from: str, day_to: str) -> list[tuple[str, dict]]:
        """``(saved at, aggregate)`` of every site and day in the range."""
        rows = self.db.query("select at, data from day_stats where day >= ? and day <= ? order by day, site",
                             [day_from, day_to])
        return [(r["at"], json.loads(r["data"])) for r in rows]

    # -- a hub's own rows (the tables of hub.store) ---------------------------------

    def days_not_final(self, site: str, before_day: str) -> list[str]:
        """Past days with ticket rows whose final aggregate has not been written yet."""
        rows = self.db.query(
            """select distinct day from tickets where day < ? and day not in
               (select day from day_stats where site = ? and final = 1) order by day""", [before_day, site])
        return [r["day"] for r in rows]

    def signature(self, day: str) -> tuple[int, int]:
        """A cheap mark of change: the last event id and the number of the day's feedback answers."""
        last = next(self.db.query("select coalesce(max(id), 0) as n from events"))["n"]
        answers = next(self.db.query("select count(*) as n from feedback where day = ?", [day]))["n"]
        return last, answers

    def tickets(self, day: str) -> list[Ticket]:
        return [Ticket.from_record(r) for r in self.db.query("select * from tickets where day = ?", [day])]

    def events(self, day: str) -> Iterable[dict]:
        return self.db.query("select kind, at, ticket, desk, detail from events where day = ? order by id", [day])

    def appointments(self, day: str) -> Iterable[dict]:
        return self.db.query("select at, arrived_at, ticket, missed from appointments where day = ?", [day])

    def feedback(self, day: str) -> Iterable[dict]:
        return self.db.query("select score, tags, service from feedback where day = ?", [day])
