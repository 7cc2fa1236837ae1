"""When and where volunteers next help with IT, as lines a citizen reads on the screen and the ticket.

The calendar itself is ``reception.schedule`` (shared with the board); this only words it,
so a citizen who comes on a day without volunteers learns the next time and place.
"""
from __future__ import annotations

from datetime import date, datetime

from reception.config import Site
from reception.schedule import Session, upcoming_sessions, weekday
from kiosk.i18n import tr


def describe(session: Session, lang: str, today: date) -> str:
    """One line: "Tirsdag kl. 09:00-12:00: Her på rådhuset"."""
    day = session.start.date()
    delta = (day - today).days
    name = tr(lang, "today") if delta == 0 else tr(lang, "tomorrow") if delta == 1 else tr(lang, weekday(day))
    return tr(lang, "session_line", day=name, time=f"{session.start:%H:%M}-{session.end:%H:%M}",
              place=session.place.get_text(lang))


def next_sessions_text(site: Site, now: datetime, lang: str, limit: int = 3) -> tuple[str, ...]:
    today = now.astimezone(site.tz).date()
    return tuple(describe(s, lang, today) for s in upcoming_sessions(site, now, limit))
