"""The desk workstation in a real headless Chromium, beside a real hub and Mosquitto.

Tickets come in as a kiosk asks for them; what the board shows is read from the hub's
retained ``board`` snapshot and ``calls`` events on the broker, as the board reads them.
"""
from __future__ import annotations

import json
import time
import uuid

import pytest
from gpiozero.pins.mock import MockFactory
from playwright.sync_api import expect

from bench.web_rig import log_in
from hardware.buttons import DeskUnit
from hardware.desk_client import DeskClient
from hardware.outbox import Outbox
from reception.mqtt import BrokerAddress
from tests.hardware.conftest import wait_until

SITE = "reception/toender"


def issue(recorder, service: str, **fields) -> str:
    """A ticket as kiosk-1 asks for it; returns its number."""
    replies = recorder(f"{SITE}/kiosk/kiosk-1/ticket/reply")
    replies.settle()
    request_id = f"t-{uuid.uuid4().hex[:12]}"
    replies.publish(f"{SITE}/kiosk/kiosk-1/ticket/request", {"v": 1, "id": request_id, "service": service, **fields})
    reply = replies.wait_for(lambda msgs: [json.loads(p) for _t, p in msgs if json.loads(p)["id"] == request_id])[0]
    assert reply["ok"], reply
    return reply["ticket"]["number"]


def open_desk(browser, web, user: str, desk: str = "desk-1"):
    page = browser()
    log_in(page, web, user)
    page.goto(f"{web.url}/desk/{desk}")
    expect(page.locator("#connection")).to_have_attribute("data-up", "true")
    expect(page.locator("#desk-status")).to_have_attribute("data-status", "closed")
    return page


def board_calls(recorder):
    board = recorder(f"{SITE}/board", f"{SITE}/calls")
    board.settle()
    return board


def test_staff_calls_next_with_the_key_and_the_call_is_on_the_board(web, browser, recorder):
    issued = {issue(recorder, "passport"), issue(recorder, "moving", extras=["carer"])}
    page = open_desk(browser, web, "anna")
    expect(page.locator("#queue-rows tr")).to_have_count(2)
    expect(page.locator("#queue-rows")).to_contain_text("Med hjælper")
    first, second = page.locator("#queue-rows th").all_inner_texts()  # in the hub's order (a carer goes first)
    assert {first, second} == issued
    board = board_calls(recorder)
    page.keyboard.press("n")
    expect(page.locator("#current-number")).to_have_text(first)
    expect(page.locator("#current-detail")).to_contain_text("Med hjælper")
    expect(page.locator("#desk-status")).to_have_attribute("data-status", "open")
    snapshot = board.wait_for(lambda msgs: [s for t, p in msgs if t == f"{SITE}/board"
                                            for s in [json.loads(p)] if s["calls"] and s["calls"][0]["number"] == first])
    assert snapshot[-1]["calls"][0]["desk"] == "desk-1"
    page.get_by_role("button", name="Næste").click()  # again at once: a double press, the citizen keeps the turn
    expect(page.locator("#result")).to_have_text(f"Næste: {first}")
    expect(page.locator("#current-number")).to_have_text(first)
    expect(page.locator("#queue-rows th")).to_have_text([second])


def test_recall_and_transfer_to_a_volunteer_keep_the_citizen(web, browser, recorder):
    number = issue(recorder, "mitid_learn", preference="staff")
    page = open_desk(browser, web, "anna")
    page.keyboard.press("n")
    expect(page.locator("#current-number")).to_have_text(number)
    board = board_calls(recorder)
    page.get_by_role("button", name="Kald igen").click()
    board.wait_for(lambda msgs: [e for t, p in msgs if t == f"{SITE}/calls"
                                 for e in [json.loads(p)] if e["type"] == "recall" and e["number"] == number])
    volunteer = recorder(f"{SITE}/desk/vol-1/state")
    page.keyboard.press("t")
    page.get_by_role("button", name="Til frivillig").click()
    expect(page.locator("#current-number")).to_have_text("–")
    volunteer.wait_for(lambda msgs: [s for _t, p in msgs for s in [json.loads(p)]
                                     if [t["number"] for t in s["next"]] == [number]])
    vera = open_desk(browser, web, "vera", "vol-1")
    expect(vera.locator("#queue-rows th")).to_have_text([number])
    vera.locator("#queue-rows").get_by_role("button", name=f"Kald {number}").click()
    expect(vera.locator("#current-number")).to_have_text(number)
    vera.get_by_role("button", name="Overfør").click()  # back to staff: the volunteer's mouse, not a key
    vera.get_by_role("button", name="Til personale").click()
    expect(vera.locator("#current-number")).to_have_text("–")
    expect(page.locator("#queue-rows th")).to_have_text([number])


@pytest.fixture
def buttons(site, broker, tmp_path):
    """desk-1's real button unit (gpiozero's mock pins), beside the browsers."""
    factory = MockFactory()
    client = DeskClient(site, "desk-1", BrokerAddress(broker.host, broker.port), Outbox(tmp_path / "outbox.db")).start()
    # the unit's own 2 s hold: the test's 0.06 s press stays a short one however busy the machine
    unit = DeskUnit(client, site.pins["desk-1"], pin_factory=factory, blink_seconds=30)
    yield unit, factory
    unit.close()
    client.stop()
    client.outbox.close()
    factory.reset()


def test_two_browsers_and_the_desk_buttons_show_one_state(web, browser, recorder, buttons):
    unit, pins = buttons
    numbers = [issue(recorder, "passport") for _ in range(3)]
    anna, bo = open_desk(browser, web, "anna"), open_desk(browser, web, "bo")
    anna.keyboard.press("n")
    for page in (anna, bo):
        expect(page.locator("#current-number")).to_have_text(numbers[0])
        expect(page.locator("#queue-rows th")).to_have_text(numbers[1:])
    wait_until(lambda: unit.client.state and unit.client.state.current and unit.client.state.current.number == numbers[0])
    bo.keyboard.press("d")
    for page in (anna, bo):
        expect(page.locator("#current-number")).to_have_text("–")
    anna.keyboard.press("p")
    for page in (anna, bo):
        expect(page.locator("#desk-status")).to_have_attribute("data-status", "paused")
    bo.get_by_role("button", name="Genoptag").click()
    for page in (anna, bo):
        expect(page.locator("#desk-status")).to_have_attribute("data-status", "open")
    next_pin = pins.pin(unit.client.site.pins["desk-1"]["next"])  # a short press of the desk's own Next button
    next_pin.drive_low()
    time.sleep(0.06)
    next_pin.drive_high()
    for page in (anna, bo):
        expect(page.locator("#current-number")).to_have_text(numbers[1])
    bo.keyboard.press("c")
    bo.keyboard.type(numbers[2].lower())
    bo.keyboard.press("Enter")
    for page in (anna, bo):
        expect(page.locator("#current-number")).to_have_text(numbers[2])
        expect(page.locator("#queue-empty")).to_be_visible()
