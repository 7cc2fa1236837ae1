"""The start screen is the first question: the question, its answers, and the languages beside them.

A citizen who reads Danish taps their errand at once; anyone else taps their language
first and the same screen comes back in it (that is not a step, and Back does not undo
it).  The language buttons stay visible, light so the dark errands stand out, the
chosen one marked yellow: each shows its flag, and its name in its own words where the
panel has room for the name at body size (on the 7" panel the flags stand alone).
The welcome is spoken (read-aloud), not written: the question it would push aside keeps 24 pt.
"""
from __future__ import annotations

from kiosk import flags
from kiosk.i18n import LANGUAGE_NAMES, tr
from kiosk.screens.question import AnswersScreen
from kiosk.widgets import KioskButton


class StartScreen(AnswersScreen):
    def refresh(self) -> None:
        super().refresh()
        box = self.ids.languages
        box.clear_widgets()
        for lang in self.app.site.languages:
            flag = flags.icon_name(lang)
            button = KioskButton(text=LANGUAGE_NAMES.get(lang, lang), style="quiet", orientation="vertical",
                                 icon=flag, icon_only=bool(flag) and not self.app.wide, icon_share=0.45,
                                 selected=lang == self.app.lang)
            button.bind(on_release=lambda _b, lang=lang: self.app.choose_language(lang))
            box.add_widget(button)

    def spoken(self) -> str:
        return f"{tr(self.app.lang, 'welcome')}. {super().spoken()}"
