"""Every word of the staff pages exists in Danish and English, and every word the pages use exists."""
import re
from pathlib import Path

from web.texts import LANGUAGES, catalogue

WEB = Path(__file__).resolve().parents[2] / "web"


def test_both_languages_have_the_same_words():
    danish, english = (set(catalogue()[lang]) for lang in LANGUAGES)
    assert danish == english


def test_every_word_a_page_or_script_uses_is_in_the_catalogue():
    used = set()
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("static/*.js")]:
        used |= set(re.findall(r"\bt\.([a-z_]+)", path.read_text(encoding="utf-8")))
    assert used and used <= set(catalogue()["da"])
