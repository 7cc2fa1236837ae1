"""End to end with the real hub: button press -> hub -> retained desk state -> LED."""
from __future__ import annotations

import time

from hardware.buttons import DeskUnit
from tests.hardware.conftest import wait_until


def test_press_reaches_the_hub_and_the_led_follows(site, hub, broker, recorder, mock_factory, desk_client):
    pins = site.pins["desk-1"]
    desk = DeskUnit(desk_client("desk-1"), pins, pin_factory=mock_factory, hold_time=0.6, blink_seconds=30)
    try:
        rec = recorder("reception/toender/kiosk/kiosk-1/ticket/reply")
        rec.publish("reception/toender/kiosk/kiosk-1/ticket/request", {"v": 1, "id": "req-1", "service": "passport"})
        rec.wait_for(lambda msgs: msgs)
        mock_factory.pin(pins["next"]).drive_low()  # long press: open the desk (short and long: 0.5 s from the hold)
        time.sleep(1.1)
        mock_factory.pin(pins["next"]).drive_high()
        wait_until(lambda: desk.client.status == "open")
        assert desk.led.value == 1
        mock_factory.pin(pins["next"]).drive_low()  # short press: call the next citizen
        time.sleep(0.06)
        mock_factory.pin(pins["next"]).drive_high()
        wait_until(lambda: desk.client.state.current is not None)
        assert (desk.client.state.current.number, desk.client.state.current.state) == ("C001", "called")
        seen = set()
        for _ in range(40):
            seen.add(desk.led.value)
            time.sleep(0.02)
        assert seen == {0, 1}  # blinking: a citizen is being called
        wait_until(lambda: not desk.client.outbox.pending("desk-1"))  # both commands confirmed by the hub
    finally:
        desk.close()
