"""The panel's real size: EDID from DRM's sysfs files, and the density the kiosk takes from it."""
from __future__ import annotations

import pytest

from kiosk import panel, theme


def edid(width_mm: int, height_mm: int, width_px: int = 1024, height_px: int = 600) -> bytes:
    """A 128-byte EDID block as a panel sends it: header, and the first detailed timing descriptor
    with its pixels and its size in mm (bytes 66-68), checksum last."""
    block = bytearray(128)
    block[:8] = panel.EDID_HEADER
    block[21], block[22] = width_mm // 10, height_mm // 10  # the coarse size in cm, which we do not use
    dtd = block[54:72]
    dtd[0:2] = (5120).to_bytes(2, "little")  # pixel clock 51.2 MHz: a timing descriptor, not a text one
    dtd[2], dtd[4] = width_px & 0xFF, (width_px >> 8) << 4
    dtd[5], dtd[7] = height_px & 0xFF, (height_px >> 8) << 4
    dtd[12], dtd[13], dtd[14] = width_mm & 0xFF, height_mm & 0xFF, (width_mm >> 8) << 4 | height_mm >> 8
    block[54:72] = dtd
    block[127] = -sum(block[:127]) % 256
    return bytes(block)


def connector(drm, name, status, data=b""):
    folder = drm / name
    folder.mkdir()
    (folder / "status").write_text(status + "\n")
    (folder / "edid").write_bytes(data)


def test_the_size_in_mm_comes_from_the_first_timing_descriptor():
    assert panel.edid_size_mm(edid(154, 86)) == (154, 86)
    assert panel.edid_size_mm(edid(1210, 680)) == (1210, 680)  # a 55" TV: the high bits of byte 68
    assert panel.edid_size_mm(edid(16, 9)) is None  # a TV giving its aspect ratio, not its size
    assert panel.edid_size_mm(b"") is None and panel.edid_size_mm(b"\x00" * 128) is None


def test_the_connected_panel_with_an_edid_is_measured(tmp_path):
    connector(tmp_path, "card1-DSI-1", "connected")  # the Pi's own panel: no EDID
    connector(tmp_path, "card1-HDMI-A-1", "disconnected", edid(600, 340))
    connector(tmp_path, "card1-HDMI-A-2", "connected", edid(154, 86))
    assert panel.connected_size_mm(tmp_path) == (154, 86)
    assert panel.connected_size_mm(tmp_path / "none") is None


@pytest.mark.parametrize("size,panel_mm,dpi", [
    ((1024, 600), (154, 86), 168.9),  # a 7" 1024x600 panel, measured: 20 mm = 133 px
    ((1024, 600), None, 169.5),  # not measured: taken as 7", never as the 133 dpi of 800x480
    ((800, 480), None, 133.0),  # the Pi's own panel, known by its pixels
    ((1920, 1080), (476, 268), 102.5),
])
def test_the_density_follows_the_panel(size, panel_mm, dpi):
    profile = theme.ScreenProfile.for_size(*size, panel_mm=panel_mm)
    assert profile.dpi == pytest.approx(dpi, abs=0.1)
    assert theme.ScreenProfile.for_size(*size, dpi=150, panel_mm=panel_mm).dpi == 150  # --dpi wins
