"""The languages on the 7" panel: each flag with the language's name in its own words, over the start screen.

The start screen there has no room for a column of named languages beside the answers
(see ``kiosk.screens.start``), so its language button opens this view: one tap more for
a citizen who does not read Danish, and every language readable by name.  Choosing one
closes it on the start screen in that language; Back closes it unchanged, and so does
the idle reset.
"""
from __future__ import annotations

import time
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.uix.modalview import ModalView

from kiosk import flags
from kiosk.i18n import LANGUAGE_NAMES
from kiosk.screens import load_kv
from kiosk.widgets import KioskButton


def language_button(lang: str, selected: bool, choose) -> KioskButton:
    """A language's flag with its name in its own words, light, yellow when it is the chosen one."""
    button = KioskButton(text=LANGUAGE_NAMES.get(lang, lang), style="quiet", orientation="vertical",
                         icon=flags.icon_name(lang), icon_share=0.45, selected=selected)
    button.bind(on_release=lambda _b: choose(lang))
    return button


class LanguagePicker(ModalView):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._timer = None

    @property
    def app(self):
        return App.get_running_app()

    def on_pre_open(self):
        """Filled as it opens (``on_open`` comes only after the opening animation): a finger may be there first."""
        app = self.app
        app.guard_taps()  # the second half of a shaky double tap must not choose a language
        grid = self.ids.choices
        grid.clear_widgets()
        for lang in app.site.languages:
            grid.add_widget(language_button(lang, lang == app.lang, self.choose))
        self._timer = Clock.schedule_interval(self._idle_tick, 0.5)

    def on_dismiss(self):
        if self._timer is not None:
            self._timer.cancel()

    def open_now(self) -> None:
        """Open at once, like the kiosk's screens, not fading in while a finger may already tap."""
        self.open(animation=False)

    def close(self) -> None:
        self.dismiss(animation=False)

    def choose(self, lang: str) -> None:
        self.close()
        self.app.choose_language(lang)

    def _idle_tick(self, _dt) -> None:
        app = self.app
        if time.monotonic() - app.last_touch >= app.site.kiosk.idle_reset_seconds:
            self.close()


load_kv(Path(__file__).parent / "languages.kv")
