"""The pages' words in Danish and English, from texts.toml; Danish unless the user chose English."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("da", "en")
LANG_COOKIE = "reception_lang"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    return tomllib.loads((Path(__file__).with_name("texts.toml")).read_text(encoding="utf-8"))


def texts(lang: str) -> dict[str, str]:
    return catalogue()[lang if lang in LANGUAGES else LANGUAGES[0]]


def language_of(request) -> str:
    """``?lang=`` first (and remembered in a cookie by the page), then the cookie, then Danish."""
    for chosen in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    return LANGUAGES[0]
