"""No code: the next hour's appointments not yet checked in, by time and service, from the hub's retained list.

Each row is one appointment: its time, large, beside its service.  Nothing else about it
is known here (no code, no desk, nobody's name).  The rows a panel has room for at 20 mm
make a page; "More times" turns it (after the last page, the first again: one button, one way).  "My time
is not here" is always there and gives an ordinary number.  While the hub is away the list
is not shown (it may be stale, and a time picked from it could not be checked): the
screen says so calmly, and the same button, now "Get a number", gives a number; so it does,
and says to tell the desk about the appointment, when the hour has no times to pick.
"""
from __future__ import annotations

from kivy.app import App
from kivy.properties import NumericProperty

from kiosk.check_in import page_of
from kiosk.i18n import tr
from kiosk.screens import KioskScreen
from kiosk import textfit
from kiosk.widgets import FitLabel, KioskButton


class SlotButton(KioskButton):
    """One appointment: the time (``text``) beside the service (``detail``), as one 20 mm target."""

    def __init__(self, **kwargs):
        super().__init__(orientation="horizontal", **kwargs)
        app = App.get_running_app()
        words, label, detail = self.ids.words, self.ids.label, self.ids.detail
        words.orientation, words.spacing = "horizontal", app.gap
        label.size_hint_x, label.width, label.halign = None, app.title_font * 3.4, "left"  # "10:30" at title size
        label.max_font = app.title_font
        detail.size_hint, detail.halign = (1, 1), "left"


class SlotsScreen(KioskScreen):
    page = NumericProperty(0)
    pages = NumericProperty(1)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._rows_shown = 0
        self._drawn = None  # what the list shows now: the board's updates redraw nothing under a finger
        self.ids.slots.bind(height=lambda *_: self._resized())  # a page holds what the laid-out list has room for

    def slots(self) -> list:
        """The hub's list while the hub is there; None while it is away (then nothing is offered)."""
        link = self.app.services.link
        if not link.hub_online:
            return None
        return list(link.appointments.slots) if link.appointments else []

    def refresh(self) -> None:
        """Draw the list, from its first page when the citizen comes to it, only if anything changed."""
        if self.manager and self.manager.current != self.name:
            self.page = 0
        slots = self.slots()
        now = lambda: (self.app.lang, slots and tuple(slots), self.page, self.rows())  # noqa: E731
        if now() != self._drawn:
            self._draw(slots)
            self._drawn = now()

    def _draw(self, slots: list | None) -> None:
        lang = self.app.lang
        self.ids.title.text = tr(lang, "slots_offline" if slots is None else "slots_title" if slots else "slots_none")
        not_listed = self.ids.not_listed
        not_listed.text = tr(lang, "not_listed" if slots else "get_number")
        not_listed.style = "quiet" if slots else "primary"  # with nothing to pick, the number is the way on
        grid = self.ids.slots
        grid.clear_widgets()
        grid.row_force_default = bool(slots)
        if not slots:
            grid.add_widget(FitLabel(text=tr(lang, "slots_help"), font_name=textfit.FONT))
        self._rows_shown = self.rows()  # one column, in time order: two would squeeze the services' words
        shown, self.page, count = page_of(slots or [], self.page, self._rows_shown)
        for slot in shown:
            grid.add_widget(self._row(slot))
        self.pages = count
        more = self.ids.more
        more.disabled, more.opacity = count < 2, 1 if count > 1 else 0

    def rows(self) -> int:
        """The rows of 20 mm that the list's box holds."""
        app = self.app
        return max(1, int((self.ids.slots.height + app.gap) // (app.target + app.gap)))

    def turn(self) -> None:
        """The next page, or the first after the last."""
        self.page = (self.page + 1) % max(1, self.pages)
        self.refresh()

    def _resized(self) -> None:
        if self.app and self.app.root and self.app.root.current == self.name and self.rows() != self._rows_shown:
            self.refresh()

    def _row(self, slot) -> SlotButton:
        app = self.app
        service = app.site.services.get(slot.service)
        button = SlotButton(text=slot.at.astimezone(app.site.tz).strftime("%H:%M"),
                            detail=service.name.get_text(app.lang) if service else slot.service)
        button.bind(on_release=lambda _b: self.app.pick_slot(slot))
        return button

    def spoken(self) -> str:
        parts = [self.ids.title.text + "."]
        parts += [f"{row.text}, {row.detail}." if isinstance(row, SlotButton) else row.text
                  for row in reversed(self.ids.slots.children)]
        return " ".join(parts + [f"{self.ids.not_listed.text}."])
