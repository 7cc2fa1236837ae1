"""One module and one kv file per kiosk screen; each renders ``app.flow`` and calls the app."""
from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.screenmanager import Screen

KV_DIR = Path(__file__).parent


class KioskScreen(Screen):
    """Base: ``refresh`` redraws from the flow; ``spoken`` is what the speaker button reads."""

    @property
    def app(self):
        return App.get_running_app()

    def refresh(self) -> None:
        pass

    def spoken(self) -> str:
        return ""


def load_kv(path: str | Path) -> None:
    """Load a kv file once per process (tests build the app more than once)."""
    path = str(path)
    if path not in Builder.files:
        Builder.load_file(path)
