"""The start screen: welcome, and one large button per language (Danish first)."""
from __future__ import annotations

from kiosk.i18n import LANGUAGE_NAMES, tr
from kiosk.screens import KioskScreen
from kiosk.widgets import KioskButton


class StartScreen(KioskScreen):
    def refresh(self) -> None:
        box = self.ids.languages
        box.clear_widgets()
        for lang in self.app.site.languages:
            button = KioskButton(text=LANGUAGE_NAMES.get(lang, lang), style="answer", show_icon=False,
                                 selected=lang == self.app.lang)
            button.bind(on_release=lambda _b, lang=lang: self.app.choose_language(lang))
            box.add_widget(button)

    def spoken(self) -> str:
        return f"{tr(self.app.lang, 'welcome')}. {tr(self.app.lang, 'choose_language')}."
