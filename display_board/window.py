"""The board's window; call ``configure`` before anything imports ``kivy.core.window``.

The settings shared with the kiosk are ``reception.window``'s.  The board adds a fixed
size, no anti-aliasing pass, and a main loop that an MQTT message wakes at once.
"""
from __future__ import annotations

from reception import window


def configure(size: tuple[int, int] = (1280, 720), *, fullscreen: bool = False) -> None:
    window.configure(size, fullscreen=fullscreen, settings=(
        # A message from MQTT wakes the main loop at once instead of waiting for the next frame slot.
        ("kivy", "kivy_clock", "interrupt"),
        ("graphics", "multisamples", "0"),  # flat colours and text need no anti-aliasing pass
        ("graphics", "resizable", "0"),
    ))
