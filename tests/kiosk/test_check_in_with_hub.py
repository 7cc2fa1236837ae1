"""Checking in a booked visit at the kiosk, by touches under Xvfb, against a real hub on a real Mosquitto.

The hub's day holds the appointments of ``tests/hub/test_appointments_hub.py`` (its clock starts at the
suite's instant, Tuesday 2026-11-24 10:00, however long the suite has run): 4711 on time for pension at 10:00, 6933 twenty minutes late, 8155 at 10:20 for the
health card (picked from the time list).  What the screen shows, what the hub received and what the
Dummy printer got are checked; the paper's Danish in code page 865.
"""
from __future__ import annotations

import json

import pytest

from kiosk.i18n import tr
from tests.hub import test_appointments_hub

hub = test_appointments_hub.hub  # here the real hub starts with the day's appointments in its SQLite file
REQUESTS = "reception/toender/kiosk/kiosk-1/ticket/request"


def ticket_up(drv):
    return drv.wait_until(lambda: drv.screen.name == "ticket" and drv.screen.phase == "shown" and drv.screen, 15)


def printed(kiosk, drv):
    """The bytes the Dummy printer got for the ticket on the screen, once it has cut the paper."""
    return drv.wait_until(lambda: kiosk.printer.sink.device.output.endswith(b"\x1dV\x00")
                          and kiosk.printer.sink.device.output, 15)


def has_words(paper: bytes, text: str, codepage: str = "cp865") -> bool:
    """Every word of ``text`` in the printed bytes (the paper wraps lines where its columns end)."""
    return all(word.encode(codepage) in paper for word in text.split())


def sent(requests, n=1):
    return requests.wait_for(lambda msgs: len(msgs) >= n and json.loads(msgs[n - 1][1]))


def test_check_in_by_code_on_the_keypad_with_its_voice(kiosk, hub, recorder, site):
    requests = recorder(REQUESTS)
    drv, speaker = kiosk.driver, kiosk.services.speaker
    drv.wait_until(lambda: kiosk.services.link.hub_online)
    drv.tap(site.questions["start"].answers[3].label.get_text("da"))  # "Jeg har en aftale"
    assert drv.screen.name == "code" and drv.screen.ids.ok.disabled
    assert drv.screen.ids.code.text == "_ _ _ _"
    drv.tap("4")
    assert drv.screen.ids.code.text == "4 _ _ _" and drv.screen.ids.ok.disabled
    assert speaker.spoken == 0  # the code is nobody else's business: no voice until the citizen asks for it
    drv.tap(tr("da", "read_aloud"))
    speaker.wait(20)
    assert drv.screen.spoken() == ("Skriv din kode. Koden står på din bekræftelse. Den har 4 til 6 cifre. "
                                   "Du har skrevet 4. Jeg har ingen kode.")
    for digit in "711":
        drv.tap(digit)
        speaker.wait(20)  # a citizen's pace: each key is heard before the next
    wavs = sorted(kiosk.wav_dir.glob("*.wav"))
    assert len(wavs) == 4 and all(w.stat().st_size > 5_000 for w in wavs)  # the screen, then 7, 1, 1
    assert drv.screen.ids.code.text == "4711"
    drv.tap(tr("da", "code_ok"))
    screen = ticket_up(drv)
    body = sent(requests)
    assert (body["booking"], body["service"], "slot" in body) == ("4711", "appointment", False)
    assert screen.number.startswith(site.services["pension"].letter)  # the booked visit, not the answer's
    assert screen.reason == "Pension og ydelser" and "Din tid: kl. 10:00" in screen.wait
    assert not screen.note and screen.asking
    paper = printed(kiosk, drv)
    assert screen.number.encode() in paper and "Din tid: kl. 10:00".encode("cp865") in paper
    assert b"Pension og ydelser" in paper
    assert "foran dig".encode("cp865") not in paper and "foran" not in screen.wait  # the booked time says when


def test_check_in_by_the_time_list(kiosk, hub, recorder, site):
    requests = recorder(REQUESTS)
    drv = kiosk.driver
    drv.wait_until(lambda: kiosk.services.link.hub_online and kiosk.services.link.appointments)
    drv.choose_language("en")
    drv.tap("I have an appointment")
    drv.tap(tr("en", "no_code"))
    shown = lambda: [(b.text, b.detail) for b in reversed(drv.screen.ids.slots.children)]  # noqa: E731
    assert shown()[:2] == [("10:00", "Pension and benefits"), ("10:20", "Health card and doctor")]
    pages = [shown()]
    while drv.screen.pages > len(pages):  # the 7" panel holds two a page
        drv.tap(tr("en", "slots_more"))
        pages.append(shown())
    assert [row for page in pages for row in page] == [
        ("10:00", "Pension and benefits"), ("10:20", "Health card and doctor"), ("10:40", "Passport")]
    if len(pages) > 1:
        drv.tap(tr("en", "slots_more"))  # after the last page, the first again
    assert shown() == pages[0]
    row = drv.screen.ids.slots.children[-1]
    kiosk.app._hub_changed()  # the board moved on (it does every call): the list is not redrawn under a finger
    assert drv.screen.ids.slots.children[-1] is row
    drv.tap("10:20")
    screen = ticket_up(drv)
    body = sent(requests)
    assert body["slot"] and "booking" not in body and body["lang"] == "en"
    assert screen.reason == "Health card and doctor" and "Your time: 10:20" in screen.wait
    assert b"Your time: 10:20" in printed(kiosk, drv)
    drv.wait_until(lambda: "10:20" not in [s.at.strftime("%H:%M") for s in kiosk.services.link.appointments.slots])


@pytest.mark.parametrize("lang,code,why", [("en", "6933", "late"), ("uk", "9999", "unknown")])
def test_a_late_or_unknown_code_gets_a_number_and_a_kind_word(kiosk, hub, recorder, site, lang, code, why):
    requests = recorder(REQUESTS)
    drv = kiosk.driver
    drv.wait_until(lambda: kiosk.services.link.hub_online)
    drv.choose_language(lang)
    drv.tap(site.questions["start"].answers[3].label.get_text(lang))
    for digit in code:
        drv.tap(digit)
    drv.tap(tr(lang, "code_ok"))
    screen = ticket_up(drv)
    assert sent(requests)["booking"] == code
    assert screen.number.startswith(site.services["appointment"].letter)  # an ordinary number: not sent away
    assert screen.note == tr(lang, f"check_in_{why}") and screen.message == screen.note
    assert not screen.asking  # the explanation gets the room
    paper = printed(kiosk, drv)
    assert screen.number.encode() in paper
    if lang == "en":
        assert has_words(paper, tr("en", "check_in_late"))


def test_without_the_hub_a_code_cannot_be_checked_and_the_screen_says_so(kiosk, site):
    """No hub: an ordinary number of the kiosk's own, the code kept for the hand-over, and plain words."""
    drv = kiosk.driver
    assert not kiosk.services.link.hub_online
    drv.tap(site.questions["start"].answers[3].label.get_text("da"))
    drv.tap(tr("da", "no_code"))
    assert drv.screen.ids.title.text == tr("da", "slots_offline")
    assert [w.text for w in drv.screen.ids.slots.children] == [tr("da", "slots_help")]  # no times to pick
    assert drv.screen.ids.not_listed.text == tr("da", "get_number")
    drv.tap(tr("da", "back"))
    for digit in "4711":
        drv.tap(digit)
    drv.tap(tr("da", "code_ok"))
    screen = ticket_up(drv)
    assert screen.note == tr("da", "check_in_unchecked") and "Din tid" not in screen.wait
    pending = kiosk.services.outbox.pending()
    assert [(p.request.booking, p.request.offline_number) for p in pending] == [("4711", screen.number)]
    assert has_words(printed(kiosk, drv), tr("da", "check_in_unchecked"))
