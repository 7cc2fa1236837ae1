"""Field readers: each takes one field of a decoded JSON object and checks it, or raises ``MessageError``.

Texts are non-empty, printable and short; numbers and times stay in range; ids,
ticket numbers and language codes match their patterns (``codes``).  A field no
schema names is refused by ``only``.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Mapping

from reception.errors import MessageError
from reception.protocol.codes import DESK_KINDS, ID_RE, LANG_RE, NUMBER_RE, SEGMENT_RE
from reception.protocol.wire import show

MAX_TEXT = 200  # characters of a text field
MAX_COUNT = 1_000_000_000  # the largest count or sequence number in any message
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc)


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


def lang(data: Mapping, key: str = "lang", default: str | None = "da") -> str | None:
    """A language code like "uk": the board passes it to espeak-ng, so nothing else gets through."""
    value = field(data, key, str, required=False, default=default)
    if value is not None and not LANG_RE.fullmatch(value):
        raise MessageError(f"field {key!r} is not a language code like 'uk': {show(value)}")
    return value


def ticket_number(data: Mapping, key: str = "number", *, required: bool = True) -> str | None:
    value = field(data, key, str, required=required)
    if value is not None and not NUMBER_RE.fullmatch(value):
        raise MessageError(f"field {key!r} is not a ticket number like A012: {show(value)}")
    return value


def one_of_each(data: Mapping, key: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    """A list of fixed codes (extra needs, feedback reasons); one named twice counts once."""
    values = field(data, key, list, required=False, default=[])
    for value in values:
        if not isinstance(value, str) or value not in allowed:
            raise MessageError(f"unknown {what} {show(value)} (use {', '.join(allowed)})")
    return tuple(dict.fromkeys(values))


def objects(data: Mapping, key: str, fields: tuple[str, ...], *, required: bool = False) -> list[dict]:
    """A list of objects with only these fields."""
    items = field(data, key, list, required=required, default=[])
    for item in items:
        if not isinstance(item, dict):
            raise MessageError(f"each of {key!r} must be an object")
        only(item, fields, f"{key}[].")
    return items


def kind_map(data: Mapping, key: str) -> dict[str, Any]:
    """An object keyed by desk kind."""
    value = field(data, key, dict, required=False, default={})
    for kind in value:
        if kind not in DESK_KINDS:
            raise MessageError(f"{key!r} has a bad entry {show(kind)} (use {', '.join(DESK_KINDS)})")
    return value


def minutes(data: Mapping, key: str) -> int | None:
    """Whole minutes or null (no estimate)."""
    value = data.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or
                              not 0 <= value <= MAX_COUNT):
        raise MessageError(f"field {key!r} must be whole minutes or null, not {show(value)}")
    return None if value is None else round(value)


def languages(data: Mapping, key: str = "languages") -> tuple[str, ...] | None:
    """Up to 16 language codes, each once."""
    langs = field(data, key, list, required=False)
    if langs is None:
        return None
    if len(langs) > 16 or not all(isinstance(code, str) and LANG_RE.fullmatch(code) for code in langs):
        raise MessageError(f"field {key!r} must list language codes like 'uk'")
    return tuple(dict.fromkeys(langs))
