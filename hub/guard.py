"""What the hub checks of every message before a handler reads it: its size, its topic, its sender.

A message from a kiosk, desk or board that the site file does not name is refused
whole, the same way on every topic (no ticket for ``kiosk-99``, no command from
``desk-99``), and is not answered: on an appliance the broker's ACL keeps such a
sender out anyway.  The reason is logged as one capped line.
"""
from __future__ import annotations

from reception import protocol
from reception.config import Site
from reception.errors import MessageError
from reception.protocol.wire import MAX_DEVICE_PAYLOAD, MAX_PAYLOAD, show, shorten
from reception.protocol.office import MAX_SETUP_PAYLOAD

# The web service's commands carry more than a device's: today's setup, the booking system's appointments.
LIMITS = {"/setup/command": MAX_SETUP_PAYLOAD, "/appointments/import": MAX_PAYLOAD}


def check(site: Site, topic: str, payload: bytes) -> protocol.Topic:
    """The parsed topic of a message the hub may read; MessageError with the reason otherwise."""
    limit = next((limit for end, limit in LIMITS.items() if topic.endswith(end)), MAX_DEVICE_PAYLOAD)
    if len(payload) > limit:  # before any parsing: a huge message costs nothing more
        raise MessageError(f"payload of {len(payload)} bytes is over the limit of {limit}")
    where = protocol.parse_topic(topic)
    known = {"kiosk": site.kiosks, "desk": site.desks, "board": site.boards}.get(where.device)
    if known is not None and where.device_id not in known:
        raise MessageError(f"unknown {where.device} {where.device_id!r} (not in the site file)")
    return where


def rejected(topic: str, reason: Exception) -> str:
    """The log line of a refused message: topic and reason, capped, on one line."""
    return shorten(f"rejected message on {show(topic)}: {reason}")
