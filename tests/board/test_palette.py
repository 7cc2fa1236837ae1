"""Readable from 5 m: every text colour on its background passes WCAG AAA (contrast at least 7:1)."""
import re
from pathlib import Path

import pytest

from display_board import palette
from reception.colour import contrast_ratio

KV = Path(palette.__file__).with_name("board.kv")


@pytest.mark.parametrize("where", sorted(palette.TEXT_PAIRS))
def test_every_text_on_its_background_is_at_least_7_to_1(where):
    fg, bg = palette.TEXT_PAIRS[where]
    assert contrast_ratio(fg, bg) >= 7.0, where


def test_every_colour_the_screen_uses_is_in_a_checked_pair():
    used = set(re.findall(r"\bBP\.([A-Z]+)\b", KV.read_text()))
    checked = {name for name in dir(palette) if name.isupper() and isinstance(getattr(palette, name), str)
               and any(getattr(palette, name) in pair for pair in palette.TEXT_PAIRS.values())}
    assert used and used <= checked, used - checked
