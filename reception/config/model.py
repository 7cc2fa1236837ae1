"""The site's model: what a validated site file becomes (frozen dataclasses), and the fixed vocabularies."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from typing import Any, Mapping
from zoneinfo import ZoneInfo

DESK_KINDS = ("staff", "volunteer")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXTRAS = ("appointment", "carer", "private")
PRINTER_CONNECTIONS = ("dummy", "file", "usb", "serial", "network")
# What each printer connection needs besides its name (see hardware/printer.py).
PRINTER_PARAMS = {"dummy": (), "file": ("path",), "usb": ("vendor_id", "product_id"),
                  "serial": ("device",), "network": ("host",)}
TICKET_LINES = ("logo", "site", "address", "number", "reason", "wait", "datetime", "volunteer_sessions")
DEFAULT_TICKET_LINES = ("site", "number", "reason", "wait", "datetime", "volunteer_sessions")
TICKET_LAYOUT_KEYS = ("lines", "date_format", "logo", "codepage")
DESK_BUTTONS = ("next", "recall", "noshow", "transfer", "done")
MAX_ANSWERS = 6
MAX_TAPS = 3
ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")  # ids that become topic segments and broker accounts


class LocalText(dict):
    """Texts by language code; ``get_text`` falls back to the site's first language."""

    def __init__(self, texts: Mapping[str, str], default: str = "da"):
        super().__init__(texts)
        self.default = default

    def get_text(self, lang: str | None = None) -> str:
        if lang and lang in self:
            return self[lang]
        return self.get(self.default) or next(iter(self.values()))


@dataclass(frozen=True)
class Extra:
    key: str
    priority_minutes: float
    label: LocalText
    prefer_private_desk: bool = False


@dataclass(frozen=True)
class Service:
    id: str
    letter: str
    name: LocalText
    served_by: frozenset[str]
    mean_service_minutes: float
    priority_minutes: float = 0.0

    @property
    def volunteer_may_serve(self) -> bool:
        return "volunteer" in self.served_by

    @property
    def citizen_chooses(self) -> bool:
        """Both kinds may help: the kiosk asks the citizen which they prefer."""
        return set(DESK_KINDS) <= self.served_by


@dataclass(frozen=True)
class Desk:
    id: str
    name: LocalText
    kind: str
    services: frozenset[str]
    private: bool = False


@dataclass(frozen=True)
class TimeRange:
    start: time
    end: time

    def contains(self, t: time) -> bool:
        return self.start <= t < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class VolunteerSession:
    days: tuple[str, ...]
    time: TimeRange
    place: LocalText
    at_desks: bool = False


@dataclass(frozen=True)
class Kiosk:
    id: str
    offline_numbers: tuple[int, int]


@dataclass(frozen=True)
class Answer:
    label: LocalText
    icon: str
    next: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    text: LocalText
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class QueueRules:
    no_show_grace_minutes: float = 10
    double_press_guard_seconds: float = 3
    expire_after_close_minutes: float = 60


@dataclass(frozen=True)
class KioskSettings:
    idle_reset_seconds: float = 60
    idle_warning_seconds: float = 15
    read_aloud: bool = True


@dataclass(frozen=True)
class BoardGroup:
    """Visit reasons the waiting-room board shows as one row of waits (fewer, larger rows)."""

    name: LocalText
    services: tuple[str, ...]


@dataclass(frozen=True)
class BoardSettings:
    recent_calls: int = 6
    announce_languages: tuple[str, ...] = ("da",)
    info_rotate_seconds: float = 12
    messages: tuple[LocalText, ...] = ()
    groups: tuple[BoardGroup, ...] = ()  # reasons in no group get a row of their own
    today_figures: bool = True  # an information page with today's served / waiting / average wait


@dataclass(frozen=True)
class Printer:
    connection: str = "dummy"
    profile: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    layout: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Broker:
    host: str
    port: int = 1883
    tls: bool = False
    ca_file: str | None = None


@dataclass(frozen=True)
class Bridge:
    """The municipality's central broker that this site's Mosquitto copies its statistics to."""

    host: str
    port: int = 8883
    tls: bool = True
    ca_file: str | None = None
    username: str = ""
    password_file: str = "/etc/reception/secrets/central.password"


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    address: str
    timezone: str
    languages: tuple[str, ...]
    retention_days: int
    hours: Mapping[str, TimeRange]
    queue: QueueRules
    extras: Mapping[str, Extra]
    services: Mapping[str, Service]
    desks: Mapping[str, Desk]
    volunteer_sessions: tuple[VolunteerSession, ...]
    kiosks: Mapping[str, Kiosk]
    boards: tuple[str, ...]
    questions: Mapping[str, Question]
    kiosk: KioskSettings
    board: BoardSettings
    printer: Printer
    pins: Mapping[str, Mapping[str, int]]
    broker: Broker | None
    bridge: Bridge | None = None
    source: str = "<memory>"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def service_by_letter(self, letter: str) -> Service | None:
        return next((s for s in self.services.values() if s.letter == letter), None)

    def reserved_numbers(self) -> list[tuple[int, int]]:
        """Number ranges the hub must never issue: they belong to kiosks working offline."""
        return sorted(k.offline_numbers for k in self.kiosks.values())
