"""The kiosk's feedback answer without Kivy: steps, the lock-out, the message, the texts in every language."""
from datetime import datetime, timezone

import pytest

from kiosk.feedback import (FACES_STEP, LETTER_STEP, TAGS, TAGS_STEP, THANKS_STEP, FeedbackForm, Lockout,
                            services_by_letter)
from kiosk import i18n
from kiosk.feedback_texts import ftr
from reception import protocol
from reception.config import LANGUAGES

AT = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)


def test_an_answer_walks_faces_reasons_letter_and_becomes_a_valid_message():
    form = FeedbackForm()
    form.choose_face(2)
    assert form.step == TAGS_STEP
    for tag in ("waited_too_long", "kind", "kind"):  # a second tap takes a reason back
        form.toggle(tag)
    form.tags_done()
    assert form.step == LETTER_STEP
    form.choose_service("passport")
    assert form.step == THANKS_STEP
    answer = form.message(AT)
    parsed = protocol.Feedback.from_payload(answer.to_payload())
    assert (parsed.score, parsed.tags, parsed.service, parsed.at) == (2, ("waited_too_long",), "passport", AT)
    assert form.message(AT).id != answer.id  # every answer its own id; a resend keeps the one it has


def test_back_walks_the_steps_and_answers_without_a_face_do_not_exist():
    form = FeedbackForm()
    assert not form.back()  # on the first step "back" closes the view
    with pytest.raises(ValueError):
        form.message(AT)
    with pytest.raises(ValueError):
        form.choose_face(6)
    form.choose_face(5)
    form.tags_done()
    assert form.back() and form.step == TAGS_STEP
    assert form.back() and form.step == FACES_STEP
    with pytest.raises(ValueError):
        form.toggle("my phone number is")


def test_the_lockout_rests_after_an_answer():
    now = [100.0]
    lock = Lockout(20, clock=lambda: now[0])
    assert lock.ready
    lock.answered()
    now[0] += 19.9
    assert not lock.ready
    now[0] += 0.2
    assert lock.ready


def test_the_letters_are_the_ticket_letters_of_the_site(site):
    pairs = services_by_letter(site)
    assert pairs[0] == ("A", "mitid_learn") and ("C", "passport") in pairs
    assert [letter for letter, _ in pairs] == sorted(svc.letter for svc in site.services.values())


def test_every_kiosk_language_has_every_feedback_text():
    keys = {f"tag_{t}" for t in TAGS} | {f"face_{s}" for s in range(1, 6)}
    for lang in LANGUAGES:  # the catalogue's check on load gives every key a text in every language
        assert all(ftr(lang, key) for key in keys), lang
        assert all(i18n.tr(lang, key) for key in ("back", "start_over", "skip", "extras_continue", "done"))
    assert len({ftr(lang, "face_1") for lang in LANGUAGES}) == len(LANGUAGES)  # each its own words
    assert ftr("fr", "button") == ftr("da", "button")  # like the kiosk's catalogue: Danish, never a key
