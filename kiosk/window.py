"""The kiosk's window; call ``configure`` before anything imports ``kivy.core.window``.

The settings shared with the board are ``reception.window``'s.  The kiosk adds a
resizable window in development, the system keyboard, and its way out: in kiosk mode
only the staff key combination (``STAFF_EXIT``) closes the app.
"""
from __future__ import annotations

from reception import window

STAFF_EXIT = ({"ctrl", "alt", "shift"}, "q")  # Ctrl+Alt+Shift+Q


def configure(width: int = 800, height: int = 480, *, fullscreen: bool = False) -> None:
    window.configure((width, height), fullscreen=fullscreen, settings=(
        ("kivy", "keyboard_mode", "system"),
        ("graphics", "resizable", "0" if fullscreen else "1"),
    ))


def is_staff_exit(modifiers, codepoint) -> bool:
    keys, letter = STAFF_EXIT
    return keys <= set(modifiers or ()) and (codepoint or "").lower() == letter
