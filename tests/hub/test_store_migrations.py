"""The hub's database file is migrated in numbered steps, once each: an installed hub's old file included."""
from __future__ import annotations

import sqlite3

import pytest

from hub.store import Store
from reception.errors import StoreVersionError

# The schema of a hub installed before versioned migrations: user_version 0 and the old 'daily' table.
OLD_FILE = """
create table tickets (key text primary key, number text, service text, day text, issued_at text, preference text,
    extras text, first_visit integer, kiosk text, offline integer, state text, desk text, called_at text,
    first_called_at text, finished_at text, recalls integer, transfers integer, original_service text,
    served_by_kind text, eta_at_issue float);
create table desks (id text primary key, status text, current text, last_call_at text, status_since text);
create table events (id integer primary key, kind text, at text, day text, ticket text, service text, desk text,
    detail text);
create table commands (key text primary key, at text, reply_topic text, reply blob);
create table daily (day text, service text, issued integer, served integer, primary key (day, service));
insert into tickets (key, number, service, day, state) values ('t1', 'A001', 'passport', '2026-11-30', 'served');
insert into daily values ('2026-11-30', 'passport', 1, 1);
"""


def tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")}


def user_version(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


def test_an_installed_hubs_file_loses_the_orphan_daily_table_and_keeps_its_rows(tmp_path):
    path = tmp_path / "hub.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_FILE)
    Store(path).close()
    assert "daily" not in tables(path)
    assert {"tickets", "desks", "events", "commands", "feedback"} <= tables(path)
    assert user_version(path) == len(Store.MIGRATIONS)
    with sqlite3.connect(path) as conn:
        assert conn.execute("select number from tickets").fetchall() == [("A001",)]


def test_a_step_runs_once_only(tmp_path):
    path = tmp_path / "hub.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("create table daily (day text)")  # were step 2 to run again, it would drop this
    Store(path).close()
    assert "daily" in tables(path)


def test_a_file_from_a_newer_hub_is_refused(tmp_path):
    path = tmp_path / "hub.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(Store.MIGRATIONS) + 1}")
    with pytest.raises(StoreVersionError, match="newer than this hub knows"):
        Store(path)
