"""Typed access to the raw TOML document: every check raises ConfigError naming file and dotted key."""
from __future__ import annotations

import re
from datetime import time
from typing import Any, Mapping

from reception.config.model import ID, LocalText, TimeRange
from reception.errors import ConfigError


class Reader:
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
            if default is REQUIRED:
                self.fail(f"{where}.{key}", "missing")
            return default
        value = t[key]
        if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
            self.fail(f"{where}.{key}", f"must be {what}, not {value!r}")
        if not isinstance(value, types):
            self.fail(f"{where}.{key}", f"must be {what}, not {value!r}")
        return value

    def str(self, t, where, key, default=None) -> str:
        d = REQUIRED if default is None else default
        value = self.get(t, where, key, str, d, "a string")
        if isinstance(value, str) and default is None and not value.strip():
            self.fail(f"{where}.{key}", "must not be empty")
        return value

    def ident(self, t, where, key) -> str:
        value = self.str(t, where, key)
        if not ID.match(value):
            self.fail(f"{where}.{key}", f"{value!r} must be lower-case letters, digits, '-' or '_' (max 32)")
        return value

    def int(self, t, where, key, default=None, minimum=None) -> int:
        d = REQUIRED if default is None else default
        value = self.get(t, where, key, int, d, "a whole number")
        if minimum is not None and value < minimum:
            self.fail(f"{where}.{key}", f"must be at least {minimum}, not {value}")
        return value

    def number(self, t, where, key, default=None, minimum=0.0) -> float:
        d = REQUIRED if default is None else default
        value = self.get(t, where, key, (int, float), d, "a number")
        if minimum is not None and value < minimum:
            self.fail(f"{where}.{key}", f"must be at least {minimum}, not {value}")
        return float(value)

    def bool(self, t, where, key, default=False) -> bool:
        return self.get(t, where, key, bool, default, "true or false")

    def list_of(self, t, where, key, typ, default=None, nonempty=False) -> list:
        d = REQUIRED if default is None else default
        value = self.get(t, where, key, list, d, "a list")
        for i, item in enumerate(value):
            if not isinstance(item, typ) or isinstance(item, bool):
                self.fail(f"{where}.{key}[{i}]", f"must be a {typ.__name__}, not {item!r}")
        if nonempty and not value:
            self.fail(f"{where}.{key}", "must not be empty")
        return list(value)

    def text(self, t, where, key) -> LocalText:
        """A localised text: a table with at least the site's first language."""
        value = self.get(t, where, key, (dict, str), REQUIRED, "a table of texts by language")
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


REQUIRED = object()
