"""The MQTT contract: every topic and every JSON payload that crosses the broker.

Devices talk only through these.  ``docs/protocol.md`` documents the same names,
and a test checks the two agree.  Incoming payloads are parsed with ``parse_*``
functions that raise ``MessageError`` with a reason; nothing else reads raw JSON.

Topic tree (``<site>`` is ``site.id`` from the configuration)::

    reception/<site>/hub/available              hub    retained  {"v":1,"status":"online"|"offline"|"stopped"}
    reception/<site>/kiosk/<kiosk>/ticket/request  kiosk           ticket request (or hand-over of an offline ticket)
    reception/<site>/kiosk/<kiosk>/ticket/reply    hub             the ticket, or why not
    reception/<site>/kiosk/<kiosk>/ticket/first_visit  kiosk       "first visit about this?", answered after the number
    reception/<site>/kiosk/<kiosk>/status       kiosk  retained  printer state, outbox length
    reception/<site>/kiosk/<kiosk>/feedback     kiosk            anonymous "how did it go" answer
    reception/<site>/desk/<desk>/command        desk             next, recall, noshow, transfer, done, call, open, pause, close
    reception/<site>/desk/<desk>/result         hub              outcome of one command (by its id)
    reception/<site>/desk/<desk>/state          hub    retained  the desk: status, current ticket, its queue
    reception/<site>/calls                      hub              one event per call or recall
    reception/<site>/board                      hub    retained  snapshot for the waiting room
    reception/<site>/queue                      hub    retained  waiting tickets with their estimated waits
    reception/<site>/alerts                     hub    retained  device problems staff should see
    reception/<site>/stats/daily                hub    retained  today's anonymous aggregates (bridged to a central broker)
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

from reception.errors import MessageError

VERSION = 1
ROOT = "reception"
PREFERENCES = ("any", "staff", "volunteer")
EXTRAS = ("appointment", "carer", "private")
DESK_ACTIONS = ("next", "recall", "noshow", "transfer", "done", "call", "open", "pause", "close")
HUB_STATUSES = ("online", "offline", "stopped")
PRINTER_STATES = ("ok", "paper_low", "paper_out", "cover_open", "offline", "error")
MAX_ID_LEN = 64
NUMBER_RE = re.compile(r"^[A-Z][0-9]{3,4}$")
_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


# ---------------------------------------------------------------------------
# topics


@dataclass(frozen=True)
class Topic:
    """A parsed topic: ``reception/<site>/<device>/<device_id>/<feature...>`` or a site-wide one."""

    site: str
    device: str | None  # "kiosk", "desk", "hub" or None for site-wide topics
    device_id: str | None
    feature: str  # e.g. "ticket/request", "command", "board"


class Topics:
    """Builds the topic names of one site; use ``parse_topic`` for the other direction."""

    def __init__(self, site: str):
        if not _SEGMENT.match(site):
            raise MessageError(f"bad site id {site!r}")
        self.site = site
        self.base = f"{ROOT}/{site}"

    hub_available = property(lambda self: f"{self.base}/hub/available")
    calls = property(lambda self: f"{self.base}/calls")
    board = property(lambda self: f"{self.base}/board")
    queue = property(lambda self: f"{self.base}/queue")
    alerts = property(lambda self: f"{self.base}/alerts")
    stats_daily = property(lambda self: f"{self.base}/stats/daily")

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
    if len(parts) < 3 or parts[0] != ROOT or not _SEGMENT.match(parts[1]):
        raise MessageError(f"topic {topic!r} is not under {ROOT}/<site>/")
    site, rest = parts[1], parts[2:]
    if rest[0] in ("kiosk", "desk"):
        if len(rest) < 3 or not _SEGMENT.match(rest[1]):
            raise MessageError(f"topic {topic!r} lacks a valid {rest[0]} id")
        return Topic(site, rest[0], rest[1], "/".join(rest[2:]))
    if rest[0] == "hub":
        return Topic(site, "hub", None, "/".join(rest[1:]))
    return Topic(site, None, None, "/".join(rest))


# ---------------------------------------------------------------------------
# payload helpers


def encode(payload: Mapping[str, Any]) -> bytes:
    """JSON with the version field first; compact, UTF-8 (Danish letters stay readable)."""
    return json.dumps({"v": VERSION, **payload}, ensure_ascii=False, separators=(",", ":")).encode()


def decode(raw: bytes | str) -> dict[str, Any]:
    """Parse JSON and check the version; every parse_* starts here."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MessageError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MessageError("payload must be a JSON object")
    if data.get("v") != VERSION:
        raise MessageError(f"unsupported version {data.get('v')!r} (expected {VERSION})")
    return data


def _field(data: Mapping, key: str, types, *, required: bool = True, default=None, choices=None):
    if key not in data or data[key] is None:
        if required:
            raise MessageError(f"missing field {key!r}")
        return default
    value = data[key]
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise MessageError(f"field {key!r} has the wrong type")
    if not isinstance(value, types):
        raise MessageError(f"field {key!r} has the wrong type")
    if choices is not None and value not in choices:
        raise MessageError(f"field {key!r} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _command_id(data: Mapping, key: str = "id") -> str:
    cid = _field(data, key, str)
    if not 1 <= len(cid) <= MAX_ID_LEN or not cid.isprintable():
        raise MessageError(f"field {key!r} must be 1-{MAX_ID_LEN} printable characters")
    return cid


def _timestamp(data: Mapping, key: str, required: bool) -> datetime | None:
    value = _field(data, key, str, required=required)
    if value is None:
        return None
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        raise MessageError(f"field {key!r} is not an ISO 8601 time: {value!r}") from None
    if ts.tzinfo is None:
        raise MessageError(f"field {key!r} needs a UTC offset")
    return ts


LANG_RE = re.compile(r"^[a-z]{2,3}$")


def _lang(data: Mapping, key: str = "lang", default: str | None = "da") -> str | None:
    """A language code like "uk": the board passes it to espeak-ng, so nothing else gets through."""
    value = _field(data, key, str, required=False, default=default)
    if value is not None and not LANG_RE.match(value):
        raise MessageError(f"field {key!r} is not a language code like 'uk': {value!r}")
    return value


def _number(value: str, key: str = "number") -> str:
    if not NUMBER_RE.match(value):
        raise MessageError(f"field {key!r} is not a ticket number like A012: {value!r}")
    return value


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


def parse_ticket_request(raw: bytes | str) -> TicketRequest:
    data = decode(raw)
    extras = _field(data, "extras", list, required=False, default=[])
    for e in extras:
        if e not in EXTRAS:
            raise MessageError(f"unknown extra need {e!r} (use {', '.join(EXTRAS)})")
    offline = _field(data, "offline_number", str, required=False)
    issued_at = _timestamp(data, "issued_at", required=offline is not None)
    return TicketRequest(
        id=_command_id(data),
        service=_field(data, "service", str),
        preference=_field(data, "preference", str, required=False, default="any", choices=PREFERENCES),
        extras=tuple(dict.fromkeys(extras)),
        first_visit=_field(data, "first_visit", bool, required=False),
        lang=_lang(data),
        offline_number=_number(offline, "offline_number") if offline else None,
        issued_at=issued_at,
        replaces=_command_id(data, "replaces") if data.get("replaces") is not None else None,
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
    data = decode(raw)
    return TicketFirstVisit(_command_id(data), _number(_field(data, "number", str)), _field(data, "first_visit", bool))


@dataclass(frozen=True)
class DeskCommand:
    """One button press or console key.  ``ticket`` for call, ``service``/``to_kind`` for transfer."""

    id: str
    action: str
    ticket: str | None = None
    service: str | None = None
    to_kind: str | None = None


def parse_desk_command(raw: bytes | str) -> DeskCommand:
    data = decode(raw)
    action = _field(data, "action", str, choices=DESK_ACTIONS)
    ticket = _field(data, "ticket", str, required=action == "call")
    to_kind = _field(data, "to_kind", str, required=False, choices=("staff", "volunteer"))
    service = _field(data, "service", str, required=False)
    if action == "transfer" and not (to_kind or service):
        raise MessageError("transfer needs 'to_kind' or 'service'")
    return DeskCommand(_command_id(data), action, _number(ticket, "ticket") if ticket else None, service, to_kind)


@dataclass(frozen=True)
class KioskStatus:
    printer: str
    detail: str = ""
    outbox: int = 0


def parse_kiosk_status(raw: bytes | str) -> KioskStatus:
    data = decode(raw)
    detail = _field(data, "detail", str, required=False, default="")
    return KioskStatus(
        printer=_field(data, "printer", str, choices=PRINTER_STATES),
        detail=detail[:200],
        outbox=_field(data, "outbox", int, required=False, default=0),
    )


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
    data = decode(raw)
    score = _field(data, "score", int)
    if not 1 <= score <= 5:
        raise MessageError(f"field 'score' must be 1 to 5, not {score}")
    tags = _field(data, "tags", list, required=False, default=[])
    for tag in tags:
        if tag not in FEEDBACK_TAGS:
            raise MessageError(f"unknown feedback reason {tag!r} (use {', '.join(FEEDBACK_TAGS)})")
    return Feedback(_command_id(data), score, tuple(dict.fromkeys(tags)),
                    _field(data, "service", str, required=False), _timestamp(data, "at", required=False))


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
        if not isinstance(key, str) or not 0 < len(key) <= 64:
            raise MessageError(f"{where} has a bad key {key!r}")
        if isinstance(value, dict) and depth < 3:
            _counts(value, f"{where}.{key}", depth + 1)
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise MessageError(f"{where}.{key} must be a count, not {value!r}")


def parse_stats_daily(raw: bytes | str) -> DailyStatsMessage:
    data = decode(raw)
    site, day = _field(data, "site", str), _field(data, "day", str)
    if not _SEGMENT.match(site):
        raise MessageError(f"bad site id {site!r}")
    try:
        date.fromisoformat(day)
    except ValueError:
        raise MessageError(f"field 'day' is not a date: {day!r}") from None
    for section in STATS_SECTIONS:
        _counts(_field(data, section, dict), section)
    names = _field(data, "names", dict, required=False, default={})
    if not all(isinstance(v, str) for v in names.values()):
        raise MessageError("field 'names' must map services to texts")
    _field(data, "site_name", str, required=False)
    live = _field(data, "live", dict)
    avg = _field(live, "avg_wait_min", (int, float), required=False)
    return DailyStatsMessage(
        site=site, day=day, at=_timestamp(data, "at", required=True),
        final=_field(data, "final", bool, required=False, default=False),
        live=LiveFigures(_count(live, "waiting"), _count(live, "served"), None if avg is None else max(0.0, avg)),
        aggregate={k: data[k] for k in ("site", "site_name", "day", "weekday", "names", *STATS_SECTIONS)
                   if k in data},
    )


@dataclass(frozen=True)
class HubAvailability:
    status: str


def parse_hub_available(raw: bytes | str) -> HubAvailability:
    return HubAvailability(_field(decode(raw), "status", str, choices=HUB_STATUSES))


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


def _call_event(data: Mapping) -> CallEvent:
    desk_name = _field(data, "desk_name", dict)
    if not desk_name or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in desk_name.items()):
        raise MessageError("field 'desk_name' must map language codes to non-empty texts")
    seq = _field(data, "seq", int)
    if seq < 0:
        raise MessageError("field 'seq' must not be negative")
    return CallEvent(
        type=_field(data, "type", str, choices=CALL_TYPES),
        number=_number(_field(data, "number", str)),
        desk=_field(data, "desk", str),
        desk_name=dict(desk_name),
        at=_timestamp(data, "at", required=True),
        seq=seq,
        lang=_lang(data, default=None),
    )


def parse_call_event(raw: bytes | str) -> CallEvent:
    """A message on ``calls``."""
    return _call_event(decode(raw))


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


def _count(data: Mapping, key: str) -> int:
    value = _field(data, key, int)
    if value < 0:
        raise MessageError(f"field {key!r} must not be negative")
    return value


def _minutes(value, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise MessageError(f"field {key!r} must be whole minutes or null, not {value!r}")
    return round(value)


def _service_wait(data) -> ServiceWait:
    if not isinstance(data, dict):
        raise MessageError("each of 'services' must be an object")
    eta = _field(data, "eta_min", dict, required=False, default={})
    return ServiceWait(
        service=_field(data, "service", str),
        letter=_field(data, "letter", str),
        waiting=_count(data, "waiting"),
        eta_min={kind: _minutes(v, f"eta_min.{kind}") for kind, v in eta.items() if kind in ("staff", "volunteer")},
    )


def _kind_wait(kind: str, data) -> KindWait:
    if kind not in ("staff", "volunteer") or not isinstance(data, dict):
        raise MessageError(f"'kinds' has a bad entry {kind!r}")
    return KindWait(_count(data, "open"), _count(data, "waiting"), _minutes(data.get("eta_min"), f"kinds.{kind}.eta_min"))


def parse_board_snapshot(raw: bytes | str) -> BoardSnapshot:
    """The retained ``board`` snapshot; any bad part rejects the whole message (a display keeps the last good one)."""
    data = decode(raw)
    calls = _field(data, "calls", list, required=False, default=[])
    if not all(isinstance(c, dict) for c in calls):
        raise MessageError("each of 'calls' must be an object")
    until = _field(data, "volunteers_until", str, required=False)
    if until is not None and not re.fullmatch(r"\d{2}:\d{2}", until):
        raise MessageError(f"field 'volunteers_until' must look like 12:00, not {until!r}")
    return BoardSnapshot(
        at=_timestamp(data, "at", required=True),
        calls=tuple(_call_event(c) for c in calls),
        services=tuple(_service_wait(s) for s in _field(data, "services", list, required=False, default=[])),
        kinds={k: _kind_wait(k, v) for k, v in _field(data, "kinds", dict, required=False, default={}).items()},
        volunteers_until=until,
        languages=_languages(data),
    )


def _languages(data: Mapping) -> tuple[str, ...] | None:
    langs = _field(data, "languages", list, required=False)
    if langs is None:
        return None
    if len(langs) > 16 or not all(isinstance(lang, str) and LANG_RE.match(lang) for lang in langs):
        raise MessageError("field 'languages' must list language codes like 'uk'")
    return tuple(dict.fromkeys(langs))


def availability(status: str) -> bytes:
    """The retained payload on ``hub/available`` (also the hub's Last Will with "offline")."""
    if status not in HUB_STATUSES:
        raise ValueError(status)
    return encode({"status": status})


def ticket_reply(request_id: str, ticket: Mapping[str, Any] | None = None, error: str | None = None) -> bytes:
    if ticket is None and error is None:
        raise ValueError("a reply carries a ticket or an error")
    body = {"id": request_id, "ok": error is None}
    body.update({"ticket": ticket} if error is None else {"error": error})
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


def _optional_count(data: Mapping, key: str) -> int | None:
    value = _field(data, key, (int, float), required=False)
    if value is not None and value < 0:
        raise MessageError(f"field {key!r} must not be negative")
    return None if value is None else round(value)


def parse_ticket_reply(raw: bytes | str) -> TicketReply:
    data = decode(raw)
    rid, ok = _command_id(data), _field(data, "ok", bool)
    if not ok:
        return TicketReply(rid, False, error=_field(data, "error", str))
    t = _field(data, "ticket", dict)
    return TicketReply(rid, True, IssuedTicket(
        number=_number(_field(t, "number", str)),
        service=_field(t, "service", str),
        preference=_field(t, "preference", str, required=False, default="any", choices=PREFERENCES),
        issued_at=_timestamp(t, "issued_at", required=True),
        ahead=_optional_count(t, "ahead"),
        eta_min=_optional_count(t, "eta_min"),
        offline=_field(t, "offline", bool, required=False, default=False),
    ))


def desk_result(command: DeskCommand | Mapping[str, Any], error: str | None = None, **extra: Any) -> bytes:
    cid, action = (command.id, command.action) if isinstance(command, DeskCommand) else (command.get("id"), command.get("action"))
    body = {"id": cid, "action": action, "ok": error is None, **extra}
    if error is not None:
        body["error"] = error
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
    data = decode(raw)
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


def _ticket_at_desk(data, current: bool) -> TicketAtDesk:
    if not isinstance(data, dict):
        raise MessageError("a ticket must be an object")
    extras = _field(data, "extras", list, required=False, default=[])
    if not all(e in EXTRAS for e in extras):
        raise MessageError(f"unknown extra need in {extras!r}")
    waited = _field(data, "waited_min", (int, float), required=False, default=0.0)
    return TicketAtDesk(
        number=_number(_field(data, "number", str)),
        service=_field(data, "service", str),
        waited_min=max(0.0, float(waited)),
        extras=tuple(extras),
        state=_field(data, "state", str, choices=TICKET_STATES) if current else None,
        called_at=_timestamp(data, "called_at", required=False) if current else None,
        recalls=_field(data, "recalls", int, required=False, default=0),
    )


def parse_desk_state(raw: bytes | str) -> DeskState:
    data = decode(raw)
    current = data.get("current")
    return DeskState(
        desk=_field(data, "desk", str),
        status=_field(data, "status", str, choices=DESK_STATUSES),
        current=None if current is None else _ticket_at_desk(current, current=True),
        next=tuple(_ticket_at_desk(t, current=False) for t in _field(data, "next", list, required=False, default=[])),
        waiting=max(0, _field(data, "waiting", int, required=False, default=0)),
        at=_timestamp(data, "at", required=True),
    )


@dataclass(frozen=True)
class Alert:
    """A device problem staff should see (printer out of paper...)."""

    device: str
    problem: str
    detail: str = ""
    since: datetime | None = None


def parse_alerts(raw: bytes | str) -> tuple[Alert, ...]:
    """The retained ``alerts`` list; an empty list means all is well."""
    items = _field(decode(raw), "alerts", list)
    if not all(isinstance(a, dict) for a in items):
        raise MessageError("each of 'alerts' must be an object")
    return tuple(Alert(device=_field(a, "device", str), problem=_field(a, "problem", str),
                       detail=_field(a, "detail", str, required=False, default="")[:200],
                       since=_timestamp(a, "since", required=False)) for a in items)
