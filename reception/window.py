"""Kivy window settings shared by the kiosk and the display board, applied before Kivy opens
its one window (it reads them only once, when ``kivy.core.window`` is first imported).

Kiosk mode on a Pi: fullscreen, no decorations, no mouse cursor, Escape does nothing.  In
development and tests: a plain window of the asked size.  Kivy is imported inside
``configure``, so a desk unit (no Kivy) can import the ``reception`` package.
"""
from __future__ import annotations

import logging
import os


def parse_size(text: str) -> tuple[int, int]:
    """``"1280x720"`` as (1280, 720)."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"size must look like 1280x720, not {text!r}") from None
    return width, height


class FollowRootLevel(logging.Filter):
    """Kivy sets its logger's level from its own config file when imported (info: a dozen lines of
    versions and GL details); keep only what our level (``reception -v`` or not) lets through."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.getLogger().getEffectiveLevel()


def configure(size: tuple[int, int], *, fullscreen: bool, settings: tuple[tuple[str, str, str], ...] = ()) -> None:
    """The window both screens share, plus each one's own ``(section, key, value)`` settings."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # our own argparse owns the command line
    os.environ.setdefault("KIVY_NO_FILELOG", "1")  # journald keeps the log on the appliance
    # Kivy logs through our logging set-up (reception.cli), once, at its level (-v for debug), instead of
    # adding a console handler of its own and setting the root logger to its level: each line twice, PIL's debug too.
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    kivy_log = logging.getLogger("kivy")  # the logger Kivy takes over on import
    if not any(isinstance(f, FollowRootLevel) for f in kivy_log.filters):
        kivy_log.addFilter(FollowRootLevel())
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")  # a stray keyboard must not close a screen the public uses
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("graphics", "width", str(size[0]))
    Config.set("graphics", "height", str(size[1]))
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    for section, key, value in settings:
        Config.set(section, key, value)
