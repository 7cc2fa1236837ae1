"""The office's setup in the hub's SQLite file: the changes in force (one row) and the audit list.

Written in the same transaction as the command that made the change (``Change.statements``),
so a change is stored exactly when its command id is: a command delivered again is answered
from the store, never applied twice.
"""
from __future__ import annotations

import json

import sqlite_utils

from reception.protocol.office import AuditEntry, OfficeSetup


def create_tables(db: sqlite_utils.Database) -> None:
    db["office_setup"].create({"id": int, "version": int, "payload": bytes}, pk="id", if_not_exists=True)
    db["setup_audit"].create({"seq": int, "at": str, "by": str, "command": str, "action": str, "detail": str},
                             pk="seq", if_not_exists=True)


def statements(setup: OfficeSetup, entry: AuditEntry | None) -> tuple[tuple[str, tuple], ...]:
    """The rows of one change: the setup in force now, and (for a command) its line in the audit list."""
    rows = [("insert or replace into office_setup (id, version, payload) values (1, ?, ?)",
             (setup.version, setup.to_payload()))]
    if entry is not None:
        rows.append(("insert into setup_audit (at, by, command, action, detail) values (?, ?, ?, ?, ?)",
                     (entry.at.isoformat(), entry.by, entry.id, entry.action, json.dumps(dict(entry.detail)))))
    return tuple(rows)


def load(db: sqlite_utils.Database) -> OfficeSetup:
    """The setup stored last (an empty one on a new hub)."""
    rows = list(db.query("select payload from office_setup where id = 1"))
    return OfficeSetup.from_payload(rows[0]["payload"]) if rows else OfficeSetup()


def audit(db: sqlite_utils.Database, limit: int) -> list[AuditEntry]:
    """The latest changes, newest first."""
    return [AuditEntry.from_payload({"at": r["at"], "by": r["by"], "id": r["command"], "action": r["action"],
                                     "detail": json.loads(r["detail"])})
            for r in db.query("select * from setup_audit order by seq desc limit ?", [limit])]
