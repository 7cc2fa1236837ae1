"""The hub's SQLite file (sqlite-utils, WAL): tickets, desks, the event log, handled commands.

Everything one operation changed is written in one transaction *before* the hub
answers anyone, so after a crash or power cut the hub rebuilds exactly the state
it had acknowledged.  Handled command ids live in the same transaction, which
makes a redelivered command a lookup instead of a second effect.  Rows hold no
personal data; ``purge`` drops old ticket rows and keeps daily aggregates.
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable

import sqlite_utils

from hub import appointment_store, setup_store
from hub.core.appointments import Appointment
from hub.core.model import CALL_KINDS, OPEN_STATES, Desk, Effects, Event, Ticket
from reception.errors import StoreVersionError
from reception.protocol import ImportedDay

EVENT_COLUMNS = ("kind", "at", "day", "ticket", "service", "desk", "detail")


@dataclass(frozen=True)
class Change:
    """One operation to store: its effects and, for a command, its key and the answer given."""

    effects: Effects
    key: str | None = None
    reply_topic: str | None = None
    reply: bytes | None = None
    at: datetime = datetime.min
    statements: tuple[tuple[str, tuple], ...] = ()  # further rows of the same operation (``hub.setup_store``)


class Store:
    CHECKPOINT_BYTES = 4 * 2**20  # the write-ahead log is copied into the database file once it is this long

    def __init__(self, path: str | Path | None = None,
                 local_day: Callable[[datetime], str] = lambda at: at.date().isoformat()):
        """``path=None`` gives an in-memory database; ``local_day`` dates desk events in site time."""
        self.local_day = local_day
        self.path = path or ":memory:"
        if path is None:
            self.db = sqlite_utils.Database(memory=True)
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            # One connection shared by the hub's threads; the hub serialises all access with its lock.
            self.db = sqlite_utils.Database(sqlite3.connect(path, check_same_thread=False))
            self.db.enable_wal()
            # A commit is in the file at once (a killed hub finds it) without waiting for the disk; ``sync``
            # then makes all committed so far survive a power cut, off the commit's way (``hub.syncer``),
            # which also copies the log into the database file (``checkpoint``): a commit never waits for it.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA wal_autocheckpoint=0")
            self.db.execute(f"PRAGMA journal_size_limit={self.CHECKPOINT_BYTES}")  # a log reused after a checkpoint shrinks to this
        self._checkpointer: sqlite3.Connection | None = None
        self._migrate()

    def _migrate(self) -> None:
        """Bring the file to this code's schema: each step of ``MIGRATIONS`` once, in order, each in one
        transaction with SQLite's ``user_version`` counting the steps done, so an installed hub's file is
        changed exactly once and a hub killed mid-step finds it as before."""
        done = self.db.execute("PRAGMA user_version").fetchone()[0]
        if done > len(self.MIGRATIONS):
            self.db.close()
            raise StoreVersionError(f"{self.path}: schema version {done} is newer than this hub knows "
                                    f"({len(self.MIGRATIONS)}); install the newer version again")
        for version, step in enumerate(self.MIGRATIONS[done:], start=done + 1):
            with self.db.atomic():
                step(self)
                self.db.execute(f"PRAGMA user_version = {version}")

    def _tables(self) -> None:
        """Version 1: the tables, created where missing (hubs installed before versioning have them)."""
        db = self.db
        if "tickets" not in db.table_names():
            db["tickets"].create({
                "key": str, "number": str, "service": str, "day": str, "issued_at": str, "preference": str,
                "extras": str, "first_visit": int, "kiosk": str, "offline": int, "state": str, "desk": str,
                "called_at": str, "first_called_at": str, "finished_at": str, "recalls": int, "transfers": int,
                "original_service": str, "served_by_kind": str, "eta_at_issue": float,
            }, pk="key")
            db["tickets"].create_index(["day"])
            db["tickets"].create_index(["state"])
        if "desks" not in db.table_names():
            db["desks"].create({"id": str, "status": str, "current": str, "last_call_at": str,
                                "status_since": str}, pk="id")
        if "events" not in db.table_names():
            db["events"].create({"id": int, "kind": str, "at": str, "day": str, "ticket": str, "service": str,
                                 "desk": str, "detail": str}, pk="id")
            db["events"].create_index(["day"])
            db["events"].create_index(["kind"])
        if "commands" not in db.table_names():
            db["commands"].create({"key": str, "at": str, "reply_topic": str, "reply": bytes}, pk="key")
            db["commands"].create_index(["at"])
        if "feedback" not in db.table_names():  # anonymous answers at the kiosk: no ticket, no free text
            db["feedback"].create({"key": str, "day": str, "hour": int, "score": int, "tags": str,
                                   "service": str}, pk="key")
            db["feedback"].create_index(["day"])

    def _drop_daily(self) -> None:
        """Version 2: the per-service 'daily' table, unread since ``day_stats`` holds the day aggregates."""
        self.db["daily"].drop(ignore=True)

    def _ticket_language(self) -> None:
        """Version 3: each ticket keeps its language, so the board can call it in that language too."""
        if "lang" not in self.db["tickets"].columns_dict:
            self.db["tickets"].add_column("lang", str)

    def _office_setup(self) -> None:
        """Version 4: the office's changes to today's setup, and the audit list of who changed what when."""
        setup_store.create_tables(self.db)

    def _appointments(self) -> None:
        """Version 5: the day's booked visits (``hub.appointment_store``)."""
        appointment_store.create_table(self.db)

    def _booked_tickets(self) -> None:
        """Version 6: a checked-in appointment's ticket keeps its booked time and desk."""
        for column in ("booked_at", "booked_desk"):
            if column not in self.db["tickets"].columns_dict:
                self.db["tickets"].add_column(column, str)

    def _ticket_token(self) -> None:
        """Version 7: each ticket keeps the hash of its status page's token (``protocol.status``)."""
        if "token_hash" not in self.db["tickets"].columns_dict:
            self.db["tickets"].add_column("token_hash", str)

    # Append new steps; never change or reorder a released one.
    MIGRATIONS = (_tables, _drop_daily, _ticket_language, _office_setup, _appointments, _booked_tickets, _ticket_token)

    # -- writing -----------------------------------------------------------

    def apply(self, effects: Effects, *, command_key: str | None = None, reply_topic: str | None = None,
              reply: bytes | None = None, at: datetime | None = None) -> None:
        """Persist one operation's effects, and the command that caused it (handled ``at``, the hub's clock), atomically."""
        if command_key is not None and at is None:
            raise ValueError("a handled command needs the time it was handled (at=)")
        self.apply_group([Change(effects, command_key, reply_topic, reply, at or datetime.min)])

    def apply_group(self, changes: Iterable["Change"]) -> None:
        """Persist a commit group atomically, each table in one statement: a ticket changed by several
        operations is written once, as it stands; events keep their order."""
        tickets, desks, events, commands, statements = {}, {}, [], [], []
        for c in changes:
            statements += c.statements
            tickets.update(c.effects.tickets)
            desks.update(c.effects.desks)
            events += [self._event_row(e, c.effects) for e in c.effects.events]
            if c.key is not None:
                commands.append((c.key, c.at.isoformat(), c.reply_topic, c.reply))
        with self.db.atomic():
            self._upsert("tickets", "key", [t.to_record() for t in tickets.values()])
            self._upsert("desks", "id", [d.to_record() for d in desks.values()])
            if events:
                self.db.conn.executemany(f"insert into events ({', '.join(EVENT_COLUMNS)}) values "
                                         f"({', '.join('?' for _ in EVENT_COLUMNS)})",
                                         [tuple(row[c] for c in EVENT_COLUMNS) for row in events])
            if commands:
                self.db.conn.executemany("insert or replace into commands (key, at, reply_topic, reply) "
                                         "values (?, ?, ?, ?)", commands)
            for sql, params in statements:
                self.db.execute(sql, params)

    def _upsert(self, table: str, pk: str, records: list[dict]) -> None:
        if not records:
            return
        cols = list(records[0])
        self.db.conn.executemany(
            f"insert into {table} ({', '.join(cols)}) values ({', '.join('?' for _ in cols)}) "
            f"on conflict({pk}) do update set {', '.join(f'{c} = excluded.{c}' for c in cols if c != pk)}",
            [tuple(r[c] for c in cols) for r in records])

    def _event_row(self, e: Event, effects: Effects) -> dict:
        ticket = effects.tickets.get(e.ticket) if e.ticket else None
        return {"kind": e.kind, "at": e.at.isoformat(), "day": ticket.day if ticket else self.local_day(e.at),
                "ticket": e.ticket, "service": ticket.service if ticket else None, "desk": e.desk,
                "detail": self._detail(e)}

    @staticmethod
    def _detail(e: Event) -> str | None:
        """The event's detail as stored; a call's number goes with it (``seq``), so numbering survives a restart."""
        detail = e.detail if e.seq is None else {**e.detail, "seq": e.seq}
        return json.dumps(detail) if detail else None

    def add_feedback(self, key: str, *, day: str, hour: int, score: int, tags: Iterable[str],
                     service: str | None) -> bool:
        """Store one feedback answer once; False when this key was stored before (a resent message)."""
        with self.db.atomic():
            cursor = self.db.execute(
                "insert or ignore into feedback (key, day, hour, score, tags, service) values (?, ?, ?, ?, ?, ?)",
                [key, day, hour, score, ",".join(tags), service])
        return cursor.rowcount == 1

    def replace_day(self, day: str, appointments: Iterable[Appointment]) -> ImportedDay:
        """The day's appointments as imported, in place of those stored; arrivals and misses stay."""
        return appointment_store.replace_day(self.db, day, appointments)

    # -- reading -----------------------------------------------------------

    def recent_answers(self, limit: int) -> list[tuple[str, str, bytes]]:
        """(key, reply topic, reply) of the latest handled commands, newest first, to warm the hub's cache."""
        return [(r["key"], r["reply_topic"], r["reply"]) for r in self.db.query(
            "select key, reply_topic, reply from commands order by at desc limit ?", [limit])]

    def handled(self, command_key: str) -> tuple[str, bytes] | None:
        """The stored reply of a command handled before, or None."""
        rows = list(self.db.query("select reply_topic, reply from commands where key = ?", [command_key]))
        return (rows[0]["reply_topic"], rows[0]["reply"]) if rows else None

    def load(self, since_day: str) -> tuple[list[Ticket], list[Desk]]:
        """Tickets still open, and every ticket from ``since_day`` on (numbering), and all desks."""
        placeholders = ",".join("?" for _ in OPEN_STATES)
        rows = self.db.query(f"select * from tickets where day >= ? or state in ({placeholders})",
                             [since_day, *OPEN_STATES])
        tickets = [Ticket.from_record(r) for r in rows]
        desks = [Desk.from_record(r) for r in self.db["desks"].rows]
        return tickets, desks

    def finished_since(self, day: str) -> list[Ticket]:
        """Served and no-show tickets from ``day`` on, in the order they finished."""
        rows = self.db.query("select * from tickets where day >= ? and state in ('served', 'no_show')"
                             " order by finished_at", [day])
        return [Ticket.from_record(r) for r in rows]

    def recent_calls(self, limit: int) -> list[dict]:
        """The latest call events (with their ``seq`` in ``detail``), newest first, for the board after a restart."""
        q = ",".join("?" for _ in CALL_KINDS)
        return list(self.db.query(
            f"select kind, at, ticket, desk, detail from events where kind in ({q}) order by id desc limit ?",
            [*CALL_KINDS, limit]))

    def last_call_seq(self) -> int:
        """The highest call sequence number given out, so numbering goes on after a restart."""
        q = ",".join("?" for _ in CALL_KINDS)
        row = next(self.db.query(
            f"select coalesce(max(cast(json_extract(detail, '$.seq') as integer)), 0) as n from events"
            f" where kind in ({q})", CALL_KINDS))
        return row["n"]

    # -- retention ---------------------------------------------------------

    def purge(self, keep_from_day: str, now: datetime, command_days: int = 2) -> int:
        """Drop ticket rows of days before ``keep_from_day``; returns rows dropped.

        The day's aggregates (``hub.daily_stats``, table ``day_stats``) are written before this
        runs and stay: the report needs nothing of what is dropped here."""
        with self.db.atomic():
            dropped = self.db.execute("delete from tickets where day < ? and state not in ('waiting', 'called')",
                                      [keep_from_day]).rowcount
            self.db.execute("delete from events where day < ?", [keep_from_day])
            self.db.execute("delete from feedback where day < ?", [keep_from_day])
            self.db.execute("delete from appointments where day < ?", [keep_from_day])
            cutoff = (now - timedelta(days=command_days)).isoformat()
            self.db.execute("delete from commands where at < ?", [cutoff])
        return dropped

    def sync(self) -> bool:
        """Make every transaction committed so far survive a power cut: what synchronous=FULL does inside
        each commit (an fsync of the write-ahead log), for all of them at once.  Whether the log has
        grown past ``CHECKPOINT_BYTES``: time to ``checkpoint``."""
        if self.path == ":memory:":
            return False
        try:
            fd = os.open(f"{self.path}-wal", os.O_RDONLY)
        except FileNotFoundError:  # no log: nothing committed since the last checkpoint
            return False
        try:
            os.fsync(fd)
            return os.fstat(fd).st_size > self.CHECKPOINT_BYTES
        finally:
            os.close(fd)

    def reader(self) -> sqlite_utils.Database | None:
        """A connection of its own for reading while the hub commits (WAL: readers never wait for the
        writer, nor it for them), for one thread at a time; None for an in-memory store."""
        if self.path == ":memory:":
            return None
        return sqlite_utils.Database(sqlite3.connect(self.path, check_same_thread=False))

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file, through a connection of its own, so that
        commits go on meanwhile (``hub.syncer``, when ``sync`` says so)."""
        if self._checkpointer is None:
            self._checkpointer = sqlite3.connect(self.path, check_same_thread=False)
        self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.close()
        self.db.close()
