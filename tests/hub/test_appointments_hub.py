"""Booked visits checked in at a real hub through a real Mosquitto, stored in its SQLite file, across a SIGKILL.

The hub's clock starts at 10:00 on Tuesday 2026-11-24: the suite's instant, not the suite's running clock
(late in a full run that reads 10:15 or later, and the 10:00 booking would be late).  The example site keeps
a booking up to 15 minutes late and counts it missed 15 minutes after its time.
"""
import json
import sqlite3
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reception import protocol
from hub.core.appointments import Appointment
from hub.store import Store
from tests.conftest import TEST_INSTANT, HubProcess
from tests.hub.test_hub_mqtt import BASE, command, reply_for, request, result_for

CPH = ZoneInfo("Europe/Copenhagen")
DAY = "2026-11-24"


def booked(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{DAY}T{hhmm}:00").replace(tzinfo=CPH)


APPOINTMENTS = [Appointment("4711", booked("10:00"), "pension"),  # on time
                Appointment("5822", booked("10:40"), "passport", "desk-3"),  # early: waits for 10:40
                Appointment("6933", booked("09:40"), "moving"),  # 20 minutes late
                Appointment("7044", booked("09:30"), "moving"),  # never comes: its slot ended 09:45
                Appointment("8155", booked("10:20"), "health_card")]  # picked from the time list


@pytest.fixture
def hub(broker, tmp_path):
    store = Store(tmp_path / "hub.db")
    store.replace_day(DAY, APPOINTMENTS)
    store.close()
    h = HubProcess(broker, tmp_path / "hub.db", instant=TEST_INSTANT).start()  # 10:00, however long the suite ran
    yield h
    h.stop()
    h.available.close()


def rows(hub):
    with sqlite3.connect(hub.db_path) as db:
        db.row_factory = sqlite3.Row
        return {r["code"]: dict(r) for r in db.execute("select * from appointments")}


def eventually(check, timeout=5.0):
    """``check()`` once it holds: the hub stores in the background (within about a second)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def slots(rec):
    """The latest retained time list."""
    return rec.wait_for(lambda msgs: [json.loads(p) for t, p in msgs if t == f"{BASE}/appointments"][-1:])[0]


def check_in(rec, rid=None, **how):
    return reply_for(rec, request(rec, rid=rid, service="appointment", lang="da", **how))


def test_check_in_by_code_and_slot_late_unknown_missed_and_after_a_kill(hub, recorder):
    rec = recorder(f"{BASE}/#")
    listed = slots(rec)["slots"]
    assert [(s["at"][11:16], s["service"]) for s in listed] == [("10:00", "pension"), ("10:20", "health_card"),
                                                                ("10:40", "passport")]
    assert all(set(s) == {"slot", "at", "service"} for s in listed), "time and service only, never the code"

    on_time = check_in(rec, rid="r-4711", booking="4711")
    assert on_time["ok"] and on_time["ticket"]["service"] == "pension"
    assert datetime.fromisoformat(on_time["ticket"]["booked_at"]) == booked("10:00")
    assert "walk_in" not in on_time["ticket"]
    assert check_in(rec, rid="r-4711", booking="4711") == on_time, "the same request id twice: one ticket"
    assert check_in(rec, booking="4711")["ticket"]["number"] == on_time["ticket"]["number"]

    early = check_in(rec, booking="5822")["ticket"]
    to_booked = booked("10:40") - datetime.fromisoformat(early["issued_at"])
    assert datetime.fromisoformat(early["booked_at"]) == booked("10:40")
    assert early["eta_min"] >= to_booked.total_seconds() / 60, "an early citizen waits at least until the booked time"
    late = check_in(rec, booking="6933")["ticket"]
    assert (late["walk_in"], late["service"], "booked_at" in late) == ("late", "appointment", False)
    unknown = check_in(rec, booking="9999")["ticket"]
    assert unknown["walk_in"] == "unknown"
    by_slot = check_in(rec, slot=listed[1]["slot"])["ticket"]
    assert by_slot["service"] == "health_card" and "walk_in" not in by_slot

    assert rec.wait_for(lambda msgs: slots(rec)["slots"] == []) is True, "every listed booking checked in"
    eventually(lambda: rows(hub)["7044"]["missed"] == 1)
    stored = rows(hub)
    assert stored["7044"]["arrived_at"] is None and not stored["6933"]["missed"], "late is not missed"
    assert {code: stored[code]["ticket"] for code in ("4711", "5822", "6933", "8155")} == {
        "4711": on_time["ticket"]["number"], "5822": early["number"], "6933": late["number"],
        "8155": by_slot["number"]}

    called = []
    for _ in range(3):  # desk-3 takes both walk-ins of the "appointment" service, and then nobody
        called.append(result_for(rec, command(rec, "desk-3", "next"))["ticket"])
        result_for(rec, command(rec, "desk-3", "done"))
    assert sorted(called[:2]) == sorted([late["number"], unknown["number"]]) and called[2] is None, \
        "nobody calls the 10:40 booking at 10:00, not even its own desk"

    hub.kill()
    hub.start()
    again = check_in(rec, booking="5822")["ticket"]
    assert (again["number"], again["booked_at"]) == (early["number"], early["booked_at"]), "survives a kill"
    assert rows(hub)["7044"]["missed"] == 1
    with sqlite3.connect(hub.db_path) as db:
        assert db.execute("select count(*) from tickets").fetchone()[0] == 5

    added = Appointment("9010", booked("10:50"), "pension")
    rec.publish(f"{BASE}/appointments/import", protocol.AppointmentImport(
        "imp-1", "booking", "day.csv", tuple(protocol.BookedVisit(a.code, a.at, a.service, a.desk)
                                             for a in [*APPOINTMENTS, added])).to_payload())
    rec.wait_for(lambda msgs: [s["at"][11:16] for s in slots(rec)["slots"]] == ["10:50"])
    assert check_in(rec, booking="9010")["ticket"]["booked_at"] == added.at.isoformat(), "an import is read at once"
