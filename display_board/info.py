"""The rotating information area: site messages, today's figures, the next volunteer IT sessions, opening hours.

Pure functions of the site file and the local time, so a test can ask "what does the
board say on a Tuesday at 11:59?" without a screen or a clock.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from display_board.wording import text
from reception.catalogue import weekday_name
from reception import protocol, schedule
from reception.config import WEEKDAYS, Site, TimeRange
from reception.sessions import describe

SESSIONS_SHOWN = 3
LINES_SHOWN = 3  # the information strip holds three lines at 4 % of the screen height


@dataclass(frozen=True)
class InfoPage:
    """One page in one language: a title (may be empty) and its lines."""

    title: str
    lines: tuple[str, ...]
    lang: str = ""  # the language it is written in (set by ``info_pages``)

    def same_text(self, other: "InfoPage") -> bool:
        return (self.title, self.lines) == (other.title, other.lines)


def sessions_page(site: Site, now: datetime, lang: str) -> InfoPage | None:
    """The next volunteer sessions that have not ended yet (a running one included), in local time,
    worded as on the kiosk and the ticket."""
    sessions = schedule.upcoming_sessions(site, now, SESSIONS_SHOWN)
    if not sessions:
        return None
    today = schedule.local(site, now).date()
    return InfoPage(text("sessions_page", lang), tuple(describe(s, lang, today) for s in sessions))


def today_page(site: Site, now: datetime, stats: protocol.DailyStatsMessage | None, lang: str) -> InfoPage | None:
    """The hub's live figures of the day: served so far and waiting now.

    Not the average wait so far: "4 min" on this page beside "59 min" in the waits rows (the
    wait a citizen arriving now can expect) read as two numbers that do not agree.

    Only figures of the site's local *today* show: the message names its day (``day``, the
    hub's local date), so yesterday's retained figures, left over when the hub is down after
    midnight, vanish at midnight by the board's own clock without any timer.  A day with
    nobody served and nobody waiting (before opening) gets no page: zeros tell the waiting
    room nothing.  ``[board] today_figures = false`` switches the page off.
    """
    if not site.board.today_figures or stats is None or stats.day != schedule.local_day(site, now):
        return None
    live = stats.live
    if live.served == 0 and live.waiting == 0:
        return None
    lines = (text("served_today", lang, n=live.served), text("waiting_now", lang, n=live.waiting))
    return InfoPage(text("today", lang), lines)


def opening_hours_page(site: Site, lang: str) -> InfoPage | None:
    """Consecutive days with the same hours share a line: "Mandag–onsdag 09:00-15:00"."""
    runs: list[tuple[int, int, TimeRange | None]] = []
    for i, day in enumerate(WEEKDAYS):
        hours = site.hours.get(day)
        if runs and runs[-1][2] == hours:
            runs[-1] = (runs[-1][0], i, hours)
        else:
            runs.append((i, i, hours))
    lines = []
    for first, last, hours in runs:
        days = weekday_name(first, lang).capitalize()
        if last != first:
            days += "–" + weekday_name(last, lang)
        lines.append(f"{days} {hours or text('closed_day', lang)}")
    return InfoPage(text("opening_hours", lang), tuple(lines)) if site.hours else None


def info_pages(site: Site, now: datetime, lang: str,
               stats: protocol.DailyStatsMessage | None = None) -> list[InfoPage]:
    """All pages in rotation order, in one language; site messages fall back to the site's first language."""
    pages = [InfoPage("", (m.get_text(lang),)) for m in site.board.messages]
    pages += [p for p in (today_page(site, now, stats, lang), sessions_page(site, now, lang),
                          opening_hours_page(site, lang)) if p]
    return [replace(p, lang=lang) for p in pages]


def rotation(site: Site, now: datetime, languages: tuple[str, ...],
             stats: protocol.DailyStatsMessage | None = None) -> list[InfoPage]:
    """Each page in each given language in turn, one language at a time so the text can be large;
    a page with no text of its own in a language (a message falling back to Danish) is not repeated.
    The board passes Danish and the languages of the tickets waiting now (see ``BoardScreen``).
    ``stats`` is the latest retained ``stats/daily``, if any (see ``today_page``)."""
    by_lang = {lang: info_pages(site, now, lang, stats) for lang in languages}
    first = by_lang[languages[0]]
    return [by_lang[lang][i] for i in range(len(first)) for lang in languages
            if lang == languages[0] or not by_lang[lang][i].same_text(first[i])]


def fold_lines(lines: tuple[str, ...], most: int = LINES_SHOWN) -> tuple[str, ...]:
    """Join neighbouring short lines in pairs ("Mandag–onsdag 09:00-15:00   Torsdag 09:00-17:30")
    when a page has more lines than the strip holds; the strip is wide, the lines are short."""
    if len(lines) <= most:
        return lines
    return tuple("   ".join(lines[i:i + 2]) for i in range(0, len(lines), 2))


def page_index(now: datetime, page_count: int, rotate_seconds: float) -> int:
    """Which page shows now: a function of the clock, so every board in the room agrees."""
    if page_count == 0:
        return 0
    return int(now.timestamp() // rotate_seconds) % page_count
