"""The fixed texts printed on a ticket (``ticket_texts.toml``, next to the printer that uses them).

The kiosk translates what the citizen chose (the reason); the volunteer sessions and the
unknown wait are worded as on the kiosk's screen, in the shared words (``reception.catalogue``).
"""
from __future__ import annotations

from pathlib import Path

from reception import catalogue

TEXTS = catalogue.load(Path(__file__).with_name("ticket_texts.toml"))


def ticket_text(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang`` (Danish if the language is missing), with ``{n}`` filled in."""
    return TEXTS.text(lang, key, **values)
