"""Answers once what they answer would survive a power cut, without holding up the next commit.

The flusher (``hub.pipeline``) commits a batch, which puts it in the database file (a hub
killed now finds it), and announces it; the disk's flush (an fsync, milliseconds, tens
when the disk is busy) then runs here, on a thread of its own, once for every batch
committed meanwhile.  Only after it are the batch's answers sent and its messages
acknowledged: a kiosk never prints a ticket a power cut could take back, while a call
reaches the board without waiting for the disk.  If the flush fails, nothing is answered
or acknowledged and the hub reconnects: the broker delivers those messages again, and
each is answered from the store (``hub.pipeline.Answers``).
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Callable, Generic, TypeVar

from hub.store import Store

log = logging.getLogger(__name__)

Batch = TypeVar("Batch")


class Syncer(Generic[Batch]):
    def __init__(self, store: Store, *, send: Callable[[Batch], None], failed: Callable[[], None]):
        """``send`` answers and acknowledges a batch once it is on disk; ``failed`` runs when the disk
        could not be flushed (the batches waiting are dropped unanswered)."""
        self.store, self._send, self._failed = store, send, failed
        self._waiting: list[Batch] = []
        self._cond = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="hub-syncer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Flush and answer what waits, then end the thread."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(10)
        self._sync_and_send()

    def add(self, batch: Batch) -> None:
        """A committed batch, to answer once the disk has it (at once where the thread is not running:
        a hub tested without its threads)."""
        with self._cond:
            self._waiting.append(batch)
            self._cond.notify()
        if not self._thread.is_alive():
            self._sync_and_send()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
            self._sync_and_send()

    def _sync_and_send(self) -> None:
        with self._cond:
            batches, self._waiting = self._waiting, []
        if not batches:
            return
        try:
            grown = self.store.sync()  # the file, not the connection: no need for the database's lock
        except OSError:
            log.exception("could not flush %d committed batches to disk; they will come again", len(batches))
            self._failed()
            return
        for batch in batches:
            self._send(batch)
        if grown:
            try:
                self.store.checkpoint()
            except sqlite3.Error:  # the log only grows until the next one succeeds
                log.exception("checkpoint failed")
