"""Topic names: built for one site by ``Topics``, taken apart once by ``parse_topic``."""
from __future__ import annotations

from dataclasses import dataclass

from reception.errors import MessageError
from reception.protocol.codes import ROOT, SEGMENT_RE
from reception.protocol.wire import show


@dataclass(frozen=True)
class Topic:
    """A parsed topic: ``reception/<site>/<device>/<device_id>/<feature...>`` or a site-wide one."""

    site: str
    device: str | None  # "kiosk", "desk", "board", "hub", "web" or None for site-wide topics
    device_id: str | None
    feature: str  # e.g. "ticket/request", "command", "board", "console/available"


class Topics:
    """Builds the topic names of one site; use ``parse_topic`` for the other direction."""

    def __init__(self, site: str):
        if not SEGMENT_RE.fullmatch(site):
            raise MessageError(f"bad site id {show(site)}")
        self.site = site
        self.base = f"{ROOT}/{site}"

    hub_available = property(lambda self: f"{self.base}/hub/available")
    web_available = property(lambda self: f"{self.base}/web/available")  # the web service, one per site
    calls = property(lambda self: f"{self.base}/calls")
    board = property(lambda self: f"{self.base}/board")
    queue = property(lambda self: f"{self.base}/queue")
    alerts = property(lambda self: f"{self.base}/alerts")
    stats_daily = property(lambda self: f"{self.base}/stats/daily")
    appointments = property(lambda self: f"{self.base}/appointments")
    appointments_import = property(lambda self: f"{self.base}/appointments/import")
    appointments_import_result = property(lambda self: f"{self.base}/appointments/import/result")
    status_pages = property(lambda self: f"{self.base}/status/pages")
    near = property(lambda self: f"{self.base}/events/near")

    def kiosk_available(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/available"

    def board_available(self, board: str = "+") -> str:
        return f"{self.base}/board/{board}/available"

    def desk_available(self, desk: str = "+", unit: str = "+") -> str:
        return f"{self.base}/desk/{desk}/{unit}/available"

    def ticket_request(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/ticket/request"

    def ticket_reply(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/ticket/reply"

    def ticket_first_visit(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/ticket/first_visit"

    def kiosk_status(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/status"

    def feedback(self, kiosk: str = "+") -> str:
        return f"{self.base}/kiosk/{kiosk}/feedback"

    def desk_command(self, desk: str = "+") -> str:
        return f"{self.base}/desk/{desk}/command"

    def desk_result(self, desk: str = "+") -> str:
        return f"{self.base}/desk/{desk}/result"

    def desk_state(self, desk: str = "+") -> str:
        return f"{self.base}/desk/{desk}/state"


def parse_topic(topic: str) -> Topic:
    """Split a topic once into a value object; raise MessageError for anything outside the tree."""
    parts = topic.split("/")
    if len(parts) < 3 or parts[0] != ROOT or not SEGMENT_RE.fullmatch(parts[1]):
        raise MessageError(f"topic {show(topic)} is not under {ROOT}/<site>/")
    site, rest = parts[1], parts[2:]
    if rest[0] in ("kiosk", "desk") or (rest[0] == "board" and len(rest) > 1):
        if len(rest) < 3 or not SEGMENT_RE.fullmatch(rest[1]):
            raise MessageError(f"topic {show(topic)} lacks a valid {rest[0]} id")
        return Topic(site, rest[0], rest[1], "/".join(rest[2:]))
    if rest[0] in ("hub", "web"):
        return Topic(site, rest[0], None, "/".join(rest[1:]))
    return Topic(site, None, None, "/".join(rest))
