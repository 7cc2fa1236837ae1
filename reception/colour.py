"""Hex colours for Kivy, and the WCAG 2 contrast every screen's text is held to.

The kiosk and the display board each keep a palette of their own (``kiosk.theme``,
``display_board.palette``); the arithmetic is the same for both, so it lives here.
"""
from __future__ import annotations


def hex_rgba(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """``"#RRGGBB"`` as Kivy's 0..1 RGBA."""
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b, _ = hex_rgba(hex_colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio (1..21) between two hex colours, in either order."""
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
