"""The office's changes to today's setup: their topics and JSON payloads (part of the MQTT contract).

The manager changes the day without editing the site file: closes or opens a desk, changes the
services it serves today, adds or cancels a volunteer session this week, edits the board's
information texts.  The web application sends each change as a command; the hub checks it by
the site file's own rules (``reception.today``), stores it with who and when, and publishes the
changes in force, retained, for every device.  ``docs/protocol.md`` documents the same names.

Topic tree (``<site>`` is ``site.id``)::

    reception/<site>/setup/command              web              one change to today's setup
    reception/<site>/setup/result               hub              outcome of one setup command (by its id)
    reception/<site>/setup                      hub    retained  the office's changes in force over the site file
    reception/<site>/setup/audit                hub    retained  the latest changes: who, when, what
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from reception.errors import MessageError
from reception.protocol.codes import LANG_RE, SEGMENT_RE
from reception.protocol.fields import command_id, field as _field, integer, only, segment, text_map, timestamp
from reception.protocol.wire import decode, encode, show, shorten

MAX_SETUP_PAYLOAD = 64 * 1024  # bytes of a setup command: 12 information texts in four languages, even \u-escaped
AUDIT_SHOWN = 100  # changes listed on ``setup/audit``, newest first
MAX_MESSAGES = 12  # information texts on the board
TIME_RE = re.compile(r"\d{2}:\d{2}-\d{2}:\d{2}")  # "09:00-12:00", as in the site file
SETUP_ACTIONS = ("close_desk", "open_desk", "set_services", "reset_services",
                 "add_session", "cancel_session", "restore_session", "set_messages", "reset_messages")
ACTION_FIELDS = {  # the fields each action takes besides id, by and action; all of them required but at_desks
    "close_desk": ("desk",), "open_desk": ("desk",), "set_services": ("desk", "services"),
    "reset_services": ("desk",), "add_session": ("date", "time", "place", "at_desks"),
    "cancel_session": ("date", "time"), "restore_session": ("date", "time"),
    "set_messages": ("messages",), "reset_messages": (),
}
OPTIONAL = ("at_desks",)


@dataclass(frozen=True)
class SetupTopics:
    """The setup topics of one site."""

    site: str

    base = property(lambda self: f"reception/{self.site}/setup")
    state = base
    command = property(lambda self: f"{self.base}/command")
    result = property(lambda self: f"{self.base}/result")
    audit = property(lambda self: f"{self.base}/audit")


def _date(data: Mapping, key: str = "date") -> date:
    value = _field(data, key, str)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise MessageError(f"field {key!r} is not a date like 2026-11-26: {show(value)}")


def _texts(value: Any, key: str) -> dict[str, str]:
    """A text in each language, keyed by language code: {"da": "...", "en": "..."}."""
    texts = text_map({key: value}, key, LANG_RE)
    if not texts:
        raise MessageError(f"field {key!r} needs a text in at least one language")
    return texts


def _list(data: Mapping, key: str, limit: int) -> list:
    items = _field(data, key, list)
    if len(items) > limit:
        raise MessageError(f"field {key!r} lists more than {limit}")
    return items


@dataclass(frozen=True)
class SessionRef:
    """One volunteer session on one date, as the site file times it: ("2026-11-26", "09:00-12:00")."""

    date: date
    time: str

    @classmethod
    def from_payload(cls, data: Mapping) -> "SessionRef":
        only(data, ("date", "time"), "session.")
        return cls(_date(data), _field(data, "time", str, pattern=TIME_RE))

    def to_payload(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "time": self.time}


@dataclass(frozen=True)
class AddedSession:
    """A volunteer session the office added on one date this week."""

    date: date
    time: str
    place: Mapping[str, str]
    at_desks: bool = False

    @property
    def ref(self) -> SessionRef:
        return SessionRef(self.date, self.time)

    @classmethod
    def from_payload(cls, data: Mapping) -> "AddedSession":
        only(data, ("date", "time", "place", "at_desks"), "session.")
        ref = SessionRef.from_payload({"date": data.get("date"), "time": data.get("time")})
        return cls(ref.date, ref.time, _texts(data.get("place"), "place"),
                   _field(data, "at_desks", bool, required=False, default=False))

    def to_payload(self) -> dict[str, Any]:
        return {**self.ref.to_payload(), "place": dict(self.place), "at_desks": self.at_desks}


@dataclass(frozen=True)
class SetupCommand:
    """One change the web application asks for, in the name of the account ``by``."""

    id: str
    by: str
    action: str
    desk: str | None = None
    services: tuple[str, ...] | None = None
    session: AddedSession | SessionRef | None = None
    messages: tuple[Mapping[str, str], ...] | None = None

    @classmethod
    def from_payload(cls, raw: bytes | str) -> "SetupCommand":
        data = decode(raw, "id", "by", "action", "desk", "services", "date", "time", "place", "at_desks",
                      "messages", limit=MAX_SETUP_PAYLOAD)
        action = _field(data, "action", str, choices=SETUP_ACTIONS)
        takes = ACTION_FIELDS[action]
        for key in ("desk", "services", "date", "time", "place", "at_desks", "messages"):
            if data.get(key) is not None and key not in takes:
                raise MessageError(f"field {key!r} does not go with action {action!r}")
            if data.get(key) is None and key in takes and key not in OPTIONAL:
                raise MessageError(f"missing field {key!r}")
        session = (AddedSession.from_payload({k: data[k] for k in takes if k in data}) if action == "add_session"
                   else SessionRef.from_payload({"date": data["date"], "time": data["time"]}) if "date" in takes
                   else None)
        return cls(command_id(data), command_id(data, "by"), action,
                   desk=segment(data, "desk", required=False),
                   services=_services(data) if "services" in takes else None,
                   session=session,
                   messages=(tuple(_texts(m, "messages[]") for m in _list(data, "messages", MAX_MESSAGES))
                             if "messages" in takes else None))

    @property
    def detail(self) -> dict[str, Any]:
        """What was asked besides who and which action: the audit list's ``detail``."""
        detail: dict[str, Any] = {}
        if self.desk is not None:
            detail["desk"] = self.desk
        if self.services is not None:
            detail["services"] = list(self.services)
        if self.session is not None:
            detail.update(self.session.to_payload())
        if self.messages is not None:
            detail["messages"] = [dict(m) for m in self.messages]
        return detail

    def to_payload(self) -> bytes:
        return encode({"id": self.id, "by": self.by, "action": self.action, **self.detail})


def _services(data: Mapping) -> tuple[str, ...]:
    services = _list(data, "services", 64)
    for sid in services:
        if not isinstance(sid, str) or not (sid == "*" or SEGMENT_RE.fullmatch(sid)):
            raise MessageError(f"field 'services' lists a bad service id {show(sid)}")
    return tuple(services)


@dataclass(frozen=True)
class SetupResult:
    """The hub's answer to one setup command; ``version`` is the setup's version after it."""

    id: str
    action: str
    ok: bool
    version: int | None = None
    error: str | None = None

    @classmethod
    def from_payload(cls, raw: bytes | str) -> "SetupResult":
        data = decode(raw, "id", "action", "ok", "version", "error")
        return cls(command_id(data), _field(data, "action", str, choices=SETUP_ACTIONS), _field(data, "ok", bool),
                   integer(data, "version", required=False), _field(data, "error", str, required=False))

    def to_payload(self) -> bytes:
        body: dict[str, Any] = {"id": self.id, "action": self.action, "ok": self.ok}
        if self.version is not None:
            body["version"] = self.version
        if self.error is not None:
            body["error"] = shorten(self.error, 200)
        return encode(body)


@dataclass(frozen=True)
class OfficeSetup:
    """The retained ``setup``: what the office changed over the site file, and nothing else.

    ``closed_desks`` and ``desk_services`` hold for ``day`` only (the hub drops them at midnight);
    sessions are dated; ``messages`` None means the site file's information texts."""

    version: int = 0
    at: datetime | None = None
    day: date | None = None
    closed_desks: frozenset[str] = frozenset()
    desk_services: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    added_sessions: tuple[AddedSession, ...] = ()
    cancelled_sessions: frozenset[SessionRef] = frozenset()
    messages: tuple[Mapping[str, str], ...] | None = None

    @classmethod
    def from_payload(cls, raw: bytes | str) -> "OfficeSetup":
        data = decode(raw, "version", "at", "day", "closed_desks", "desk_services", "added_sessions",
                      "cancelled_sessions", "messages")
        services = _field(data, "desk_services", dict, required=False, default={})
        for desk in services:
            if not SEGMENT_RE.fullmatch(desk):
                raise MessageError(f"field 'desk_services' has a bad desk id {show(desk)}")
        closed = _field(data, "closed_desks", list, required=False, default=[])
        if not all(isinstance(d, str) and SEGMENT_RE.fullmatch(d) for d in closed):
            raise MessageError("field 'closed_desks' must list desk ids")
        messages = data.get("messages")
        return cls(
            version=integer(data, "version"), at=timestamp(data, "at", required=False),
            day=_date(data, "day") if data.get("day") is not None else None,
            closed_desks=frozenset(closed),
            desk_services={d: _services({"services": s}) for d, s in services.items()},
            added_sessions=tuple(AddedSession.from_payload(s) for s in _objects(data, "added_sessions")),
            cancelled_sessions=frozenset(SessionRef.from_payload(s) for s in _objects(data, "cancelled_sessions")),
            messages=None if messages is None else tuple(_texts(m, "messages[]") for m in _list(data, "messages",
                                                                                                MAX_MESSAGES)))

    def to_payload(self) -> bytes:
        body: dict[str, Any] = {"version": self.version, "at": self.at.isoformat() if self.at else None,
                                "day": self.day.isoformat() if self.day else None,
                                "closed_desks": sorted(self.closed_desks),
                                "desk_services": {d: list(s) for d, s in sorted(self.desk_services.items())},
                                "added_sessions": [s.to_payload() for s in self.added_sessions],
                                "cancelled_sessions": [s.to_payload() for s in sorted(self.cancelled_sessions,
                                                                                       key=_when)]}
        if self.messages is not None:
            body["messages"] = [dict(m) for m in self.messages]
        return encode({k: v for k, v in body.items() if v is not None})


def _when(session: SessionRef | AddedSession) -> tuple:
    return session.date, session.time


def _objects(data: Mapping, key: str) -> list[Mapping]:
    items = _field(data, key, list, required=False, default=[])
    if not all(isinstance(item, dict) for item in items):
        raise MessageError(f"each of {key!r} must be an object")
    return items


@dataclass(frozen=True)
class AuditEntry:
    """One change as the audit list shows it: when, who (the web account), which command, what."""

    at: datetime
    by: str
    id: str
    action: str
    detail: Mapping[str, Any]

    @classmethod
    def from_payload(cls, data: Mapping) -> "AuditEntry":
        only(data, ("at", "by", "id", "action", "detail"), "changes[].")
        return cls(timestamp(data, "at"), command_id(data, "by"), command_id(data),
                   _field(data, "action", str, choices=SETUP_ACTIONS), _field(data, "detail", dict))

    def to_payload(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "by": self.by, "id": self.id, "action": self.action,
                "detail": dict(self.detail)}


@dataclass(frozen=True)
class AuditList:
    """The retained ``setup/audit``: the latest ``AUDIT_SHOWN`` changes, newest first."""

    at: datetime
    changes: tuple[AuditEntry, ...]

    @classmethod
    def from_payload(cls, raw: bytes | str) -> "AuditList":
        data = decode(raw, "at", "changes")
        return cls(timestamp(data, "at"), tuple(AuditEntry.from_payload(c) for c in _objects(data, "changes")))

    def to_payload(self) -> bytes:
        return encode({"at": self.at.isoformat(), "changes": [c.to_payload() for c in self.changes]})
