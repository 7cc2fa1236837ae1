"""Every fixed text the kiosk shows or speaks: ``kiosk/texts.toml`` and the shared words.

Texts about the site itself (questions, answers, services, places) come from the
site configuration; everything else comes from the catalogue (``reception.catalogue``:
the format, the shared words, the checks on load), so no widget holds a word.
``tr`` falls back to Danish for a language without texts, never to a key.
"""
from __future__ import annotations

from pathlib import Path

from reception import catalogue
from reception.config import LANGUAGES

DEFAULT = catalogue.FALLBACK
TEXTS = catalogue.load(Path(__file__).with_name("texts.toml"))


def tr(lang: str, key: str, **values) -> str:
    """The text for ``key`` in ``lang`` (Danish when the language has no texts)."""
    return TEXTS.text(lang, key, **values)


# The language buttons show each language in its own words.
LANGUAGE_NAMES = {lang: tr(lang, "language_name") for lang in LANGUAGES}
