"""Fixtures for desk units: gpiozero's MockFactory, a desk client on the test broker, and a stand-in hub."""
from __future__ import annotations

import threading
import time
import uuid

import pytest
from gpiozero.pins.mock import MockFactory

from hardware.desk_client import DeskClient
from hardware.outbox import Outbox
from reception import protocol
from reception.mqtt import BrokerAddress, Connection


class HubPlayer:
    """Plays the hub's part until it exists: records desk commands (persistent session, so none are
    missed while the broker restarts) and answers with ``result`` or publishes a desk ``state``."""

    def __init__(self, broker, site_id: str):
        self.topics = protocol.Topics(site_id)
        self.commands: list[tuple[str, protocol.DeskCommand]] = []
        self._cond = threading.Condition()
        self.conn = Connection(f"hub-player-{uuid.uuid4().hex[:6]}", BrokerAddress(broker.host, broker.port),
                               persistent=True)
        self.conn.subscribe(self.topics.desk_command("+"), self._record)
        self.conn.start()
        assert self.conn.wait_connected(10)

    def _record(self, topic: str, payload: bytes) -> None:
        with self._cond:
            self.commands.append((protocol.parse_topic(topic).device_id, protocol.DeskCommand.from_payload(payload)))
            self._cond.notify_all()

    def wait_commands(self, count: int, timeout: float = 15) -> list[protocol.DeskCommand]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.commands) >= count, timeout), f"got {self.commands}"
            return [c for _desk, c in self.commands]

    def actions(self) -> list[str]:
        with self._cond:
            return [c.action for _desk, c in self.commands]

    def answer_all(self, error: str | None = None) -> None:
        with self._cond:
            pending = list(self.commands)
        for desk, command in pending:
            self.conn.publish(self.topics.desk_result(desk), protocol.DeskResult.answer(command, error=error).to_payload()).wait_for_publish(5)

    def publish_state(self, desk: str, status: str, current: dict | None = None) -> None:
        state = {"desk": desk, "kind": "staff", "status": status, "current": current, "next": [], "waiting": 0,
                 "at": "2026-11-25T10:00:00+01:00"}
        self.conn.publish(self.topics.desk_state(desk), protocol.encode(state), retain=True).wait_for_publish(5)

    def close(self) -> None:
        self.conn.stop()


def wait_until(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)
    return result


def wait_sessions_saved(broker, timeout: float = 10.0) -> None:
    """Mosquitto writes persistent sessions to disk every second or so; a kill before that forgets them."""
    db = broker.data_dir / "mosquitto.db"
    wait_until(lambda: db.exists(), timeout)


@pytest.fixture
def hub_player(broker, site):
    player = HubPlayer(broker, site.id)
    yield player
    player.close()


@pytest.fixture
def mock_factory():
    """gpiozero's own mock pins, handed to each device (``pin_factory=``) as the appliance does."""
    factory = MockFactory()
    yield factory
    factory.reset()


@pytest.fixture
def desk_client(broker, site, tmp_path):
    """A connected client for desk-1; call it again for another desk or after a restart."""
    made = []

    def make(desk: str = "desk-1", role: str = "buttons") -> DeskClient:
        outbox = Outbox(tmp_path / f"{role}-outbox.db")
        client = DeskClient(site, desk, BrokerAddress(broker.host, broker.port), outbox, role=role).start()
        made.append(client)
        assert client.conn.wait_connected(10)
        return client

    yield make
    for client in made:
        client.stop()
        client.outbox.close()
