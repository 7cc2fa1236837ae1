""""Tell us how it went" on the running kiosk: faces, reasons, the ticket's letter, in every language, to the hub.

Touches go through Kivy's event loop under Xvfb; answers travel over a real
Mosquitto to a real hub process, which stores each once.
"""
from __future__ import annotations

import json
import sqlite3

from kiosk.feedback_texts import LANGUAGES, ftr
from kiosk.feedback_view import THANKS_SECONDS, FeedbackButton, FeedbackView
from kiosk.i18n import LANGUAGE_NAMES, tr


def feedback_button(drv) -> FeedbackButton:
    """The start screen's "Tell us how it went" button."""
    drv.app.start_over(keep_language=True)
    drv.settle()
    found = [w for w in drv.widgets(FeedbackButton)]
    assert len(found) == 1, "the start screen shows one feedback button"
    return found[0]


def view(drv) -> FeedbackView:
    return drv.wait_until(lambda: next((w for w in drv.app.root_window.children if isinstance(w, FeedbackView)), None), 3)


def tap_text(drv, root, text: str) -> None:
    drv.settle(2)
    found = [b for b in drv.widgets(root=root) if getattr(b, "text", None) == text and not b.disabled
             and hasattr(b, "trigger_action")]
    assert len(found) == 1, (text, [getattr(b, "text", "") for b in drv.widgets(root=root)])
    drv.tap(found[0])


def answer(drv, lang: str, face: int, tags: tuple[str, ...], letter: str | None) -> None:
    button = feedback_button(drv)
    button.lockout._until = 0.0  # each language's answer is a new visitor in this test
    button._follow_lockout()
    drv.tap(button)
    v = view(drv)
    if lang != v.lang:
        tap_text(drv, v, LANGUAGE_NAMES[lang])
    assert v.title == ftr(lang, "faces_title")
    tap_text(drv, v, ftr(lang, f"face_{face}"))
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


def test_an_answer_in_every_language_reaches_the_hub_once(kiosk, hub, recorder, site):
    sent = recorder(f"reception/{site.id}/kiosk/+/feedback")
    drv = kiosk.driver
    drv.wait_until(lambda: kiosk.services.link.hub_online)
    for i, lang in enumerate(LANGUAGES):
        answer(drv, lang, face=1 + i, tags=("kind", "still_cannot")[: i % 3], letter="A" if i % 2 else None)
    messages = sent.wait_for(lambda msgs: len(msgs) == len(LANGUAGES) and msgs)
    assert [json.loads(p)["score"] for _t, p in messages] == [1, 2, 3, 4][: len(LANGUAGES)]
    for topic, payload in messages:  # a kiosk resending after a reconnect changes nothing
        sent.publish(topic, payload)
    expected = [(1, "", None), (2, "kind", "mitid_learn"), (3, "kind,still_cannot", None), (4, "", "mitid_learn")]
    drv.wait_until(lambda: len(stored(hub)) == len(LANGUAGES), 10)
    sent.wait_for(lambda msgs: len(msgs) == 2 * len(LANGUAGES))
    assert stored(hub) == expected[: len(LANGUAGES)]


def test_the_button_rests_after_an_answer_and_back_walks_out(kiosk, site):
    drv = kiosk.driver
    button = feedback_button(drv)
    button.lockout._until = 0.0
    button._follow_lockout()
    drv.tap(button)
    v = view(drv)
    tap_text(drv, v, ftr("da", "face_5"))
    tap_text(drv, v, tr("da", "extras_continue"))
    tap_text(drv, v, "C")
    assert button.disabled and not button.lockout.ready  # a second answer needs a second visit
    drv.wait_until(lambda: v.parent is None, THANKS_SECONDS + 2)  # the thanks close by themselves
    button.lockout._until = 0.0
    button._follow_lockout()
    drv.tap(button)
    v = view(drv)
    tap_text(drv, v, ftr("da", "face_2"))
    assert v.title == ftr("da", "tags_title")
    drv.tap(v.ids.back)
    assert v.title == ftr("da", "faces_title")
    drv.tap(v.ids.back)
    drv.wait_until(lambda: v.parent is None, 3)
    assert drv.screen.name == "start"
