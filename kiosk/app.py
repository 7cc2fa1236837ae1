"""The kiosk's Kivy app: screens follow ``flow``; services do the work off the UI thread.

Only this module and ``screens/`` know Kivy.  Every tap goes to one method here,
which moves the pure ``Flow`` on and shows the screen for its step.  Issuing and
printing are the services' (``KioskServices.issue``, on their worker); their results
come back through ``Clock.schedule_once``, never by touching widgets from another thread.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import NoTransition, ScreenManager

from reception import kivy_service, service_notify
from reception.sessions import next_here_text, next_sessions_text
from kiosk import flow as steps, textfit
from kiosk.check_in import outcome
from kiosk.flow import Flow
from kiosk.i18n import LANGUAGE_NAMES, tr
from kiosk.panel import connected_size_mm
from kiosk.screens import KV_DIR, load_kv
from kiosk.screens.choice import ChoiceScreen
from kiosk.screens.code import CodeScreen
from kiosk.screens.extras import ExtrasScreen
from kiosk.screens.question import QuestionScreen
from kiosk.screens.slots import SlotsScreen
from kiosk.screens.start import StartScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.services import KioskServices
from kiosk.theme import COMPACT_START_PT, ScreenProfile
from kiosk.widgets import FitLabel
from kiosk.window import is_staff_exit

log = logging.getLogger(__name__)

SCREENS = {steps.START: ("start", StartScreen), steps.QUESTION: ("question", QuestionScreen),
           steps.CHOICE: ("choice", ChoiceScreen), steps.EXTRAS: ("extras", ExtrasScreen),
           steps.TICKET: ("ticket", TicketScreen), steps.CODE: ("code", CodeScreen),
           steps.SLOTS: ("slots", SlotsScreen)}
TICKET_SECONDS = 25          # the ticket screen returns to the start by itself after this
TICKET_FAILED_SECONDS = 90   # ... or this, when the printer failed: the citizen must read the number


def on_ui(function, *args) -> None:
    """Run ``function(*args)`` on Kivy's thread, from any thread."""
    Clock.schedule_once(lambda _dt: function(*args))


class IdleWarning(ModalView):
    text = StringProperty("")


class KioskApp(App):
    lang = StringProperty("da")
    target = NumericProperty(100)
    body = NumericProperty(40)
    min_font = NumericProperty(30)
    title_font = NumericProperty(44)
    number_font = NumericProperty(160)
    gap = NumericProperty(10)
    target_gap = NumericProperty(16)
    nav_width = NumericProperty(160)
    language_width = NumericProperty(200)
    wide = BooleanProperty(False)
    can_speak = BooleanProperty(False)
    services = ObjectProperty(None, rebind=True)

    def __init__(self, services: KioskServices, *, dpi: float | None = None, tap_guard: float = 0.35,
                 kiosk_mode: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.title = "Borgerservice"
        self.dpi = dpi
        self.tap_guard = tap_guard
        self.kiosk_mode = kiosk_mode
        self.panel_mm = connected_size_mm() if kiosk_mode and not dpi else None  # a window: no panel
        self._blocked_until = 0.0
        self._last_touch = time.monotonic()
        self._ticket_timeout = None
        self._visit = 0
        self._voice = False  # the citizen asked for read-aloud: the keypad then says each digit
        self._refresh_trigger = Clock.create_trigger(self._hub_changed, 0.05)
        self._check_sizes_soon = Clock.create_trigger(self._check_sizes, 1.0)  # once the screen is laid out
        self._small_texts: set[tuple[str, str]] = set()
        self.idle_warning: IdleWarning | None = None
        self.use(services)

    # -- wiring ---------------------------------------------------------------

    def use(self, services: KioskServices) -> None:
        """Attach services (tests swap them between cases; the screens keep working)."""
        self.services = services
        self.site = services.site
        self.flow = Flow(services.site)
        self.lang = self.flow.lang
        self.can_speak = services.site.kiosk.read_aloud and services.speaker.available
        services.watch(self._refresh_trigger)
        if self.root:
            self.show()

    def build(self):
        load_kv(Path(__file__).parent / "widgets.kv")
        for name in ("question", "start", "choice", "extras", "ticket", "idle", "code", "slots"):
            load_kv(KV_DIR / f"{name}.kv")
        manager = ScreenManager(transition=NoTransition())
        for name, cls in SCREENS.values():
            manager.add_widget(cls(name=name))
        self.idle_warning = IdleWarning()
        Window.bind(on_resize=self.apply_profile, on_touch_down=self._touched, on_keyboard=self._on_key)
        self.apply_profile()
        self._clock_events = [Clock.schedule_interval(self._idle_tick, 0.5), *kivy_service.watch_main_loop()]
        Clock.schedule_once(lambda _dt: self.show(), 0)
        return manager

    def on_start(self):
        service_notify.ready("showing the start screen")

    def on_stop(self):
        """Leave the window to the next app (tests run several apps in one process)."""
        service_notify.stopping()
        Window.unbind(on_resize=self.apply_profile, on_touch_down=self._touched, on_keyboard=self._on_key)
        for event in self._clock_events:
            event.cancel()
        self._cancel_ticket_timeout()
        self.idle_warning.dismiss()

    def apply_profile(self, *_):
        """Sizes from the panel's density: targets of 20 mm, text of 24 pt, the number far larger."""
        p = ScreenProfile.for_size(int(Window.width), int(Window.height), self.dpi, self.panel_mm)
        old = getattr(self, "profile", None)
        if p.assumed and (old is None or (old.width, old.height) != (p.width, p.height)):
            log.warning("a %dx%d panel of unknown size: assuming 7\" (%.0f dpi); give --dpi if it is larger",
                        p.width, p.height, p.dpi)
        self.profile = p
        self.target, self.body, self.min_font = p.target, p.body, p.min_fit
        self.title_font, self.number_font, self.gap, self.target_gap = p.title, p.number, p.gap, p.target_gap
        # "wide": two columns of answers beside a 90 pt nav column are each >= 4.5 targets wide, room for
        # pictograms beside the words (fixed 90 pt, not the nav column below, which depends on "wide")
        self.wide = (Window.width - p.pt(90)) / 2 >= 4.5 * p.target
        # Back and Start over keep their words at body size; read-aloud too where the panel is wide
        # (on the 7" panel it is the speaker alone).  The language column: flags on the 7" panel, and
        # the languages' names under them on a wide one.
        nav_keys = ("back", "start_over", "read_aloud") if self.wide else ("back", "start_over")
        self.nav_width = self._column_for([tr(lang, key) for lang in self.site.languages for key in nav_keys])
        self.language_width = (self._column_for([LANGUAGE_NAMES.get(lang, lang) for lang in self.site.languages])
                               if self.wide else p.target)
        if self.root:
            self.show()

    def _column_for(self, texts: list[str]) -> float:
        """Width of a column of buttons whose every word fits at body size (and at least one target)."""
        p = self.profile
        words = max(textfit.longest_word(text, p.body, textfit.BOLD_FONT) for text in texts)
        return max(p.target, words + p.gap * 0.8 + p.body * 0.12 + 2)  # + the button's and the label's padding

    def t(self, key: str, lang: str) -> str:
        """A catalogue text; kv passes ``app.lang`` so the text follows a language change."""
        return tr(lang, key)

    # -- taps (one method per button) ---------------------------------------------

    def choose_language(self, lang):
        self._step(self.flow.choose_language, lang)

    def answer(self, index):
        self._step(self.flow.answer, index)

    def choose(self, preference):
        self._step(self.flow.choose, preference)

    def open_extras(self):
        self._step(self.flow.open_extras)

    def toggle_extra(self, key):
        self.flow.toggle_extra(key)
        self.root.current_screen.refresh()

    def close_extras(self):
        self._step(self.flow.close_extras)

    def press_digit(self, digit: str):
        """A key of the booking code's keypad; said aloud once the citizen has asked for the voice."""
        if self.flow.press_digit(digit) and self._voice:
            self.services.speaker.say(digit, self.lang)
        self.root.current_screen.refresh()

    def erase_digit(self):
        self.flow.erase()
        self.root.current_screen.refresh()

    def confirm_code(self):
        self._step(self.flow.confirm_code)

    def no_code(self):
        self._step(self.flow.no_code)

    def pick_slot(self, slot):
        """``slot``: an entry of the hub's list (``reception.protocol.AppointmentSlot``)."""
        self._step(self.flow.pick_slot, slot.slot, slot.at)

    def not_listed(self):
        self._step(self.flow.not_listed)

    def answer_first_visit(self, value: bool):
        """After the number: kept with the ticket at the hub (or in the outbox hand-over); may be changed."""
        self.flow.answer_first_visit(value)
        screen = self.root.get_screen("ticket")
        screen.first_visit = "yes" if value else "no"
        self.services.first_visit(screen.ticket, value)

    def back(self):
        self._step(self.flow.back)

    def start_over(self, keep_language: bool = True):
        self.flow.start_over(keep_language=keep_language)
        self._voice = False
        self.show()

    def finish(self):
        """The citizen has their ticket: the next person starts in Danish."""
        self.start_over(keep_language=False)

    def read_aloud(self):
        self._voice = True
        self.services.speaker.say(self.root.current_screen.spoken(), self.lang)

    def more_time(self):
        self._last_touch = time.monotonic()
        self.idle_warning.dismiss()

    def input_blocked(self) -> bool:
        return time.monotonic() < self._blocked_until

    def guard_taps(self) -> None:
        """Ignore taps for ``tap_guard`` seconds: the screen under the finger has just changed."""
        self._blocked_until = time.monotonic() + self.tap_guard

    @property
    def last_touch(self) -> float:
        return self._last_touch

    # -- showing ----------------------------------------------------------------

    def show(self):
        """Put the screen for the flow's step up and redraw it."""
        self.lang = self.flow.lang
        name = SCREENS[self.flow.step][0]
        screen = self.root.get_screen(name)
        if self.flow.step != steps.TICKET:
            self._cancel_ticket_timeout()
            screen.refresh()
        self.root.current = name
        self.services.speaker.silence()
        self._check_sizes_soon()

    def _check_sizes(self, _dt=None) -> None:
        """Name in the log, once each, any text that had to shrink under 24 pt on this panel.

        The words are the site's (labels, places): a long one still fits, smaller; this tells
        whoever edits the site file which one to shorten.
        """
        panel = f"{int(Window.width)}x{int(Window.height)}"
        floor = self.text_floor(self.root.current)
        for label in self.root.current_screen.walk():
            if isinstance(label, FitLabel) and label.text and label.opacity and label.font_size < floor - 0.5:
                if (label.text, panel) not in self._small_texts:
                    self._small_texts.add((label.text, panel))
                    log.warning("%r is shown at %.0f pt on this %s panel, under %.0f pt: shorten it in the site file",
                                label.text, label.font_size / self.profile.dpi * 72, panel, floor / self.profile.dpi * 72)

    def text_floor(self, screen: str) -> float:
        """The smallest text, in pixels, a screen should need: 24 pt, or 18 pt on the 7" start screen,
        whose answers stand three a row above the tools row (``kiosk.screens.start``)."""
        return self.profile.pt(COMPACT_START_PT) if screen == "start" and not self.wide else self.body

    def _step(self, move, *args):
        move(*args)
        self.guard_taps()
        self.show()
        if self.flow.step == steps.TICKET:
            self._issue()

    def next_volunteers_here(self) -> str:
        return next_here_text(self.services.today_site(), self.services.now(), self.lang)

    def next_sessions(self, limit: int, *, elsewhere: bool = False) -> list[str]:
        return list(next_sessions_text(self.services.today_site(), self.services.now(), self.lang, limit,
                                       elsewhere=elsewhere))

    # -- issuing and printing ---------------------------------------------------------

    def _issue(self):
        """Ask the services for the ticket; the answer and the printer's come back to this visit's screen."""
        order = self.flow.order()
        self._visit += 1  # results of an earlier visit must not touch this one's screen
        visit = self._visit
        self.root.get_screen("ticket").begin(self.site.services[order.service].name.get_text(order.lang))
        self.services.issue(order, issued=lambda ticket: on_ui(self._issued, ticket, visit, order),
                            printed=lambda state: on_ui(self._printed, state, visit))  # in this order

    def _on_ticket_screen(self, visit) -> bool:
        return visit == self._visit and self.flow.step == steps.TICKET

    def _issued(self, ticket, visit, order):
        """Show the number, or the plain refusal when there is none (if the citizen still looks)."""
        if self._on_ticket_screen(visit):
            screen = self.root.get_screen("ticket")
            if ticket:
                booked = self.site.services.get(ticket.service) if ticket.service != order.service else None
                screen.show(ticket, outcome(order, ticket), booked.name.get_text(order.lang) if booked else None)
            else:
                screen.refuse()
            self._schedule_ticket_timeout(TICKET_SECONDS)

    def _printed(self, state, visit):
        if not self._on_ticket_screen(visit):
            return  # the citizen has already left the ticket screen
        screen = self.root.get_screen("ticket")
        screen.printed(state)
        if screen.printer_failed:
            self._schedule_ticket_timeout(TICKET_FAILED_SECONDS)

    def _schedule_ticket_timeout(self, seconds):
        self._cancel_ticket_timeout()
        self._ticket_timeout = Clock.schedule_once(lambda _dt: self.finish(), seconds)

    def _cancel_ticket_timeout(self):
        if self._ticket_timeout is not None:
            self._ticket_timeout.cancel()
            self._ticket_timeout = None

    # -- hub updates, idle, keys ----------------------------------------------------

    def _hub_changed(self, *_):
        """The board, the hub's availability or its list of times changed: the choice's waits and the list follow."""
        if self.root and self.flow.step in (steps.CHOICE, steps.SLOTS):
            self.root.current_screen.refresh()

    def _touched(self, _window, _touch):
        self._last_touch = time.monotonic()

    def _idle_tick(self, _dt):
        idle = time.monotonic() - self._last_touch
        settings = self.site.kiosk
        if self.flow.step == steps.TICKET:
            return
        if self.flow.step == steps.START:
            left_behind = self.lang != self.site.default_language or self.flow.state.extras
            if idle >= settings.idle_reset_seconds and left_behind:  # the next citizen starts afresh
                self.start_over(keep_language=False)
            return
        left = settings.idle_reset_seconds - idle
        if left <= 0:
            self.idle_warning.dismiss()
            self.start_over(keep_language=False)
        elif left <= settings.idle_warning_seconds:
            self.idle_warning.text = tr(self.lang, "idle_warning", seconds=int(left + 0.99))
            if not self.idle_warning.parent:
                self.idle_warning.open()

    def _on_key(self, _window, key, _scancode, codepoint, modifiers):
        if is_staff_exit(modifiers, codepoint):
            log.info("staff key combination: closing the kiosk")
            self.stop()
            return True
        return self.kiosk_mode  # in kiosk mode no other key does anything (Escape, F1...)

    def open_settings(self, *_):
        return False  # F1 must not open Kivy's settings panel in the lobby
