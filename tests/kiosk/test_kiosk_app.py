"""Printer failure, idle reset, read-aloud, the double-tap guard and the staff exit, on the running app."""
from __future__ import annotations

import json
import time

from hardware.printer import TicketLayout, TicketPrinter
from hardware.printer_sink import EscposSink
from kiosk.i18n import tr
from kiosk.window import is_staff_exit
from tests.hardware.test_printer import PAPER_OUT, AnsweringDummy
from tests.kiosk.conftest import EXAMPLE, make_kiosk
from tests.kiosk.paths import Path, tap_through

PASSPORT = Path((1, 0), "passport", "any", (), None)


def test_paper_out_is_said_plainly_kept_longer_and_reaches_staff(kiosk_app, broker, hub, recorder, site, tmp_path):
    alerts = recorder(f"reception/{site.id}/alerts")
    printer = TicketPrinter(EscposSink(AnsweringDummy(PAPER_OUT, profile="TM-T20II")), TicketLayout.from_site(site), "TM-T20II")
    k = make_kiosk(kiosk_app, broker, tmp_path, printer=printer)
    try:
        drv = k.driver
        drv.wait_until(lambda: k.services.link.hub_online)
        tap_through(drv, site, "en", PASSPORT)
        screen = drv.wait_until(lambda: drv.screen.name == "ticket" and drv.screen.printer_failed and drv.screen)
        assert screen.message == "The printer is not working. Please remember your number."
        assert screen.number.startswith("C")
        timeout = k.app._ticket_timeout
        assert timeout is not None and timeout.timeout >= 60  # the number stays up longer
        alert = alerts.wait_for(lambda msgs: [a for _t, p in msgs if p for a in json.loads(p)["alerts"]
                                              if a["device"] == "kiosk-1"])
        assert alert[-1]["problem"] == "paper_out"
        assert b"C" not in printer.sink.device.output.replace(b"\x10\x04", b"")  # nothing but status queries sent
    finally:
        k.services.stop()


def test_idle_warning_more_time_then_reset_to_danish(kiosk, site):
    drv, app = kiosk.driver, kiosk.app
    drv.choose_language("de")
    drv.tap("Reisepass und Führerschein")
    settings = site.kiosk
    app._last_touch = time.monotonic() - (settings.idle_reset_seconds - settings.idle_warning_seconds + 1)
    drv.wait_until(lambda: app.idle_warning.parent is not None, 3)
    assert "Sind Sie noch da?" in app.idle_warning.text
    drv.tap(app.idle_warning.ids.more)
    drv.wait_until(lambda: app.idle_warning.parent is None, 3)
    assert drv.screen.name == "question" and app.lang == "de"
    app._last_touch = time.monotonic() - settings.idle_reset_seconds - 1
    drv.wait_until(lambda: drv.screen.name == "start", 3)
    assert app.lang == "da" and app.idle_warning.parent is None


def test_read_aloud_speaks_the_screen_in_the_chosen_language(kiosk):
    drv = kiosk.driver
    drv.choose_language("uk")
    drv.tap(tr("uk", "read_aloud"))
    kiosk.services.speaker.wait(20)
    wavs = list(kiosk.wav_dir.glob("*.wav"))
    assert len(wavs) == 1 and wavs[0].stat().st_size > 10_000
    assert drv.screen.spoken().startswith("Ласкаво просимо. Чим можемо допомогти?")  # the welcome is spoken


def test_a_shaky_double_tap_is_one_tap(kiosk):
    drv, app = kiosk.driver, kiosk.app
    app.tap_guard = 1.5  # longer than the frames between two taps on a busy machine
    drv.choose_language("en")
    time.sleep(app.tap_guard)
    drv.tap("Passport and driving licence")  # lands on the next question...
    assert drv.screen.name == "question"
    passport = drv.button("Passport")
    drv.tap(passport)  # ... and the second tap at once must not answer it (that would print a ticket)
    assert drv.screen.name == "question" and app.flow.taps == 1
    time.sleep(app.tap_guard)
    drv.tap(tr("en", "needs"))
    assert drv.screen.name == "extras"
    carer = drv.button("I am here with a carer")
    drv.tap(carer)  # the same again on the extras screen
    assert app.flow.state.extras == frozenset()
    time.sleep(app.tap_guard)
    drv.tap(carer)
    assert app.flow.state.extras == {"carer"}


def test_only_the_staff_key_combination_leaves_kiosk_mode(kiosk):
    assert is_staff_exit(["ctrl", "alt", "shift"], "q")
    assert not is_staff_exit(["ctrl"], "q") and not is_staff_exit([], "escape")
    kiosk.app.kiosk_mode = True
    try:
        assert kiosk.app._on_key(None, 27, 41, None, []) is True  # Escape swallowed
    finally:
        kiosk.app.kiosk_mode = False


def test_a_silent_hub_never_freezes_the_screen_and_a_late_number_still_prints(kiosk_app, broker, recorder,
                                                                              site, tmp_path):
    """The hub says online but never answers: the screen stays responsive; the citizen may leave;
    the number issued offline after the timeout is printed, and the next visit is not disturbed."""
    recorder().publish(f"reception/{site.id}/hub/available", {"v": 1, "status": "online"}, retain=True)
    k = make_kiosk(kiosk_app, broker, tmp_path, reply_timeout=1.5)
    try:
        drv = k.driver
        drv.wait_until(lambda: k.services.link.hub_online)
        tap_through(drv, site, "da", PASSPORT)
        assert drv.screen.name == "ticket" and drv.screen.phase == "issuing"
        assert drv.screen.message == tr("da", "issuing")
        drv.tap(tr("da", "done"))  # the citizen gives up waiting: the screen answers at once
        assert drv.screen.name == "start"
        drv.choose_language("en")
        drv.wait_until(lambda: b"C901" in k.printer.sink.device.output, 10)
        drv.pump(0.3)
        assert drv.screen.name == "start" and k.app.lang == "en" and k.app._ticket_timeout is None
    finally:
        k.services.stop()


def test_needs_ticked_on_the_start_screen_are_forgotten_when_the_citizen_walks_away(kiosk, site):
    drv, app = kiosk.driver, kiosk.app
    drv.tap(tr("da", "needs"))
    drv.tap(site.extras["private"].label.get_text("da"))
    drv.tap(tr("da", "extras_continue"))
    assert drv.screen.name == "start" and drv.button(tr("da", "needs")).icon == "check"  # marked, quietly
    app._last_touch = time.monotonic() - site.kiosk.idle_reset_seconds - 1
    drv.wait_until(lambda: app.flow.state.extras == frozenset(), 3)
    assert drv.screen.name == "start" and drv.button(tr("da", "needs")).icon == "plus"


def test_a_label_too_long_for_24_pt_is_named_in_the_log(kiosk_app, broker, tmp_path, caplog):
    """The site's words are the site's: one that must shrink under 24 pt is shown, smaller, and named once."""
    long_label = "Pas, kørekort, ID-kort, sundhedskort og meget andet"
    site_file = tmp_path / "site.toml"
    site_file.write_text(EXAMPLE.read_text(encoding="utf-8").replace('da = "Pas og kørekort"', f'da = "{long_label}"', 1),
                         encoding="utf-8")
    k = make_kiosk(kiosk_app, broker, tmp_path, site_file=site_file)
    try:
        drv = k.driver
        drv.app.start_over()
        drv.wait_until(lambda: any(long_label in r.getMessage() for r in caplog.records), 5)
        named = [r.getMessage() for r in caplog.records if "shorten it in the site file" in r.getMessage()]
        assert len(named) == 1 and "800x480" in named[0], named  # the short labels around it are not named
        assert drv.button(long_label).opacity == 1
        drv.app.start_over()
        drv.settle(4)
        time.sleep(1.2)
        drv.settle(2)
        assert len([r for r in caplog.records if "shorten it" in r.getMessage()]) == 1  # once, not every visit
    finally:
        k.services.stop()


def test_the_7_inch_start_screen_has_the_languages_by_name_behind_its_language_button(kiosk, site):
    drv, app = kiosk.driver, kiosk.app
    assert not app.wide and "Українська" not in {b.text for b in drv.buttons()}
    assert drv.choose_language("uk") == 2  # the language button, then the name
    assert drv.view is drv.screen and drv.screen.name == "start" and app.lang == "uk"
    assert drv.screen.ids.title.text == site.questions["start"].text.get_text("uk")
    drv.tap(tr("uk", "language"))
    drv.tap(tr("uk", "back"))  # leaves the language as it was
    assert drv.view is drv.screen and app.lang == "uk"
    drv.tap(tr("uk", "language"))
    app._last_touch = time.monotonic() - site.kiosk.idle_reset_seconds - 1
    drv.wait_until(lambda: drv.view is drv.screen and app.lang == "da", 3)  # the next citizen starts afresh
