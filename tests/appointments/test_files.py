"""docs/appointments.md's examples read as it says; malformed files are refused with file and line, never a value."""
from __future__ import annotations

import re

import pytest

from hub.core import appointment_csv, appointment_files
from hub.core.appointment_files import SiteRules
from reception.errors import AppointmentFileError
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "appointments.md").read_text(encoding="utf-8")
PERSONAL = ("Karen", "Jensen", "Hansen", "0101701234", "0202801234", "karen@example.dk")


@pytest.fixture
def rules(site):
    return SiteRules.of(site)


def example(kind: str) -> bytes:
    return re.search(rf"```{kind}\n(.*?)```", DOC, re.S)[1].encode()


def test_the_csv_example_reads_as_three_appointments_without_the_personal_columns(rules):
    read = appointment_files.read("day.csv", example("csv"), rules)
    assert [(a.code, f"{a.at:%H:%M}", a.service, a.desk) for a in read.appointments] == [
        ("1234", "09:00", "passport", "any"), ("5678", "09:15", "driving_licence", "desk-3"),
        ("901234", "10:30", "pension", "any")]
    assert "left out unread: names, CPR numbers" in read.note()
    assert not any(value in read.note() for value in PERSONAL)


def test_the_ics_example_reads_as_two_appointments_in_danish_time(rules):
    read = appointment_files.read("day.ics", example("ics").replace(b"\n", b"\r\n"), rules)
    assert [(a.code, a.at.isoformat(), a.service, a.desk) for a in read.appointments] == [
        ("1234", "2026-12-08T09:00:00+01:00", "passport", "any"),
        ("5678", "2026-12-08T09:15:00+01:00", "driving_licence", "desk-3")]
    assert (read.cancelled, read.left_out) == (1, ("SUMMARY", "ATTENDEE"))
    assert "left out unread: SUMMARY, ATTENDEE" in read.note()


def test_a_clean_copy_reads_back_the_same(rules):
    read = appointment_files.read("day.csv", example("csv"), rules)
    copy = appointment_csv.to_csv(read.appointments)
    assert appointment_files.read("copy.csv", copy.encode(), rules).appointments == read.appointments


REFUSALS = re.findall(r"^\| `(date.*?)` \| `(day\.csv: .*?)` \|$", DOC, re.M)


@pytest.mark.parametrize("lines,reason", REFUSALS)
def test_each_documented_refusal_names_file_and_line(rules, lines, reason):
    with pytest.raises(AppointmentFileError) as refused:
        appointment_files.read("day.csv", "\n".join(lines.split("` / `")).encode() + b"\n", rules)
    assert str(refused.value) == reason
    assert "0101701234" not in str(refused.value)


def test_every_documented_refusal_is_tested():
    assert len(REFUSALS) == 5


@pytest.mark.parametrize("text,line,problem", [
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261208T090000\nCATEGORIES:passport\nX-BOOKING-CODE:1234\n"
     "END:VCALENDAR\n", 2, "BEGIN:VEVENT without END:VEVENT"),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261208\nCATEGORIES:passport\nX-BOOKING-CODE:1234\n"
     "END:VEVENT\nEND:VCALENDAR\n", 3, "DTSTART: not a date and time"),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261208T090000\nCATEGORIES:passport\nX-BOOKING-CODE:karen@x.dk\n"
     "END:VEVENT\nEND:VCALENDAR\n", 2, "code: not a booking code of 4-6 digits (it looks like an e-mail address"),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261208T090000\nCATEGORIES:passport\nEND:VEVENT\nEND:VCALENDAR\n",
     2, "the event has no X-BOOKING-CODE"),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261208T090000\nCATEGORIES:passport\nX-BOOKING-CODE:1234\n"
     "GEOFENCE:1\nEND:VEVENT\nEND:VCALENDAR\n", 6, "GEOFENCE: not a property an appointment may have"),
    ("date,time,service,code\n2026-12-08,09:00,\"passport,1234\n", 2, "a quote is not closed"),
    ("date,time,service,code\n2026-12-08,09:00,passport\n", 2, "3 fields, the header has 4"),
    ("date,time,service\n", 1, "no column code"),
])
def test_a_malformed_file_is_refused_whole_with_its_line(rules, text, line, problem):
    with pytest.raises(AppointmentFileError) as refused:
        appointment_files.read("bad.ics", text.encode(), rules)
    assert str(refused.value).startswith(f"bad.ics: line {line}: {problem}"), str(refused.value)
    assert "\n" not in str(refused.value) and "karen" not in str(refused.value)


def test_a_file_not_in_utf8_is_refused_with_its_line(rules):
    data = "date;time;service;code;navn\n2026-12-08;09:00;passport;1234;Søren\n".encode("cp1252")
    with pytest.raises(AppointmentFileError, match=r"^x.csv: line 2: not UTF-8 text"):
        appointment_files.read("x.csv", data, rules)
