"""The site configuration: one TOML file, validated once, read everywhere.

``config.load(path)`` reads and checks a site file and returns a tree of frozen
dataclasses (``Site``); nothing downstream touches raw dicts.  A broken file raises
``ConfigError`` naming the file, the dotted key and the problem.

- ``model``   the dataclasses and fixed vocabularies (what a site file becomes)
- ``schema``  typed access to the raw document (``Reader``): the one place errors are worded
- ``parse``   the whole file, and the sections about the service: site, reasons, desks, hours, kiosk, board
- ``questions`` the kiosk's question tree and the taps each service is away
- ``devices`` the device sections: kiosks, boards, printer, desk pins, broker, bridge, status page, integration
- ``load``    reading the file from disk
"""
# The public names: callers write `from reception import config` or `from reception.config import Site`.
from reception.config.load import load, read_toml
from reception.config.model import (
    DEFAULT_TICKET_LINES, DESK_BUTTONS, DESK_KINDS, LANGUAGES, MAX_ANSWERS, MAX_TAPS, PIN_ROLES,
    PRINTER_CONNECTIONS, PRINTER_PARAMS, TICKET_LAYOUT_KEYS, TICKET_LINES, WEEKDAYS, Answer, Appointments, BoardGroup,
    BoardSettings, Bridge, Broker, DatedSession, Desk, DummyParams, Extra, FileParams, Integration, Kiosk, KioskSettings,
    LocalText, NetworkParams, OfficeChanges, Printer, PrinterLayout, Question, QueueRules, SerialParams, Service, Site,
    StatusPage, TimeRange, UsbParams,
    VolunteerSession,
)
from reception.config.parse import parse
