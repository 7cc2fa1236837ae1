"""Every path of the example site in every language, by touches, against a real hub and Mosquitto:
the taps it took, what the hub received, what the screen shows, what the Dummy printer got."""
from __future__ import annotations

import json
import sqlite3
import uuid

import pytest

from kiosk.i18n import tr
from tests.escpos_bytes import qr_payloads
from tests.kiosk.paths import all_paths, answer_first_visit, tap_through

MAX_TAPS = 3  # the brief: a ticket in at most three taps from the start screen


def open_desks(recorder, site, *desks):
    """Desks open as staff and volunteers would, by their own command; wait until the board shows them."""
    r = recorder(f"reception/{site.id}/board")
    for desk in desks:
        r.publish(f"reception/{site.id}/desk/{desk}/command", {"v": 1, "id": uuid.uuid4().hex, "action": "open"})

    def all_open(msgs):
        kinds = [json.loads(p)["kinds"] for _t, p in msgs if p]
        return kinds and all(kinds[-1].get(site.desks[d].kind, {}).get("open") for d in desks)
    r.wait_for(all_open)
    return r


def stored_first_visit(hub, numbers):
    with sqlite3.connect(hub.db_path) as db:
        return dict(db.execute(f"select number, first_visit from tickets where number in "
                               f"({','.join('?' * len(numbers))})", numbers).fetchall())


@pytest.mark.parametrize("lang", ["da", "en", "de", "uk"])
def test_every_path_reaches_the_hub_and_the_printer(lang, kiosk, hub, recorder, site):
    requests = recorder(f"reception/{site.id}/kiosk/kiosk-1/ticket/request")
    answers = recorder(f"reception/{site.id}/kiosk/kiosk-1/ticket/first_visit")
    open_desks(recorder, site, "vol-1", "desk-1")
    drv, app = kiosk.driver, kiosk.app
    drv.wait_until(lambda: kiosk.services.link.hub_online and kiosk.services.link.board)
    answered, tokens = {}, set()
    for n, path in enumerate(all_paths(site)):
        taps = tap_through(drv, site, lang, path)
        assert taps <= MAX_TAPS, (path, taps)
        screen = drv.wait_until(lambda: drv.screen.name == "ticket" and drv.screen.phase == "shown" and drv.screen)
        body = requests.wait_for(lambda msgs: len(msgs) > n and json.loads(msgs[n][1]))
        assert {k: body[k] for k in ("service", "preference", "extras", "first_visit", "lang")} == {
            "service": path.service, "preference": path.preference, "extras": list(path.extras),
            "first_visit": None, "lang": lang}
        assert "offline_number" not in body
        letter = site.services[path.service].letter
        assert screen.number.startswith(letter) and int(screen.number[1:]) < 900
        assert screen.reason == site.services[path.service].name.get_text(lang)
        drv.wait_until(lambda: screen.message == tr(lang, "called"))
        printed = kiosk.printer.sink.device.output
        assert screen.number.encode() in printed
        assert printed.endswith(b"\x1dV\x00")  # the cut
        [url] = qr_payloads(printed)  # the status page: the token sent with this ticket's request, and no other
        assert url.endswith(f"/t/{body['token']}") and screen.qr is not None and body["token"] not in tokens
        tokens.add(body["token"])
        if lang == "da":  # the reason, wrapped to the paper, Danish letters in code page 865
            for word in site.services[path.service].name.get_text("da").split():
                assert word.encode("cp865") in printed
        kiosk.printer.sink.device.clear()
        answer_first_visit(drv, lang, path.first_visit)
        if path.first_visit is not None:
            answered[screen.number] = path.first_visit
            assert screen.first_visit == ("yes" if path.first_visit else "no")
        drv.tap(tr(lang, "done"))
        assert drv.screen.name == "start" and app.lang == "da"
    assert len(requests.messages) == len(all_paths(site))
    sent = answers.wait_for(lambda msgs: len(msgs) == len(answered) and [json.loads(p) for _t, p in msgs])
    assert {m["number"]: m["first_visit"] for m in sent} == answered

    def all_stored():
        stored = stored_first_visit(hub, list(answered))
        return all(stored.get(number) is not None for number in answered) and stored
    assert {number: bool(v) for number, v in drv.wait_until(all_stored).items()} == answered


def test_choice_shows_both_waits_from_the_board_and_the_ticket_its_place(kiosk, hub, recorder, site):
    open_desks(recorder, site, "vol-1", "desk-1")
    drv = kiosk.driver
    drv.wait_until(lambda: kiosk.services.link.board and kiosk.services.link.board.kinds["volunteer"].open)
    drv.choose_language("en")
    drv.tap("MitID, Digital Post and apps")
    drv.tap("Show me how to use it")
    vol, staff = drv.button(tr("en", "choice_volunteer")), drv.button(tr("en", "choice_staff"))
    assert vol.detail.startswith("Wait about ") and staff.detail.startswith("Wait about ")
    drv.tap(vol)
    screen = drv.wait_until(lambda: drv.screen.phase == "shown" and drv.screen)
    assert screen.number.startswith("A")
    assert "You are next" in screen.wait and "ahead of you" not in screen.wait and "Wait about" in screen.wait
