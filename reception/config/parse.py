"""The whole site file, and its sections about the service: site, reasons, desks, hours, extras, kiosk, board.

The question tree is in ``questions.py``, the devices (kiosks, printer, pins, brokers) in ``devices.py``.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reception.config import devices, questions
from reception.config.model import (DESK_KINDS, ID, LANGUAGES, WEEKDAYS, Appointments, BoardGroup, BoardSettings, Desk,
                                    Extra, KioskSettings, QueueRules, Service, Site, TimeRange, VolunteerSession)
from reception.config.schema import Reader, unknown
from reception.protocol import EXTRAS  # the contract's extra needs: the site file says which a kiosk offers

SECTIONS = ("site", "hours", "queue", "extras", "services", "desks", "volunteer_sessions", "kiosks", "boards",
            "questions", "kiosk", "board", "printer", "pins", "broker", "bridge", "appointments", "status_page",
            "integration")
SITE_KEYS = ("id", "name", "address", "timezone", "languages", "retention_days")


def parse(raw: Mapping[str, Any], source: str = "<memory>") -> Site:
    """Validate an already-decoded TOML document (tests and tools build these directly)."""
    r = Reader(raw, source)
    r.known(raw, "", SECTIONS, "section")
    site = r.table("site")
    r.known(site, "site", SITE_KEYS)
    r.languages = _languages(r, site)
    services = _services(r)
    desks = _desks(r, services)
    return Site(
        id=r.ident(site, "site", "id"),
        name=r.str(site, "site", "name"),
        address=r.str(site, "site", "address", default=""),
        timezone=_timezone(r, site),
        languages=r.languages,
        retention_days=r.int(site, "site", "retention_days", default=30, minimum=1),
        hours=_hours(r),
        queue=r.record(QueueRules, r.table("queue", required=False), "queue"),
        extras=_extras(r),
        services=services,
        desks=desks,
        volunteer_sessions=_volunteer_sessions(r),
        kiosks=devices.kiosks(r),
        boards=devices.boards(r),
        questions=questions.questions(r, services),
        kiosk=r.record(KioskSettings, r.table("kiosk", required=False), "kiosk"),
        board=_board_settings(r, services),
        printer=devices.printer(r),
        pins=devices.pins(r, desks),
        broker=devices.broker(r),
        bridge=devices.bridge(r, site),
        status_page=devices.status_page(r),
        integration=devices.integration(r),
        appointments=_appointments(r),
        source=source,
        document=raw,
    )


def _appointments(r: Reader) -> Appointments:
    """[appointments]; the folder, when given, made absolute beside the site file (the hub creates it)."""
    appointments = r.record(Appointments, r.table("appointments", required=False), "appointments")
    if appointments.folder is None:
        return appointments
    if not appointments.folder.strip():
        r.fail("appointments.folder", "must name a folder, not be empty")
    return replace(appointments, folder=str(Path(r.source).parent / appointments.folder))


def _languages(r: Reader, site: Mapping[str, Any]) -> tuple[str, ...]:
    """The site's languages, the first the default; only those the kiosk and board have catalogues for."""
    languages = r.list_of(site, "site", "languages", str, default=["da"], nonempty=True)
    for i, lang in enumerate(languages):
        if lang not in LANGUAGES:
            r.fail(f"site.languages[{i}]", f"{lang!r}: {unknown(lang, LANGUAGES, 'language')}")
        if lang in languages[:i]:
            r.fail(f"site.languages[{i}]", f"{lang!r} is listed twice")
    return tuple(languages)


def _timezone(r: Reader, site: Mapping[str, Any]) -> str:
    tz = r.str(site, "site", "timezone", default="Europe/Copenhagen")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        r.fail("site.timezone", f"unknown time zone {tz!r}")
    return tz


def _services(r: Reader) -> dict[str, Service]:
    table = r.table("services")
    if not table:
        r.fail("services", "at least one service is needed")
    services, letters = {}, {}
    for sid, s in table.items():
        where = f"services.{sid}"
        if not ID.match(sid):
            r.fail(where, "service ids must be lower-case letters, digits, '-' or '_'")
        s = r.keys_of(Service, s, where)
        letter = r.str(s, where, "letter")
        if not re.fullmatch(r"[A-Z]", letter):
            r.fail(f"{where}.letter", f"must be one capital letter A-Z, not {letter!r}")
        if letter in letters:
            r.fail(f"{where}.letter", f"{letter!r} is already used by services.{letters[letter]}")
        letters[letter] = sid
        served_by = r.list_of(s, where, "served_by", str, nonempty=True)
        for i, kind in enumerate(served_by):
            _desk_kind(r, kind, f"{where}.served_by[{i}]")
        services[sid] = r.record(Service, s, where, id=sid, letter=letter, served_by=frozenset(served_by))
    return services


def _desk_kind(r: Reader, kind: str, where: str) -> str:
    if kind not in DESK_KINDS:
        r.fail(where, f"{kind!r} is not a desk kind ({', '.join(DESK_KINDS)})")
    return kind


def _desks(r: Reader, services: Mapping[str, Service]) -> dict[str, Desk]:
    desks: dict[str, Desk] = {}
    for i, d in enumerate(r.array("desks")):
        where = f"desks[{i}]"
        d = r.keys_of(Desk, d, where)
        did = r.ident(d, where, "id")
        if did in desks:
            r.fail(f"{where}.id", f"{did!r} is used by another desk")
        kind = _desk_kind(r, r.str(d, where, "kind"), f"{where}.kind")
        desks[did] = r.record(Desk, d, where, id=did, kind=kind, services=_desk_services(r, d, where, kind, services))
    if not desks:
        r.fail("desks", "at least one desk is needed")
    for sid in services:
        if not any(sid in d.services for d in desks.values()):
            r.fail(f"services.{sid}", "no desk serves this service")
    return desks


def _desk_services(r: Reader, d: Mapping[str, Any], where: str, kind: str,
                   services: Mapping[str, Service]) -> frozenset[str]:
    """The services a desk serves; ["*"] (the default) is every service its kind may serve."""
    wanted = r.list_of(d, where, "services", str, default=["*"], nonempty=True)
    if wanted == ["*"]:
        return frozenset(sid for sid, s in services.items() if kind in s.served_by)
    for j, sid in enumerate(wanted):
        if sid not in services:
            r.fail(f"{where}.services[{j}]", f"{sid!r}: {unknown(sid, services, 'service')}")
        if kind not in services[sid].served_by:
            r.fail(f"{where}.services[{j}]", f"a {kind} desk may not serve {sid!r} (served_by)")
    return frozenset(wanted)


def _hours(r: Reader) -> dict[str, TimeRange]:
    table = r.table("hours", required=False)
    r.known(table, "hours", WEEKDAYS, "day")
    return {day: r.time_range(value, f"hours.{day}") for day, value in table.items()}


def _extras(r: Reader) -> dict[str, Extra]:
    table = r.table("extras", required=False)
    r.known(table, "extras", EXTRAS, "extra need")
    return {key: r.record(Extra, e, f"extras.{key}", key=key) for key, e in table.items()}


def _volunteer_sessions(r: Reader) -> tuple[VolunteerSession, ...]:
    sessions = []
    for i, v in enumerate(r.array("volunteer_sessions")):
        where = f"volunteer_sessions[{i}]"
        v = r.keys_of(VolunteerSession, v, where)
        days = r.list_of(v, where, "days", str, nonempty=True)
        r.known_items(days, f"{where}.days", WEEKDAYS, "day")
        when = r.time_range(r.str(v, where, "time"), f"{where}.time")
        sessions.append(r.record(VolunteerSession, v, where, days=tuple(days), time=when))
    return tuple(sessions)


def _board_settings(r: Reader, services: Mapping[str, Service]) -> BoardSettings:
    t = r.keys_of(BoardSettings, r.table("board", required=False), "board")
    announce = r.list_of(t, "board", "announce_languages", str, default=[r.languages[0]])
    r.known_items(announce, "board.announce_languages", r.languages, "site language")
    msgs = r.get(t, "board", "messages", list, [], "a list of texts")
    return r.record(
        BoardSettings, t, "board",
        announce_languages=tuple(announce),
        messages=tuple(r.local_text(m, f"board.messages[{i}]") for i, m in enumerate(msgs)),
        groups=_board_groups(r, t, services),
    )


def _board_groups(r: Reader, t: Mapping[str, Any], services: Mapping[str, Service]) -> tuple[BoardGroup, ...]:
    groups, grouped = [], {}
    for i, g in enumerate(r.get(t, "board", "groups", list, [], "a list of tables")):
        where = f"board.groups[{i}]"
        g = r.keys_of(BoardGroup, g, where)
        members = r.list_of(g, where, "services", str, nonempty=True)
        for j, sid in enumerate(members):
            if sid not in services:
                r.fail(f"{where}.services[{j}]", f"{sid!r}: {unknown(sid, services, 'service')}")
            if sid in grouped:
                r.fail(f"{where}.services[{j}]", f"{sid!r} is already in board.groups[{grouped[sid]}]")
            grouped[sid] = i
        groups.append(r.record(BoardGroup, g, where, services=tuple(members)))
    return tuple(groups)
