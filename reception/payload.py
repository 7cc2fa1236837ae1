"""The checks every payload passes before any part of the appliance reads it: size, JSON, fields.

The limits are part of the contract (``docs/protocol.md``, "Limits and strictness"):
a payload over its size limit is refused before it is parsed; deep nesting, a key
given twice, NaN and Infinity, unknown fields, empty or non-printable texts and
out-of-range numbers and times are refused.  Every reason quotes at most ``SHOWN``
characters of what was sent and fits on one line, so a hostile message can neither
fill a log nor travel on to other devices in a reply.  All of it raises
``MessageError``, the one exception a parser may raise.
"""
from __future__ import annotations

import json
import re
import reprlib
from datetime import datetime, timezone
from typing import Any, Mapping

from reception.errors import MessageError

MAX_PAYLOAD = 256 * 1024  # bytes of any message: the broker drops bigger ones (message_size_limit)
MAX_PACKET = 1024 * 1024  # bytes of any packet: the broker disconnects a client that sends a bigger one
MAX_DEVICE_PAYLOAD = 4 * 1024  # bytes of a message a device sends the hub; real ones stay under 400
MAX_DEPTH = 8  # objects and lists inside each other; the deepest message of the contract has 5
MAX_TEXT = 200  # characters of a text field
MAX_COUNT = 1_000_000_000  # the largest count or sequence number in any message
SHOWN = 60  # characters of a sent value quoted in a reason
MAX_REASON = 300  # characters of a reason, logged or sent in a reply
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")  # a command id: a UUID, "kiosk-1-off-0007", ...
SEGMENT_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")  # a site, kiosk, desk, board or service id
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc)

_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = SHOWN
_repr.maxlevel, _repr.maxdict, _repr.maxlist = 2, 3, 3


def show(value: Any) -> str:
    """``repr(value)`` cut to about ``SHOWN`` characters (escaped, so always one line)."""
    text = _repr.repr(value)
    return text if len(text) <= SHOWN + 8 else text[:SHOWN] + "..."


def shorten(text: str, limit: int = MAX_REASON) -> str:
    """A reason as one line of at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


# ---------------------------------------------------------------------------
# bytes to JSON


def load_json(raw: bytes | str, max_bytes: int = MAX_PAYLOAD) -> Any:
    """Parse UTF-8 JSON of at most ``max_bytes``, refusing what Python's json would let through."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)
    if len(data) > max_bytes:
        raise MessageError(f"payload of {len(data)} bytes is over the limit of {max_bytes}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise MessageError("payload is not UTF-8") from None
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_constant=_constant, parse_float=_float)
    except RecursionError:
        raise MessageError(f"nested deeper than {MAX_DEPTH} levels") from None
    except MessageError:
        raise
    except ValueError as exc:
        raise MessageError(f"not JSON: {shorten(str(exc), 100)}") from None
    _check_depth(value)
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _v in pairs if k in seen or seen.add(k))
        raise MessageError(f"field {show(twice)} appears twice")
    return obj


def _constant(name: str):
    raise MessageError(f"{name} is not a number JSON allows")


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise MessageError(f"number {show(text)} is out of range")
    return value


def _check_depth(value: Any) -> None:
    level, depth = [value], 0
    while level := [v for v in level if isinstance(v, (dict, list))]:
        depth += 1
        if depth > MAX_DEPTH:
            raise MessageError(f"nested deeper than {MAX_DEPTH} levels")
        level = [child for v in level for child in (v.values() if isinstance(v, dict) else v)]


# ---------------------------------------------------------------------------
# fields


def only(data: Mapping, allowed, where: str = "") -> None:
    """Refuse any field the schema does not name: the contract is strict on every topic."""
    for key in data:
        if key not in allowed:
            raise MessageError(f"unknown field {where}{show(key)}")


def field(data: Mapping, key: str, types, *, required: bool = True, default=None, choices=None, pattern=None):
    """One field of an object: ``null`` counts as absent; texts are non-empty, printable and short."""
    if key not in data or data[key] is None:
        if required:
            raise MessageError(f"missing field {key!r}")
        return default
    value = data[key]
    allowed = types if isinstance(types, tuple) else (types,)
    if (isinstance(value, bool) and bool not in allowed) or not isinstance(value, allowed):
        raise MessageError(f"field {key!r} has the wrong type ({type(value).__name__})")
    if isinstance(value, str):
        _check_text(key, value)
    if choices is not None and value not in choices:
        raise MessageError(f"field {key!r} must be one of {', '.join(choices)}, not {show(value)}")
    if pattern is not None and not pattern.fullmatch(value):
        raise MessageError(f"field {key!r} is malformed: {show(value)}")
    return value


def _check_text(key: str, value: str) -> None:
    if not value:
        raise MessageError(f"field {key!r} must not be empty (leave an optional field out)")
    if len(value) > MAX_TEXT:
        raise MessageError(f"field {key!r} is longer than {MAX_TEXT} characters")
    if not value.isprintable():
        raise MessageError(f"field {key!r} holds control characters: {show(value)}")


def text_map(data: Mapping, key: str, key_pattern: re.Pattern, *, required: bool = True) -> dict[str, str]:
    """An object of short texts under short keys, e.g. a name in each language."""
    value = field(data, key, dict, required=required, default={})
    for k, text in value.items():
        if not key_pattern.fullmatch(k):
            raise MessageError(f"field {key!r} has a bad key {show(k)}")
        field(value, k, str)
    return dict(value)


def command_id(data: Mapping, key: str = "id", *, required: bool = True) -> str | None:
    """An id chosen by the sender: 1-64 letters, digits and ``. _ : -``, starting with a letter or digit."""
    value = field(data, key, str, required=required)
    if value is not None and not ID_RE.fullmatch(value):
        raise MessageError(f"field {key!r} must be 1-64 letters, digits, '.', '_', ':' or '-': {show(value)}")
    return value


def segment(data: Mapping, key: str, *, required: bool = True) -> str | None:
    """A site, desk or service id as the site file spells it."""
    value = field(data, key, str, required=required)
    if value is not None and not SEGMENT_RE.fullmatch(value):
        raise MessageError(f"field {key!r} is not an id like 'passport' or 'desk-1': {show(value)}")
    return value


def integer(data: Mapping, key: str, low: int = 0, high: int = MAX_COUNT, *, required: bool = True, default=None):
    return _in_range(key, field(data, key, int, required=required, default=default), low, high)


def number(data: Mapping, key: str, low: float = 0, high: float = MAX_COUNT, *, required: bool = True, default=None):
    return _in_range(key, field(data, key, (int, float), required=required, default=default), low, high)


def _in_range(key: str, value, low, high):
    if value is None or low <= value <= high:
        return value
    if low == 0 and value < 0:
        raise MessageError(f"field {key!r} must not be negative, not {show(value)}")
    raise MessageError(f"field {key!r} must be {low} to {high}, not {show(value)}")


def timestamp(data: Mapping, key: str, *, required: bool = True) -> datetime | None:
    """An ISO 8601 time with its UTC offset, in this century."""
    value = field(data, key, str, required=required)
    if value is None:
        return None
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        raise MessageError(f"field {key!r} is not an ISO 8601 time: {show(value)}") from None
    if ts.tzinfo is None:
        raise MessageError(f"field {key!r} needs a UTC offset: {show(value)}")
    if not EARLIEST.year <= ts.year < LATEST.year or not EARLIEST <= ts < LATEST:  # the year first: no overflow
        raise MessageError(f"field {key!r} is not a time of this century: {show(value)}")
    return ts
