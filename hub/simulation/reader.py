"""Checked reading of a scenario file's values: numbers, strings, choices, clock times and spans.

Every problem is a ``ConfigError`` naming the file, the dotted key and what is wrong,
like the site configuration's errors.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from reception.errors import ConfigError


class Reader:
    """Reads values out of a parsed TOML file; every problem a ``ConfigError`` naming the file and key."""

    def __init__(self, raw: Mapping[str, Any], source: str):
        self.raw, self.source = raw, source

    def fail(self, key: str, problem: str):
        raise ConfigError(f"{self.source}: {key}: {problem}")

    def table(self, t: Mapping, key: str, where: str = "", required: bool = True) -> Mapping[str, Any]:
        name = f"{where}.{key}" if where else key
        value = t.get(key, None if required else {})
        if not isinstance(value, dict):
            self.fail(name, "missing table" if value is None else "must be a table")
        return value

    def known(self, t: Mapping, where: str, keys: set[str]) -> None:
        for key in t:
            if key not in keys:
                self.fail(f"{where}.{key}", f"unknown key (known: {', '.join(sorted(keys))})")

    def number(self, t, where, key, default=None, minimum=0.0, maximum=None) -> float:
        value = t.get(key, default)
        if value is None:
            self.fail(f"{where}.{key}", "missing")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(f"{where}.{key}", f"must be a number, not {value!r}")
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            self.fail(f"{where}.{key}", f"must be {bound}, not {value!r}")
        return float(value)

    def str(self, t, where, key, default=None) -> str:
        value = t.get(key, default)
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", "missing" if value is None else f"must be a string, not {value!r}")
        return value

    def choice(self, t, where, key, options, default) -> str:
        value = self.str(t, where, key, default)
        if value not in options:
            self.fail(f"{where}.{key}", f"must be one of {', '.join(options)}, not {value!r}")
        return value

    def clock(self, value, where) -> float:
        m = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip()) if isinstance(value, str) else None
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            self.fail(where, f"must be a time of day like \"09:30\", not {value!r}")
        return int(m[1]) * 60 + int(m[2])

    def span(self, value, where) -> tuple[float, float]:
        parts = value.split("-") if isinstance(value, str) else []
        if len(parts) != 2:
            self.fail(where, f"must look like \"09:00-11:30\", not {value!r}")
        start, end = self.clock(parts[0], where), self.clock(parts[1], where)
        if end <= start:
            self.fail(where, f"{value!r} ends before it starts")
        return start, end
