"""Physical sizes and colours for people with poor sight and shaky hands.

Everything is specified in millimetres and points and converted with the screen's
real pixel density, because "large" on a 7" panel and on a 10" panel are different
pixel counts.  The density comes from, in this order: ``--dpi``; the panel's own size
(EDID, ``kiosk.panel``, in kiosk mode); the known panels (``SCREENS``); and for any
other pixel count the smallest panel a kiosk has (7"), so targets are never smaller
than 20 mm, only larger.
"""
from __future__ import annotations

from dataclasses import dataclass

from reception.colour import hex_rgba

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0

# Known panels: (width, height) in pixels -> dots per inch.
#   Raspberry Pi official 7" touch display: 800x480 on 154 x 86 mm  -> ~133 dpi
#   a typical 10.1" 1280x800 touch panel: 217 x 136 mm              -> ~150 dpi
#   a 21.5" 1920x1080 touch monitor: 476 x 268 mm                  -> ~102 dpi
SCREENS = {(800, 480): 133.0, (1280, 800): 150.0, (1920, 1080): 102.0}
SMALLEST_PANEL_INCH = 7.0  # an unknown pixel count is taken to be on a 7" panel: 1024x600 -> 170 dpi

MIN_TARGET_MM = 20.0        # every touch target, both sides
TARGET_GAP_MM = 4.0         # between the start screen's touch targets: room for shaky hands (issue 15 §7)
BODY_PT = 24.0              # body text
COMPACT_START_PT = 18.0     # the 7" start screen: three answers a row and the tools row under them, fitted down to this
MIN_FIT_PT = 16.0           # auto-fitting may shrink a long label (German compounds on the 7" panel) to this, never below
TITLE_PT = 26.0
NUMBER_PT = 90.0            # the ticket number: readable from well over a metre
MIN_CONTRAST = 7.0          # WCAG AAA for normal text

# Colours as hex; tests compute each foreground/background pair's WCAG contrast.
COLOURS = {
    "background": "#FFFFFF",
    "text": "#000000",
    "muted_bg": "#E8EEF4",      # panels with information (waits, sessions)
    "button": "#0B3D91",        # answers: dark blue with white text
    "button_text": "#FFFFFF",
    "primary": "#005A2B",       # "get my ticket": dark green with white text
    "primary_text": "#FFFFFF",
    "nav": "#2B2B2B",           # back / start over: near black with white text
    "nav_text": "#FFFFFF",
    "selected": "#FFD400",      # a chosen option: yellow with black text
    "selected_text": "#000000",
    "warning_bg": "#FFF3B0",    # printer problem, idle warning
    "warning_text": "#000000",
    "number_bg": "#000000",     # the ticket number: white on black
    "number_text": "#FFFFFF",
}

# Pairs a citizen reads: (text colour, background colour).
READ_PAIRS = (
    ("text", "background"), ("text", "muted_bg"), ("button_text", "button"),
    ("primary_text", "primary"), ("nav_text", "nav"), ("selected_text", "selected"),
    ("warning_text", "warning_bg"), ("number_text", "number_bg"),
)


def smallest_panel_dpi(width: int, height: int) -> float:
    """The density if these pixels sat on a 7" panel: the largest density a kiosk panel has."""
    return (width ** 2 + height ** 2) ** 0.5 / SMALLEST_PANEL_INCH


def rgba(name: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """A named colour as Kivy's 0..1 RGBA."""
    return hex_rgba(COLOURS[name], alpha)


@dataclass(frozen=True)
class ScreenProfile:
    """Pixel sizes for one panel, derived from its density."""

    width: int
    height: int
    dpi: float

    @classmethod
    def for_size(cls, width: int, height: int, dpi: float | None = None,
                 panel_mm: tuple[int, int] | None = None) -> "ScreenProfile":
        """``dpi`` (the command line) first, then the panel's measured width, the known panels, 7"."""
        if not dpi and panel_mm:
            dpi = width / (panel_mm[0] / MM_PER_INCH)
        return cls(width, height, dpi or SCREENS.get((width, height)) or smallest_panel_dpi(width, height))

    @property
    def assumed(self) -> bool:
        """True when the density is the 7" guess, not known: worth a line in the log."""
        return (self.width, self.height) not in SCREENS and self.dpi == smallest_panel_dpi(self.width, self.height)

    def mm(self, millimetres: float) -> float:
        return millimetres / MM_PER_INCH * self.dpi

    def pt(self, points: float) -> float:
        return points / PT_PER_INCH * self.dpi

    @property
    def target(self) -> float:
        """Smallest side of any touch target, in pixels."""
        return self.mm(MIN_TARGET_MM)

    @property
    def body(self) -> float:
        return self.pt(BODY_PT)

    @property
    def min_fit(self) -> float:
        return self.pt(MIN_FIT_PT)

    @property
    def title(self) -> float:
        return self.pt(TITLE_PT)

    @property
    def number(self) -> float:
        return self.pt(NUMBER_PT)

    @property
    def gap(self) -> float:
        """Space between targets on the later screens, and the unit of paddings and corner radii."""
        return self.mm(2.5)

    @property
    def target_gap(self) -> float:
        """Space between the start screen's targets, so a shaky tap does not hit the neighbour."""
        return self.mm(TARGET_GAP_MM)
