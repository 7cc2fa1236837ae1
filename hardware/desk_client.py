"""One desk's link to the hub, shared by the button unit and the console.

It turns an action into a command with a fresh id, writes it to the outbox, and hands
it to paho once; paho's QoS 1 queue resends it across reconnects.  Commands left in the
outbox by an earlier run (a power cut before the hub answered) are sent again, with
their old ids, after the first connect, unless they are too old to still mean anything.
Each unit ("buttons" or "console") says on ``desk/<desk>/<unit>/available`` that it is
there ("online"; its Last Will "offline"; "stopped" on a clean exit).  It follows the desk's retained state and the
hub's results, validating every message through ``reception.protocol``.
"""
from __future__ import annotations

import logging
import threading
import uuid
from typing import Callable

from hardware.outbox import Outbox
from reception import protocol
from reception.mqtt import BrokerAddress, Connection

log = logging.getLogger(__name__)

# The keys both the console and the keyboard stand-in for buttons understand.
KEY_ACTIONS = {"n": "next", "r": "recall", "s": "noshow", "t": "transfer", "d": "done"}
# A press left over from an earlier run is resent only if this fresh: calling "next" hours
# after a power cut would skip whoever is at the desk now.
LEFTOVER_MAX_AGE = 15 * 60


class DeskClient:
    """Sends one desk's commands and follows its state; callbacks run on the MQTT thread."""

    def __init__(self, site, desk_id: str, broker: BrokerAddress, outbox: Outbox, *, role: str = "buttons"):
        if desk_id not in site.desks:
            raise ValueError(f"unknown desk {desk_id!r} (the site has {', '.join(site.desks)})")
        if role not in protocol.DESK_UNITS:
            raise ValueError(f"unknown desk unit {role!r} (use {', '.join(protocol.DESK_UNITS)})")
        self.site, self.desk_id, self.outbox = site, desk_id, outbox
        self.topics = protocol.Topics(site.id)
        self.state: protocol.DeskState | None = None
        self.on_state: list[Callable[[protocol.DeskState], None]] = []
        self.on_result: list[Callable[[protocol.DeskResult], None]] = []
        self.on_connection: list[Callable[[bool], None]] = []
        self.state_seen = threading.Event()
        self._handed: set[str] = set()  # ids given to paho in this run: paho owns their delivery now
        self._lock = threading.Lock()
        self.conn = Connection(f"{desk_id}-{role}", broker, persistent=True, on_connect=self._send_leftovers,
                               available=self.topics.desk_available(desk_id, role),
                               on_connection_change=self._connection_changed)
        for stale in outbox.drop_older_than(desk_id, LEFTOVER_MAX_AGE):
            log.warning("%s: dropped command %s: not confirmed for %d minutes", desk_id, stale, LEFTOVER_MAX_AGE // 60)
        self.conn.subscribe_parsed(self.topics.desk_state(desk_id), protocol.DeskState.from_payload, self._state_arrived)
        self.conn.subscribe_parsed(self.topics.desk_result(desk_id), protocol.DeskResult.from_payload, self._result_arrived)

    def start(self) -> "DeskClient":
        self.conn.start()
        return self

    def stop(self) -> None:
        self.conn.stop()

    # -- commands ----------------------------------------------------------

    def send(self, action: str, **fields: str) -> str:
        """Queue one command durably and publish it; returns its id.  ``fields``: ``ticket`` for call,
        ``service``/``to_kind`` for transfer."""
        command = protocol.DeskCommand(f"{self.desk_id}-{uuid.uuid4().hex[:16]}", action, **fields)
        payload = command.to_payload()
        self.outbox.add(self.desk_id, command.id, payload)
        with self._lock:
            self._hand_over(command.id, payload)
        log.info("%s: %s (%s)", self.desk_id, action, command.id)
        return command.id

    def toggle_open(self) -> str:
        """Open a closed desk, close an open or paused one; returns the action sent."""
        action = "open" if self.status == "closed" else "close"
        self.send(action)
        return action

    def toggle_pause(self) -> str:
        """Pause an open desk, reopen a paused one; returns the action sent."""
        action = "open" if self.status == "paused" else "pause"
        self.send(action)
        return action

    @property
    def status(self) -> str:
        """The desk's status as the hub last published it ("closed" until it has)."""
        return self.state.status if self.state else "closed"

    def _hand_over(self, command_id: str, payload: bytes) -> None:
        if command_id not in self._handed:
            self._handed.add(command_id)
            self.conn.publish(self.topics.desk_command(self.desk_id), payload, qos=1)

    def _send_leftovers(self) -> None:
        with self._lock:
            for command_id, payload in self.outbox.pending(self.desk_id):
                self._hand_over(command_id, payload)

    # -- what the hub says -------------------------------------------------

    def _connection_changed(self, up: bool) -> None:
        for callback in self.on_connection:
            callback(up)

    def _state_arrived(self, state: protocol.DeskState) -> None:
        if state.desk != self.desk_id:
            log.warning("%s: ignoring state of desk %r", self.desk_id, state.desk)
            return
        self.state = state
        self.state_seen.set()
        for callback in self.on_state:
            callback(state)

    def _result_arrived(self, result: protocol.DeskResult) -> None:
        if not self.outbox.remove(result.id):
            return  # a repeated answer, or one for another console on this desk
        with self._lock:
            self._handed.discard(result.id)
        if not result.ok:
            log.warning("%s: %s refused: %s", self.desk_id, result.action, result.error)
        for callback in self.on_result:
            callback(result)
