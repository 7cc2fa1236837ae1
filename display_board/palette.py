"""The board's colours, and every text/background pair, which must pass WCAG 2 AAA (>= 7:1,
checked with ``reception.colour.contrast_ratio``).

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
