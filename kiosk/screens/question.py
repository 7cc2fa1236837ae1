"""A question from the site's tree: up to six answers, each with a pictogram where there is room.

After the answers, in the same grid, a light "Special requests" button (outlined, dark
text) opens the optional extras screen and comes back here; its plus becomes a tick once
the citizen has chosen one.  The answers are the big dark buttons: the extra needs
never stand between a citizen and a ticket.
"""
from __future__ import annotations

from kivy.app import App

from kiosk.screens import KioskScreen
from kiosk.widgets import KioskButton


class NeedsButton(KioskButton):
    """The way to the extra needs: a plus, or a tick when some are chosen."""

    def follow(self, flow) -> None:
        self.icon = "check" if flow.state.extras & set(flow.extras_offered()) else "plus"

    def on_size(self, *_):
        """On the 7" panel a tall, narrow button puts its box above the words, so they keep 24 pt."""
        app = App.get_running_app()
        if app is not None:
            self.orientation = "vertical" if not app.wide and self.height > 1.5 * app.target else "horizontal"


class AnswersScreen(KioskScreen):
    """A question's answers in a grid, then "Special requests" where the site offers extra needs here."""

    _needs = None

    def refresh(self) -> None:
        flow, lang = self.app.flow, self.app.lang
        question = flow.question()
        self.ids.title.text = self.title_text()
        grid = self.ids.answers
        grid.clear_widgets()
        needs = self.needs_button() if flow.extras_offered() else None
        grid.cols = self.columns(len(question.answers) + bool(needs))
        for i, answer in enumerate(question.answers):
            button = KioskButton(text=answer.label.get_text(lang), icon=answer.icon,
                                 show_icon=grid.cols == 1 or self.app.wide)
            button.bind(on_release=lambda _b, i=i: self.app.answer(i))
            grid.add_widget(button)
        if needs:
            needs.follow(flow)
            grid.add_widget(needs)

    def columns(self, cells: int) -> int:
        """Up to three answers one under another with their pictograms; more in two columns."""
        return 1 if cells <= 3 else 2

    def needs_button(self) -> NeedsButton:
        if self._needs is None:
            self._needs = NeedsButton()
        return self._needs

    def title_text(self) -> str:
        return self.app.flow.question().text.get_text(self.app.lang)

    def spoken(self) -> str:
        question, lang = self.app.flow.question(), self.app.lang
        return " ".join([self.title_text()] + [f"{a.label.get_text(lang)}." for a in question.answers])


class QuestionScreen(AnswersScreen):
    """Any question after the first: Back, Read aloud and Start over in the left column."""
