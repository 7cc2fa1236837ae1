"""The few widgets every kiosk screen is made of: self-fitting text and big buttons.

Sizes come from the app (``app.target``, ``app.body``...), which derives them from
the panel's physical density, so the kv files never hold a pixel number.
"""
from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import AliasProperty, BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk import textfit
from kiosk.icons import Icon  # noqa: F401  (registered for kv)


class FitLabel(Label):
    """A wrapping label that picks the largest font in [min_font, max_font] at which it fits its box."""

    max_font = NumericProperty(30)
    min_font = NumericProperty(20)
    fits = BooleanProperty(True)

    def __init__(self, **kwargs):
        self._refit = Clock.create_trigger(self.refit, -1)
        super().__init__(**kwargs)
        self.bind(text=self._refit, size=self._refit, max_font=self._refit, min_font=self._refit,
                  font_name=self._refit)
        self._refit()

    @property
    def box(self) -> tuple[float, float]:
        left, top, right, bottom = self.padding
        return max(0.0, self.width - left - right), max(0.0, self.height - top - bottom)

    def refit(self, *_):
        w, h = self.box
        size, ok = textfit.best_size(self.text, self.max_font, self.min_font, self.font_name, w, h,
                                     self.line_height)
        self.font_size = size
        self.fits = ok
        self.text_size = self.size  # Kivy keeps the padding inside text_size


class KioskButton(ButtonBehavior, BoxLayout):
    """A touch target at least ``app.target`` on each side: icon, text, optional detail line.

    ``style`` picks the colours (answer, primary, nav, option; quiet: light with dark text, for the
    optional ways aside); ``selected`` shows a ticked option.  An ``icon_only`` button keeps its
    ``text`` for read-aloud and tests but shows only its pictogram, as large as the button allows.
    """

    text = StringProperty("")
    detail = StringProperty("")
    icon = StringProperty("")
    style = StringProperty("answer")
    selected = BooleanProperty(False)
    show_icon = BooleanProperty(True)
    icon_only = BooleanProperty(False)  # the pictogram alone, where the words would not fit at body size
    icon_share = NumericProperty(0.32)  # of the height, for a pictogram above the words

    def _text_colour(self) -> str:
        """The theme colour of the text and icon (each pair is checked for 7:1 contrast)."""
        return "selected_text" if self.selected else "text" if self.style == "quiet" else "button_text"

    text_colour = AliasProperty(_text_colour, None, bind=("selected", "style"))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bind(icon=self._place_icon, show_icon=self._place_icon, orientation=self._place_icon,
                  size=self._place_icon, icon_only=self._place_icon, icon_share=self._place_icon)
        self._place_icon()

    def _place_icon(self, *_):
        """Beside the text in a wide button, above it in a tall one; no room taken without an icon."""
        icon = self.ids.get("icon")
        if icon is None:
            return
        app = App.get_running_app()
        words = self.ids.words
        words.size_hint, words.size = ((None, None), (0, 0)) if self.icon_only else ((1, 1), words.size)
        self.spacing = app.gap * 0.6 if self.icon and self.show_icon and not self.icon_only else 0
        if not (self.icon and self.show_icon):
            icon.size_hint, icon.size = (None, None), (0, 0)
        elif self.icon_only:
            icon.size_hint = (1, 1)
        elif self.orientation == "horizontal":
            icon.size_hint = (None, 1)
            icon.width = min(self.height * 0.5, app.target * 0.8)
        else:
            icon.size_hint = (1, self.icon_share)

    def on_touch_down(self, touch):
        app = App.get_running_app()
        if self.collide_point(*touch.pos) and app is not None and app.input_blocked():
            return True  # swallow the second half of a shaky double tap
        return super().on_touch_down(touch)
