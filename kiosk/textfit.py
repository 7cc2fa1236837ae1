"""Measuring text the way Kivy will draw it, to fit labels and to prove nothing is cut off.

Kivy wraps at spaces; a single word wider than the box is broken mid-word or runs
out of it.  So a text fits a box when its longest word fits the width, the wrapped
text fits the height, and Kivy, laying it out in that very box, keeps every line.
The layout tests use the same measurement.
"""
from __future__ import annotations

from functools import lru_cache

from kivy.core.text import Label as CoreLabel

FONT = "Roboto"          # ships with Kivy: no download, Latin, Danish and Cyrillic letters
BOLD_FONT = "Roboto-Bold"


def _label(text: str, font_size: float, font_name: str, width: float | None, line_height: float,
           height: float | None = None) -> CoreLabel:
    return CoreLabel(text=text, font_size=font_size, font_name=font_name, text_size=(width, height),
                     line_height=line_height, halign="center", valign="middle", shorten=False)


def _lines(text: str, font_size: float, font_name: str, width: float, line_height: float,
           height: float | None = None) -> int:
    label = _label(text, font_size, font_name, width, line_height, height)
    label.refresh()
    return len(label._cached_lines)


@lru_cache(maxsize=4096)
def longest_word(text: str, font_size: float, font_name: str) -> float:
    words = text.split() or [""]
    probe = _label("", font_size, font_name, None, 1.0)
    return max(probe.get_extents(w)[0] for w in words)


def needed_height(text: str, font_size: float, font_name: str, width: float, line_height: float = 1.0) -> float:
    label = _label(text, font_size, font_name, width, line_height)
    label.refresh()
    return label.content_size[1] if label.texture else 0


@lru_cache(maxsize=4096)  # the same screens come back visit after visit: measure each text in its box once
def fits(text: str, font_size: float, font_name: str, width: float, height: float,
         line_height: float = 1.0) -> bool:
    if width <= 0 or height <= 0:
        return not text
    if longest_word(text, font_size, font_name) > width:
        return False
    if needed_height(text, font_size, font_name, width, line_height) > height:
        return False
    # Kivy drops lines near the bottom of a bounded box by its own rule: ask it, as the screen will
    return _lines(text, font_size, font_name, width, line_height, height) == \
        _lines(text, font_size, font_name, width, line_height)


def best_size(text: str, largest: float, smallest: float, font_name: str, width: float, height: float,
              line_height: float = 1.0) -> tuple[float, bool]:
    """The largest font size in [smallest, largest] at which ``text`` fits; (smallest, False) if none."""
    size = largest
    while size > smallest:
        if fits(text, size, font_name, width, height, line_height):
            return size, True
        size = max(smallest, size * 0.97)
    return smallest, fits(text, smallest, font_name, width, height, line_height)
