"""The start screen is the first question: the question, its answers, the languages, read-aloud and feedback.

A citizen who reads Danish taps their errand at once; anyone else chooses their language
first and the same screen comes back in it (that is not a step, and Back does not undo
it).  Every button carries its words, and the targets stand at least 4 mm apart.

A wide panel (10", 21.5") has room for everything at once: the languages down the left,
each flag with its name, and read-aloud and "Tell us how it went" beside the question.
The 7" panel (86 mm high) holds three rows of 20 mm targets 4 mm apart, and a column
beside the answers would be one target wide, too narrow for "Українська" or "Vorlesen"
at 24 pt.  So there the answers take two rows, and a row under them holds the language
button (all the flags, "Sprog"; it opens the languages, each with its name), read-aloud
and feedback, each with its words.  Feedback is the last of that row, far from
the answers, worded as a question about the visit, so nobody takes it for the way to a ticket.
"""
from __future__ import annotations

from kivy.clock import Clock

from kiosk import flags, textfit
from kiosk.feedback_view import FeedbackButton
from kiosk.i18n import tr
from kiosk.screens.languages import LanguagePicker, language_button
from kiosk.screens.question import AnswersScreen
from kiosk.widgets import KioskButton


class StartScreen(AnswersScreen):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.parts = {name: self.ids[name].__self__ for name in ("frame", "main", "languages", "secondary", "toolbar")}
        # strong references: kv's ids are weak, and a part out of the tree would be collected
        self.read_aloud = KioskButton(style="nav", icon="speaker")
        self.read_aloud.bind(on_release=lambda _b: self.app.read_aloud())
        self.feedback = FeedbackButton()
        self.language = KioskButton(style="quiet")
        self.language.bind(on_release=lambda _b: LanguagePicker().open_now())
        self._even_out_soon = Clock.create_trigger(self.even_out, 0)

    def refresh(self) -> None:
        super().refresh()
        app = self.app
        self.read_aloud.text = tr(app.lang, "read_aloud")
        if app.wide:
            self._beside_the_question()
        else:
            self._under_the_answers()
        for labels in self._rows():  # bound before the first layout: every box that settles evens out again
            for label in labels:
                label.funbind("size", self._even_out_soon)
                label.fbind("size", self._even_out_soon)
        self._even_out_soon()

    def columns(self, cells: int) -> int:
        """The 7" panel: two rows of answers (the third row is the language, read-aloud and feedback)."""
        return super().columns(cells) if self.app.wide else max(1, (cells + 1) // 2)

    def _beside_the_question(self) -> None:
        ids = self.parts
        self._place(ids["languages"], ids["frame"], first=True)
        ids["main"].remove_widget(ids["toolbar"])
        box = ids["languages"]
        box.clear_widgets()
        for lang in self.app.site.languages:
            box.add_widget(language_button(lang, lang == self.app.lang, self.app.choose_language))
        for button in self._tools(self.read_aloud, self.feedback):
            self._place(button, ids["secondary"])
            button.orientation, button.size_hint_x = "vertical", None
            button.width = self.app.nav_width * (1.2 if button is self.feedback else 1)

    def _under_the_answers(self) -> None:
        ids = self.parts
        if ids["languages"].parent:
            ids["frame"].remove_widget(ids["languages"])
        self._place(ids["toolbar"], ids["main"])
        site = self.app.site
        self.language.text = tr(self.app.lang, "language")
        self.language.icon = flags.group_icon(site.languages)
        for button in self._tools(self.language, self.read_aloud, self.feedback):
            self._place(button, ids["toolbar"])
            button.orientation = "horizontal"
            button.size_hint_x = 1.25 if button is self.feedback else 1  # its words are the longest

    def _tools(self, *buttons):
        """These buttons, without read-aloud where the kiosk cannot speak (it leaves its place)."""
        if not self.app.can_speak and self.read_aloud.parent:
            self.read_aloud.parent.remove_widget(self.read_aloud)
        return [b for b in buttons if b is not self.read_aloud or self.app.can_speak]

    def even_out(self, *_):
        """Every answer's words in one size, the largest at which all fit, and the tools' likewise: a row
        of buttons whose words come in different sizes looks unsettled, the smaller ones less important.
        Not below the screen's smallest text: a site label too long for that shrinks alone (and is logged)."""
        app = self.app
        for labels in self._rows():
            best = {label: textfit.best_size(label.text, app.body, app.min_font, label.font_name, *label.box,
                                             label.line_height)[0] for label in labels}
            common = max(min(best.values(), default=app.body), app.text_floor("start"))
            for label, size in best.items():
                label.max_font = min(common, size)

    def _rows(self):
        """The labels of the answers, and of the tools row under them on the 7" panel."""
        rows = [self.ids.answers.children, [] if self.app.wide else self.parts["toolbar"].children]
        return [[b.ids.label for b in buttons if isinstance(b, KioskButton) and b.ids.label.text] for buttons in rows]

    @staticmethod
    def _place(widget, parent, first: bool = False) -> None:
        """Move ``widget`` into ``parent`` (at the end, or first) unless it is already there."""
        if widget.parent is parent:
            return
        if widget.parent is not None:
            widget.parent.remove_widget(widget)
        parent.add_widget(widget, index=len(parent.children) if first else 0)

    def spoken(self) -> str:
        return f"{tr(self.app.lang, 'welcome')}. {super().spoken()}"
