"""``reception collect``'s engine: every site's ``stats/daily`` into one central ``day_stats`` table.

Each site's broker bridges its ``reception/<site>/stats/daily`` to the central
broker (see ``docs/multi-site.md``); this client subscribes to all of them with a
persistent session, validates each message through the contract and keeps the
newest aggregate per site and day.  A report then runs on the central file.
"""
from __future__ import annotations

import logging
import threading

from reception import protocol
from reception.errors import MessageError
from reception.mqtt import BrokerAddress, Connection
from reception.protocol.wire import show, shorten

from hub.stats_db import StatsDB

log = logging.getLogger(__name__)

ALL_SITES = f"{protocol.ROOT}/+/stats/daily"


class Collector:
    def __init__(self, db: StatsDB, broker: BrokerAddress, *, client_id: str = "reception-collector"):
        self.db = db
        self._lock = threading.Lock()
        self.conn = Connection(client_id, broker, persistent=True)
        self.conn.subscribe(ALL_SITES, self._on_stats)

    def start(self) -> "Collector":
        self.conn.start()
        return self

    def stop(self) -> None:
        self.conn.stop()

    def _on_stats(self, topic: str, payload: bytes) -> None:
        try:
            site = protocol.parse_topic(topic).site
            message = protocol.DailyStatsMessage.from_payload(payload)
            if message.site != site:
                raise MessageError(f"payload of site {message.site!r} on the topic of {site!r}")
        except MessageError as exc:
            log.warning("ignored statistics on %s: %s", show(topic), shorten(exc))
            return
        with self._lock:
            self.db.save(dict(message.aggregate), at=message.at.isoformat(), final=message.final)
        log.info("stored statistics of %s for %s%s", site, message.day, " (final)" if message.final else "")
