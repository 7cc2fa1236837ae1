"""One real board app for all board tests (Kivy allows one window per process), on its own Mosquitto.

Package scope: the app stops after the last board test, leaving the window empty for the
next part's app (the kiosk's tests run in the same process).

Before the app starts, the broker already holds what a running hub leaves retained: its
availability and a board snapshot, so the first test sees the board "correct at once".
"""
from __future__ import annotations

from datetime import datetime

import pytest

from reception import config, protocol
from reception.broker import PrivateBroker
from tests.board.helpers import call, snapshot
from tests.board.screen import configure, pump, start_app, stop_app
from tests.conftest import EXAMPLE_CONFIG, Recorder

SITE = config.load(EXAMPLE_CONFIG)
TOPICS = protocol.Topics(SITE.id)


def publish_first_state(publisher) -> None:
    """What a running hub leaves retained, as the board finds it when it starts."""
    publisher.publish(TOPICS.hub_available, {"v": 1, "status": "online"}, retain=True)
    publisher.publish(TOPICS.board, snapshot(
        [call("C004", "desk-3", 3), call("A002", "vol-1", 2), call("B001", "desk-1", 1)],
        {"mitid_learn": (3, 5, 25), "passport": (4, False, 18)}), retain=True)


@pytest.fixture(scope="package")
def board_mqtt(tmp_path_factory):
    """(broker, publisher): the publisher speaks as the hub where a test wants exact control."""
    broker = PrivateBroker(tmp_path_factory.mktemp("board-broker")).start()
    publisher = Recorder(broker)
    publish_first_state(publisher)
    yield broker, publisher
    publisher.close()
    broker.stop()


@pytest.fixture(scope="package")
def board(xvfb, board_mqtt, tmp_path_factory):
    configure((1280, 720))
    from display_board.announcer import Announcer
    from display_board.app import BoardApp
    from reception.mqtt import BrokerAddress

    broker, _publisher = board_mqtt
    announcer = Announcer(["da", "en"], tmp_path_factory.mktemp("announce"), record_only=True).start()
    app = start_app(BoardApp(SITE, broker=BrokerAddress(broker.host, broker.port), announcer=announcer,
                             now=lambda: datetime(2026, 11, 24, 10, 0, tzinfo=SITE.tz)))
    assert pump(lambda: app.screen.latest_number == "C004", 10), "the retained snapshot never showed"
    yield app
    stop_app(app)
