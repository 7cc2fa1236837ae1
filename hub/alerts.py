"""The alerts the desk consoles show: fixed codes about devices, never text a device sent.

The hub keeps them in one dict (``Alerts.raised``, keyed by what raised them) and
publishes its values retained on ``alerts`` whenever one comes or goes.  A kiosk's
printer state other than ``ok`` raises an alert with that state's code.  A kiosk,
board, desk unit or the web service (device ``web``) whose Last Will fires ("offline") raises ``unreachable`` until it
says "online" again, or "stopped" (switched off on purpose: nothing to alert).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from reception import protocol
from reception.errors import MessageError

log = logging.getLogger(__name__)

UNREACHABLE = "unreachable"


class Alerts:
    """The hub's raised alerts, published (``publish``: the retained ``alerts`` message) when they change.
    Used under the hub's queue lock."""

    def __init__(self, publish: Callable[[protocol.Alerts], None]):
        self.raised: dict[str, protocol.Alert] = {}
        self._publish = publish

    def publish(self, now: datetime) -> None:
        self._publish(payload(self.raised, now))

    def printer(self, kiosk: str, state: str | None, now: datetime) -> None:
        """A kiosk's printer state came (None: its status was cleared); published each time."""
        printer(self.raised, kiosk, state, now)
        self.publish(now)

    def availability(self, device: str, status: str | None, now: datetime) -> None:
        """A kiosk, board, desk unit or the web service came, went (its Last Will) or was stopped."""
        if availability(self.raised, device, status, now):
            if status == "offline":
                log.warning("%s went offline without a word", device)
            else:
                log.info("%s is back (%s)", device, status or "its availability was cleared")
            self.publish(now)

    def overload(self, change: str, now: datetime) -> None:
        """The hub fell behind (``change`` "raised") or has caught up."""
        if change == "raised":
            self.raised["hub"] = protocol.Alert("hub", "overloaded", now)
        else:
            self.raised.pop("hub", None)
        self.publish(now)


def device_name(where: protocol.Topic) -> str:
    """The device an ``available`` topic speaks for: ``kiosk-1``, ``board-1``, ``desk-1/console``, ``web``."""
    if where.device != "desk":
        return where.device_id or where.device
    unit = where.feature.split("/")[0]
    if unit not in protocol.DESK_UNITS:
        raise MessageError(f"unknown desk unit {unit!r} (use {', '.join(protocol.DESK_UNITS)})")
    return f"{where.device_id}/{unit}"


def printer(alerts: dict[str, protocol.Alert], kiosk: str, state: str | None, now: datetime) -> bool:
    """A kiosk's printer state (None: its status was cleared); True if the alerts changed."""
    return _set(alerts, kiosk, kiosk, None if state in (None, "ok") else state, now)


def availability(alerts: dict[str, protocol.Alert], device: str, status: str | None, now: datetime) -> bool:
    """A device's availability (None: cleared); True if the alerts changed."""
    return _set(alerts, f"{device}/available", device, UNREACHABLE if status == "offline" else None, now)


def _set(alerts: dict[str, protocol.Alert], key: str, device: str, problem: str | None, now: datetime) -> bool:
    if problem is None:
        return alerts.pop(key, None) is not None
    if key in alerts and alerts[key].problem == problem:
        return False
    alerts[key] = protocol.Alert(device, problem, now)
    return True


def payload(alerts: dict[str, protocol.Alert], now: datetime) -> protocol.Alerts:
    """The retained ``alerts`` message."""
    return protocol.Alerts(tuple(alerts.values()), now)
