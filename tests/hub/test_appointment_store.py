"""The day's appointments in the hub's file: the same list twice changes nothing, a changed one only what changed,
and what has happened (an arrival, a miss) stays whatever the next file says."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hub import appointment_store
from hub.core.appointments import Appointment
from hub.store import Store

DAY = "2026-12-08"
ZONE = ZoneInfo("Europe/Copenhagen")


def at(hhmm: str, day: str = DAY) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=ZONE)


FILE = [Appointment("1234", at("09:00"), "passport"), Appointment("5678", at("09:15"), "driving_licence", "desk-2"),
        Appointment("901234", at("10:30"), "passport")]


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "hub.db")
    yield s
    s.close()


def rows(store) -> dict[str, dict]:
    return {r["code"]: r for r in appointment_store.day_rows(store.db, DAY)}


def arrive(store, code: str) -> None:
    store.db.execute("update appointments set arrived_at = ?, ticket = 't-1' where day = ? and code = ?",
                     [at("08:55").isoformat(), DAY, code])


def test_a_first_import_stores_every_appointment_with_a_random_slot_of_its_own(store):
    summary = store.replace_day(DAY, FILE)
    assert (summary.added, summary.changes) == (3, 3)
    stored = rows(store)
    assert {code: (r["at"], r["service"], r["desk"]) for code, r in stored.items()} == {
        "1234": ("2026-12-08T09:00:00+01:00", "passport", "any"),
        "5678": ("2026-12-08T09:15:00+01:00", "driving_licence", "desk-2"),
        "901234": ("2026-12-08T10:30:00+01:00", "passport", "any")}
    slots = [r["slot"] for r in stored.values()]
    assert len(set(slots)) == 3 and all(len(s) >= 11 and not any(c in s for c in stored) for s in slots)


def test_the_same_list_again_changes_nothing_not_even_the_slots(store):
    store.replace_day(DAY, FILE)
    before = rows(store)
    summary = store.replace_day(DAY, list(reversed(FILE)))
    assert (summary.changes, summary.unchanged) == (0, 3)
    assert rows(store) == before


def test_a_changed_list_moves_adds_and_removes_but_keeps_slots_and_arrivals(store):
    store.replace_day(DAY, FILE)
    arrive(store, "1234")
    before = rows(store)
    changed = [Appointment("1234", at("09:30"), "passport"),  # arrived: stays as it was
               Appointment("5678", at("09:45"), "driving_licence", "desk-3"),  # moved
               Appointment("4444", at("11:00"), "passport")]  # new; 901234 cancelled
    summary = store.replace_day(DAY, changed)
    assert (summary.added, summary.changed, summary.removed, summary.unchanged) == (1, 1, 1, 1)
    after = rows(store)
    assert set(after) == {"1234", "5678", "4444"}
    assert after["1234"] == before["1234"]
    assert (after["5678"]["at"], after["5678"]["desk"], after["5678"]["slot"]) == (
        "2026-12-08T09:45:00+01:00", "desk-3", before["5678"]["slot"])
    assert after["4444"]["slot"] not in {r["slot"] for r in before.values()}


def test_an_arrived_or_missed_appointment_gone_from_the_file_is_kept(store):
    store.replace_day(DAY, FILE)
    arrive(store, "1234")
    store.db.execute("update appointments set missed = 1 where code = '5678'")
    summary = store.replace_day(DAY, [])
    assert (summary.removed, summary.kept) == (1, 2)
    assert set(rows(store)) == {"1234", "5678"}


def test_other_days_are_left_alone(store):
    store.replace_day(DAY, FILE)
    store.replace_day("2026-12-09", [Appointment("1234", at("09:00", "2026-12-09"), "passport")])
    assert set(rows(store)) == {"1234", "5678", "901234"}


def test_an_appointment_of_another_day_is_refused(store):
    with pytest.raises(ValueError, match="2026-12-09"):
        store.replace_day(DAY, [*FILE, Appointment("1111", at("09:00", "2026-12-09"), "passport")])
    assert rows(store) == {}
