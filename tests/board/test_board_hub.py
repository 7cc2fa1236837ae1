"""End to end: kiosk requests and desk commands go to the real hub process; the board shows and speaks them.

The hub runs as ``reception hub`` on the board's broker, so killing it makes the broker
publish its Last Will ("offline") and the board must show the calm banner, then recover
when the hub is back.
"""
from __future__ import annotations

import json
import uuid

import pytest

from tests.board.conftest import TOPICS
from tests.board.screen import pump
from tests.conftest import HubProcess, Recorder


@pytest.fixture
def real_hub(board, board_mqtt, tmp_path):
    """A fresh hub for each test (its own database): the tests run in any order."""
    hub = HubProcess(board_mqtt[0], tmp_path / "hub.db").start()
    yield hub
    hub.stop()
    hub.available.close()


@pytest.fixture
def devices(real_hub, board_mqtt):
    """Kiosk and desks, as one client that also hears the hub's answers."""
    rec = Recorder(board_mqtt[0], f"{TOPICS.base}/kiosk/+/ticket/reply", f"{TOPICS.base}/desk/+/result")
    yield rec
    rec.close()


def answer(rec, suffix, request_id):
    def found(msgs):
        for topic, payload in msgs:
            if topic.endswith(suffix) and json.loads(payload)["id"] == request_id:
                return json.loads(payload)
    return rec.wait_for(found, 10)


def ticket(rec, service, **fields) -> str:
    rid = uuid.uuid4().hex
    rec.publish(TOPICS.ticket_request("kiosk-1"), {"v": 1, "id": rid, "service": service, **fields})
    return answer(rec, "/ticket/reply", rid)["ticket"]["number"]


def press(rec, desk, action) -> dict:
    cid = uuid.uuid4().hex
    rec.publish(TOPICS.desk_command(desk), {"v": 1, "id": cid, "action": action})
    result = answer(rec, "/result", cid)
    assert result["ok"], result
    return result


def shown(app) -> list[str]:
    return [app.screen.latest_number] + [c.number for c in app.screen.cells if c.number]


def test_desk_commands_reach_the_board_in_order_with_desk_names_and_speech(board, real_hub, devices):
    assert pump(lambda: board.screen.latest_number == "" and not board.screen.offline, 10), \
        "a fresh hub's snapshot (no calls yet) must replace what the board showed"
    passport, learn, licence = ticket(devices, "passport"), \
        ticket(devices, "mitid_learn", preference="volunteer", lang="uk"), ticket(devices, "driving_licence")
    assert pump(lambda: board.screen.page_languages() == ("da", "uk"), 10), \
        "the information pages alternate Danish with the languages waiting"
    for desk in ("desk-1", "vol-1", "desk-2"):
        press(devices, desk, "open")
    assert board.announcer.wait_idle(30)  # an earlier test's calls still being spoken would count as ours
    before = len(board.announcer.commands)
    for desk in ("desk-1", "vol-1", "desk-2"):  # three desks: one desk's quick second press would repeat its call
        press(devices, desk, "next")
    assert pump(lambda: shown(board) == [licence, learn, passport], 10), shown(board)
    assert "Skranke 2" in board.screen.latest_desk
    assert "Frivillig 1" in board.screen.cells[0].desk
    assert pump(lambda: board.screen.rows[0].waiting == "", 10), "nobody waits: no '0 venter' beside a wait"
    press(devices, "vol-1", "recall")
    assert pump(lambda: shown(board) == [learn, licence, passport], 10), shown(board)
    assert board.announcer.wait_idle(30)
    spoken = [c[-1] for c in board.announcer.commands[before:] if c[2] == "da"]
    assert spoken == [f"Nummer {n[0]} {int(n[1:])}, {desk}" for n, desk in
                      [(passport, "Skranke 1"), (learn, "Frivillig 1"), (licence, "Skranke 2"), (learn, "Frivillig 1")]]
    in_ukrainian = [c[-1] for c in board.announcer.commands[before:] if c[2] == "uk"]
    assert in_ukrainian == [f"Номер {learn[0]} {int(learn[1:])}, Frivillig 1"] * 2  # the call and the recall
    assert not [c for c in board.announcer.commands[before:] if c[2] not in ("da", "uk")]
    assert board.screen.page_languages() == ("da",), "nobody waits now: the pages are in Danish"


def test_hub_killed_shows_the_banner_and_a_restarted_hub_clears_it(board, real_hub, devices):
    called = ticket(devices, "moving")
    press(devices, "desk-1", "open")
    press(devices, "desk-1", "next")
    assert pump(lambda: shown(board)[0] == called and not board.screen.offline, 10), shown(board)
    before = shown(board)
    real_hub.kill()
    assert pump(lambda: board.screen.offline, 15), "no banner after the hub died"
    assert shown(board) == before, "the last calls stay on screen while the hub is away"
    real_hub.start()
    assert pump(lambda: not board.screen.offline, 15), "no recovery after the hub came back"
    assert pump(lambda: shown(board)[:3] == before[:3], 10), (before, shown(board))
    number = ticket(devices, "passport")
    press(devices, "desk-3", "open")
    press(devices, "desk-3", "next")
    assert pump(lambda: shown(board)[0] == number, 10)
