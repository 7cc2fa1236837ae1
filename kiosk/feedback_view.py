"""The "Tell us how it went" view over the start screen, and the start screen's button that opens it.

A full-screen ``ModalView`` so the kiosk's own flow and screens stay untouched: the
start screen only places a ``FeedbackButton`` in its second row.  Steps come from the
pure ``FeedbackForm``; the answer leaves on ``kiosk/<kiosk>/feedback`` (QoS 1, a fresh
id) through the kiosk's own broker connection.  After an answer the button rests for
``LOCKOUT_SECONDS``; the thanks close by themselves (or with "Done"), and an
unattended view closes like any idle kiosk screen.
"""
from __future__ import annotations

import logging
import math
import time
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics import Ellipse, Line
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.modalview import ModalView

from kiosk import flags, icons
from kiosk.feedback import (FACES, FACES_STEP, LETTER_STEP, TAGS, TAGS_STEP, FeedbackForm, Lockout,
                            services_by_letter)
from kiosk.feedback_texts import ftr
from kiosk.i18n import LANGUAGE_NAMES, tr
from kiosk.screens import load_kv
from kiosk.widgets import FitLabel, KioskButton
from reception import protocol

log = logging.getLogger(__name__)

THANKS_SECONDS = 4.0


# The mouth of faces 2 and 4 as a gentle arc: (centre height, radius, half the arc's angle), in
# shares of the face's size; a smile curves round a centre above it, a frown round one below.
# Faces 1 and 5 get an open mouth instead (a filled half disc: crying, laughing), so the ends of
# the scale do not look like their neighbours (a thin arc at 2 and 4, a big dark mouth at 1 and 5).
MOUTHS = {2: (-.1, .42, 30), 4: (.62, .42, 30)}
OPEN_MOUTHS = {1: (.22, -90, 90), 5: (.40, 90, 270)}  # (centre of the disc, its start and end angle: 0 is up)


def _face(score: int):
    """A round face whose mouth goes from wide open and down (1) through straight (3) to wide open laughing (5)."""
    def draw(x, y, s, w):
        w = max(1.2, w * .75)
        Line(circle=(x + s * .5, y + s * .5, s * .42), width=w)
        Ellipse(pos=(x + s * .33, y + s * .56), size=(s * .1, s * .1))
        Ellipse(pos=(x + s * .57, y + s * .56), size=(s * .1, s * .1))
        if score == 3:
            Line(points=[x + s * .32, y + s * .32, x + s * .68, y + s * .32], width=w, cap="round")
            return
        if score in OPEN_MOUTHS:
            centre, start, end = OPEN_MOUTHS[score]  # crying: the upper half; laughing: the lower half
            Ellipse(pos=(x + s * .28, y + s * (centre - .22)), size=(s * .44, s * .44), angle_start=start, angle_end=end)
            return
        centre, radius, half = MOUTHS[score]
        middle = 180 if score > 3 else 0  # the smile is the bottom of its circle, the frown the top
        angles = [math.radians(middle - half + 2 * half * i / 12) for i in range(13)]
        points = [c for a in angles for c in (x + s * (.5 + radius * math.sin(a)), y + s * (centre + radius * math.cos(a)))]
        Line(points=points, width=w, cap="round", joint="round")
    return draw


def _faces(x, y, s, w):
    """The feedback button's pictogram on the 7" panel: a smile beside a frown, apart, as on the shops' smiley terminals."""
    _face(5)(x, y + s * .27, s * .46, w * .5)
    _face(1)(x + s * .54, y + s * .27, s * .46, w * .5)


icons.DRAWINGS.update({f"face_{score}": _face(score) for score in FACES})
icons.DRAWINGS["feedback"] = _faces


def send(link, answer: protocol.Feedback) -> None:
    """Publish one answer; the broker connection queues it while it is away."""
    link.conn.publish(link.topics.feedback(link.kiosk_id), answer.to_payload(), qos=1)


class FeedbackButton(KioskButton):
    """The start screen's "Tell us how it went"; ``resting`` (and disabled) while the lock-out after an answer runs."""

    resting = BooleanProperty(False)

    def __init__(self, **kwargs):
        self.lockout = Lockout()
        super().__init__(**kwargs)
        Clock.schedule_interval(self._follow_lockout, 1.0)

    def _follow_lockout(self, _dt=None) -> None:
        self.resting = not self.lockout.ready

    def on_release(self):
        if self.lockout.ready and not self.disabled:
            FeedbackView(opener=self).open()


class FaceButton(ButtonBehavior, BoxLayout):
    """One face of the scale, as large as the row allows; ``label`` names it for read-aloud and tests."""

    score = NumericProperty(3)
    label = StringProperty("")


class FeedbackView(ModalView):
    opener = ObjectProperty(None)
    title = StringProperty("")
    lang = StringProperty("da")  # its own: choosing a language on the start screen would start a ticket

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.form = FeedbackForm()
        self._last_touch = self._blocked_until = 0.0
        self._timers = []

    @property
    def app(self):
        return App.get_running_app()

    def on_open(self):
        self.lang = self.app.lang
        self._last_touch = time.monotonic()
        self._timers.append(Clock.schedule_interval(self._idle_tick, 0.5))
        self.refresh()

    def on_dismiss(self):
        for timer in self._timers:
            timer.cancel()

    def on_touch_down(self, touch):
        self._last_touch = time.monotonic()
        if self._last_touch < self._blocked_until:
            return True  # the second half of a shaky double tap must not answer the next step
        return super().on_touch_down(touch)

    # -- taps -------------------------------------------------------------------------

    def choose_language(self, lang: str) -> None:
        self.lang = lang
        self.refresh()

    def choose_face(self, score: int) -> None:
        self._move(self.form.choose_face, score)

    def toggle(self, tag: str) -> None:
        self.form.toggle(tag)
        self.refresh()

    def tags_done(self) -> None:
        self._move(self.form.tags_done)

    def choose_service(self, service: str | None) -> None:
        self._move(self.form.choose_service, service)
        services = self.app.services
        send(services.link, self.form.message(services.now()))
        self.opener.lockout.answered()
        self.opener._follow_lockout()
        self._timers.append(Clock.schedule_once(lambda _dt: self.dismiss(), THANKS_SECONDS))

    def back(self) -> None:
        if self.form.back():
            self.refresh()
        else:
            self.dismiss()

    def _move(self, step, *args) -> None:
        step(*args)
        self._blocked_until = time.monotonic() + self.app.tap_guard
        self.refresh()

    def _idle_tick(self, _dt) -> None:
        if time.monotonic() - self._last_touch >= self.app.site.kiosk.idle_reset_seconds:
            self.dismiss()

    # -- drawing ------------------------------------------------------------------------

    def refresh(self) -> None:
        lang, body, nav = self.lang, self.ids.body, self.ids.nav
        body.clear_widgets()
        for extra in nav.children[:-2]:  # "Next" of the reasons step, below Back and Start over
            nav.remove_widget(extra)
        self.ids.nav.opacity = 0 if self.form.step == "thanks" else 1
        self.ids.nav.disabled = self.form.step == "thanks"
        self.title = ftr(lang, f"{self.form.step}_title")
        body.add_widget({FACES_STEP: self._faces, TAGS_STEP: self._tags, LETTER_STEP: self._letters}
                        .get(self.form.step, self._thanks)(lang))
        self._languages(lang)

    def _faces(self, lang: str):
        """Five big faces with the scale's two ends named under them (a word per face would not fit 800 px)."""
        box = BoxLayout(orientation="vertical", spacing=self.app.gap * 0.5)
        row = GridLayout(rows=1, spacing=self.app.gap)
        for score in FACES:
            face = FaceButton(score=score, label=ftr(lang, f"face_{score}"))
            face.bind(on_release=lambda _b, s=score: self.choose_face(s))
            row.add_widget(face)
        ends = BoxLayout(size_hint_y=None, height=self.app.target * 0.55)  # one line at 24 pt
        ends.add_widget(FitLabel(text=ftr(lang, "face_1"), halign="left"))
        ends.add_widget(FitLabel(text=ftr(lang, "face_5"), halign="right"))
        box.add_widget(row)
        box.add_widget(ends)
        return box

    def _languages(self, lang: str) -> None:
        """The other languages, each flag with its name, across the whole width (a Ukrainian name needs it), on the first step only."""
        row = self.ids.languages
        row.clear_widgets()
        row.height = self.app.target if self.form.step == FACES_STEP else 0
        if self.form.step == FACES_STEP:
            for code in self.app.site.languages:
                if code != lang:
                    row.add_widget(self._button(LANGUAGE_NAMES.get(code, code), lambda c=code: self.choose_language(c),
                                                style="nav", icon=flags.icon_name(code), orientation="vertical"))

    def _tags(self, lang: str):
        """The reasons in two columns over the whole width; "Next" joins Back and Start over in the
        left column (a row of its own under three rows of reasons would not leave them 24 pt on the 7" panel)."""
        grid = GridLayout(cols=2, spacing=self.app.gap)
        for tag in TAGS:
            ticked = tag in self.form.tags
            grid.add_widget(self._button(ftr(lang, f"tag_{tag}"), lambda t=tag: self.toggle(t), style="option",
                                         selected=ticked, show_icon=False))
        self.ids.nav.add_widget(self._button(tr(lang, "extras_continue"), self.tags_done, style="primary",
                                             icon="forward", orientation="vertical"), index=0)
        return grid

    def _letters(self, lang: str):
        box = BoxLayout(orientation="vertical", spacing=self.app.gap)
        grid = GridLayout(cols=5, spacing=self.app.gap)
        for letter, sid in services_by_letter(self.app.site):  # the letter is what stands large on the ticket
            grid.add_widget(self._button(letter, lambda s=sid: self.choose_service(s), show_icon=False))
        box.add_widget(grid)
        box.add_widget(self._button(tr(lang, "skip"), lambda: self.choose_service(None), style="nav",
                                    icon="forward", size_hint_y=None, height=self.app.target))
        return box

    def _thanks(self, lang: str):
        box = BoxLayout(orientation="vertical", spacing=self.app.gap)
        box.add_widget(FitLabel(text=ftr(lang, "thanks_text")))
        box.add_widget(self._button(tr(lang, "done"), self.dismiss, style="primary", icon="check", size_hint_y=None,
                                    height=self.app.target * 1.3))
        return box

    @staticmethod
    def _button(text: str, action, **properties) -> KioskButton:
        button = KioskButton(text=text, **properties)
        button.bind(on_release=lambda _b: action())
        return button


load_kv(Path(__file__).parent / "feedback.kv")
