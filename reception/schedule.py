"""The site's calendar in local time: the day a ticket belongs to, closing, volunteer sessions.

Pure functions over the configuration and an aware ``now``.  All local times go
through the site's zone (Europe/Copenhagen), so daylight-saving changes are right.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from reception.config import WEEKDAYS, LocalText, Site, TimeRange

LOOKAHEAD_DAYS = 14


def local(site: Site, now: datetime) -> datetime:
    return now.astimezone(site.tz)


def local_day(site: Site, now: datetime) -> str:
    """The ISO date of the site's local day; ticket numbering restarts with it."""
    return local(site, now).date().isoformat()


def weekday(d: date) -> str:
    return WEEKDAYS[d.weekday()]


def at_local(site: Site, d: date, t: time) -> datetime:
    """A local wall-clock time on a date, as an aware datetime (zoneinfo resolves DST)."""
    return datetime.combine(d, t, tzinfo=site.tz)


def closing_time(site: Site, now: datetime) -> datetime | None:
    """Today's closing time, or None on a closed day."""
    today = local(site, now).date()
    hours = site.hours.get(weekday(today))
    return at_local(site, today, hours.end) if hours else None


@dataclass(frozen=True)
class Session:
    start: datetime
    end: datetime
    place: LocalText
    at_desks: bool


def upcoming_sessions(site: Site, now: datetime, limit: int | None = 3) -> list[Session]:
    """The next volunteer sessions that have not ended yet, soonest first (a running one included):
    the site file's weekly ones but those the office called off, and those it added (``Site.office``).
    ``limit=None``: all of the next two weeks."""
    today = local(site, now).date()
    found = []
    for offset in range(LOOKAHEAD_DAYS):
        d = today + timedelta(days=offset)
        found += [_session(site, d, s.time, s.place, s.at_desks) for s in site.volunteer_sessions
                  if weekday(d) in s.days and (d, s.time) not in site.office.cancelled_sessions]
    found += [_session(site, s.day, s.time, s.place, s.at_desks) for s in site.office.added_sessions]
    found = sorted((s for s in found if s.end > now), key=lambda s: s.start)
    return found if limit is None else found[:limit]


def _session(site: Site, d: date, when: TimeRange, place: LocalText, at_desks: bool) -> Session:
    return Session(at_local(site, d, when.start), at_local(site, d, when.end), place, at_desks)


def volunteers_until(site: Site, now: datetime) -> datetime | None:
    """When a volunteer session at this site's desks is running now, its end; else None."""
    for s in upcoming_sessions(site, now, limit=None):
        if s.at_desks and s.start <= now < s.end:
            return s.end
    return None
