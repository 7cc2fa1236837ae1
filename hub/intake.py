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
MAX_LINGER_S = 0.01


class Intake:
    def __init__(self, timer: Callable[[], float] = time.monotonic, *, group: int = 64,
                 on_group_end: Callable[[], None] = lambda: None):
        """``on_group_end`` runs on the worker when it has run dry, after ``group`` messages in a row, or
        once the group has lasted as long as the last group end took (a message's wait then stays within
        about two group ends).

        Before ending a group for lack of messages the worker lingers for more, at most as long as the
        last group end took (and never over ``MAX_LINGER_S``): under load a group end, whose cost
        hardly depends on the group's size, then serves many messages, and an idle hub answers at once."""
        self._timer, self._group, self._on_group_end = timer, group, on_group_end
        self._linger = self._last_end = 0.0
        self._items: deque[tuple[float, Handler, str, bytes, Callable[[], None]]] = deque()
        self._urgent: deque[tuple[float, Handler, str, bytes, Callable[[], None]]] = deque()
        self._cond = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._work, name="hub-intake", daemon=True)
        self.received = 0.0  # when the message being handled arrived (``timer``)
        self.age = 0.0  # and how long it waited here

    def wrap(self, handler: Handler, *, urgent: bool = False) -> Handler:
        """A network-thread callback that only queues the message for ``handler``.  ``urgent`` ones (a desk
        calling someone) go before the others; each kind keeps its own order."""
        lane = self._urgent if urgent else self._items

        def put(topic: str, payload: bytes, ack: Callable[[], None]) -> None:
            with self._cond:
                lane.append((self._timer(), handler, topic, payload, ack))
                self._cond.notify()
        return put

    def __len__(self) -> int:
        return len(self._items) + len(self._urgent)

    def oldest_age(self) -> float:
        """How long the oldest message still waiting has waited (0 when none waits)."""
        with self._cond:
            oldest = min((lane[0][0] for lane in (self._items, self._urgent) if lane), default=None)
            return 0.0 if oldest is None else self._timer() - oldest

    def start(self) -> "Intake":
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(5)

    def run_pending(self) -> None:
        """Handle what waits here now, on the calling thread, and end the group: for a hub whose worker
        is not started (its handlers tested without a broker)."""
        while True:
            with self._cond:
                if not (self._items or self._urgent):
                    break
                item = (self._urgent or self._items).popleft()
            self._handle(item)
        self._end_group()

    def _work(self) -> None:
        handled, began = 0, 0.0
        while True:
            with self._cond:
                while not (self._items or self._urgent) and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                item = (self._urgent or self._items).popleft()
            began = began if handled else self._timer()
            handled += 1
            self._handle(item)
            if handled >= self._group or self._timer() - began >= self._last_end or not self._more_soon():
                self._end_group()
                handled = 0

    def _handle(self, item: tuple[float, Handler, str, bytes, Callable[[], None]]) -> None:
        received, handler, topic, payload, ack = item
        self.received, self.age = received, self._timer() - received
        self._guard(handler, topic, payload, ack)

    def _more_soon(self) -> bool:
        """Whether another message is here, or arrives while the worker lingers."""
        with self._cond:
            if not (self._items or self._urgent) and self._linger > 0:
                self._cond.wait(self._linger)
            return bool(self._items or self._urgent)

    def _end_group(self) -> None:
        started = self._timer()
        self._guard(lambda *_: self._on_group_end(), "(end of group)", b"", lambda: None)
        self._last_end = self._timer() - started
        self._linger = min(MAX_LINGER_S, self._last_end)

    @staticmethod
    def _guard(handler: Handler, topic: str, payload: bytes, ack: Callable[[], None]) -> None:
        try:
            handler(topic, payload, ack)
        except Exception:  # the handlers guard themselves; this keeps the worker alive whatever happens
            log.exception("handling a message on %s failed", topic)
