"""The site file's sections about the service itself: reasons, desks, hours, questions, kiosk and board."""
from __future__ import annotations

import re
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reception.config import devices
from reception.config.model import (DESK_KINDS, EXTRAS, ID, MAX_ANSWERS, MAX_TAPS, WEEKDAYS, Answer, BoardGroup,
                                    BoardSettings, Desk, Extra, KioskSettings, Question, QueueRules, Service, Site,
                                    TimeRange, VolunteerSession)
from reception.config.schema import REQUIRED, Reader


def parse(raw: Mapping[str, Any], source: str = "<memory>") -> Site:
    """Validate an already-decoded TOML document (tests and tools build these directly)."""
    r = Reader(raw, source)
    site = r.table("site")
    languages = tuple(r.list_of(site, "site", "languages", str, default=["da"], nonempty=True))
    r.languages = languages
    tz = r.str(site, "site", "timezone", default="Europe/Copenhagen")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        r.fail("site.timezone", f"unknown time zone {tz!r}")
    services = _services(r)
    desks = _desks(r, services)
    kiosks = devices.kiosks(r)
    result = Site(
        id=r.ident(site, "site", "id"),
        name=r.str(site, "site", "name"),
        address=r.str(site, "site", "address", default=""),
        timezone=tz,
        languages=languages,
        retention_days=r.int(site, "site", "retention_days", default=30, minimum=1),
        hours=_hours(r),
        queue=_queue(r),
        extras=_extras(r),
        services=services,
        desks=desks,
        volunteer_sessions=_volunteer_sessions(r),
        kiosks=kiosks,
        boards=tuple(r.ident(b, f"boards[{i}]", "id") for i, b in enumerate(r.array("boards"))),
        questions=_questions(r, services),
        kiosk=_kiosk_settings(r),
        board=_board_settings(r, services),
        printer=devices.printer(r),
        pins=devices.pins(r, desks),
        broker=devices.broker(r),
        bridge=devices.bridge(r, site),
        source=source,
    )
    r.unknown_top_level()
    return result


def _services(r: Reader) -> dict[str, Service]:
    table = r.table("services")
    if not table:
        r.fail("services", "at least one service is needed")
    services, letters = {}, {}
    for sid, s in table.items():
        where = f"services.{sid}"
        if not ID.match(sid):
            r.fail(where, "service ids must be lower-case letters, digits, '-' or '_'")
        if not isinstance(s, Mapping):
            r.fail(where, "must be a table")
        letter = r.str(s, where, "letter")
        if not re.fullmatch(r"[A-Z]", letter):
            r.fail(f"{where}.letter", f"must be one capital letter A-Z, not {letter!r}")
        if letter in letters:
            r.fail(f"{where}.letter", f"{letter!r} is already used by services.{letters[letter]}")
        letters[letter] = sid
        served_by = r.list_of(s, where, "served_by", str, nonempty=True)
        for i, kind in enumerate(served_by):
            if kind not in DESK_KINDS:
                r.fail(f"{where}.served_by[{i}]", f"{kind!r} is not a desk kind ({', '.join(DESK_KINDS)})")
        services[sid] = Service(
            id=sid,
            letter=letter,
            name=r.text(s, where, "name"),
            served_by=frozenset(served_by),
            mean_service_minutes=r.number(s, where, "mean_service_minutes", default=10.0, minimum=0.1),
            priority_minutes=r.number(s, where, "priority_minutes", default=0.0),
        )
    return services


def _desks(r: Reader, services: Mapping[str, Service]) -> dict[str, Desk]:
    desks: dict[str, Desk] = {}
    for i, d in enumerate(r.array("desks")):
        where = f"desks[{i}]"
        did = r.ident(d, where, "id")
        if did in desks:
            r.fail(f"{where}.id", f"{did!r} is used by another desk")
        kind = r.str(d, where, "kind")
        if kind not in DESK_KINDS:
            r.fail(f"{where}.kind", f"{kind!r} is not a desk kind ({', '.join(DESK_KINDS)})")
        wanted = r.list_of(d, where, "services", str, default=["*"], nonempty=True)
        if wanted == ["*"]:
            serves = frozenset(sid for sid, s in services.items() if kind in s.served_by)
        else:
            for j, sid in enumerate(wanted):
                if sid not in services:
                    r.fail(f"{where}.services[{j}]", f"unknown service {sid!r}")
                if kind not in services[sid].served_by:
                    r.fail(f"{where}.services[{j}]", f"a {kind} desk may not serve {sid!r} (served_by)")
            serves = frozenset(wanted)
        desks[did] = Desk(did, r.text(d, where, "name"), kind, serves, r.bool(d, where, "private"))
    if not desks:
        r.fail("desks", "at least one desk is needed")
    for sid in services:
        if not any(sid in d.services for d in desks.values()):
            r.fail(f"services.{sid}", "no desk serves this service")
    return desks


def _hours(r: Reader) -> dict[str, TimeRange]:
    table = r.table("hours", required=False)
    hours = {}
    for day, value in table.items():
        if day not in WEEKDAYS:
            r.fail(f"hours.{day}", f"unknown day (use {', '.join(WEEKDAYS)})")
        if value:
            hours[day] = r.time_range(value, f"hours.{day}")
    return hours


def _queue(r: Reader) -> QueueRules:
    t = r.table("queue", required=False)
    return QueueRules(
        no_show_grace_minutes=r.number(t, "queue", "no_show_grace_minutes", default=10.0),
        double_press_guard_seconds=r.number(t, "queue", "double_press_guard_seconds", default=3.0),
        expire_after_close_minutes=r.number(t, "queue", "expire_after_close_minutes", default=60.0),
    )


def _extras(r: Reader) -> dict[str, Extra]:
    table = r.table("extras", required=False)
    extras = {}
    for key, e in table.items():
        where = f"extras.{key}"
        if key not in EXTRAS:
            r.fail(where, f"unknown extra need (use {', '.join(EXTRAS)})")
        extras[key] = Extra(
            key=key,
            priority_minutes=r.number(e, where, "priority_minutes", default=0.0),
            label=r.text(e, where, "label"),
            prefer_private_desk=r.bool(e, where, "prefer_private_desk"),
        )
    return extras


def _volunteer_sessions(r: Reader) -> tuple[VolunteerSession, ...]:
    sessions = []
    for i, v in enumerate(r.array("volunteer_sessions")):
        where = f"volunteer_sessions[{i}]"
        days = r.list_of(v, where, "days", str, nonempty=True)
        for j, day in enumerate(days):
            if day not in WEEKDAYS:
                r.fail(f"{where}.days[{j}]", f"unknown day {day!r} (use {', '.join(WEEKDAYS)})")
        sessions.append(VolunteerSession(
            days=tuple(days),
            time=r.time_range(r.str(v, where, "time"), f"{where}.time"),
            place=r.text(v, where, "place"),
            at_desks=r.bool(v, where, "at_desks"),
        ))
    return tuple(sessions)

def _questions(r: Reader, services: Mapping[str, Service]) -> dict[str, Question]:
    table = r.table("questions")
    if "start" not in table:
        r.fail("questions.start", "missing: the kiosk's first question")
    questions = {}
    for qid, q in table.items():
        where = f"questions.{qid}"
        raw_answers = r.get(q, where, "answers", list, REQUIRED, "a list of answers")
        if not 1 <= len(raw_answers) <= MAX_ANSWERS:
            r.fail(f"{where}.answers", f"must have 1 to {MAX_ANSWERS} answers, not {len(raw_answers)}")
        answers = []
        for i, a in enumerate(raw_answers):
            aw = f"{where}.answers[{i}]"
            if not isinstance(a, Mapping):
                r.fail(aw, "must be a table")
            nxt, svc = a.get("next"), a.get("service")
            if (nxt is None) == (svc is None):
                r.fail(aw, "needs exactly one of 'next' (a question) or 'service'")
            if svc is not None and svc not in services:
                r.fail(f"{aw}.service", f"unknown service {svc!r}")
            if nxt is not None and nxt not in table:
                r.fail(f"{aw}.next", f"unknown question {nxt!r}")
            answers.append(Answer(r.text(a, aw, "label"), r.str(a, aw, "icon", default="question"), nxt, svc))
        questions[qid] = Question(qid, r.text(q, where, "text"), tuple(answers))
    _check_reachability(r, questions, services)
    return questions


def _check_reachability(r: Reader, questions: Mapping[str, Question], services) -> None:
    """Every service within MAX_TAPS taps of the start screen; no question unreachable.

    The start screen is the first question, so its answers are the first tap; where the
    citizen chooses between a volunteer and staff, that choice is one tap more.
    """
    depth = {"start": 0}
    frontier = ["start"]
    reached: dict[str, int] = {}
    while frontier:
        qid = frontier.pop(0)
        for a in questions[qid].answers:
            taps = depth[qid] + 1
            if a.service:
                taps += a.service in services and services[a.service].citizen_chooses
                reached[a.service] = min(taps, reached.get(a.service, taps))
            elif a.next not in depth:
                depth[a.next] = taps
                frontier.append(a.next)
    for qid in questions:
        if qid not in depth:
            r.fail(f"questions.{qid}", "cannot be reached from questions.start")
    for sid in services:
        if sid not in reached:
            r.fail(f"services.{sid}", "no kiosk answer leads to this service")
        elif reached[sid] > MAX_TAPS:
            r.fail(f"services.{sid}", f"needs {reached[sid]} taps from the start screen (at most {MAX_TAPS})")


def _kiosk_settings(r: Reader) -> KioskSettings:
    t = r.table("kiosk", required=False)
    return KioskSettings(
        idle_reset_seconds=r.number(t, "kiosk", "idle_reset_seconds", default=60.0, minimum=10),
        idle_warning_seconds=r.number(t, "kiosk", "idle_warning_seconds", default=15.0, minimum=3),
        read_aloud=r.bool(t, "kiosk", "read_aloud", default=True),
    )


def _board_settings(r: Reader, services: Mapping[str, Service]) -> BoardSettings:
    t = r.table("board", required=False)
    msgs = r.get(t, "board", "messages", list, [], "a list of texts")
    return BoardSettings(
        recent_calls=r.int(t, "board", "recent_calls", default=6, minimum=1),
        announce_languages=tuple(r.list_of(t, "board", "announce_languages", str, default=[r.languages[0]])),
        info_rotate_seconds=r.number(t, "board", "info_rotate_seconds", default=12.0, minimum=2),
        messages=tuple(r.text({"m": m}, f"board.messages[{i}]", "m") for i, m in enumerate(msgs)),
        groups=_board_groups(r, t, services),
        today_figures=r.bool(t, "board", "today_figures", default=True),
    )


def _board_groups(r: Reader, t: Mapping[str, Any], services: Mapping[str, Service]) -> tuple[BoardGroup, ...]:
    groups, grouped = [], {}
    for i, g in enumerate(r.get(t, "board", "groups", list, [], "a list of tables")):
        where = f"board.groups[{i}]"
        if not isinstance(g, Mapping):
            r.fail(where, "must be a table with name and services")
        members = r.list_of(g, where, "services", str, nonempty=True)
        for j, sid in enumerate(members):
            if sid not in services:
                r.fail(f"{where}.services[{j}]", f"unknown service {sid!r}")
            if sid in grouped:
                r.fail(f"{where}.services[{j}]", f"{sid!r} is already in board.groups[{grouped[sid]}]")
            grouped[sid] = i
        groups.append(BoardGroup(r.text(g, where, "name"), tuple(members)))
    return tuple(groups)
