"""The site configuration: one TOML file, validated once, read everywhere.

Every section is parsed by a small function that knows its keys, so an error can
name the file, the dotted key and what is wrong (``ConfigError``).  The result is
a tree of frozen dataclasses; nothing downstream touches raw dicts.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reception.errors import ConfigError

DESK_KINDS = ("staff", "volunteer")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXTRAS = ("appointment", "carer", "private")
PRINTER_CONNECTIONS = ("dummy", "file", "usb", "serial", "network")
# What each printer connection needs besides its name (see hardware/printer.py).
PRINTER_PARAMS = {"dummy": (), "file": ("path",), "usb": ("vendor_id", "product_id"),
                  "serial": ("device",), "network": ("host",)}
TICKET_LINES = ("logo", "site", "address", "number", "reason", "wait", "datetime", "volunteer_sessions")
DEFAULT_TICKET_LINES = ("site", "number", "reason", "wait", "datetime", "volunteer_sessions")
TICKET_LAYOUT_KEYS = ("lines", "date_format", "logo", "codepage")
DESK_BUTTONS = ("next", "recall", "noshow", "transfer", "done")
MAX_ANSWERS = 6
MAX_TAPS = 3
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


class LocalText(dict):
    """Texts by language code; ``get_text`` falls back to the site's first language."""

    def __init__(self, texts: Mapping[str, str], default: str = "da"):
        super().__init__(texts)
        self.default = default

    def get_text(self, lang: str | None = None) -> str:
        if lang and lang in self:
            return self[lang]
        return self.get(self.default) or next(iter(self.values()))


@dataclass(frozen=True)
class Extra:
    key: str
    priority_minutes: float
    label: LocalText
    prefer_private_desk: bool = False


@dataclass(frozen=True)
class Service:
    id: str
    letter: str
    name: LocalText
    served_by: frozenset[str]
    mean_service_minutes: float
    priority_minutes: float = 0.0

    @property
    def volunteer_may_serve(self) -> bool:
        return "volunteer" in self.served_by

    @property
    def citizen_chooses(self) -> bool:
        """Both kinds may help: the kiosk asks the citizen which they prefer."""
        return set(DESK_KINDS) <= self.served_by


@dataclass(frozen=True)
class Desk:
    id: str
    name: LocalText
    kind: str
    services: frozenset[str]
    private: bool = False


@dataclass(frozen=True)
class TimeRange:
    start: time
    end: time

    def contains(self, t: time) -> bool:
        return self.start <= t < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class VolunteerSession:
    days: tuple[str, ...]
    time: TimeRange
    place: LocalText
    at_desks: bool = False


@dataclass(frozen=True)
class Kiosk:
    id: str
    offline_numbers: tuple[int, int]


@dataclass(frozen=True)
class Answer:
    label: LocalText
    icon: str
    next: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    text: LocalText
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class QueueRules:
    no_show_grace_minutes: float = 10
    double_press_guard_seconds: float = 3
    expire_after_close_minutes: float = 60


@dataclass(frozen=True)
class KioskSettings:
    idle_reset_seconds: float = 60
    idle_warning_seconds: float = 15
    read_aloud: bool = True


@dataclass(frozen=True)
class BoardGroup:
    """Visit reasons the waiting-room board shows as one row of waits (fewer, larger rows)."""

    name: LocalText
    services: tuple[str, ...]


@dataclass(frozen=True)
class BoardSettings:
    recent_calls: int = 6
    announce_languages: tuple[str, ...] = ("da",)
    info_rotate_seconds: float = 12
    messages: tuple[LocalText, ...] = ()
    groups: tuple[BoardGroup, ...] = ()  # reasons in no group get a row of their own
    today_figures: bool = True  # an information page with today's served / waiting / average wait


@dataclass(frozen=True)
class Printer:
    connection: str = "dummy"
    profile: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    layout: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Broker:
    host: str
    port: int = 1883
    tls: bool = False
    ca_file: str | None = None


@dataclass(frozen=True)
class Bridge:
    """The municipality's central broker that this site's Mosquitto copies its statistics to."""

    host: str
    port: int = 8883
    tls: bool = True
    ca_file: str | None = None
    username: str = ""
    password_file: str = "/etc/reception/secrets/central.password"


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    address: str
    timezone: str
    languages: tuple[str, ...]
    retention_days: int
    hours: Mapping[str, TimeRange]
    queue: QueueRules
    extras: Mapping[str, Extra]
    services: Mapping[str, Service]
    desks: Mapping[str, Desk]
    volunteer_sessions: tuple[VolunteerSession, ...]
    kiosks: Mapping[str, Kiosk]
    boards: tuple[str, ...]
    questions: Mapping[str, Question]
    kiosk: KioskSettings
    board: BoardSettings
    printer: Printer
    pins: Mapping[str, Mapping[str, int]]
    broker: Broker | None
    bridge: Bridge | None = None
    source: str = "<memory>"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def service_by_letter(self, letter: str) -> Service | None:
        return next((s for s in self.services.values() if s.letter == letter), None)

    def reserved_numbers(self) -> list[tuple[int, int]]:
        """Number ranges the hub must never issue: they belong to kiosks working offline."""
        return sorted(k.offline_numbers for k in self.kiosks.values())


# ---------------------------------------------------------------------------
# loading


def load(path: str | Path) -> Site:
    """Read and validate a site file; raise ConfigError naming file, key and problem."""
    return parse(read_toml(path), source=str(path))


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file's document; ConfigError naming the file when it is missing or broken."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def parse(raw: Mapping[str, Any], source: str = "<memory>") -> Site:
    """Validate an already-decoded TOML document (tests and tools build these directly)."""
    r = _Reader(raw, source)
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
    kiosks = _kiosks(r)
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
        printer=_printer(r),
        pins=_pins(r, desks),
        broker=_broker(r),
        bridge=_bridge(r, site),
        source=source,
    )
    r.unknown_top_level()
    return result


class _Reader:
    """Typed access to the raw document that raises ConfigError with the dotted key."""

    TOP = {"site", "hours", "queue", "extras", "services", "desks", "volunteer_sessions", "kiosks",
           "boards", "questions", "kiosk", "board", "printer", "pins", "broker", "bridge"}

    def __init__(self, raw: Mapping[str, Any], source: str):
        self.raw, self.source = raw, source
        self.languages: tuple[str, ...] = ("da",)

    def fail(self, key: str, problem: str):
        raise ConfigError(f"{self.source}: {key}: {problem}")

    def unknown_top_level(self) -> None:
        for key in self.raw:
            if key not in self.TOP:
                self.fail(key, f"unknown section (expected one of {', '.join(sorted(self.TOP))})")

    def table(self, name: str, required: bool = True) -> Mapping[str, Any]:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.fail(name, "missing section")
            return {}
        if not isinstance(value, Mapping):
            self.fail(name, "must be a table")
        return value

    def array(self, name: str) -> list[Mapping[str, Any]]:
        value = self.raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.fail(name, "must be an array of tables ([[%s]])" % name)
        return value

    def get(self, t: Mapping, where: str, key: str, types, default, what: str):
        if key not in t:
            if default is _REQUIRED:
                self.fail(f"{where}.{key}", "missing")
            return default
        value = t[key]
        if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
            self.fail(f"{where}.{key}", f"must be {what}, not {value!r}")
        if not isinstance(value, types):
            self.fail(f"{where}.{key}", f"must be {what}, not {value!r}")
        return value

    def str(self, t, where, key, default=None) -> str:
        d = _REQUIRED if default is None else default
        value = self.get(t, where, key, str, d, "a string")
        if isinstance(value, str) and default is None and not value.strip():
            self.fail(f"{where}.{key}", "must not be empty")
        return value

    def ident(self, t, where, key) -> str:
        value = self.str(t, where, key)
        if not _ID.match(value):
            self.fail(f"{where}.{key}", f"{value!r} must be lower-case letters, digits, '-' or '_' (max 32)")
        return value

    def int(self, t, where, key, default=None, minimum=None) -> int:
        d = _REQUIRED if default is None else default
        value = self.get(t, where, key, int, d, "a whole number")
        if minimum is not None and value < minimum:
            self.fail(f"{where}.{key}", f"must be at least {minimum}, not {value}")
        return value

    def number(self, t, where, key, default=None, minimum=0.0) -> float:
        d = _REQUIRED if default is None else default
        value = self.get(t, where, key, (int, float), d, "a number")
        if minimum is not None and value < minimum:
            self.fail(f"{where}.{key}", f"must be at least {minimum}, not {value}")
        return float(value)

    def bool(self, t, where, key, default=False) -> bool:
        return self.get(t, where, key, bool, default, "true or false")

    def list_of(self, t, where, key, typ, default=None, nonempty=False) -> list:
        d = _REQUIRED if default is None else default
        value = self.get(t, where, key, list, d, "a list")
        for i, item in enumerate(value):
            if not isinstance(item, typ) or isinstance(item, bool):
                self.fail(f"{where}.{key}[{i}]", f"must be a {typ.__name__}, not {item!r}")
        if nonempty and not value:
            self.fail(f"{where}.{key}", "must not be empty")
        return list(value)

    def text(self, t, where, key) -> LocalText:
        """A localised text: a table with at least the site's first language."""
        value = self.get(t, where, key, (dict, str), _REQUIRED, "a table of texts by language")
        if isinstance(value, str):
            value = {self.languages[0]: value}
        for lang, s in value.items():
            if not isinstance(s, str) or not s.strip():
                self.fail(f"{where}.{key}.{lang}", "must be a non-empty string")
        if self.languages[0] not in value:
            self.fail(f"{where}.{key}", f"needs a text in {self.languages[0]!r} (the site's first language)")
        return LocalText(value, default=self.languages[0])

    def time_range(self, value, where) -> TimeRange:
        m = re.fullmatch(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})", value.strip()) if isinstance(value, str) else None
        if not m:
            self.fail(where, f"must look like \"09:00-15:00\", not {value!r}")
        h1, m1, h2, m2 = map(int, m.groups())
        try:
            rng = TimeRange(time(h1, m1), time(h2, m2))
        except ValueError:
            self.fail(where, f"{value!r} is not a valid time of day")
        if rng.end <= rng.start:
            self.fail(where, f"{value!r} ends before it starts")
        return rng


_REQUIRED = object()


def _services(r: _Reader) -> dict[str, Service]:
    table = r.table("services")
    if not table:
        r.fail("services", "at least one service is needed")
    services, letters = {}, {}
    for sid, s in table.items():
        where = f"services.{sid}"
        if not _ID.match(sid):
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


def _desks(r: _Reader, services: Mapping[str, Service]) -> dict[str, Desk]:
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


def _hours(r: _Reader) -> dict[str, TimeRange]:
    table = r.table("hours", required=False)
    hours = {}
    for day, value in table.items():
        if day not in WEEKDAYS:
            r.fail(f"hours.{day}", f"unknown day (use {', '.join(WEEKDAYS)})")
        if value:
            hours[day] = r.time_range(value, f"hours.{day}")
    return hours


def _queue(r: _Reader) -> QueueRules:
    t = r.table("queue", required=False)
    return QueueRules(
        no_show_grace_minutes=r.number(t, "queue", "no_show_grace_minutes", default=10.0),
        double_press_guard_seconds=r.number(t, "queue", "double_press_guard_seconds", default=3.0),
        expire_after_close_minutes=r.number(t, "queue", "expire_after_close_minutes", default=60.0),
    )


def _extras(r: _Reader) -> dict[str, Extra]:
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


def _volunteer_sessions(r: _Reader) -> tuple[VolunteerSession, ...]:
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


def _kiosks(r: _Reader) -> dict[str, Kiosk]:
    kiosks: dict[str, Kiosk] = {}
    taken: list[tuple[int, int, str]] = []
    for i, k in enumerate(r.array("kiosks")):
        where = f"kiosks[{i}]"
        kid = r.ident(k, where, "id")
        rng = r.list_of(k, where, "offline_numbers", int)
        if len(rng) != 2 or not 1 <= rng[0] <= rng[1] <= 999:
            r.fail(f"{where}.offline_numbers", f"must be [first, last] within 1-999, not {rng!r}")
        for lo, hi, other in taken:
            if rng[0] <= hi and lo <= rng[1]:
                r.fail(f"{where}.offline_numbers", f"overlaps the range of kiosk {other!r}")
        taken.append((rng[0], rng[1], kid))
        kiosks[kid] = Kiosk(kid, (rng[0], rng[1]))
    return kiosks


def _questions(r: _Reader, services: Mapping[str, Service]) -> dict[str, Question]:
    table = r.table("questions")
    if "start" not in table:
        r.fail("questions.start", "missing: the kiosk's first question")
    questions = {}
    for qid, q in table.items():
        where = f"questions.{qid}"
        raw_answers = r.get(q, where, "answers", list, _REQUIRED, "a list of answers")
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


def _check_reachability(r: _Reader, questions: Mapping[str, Question], services) -> None:
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


def _kiosk_settings(r: _Reader) -> KioskSettings:
    t = r.table("kiosk", required=False)
    return KioskSettings(
        idle_reset_seconds=r.number(t, "kiosk", "idle_reset_seconds", default=60.0, minimum=10),
        idle_warning_seconds=r.number(t, "kiosk", "idle_warning_seconds", default=15.0, minimum=3),
        read_aloud=r.bool(t, "kiosk", "read_aloud", default=True),
    )


def _board_settings(r: _Reader, services: Mapping[str, Service]) -> BoardSettings:
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


def _board_groups(r: _Reader, t: Mapping[str, Any], services: Mapping[str, Service]) -> tuple[BoardGroup, ...]:
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


def _printer(r: _Reader) -> Printer:
    t = dict(r.table("printer", required=False))
    connection = r.str(t, "printer", "connection", default="dummy")
    if connection not in PRINTER_CONNECTIONS:
        r.fail("printer.connection", f"{connection!r} is not one of {', '.join(PRINTER_CONNECTIONS)}")
    layout = _ticket_layout(r, r.get(t, "printer", "layout", dict, {}, "a table"))
    profile = t.pop("profile", None)
    if profile is not None and not isinstance(profile, str):
        r.fail("printer.profile", f"must be a printer model name such as \"TM-T20II\", not {profile!r}")
    params = {k: v for k, v in t.items() if k not in ("connection", "layout")}
    for key in PRINTER_PARAMS[connection]:
        if key not in params:
            r.fail(f"printer.{key}", f"missing (a {connection} printer needs {', '.join(PRINTER_PARAMS[connection])})")
    return Printer(connection, profile, params, layout)


def _ticket_layout(r: _Reader, t: Mapping[str, Any]) -> dict[str, Any]:
    """Which blocks a ticket shows and how; the printer and the PNG preview both follow it."""
    where = "printer.layout"
    for key in t:
        if key not in TICKET_LAYOUT_KEYS:
            r.fail(f"{where}.{key}", f"unknown setting (use {', '.join(TICKET_LAYOUT_KEYS)})")
    lines = r.list_of(t, where, "lines", str, default=list(DEFAULT_TICKET_LINES), nonempty=True)
    for i, line in enumerate(lines):
        if line not in TICKET_LINES:
            r.fail(f"{where}.lines[{i}]", f"{line!r} is not a ticket line ({', '.join(TICKET_LINES)})")
    if "number" not in lines:
        r.fail(f"{where}.lines", "must include \"number\" (a ticket without its number is useless)")
    date_format = r.str(t, where, "date_format", default="%d.%m.%Y %H:%M")
    if "%" not in date_format:
        r.fail(f"{where}.date_format", f"must be a strftime format such as \"%d.%m.%Y %H:%M\", not {date_format!r}")
    layout: dict[str, Any] = {"lines": tuple(lines), "date_format": date_format,
                              "codepage": r.str(t, where, "codepage", default="CP865")}
    if "logo" in t:
        logo = Path(r.source).parent / r.str(t, where, "logo")  # relative to the site file
        if not logo.is_file():
            r.fail(f"{where}.logo", f"no image file at {logo}")
        layout["logo"] = str(logo)
    return layout


def _pins(r: _Reader, desks: Mapping[str, Desk]) -> dict[str, dict[str, int]]:
    table = r.table("pins", required=False)
    pins, used = {}, {}
    for did, mapping in table.items():
        where = f"pins.{did}"
        if did not in desks:
            r.fail(where, f"unknown desk {did!r}")
        for name, pin in mapping.items():
            if name not in DESK_BUTTONS + ("led", "buzzer"):
                r.fail(f"{where}.{name}", f"unknown pin role (use {', '.join(DESK_BUTTONS + ('led', 'buzzer'))})")
            r.int(mapping, where, name, minimum=0)
            if pin in used:
                r.fail(f"{where}.{name}", f"pin {pin} is already used by {used[pin]}")
            used[pin] = f"{where}.{name}"
        pins[did] = dict(mapping)
    return pins


def _broker(r: _Reader) -> Broker | None:
    t = r.table("broker", required=False)
    if not t:
        return None
    return Broker(
        host=r.str(t, "broker", "host"),
        port=r.int(t, "broker", "port", default=1883, minimum=1),
        tls=r.bool(t, "broker", "tls"),
        ca_file=t.get("ca_file"),
    )


def _bridge(r: _Reader, site: Mapping[str, Any]) -> Bridge | None:
    t = r.table("bridge", required=False)
    if not t:
        return None
    tls = r.bool(t, "bridge", "tls", default=True)
    return Bridge(
        host=r.str(t, "bridge", "host"),
        port=r.int(t, "bridge", "port", default=8883 if tls else 1883, minimum=1),
        tls=tls,
        ca_file=r.str(t, "bridge", "ca_file", default="") or None,
        username=r.str(t, "bridge", "username", default="") or f"site-{site.get('id')}",
        password_file=r.str(t, "bridge", "password_file", default=Bridge.password_file),
    )
