"""Desk commands not yet confirmed by the hub, kept in a small SQLite file.

A press is written here before it is published and removed only when the hub's
``result`` with the same id arrives, so a broker outage or a power cut between press
and answer loses nothing; re-sending keeps the id, and the hub treats a repeated id
as the same command, so nothing happens twice either.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import sqlite_utils


class Outbox:
    """Unconfirmed commands by desk, oldest first; usable from the GPIO and MQTT threads alike."""

    def __init__(self, path: str | Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.db = sqlite_utils.Database(sqlite3.connect(str(path), check_same_thread=False))
        self.table = self.db.table("commands")
        if not self.table.exists():
            self.table.create({"id": str, "desk": str, "payload": bytes, "created": float}, pk="id")

    def add(self, desk: str, command_id: str, payload: bytes) -> None:
        with self._lock:
            self.table.insert({"id": command_id, "desk": desk, "payload": payload, "created": time.time()},
                              ignore=True)

    def pending(self, desk: str) -> list[tuple[str, bytes]]:
        with self._lock:
            rows = self.table.rows_where("desk = ?", [desk], order_by="created, rowid")
            return [(row["id"], row["payload"]) for row in rows]

    def drop_older_than(self, desk: str, seconds: float) -> list[str]:
        """Forget commands older than ``seconds``; returns their ids."""
        cutoff = time.time() - seconds
        with self._lock, self.db.conn:
            rows = self.db.conn.execute("DELETE FROM commands WHERE desk = ? AND created < ? RETURNING id",
                                        [desk, cutoff]).fetchall()
            return [row[0] for row in rows]

    def remove(self, command_id: str) -> bool:
        """Forget a confirmed command; False if it was not (or no longer) here."""
        with self._lock, self.db.conn:
            return self.db.conn.execute("DELETE FROM commands WHERE id = ?", [command_id]).rowcount > 0

    def close(self) -> None:
        with self._lock:
            self.db.close()
