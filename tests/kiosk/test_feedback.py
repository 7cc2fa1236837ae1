""""Tell us how it went" on the running kiosk: faces, reasons, the ticket's letter, in every language, to the hub.

Touches go through Kivy's event loop under Xvfb; answers travel over a real
Mosquitto to a real hub process, which stores each once.
"""
from __future__ import annotations

import json
import sqlite3

import pytest

from kiosk.feedback_texts import ftr
from kiosk.feedback_view import THANKS_SECONDS, FaceButton, FeedbackButton, FeedbackView
from kiosk.i18n import LANGUAGE_NAMES, tr
from reception.config import LANGUAGES


@pytest.fixture
def button(kiosk):
    """The start screen's feedback button, on the 7" panel (the smallest; in the row under the answers),
    as a new visitor finds it, whichever test answered before (the tests run in random order)."""
    drv = kiosk.driver
    drv.app.start_over(keep_language=True)
    drv.settle(4)
    found = list(drv.widgets(FeedbackButton))
    assert len(found) == 1, "the start screen shows one feedback button"
    return fresh(found[0])


def fresh(button: FeedbackButton) -> FeedbackButton:
    """The button as a new visitor finds it (the lock-out of an earlier answer over)."""
    button.lockout._until = 0.0
    button._follow_lockout()
    return button


def view(drv) -> FeedbackView:
    """The open feedback view, once it has drawn its first step."""
    def opened():
        return next((w for w in drv.app.root_window.children if isinstance(w, FeedbackView) and w.title), None)
    return drv.wait_until(opened, 3)


def tap_text(drv, root, text: str) -> None:
    drv.settle(2)
    found = [b for b in drv.widgets(root=root) if getattr(b, "text", None) == text and not b.disabled
             and hasattr(b, "trigger_action")]
    assert len(found) == 1, (text, [getattr(b, "text", "") for b in drv.widgets(root=root)])
    drv.tap(found[0])


def tap_face(drv, root, score: int) -> None:
    drv.settle(2)
    faces = [w for w in drv.widgets(FaceButton, root) if w.score == score]
    assert len(faces) == 1
    drv.tap(faces[0])


def answer(drv, button, lang: str, face: int, tags: tuple[str, ...], letter: str | None) -> None:
    drv.app.start_over(keep_language=True)
    drv.tap(fresh(button))
    v = view(drv)
    if lang != v.lang:
        tap_text(drv, v, LANGUAGE_NAMES[lang])
    assert v.title == ftr(lang, "faces_title")
    tap_face(drv, v, face)
    for tag in tags:
        tap_text(drv, v, ftr(lang, f"tag_{tag}"))
    tap_text(drv, v, tr(lang, "extras_continue"))
    tap_text(drv, v, letter if letter else tr(lang, "skip"))
    drv.wait_until(lambda: v.title == ftr(lang, "thanks_title"), 3)
    tap_text(drv, v, tr(lang, "done"))
    drv.wait_until(lambda: v.parent is None, 3)


def stored(hub) -> list[tuple]:
    with sqlite3.connect(hub.db_path) as db:
        return db.execute("select score, tags, service from feedback order by rowid").fetchall()


def test_an_answer_in_every_language_reaches_the_hub_once(kiosk, button, hub, recorder, site):
    sent = recorder(f"reception/{site.id}/kiosk/+/feedback")
    drv = kiosk.driver
    drv.wait_until(lambda: kiosk.services.link.hub_online)
    for i, lang in enumerate(LANGUAGES):
        answer(drv, button, lang, face=1 + i, tags=("kind", "still_cannot")[: i % 3], letter="A" if i % 2 else None)
    messages = list(sent.wait_for(lambda msgs: len(msgs) == len(LANGUAGES) and msgs))
    assert [json.loads(p)["score"] for _t, p in messages] == [1, 2, 3, 4][: len(LANGUAGES)]
    for topic, payload in messages:  # a kiosk resending after a reconnect changes nothing
        sent.publish(topic, payload)
    expected = [(1, "", None), (2, "kind", "mitid_learn"), (3, "kind,still_cannot", None), (4, "", "mitid_learn")]
    drv.wait_until(lambda: len(stored(hub)) == len(LANGUAGES), 10)
    sent.wait_for(lambda msgs: len(msgs) == 2 * len(LANGUAGES))
    assert stored(hub) == expected[: len(LANGUAGES)]


def test_the_button_rests_after_an_answer_and_back_walks_out(kiosk, button):
    drv = kiosk.driver
    drv.tap(fresh(button))
    v = view(drv)
    tap_face(drv, v, 5)
    tap_text(drv, v, tr("da", "extras_continue"))
    tap_text(drv, v, "C")
    assert button.disabled and button.resting and not button.lockout.ready  # a second answer needs a second visit
    drv.wait_until(lambda: v.parent is None, THANKS_SECONDS + 2)  # the thanks close by themselves
    drv.tap(fresh(button))
    v = view(drv)
    tap_face(drv, v, 2)
    assert v.title == ftr("da", "tags_title")
    drv.tap(v.ids.back)
    assert v.title == ftr("da", "faces_title")
    drv.tap(v.ids.back)
    drv.wait_until(lambda: v.parent is None, 3)
    assert drv.screen.name == "start"


class _ViewDriver:
    """The kiosk driver looking at the feedback view instead of the screen below it (for ``check_screen``)."""

    def __init__(self, drv, view):
        self.app, self.screen, self.view, self.labels, self.widgets = drv.app, drv.screen, view, drv.labels, drv.widgets


def test_every_step_fits_in_every_language_and_size(kiosk, button):
    from kiosk.theme import ScreenProfile
    from kiosk.widgets import KioskButton
    from tests.kiosk.test_layout import SHOTS, SIZES, check_screen, check_targets

    drv = kiosk.driver
    problems = []
    try:
        for size in SIZES:
            drv.resize(*size)
            profile = ScreenProfile.for_size(*size)
            for lang in LANGUAGES:
                v = FeedbackView(opener=button)
                v.open()
                drv.wait_until(lambda: v.title, 3)
                v.choose_language(lang)
                for step, move in (("faces", None), ("tags", lambda: v.choose_face(3)),
                                   ("tags-ticked", lambda: [v.toggle(t) for t in ("kind", "still_cannot")]),
                                   ("letter", v.tags_done)):
                    if move:
                        move()
                    drv.settle(4)
                    if SHOTS:
                        drv.screenshot(f"{SHOTS}/{size[0]}x{size[1]}-{lang}-feedback-{step}.png")
                    problems += check_screen(_ViewDriver(drv, v), profile, f"{size} {lang} feedback {step}")[0]
                    problems += check_targets(drv, profile, f"{size} {lang} feedback {step}", gaps=False)
                    shown = {b.text for b in drv.widgets(KioskButton, v) if not b.disabled}
                    assert {tr(lang, "back"), tr(lang, "start_over")} <= shown, step
                v.dismiss()
                drv.wait_until(lambda: v.parent is None, 3)
    finally:
        drv.resize(800, 480)
    assert not problems, "\n".join(problems)


def test_the_button_is_on_the_start_screen_at_every_panel_size(kiosk, button):
    """The 7" panel shows the faces beside the words; a wide panel the words alone, in the button's whole width."""
    drv = kiosk.driver
    assert not button.icon_only and button.show_icon and button.icon == "feedback" and not button.disabled
    assert button.text in {lb.text for lb in drv.labels(button)}
    assert min(button.size) >= drv.app.target - 0.5 and button.opacity == 1
    try:
        drv.resize(1280, 800)
        drv.app.start_over(keep_language=True)
        drv.settle(4)
        assert not button.icon_only and not button.show_icon and not button.disabled
        assert button.text in {lb.text for lb in drv.labels(button)}
    finally:
        drv.resize(800, 480)


def mouth_ink(score: int, side: int = 120) -> set[int]:
    """The pixels a face's mouth covers, drawn alone in an off-screen buffer (the lower middle of
    the pictogram: no outline, no eyes)."""
    from kivy.graphics import ClearBuffers, ClearColor, Color, Fbo

    from kiosk import icons

    fbo = Fbo(size=(side, side))
    with fbo:
        ClearColor(0, 0, 0, 0)
        ClearBuffers()
        Color(1, 1, 1, 1)
        icons.DRAWINGS[f"face_{score}"](0, 0, side, side * .06)
    fbo.draw()
    pixels = fbo.pixels
    return {i for i in range(0, len(pixels), 4) if pixels[i + 3] > 128
            and .3 < (i // 4) % side / side < .7 and .17 < (i // 4) // side / side < .48}


def test_each_face_looks_unlike_its_neighbour(kiosk):
    """Faces 1 and 2, 4 and 5 looked almost alike: the ends of the scale now open their mouths.
    The mouths pixel by pixel: neighbours share under half of what they cover."""
    ink = {score: mouth_ink(score) for score in range(1, 6)}
    for a, b in ((1, 2), (4, 5)):  # the pairs that looked alike (2, 3, 4 are the gentle middle)
        shared = len(ink[a] & ink[b]) / len(ink[a] | ink[b])
        assert shared < 0.5, f"faces {a} and {b} share {shared:.0%} of their mouths"
    assert len(ink[1]) > 2 * len(ink[2]) and len(ink[5]) > 2 * len(ink[4]), "the ends: open mouths"
