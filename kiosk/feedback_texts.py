"""The feedback screen's own texts (``kiosk/feedback.toml``); the words it shares with the kiosk (back, skip...)
are ``kiosk.i18n``'s."""
from __future__ import annotations

from pathlib import Path

from reception import catalogue

TEXTS = catalogue.load(Path(__file__).with_name("feedback.toml"))


def ftr(lang: str, key: str) -> str:
    """A feedback text in ``lang`` (Danish for a language without texts, as ``kiosk.i18n.tr``)."""
    return TEXTS.text(lang, key)
