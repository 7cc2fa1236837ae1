"""Typed access to the raw TOML document: every check raises ConfigError naming file and dotted key.

This is the one place the site file's problems are worded.  ``Reader.record`` fills a
model dataclass from a table by the fields' types and defaults, so a new setting is one
line in ``model.py``; a key that is no field is refused with the closest known one.
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import MISSING, Field, fields
from datetime import time
from functools import cache
from typing import Any, Iterable, Mapping, NoReturn, get_type_hints

from reception.config.model import ID, LocalText, TimeRange
from reception.errors import ConfigError

REQUIRED: Any = object()  # the default of a key the file must set


def unknown(key: str, known: Iterable[str], what: str = "key") -> str:
    """The problem text for an unknown name: the closest known one, or the whole list when none is close."""
    known = list(known)
    close = difflib.get_close_matches(str(key), known, n=1)
    if close:
        return f"unknown {what}; did you mean {close[0]!r}?"
    return f"unknown {what} (use {', '.join(known)})"


class Reader:
    """Typed access to the raw document that raises ConfigError with the dotted key."""

    def __init__(self, raw: Mapping[str, Any], source: str):
        self.raw, self.source = raw, source
        self.languages: tuple[str, ...] = ("da",)

    def fail(self, key: str, problem: str) -> NoReturn:
        line = f"{self.source}: {key}: {problem}"
        raise ConfigError(line.replace("\r", "\\r").replace("\n", "\\n"))  # always one line

    def known(self, t: Mapping[str, Any], where: str, allowed: Iterable[str], what: str = "key") -> None:
        """Refuse the first key of ``t`` that is not ``allowed``, suggesting the closest one."""
        allowed = tuple(allowed)
        for key in t:
            if key not in allowed:
                self.fail(f"{where}.{key}" if where else key, unknown(key, allowed, what))

    def known_items(self, items: Iterable[str], where: str, allowed: Iterable[str], what: str) -> None:
        """Refuse the first item of the list ``where`` that is not ``allowed``, suggesting the closest one."""
        allowed = tuple(allowed)
        for i, item in enumerate(items):
            if item not in allowed:
                self.fail(f"{where}[{i}]", f"{item!r}: {unknown(item, allowed, what)}")

    def table(self, name: str, required: bool = True) -> Mapping[str, Any]:
        """A top-level section such as [site]; an absent optional one reads as empty."""
        value = self.raw.get(name)
        if value is None:
            if required:
                self.fail(name, "missing section")
            return {}
        return self.mapping(value, name)

    def mapping(self, value: Any, where: str, what: str = "a table") -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(where, f"must be {what}, not {value!r}")
        return value

    def array(self, name: str) -> list[Mapping[str, Any]]:
        value = self.raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.fail(name, "must be an array of tables ([[%s]])" % name)
        return value

    def get(self, t: Mapping, where: str, key: str, types, default, what: str):
        if key not in t:
            if default is REQUIRED:
                self.fail(f"{where}.{key}", "missing")
            return default
        value = t[key]
        bool_allowed = bool in (types if isinstance(types, tuple) else (types,))
        if not isinstance(value, types) or (isinstance(value, bool) and not bool_allowed):
            self.fail(f"{where}.{key}", f"must be {what}, not {value!r}")
        return value

    def str(self, t, where, key, default=REQUIRED) -> str:
        value = self.get(t, where, key, str, default, "a string")
        if default is REQUIRED and not value.strip():
            self.fail(f"{where}.{key}", "must not be empty")
        return value

    def ident(self, t, where, key) -> str:
        value = self.str(t, where, key)
        if not ID.match(value):
            self.fail(f"{where}.{key}", f"{value!r} must be lower-case letters, digits, '-' or '_' (max 32)")
        return value

    def int(self, t, where, key, default=REQUIRED, minimum=None, maximum=None) -> int:
        value = self.get(t, where, key, int, default, "a whole number")
        self._bounds(f"{where}.{key}", value, minimum, maximum)
        return value

    def number(self, t, where, key, default=REQUIRED, minimum=0.0, maximum=None) -> float:
        value = self.get(t, where, key, (int, float), default, "a number")
        if not math.isfinite(value):
            self.fail(f"{where}.{key}", f"must be a finite number, not {value!r}")
        self._bounds(f"{where}.{key}", value, minimum, maximum)
        return float(value)

    def _bounds(self, key: str, value, minimum, maximum) -> None:
        if minimum is not None and value < minimum:
            self.fail(key, f"must be at least {minimum}, not {value}")
        if maximum is not None and value > maximum:
            self.fail(key, f"must be at most {maximum}, not {value}")

    def bool(self, t, where, key, default=False) -> bool:
        return self.get(t, where, key, bool, default, "true or false")

    def list_of(self, t, where, key, typ, default=REQUIRED, nonempty=False) -> list:
        value = self.get(t, where, key, list, default, "a list")
        for i, item in enumerate(value):
            if not isinstance(item, typ) or isinstance(item, bool):
                self.fail(f"{where}.{key}[{i}]", f"must be a {typ.__name__}, not {item!r}")
        if nonempty and not value:
            self.fail(f"{where}.{key}", "must not be empty")
        return list(value)

    def text(self, t, where, key) -> LocalText:
        return self.local_text(self.get(t, where, key, (dict, str), REQUIRED, "a table of texts by language"),
                               f"{where}.{key}")

    def local_text(self, value, where: str) -> LocalText:
        """A localised text: a table by language with at least the site's first; a plain string is that one."""
        if isinstance(value, str):
            value = {self.languages[0]: value}
        value = self.mapping(value, where, "a table of texts by language")
        self.known(value, where, self.languages, "language (not in site.languages)")
        for lang, s in value.items():
            if not isinstance(s, str) or not s.strip():
                self.fail(f"{where}.{lang}", f"must be a non-empty string, not {s!r}")
        if self.languages[0] not in value:
            self.fail(where, f"needs a text in {self.languages[0]!r} (the site's first language)")
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

    def keys_of(self, cls, t: Any, where: str) -> Mapping[str, Any]:
        """Table ``t``, once every key in it is known to be a field of ``cls`` (call before reading it)."""
        t = self.mapping(t, where)
        self.known(t, where, [f.name for f in fields(cls) if not f.metadata.get("named")])
        return t

    def record(self, cls, t: Any, where: str, **given):
        """A ``cls`` from table ``t``: fields in ``given`` as the caller worked them out, the others read
        by their type with the dataclass's default; a key that is no field of ``cls`` is refused."""
        t = self.keys_of(cls, t, where)
        hints = _hints(cls)
        values = {f.name: given[f.name] if f.name in given else self._field(f, hints[f.name], t, where)
                  for f in fields(cls)}
        return cls(**values)

    def _field(self, f: Field, hint: Any, t: Mapping[str, Any], where: str):
        default = REQUIRED if f.default is MISSING else f.default
        low, high = f.metadata.get("minimum"), f.metadata.get("maximum")
        if hint is bool:
            return self.bool(t, where, f.name, default)
        if hint is int:
            return self.int(t, where, f.name, default, low, high)
        if hint is float:
            return self.number(t, where, f.name, default, 0.0 if low is None else low, high)
        if hint is str:
            return self.str(t, where, f.name, default)
        if hint == str | None:
            return self.get(t, where, f.name, str, default, "a string")
        if hint == tuple[str, ...]:
            return tuple(self.list_of(t, where, f.name, str, default=default))
        if hint is LocalText:
            return self.text(t, where, f.name)
        raise TypeError(f"{where}.{f.name}: no reader for {hint}; pass it to record()")  # a programming error


@cache
def _hints(cls) -> dict[str, Any]:
    return get_type_hints(cls)
