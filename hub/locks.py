"""The hub's two locks and the one order they may be taken in.

The queue's lock guards the queue and everything derived from it (handlers, the
ticker and the announcements hold it); the database's guards the SQLite connection.
A thread holding the queue's lock may take the database's, never the other way
round: the flusher commits holding only the database's lock while a handler holds
the queue's and waits briefly for the database.  Asking for the queue's lock while
holding the database's raises at once, instead of deadlocking some day under load.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator


class LockOrderError(RuntimeError):
    """The queue's lock was asked for while holding the database's."""


class HubLocks:
    def __init__(self) -> None:
        self._queue = threading.RLock()
        self._db = threading.Lock()
        self._held = threading.local()  # whether this thread holds the database's lock

    @contextmanager
    def queue(self) -> Iterator[None]:
        """The queue's lock (reentrant)."""
        if getattr(self._held, "db", False):
            raise LockOrderError("the queue's lock is never taken while holding the database's")
        with self._queue:
            yield

    @contextmanager
    def db(self) -> Iterator[None]:
        """The database's lock: held only around store calls, never while waiting for the queue's."""
        with self._db:
            self._held.db = True
            try:
                yield
            finally:
                self._held.db = False
