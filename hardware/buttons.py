"""Desk button units: gpiozero buttons, a status LED and an optional buzzer per desk.

Each press becomes one command through the desk's ``DeskClient``.  A long press on
"next" opens or closes the desk instead of calling.  The LED shows the desk as the
hub last published it: off = closed, on = open, blinking = a citizen is being called
(for ``blink_seconds`` after the call).  The buzzer beeps when the hub refuses a
command, since the unit has no screen to say so.  Pins come from ``[pins.<desk>]``;
the pin factory is handed to each device (``pin_factory=None`` is gpiozero's default,
from ``GPIOZERO_PIN_FACTORY``), never set globally, so the same code runs on a Pi and
with ``MockFactory`` on a laptop or in tests.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Mapping

from gpiozero import LED, Button, Buzzer

from hardware.desk_client import KEY_ACTIONS, DeskClient
from reception import protocol
from reception.config import DESK_BUTTONS

log = logging.getLogger(__name__)

BLINK = 0.25  # seconds on and off while calling


def led_mode(state: protocol.DeskState | None) -> str:
    """"off" for a closed (or unknown) desk, "calling" while its ticket is called, else "on"."""
    if state is None or state.status == "closed":
        return "off"
    if state.current is not None and state.current.state == "called":
        return "calling"
    return "on"


def call_key(state: protocol.DeskState) -> tuple:
    """What makes a call new: another ticket, or the same one recalled."""
    return state.current.number, state.current.recalls, state.current.called_at


class DeskUnit:
    """The buttons, LED and buzzer of one desk, wired to its client."""

    def __init__(self, client: DeskClient, pins: Mapping[str, int], *, pin_factory=None,
                 bounce_time: float | None = 0.05, hold_time: float = 2.0, blink_seconds: float = 10.0):
        self.client = client
        self.blink_seconds = blink_seconds
        self.buttons: dict[str, Button] = {
            role: Button(pins[role], pull_up=True, bounce_time=bounce_time, hold_time=hold_time,
                         pin_factory=pin_factory)
            for role in DESK_BUTTONS if role in pins
        }
        self.led = LED(pins["led"], pin_factory=pin_factory) if "led" in pins else None
        self.buzzer = Buzzer(pins["buzzer"], pin_factory=pin_factory) if "buzzer" in pins else None
        self._next_held = False
        self._call: tuple | None = None
        self._settle: threading.Timer | None = None
        self._led_lock = threading.Lock()  # states arrive on the MQTT thread, the blink ends on a timer
        self._wire()
        client.on_state.append(self.show)
        client.on_result.append(self._result)
        self.show(client.state)  # the retained state may have arrived before this unit was wired

    def _wire(self) -> None:
        for role, button in self.buttons.items():
            if role == "next":
                button.when_held = self._toggle_open
                button.when_released = self._next_released
            else:
                button.when_pressed = lambda _button, role=role: self.press(role)

    def press(self, role: str) -> str:
        """What one press of a button sends."""
        if role == "transfer":
            return self.client.send("transfer", to_kind="staff")
        return self.client.send(role)

    def _toggle_open(self) -> None:
        self._next_held = True
        self.client.toggle_open()

    def _next_released(self) -> None:
        if self._next_held:
            self._next_held = False  # the end of a long press, not a call
            return
        self.press("next")

    # -- LED and buzzer ----------------------------------------------------

    def show(self, state: protocol.DeskState | None) -> None:
        """Set the LED for ``state``; a new call blinks for a while, then the LED stays on."""
        if self.led is None:
            return
        with self._led_lock:
            self._show(led_mode(state), state)

    def _show(self, mode: str, state: protocol.DeskState | None) -> None:
        if mode == "calling":
            if call_key(state) == self._call:
                return  # the same call republished: keep blinking (or already settled)
            self._call = call_key(state)
            self._cancel_settle()
            self.led.blink(on_time=BLINK, off_time=BLINK)
            self._settle = threading.Timer(self.blink_seconds, self._settled, [self._call])
            self._settle.daemon = True
            self._settle.start()
            return
        self._call = None
        self._cancel_settle()
        self.led.on() if mode == "on" else self.led.off()

    def _settled(self, key: tuple) -> None:
        with self._led_lock:
            if self._call == key:
                self.led.on()

    def _cancel_settle(self) -> None:
        if self._settle is not None:
            self._settle.cancel()
            self._settle = None

    def _result(self, result: protocol.DeskResult) -> None:
        if not result.ok and self.buzzer is not None:
            self.buzzer.beep(on_time=0.1, off_time=0.1, n=2)

    def close(self) -> None:
        self._cancel_settle()
        for device in (*self.buttons.values(), self.led, self.buzzer):
            if device is not None:
                device.close()


class KeyboardButtons:
    """Keys press the mock pins of desk units on a machine without GPIO: the same code paths as real buttons.

    n r s t d press next, recall, no-show, transfer, done; o holds next (open/close);
    1-9 choose the desk when one process runs several.
    """

    def __init__(self, units: list[DeskUnit], hold_time: float):
        self.units = units
        self.hold_time = hold_time
        self.selected = units[0]

    def handle(self, key: str) -> str:
        """Act on one key; returns a line saying what happened."""
        if key.isdigit() and 1 <= int(key) <= len(self.units):
            self.selected = self.units[int(key) - 1]
            return f"desk {self.selected.client.desk_id}"
        role, seconds = {"o": ("next", self.hold_time + 0.3)}.get(key, (KEY_ACTIONS.get(key), 0.1))
        button = self.selected.buttons.get(role) if role else None
        if button is None:
            return f"no button for '{key}' on {self.selected.client.desk_id}"
        button.pin.drive_low()
        time.sleep(seconds)
        button.pin.drive_high()
        return f"{self.selected.client.desk_id}: {'held' if key == 'o' else 'pressed'} {role}"
