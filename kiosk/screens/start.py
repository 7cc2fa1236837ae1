"""The start screen is the first question: welcome, its answers, and the languages beside them.

A citizen who reads Danish taps their errand at once; anyone else taps their language
first and the same screen comes back in it (that is not a step, and Back does not undo
it).  The language buttons stay visible, light so the dark errands stand out, the
chosen one marked yellow.
"""
from __future__ import annotations

from kiosk.i18n import LANGUAGE_NAMES, tr
from kiosk.screens.question import AnswersScreen
from kiosk.widgets import KioskButton


class StartScreen(AnswersScreen):
    def refresh(self) -> None:
        super().refresh()
        box = self.ids.languages
        box.clear_widgets()
        for lang in self.app.site.languages:
            button = KioskButton(text=LANGUAGE_NAMES.get(lang, lang), style="quiet", show_icon=False,
                                 selected=lang == self.app.lang)
            button.bind(on_release=lambda _b, lang=lang: self.app.choose_language(lang))
            box.add_widget(button)

    def title_text(self) -> str:
        return f"{tr(self.app.lang, 'welcome')}. {super().title_text()}"
