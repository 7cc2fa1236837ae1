"""The hub's intake: messages leave the network at once and are handled in arrival order by one worker.

Reading never waits for the queue work, so a burst piles up here, where the hub can
see it (how many, how old), instead of unseen in the broker, whose queue limit drops
messages without a word.  The worker tells the handler how long the message waited
(``age``): a ticket request that waited longer than a kiosk waits for its answer is
refused as stale, since the kiosk has printed a number of its own meanwhile.
Messages still here when the hub stops were never acknowledged: the broker
delivers them again to the next hub (persistent session).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Callable

log = logging.getLogger(__name__)

Handler = Callable[[str, bytes, Callable[[], None]], None]


class Intake:
    def __init__(self, timer: Callable[[], float] = time.monotonic):
        self._timer = timer
        self._items: deque[tuple[float, Handler, str, bytes, Callable[[], None]]] = deque()
        self._cond = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._work, name="hub-intake", daemon=True)
        self.received = 0.0  # when the message being handled arrived (``timer``)
        self.age = 0.0  # and how long it waited here

    def wrap(self, handler: Handler) -> Handler:
        """A network-thread callback that only queues the message for ``handler``."""
        def put(topic: str, payload: bytes, ack: Callable[[], None]) -> None:
            with self._cond:
                self._items.append((self._timer(), handler, topic, payload, ack))
                self._cond.notify()
        return put

    def __len__(self) -> int:
        return len(self._items)

    def oldest_age(self) -> float:
        """How long the oldest message still waiting has waited (0 when none waits)."""
        with self._cond:
            return self._timer() - self._items[0][0] if self._items else 0.0

    def start(self) -> "Intake":
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(5)

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._items and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                received, handler, topic, payload, ack = self._items.popleft()
            self.received, self.age = received, self._timer() - received
            try:
                handler(topic, payload, ack)
            except Exception:  # the handlers guard themselves; this keeps the worker alive whatever happens
                log.exception("handling a message on %s failed", topic)
