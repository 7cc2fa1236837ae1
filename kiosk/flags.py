"""National flags for the language buttons, drawn with Kivy's canvas like the other pictograms.

A flag is recognised at a glance by someone who reads little Danish; the language's name
in its own words goes with it.  On the 7" panel the start screen's language button shows
the flags of all the site's languages together (``group_icon``), beside the word "Sprog".
A language without a flag here keeps its name on the button.
"""
from __future__ import annotations

from kivy.graphics import Color, Line, Quad, Rectangle

from kiosk import icons
from reception.colour import hex_rgba

BORDER = (0.17, 0.17, 0.17, 1)  # dark edge, so a white or yellow stripe shows on a light or yellow button


def _stripes(*colours: str, vertical: bool = False):
    """Equal stripes, top to bottom (or left to right)."""
    def draw(x, y, w, h):
        n = len(colours)
        for i, colour in enumerate(colours):
            Color(*hex_rgba(colour))
            if vertical:
                Rectangle(pos=(x + w * i / n, y), size=(w / n, h))
            else:
                Rectangle(pos=(x, y + h * (n - 1 - i) / n), size=(w, h / n))
    return draw


def _nordic(field: str, *crosses: tuple[str, float]):
    """A cross set towards the hoist; each (colour, thickness as a share of the height), widest first."""
    def draw(x, y, w, h):
        Color(*hex_rgba(field))
        Rectangle(pos=(x, y), size=(w, h))
        for colour, t in crosses:
            Color(*hex_rgba(colour))
            Rectangle(pos=(x + w * 0.37 - h * t / 2, y), size=(h * t, h))
            Rectangle(pos=(x, y + h / 2 - h * t / 2), size=(w, h * t))
    return draw


def _union(x, y, w, h):
    """The Union Flag, simplified: blue field, white and red diagonals, white and red cross."""
    Color(*hex_rgba("#012169"))
    Rectangle(pos=(x, y), size=(w, h))
    for colour, t in (("#FFFFFF", h * 0.2), ("#C8102E", h * 0.07)):
        Color(*hex_rgba(colour))
        Quad(points=[x, y, x + t, y, x + w, y + h, x + w - t, y + h])
        Quad(points=[x, y + h, x + t, y + h, x + w, y, x + w - t, y])
    for colour, t in (("#FFFFFF", h * 0.33), ("#C8102E", h * 0.2)):
        Color(*hex_rgba(colour))
        Rectangle(pos=(x + w / 2 - t / 2, y), size=(t, h))
        Rectangle(pos=(x, y + h / 2 - t / 2), size=(w, t))


FLAGS = {
    "da": _nordic("#C8102E", ("#FFFFFF", 0.14)),
    "sv": _nordic("#006AA7", ("#FECC00", 0.2)),
    "nb": _nordic("#BA0C2F", ("#FFFFFF", 0.25), ("#00205B", 0.125)),
    "en": _union,
    "de": _stripes("#000000", "#DD0000", "#FFCE00"),
    "uk": _stripes("#0057B7", "#FFD700"),
    "pl": _stripes("#FFFFFF", "#DC143C"),
    "fr": _stripes("#0055A4", "#FFFFFF", "#EF4135", vertical=True),
}


def _flag(paint):
    def draw(x, y, s, w):
        fw, fh = s * 0.96, s * 0.64  # 3:2, centred in the pictogram's square
        fx, fy = x + (s - fw) / 2, y + (s - fh) / 2
        paint(fx, fy, fw, fh)
        Color(*BORDER)
        Line(rectangle=(fx, fy, fw, fh), width=max(1.0, w * 0.35))
    return draw


def icon_name(lang: str) -> str:
    """The pictogram of a language's flag, or "" when there is none (the name is shown instead)."""
    return f"flag_{lang}" if lang in FLAGS else ""


icons.DRAWINGS.update({f"flag_{lang}": _flag(paint) for lang, paint in FLAGS.items()})


def group_icon(langs) -> str:
    """A pictogram of up to four of these languages' flags in two rows, registered on first use."""
    painted = [FLAGS[lang] for lang in langs if lang in FLAGS][:4]
    name = "flags_" + "_".join(lang for lang in langs if lang in FLAGS)

    def draw(x, y, s, w):
        cols = 2 if len(painted) > 1 else 1
        rows = (len(painted) + cols - 1) // cols
        cell = s / cols  # each flag in a square of this side, 3:2 inside it, rows 0.72 of a cell apart
        for i, paint in enumerate(painted):
            cx = x + (i % cols + 0.5) * cell
            cy = y + s / 2 + ((rows - 1) / 2 - i // cols) * cell * 0.72
            _flag(paint)(cx - cell * 0.46, cy - cell * 0.46, cell * 0.92, w * 0.5)

    icons.DRAWINGS.setdefault(name, draw)
    return name
