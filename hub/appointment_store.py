"""The day's appointments in the hub's SQLite file: one row per day and booking code.

``replace_day`` puts a day's imported list in place of the one stored, so importing the same
file twice changes nothing and a changed file changes only what changed.  What has already
happened stays: a row with an arrival (``arrived_at``, ``ticket``) or counted as ``missed`` is
neither changed nor removed by an import.  Each appointment gets a random opaque ``slot`` id
when it is first stored and keeps it while it stays in the list: the kiosk's time list names
an appointment by it, so the list never shows a code someone else could type.

The rows are written by plain statements that hold whatever is stored at the time they run
(``replace_statements``), so the hub can commit them with its other changes in one
transaction (``hub.pipeline``) and a check-in staged just before still counts.
"""
from __future__ import annotations

import json
import secrets
from typing import Iterable

import sqlite_utils

from hub.core.appointments import Appointment
from reception.protocol import ImportedDay

SLOT_BYTES = 8  # 64 random bits: never guessed from another slot, never derived from the code

UPSERT = """
insert into appointments (day, code, at, service, desk, slot, arrived_at, ticket, missed)
values (?, ?, ?, ?, ?, ?, null, null, 0)
on conflict (day, code) do update set at = excluded.at, service = excluded.service, desk = excluded.desk
where appointments.arrived_at is null and appointments.missed = 0
  and (appointments.at is not excluded.at or appointments.service is not excluded.service
       or appointments.desk is not excluded.desk)
"""

REMOVE_GONE = """
delete from appointments where day = ? and arrived_at is null and missed = 0
  and code not in (select value from json_each(?))
"""


def create_table(db: sqlite_utils.Database) -> None:
    db["appointments"].create({"day": str, "code": str, "at": str, "service": str, "desk": str, "slot": str,
                               "arrived_at": str, "ticket": str, "missed": int},
                              pk=("day", "code"), not_null={"at", "service", "desk", "slot"},
                              defaults={"missed": 0}, if_not_exists=True)
    db["appointments"].create_index(["slot"], unique=True, if_not_exists=True)


def new_slot() -> str:
    return secrets.token_urlsafe(SLOT_BYTES)


def replace_statements(day: str, appointments: Iterable[Appointment]) -> tuple[tuple[str, tuple], ...]:
    """The statements that make the stored ``day`` the given list (``appointments`` all of that day)."""
    appointments = list(appointments)
    strays = sorted({a.day for a in appointments} - {day})
    if strays:
        raise ValueError(f"appointments of {', '.join(strays)} given as the list of {day}")
    upserts = [(UPSERT, (day, a.code, a.at.isoformat(), a.service, a.desk, new_slot())) for a in appointments]
    return (*upserts, (REMOVE_GONE, (day, json.dumps([a.code for a in appointments]))))


def summarise(db: sqlite_utils.Database, day: str, appointments: Iterable[Appointment]) -> ImportedDay:
    """What ``replace_statements`` will do to the day as stored now."""
    stored = {r["code"]: r for r in db.query("select * from appointments where day = ?", [day])}
    new = {a.code: a for a in appointments}
    added = changed = unchanged = 0
    for code, a in new.items():
        row = stored.get(code)
        if row is None:
            added += 1
        elif (row["at"], row["service"], row["desk"]) == (a.at.isoformat(), a.service, a.desk) or _happened(row):
            unchanged += 1
        else:
            changed += 1
    gone = [row for code, row in stored.items() if code not in new]
    kept = sum(1 for row in gone if _happened(row))
    return ImportedDay(day, added, changed, len(gone) - kept, unchanged, kept)


def _happened(row: dict) -> bool:
    return row["arrived_at"] is not None or bool(row["missed"])


def replace_day(db: sqlite_utils.Database, day: str, appointments: Iterable[Appointment]) -> ImportedDay:
    """Make the stored ``day`` the given list, in one transaction; what it did."""
    appointments = list(appointments)
    statements = replace_statements(day, appointments)
    with db.atomic():
        summary = summarise(db, day, appointments)
        for sql, params in statements:
            db.execute(sql, params)
    return summary


def day_rows(db: sqlite_utils.Database, day: str) -> list[dict]:
    """The stored appointments of ``day``, by time then code."""
    return list(db.query("select * from appointments where day = ? order by at, code", [day]))
