"""Desk buttons on gpiozero's MockFactory against a real Mosquitto: presses, long press, LED, outages."""
from __future__ import annotations

import time

import pytest

from hardware.buttons import DeskUnit
from tests.hardware.conftest import wait_sessions_saved, wait_until

HOLD = 0.6  # a short press (0.06 s) stays short, a long one (HOLD + 0.4 s) long, with a busy machine's delays
LONG = HOLD + 0.4
BLINK_SECONDS = 0.8


@pytest.fixture
def unit(site, mock_factory, desk_client):
    units = []

    def make(desk: str = "desk-1", client=None) -> DeskUnit:
        u = DeskUnit(client or desk_client(desk), site.pins[desk], pin_factory=mock_factory, hold_time=HOLD,
                     blink_seconds=BLINK_SECONDS)
        units.append(u)
        return u

    yield make
    for u in units:
        u.close()


def press(factory, pin: int, seconds: float = 0.06) -> None:
    factory.pin(pin).drive_low()
    time.sleep(seconds)
    factory.pin(pin).drive_high()
    time.sleep(0.06)  # let the debounce window pass before the next press


def test_each_press_sends_one_command_with_a_fresh_id(site, mock_factory, unit, hub_player):
    desk = unit("desk-1")
    pins = site.pins["desk-1"]
    for role in ("recall", "noshow", "done", "next"):
        press(mock_factory, pins[role])
    commands = hub_player.wait_commands(4)
    time.sleep(0.3)
    assert hub_player.actions() == ["recall", "noshow", "done", "next"]
    assert len({c.id for c in commands}) == 4
    assert len(desk.client.outbox.pending("desk-1")) == 4  # kept until the hub confirms
    hub_player.answer_all()
    wait_until(lambda: not desk.client.outbox.pending("desk-1"))


def test_transfer_hands_over_to_staff(site, mock_factory, unit, hub_player):
    unit("vol-1")
    press(mock_factory, site.pins["vol-1"]["transfer"])
    [command] = hub_player.wait_commands(1)
    assert (command.action, command.to_kind) == ("transfer", "staff")


def test_long_press_on_next_opens_then_closes_and_never_calls(site, mock_factory, unit, hub_player):
    desk = unit("desk-1")
    next_pin = site.pins["desk-1"]["next"]
    press(mock_factory, next_pin, LONG)
    hub_player.wait_commands(1)
    hub_player.publish_state("desk-1", "open")
    wait_until(lambda: desk.client.status == "open")
    press(mock_factory, next_pin, LONG)
    hub_player.wait_commands(2)
    time.sleep(0.3)
    assert hub_player.actions() == ["open", "close"]


def test_led_follows_the_retained_desk_state(site, mock_factory, unit, hub_player):
    hub_player.publish_state("desk-1", "open")  # retained before the unit starts
    desk = unit("desk-1")
    led = desk.led
    wait_until(lambda: led.value == 1)
    hub_player.publish_state("desk-1", "closed")
    wait_until(lambda: led.value == 0)
    hub_player.conn.publish(hub_player.topics.desk_state("desk-1"), b'{"v":1,"status":"on fire"}').wait_for_publish(5)
    time.sleep(0.2)
    assert (desk.client.status, led.value) == ("closed", 0)  # a bad message changes nothing
    called = {"number": "A012", "service": "mitid_learn", "state": "called", "waited_min": 3.0, "extras": [],
              "recalls": 0, "called_at": "2026-11-25T10:00:00+01:00"}
    led.pin.clear_states()  # the pin's own record of every change from here, whenever the state arrives
    hub_player.publish_state("desk-1", "open", called)
    wait_until(lambda: [bool(s.state) for s in led.pin.states[1:4]] == [True, False, True])  # blinking: called
    wait_until(lambda: steady(led.pin) and led.value == 1)  # settled: steady on while serving


def steady(pin, seconds: float = 0.6) -> bool:
    """No change for longer than a blink's on and off together."""
    changes = len(pin.states)
    time.sleep(seconds)
    return len(pin.states) == changes


def test_presses_during_a_broker_outage_arrive_once(site, broker, mock_factory, unit, hub_player):
    desk = unit("desk-1")
    pins = site.pins["desk-1"]
    wait_sessions_saved(broker)  # so the stand-in hub's subscription survives the kill, as the hub's would
    broker.kill()
    wait_until(lambda: not desk.client.conn.connected)
    press(mock_factory, pins["recall"])
    press(mock_factory, pins["done"])
    assert len(desk.client.outbox.pending("desk-1")) == 2
    broker.start()
    commands = hub_player.wait_commands(2, timeout=20)
    time.sleep(1.0)  # anything sent twice would show up now
    assert hub_player.actions() == ["recall", "done"]
    hub_player.answer_all()
    wait_until(lambda: not desk.client.outbox.pending("desk-1"))
    assert [c.id for c in commands] == [c.id for c in hub_player.wait_commands(2)]


def test_unconfirmed_commands_survive_a_restart_with_their_ids(site, broker, mock_factory, desk_client, hub_player):
    first = desk_client("desk-1")
    wait_sessions_saved(broker)
    broker.kill()
    wait_until(lambda: not first.conn.connected)
    stale = first.send("recall")
    first.outbox.table.update(stale, {"created": time.time() - 3600})  # pressed an hour before the cut
    sent = first.send("next")
    first.stop()  # power cut: paho's queue is gone, the outbox file is not
    broker.start()
    second = desk_client("desk-1")  # the unit starts again on the same outbox file
    [command] = hub_player.wait_commands(1, timeout=20)
    assert (command.id, command.action) == (sent, "next")
    time.sleep(0.5)
    assert len(hub_player.commands) == 1  # the hour-old press is dropped, not replayed
    assert [cid for cid, _payload in second.outbox.pending("desk-1")] == [sent]


def test_refused_command_beeps(site, mock_factory, desk_client, hub_player):
    pins = {**site.pins["desk-1"], "buzzer": 4}
    desk = DeskUnit(desk_client("desk-1"), pins, pin_factory=mock_factory, hold_time=HOLD)
    try:
        desk.press("recall")
        hub_player.wait_commands(1)
        hub_player.answer_all(error="nobody to recall")
        wait_until(lambda: desk.buzzer.value == 1, timeout=5)
    finally:
        desk.close()
