"""Window settings, applied before Kivy opens its one window (it reads them only once, at import).

Kiosk mode on the Pi: fullscreen, no decorations, no mouse cursor.  In development and
tests: a plain window of the asked size.
"""
from __future__ import annotations

import os

SIZES = ((1920, 1080), (1280, 720))


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"size must look like 1280x720, not {text!r}") from None
    return width, height


def configure(size: tuple[int, int] = (1280, 720), *, fullscreen: bool = False) -> None:
    """Must run before anything imports ``kivy.core.window``."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # our own argparse owns the command line
    os.environ.setdefault("KIVY_NO_FILELOG", "1")  # journald keeps the log on the appliance
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")  # a stray keyboard must not close the waiting room's screen
    # A message from MQTT wakes the main loop at once instead of waiting for the next frame slot.
    Config.set("kivy", "kivy_clock", "interrupt")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("graphics", "multisamples", "0")  # flat colours and text need no anti-aliasing pass
    Config.set("graphics", "width", str(size[0]))
    Config.set("graphics", "height", str(size[1]))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
