"""Volunteer or staff, with the expected wait for each; when no volunteer is in, when they next are."""
from __future__ import annotations

from kiosk.i18n import tr
from kiosk.screens import KioskScreen
from kiosk.waits import expected_wait, volunteers_in
from kiosk.widgets import KioskButton, FitLabel
from kiosk import textfit

SESSIONS_ON_SCREEN = {False: 1, True: 2}  # small panel, wide panel: room for the sessions at a readable size


class ChoiceScreen(KioskScreen):
    def refresh(self) -> None:
        app = self.app
        board, service = app.services.link.board, app.flow.state.service
        # The last snapshot still says who was in; its waits were true only while the hub was there.
        waits = board if app.services.link.hub_online else None
        box = self.ids.options
        box.clear_widgets()
        here = volunteers_in(board)
        self.ids.title.text = tr(app.lang, "choice_title" if here else "choice_title_staff")
        if here:
            box.add_widget(self._option("volunteer", "choice_volunteer", expected_wait(waits, service, "volunteer")))
        else:
            box.add_widget(FitLabel(text=self.sessions_text(), font_name=textfit.FONT, size_hint_y=2.2 if app.wide else 1.0,
                                    halign="left"))
        box.add_widget(self._option("staff", "choice_staff", expected_wait(waits, service, "staff")))

    def sessions_text(self) -> str:
        """The title says nobody is in; this says plainly when volunteers are next here, and (where
        there is room) where else they help; with no session here planned, where they are next."""
        app, lang = self.app, self.app.lang
        here = app.next_volunteers_here()
        elsewhere = app.next_sessions(SESSIONS_ON_SCREEN[app.wide] - 1 if here else 1, elsewhere=bool(here))
        lines = ([here] if here else []) + ([tr(lang, "next_sessions"), *elsewhere] if elsewhere else [])
        return "\n".join(lines)

    def _option(self, kind: str, key: str, eta: int | None) -> KioskButton:
        lang = self.app.lang
        button = KioskButton(text=tr(lang, key), icon=kind, style="answer",
                             detail=tr(lang, "wait_about", minutes=eta) if eta is not None else "")
        button.bind(on_release=lambda _b: self.app.choose(kind))
        return button

    def spoken(self) -> str:
        parts = [self.ids.title.text]
        for child in reversed(self.ids.options.children):
            parts.append(f"{child.text}. {getattr(child, 'detail', '')}".strip())
        return " ".join(parts)
