"""Widgets the board's kv files use: a label that shrinks its text until it fits, never clipping it.

Desk names, reasons and messages come from the site file in up to four languages, so
no fixed font size fits them all at both resolutions.  ``BoardLabel`` starts at
``max_font_size`` and steps down until the text fits its box (on one line, or
wrapped when ``wrap`` is set), stopping at ``min_font_size``.  Labels of one ``FitGroup``
(the names of the waits rows, say) then all take the smallest of their sizes, so rows that
belong together read as one table instead of a ransom note.
"""
from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.label import Label

STEP = 0.92


class FitGroup:
    """Labels that share one font size: the largest at which every one of them fits."""

    def __init__(self):
        self.labels: list["BoardLabel"] = []

    def add(self, label: "BoardLabel") -> None:
        self.labels.append(label)
        label.fit_group = self

    def settle(self) -> None:
        sizes = [label.fitted for label in self.labels if label.text and label.fitted]
        for label in self.labels:
            label.apply_size(min(sizes) if sizes else label.fitted)


class BoardLabel(Label):
    max_font_size = NumericProperty(24)
    min_font_size = NumericProperty(10)
    wrap = BooleanProperty(False)
    fit_group = ObjectProperty(None, allownone=True)
    fitted = NumericProperty(0)  # the size this label alone would take

    def __init__(self, **kwargs):
        self._fit_soon = Clock.create_trigger(self.fit, -1)
        super().__init__(**kwargs)
        self.bind(size=self._fit_soon, text=self._fit_soon, max_font_size=self._fit_soon, wrap=self._fit_soon)

    def natural_size(self) -> tuple[float, float]:
        """The text's size at the current font without any box to clip it (wrapped at our width if ``wrap``)."""
        self.text_size = (self.width, None) if self.wrap else (None, None)
        self.texture_update()
        return self.texture_size

    def fit(self, *_args) -> None:
        if self.width < 2 or self.height < 2:
            return
        size = self.max_font_size
        while True:
            self.font_size = size
            width, height = self.natural_size()
            if (width <= self.width and height <= self.height) or size <= self.min_font_size:
                break
            size = max(self.min_font_size, size * STEP)
        self.fitted = size
        if self.fit_group:
            self.fit_group.settle()
        else:
            self.apply_size(size)

    def apply_size(self, size: float) -> None:
        self.font_size = size
        self.text_size = self.size  # lets halign/valign place the text inside the box
        self.texture_update()
