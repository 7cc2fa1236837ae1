"""The contract's fixed vocabularies and patterns: what a field may say, never free text a device made up."""
from __future__ import annotations

import re

ROOT = "reception"
PREFERENCES = ("any", "staff", "volunteer")
EXTRAS = ("appointment", "carer", "private")
DESK_ACTIONS = ("next", "recall", "noshow", "transfer", "done", "call", "open", "pause", "close")
ACTION_FIELDS = {"call": ("ticket",), "transfer": ("service", "to_kind")}  # the other actions take none
DESK_KINDS = ("staff", "volunteer")
DESK_STATUSES = ("open", "paused", "closed")
TICKET_STATES = ("called", "serving")
CALL_TYPES = ("call", "recall")
AVAILABILITY = ("online", "offline", "stopped")
DESK_UNITS = ("buttons", "console")  # the programs a desk may run, each with its own availability
PRINTER_STATES = ("ok", "paper_low", "paper_out", "cover_open", "offline", "error")
ALERT_PROBLEMS = ("paper_low", "paper_out", "cover_open", "offline", "error",  # a kiosk's printer
                  "unreachable",  # a device whose Last Will said "offline"
                  "overloaded")  # the hub itself, while its intake lags
FEEDBACK_TAGS = ("got_help", "kind", "can_do_it_now", "waited_too_long", "still_cannot", "hard_to_understand")
WALK_IN_REASONS = ("late", "unknown")  # why a booking became a walk-in ticket
STATS_SECTIONS = ("reasons", "kinds", "hours", "transfers", "feedback")

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")  # a command id: a UUID, "kiosk-1-off-0007", ...
SEGMENT_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")  # a site, kiosk, desk, board or service id
NUMBER_RE = re.compile(r"[A-Z][0-9]{3,4}")
LETTER_RE = re.compile("[A-Z]")
CLOCK_RE = re.compile(r"\d{2}:\d{2}")
LANG_RE = re.compile(r"[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,2}")  # da, en, uk, pt-BR, zh_Hans
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")  # a ticket's status-page token: base64url, 96 bits or more
TOKEN_HASH_RE = re.compile(r"[0-9a-f]{64}")  # its SHA-256, all that crosses the broker
BOOKING_RE = re.compile(r"[0-9]{4,6}")  # a booking code as the citizen types it at the kiosk
SLOT_RE = re.compile(r"[A-Za-z0-9_-]{8,32}")  # an appointment in the kiosk's time list: random, kept by the hub
DEVICE_RE = re.compile(rf"{SEGMENT_RE.pattern}(/({'|'.join(DESK_UNITS)}))?")  # kiosk-1, board-1, desk-1/console

KIOSK_REPLY_TIMEOUT_S = 3.0  # a kiosk waits this long for its ticket, then prints one of its own numbers
STALE = "stale"  # the error of a ticket request that waited at the hub until its kiosk had given up
