"""A question from the site's tree: up to six answers, each with a pictogram where there is room."""
from __future__ import annotations

from kiosk.screens import KioskScreen
from kiosk.widgets import KioskButton


class QuestionScreen(KioskScreen):
    def refresh(self) -> None:
        question, lang = self.app.flow.question(), self.app.lang
        self.ids.title.text = question.text.get_text(lang)
        grid = self.ids.answers
        grid.clear_widgets()
        grid.cols = 1 if len(question.answers) <= 3 else 2
        for i, answer in enumerate(question.answers):
            button = KioskButton(text=answer.label.get_text(lang), icon=answer.icon,
                                 show_icon=grid.cols == 1 or self.app.wide)
            button.bind(on_release=lambda _b, i=i: self.app.answer(i))
            grid.add_widget(button)

    def spoken(self) -> str:
        question, lang = self.app.flow.question(), self.app.lang
        return " ".join([question.text.get_text(lang)] + [f"{a.label.get_text(lang)}." for a in question.answers])
