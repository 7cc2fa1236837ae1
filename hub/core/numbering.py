"""Ticket numbers: a letter per service, counting per local day, never issued twice.

Kiosks own reserved ranges (``kiosks[].offline_numbers``) for tickets they issue
while the hub is unreachable; the hub skips those, so the two can never collide.
"""
from __future__ import annotations

from typing import Iterable


def format_number(letter: str, n: int) -> str:
    return f"{letter}{n:03d}"


def parse_number(number: str) -> tuple[str, int]:
    return number[0], int(number[1:])


def in_ranges(n: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(lo <= n <= hi for lo, hi in ranges)


def next_free(last: int, reserved: Iterable[tuple[int, int]]) -> int:
    """The number after ``last`` that is not reserved for a kiosk (past 999 numbers grow a digit)."""
    reserved = list(reserved)
    n = last + 1
    while in_ranges(n, reserved):
        n += 1
    return n
