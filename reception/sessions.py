"""When and where volunteers next help with IT, in the words a citizen reads on the kiosk, the ticket and the board.

The calendar itself is ``reception.schedule``; this only words it, one way everywhere, so a
citizen who comes on a day without volunteers learns the next time and place.  The kiosk's
words for it live here, not in ``kiosk.i18n``, so the ticket printer's tools and the board use
them without importing the kiosk.  A language without words here gets Danish.
"""
from __future__ import annotations

from datetime import date, datetime

from reception.config import Site
from reception.schedule import Session, upcoming_sessions, weekday

WORDS: dict[str, dict[str, str]] = {
    "da": {
        "volunteers_next": "Frivillige kommer {when} kl. {time}.",
        "when_today": "i dag", "when_tomorrow": "i morgen",
        "when_mon": "mandag", "when_tue": "tirsdag", "when_wed": "onsdag", "when_thu": "torsdag",
        "when_fri": "fredag", "when_sat": "lørdag", "when_sun": "søndag",
        "session_line": "{day} kl. {time}: {place}",
        "today": "I dag",
        "tomorrow": "I morgen",
        "mon": "Mandag", "tue": "Tirsdag", "wed": "Onsdag", "thu": "Torsdag",
        "fri": "Fredag", "sat": "Lørdag", "sun": "Søndag",
    },
    "en": {
        "volunteers_next": "Volunteers are here {when} at {time}.",
        "when_today": "today", "when_tomorrow": "tomorrow",
        "when_mon": "on Monday", "when_tue": "on Tuesday", "when_wed": "on Wednesday", "when_thu": "on Thursday",
        "when_fri": "on Friday", "when_sat": "on Saturday", "when_sun": "on Sunday",
        "session_line": "{day} {time}: {place}",
        "today": "Today",
        "tomorrow": "Tomorrow",
        "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
        "fri": "Friday", "sat": "Saturday", "sun": "Sunday",
    },
    "de": {
        "volunteers_next": "Ehrenamtliche sind {when} um {time} Uhr da.",
        "when_today": "heute", "when_tomorrow": "morgen",
        "when_mon": "am Montag", "when_tue": "am Dienstag", "when_wed": "am Mittwoch", "when_thu": "am Donnerstag",
        "when_fri": "am Freitag", "when_sat": "am Samstag", "when_sun": "am Sonntag",
        "session_line": "{day} {time} Uhr: {place}",
        "today": "Heute",
        "tomorrow": "Morgen",
        "mon": "Montag", "tue": "Dienstag", "wed": "Mittwoch", "thu": "Donnerstag",
        "fri": "Freitag", "sat": "Samstag", "sun": "Sonntag",
    },
    "uk": {
        "volunteers_next": "Волонтери будуть {when} о {time}.",
        "when_today": "сьогодні", "when_tomorrow": "завтра",
        "when_mon": "у понеділок", "when_tue": "у вівторок", "when_wed": "у середу", "when_thu": "у четвер",
        "when_fri": "у п'ятницю", "when_sat": "у суботу", "when_sun": "у неділю",
        "session_line": "{day} {time}: {place}",
        "today": "Сьогодні",
        "tomorrow": "Завтра",
        "mon": "Понеділок", "tue": "Вівторок", "wed": "Середа", "thu": "Четвер",
        "fri": "П'ятниця", "sat": "Субота", "sun": "Неділя",
    },
}


def word(lang: str, key: str, **values) -> str:
    """The words for ``key`` in ``lang`` (Danish when the language has none)."""
    return WORDS.get(lang, WORDS["da"])[key].format(**values)


def describe(session: Session, lang: str, today: date) -> str:
    """One line: "Tirsdag kl. 09:00-12:00: Her på rådhuset"."""
    name = _day_name(session.start.date(), today, "", lang)
    return word(lang, "session_line", day=name, time=f"{session.start:%H:%M}-{session.end:%H:%M}",
                place=session.place.get_text(lang))


def _day_name(day: date, today: date, prefix: str, lang: str) -> str:
    delta = (day - today).days
    return word(lang, f"{prefix}today" if delta == 0 else f"{prefix}tomorrow" if delta == 1 else f"{prefix}{weekday(day)}")


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
