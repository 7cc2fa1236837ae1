"""Every fixed text a citizen reads or hears, in one format: TOML files of ``[key]`` tables, one text per language.

The words more than one device says (the days, "I morgen", the volunteer sessions' line,
the unknown wait) live once, in ``reception/words.toml``.  The kiosk, its feedback screen,
the board and the ticket each have a file of their own for the rest, and a key of theirs
may not repeat a shared one.  A file is checked when it is loaded: every key has a
non-empty text in every site language (``reception.config.LANGUAGES``), all with the same
``{placeholders}``; a misfit is one line naming the file and the key.  A language without
texts (a ticket of another site, a stray code) gets Danish, never a key.
"""
from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Mapping

from reception.config.model import LANGUAGES
from reception.errors import CatalogueError

FALLBACK = "da"
SHARED = Path(__file__).with_name("words.toml")
ROOT = Path(__file__).resolve().parents[1]
VOICES = {"da": "da", "en": "en-gb", "de": "de", "uk": "uk"}  # espeak-ng voice per language


def voice(lang: str) -> str:
    """The espeak-ng voice that reads ``lang`` (the code itself where espeak-ng names it so)."""
    return VOICES.get(lang, lang)


def placeholders(text: str) -> set[str]:
    """Names used as ``{name}`` in a text; a stray brace raises ``ValueError``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class Catalogue:
    """Texts by key, then language; a part's catalogue includes the shared words."""

    source: str
    entries: Mapping[str, Mapping[str, str]]

    def text(self, lang: str, key: str, **values: object) -> str:
        """The text for ``key`` in ``lang`` (Danish for a language without texts), ``{placeholders}`` filled."""
        entry = self.entries[key]
        text = entry.get(lang, entry[FALLBACK])
        return text.format(**values) if values else text

    def has_language(self, lang: str) -> bool:
        return lang in LANGUAGES


@cache
def shared() -> Catalogue:
    """The words of ``reception/words.toml``, for every part."""
    return Catalogue(_name(SHARED), read_entries(SHARED))


def weekday_name(day_index: int, lang: str) -> str:
    """The day's name as inside a sentence ("onsdag"); Monday is 0, as ``date.weekday()``."""
    return shared().text(lang, "weekdays").split()[day_index]


def load(path: Path) -> Catalogue:
    """A part's own catalogue (``kiosk/texts.toml`` ...) together with the shared words."""
    own, common = read_entries(path), shared()
    for key in own:
        if key in common.entries:
            raise CatalogueError(f"{_name(path)}: {key}: already in {common.source}; a word lives in one place")
    return Catalogue(_name(path), {**common.entries, **own})


def _name(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def read_entries(path: Path) -> dict[str, dict[str, str]]:
    """One file's own entries, checked (not merged with the shared words)."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{_name(path)}: {exc}") from None
    for key, entry in doc.items():
        _check(_name(path), key, entry)
    return doc


def _check(source: str, key: str, entry: object) -> None:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{source}: {key}: must be a table of one text per language")
    for lang in entry:
        if lang not in LANGUAGES:
            raise CatalogueError(f"{source}: {key}.{lang}: not a site language ({', '.join(LANGUAGES)})")
    for lang in LANGUAGES:
        text = entry.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise CatalogueError(f"{source}: {key}.{lang}: missing; every key needs a text in every language")
        try:
            names = placeholders(text)
        except ValueError as exc:
            raise CatalogueError(f"{source}: {key}.{lang}: {exc}") from None
        if names != placeholders(entry[FALLBACK]):
            raise CatalogueError(f"{source}: {key}.{lang}: placeholders {sorted(names)} differ from "
                                 f"{FALLBACK}'s {sorted(placeholders(entry[FALLBACK]))}")
