"""The board's colours, and the WCAG 2 contrast check every text/background pair must pass (>= 7:1, AAA).

Every pair the kv file draws is listed in ``TEXT_PAIRS`` so a test can hold the
palette to the bar; a new colour without an entry here is a review question.
"""
from __future__ import annotations

NAVY = "#0B1F33"  # page background
PANEL = "#102A45"  # the waits and info panel, a shade lighter so the two halves read apart
WHITE = "#FFFFFF"
MUTED = "#C8D4E0"  # second language and small print
YELLOW = "#FFD23F"  # the latest call, and ticket letters on the dark background
FLASH = "#FFFFFF"  # the latest call's box blinks to this when a call or recall arrives
CREAM = "#FFF4D6"  # the calm out-of-service banner

TEXT_PAIRS = {
    "top bar and headings": (WHITE, NAVY),
    "earlier calls": (WHITE, NAVY),
    "second language on the page": (MUTED, NAVY),
    "latest call": (NAVY, YELLOW),
    "latest call while flashing": (NAVY, FLASH),
    "waits and info": (WHITE, PANEL),
    "second language on the panel": (MUTED, PANEL),
    "ticket letters": (YELLOW, PANEL),
    "volunteer hours": (YELLOW, PANEL),
    "out-of-service banner": (NAVY, CREAM),
}


def rgba(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b, _ = rgba(hex_colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(fg: str, bg: str) -> float:
    lighter, darker = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
