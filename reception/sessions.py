"""When and where volunteers next help with IT, in the words a citizen reads on the kiosk, the ticket and the board.

The calendar itself is ``reception.schedule``; this only words it, one way everywhere, so a
citizen who comes on a day without volunteers learns the next time and place.  Its words are
the shared ones of ``reception/words.toml``, so the ticket printer's tools and the board use
them without importing the kiosk.  A language without words there gets Danish.
"""
from __future__ import annotations

from datetime import date, datetime

from reception import catalogue
from reception.config import Site
from reception.schedule import Session, upcoming_sessions, weekday


def word(lang: str, key: str, **values) -> str:
    """The shared words (``reception/words.toml``) for ``key`` in ``lang`` (Danish when the language has none)."""
    return catalogue.shared().text(lang, key, **values)


def describe(session: Session, lang: str, today: date) -> str:
    """One line: "Tirsdag kl. 09:00-12:00: Her på rådhuset"."""
    name = _day_name(session.start.date(), today, "", lang)
    return word(lang, "session_line", day=name, time=f"{session.start:%H:%M}-{session.end:%H:%M}",
                place=session.place.get_text(lang))


def _day_name(day: date, today: date, prefix: str, lang: str) -> str:
    """"I dag", "I morgen", "Mandag" at the start of a line; "i dag", "tirsdag", "on Tuesday" inside a sentence (``prefix`` "when_")."""
    delta = (day - today).days
    if delta in (0, 1):
        return word(lang, f"{prefix}{'today' if delta == 0 else 'tomorrow'}")
    return word(lang, f"{prefix}{weekday(day)}") if prefix else catalogue.weekday_name(day.weekday(), lang).capitalize()


def next_here_text(site: Site, now: datetime, lang: str) -> str:
    """When volunteers are next at these desks, in a plain sentence: "Frivillige kommer tirsdag kl. 9:00."

    Shown only when no volunteer desk is open, under the title "Ingen frivillige her lige nu";
    so a session here that is running now (nobody came, or the desk is paused) is not "next":
    the sentence names the next start still to come, never a time that has passed.
    Empty when no session here is planned (the sessions elsewhere are then all there is to say)."""
    today = now.astimezone(site.tz).date()
    here = [s for s in upcoming_sessions(site, now, limit=None)
            if s.at_desks and s.start > now]
    if not here:
        return ""
    start = here[0].start
    return word(lang, "volunteers_next", when=_day_name(start.date(), today, "when_", lang),
                time=f"{start.hour}:{start.minute:02d}")


def next_sessions_text(site: Site, now: datetime, lang: str, limit: int = 3, *,
                       elsewhere: bool = False) -> tuple[str, ...]:
    """The next sessions, one line each; ``elsewhere`` leaves out those at these desks."""
    today = now.astimezone(site.tz).date()
    sessions = upcoming_sessions(site, now, limit=None)
    return tuple(describe(s, lang, today) for s in sessions if not (elsewhere and s.at_desks))[:limit]
