"""What a ticket shows, as a list of lines: the one layout both the printer and the PNG preview draw.

Pure: no escpos, no Pillow.  The site chooses which blocks appear and in which order
(``[printer.layout] lines``); each block becomes a few ``Line`` values carrying their
text, character magnification and emphasis, already wrapped to the paper's columns so
the preview breaks lines exactly where the printer will.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from hardware.ticket_texts import ticket_text
from reception.config import PrinterLayout

NUMBER_SCALE = 8  # the largest character size ESC/POS offers (GS ! with 8x8)
SITE_DEFAULTS = PrinterLayout()  # what a site file without [printer.layout] gets


@dataclass(frozen=True)
class TicketContent:
    """Everything a ticket shows, already translated by the kiosk."""

    number: str
    reason: str
    lang: str
    issued_at: datetime
    eta_min: int | None
    ahead: int | None
    volunteer_sessions: tuple[str, ...] = ()
    offline: bool = False  # issued by the kiosk itself while the hub was unreachable
    helper: str | None = None  # "volunteer" or "staff" where the citizen chose who helps; else None
    booked_at: datetime | None = None  # a checked-in appointment's booked time
    check_in: str | None = None  # a booking that became an ordinary number: "late", "unknown" or "unchecked"


@dataclass(frozen=True)
class Line:
    """One printed line: text (or a logo image), magnified ``width`` x ``height`` times."""

    text: str = ""
    width: int = 1
    height: int = 1
    bold: bool = False
    align: str = "center"
    image: str | None = None


@dataclass(frozen=True)
class TicketLayout:
    """The per-site choices: which blocks, date format, logo, code page, paper columns."""

    site_name: str
    address: str = ""
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Copenhagen"))
    lines: tuple[str, ...] = SITE_DEFAULTS.lines
    date_format: str = SITE_DEFAULTS.date_format
    logo: str | None = SITE_DEFAULTS.logo
    codepage: str = SITE_DEFAULTS.codepage
    columns: int = 48  # characters per line at normal size (font A)
    paper_px: int = 576  # printable width in dots

    @classmethod
    def from_site(cls, site, columns: int = 48, paper_px: int = 576) -> "TicketLayout":
        layout = site.printer.layout
        return cls(
            site_name=site.name,
            address=site.address,
            timezone=site.tz,
            lines=layout.lines,
            date_format=layout.date_format,
            logo=layout.logo,
            codepage=layout.codepage,
            columns=columns,
            paper_px=paper_px,
        )


def compose(content: TicketContent, layout: TicketLayout) -> tuple[Line, ...]:
    """The ticket's lines in print order, with an empty line between blocks."""
    lines: list[Line] = []
    for kind in layout.lines:
        block = _BLOCKS[kind](content, layout)
        if block:
            if lines:
                lines.append(Line())
            lines.extend(block)
    return tuple(lines)


def _wrapped(text: str, layout: TicketLayout, *, width: int = 1, height: int = 1, bold: bool = False,
             align: str = "center") -> list[Line]:
    """``text`` broken into as many lines as the magnified characters need."""
    chunks = textwrap.wrap(text, max(1, layout.columns // width), break_on_hyphens=False) or [""]
    return [Line(chunk, width, height, bold, align) for chunk in chunks]


def _logo(_content: TicketContent, layout: TicketLayout) -> list[Line]:
    return [Line(image=layout.logo)] if layout.logo else []


def _site(_content: TicketContent, layout: TicketLayout) -> list[Line]:
    return _wrapped(layout.site_name, layout, width=2, height=2, bold=True)


def _address(_content: TicketContent, layout: TicketLayout) -> list[Line]:
    return _wrapped(layout.address, layout) if layout.address else []


def _number(content: TicketContent, layout: TicketLayout) -> list[Line]:
    return _wrapped(content.number, layout, width=NUMBER_SCALE, height=NUMBER_SCALE, bold=True)


def _reason(content: TicketContent, layout: TicketLayout) -> list[Line]:
    """The reason, the booked time of a checked-in appointment, and who the citizen chose to help them
    (a volunteer or staff), where they chose."""
    lines = _wrapped(content.reason, layout, width=2, height=2, bold=True)
    if content.booked_at:
        time = content.booked_at.astimezone(layout.timezone).strftime("%H:%M")
        lines += _wrapped(ticket_text("booked_time", content.lang, time=time), layout, width=2, height=2, bold=True)
    if content.helper:
        lines += _wrapped(ticket_text(f"helper_{content.helper}", content.lang), layout, height=2)
    return lines


def _wait(content: TicketContent, layout: TicketLayout) -> list[Line]:
    """Why a booking became an ordinary number (kindly), expected wait and place in the queue (when known),
    then how the citizen will be called."""
    lang = content.lang
    texts = [ticket_text(f"check_in_{content.check_in}", lang)] if content.check_in else []
    if content.eta_min is not None:
        texts.append(ticket_text("wait", lang, n=content.eta_min))
    if content.ahead is not None:
        texts.append(ticket_text("ahead", lang, n=content.ahead))
    if content.offline:
        texts.append(ticket_text("wait_unknown", lang))
    texts.append(ticket_text("called", lang))
    return [line for text in texts for line in _wrapped(text, layout, height=2)]


def _datetime(content: TicketContent, layout: TicketLayout) -> list[Line]:
    local = content.issued_at.astimezone(layout.timezone)
    return _wrapped(local.strftime(layout.date_format), layout, height=2)


def _volunteer_sessions(content: TicketContent, layout: TicketLayout) -> list[Line]:
    if not content.volunteer_sessions:
        return []
    lines = _wrapped(ticket_text("next_sessions", content.lang), layout, height=2, bold=True, align="left")
    for session in content.volunteer_sessions:
        # "I dag kl. 10:00-12:00:" over "IT-café på Tønder Bibliotek": the place is never split by
        # the date; double height, as the other lines a citizen must read (3 mm print is too small)
        when, _, place = session.partition(": ")
        lines.extend(_wrapped(f"{when}:" if place else when, layout, height=2, bold=True, align="left"))
        if place:
            lines.extend(_wrapped(place, layout, height=2, align="left"))
    return lines


_BLOCKS = {
    "logo": _logo,
    "site": _site,
    "address": _address,
    "number": _number,
    "reason": _reason,
    "wait": _wait,
    "datetime": _datetime,
    "volunteer_sessions": _volunteer_sessions,
}
