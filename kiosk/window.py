"""Kivy window settings; call ``configure`` before anything imports ``kivy.core.window``.

Development: a normal window of the chosen size.  Kiosk mode: fullscreen, no
decorations, no cursor, Escape does nothing; only the staff key combination
(``STAFF_EXIT``) closes the app.
"""
from __future__ import annotations

import os

STAFF_EXIT = ({"ctrl", "alt", "shift"}, "q")  # Ctrl+Alt+Shift+Q


def configure(width: int = 800, height: int = 480, *, fullscreen: bool = False) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "keyboard_mode", "system")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("graphics", "resizable", "0" if fullscreen else "1")
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")


def is_staff_exit(modifiers, codepoint) -> bool:
    keys, letter = STAFF_EXIT
    return keys <= set(modifiers or ()) and (codepoint or "").lower() == letter
