"""The board's MQTT side: subscribe to ``board``, ``calls``, ``hub/available``, ``stats/daily`` and ``setup``
(the office's changes: information texts, volunteer sessions), parse, hand on.

Every payload is checked by a ``reception.protocol`` parser (``subscribe_parsed``); a bad
one is logged with its reason and changes nothing.  The callbacks run on paho's network
thread: the app moves them to Kivy's main thread.  A board publishes only its own
``board/<board>/available`` ("online"; its Last Will "offline"; "stopped" on a clean exit).
"""
from __future__ import annotations

from typing import Callable

from reception import protocol
from reception.mqtt import BrokerAddress, Connection
from reception.protocol.office import OfficeSetup, SetupTopics


class BoardFeed:
    def __init__(self, site_id: str, board_id: str, broker: BrokerAddress, *,
                 on_snapshot: Callable[[protocol.BoardSnapshot], None],
                 on_call: Callable[[protocol.CallEvent], None],
                 on_hub_status: Callable[[str], None],
                 on_today: Callable[[protocol.DailyStatsMessage], None],
                 on_setup: Callable[[OfficeSetup], None],
                 on_connection: Callable[[bool], None]):
        topics = protocol.Topics(site_id)
        self.connection = Connection(f"board-{board_id}", broker, available=topics.board_available(board_id),
                                     on_connection_change=on_connection)
        routes = (
            (topics.board, protocol.BoardSnapshot.from_payload, on_snapshot),
            (topics.calls, protocol.CallEvent.from_payload, on_call),
            (topics.hub_available, lambda raw: protocol.Availability.from_payload(raw).status, on_hub_status),
            (topics.stats_daily, protocol.DailyStatsMessage.from_payload, on_today),
            (SetupTopics(site_id).state, OfficeSetup.from_payload, on_setup),
        )
        for topic, parse, deliver in routes:
            self.connection.subscribe_parsed(topic, parse, deliver)

    def start(self) -> "BoardFeed":
        self.connection.start()
        return self

    def stop(self) -> None:
        self.connection.stop()
