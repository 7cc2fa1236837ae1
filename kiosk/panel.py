"""The touch panel's physical size, read from the display itself (DRM/EDID), for true millimetres.

A 20 mm target is 105 px on the 7" 800x480 panel but 134 px on a 7" 1024x600 one: a
pixel count alone does not say how big a button is.  Linux exposes each connected
display's EDID under ``/sys/class/drm/card*-*/edid``; its first detailed timing
descriptor holds the picture's width and height in millimetres.  The Pi's own DSI
panel has no EDID (nothing to read: ``kiosk.theme`` then knows it by its pixels).
"""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

DRM = Path("/sys/class/drm")
EDID_HEADER = bytes([0, 255, 255, 255, 255, 255, 255, 0])
PLAUSIBLE_MM = (40, 2000)  # a TV that reports 0, or its aspect ratio (16 x 9) instead of a size, is ignored


def edid_size_mm(edid: bytes) -> tuple[int, int] | None:
    """Width and height of the picture in mm from the first detailed timing descriptor, or None."""
    if len(edid) < 128 or edid[:8] != EDID_HEADER or edid[54:56] == b"\0\0":
        return None  # not an EDID, or no timing descriptor at its first place
    width = edid[66] | (edid[68] & 0xF0) << 4
    height = edid[67] | (edid[68] & 0x0F) << 8
    low, high = PLAUSIBLE_MM
    return (width, height) if low <= width <= high and low <= height <= high else None


def connected_size_mm(drm: Path = DRM) -> tuple[int, int] | None:
    """The size of the first connected display that reports one (the kiosk has a single panel)."""
    for connector in sorted(drm.glob("card*-*")):
        try:
            if (connector / "status").read_text().strip() != "connected":
                continue
            size = edid_size_mm((connector / "edid").read_bytes())
        except OSError:
            continue
        if size:
            log.info("panel %s reports %d x %d mm", connector.name, *size)
            return size
    return None
