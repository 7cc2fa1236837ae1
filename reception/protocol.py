"""The MQTT contract: every topic and every JSON payload that crosses the broker.

Devices talk only through these.  ``docs/protocol.md`` documents the same names,
and a test checks the two agree.  Incoming payloads are parsed with ``parse_*``
functions that raise ``MessageError`` with a reason; nothing else reads raw JSON.
The contract is strict on every topic: the size, JSON and field checks of
``reception.payload`` apply to each message, and a field no schema names is refused.

Topic tree (``<site>`` is ``site.id`` from the configuration)::

    reception/<site>/hub/available              hub    retained  {"v":1,"status":"online"|"offline"|"stopped"}
    reception/<site>/kiosk/<kiosk>/available    kiosk  retained  the same, for one kiosk (its Last Will says "offline")
    reception/<site>/board/<board>/available    board  retained  the same, for one display board
    reception/<site>/desk/<desk>/<unit>/available  desk  retained  the same, for a desk's "buttons" or "console"
    reception/<site>/kiosk/<kiosk>/ticket/request  kiosk           ticket request (or hand-over of an offline ticket)
    reception/<site>/kiosk/<kiosk>/ticket/reply    hub             the ticket, or why not
    reception/<site>/kiosk/<kiosk>/ticket/first_visit  kiosk       "first visit about this?", answered after the number
    reception/<site>/kiosk/<kiosk>/status       kiosk  retained  printer state (a fixed code), outbox length
    reception/<site>/kiosk/<kiosk>/feedback     kiosk            anonymous "how did it go" answer
    reception/<site>/desk/<desk>/command        desk             next, recall, noshow, transfer, done, call, open, pause, close
    reception/<site>/desk/<desk>/result         hub              outcome of one command (by its id)
    reception/<site>/desk/<desk>/state          hub    retained  the desk: status, current ticket, its queue
    reception/<site>/calls                      hub              one event per call or recall
    reception/<site>/board                      hub    retained  snapshot for the waiting room
    reception/<site>/queue                      hub    retained  waiting tickets with their estimated waits
    reception/<site>/alerts                     hub    retained  device problems staff should see (fixed codes)
    reception/<site>/stats/daily                hub    retained  today's anonymous aggregates (bridged to a central broker)
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

from reception.errors import MessageError
from reception.payload import (MAX_COUNT, MAX_DEVICE_PAYLOAD, MAX_PAYLOAD, SEGMENT_RE, command_id as _command_id,
                               field as _field, integer as _integer, load_json, number as _real, only as _only,
                               segment as _segment, show, shorten, text_map as _text_map,
                               timestamp as _timestamp)

VERSION = 1
ROOT = "reception"
PREFERENCES = ("any", "staff", "volunteer")
EXTRAS = ("appointment", "carer", "private")
DESK_ACTIONS = ("next", "recall", "noshow", "transfer", "done", "call", "open", "pause", "close")
AVAILABILITY = ("online", "offline", "stopped")
DESK_UNITS = ("buttons", "console")  # the programs a desk may run, each with its own availability
PRINTER_STATES = ("ok", "paper_low", "paper_out", "cover_open", "offline", "error")
ALERT_PROBLEMS = ("paper_low", "paper_out", "cover_open", "offline", "error",  # a kiosk's printer
                  "unreachable",  # a device whose Last Will said "offline"
                  "overloaded")  # the hub itself, while its intake lags
NUMBER_RE = re.compile(r"[A-Z][0-9]{3,4}")
LANG_RE = re.compile(r"[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,2}")  # da, en, uk, pt-BR, zh_Hans
DEVICE_RE = re.compile(rf"{SEGMENT_RE.pattern}(/({'|'.join(DESK_UNITS)}))?")  # kiosk-1, board-1, desk-1/console
KIOSK_REPLY_TIMEOUT_S = 3.0  # a kiosk waits this long for its ticket, then prints one of its own numbers
STALE = "stale"  # the error of a ticket request that waited at the hub until its kiosk had given up


# ---------------------------------------------------------------------------
# topics


@dataclass(frozen=True)
class Topic:
    """A parsed topic: ``reception/<site>/<device>/<device_id>/<feature...>`` or a site-wide one."""

    site: str
    device: str | None  # "kiosk", "desk", "board", "hub" or None for site-wide topics
    device_id: str | None
    feature: str  # e.g. "ticket/request", "command", "board", "console/available"


class Topics:
    """Builds the topic names of one site; use ``parse_topic`` for the other direction."""

    def __init__(self, site: str):
        if not SEGMENT_RE.fullmatch(site):
            raise MessageError(f"bad site id {show(site)}")
        self.site = site
        self.base = f"{ROOT}/{site}"

    hub_available = property(lambda self: f"{self.base}/hub/available")
    calls = property(lambda self: f"{self.base}/calls")
    board = property(lambda self: f"{self.base}/board")
    queue = property(lambda self: f"{self.base}/queue")
    alerts = property(lambda self: f"{self.base}/alerts")
    stats_daily = property(lambda self: f"{self.base}/stats/daily")

    def kiosk_available(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/available"

    def board_available(self, board: str = "+") -> str:
        return f"{self.base}/board/{board}/available"

    def desk_available(self, desk: str = "+", unit: str = "+") -> str:
        return f"{self.base}/desk/{desk}/{unit}/available"

    def ticket_request(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/ticket/request"

    def ticket_reply(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/ticket/reply"

    def ticket_first_visit(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/ticket/first_visit"

    def kiosk_status(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/status"

    def feedback(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/feedback"

    def desk_command(self, desk: str = "+") -> str:
        return f"{self.base}/desk/{desk}/command"

    def desk_result(self, desk: str = "+") -> str:
        return f"{self.base}/desk/{desk}/result"

    def desk_state(self, desk: str = "+") -> str:
        return f"{self.base}/desk/{desk}/state"


def parse_topic(topic: str) -> Topic:
    """Split a topic once into a value object; raise MessageError for anything outside the tree."""
    parts = topic.split("/")
    if len(parts) < 3 or parts[0] != ROOT or not SEGMENT_RE.fullmatch(parts[1]):
        raise MessageError(f"topic {show(topic)} is not under {ROOT}/<site>/")
    site, rest = parts[1], parts[2:]
    if rest[0] in ("kiosk", "desk") or (rest[0] == "board" and len(rest) > 1):
        if len(rest) < 3 or not SEGMENT_RE.fullmatch(rest[1]):
            raise MessageError(f"topic {show(topic)} lacks a valid {rest[0]} id")
        return Topic(site, rest[0], rest[1], "/".join(rest[2:]))
    if rest[0] == "hub":
        return Topic(site, "hub", None, "/".join(rest[1:]))
    return Topic(site, None, None, "/".join(rest))


# ---------------------------------------------------------------------------
# payload helpers


def encode(payload: Mapping[str, Any]) -> bytes:
    """JSON with the version field first; compact, UTF-8 (Danish letters stay readable)."""
    return json.dumps({"v": VERSION, **payload}, ensure_ascii=False, separators=(",", ":")).encode()


def decode(raw: bytes | str, *fields: str, limit: int = MAX_PAYLOAD) -> dict[str, Any]:
    """Parse JSON, check the version and refuse any field but ``fields``; every parse_* starts here.

    ``limit``: the size limit in bytes, smaller for what devices send the hub.
    """
    data = load_json(raw, limit)
    if not isinstance(data, dict):
        raise MessageError("payload must be a JSON object")
    version = data.get("v")
    if type(version) is not int or version != VERSION:
        raise MessageError(f"unsupported version {show(version)} (expected {VERSION})")
    _only(data, ("v", *fields))
    return data


def _lang(data: Mapping, key: str = "lang", default: str | None = "da") -> str | None:
    """A language code like "uk": the board passes it to espeak-ng, so nothing else gets through."""
    value = _field(data, key, str, required=False, default=default)
    if value is not None and not LANG_RE.fullmatch(value):
        raise MessageError(f"field {key!r} is not a language code like 'uk': {show(value)}")
    return value


def _number(value: str, key: str = "number") -> str:
    if not NUMBER_RE.fullmatch(value):
        raise MessageError(f"field {key!r} is not a ticket number like A012: {show(value)}")
    return value


def _one_of_each(data: Mapping, key: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    """A list of fixed codes (extra needs, feedback reasons); one named twice counts once."""
    values = _field(data, key, list, required=False, default=[])
    for value in values:
        if not isinstance(value, str) or value not in allowed:
            raise MessageError(f"unknown {what} {show(value)} (use {', '.join(allowed)})")
    return tuple(dict.fromkeys(values))


# ---------------------------------------------------------------------------
# incoming messages


@dataclass(frozen=True)
class TicketRequest:
    """A kiosk asks for a ticket.  With ``offline_number`` it hands over one it issued itself.

    ``replaces`` names an earlier request of the same kiosk that got no answer in time: if the
    hub did issue a ticket for it, nobody holds that ticket, and the hub withdraws it.
    """

    id: str
    service: str
    preference: str = "any"
    extras: tuple[str, ...] = ()
    first_visit: bool | None = None
    lang: str = "da"
    offline_number: str | None = None
    issued_at: datetime | None = None
    replaces: str | None = None
    sent_at: datetime | None = None  # the kiosk's clock when it asked: a request replayed after a hub restart may be stale


TICKET_REQUEST_FIELDS = ("id", "service", "preference", "extras", "first_visit", "lang",
                         "offline_number", "issued_at", "replaces", "sent_at")
HAND_OVER_FIELDS = ("issued_at", "replaces")  # only with an offline_number


def parse_ticket_request(raw: bytes | str) -> TicketRequest:
    data = decode(raw, *TICKET_REQUEST_FIELDS, limit=MAX_DEVICE_PAYLOAD)
    offline = _field(data, "offline_number", str, required=False)
    if offline is None:
        for key in HAND_OVER_FIELDS:
            if data.get(key) is not None:
                raise MessageError(f"field {key!r} belongs only to a hand-over with 'offline_number'")
    return TicketRequest(
        id=_command_id(data),
        service=_segment(data, "service"),
        preference=_field(data, "preference", str, required=False, default="any", choices=PREFERENCES),
        extras=_one_of_each(data, "extras", EXTRAS, "extra need"),
        first_visit=_field(data, "first_visit", bool, required=False),
        lang=_field(data, "lang", str, required=False, default="da", pattern=LANG_RE),
        offline_number=None if offline is None else _number(offline, "offline_number"),
        issued_at=_timestamp(data, "issued_at", required=offline is not None),
        replaces=_command_id(data, "replaces", required=False),
        sent_at=_timestamp(data, "sent_at", required=False),
    )


@dataclass(frozen=True)
class TicketFirstVisit:
    """The citizen's answer to "is this your first visit about this?", given on the ticket screen.

    It comes after the number, so the question never stands between a citizen and a ticket;
    ``number`` is a ticket this kiosk issued today.
    """

    id: str
    number: str
    first_visit: bool


def parse_ticket_first_visit(raw: bytes | str) -> TicketFirstVisit:
    data = decode(raw, "id", "number", "first_visit", limit=MAX_DEVICE_PAYLOAD)
    return TicketFirstVisit(_command_id(data), _number(_field(data, "number", str)), _field(data, "first_visit", bool))


@dataclass(frozen=True)
class DeskCommand:
    """One button press or console key.  ``ticket`` for call, ``service``/``to_kind`` for transfer."""

    id: str
    action: str
    ticket: str | None = None
    service: str | None = None
    to_kind: str | None = None


ACTION_FIELDS = {"call": ("ticket",), "transfer": ("service", "to_kind")}  # the other actions take none


def parse_desk_command(raw: bytes | str) -> DeskCommand:
    data = decode(raw, "id", "action", "ticket", "service", "to_kind", limit=MAX_DEVICE_PAYLOAD)
    action = _field(data, "action", str, choices=DESK_ACTIONS)
    for key in ("ticket", "service", "to_kind"):
        if data.get(key) is not None and key not in ACTION_FIELDS.get(action, ()):
            raise MessageError(f"field {key!r} does not go with action {action!r}")
    ticket = _field(data, "ticket", str, required=action == "call")
    to_kind = _field(data, "to_kind", str, required=False, choices=("staff", "volunteer"))
    service = _segment(data, "service", required=False)
    if action == "transfer" and not (to_kind or service):
        raise MessageError("transfer needs 'to_kind' or 'service'")
    return DeskCommand(_command_id(data), action, _number(ticket, "ticket") if ticket else None, service, to_kind)


@dataclass(frozen=True)
class KioskStatus:
    """A kiosk's retained status: fixed codes and counts only, never text a device made up."""

    printer: str
    outbox: int = 0


def parse_kiosk_status(raw: bytes | str) -> KioskStatus:
    data = decode(raw, "printer", "outbox", limit=MAX_DEVICE_PAYLOAD)
    return KioskStatus(printer=_field(data, "printer", str, choices=PRINTER_STATES),
                       outbox=_integer(data, "outbox", required=False, default=0))


FEEDBACK_TAGS = ("got_help", "kind", "can_do_it_now", "waited_too_long", "still_cannot", "hard_to_understand")


@dataclass(frozen=True)
class Feedback:
    """An anonymous answer at the kiosk: a face (1-5), optional fixed reasons, optionally the visit reason."""

    id: str
    score: int
    tags: tuple[str, ...] = ()
    service: str | None = None
    at: datetime | None = None  # when the citizen answered (a kiosk may send it late from its outbox)


def parse_feedback(raw: bytes | str) -> Feedback:
    """``kiosk/<kiosk>/feedback``; no free text is accepted, so none can carry personal data."""
    data = decode(raw, "id", "score", "tags", "service", "at", limit=MAX_DEVICE_PAYLOAD)
    return Feedback(_command_id(data), _integer(data, "score", 1, 5),
                    _one_of_each(data, "tags", FEEDBACK_TAGS, "feedback reason"),
                    _segment(data, "service", required=False), _timestamp(data, "at", required=False))


@dataclass(frozen=True)
class Availability:
    """A retained ``available``: the hub's or one device's; "offline" is its Last Will."""

    status: str


def parse_available(raw: bytes | str) -> Availability:
    """``hub/available`` and each device's ``available``."""
    return Availability(_field(decode(raw, "status", limit=MAX_DEVICE_PAYLOAD), "status", str, choices=AVAILABILITY))


STATS_SECTIONS = ("reasons", "kinds", "hours", "transfers", "feedback")


@dataclass(frozen=True)
class LiveFigures:
    """Today so far, for desk consoles: tickets waiting now, visits served, average wait in minutes."""

    waiting: int
    served: int
    avg_wait_min: float | None


@dataclass(frozen=True)
class DailyStatsMessage:
    """The retained ``stats/daily``: one site's anonymous aggregates of one day (see ``hub.stats``)."""

    site: str
    day: str
    at: datetime
    final: bool
    live: LiveFigures
    aggregate: Mapping[str, Any]  # site, site_name, day, weekday, names and the count sections, as published


def _counts(tree: Mapping, where: str, depth: int = 0) -> None:
    """Aggregates are nested tables of non-negative numbers under short keys, nothing else."""
    for key, value in tree.items():
        if not 0 < len(key) <= 64 or not key.isprintable():
            raise MessageError(f"{where} has a bad key {show(key)}")
        if isinstance(value, dict) and depth < 3:
            _counts(value, f"{where}.{key}", depth + 1)
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise MessageError(f"{where}.{key} must be a count, not {show(value)}")


def parse_stats_daily(raw: bytes | str) -> DailyStatsMessage:
    data = decode(raw, "site", "site_name", "day", "weekday", "names", "at", "final", "live", *STATS_SECTIONS)
    site, day = _segment(data, "site"), _field(data, "day", str)
    try:
        date.fromisoformat(day)
    except ValueError:
        raise MessageError(f"field 'day' is not a date: {show(day)}") from None
    for section in STATS_SECTIONS:
        _counts(_field(data, section, dict), section)
    _text_map(data, "names", SEGMENT_RE, required=False)
    _field(data, "site_name", str, required=False)
    _field(data, "weekday", str, required=False)
    live = _field(data, "live", dict)
    _only(live, ("waiting", "served", "avg_wait_min"), "live.")
    avg = _real(live, "avg_wait_min", required=False)
    return DailyStatsMessage(
        site=site, day=day, at=_timestamp(data, "at"),
        final=_field(data, "final", bool, required=False, default=False),
        live=LiveFigures(_integer(live, "waiting"), _integer(live, "served"), avg),
        aggregate={k: data[k] for k in ("site", "site_name", "day", "weekday", "names", *STATS_SECTIONS)
                   if k in data},
    )


@dataclass(frozen=True)
class CallEvent:
    """One call or recall as the waiting room sees it: ticket number and desk, nothing about the citizen."""

    type: str  # "call" | "recall"
    number: str
    desk: str
    desk_name: Mapping[str, str]
    at: datetime
    seq: int
    lang: str | None = None  # the ticket's language (None from a hub that does not say): announced in it too


CALL_TYPES = ("call", "recall")
CALL_FIELDS = ("type", "number", "desk", "desk_name", "at", "seq", "lang")


def _call_event(data: Mapping) -> CallEvent:
    desk_name = _text_map(data, "desk_name", LANG_RE)
    if not desk_name:
        raise MessageError("field 'desk_name' must map language codes to non-empty texts")
    return CallEvent(
        type=_field(data, "type", str, choices=CALL_TYPES),
        number=_number(_field(data, "number", str)),
        desk=_segment(data, "desk"),
        desk_name=desk_name,
        at=_timestamp(data, "at"),
        seq=_integer(data, "seq"),
        lang=_lang(data, default=None),
    )


def parse_call_event(raw: bytes | str) -> CallEvent:
    """A message on ``calls``."""
    return _call_event(decode(raw, *CALL_FIELDS))


@dataclass(frozen=True)
class ServiceWait:
    """Waiting tickets of one service; ``eta_min`` by desk kind, None where no desk of that kind is open."""

    service: str
    letter: str
    waiting: int
    eta_min: Mapping[str, int | None]


@dataclass(frozen=True)
class KindWait:
    open: int
    waiting: int
    eta_min: int | None


@dataclass(frozen=True)
class BoardSnapshot:
    """The retained ``board`` message: all a display needs to be right at once after it starts."""

    at: datetime
    calls: tuple[CallEvent, ...]  # newest first
    services: tuple[ServiceWait, ...]
    kinds: Mapping[str, KindWait]
    volunteers_until: str | None
    languages: tuple[str, ...] | None = None  # of the waiting tickets; None from a hub that does not say


DESK_KINDS = ("staff", "volunteer")
SERVICE_WAIT_FIELDS = ("service", "letter", "waiting", "eta_min")


def _minutes(data: Mapping, key: str) -> int | None:
    value = data.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or
                              not 0 <= value <= MAX_COUNT):
        raise MessageError(f"field {key!r} must be whole minutes or null, not {show(value)}")
    return None if value is None else round(value)


def _objects(data: Mapping, key: str, fields: tuple[str, ...], *, required: bool = False) -> list[dict]:
    """A list of objects with only these fields."""
    items = _field(data, key, list, required=required, default=[])
    for item in items:
        if not isinstance(item, dict):
            raise MessageError(f"each of {key!r} must be an object")
        _only(item, fields, f"{key}[].")
    return items


def _kind_map(data: Mapping, key: str) -> dict[str, Any]:
    """An object keyed by desk kind."""
    value = _field(data, key, dict, required=False, default={})
    for kind in value:
        if kind not in DESK_KINDS:
            raise MessageError(f"{key!r} has a bad entry {show(kind)} (use {', '.join(DESK_KINDS)})")
    return value


def _service_wait(data: Mapping) -> ServiceWait:
    eta = _kind_map(data, "eta_min")
    return ServiceWait(
        service=_segment(data, "service"),
        letter=_field(data, "letter", str, pattern=re.compile("[A-Z]")),
        waiting=_integer(data, "waiting"),
        eta_min={kind: _minutes(eta, kind) for kind in eta},
    )


def _kind_wait(kind: str, data) -> KindWait:
    if not isinstance(data, dict):
        raise MessageError(f"'kinds.{kind}' must be an object")
    _only(data, ("open", "waiting", "eta_min"), f"kinds.{kind}.")
    return KindWait(_integer(data, "open"), _integer(data, "waiting"), _minutes(data, "eta_min"))


def parse_board_snapshot(raw: bytes | str) -> BoardSnapshot:
    """The retained ``board`` snapshot; any bad part rejects the whole message (a display keeps the last good one)."""
    data = decode(raw, "at", "calls", "services", "kinds", "volunteers_until", "languages")
    return BoardSnapshot(
        at=_timestamp(data, "at"),
        calls=tuple(_call_event(c) for c in _objects(data, "calls", CALL_FIELDS)),
        services=tuple(_service_wait(s) for s in _objects(data, "services", SERVICE_WAIT_FIELDS)),
        kinds={k: _kind_wait(k, v) for k, v in _kind_map(data, "kinds").items()},
        volunteers_until=_field(data, "volunteers_until", str, required=False, pattern=re.compile(r"\d{2}:\d{2}")),
        languages=_languages(data),
    )


def _languages(data: Mapping) -> tuple[str, ...] | None:
    langs = _field(data, "languages", list, required=False)
    if langs is None:
        return None
    if len(langs) > 16 or not all(isinstance(lang, str) and LANG_RE.fullmatch(lang) for lang in langs):
        raise MessageError("field 'languages' must list language codes like 'uk'")
    return tuple(dict.fromkeys(langs))


def availability(status: str) -> bytes:
    """The retained payload on ``available`` topics (also the Last Will, with "offline")."""
    if status not in AVAILABILITY:
        raise ValueError(status)
    return encode({"status": status})


def ticket_reply(request_id: str, ticket: Mapping[str, Any] | None = None, error: str | None = None) -> bytes:
    if ticket is None and error is None:
        raise ValueError("a reply carries a ticket or an error")
    body = {"id": request_id, "ok": error is None}
    body.update({"ticket": ticket} if error is None else {"error": shorten(error, 200)})
    return encode(body)


@dataclass(frozen=True)
class IssuedTicket:
    """The ticket in the hub's reply to a kiosk: what the citizen's screen and paper show."""

    number: str
    service: str
    preference: str
    issued_at: datetime
    ahead: int | None = None
    eta_min: int | None = None
    offline: bool = False


@dataclass(frozen=True)
class TicketReply:
    """The hub's answer to one ticket request, matched to it by ``id``."""

    id: str
    ok: bool
    ticket: IssuedTicket | None = None
    error: str | None = None


TICKET_FIELDS = ("number", "service", "preference", "ahead", "eta_min", "issued_at", "offline")


def parse_ticket_reply(raw: bytes | str) -> TicketReply:
    data = decode(raw, "id", "ok", "ticket", "error")
    rid, ok = _command_id(data), _field(data, "ok", bool)
    _only(data, ("v", "id", "ok", "ticket" if ok else "error"))
    if not ok:
        return TicketReply(rid, False, error=_field(data, "error", str))
    t = _field(data, "ticket", dict)
    _only(t, TICKET_FIELDS, "ticket.")
    ahead, eta = _real(t, "ahead", required=False), _real(t, "eta_min", required=False)
    return TicketReply(rid, True, IssuedTicket(
        number=_number(_field(t, "number", str)),
        service=_segment(t, "service"),
        preference=_field(t, "preference", str, required=False, default="any", choices=PREFERENCES),
        issued_at=_timestamp(t, "issued_at"),
        ahead=None if ahead is None else round(ahead),
        eta_min=None if eta is None else round(eta),
        offline=_field(t, "offline", bool, required=False, default=False),
    ))


def desk_result(command: DeskCommand | Mapping[str, Any], error: str | None = None, **extra: Any) -> bytes:
    cid, action = (command.id, command.action) if isinstance(command, DeskCommand) else (command.get("id"), command.get("action"))
    body = {"id": cid, "action": action, "ok": error is None, **extra}
    if error is not None:
        body["error"] = shorten(error, 200)
    return encode(body)


# ---------------------------------------------------------------------------
# what a desk unit or console reads


@dataclass(frozen=True)
class DeskResult:
    """The hub's answer to one desk command, matched to it by ``id``."""

    id: str
    action: str
    ok: bool
    error: str | None = None


def parse_desk_result(raw: bytes | str) -> DeskResult:
    data = decode(raw, "id", "action", "ok", "ticket", "error")
    ticket = _field(data, "ticket", str, required=False)
    if ticket is not None:
        _number(ticket, "ticket")
    return DeskResult(
        id=_command_id(data),
        action=_field(data, "action", str, choices=DESK_ACTIONS),
        ok=_field(data, "ok", bool),
        error=_field(data, "error", str, required=False),
    )


DESK_STATUSES = ("open", "paused", "closed")
TICKET_STATES = ("called", "serving")


@dataclass(frozen=True)
class TicketAtDesk:
    """A ticket as a desk sees it: number, reason (service id), wait so far, discreet extras."""

    number: str
    service: str
    waited_min: float
    extras: tuple[str, ...] = ()
    state: str | None = None  # "called" | "serving" for the current ticket
    called_at: datetime | None = None
    recalls: int = 0


@dataclass(frozen=True)
class DeskState:
    """The retained ``desk/<desk>/state``: the desk's status, who it serves, who comes next."""

    desk: str
    status: str
    current: TicketAtDesk | None
    next: tuple[TicketAtDesk, ...]
    waiting: int
    at: datetime


NEXT_FIELDS = ("number", "service", "waited_min", "extras")
CURRENT_FIELDS = (*NEXT_FIELDS, "state", "issued_at", "called_at", "recalls", "transfers", "first_visit")


def _ticket_at_desk(data, current: bool) -> TicketAtDesk:
    if not isinstance(data, dict):
        raise MessageError("a ticket must be an object")
    _only(data, CURRENT_FIELDS if current else NEXT_FIELDS, "current." if current else "next[].")
    if current:  # checked, though a desk shows none of them
        _timestamp(data, "issued_at", required=False)
        _integer(data, "transfers", required=False)
        _field(data, "first_visit", bool, required=False)
    return TicketAtDesk(
        number=_number(_field(data, "number", str)),
        service=_segment(data, "service"),
        waited_min=max(0.0, _real(data, "waited_min", -MAX_COUNT, required=False, default=0.0)),  # a clock ahead
        extras=_one_of_each(data, "extras", EXTRAS, "extra need"),
        state=_field(data, "state", str, choices=TICKET_STATES) if current else None,
        called_at=_timestamp(data, "called_at", required=False) if current else None,
        recalls=_integer(data, "recalls", required=False, default=0) if current else 0,
    )


def parse_desk_state(raw: bytes | str) -> DeskState:
    data = decode(raw, "desk", "kind", "status", "current", "next", "waiting", "at")
    _field(data, "kind", str, required=False, choices=DESK_KINDS)
    current = data.get("current")
    return DeskState(
        desk=_segment(data, "desk"),
        status=_field(data, "status", str, choices=DESK_STATUSES),
        current=None if current is None else _ticket_at_desk(current, current=True),
        next=tuple(_ticket_at_desk(t, current=False) for t in _field(data, "next", list, required=False, default=[])),
        waiting=_integer(data, "waiting", required=False, default=0),
        at=_timestamp(data, "at"),
    )


@dataclass(frozen=True)
class Alert:
    """A device problem staff should see, as a fixed code: a printer out of paper, a kiosk gone."""

    device: str  # "kiosk-1", "board-1", "desk-1/console"
    problem: str  # one of ALERT_PROBLEMS
    since: datetime | None = None


def parse_alerts(raw: bytes | str) -> tuple[Alert, ...]:
    """The retained ``alerts`` list; an empty list means all is well."""
    data = decode(raw, "at", "alerts")
    _timestamp(data, "at", required=False)
    return tuple(Alert(device=_field(a, "device", str, pattern=DEVICE_RE),
                       problem=_field(a, "problem", str, choices=ALERT_PROBLEMS),
                       since=_timestamp(a, "since", required=False))
                 for a in _objects(data, "alerts", ("device", "problem", "since"), required=True))
