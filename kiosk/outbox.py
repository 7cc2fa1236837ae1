"""Tickets the kiosk issues on its own while the hub is unreachable, kept on disk until handed over.

Numbers come from the kiosk's reserved range (``kiosks[].offline_numbers``), one
counter per local day and service letter, stored in the same SQLite file as the
tickets and advanced in the same transaction: a restart or a power cut can never
hand out a number twice.  A ticket leaves the outbox only when the hub has
confirmed it, so none is lost between the kiosk and the hub.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from dataclasses import replace

import sqlite_utils

from kiosk.flow import Order
from reception.config import Kiosk
from reception.errors import ReceptionError
from reception.protocol import VERSION, TicketRequest

log = logging.getLogger(__name__)


class RangeExhausted(ReceptionError, RuntimeError):
    """Every offline number of this kiosk for this letter is used today."""


@dataclass(frozen=True)
class Pending:
    """One offline ticket waiting for the hub: the exact request to (re)send."""

    id: str
    number: str
    issued_at: datetime
    request: TicketRequest


def _stored(body: str) -> TicketRequest:
    """A request as the outbox keeps it: its payload (rows of older kiosks lack the version)."""
    return TicketRequest.from_payload({"v": VERSION, **json.loads(body)})


class Outbox:
    def __init__(self, path: str | Path | None, kiosk: Kiosk):
        """``path=None`` keeps it in memory (only for tests that do not restart)."""
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False, isolation_level=None)
        self.db = sqlite_utils.Database(conn)
        if path is not None:
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.kiosk = kiosk
        self._lock = threading.Lock()
        self.db["counters"].create({"day": str, "letter": str, "last": int}, pk=("day", "letter"),
                                   if_not_exists=True)
        self.db["pending"].create({"id": str, "number": str, "issued_at": str, "body": str}, pk="id",
                                  if_not_exists=True)
        self.db["rejected"].create({"id": str, "number": str, "issued_at": str, "body": str, "error": str},
                                   pk="id", if_not_exists=True)

    def issue(self, order: Order, letter: str, now: datetime, *, replaces: str | None = None) -> Pending:
        """Take the next number for ``letter`` today and store the ticket, in one transaction.

        ``replaces``: the online request this ticket stands in for (it got no reply); the hand-over
        names it, so the hub withdraws a ticket it may have issued for it after all.
        """
        day = now.date().isoformat()
        first, last = self.kiosk.offline_numbers
        with self._lock, self.db.conn:  # one explicit transaction for the counter and the ticket
            self.db.execute("BEGIN IMMEDIATE")
            row = self.db.execute("SELECT last FROM counters WHERE day = ? AND letter = ?", [day, letter]).fetchone()
            n = first if row is None else row[0] + 1
            if n > last:
                raise RangeExhausted(f"offline numbers {first}-{last} for {letter} are used up today")
            self.db.execute("INSERT OR REPLACE INTO counters (day, letter, last) VALUES (?, ?, ?)", [day, letter, n])
            number = f"{letter}{n:03d}"
            rid = f"{self.kiosk.id}-off-{uuid.uuid4().hex[:12]}"
            request = order.request(rid, offline_number=number, issued_at=now, replaces=replaces)
            self.db.execute("INSERT INTO pending (id, number, issued_at, body) VALUES (?, ?, ?, ?)",
                            [rid, number, now.isoformat(), request.to_payload().decode()])
        log.info("issued %s offline (%d waiting for the hub)", number, len(self))
        return Pending(rid, number, now, request)

    def pending(self) -> list[Pending]:
        """Tickets not yet confirmed by the hub, in the order they were issued."""
        with self._lock:
            rows = list(self.db.query("SELECT * FROM pending ORDER BY issued_at, rowid"))
        return [Pending(r["id"], r["number"], datetime.fromisoformat(r["issued_at"]), _stored(r["body"]))
                for r in rows]

    def set_first_visit(self, number: str, issued_at: datetime, first_visit: bool) -> bool:
        """Put the citizen's first-visit answer into a ticket still waiting here; False when it has left."""
        with self._lock, self.db.conn:
            self.db.execute("BEGIN IMMEDIATE")
            row = self.db.execute("SELECT id, body FROM pending WHERE number = ? AND issued_at = ?",
                                  [number, issued_at.isoformat()]).fetchone()
            if row is None:
                return False
            request = replace(_stored(row[1]), first_visit=first_visit)
            self.db.execute("UPDATE pending SET body = ? WHERE id = ?", [request.to_payload().decode(), row[0]])
        return True

    def delivered(self, request_id: str) -> None:
        """The hub has the ticket: it may leave the outbox."""
        with self._lock, self.db.conn:
            self.db["pending"].delete_where("id = ?", [request_id])

    def rejected(self, request_id: str, error: str) -> None:
        """The hub refused the ticket for good (e.g. a service removed meanwhile): keep it aside, stop resending."""
        with self._lock, self.db.conn:
            row = self.db.execute("SELECT id, number, issued_at, body FROM pending WHERE id = ?",
                                  [request_id]).fetchone()
            if row is None:
                return
            self.db["rejected"].insert(dict(zip(("id", "number", "issued_at", "body"), row), error=error),
                                       replace=True)
            self.db["pending"].delete_where("id = ?", [request_id])
        log.error("hub refused offline ticket %s: %s", row[1], error)

    def __len__(self) -> int:
        with self._lock:
            return self.db["pending"].count

    def close(self) -> None:
        self.db.conn.close()
