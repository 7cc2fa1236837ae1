"""Widgets the board's kv files use: a label that shrinks its text until it fits, never clipping it.

Desk names, reasons and messages come from the site file in up to four languages, so
no fixed font size fits them all at both resolutions.  ``BoardLabel`` starts at
``max_font_size`` and steps down until the text fits its box (on one line, or
wrapped when ``wrap`` is set), stopping at ``min_font_size``.  Labels of one ``FitGroup``
(the names of the waits rows, say) then all take the smallest of their sizes, so rows that
belong together read as one table instead of a ransom note.

Fitting renders the text at each size it tries, on Kivy's thread, in the frame that
shows it.  A call moves every number and desk name one place down the list, into a
box of the same size as before: each label remembers the sizes it found, by text and box,
so a call's frame renders each changed text once instead of once per size tried.
"""
from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.label import Label

STEP = 0.92
FITS_KEPT = 512  # fitted sizes remembered (by text and box); the numbers of a day and the desk names


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
        key = (self.text, self.font_name, self.bold, self.wrap, tuple(self.size), tuple(self.padding), self.line_height,
               self.max_font_size, self.min_font_size)
        size = _FITS.get(key)
        if size is None:
            size = self._largest_fitting()
            if len(_FITS) >= FITS_KEPT:
                _FITS.clear()
            _FITS[key] = size
        self.fitted = size
        if self.fit_group:
            self.fit_group.settle()
        else:
            self.apply_size(size)

    def _largest_fitting(self) -> float:
        size = self.max_font_size
        while True:
            self.font_size = size
            width, height = self.natural_size()
            if (width <= self.width and height <= self.height) or size <= self.min_font_size:
                return size
            size = max(self.min_font_size, size * STEP)

    def apply_size(self, size: float) -> None:
        self.font_size = size
        self.text_size = self.size  # lets halign/valign place the text inside the box
        self.texture_update()


_FITS: dict[tuple, float] = {}
