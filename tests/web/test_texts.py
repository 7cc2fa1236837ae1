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


def test_every_column_heading_and_figure_label_starts_with_a_capital():
    """A heading reads as one ("Venter", not "venter" beside "Betjent"): the count words are the
    running text's ("1 venter"), the headings have their own."""
    headings = set()
    for path in WEB.glob("templates/*.html"):
        headings |= set(re.findall(r"<(?:th|dt)[^>]*>\{\{ t\.([a-z_]+) \}\}", path.read_text(encoding="utf-8")))
    assert headings
    for lang in LANGUAGES:
        lower = [key for key in sorted(headings) if not catalogue()[lang][key][0].isupper()]
        assert not lower, f"{lang}: headings in small letters: {lower}"
