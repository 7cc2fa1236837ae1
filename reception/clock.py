"""The one clock every part reads, so that tests and demos can run the system at a chosen instant.

Code takes the clock as a parameter (``Hub(clock=...)``, ``KioskServices.build(now=...)``,
``BoardApp(now=...)``); the commands get it from ``from_env()``.  Normally that is the
real clock.  A test or a demo sets ``RECEPTION_CLOCK`` to an ISO instant with its UTC
offset, e.g. ``RECEPTION_CLOCK=2026-10-25T01:59:30+02:00 reception hub``, and the process
is at that instant when it first reads the clock and then runs at real speed (one clock per
process, so every part of it agrees on "now" and times keep their order): the hub's numbering restarts at
local midnight, closing expires tickets, the board and the kiosk show that day.
It is a test and demo aid only; never set it on an appliance.
"""
from __future__ import annotations

import functools
import os
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Mapping

from reception.errors import ReceptionError

ENV = "RECEPTION_CLOCK"
SET_AT = "RECEPTION_CLOCK_SET_AT"  # the real Unix time at which RECEPTION_CLOCK was "now" (optional)

Clock = Callable[[], datetime]


def system() -> datetime:
    """The real time, aware, in UTC."""
    return datetime.now(timezone.utc)


class RunningFrom:
    """A clock that reads ``start`` when made (or at the real Unix time ``set_at``) and then advances
    with the real (monotonic) time.  ``set_at`` lets processes started one after another agree to
    the millisecond, however long each took to start."""

    def __init__(self, start: datetime, set_at: float | None = None):
        if start.tzinfo is None:
            raise ValueError("the start instant needs a UTC offset")
        self.start = start.astimezone(timezone.utc)
        self._t0 = time.monotonic() - (0.0 if set_at is None else max(0.0, time.time() - set_at))

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._t0)


def parse_instant(text: str, name: str = ENV) -> datetime:
    """An ISO instant with its offset; a plain one-line error naming ``name`` otherwise."""
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise ReceptionError(f"{name}: {text!r} is not an ISO instant with a UTC offset "
                             "(e.g. 2026-10-25T01:59:30+02:00 or 2026-12-31T22:59:59Z)")
    return instant


def from_env(environ: Mapping[str, str] = os.environ) -> Clock:
    """The real clock, or the process's clock running from ``$RECEPTION_CLOCK`` when it is set."""
    text = environ.get(ENV)
    return _running_from(text, environ.get(SET_AT)) if text else system


@functools.lru_cache(maxsize=None)
def _running_from(text: str, set_at: str | None) -> RunningFrom:
    try:
        anchor = float(set_at) if set_at else None
    except ValueError:
        raise ReceptionError(f"{SET_AT}: {set_at!r} is not a Unix time in seconds") from None
    return RunningFrom(parse_instant(text), anchor)


def env_for(clock: Clock) -> dict[str, str]:
    """The variables that give a child process ``clock``, to the millisecond (none for the real clock)."""
    if clock is system:
        return {}
    return {ENV: clock().isoformat(), SET_AT: repr(time.time())}


def child_env(clock: Clock, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment for a child process that should share ``clock``."""
    return {**environ, **env_for(clock)}


def local(tz, base: Clock | None = None) -> Clock:
    """``base`` (default: ``from_env()``) read in the zone ``tz``, for screens that show local times."""
    base = base or from_env()
    return lambda: base().astimezone(tz)
