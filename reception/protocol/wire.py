"""Bytes to JSON and back, and the checks every payload passes before any field is read.

The limits are part of the contract (``docs/protocol.md``, "Limits and strictness"):
a payload over its size limit is refused before it is parsed; deep nesting, a key
given twice, NaN and Infinity are refused.  Every reason quotes at most ``SHOWN``
characters of what was sent and fits on one line, so a hostile message can neither
fill a log nor travel on to other devices in a reply.  All of it raises
``MessageError``, the one exception a parser may raise.

``Message`` is the base of every message type: ``from_payload`` reads one (bytes as
they came, or the JSON object already decoded), ``to_payload`` writes one.
"""
from __future__ import annotations

import json
import reprlib
from datetime import datetime
from typing import Any, ClassVar, Mapping, Self

from reception.errors import MessageError

VERSION = 1
MAX_PAYLOAD = 256 * 1024  # bytes of any message: the broker drops bigger ones (message_size_limit)
MAX_PACKET = 1024 * 1024  # bytes of any packet: the broker disconnects a client that sends a bigger one
MAX_DEVICE_PAYLOAD = 4 * 1024  # bytes of a message a device sends the hub; real ones stay under 400
MAX_DEPTH = 8  # objects and lists inside each other; the deepest message of the contract has 5
SHOWN = 60  # characters of a sent value quoted in a reason
MAX_REASON = 300  # characters of a reason, logged or sent in a reply

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
# messages


def encode(payload: Mapping[str, Any]) -> bytes:
    """JSON with the version field first; compact, UTF-8 (Danish letters stay readable)."""
    return json.dumps({"v": VERSION, **payload}, ensure_ascii=False, separators=(",", ":")).encode()


def decode(raw: bytes | str | Mapping[str, Any], *fields: str, limit: int = MAX_PAYLOAD) -> dict[str, Any]:
    """Parse JSON (unless given the object), check the version and refuse any field but ``fields``.

    ``limit``: the size limit in bytes, smaller for what devices send the hub.
    """
    data = dict(raw) if isinstance(raw, Mapping) else load_json(raw, limit)
    if not isinstance(data, dict):
        raise MessageError("payload must be a JSON object")
    version = data.get("v")
    if type(version) is not int or version != VERSION:
        raise MessageError(f"unsupported version {show(version)} (expected {VERSION})")
    for key in data:
        if key != "v" and key not in fields:
            raise MessageError(f"unknown field {show(key)}")
    return data


def iso(ts: datetime | None) -> str | None:
    """A time as ISO 8601 with its offset, in the fewest digits that keep it exact."""
    if ts is None or ts.microsecond % 1000:
        return None if ts is None else ts.isoformat()
    return ts.isoformat(timespec="milliseconds" if ts.microsecond else "seconds")


def present(**fields: Any) -> dict[str, Any]:
    """The fields that have a value: an optional field left out rather than sent as null."""
    return {key: value for key, value in fields.items() if value is not None}


class Message:
    """A whole message on one topic: a frozen dataclass that reads and writes its payload.

    Subclasses name their ``FIELDS`` and give ``read`` (a checked JSON object to the type)
    and ``body`` (the type to a JSON object, without the version).
    """

    FIELDS: ClassVar[tuple[str, ...]] = ()
    LIMIT: ClassVar[int] = MAX_PAYLOAD  # MAX_DEVICE_PAYLOAD for what devices send the hub

    @classmethod
    def from_payload(cls, raw: bytes | str | Mapping[str, Any]) -> Self:
        """The message in ``raw``; ``MessageError`` with a one-line reason for anything the contract refuses."""
        return cls.read(decode(raw, *cls.FIELDS, limit=cls.LIMIT))

    @classmethod
    def read(cls, data: dict[str, Any]) -> Self:
        raise NotImplementedError

    def body(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_payload(self) -> bytes:
        return encode(self.body())
