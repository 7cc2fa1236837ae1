"""The retained ``stats/daily``: one site's anonymous aggregates of one day, bridged to a central broker.

The hub builds the aggregate (``hub.stats``); the board shows today's figures from it, the desk
consoles the live ones, and ``reception collect`` gathers every site's for the report.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

from reception.errors import MessageError
from reception.protocol import fields as f
from reception.protocol.codes import SEGMENT_RE, STATS_SECTIONS
from reception.protocol.wire import Message, iso, show

OPTIONAL_SECTIONS = ("appointments",)  # booked visits: absent from a hub that does not count them
AGGREGATE_FIELDS = ("site", "site_name", "day", "weekday", "names", *STATS_SECTIONS, *OPTIONAL_SECTIONS)


@dataclass(frozen=True)
class LiveFigures:
    """Today so far, for desk consoles: tickets waiting now, visits served, average wait in minutes."""

    waiting: int
    served: int
    avg_wait_min: float | None

    FIELDS = ("waiting", "served", "avg_wait_min")

    @classmethod
    def read(cls, data: dict) -> "LiveFigures":
        f.only(data, cls.FIELDS, "live.")
        return cls(f.integer(data, "waiting"), f.integer(data, "served"), f.number(data, "avg_wait_min", required=False))

    def body(self) -> dict[str, Any]:
        return {"waiting": self.waiting, "served": self.served, "avg_wait_min": self.avg_wait_min}


def _counts(tree: Mapping, where: str, depth: int = 0) -> None:
    """Aggregates are nested tables of non-negative numbers under short keys, nothing else."""
    for key, value in tree.items():
        if not 0 < len(key) <= 64 or not key.isprintable():
            raise MessageError(f"{where} has a bad key {show(key)}")
        if isinstance(value, dict) and depth < 3:
            _counts(value, f"{where}.{key}", depth + 1)
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise MessageError(f"{where}.{key} must be a count, not {show(value)}")


@dataclass(frozen=True)
class DailyStatsMessage(Message):
    """One site's anonymous aggregates of one day (see ``hub.stats``), as of ``at``; ``final`` once the day is over."""

    site: str
    day: str
    at: datetime
    final: bool
    live: LiveFigures
    aggregate: Mapping[str, Any]  # site, site_name, day, weekday, names and the count sections, as published

    FIELDS = ("site", "site_name", "day", "weekday", "names", "at", "final", "live", *STATS_SECTIONS,
              *OPTIONAL_SECTIONS)

    @classmethod
    def of(cls, aggregate: Mapping[str, Any], live: LiveFigures, at: datetime, *, final: bool) -> "DailyStatsMessage":
        """The message for an aggregate the hub made."""
        return cls(aggregate["site"], aggregate["day"], at, final, live, dict(aggregate))

    @classmethod
    def read(cls, data: dict) -> "DailyStatsMessage":
        site, day = f.segment(data, "site"), f.field(data, "day", str)
        try:
            date.fromisoformat(day)
        except ValueError:
            raise MessageError(f"field 'day' is not a date: {show(day)}") from None
        for section in STATS_SECTIONS:
            _counts(f.field(data, section, dict), section)
        for section in OPTIONAL_SECTIONS:
            _counts(f.field(data, section, dict, required=False, default={}), section)
        f.text_map(data, "names", SEGMENT_RE, required=False)
        f.field(data, "site_name", str, required=False)
        f.field(data, "weekday", str, required=False)
        return cls(site=site, day=day, at=f.timestamp(data, "at"),
                   final=f.field(data, "final", bool, required=False, default=False),
                   live=LiveFigures.read(f.field(data, "live", dict)),
                   aggregate={k: data[k] for k in AGGREGATE_FIELDS if k in data})

    def body(self) -> dict[str, Any]:
        return {"at": iso(self.at), "final": self.final, "live": self.live.body(), **self.aggregate,
                "site": self.site, "day": self.day}
