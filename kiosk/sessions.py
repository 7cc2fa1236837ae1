"""When and where volunteers next help with IT, for the choice screen and the ticket.

Computed from ``site.volunteer_sessions`` for the local date and time, so a citizen
who comes on a day without volunteers learns the next time and place instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reception.config import WEEKDAYS, VolunteerSession
from kiosk.i18n import tr


@dataclass(frozen=True)
class Occurrence:
    day: date
    session: VolunteerSession


def upcoming(sessions: tuple[VolunteerSession, ...], now: datetime, limit: int = 3) -> list[Occurrence]:
    """The next ``limit`` sessions that have not ended yet, soonest first, within a week."""
    found = []
    for offset in range(8):
        day = now.date() + timedelta(days=offset)
        for s in sessions:
            if WEEKDAYS[day.weekday()] not in s.days:
                continue
            if offset == 0 and now.time() >= s.time.end:
                continue
            found.append(Occurrence(day, s))
    found.sort(key=lambda o: (o.day, o.session.time.start))
    return found[:limit]


def describe(occurrence: Occurrence, lang: str, today: date) -> str:
    """One line a citizen reads: "Tirsdag kl. 09:00-12:00: Her på rådhuset"."""
    delta = (occurrence.day - today).days
    if delta == 0:
        day = tr(lang, "today")
    elif delta == 1:
        day = tr(lang, "tomorrow")
    else:
        day = tr(lang, WEEKDAYS[occurrence.day.weekday()])
    return tr(lang, "session_line", day=day, time=str(occurrence.session.time),
              place=occurrence.session.place.get_text(lang))


def next_sessions_text(sessions, now: datetime, lang: str, limit: int = 3) -> tuple[str, ...]:
    return tuple(describe(o, lang, now.date()) for o in upcoming(sessions, now, limit))
