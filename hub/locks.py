"""The hub's three locks and the one order they may be taken in: queue, estimator, database.

The queue's lock guards the queue and everything derived from it (handlers, the
ticker and the announcements hold it); the estimator's guards the wait estimator's
learned state, so that a refresh can play a long queue forward with the queue's lock
let go (``hub.state``); the database's guards the SQLite connection.  A thread holding
the queue's lock may take the others, never the other way round: the flusher commits
holding only the database's lock while a handler holds the queue's and waits briefly
for the database.  Asking for the queue's lock while holding another raises at once,
instead of deadlocking some day under load.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator


class LockOrderError(RuntimeError):
    """The queue's lock was asked for while holding the estimator's or the database's."""


class HubLocks:
    def __init__(self) -> None:
        self._queue = threading.RLock()
        self._estimator = threading.RLock()
        self._db = threading.Lock()
        self._held = threading.local()  # which of the locks this thread holds (and how often)

    @contextmanager
    def queue(self) -> Iterator[None]:
        """The queue's lock (reentrant: taking it again while holding it is always allowed)."""
        held = getattr(self._held, "queue", 0)
        if not held and (getattr(self._held, "db", False) or getattr(self._held, "estimator", 0)):
            raise LockOrderError("the queue's lock is never taken while holding the estimator's or the database's")
        with self._queue:
            self._held.queue = held + 1
            try:
                yield
            finally:
                self._held.queue = held

    def holds_queue(self) -> bool:
        """Whether this thread holds the queue's lock (then nobody else can announce a call meanwhile)."""
        return getattr(self._held, "queue", 0) > 0

    def take_estimator(self, blocking: bool = True) -> bool:
        """The estimator's lock (reentrant); False if ``blocking`` is off and another thread holds it.
        Let go with ``let_go_estimator``: a refresh takes it under the queue's lock and keeps it after."""
        if not self._estimator.acquire(blocking):
            return False
        self._held.estimator = getattr(self._held, "estimator", 0) + 1
        return True

    def let_go_estimator(self) -> None:
        self._held.estimator -= 1
        self._estimator.release()

    @contextmanager
    def estimator(self) -> Iterator[None]:
        self.take_estimator()
        try:
            yield
        finally:
            self.let_go_estimator()

    @contextmanager
    def db(self) -> Iterator[None]:
        """The database's lock: held only around store calls, never while waiting for the queue's."""
        with self._db:
            self._held.db = True
            try:
                yield
            finally:
                self._held.db = False
