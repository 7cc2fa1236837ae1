"""A running hub on a real broker takes the day's appointments by itself from the watched folder, and from the
web's import command: the same file twice changes nothing, a changed file updates the day and keeps arrivals."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import EXAMPLE_CONFIG, ROOT, HubProcess, Recorder

DAY = "2026-12-08"
FIRST = ("date;time;service;desk;code;navn;telefon\n"
         f"{DAY};09:00;passport;any;1234;Karen Jensen;+45 12345678\n"
         f"{DAY};09:15;driving_licence;desk-3;5678;Ole Hansen;+45 87654321\n")
CHANGED = ("date,time,service,code\n"
           f"{DAY},09:00,passport,1234\n"  # checked in already: stays as it was
           f"{DAY},09:45,driving_licence,5678\n"  # moved, and to any desk
           f"{DAY},11:00,pension,4444\n")  # new


@pytest.fixture
def folder_hub(broker, tmp_path):
    site = tmp_path / "site.toml"
    site.write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8").replace(
        "[appointments]\n", f'[appointments]\nfolder = "{tmp_path / "inbox"}"\n'), encoding="utf-8")
    h = HubProcess(broker, tmp_path / "hub.db", site).start()
    yield h
    h.stop()
    h.available.close()


def rows(db_path) -> dict[str, tuple]:
    with sqlite3.connect(db_path) as conn:
        return {code: tuple(rest) for code, *rest in conn.execute(
            "select code, at, service, desk, slot, arrived_at from appointments where day = ?", [DAY])}


def results(inbox) -> list[str]:
    path = inbox / "results.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def drop(inbox, name: str, text: str, count: int) -> str:
    """Write a file into the folder as a booking system would; wait for the hub's ``count``-th result line and
    for the file to leave the folder (deleted once imported, moved to ``refused/``)."""
    (inbox / f".{name}.part").write_text(text, encoding="utf-8")
    (inbox / f".{name}.part").rename(inbox / name)
    deadline = time.monotonic() + 15
    while len(results(inbox)) < count or (inbox / name).exists():
        assert time.monotonic() < deadline, "the hub did not take the file (an imported file goes: it held personal data)"
        time.sleep(0.1)
    return results(inbox)[count - 1]


def test_the_hub_takes_dropped_files_by_itself(folder_hub, tmp_path):
    inbox, db = tmp_path / "inbox", folder_hub.db_path
    line = drop(inbox, "day.csv", FIRST, 1)
    assert line.endswith("day.csv imported: 2026-12-08: 2 new, 0 changed, 0 removed, 0 unchanged"), line
    first = rows(db)
    assert {code: r[:3] for code, r in first.items()} == {
        "1234": ("2026-12-08T09:00:00+01:00", "passport", "any"),
        "5678": ("2026-12-08T09:15:00+01:00", "driving_licence", "desk-3")}
    log = folder_hub.log()
    assert "left out unread: names, phone numbers" in log
    assert not any(value in log + "".join(results(inbox)) for value in ("Karen", "Hansen", "12345678"))

    line = drop(inbox, "day.csv", FIRST, 2)
    assert line.endswith("2026-12-08: 0 new, 0 changed, 0 removed, 2 unchanged"), line
    assert rows(db) == first, "the same file again changes nothing"

    with sqlite3.connect(db) as conn:  # the citizen with 1234 checks in (appt-queue's check-in writes this)
        conn.execute("update appointments set arrived_at = '2026-12-08T08:55:00+01:00', ticket = 'E001' "
                     "where code = '1234'")
    line = drop(inbox, "day-v2.csv", CHANGED, 3)
    assert line.endswith("2026-12-08: 1 new, 1 changed, 0 removed, 1 unchanged"), line
    after = rows(db)
    assert after["1234"] == first["1234"][:4] + ("2026-12-08T08:55:00+01:00",)
    assert after["5678"][:3] == ("2026-12-08T09:45:00+01:00", "driving_licence", "any")
    assert after["5678"][3] == first["5678"][3], "a moved appointment keeps its slot id"

    line = drop(inbox, "broken.csv", "date,time,service,code\n2026-12-08,09:00,passport,0101701234\n", 4)
    assert line.endswith("broken.csv refused: broken.csv: line 2: code: not a booking code of 4-6 digits "
                         "(it looks like a CPR number; not shown)"), line
    assert (inbox / "refused" / "broken.csv").exists() and "0101701234" not in folder_hub.log()
    assert rows(db) == after


def test_an_import_command_is_stored_and_answered_once(hub, broker):
    answers = Recorder(broker, "reception/toender/appointments/import/result")
    command = {"v": 1, "id": "imp-1", "by": "booking", "file": "day.csv", "left_out": ["names"],
               "appointments": [{"code": "4711", "at": f"{DAY}T10:30:00+01:00", "service": "pension", "desk": "any"}]}
    for _ in range(2):  # the same id twice: answered twice, applied once
        answers.publish("reception/toender/appointments/import", command)
    got = answers.wait_for(lambda msgs: len(msgs) >= 2 and msgs)
    assert [json.loads(p) for _t, p in got[:2]] == [
        {"v": 1, "id": "imp-1", "ok": True,
         "days": [{"day": DAY, "added": 1, "changed": 0, "removed": 0, "unchanged": 0, "kept": 0}]}] * 2
    answers.publish("reception/toender/appointments/import",
                    {**command, "id": "imp-2", "appointments": [{**command["appointments"][0], "desk": "vol-1"}]})
    refused = json.loads(answers.wait_for(lambda msgs: len(msgs) >= 3 and msgs)[2][1])
    assert refused == {"v": 1, "id": "imp-2", "ok": False, "days": [],
                       "error": "day.csv: line 1: desk: that desk does not serve that service"}
    assert list(rows(hub.db_path)) == ["4711"]
    answers.close()


def cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reception.cli", "appointments", "import", *args],
                          capture_output=True, text=True, timeout=60, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_manager_hands_a_file_to_the_running_hub(folder_hub, tmp_path):
    site = folder_hub.config_path
    day = tmp_path / "day.csv"
    day.write_text(FIRST, encoding="utf-8")
    done = cli(str(day), "-c", str(site))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == ["read day.csv: 2026-12-08 (2); left out unread: names, phone numbers",
                                        "imported: 2026-12-08: 2 new, 0 changed, 0 removed, 0 unchanged"]
    assert set(rows(folder_hub.db_path)) == {"1234", "5678"}
    day.write_text("date,time,service,code\n2026-12-08,09:00,passport,12\n", encoding="utf-8")
    refused = cli(str(day), "-c", str(site))
    assert (refused.returncode, refused.stdout) == (
        65, "refused: day.csv: line 2: code: not a booking code of 4-6 digits\n")


def test_without_a_folder_the_command_says_so_and_exits_78(tmp_path):
    day = tmp_path / "day.csv"
    day.write_text(FIRST, encoding="utf-8")
    done = cli(str(day), "-c", str(EXAMPLE_CONFIG))
    assert done.returncode == 78 and "appointments.folder: not set" in done.stderr


def test_a_killed_hub_takes_the_folder_on_start_and_a_file_again_changes_nothing(folder_hub, tmp_path):
    inbox = tmp_path / "inbox"
    folder_hub.kill()
    (inbox / "day.csv").write_text(FIRST, encoding="utf-8")  # dropped while the hub is down
    folder_hub.start()
    deadline = time.monotonic() + 15
    while len(rows(folder_hub.db_path)) < 2:
        assert time.monotonic() < deadline, "the hub did not take the file waiting for it"
        time.sleep(0.05)
    folder_hub.kill()  # SIGKILL as soon as the rows are stored: the file may still be there
    stored = rows(folder_hub.db_path)
    (inbox / "day.csv").write_text(FIRST, encoding="utf-8")
    folder_hub.start()
    deadline = time.monotonic() + 15
    while (inbox / "day.csv").exists():
        assert time.monotonic() < deadline, "the hub did not take the file again"
        time.sleep(0.1)
    assert results(inbox)[-1].endswith("2026-12-08: 0 new, 0 changed, 0 removed, 2 unchanged")
    assert rows(folder_hub.db_path) == stored
