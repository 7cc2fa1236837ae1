"""Extra needs, offered discreetly and only on request ("Special requests" on a question screen).

Tick any that apply (appointment, carer, private talk); Continue or Back returns to the
question the citizen came from, with the ticks kept for the ticket.
"""
from __future__ import annotations

from kiosk.i18n import tr
from kiosk.screens import KioskScreen
from kiosk.widgets import KioskButton


class ExtrasScreen(KioskScreen):
    def refresh(self) -> None:
        app, lang = self.app, self.app.lang
        box = self.ids.options
        box.clear_widgets()
        for key in app.flow.extras_offered():
            ticked = key in app.flow.state.extras
            button = KioskButton(text=app.site.extras[key].label.get_text(lang), style="option",
                                 icon="check" if ticked else "box", selected=ticked)
            button.bind(on_release=lambda _b, key=key: self.app.toggle_extra(key))
            box.add_widget(button)

    def spoken(self) -> str:
        lang = self.app.lang
        labels = [self.app.site.extras[k].label.get_text(lang) for k in self.app.flow.extras_offered()]
        return " ".join([tr(lang, "extras_title")] + [f"{label}." for label in labels] + [tr(lang, "extras_continue")])
