"""Every fixed text the board shows or speaks: ``texts.toml`` and the shared words (``reception.catalogue``).

The board never relies on the operating system's locale (a Pi image usually has only
C.UTF-8), so weekday and month names come from the catalogue too.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Mapping

from reception import catalogue
from reception.catalogue import weekday_name
from reception.config import Site

TEXTS = catalogue.load(Path(__file__).with_name("texts.toml"))


def text(key: str, lang: str, **values) -> str:
    """The catalogue text for ``key`` in ``lang`` (Danish when missing), with ``{placeholders}`` filled."""
    return TEXTS.text(lang, key, **values)


def has_language(lang: str) -> bool:
    """Whether the board has its own words in ``lang`` (else it speaks and shows Danish)."""
    return TEXTS.has_language(lang)


def date_text(now: datetime, lang: str) -> str:
    return text("date", lang, weekday=weekday_name(now.weekday(), lang), day=now.day,
                month=text("months", lang).split()[now.month - 1], year=now.year)


def spoken_number(number: str) -> str:
    """"A012" -> "A 12": the letter, then the number as people say it."""
    return f"{number[0]} {int(number[1:])}"


def minutes_text(minutes: int | None, waiting: int, lang: str) -> str:
    """The expected wait as the waiting room reads it; None means no desk that may help is open."""
    if minutes is None:
        return text("closed", lang)
    if waiting == 0 and minutes == 0:
        return text("no_wait", lang)
    return text("minutes", lang, n=max(minutes, 1))


def wait_text(eta_min: Mapping[str, int | None], waiting: int, lang: str) -> str:
    """A row's expected wait: one figure, or one per desk kind when volunteers and staff are both open."""
    known = {kind: m for kind, m in eta_min.items() if m is not None}
    if len(known) > 1:
        return "\n".join(f"{text(kind, lang)} {minutes_text(m, waiting, lang)}" for kind, m in known.items())
    if known:
        return minutes_text(next(iter(known.values())), waiting, lang)
    return minutes_text(None, waiting, lang) if eta_min else ""


def board_languages(site: Site) -> tuple[str, ...]:
    """The site's first language, then the first other announce language (shown smaller), if any."""
    primary = site.default_language
    others = [lang for lang in site.board.announce_languages if lang != primary]
    return (primary, others[0]) if others else (primary,)
