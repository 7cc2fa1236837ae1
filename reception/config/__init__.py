"""The site configuration: one TOML file, validated once, read everywhere.

``config.load(path)`` reads and checks a site file and returns a tree of frozen
dataclasses (``Site``); nothing downstream touches raw dicts.  A broken file raises
``ConfigError`` naming the file, the dotted key and the problem.

- ``model``   the dataclasses and fixed vocabularies (what a site file becomes)
- ``schema``  typed access to the raw document (``Reader``): the one place errors are worded
- ``parse``   the sections about the service: reasons, desks, hours, questions, kiosk, board
- ``devices`` the device sections: kiosks, printer, desk pins, broker, bridge
- ``load``    reading the file from disk
"""
# The public names: callers write `from reception import config` or `from reception.config import Site`.
from reception.config.load import load, read_toml
from reception.config.model import (
    DESK_KINDS, WEEKDAYS, EXTRAS, PRINTER_CONNECTIONS, PRINTER_PARAMS, TICKET_LINES, DEFAULT_TICKET_LINES,
    TICKET_LAYOUT_KEYS, DESK_BUTTONS, MAX_ANSWERS, MAX_TAPS, LocalText, Extra, Service, Desk, TimeRange,
    VolunteerSession, Kiosk, Answer, Question, QueueRules, KioskSettings, BoardGroup, BoardSettings, Printer,
    Broker, Bridge, Site
)
from reception.config.parse import parse
