"""``reception collect``'s engine: every site's ``stats/daily`` into one central ``day_stats`` table.

Each site's broker bridges its ``reception/<site>/stats/daily`` to the central
broker (see ``docs/multi-site.md``); this client subscribes to all of them with a
persistent session, validates each message through the contract and keeps the
newest aggregate per site and day.  A report then runs on the central file.

Messages that arrive together are stored in one transaction (one fsync for a burst,
as a centre back from an outage receives every site's backlog at once), and each is
acknowledged only once it is stored: a collector killed in between gets it again.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

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
        self._pending: list[tuple[protocol.DailyStatsMessage, Callable[[], None]]] = []
        self._cond = threading.Condition()
        self._stopping = False
        self._writer = threading.Thread(target=self._store_loop, name="collect-store", daemon=True)
        self.conn = Connection(client_id, broker, persistent=True, manual_ack=True)
        self.conn.subscribe(ALL_SITES, self._on_stats)

    def start(self) -> "Collector":
        self._writer.start()
        self.conn.start()
        return self

    def stop(self) -> None:
        """What is not stored yet was not acknowledged either: the broker keeps it for the next start."""
        self.conn.stop()
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._writer.is_alive():
            self._writer.join(10)

    def _on_stats(self, topic: str, payload: bytes, ack: Callable[[], None]) -> None:
        try:
            site = protocol.parse_topic(topic).site
            message = protocol.DailyStatsMessage.from_payload(payload)
            if message.site != site:
                raise MessageError(f"payload of site {message.site!r} on the topic of {site!r}")
        except MessageError as exc:
            log.warning("ignored statistics on %s: %s", show(topic), shorten(exc))
            ack()
            return
        with self._cond:
            self._pending.append((message, ack))
            self._cond.notify()

    def _store_loop(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                batch, self._pending = self._pending, []
            try:
                self.db.save_many((dict(m.aggregate), m.at.isoformat(), m.final) for m, _ack in batch)
            except Exception:
                log.exception("could not store %d messages; they come again", len(batch))
                self.conn.reconnect()  # unacknowledged, so the broker sends them again
                continue
            for message, ack in batch:
                log.info("stored statistics of %s for %s%s", message.site, message.day,
                         " (final)" if message.final else "")
                ack()
