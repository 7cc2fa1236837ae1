"""The site's model: what a validated site file becomes (frozen dataclasses), and the fixed vocabularies.

A field's default here is the site file's default: the reader (``schema.Reader.record``)
takes it from the dataclass, so it is written once.  ``setting(default, minimum=...)``
adds the bounds the reader checks; ``named()`` marks a field that comes from the
table's name (``[services.passport]``) rather than from a key inside it.
"""
from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, time
from typing import Any, Mapping
from zoneinfo import ZoneInfo

DESK_KINDS = ("staff", "volunteer")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Languages the kiosk and the board have catalogues for (tests/test_config.py checks both).
LANGUAGES = ("da", "en", "de", "uk")
TICKET_LINES = ("logo", "site", "address", "number", "reason", "wait", "datetime", "volunteer_sessions")
DEFAULT_TICKET_LINES = ("site", "number", "reason", "wait", "datetime", "volunteer_sessions")
DESK_BUTTONS = ("next", "recall", "noshow", "transfer", "done")
PIN_ROLES = DESK_BUTTONS + ("led", "buzzer")
MAX_ANSWERS = 6
MAX_TAPS = 3
ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")  # ids that become topic segments and broker accounts


def setting(default: Any = MISSING, *, minimum: float | None = None, maximum: float | None = None) -> Any:
    """A field the site file may set, with its default and the bounds the reader enforces."""
    return field(default=default, metadata={"minimum": minimum, "maximum": maximum})


def named() -> Any:
    """A field taken from the table's own name in the file, not from a key inside it."""
    return field(metadata={"named": True})


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
    key: str = named()
    label: LocalText
    priority_minutes: float = 0.0
    prefer_private_desk: bool = False


@dataclass(frozen=True)
class Service:
    id: str = named()
    letter: str
    name: LocalText
    served_by: frozenset[str]
    mean_service_minutes: float = setting(10.0, minimum=0.1)  # the guess before the site's own history
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

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class VolunteerSession:
    days: tuple[str, ...]
    time: TimeRange
    place: LocalText
    at_desks: bool = False


@dataclass(frozen=True)
class DatedSession:
    """A volunteer session on one date only: the office added it this week (``reception.today``)."""

    day: date
    time: TimeRange
    place: LocalText
    at_desks: bool = False


@dataclass(frozen=True)
class OfficeChanges:
    """What the office changed over the site file (``reception.today``); a site file itself has none."""

    closed_desks: frozenset[str] = frozenset()  # closed for today: their own buttons cannot open them
    added_sessions: tuple[DatedSession, ...] = ()
    cancelled_sessions: frozenset[tuple[date, TimeRange]] = frozenset()  # planned sessions called off


@dataclass(frozen=True)
class Kiosk:
    id: str
    offline_numbers: tuple[int, int]


@dataclass(frozen=True)
class Answer:
    label: LocalText
    icon: str = "question"
    next: str | None = None
    service: str | None = None
    check_in: bool = False  # "I have an appointment": the booking code's keypad (or the time list) first


@dataclass(frozen=True)
class Question:
    id: str = named()
    text: LocalText
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class QueueRules:
    no_show_grace_minutes: float = 10.0
    double_press_guard_seconds: float = 3.0
    expire_after_close_minutes: float = 60.0


@dataclass(frozen=True)
class Appointments:
    """[appointments]: the day's booked visits (docs/appointments.md): where the hub picks up the files,
    how late a citizen may check in and still keep the booking, and how long a slot lasts (a booking
    nobody checked in by its end is counted missed)."""

    folder: str | None = None  # the hub imports the files dropped here; relative to the site file
    late_after_minutes: float = setting(15.0, minimum=0, maximum=240)
    slot_minutes: float = setting(15.0, minimum=1, maximum=480)


@dataclass(frozen=True)
class KioskSettings:
    idle_reset_seconds: float = setting(60.0, minimum=10)
    idle_warning_seconds: float = setting(15.0, minimum=3)
    read_aloud: bool = True


@dataclass(frozen=True)
class BoardGroup:
    """Visit reasons the waiting-room board shows as one row of waits (fewer, larger rows)."""

    name: LocalText
    services: tuple[str, ...]


@dataclass(frozen=True)
class BoardSettings:
    recent_calls: int = setting(6, minimum=1)
    announce_languages: tuple[str, ...] = ("da",)  # the file's default: the site's first language
    info_rotate_seconds: float = setting(12.0, minimum=2)
    messages: tuple[LocalText, ...] = ()
    groups: tuple[BoardGroup, ...] = ()  # reasons in no group get a row of their own
    today_figures: bool = True  # an information page with today's served / waiting / average wait


@dataclass(frozen=True)
class PrinterLayout:
    """Which blocks a ticket shows and how (``[printer.layout]``); the printer and the PNG preview follow it."""

    lines: tuple[str, ...] = DEFAULT_TICKET_LINES
    date_format: str = "%d.%m.%Y %H:%M"
    logo: str | None = None  # an image file, relative to the site file
    codepage: str = "CP865"  # the Nordic DOS code page: æøåÆØÅ, what Epson printers call "PC865"


TICKET_LAYOUT_KEYS = tuple(f.name for f in fields(PrinterLayout))


@dataclass(frozen=True)
class DummyParams:
    """No device: the bytes stay in memory (development, tests)."""


@dataclass(frozen=True)
class FileParams:
    path: str  # e.g. /dev/usb/lp0


@dataclass(frozen=True)
class UsbParams:
    vendor_id: int
    product_id: int
    timeout: int = setting(2000, minimum=1)  # milliseconds
    in_ep: int = setting(0x82, minimum=0)
    out_ep: int = setting(0x01, minimum=0)


@dataclass(frozen=True)
class SerialParams:
    device: str
    baudrate: int = setting(9600, minimum=1)
    timeout: float = setting(1.0, minimum=0.1)


@dataclass(frozen=True)
class NetworkParams:
    host: str
    port: int = setting(9100, minimum=1, maximum=65535)
    timeout: float = setting(5.0, minimum=0.1)


# Each connection's own settings, written beside ``connection`` in [printer] (see hardware/printer.py).
PRINTER_PARAMS = {"dummy": DummyParams, "file": FileParams, "usb": UsbParams, "serial": SerialParams,
                  "network": NetworkParams}
PRINTER_CONNECTIONS = tuple(PRINTER_PARAMS)


@dataclass(frozen=True)
class Printer:
    connection: str = "dummy"
    profile: str | None = None  # a python-escpos model name such as "TM-T20II"
    params: DummyParams | FileParams | UsbParams | SerialParams | NetworkParams = DummyParams()
    layout: PrinterLayout = PrinterLayout()


@dataclass(frozen=True)
class Broker:
    host: str
    port: int = setting(1883, minimum=1, maximum=65535)
    tls: bool = False
    ca_file: str | None = None


@dataclass(frozen=True)
class Bridge:
    """The municipality's central broker that this site's Mosquitto copies its statistics to."""

    host: str
    port: int = setting(8883, minimum=1, maximum=65535)  # the file's default is 1883 without TLS
    tls: bool = True
    ca_file: str | None = None
    username: str = ""  # the file's default: site-<site id>
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
    appointments: Appointments = Appointments()
    source: str = "<memory>"
    office: OfficeChanges = OfficeChanges()
    document: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)  # the TOML it came from

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
