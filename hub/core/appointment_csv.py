"""The CSV form of an appointments file: a header line, then one appointment a line (docs/appointments.md)."""
from __future__ import annotations

import csv
import re
from datetime import date, datetime
from typing import Iterable

from hub.core.appointment_records import AppointmentFile, Reading
from hub.core.appointments import Appointment

DATE_FORMATS = (re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"),  # 2026-12-08
                re.compile(r"(?P<d>\d{1,2})[.-](?P<m>\d{1,2})[.-](?P<y>\d{4})"))  # 08-12-2026, 8.12.2026
TIME_RE = re.compile(r"(?P<h>\d{1,2})[:.](?P<m>\d{2})")  # 09:30, 9.30

COLUMNS = {"date": "date", "dato": "date", "time": "time", "tid": "time", "klokkeslaet": "time",
           "service": "service", "ydelse": "service", "desk": "desk", "skranke": "desk",
           "code": "code", "kode": "code", "bookingcode": "code", "bookingkode": "code"}
PERSONAL_COLUMNS = {
    **dict.fromkeys(("name", "navn", "fornavn", "efternavn", "firstname", "lastname", "fullname", "citizen",
                     "borger"), "names"),
    **dict.fromkeys(("cpr", "cprnr", "cprnummer", "cprnumber", "personnummer"), "CPR numbers"),
    **dict.fromkeys(("phone", "telephone", "telefon", "telefonnummer", "tlf", "tlfnr", "mobile", "mobil", "sms"),
                    "phone numbers"),
    **dict.fromkeys(("email", "mail", "emailaddress", "epost"), "e-mails"),
    **dict.fromkeys(("address", "adresse"), "addresses"),
}
REQUIRED_COLUMNS = ("date", "time", "service", "code")


def _header_key(cell: str) -> str:
    return re.sub(r"[\s_.\-]", "", cell.strip().lower()).replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def read(reading: Reading, text: str) -> AppointmentFile:
    """A CSV file with a header line; comma or semicolon (as Danish spreadsheets write it)."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    rows = csv.reader(lines, delimiter=";" if first.count(";") > first.count(",") else ",", strict=True)
    try:
        header = next(row for row in rows if any(cell.strip() for cell in row))
        where, left_out = _columns(reading, rows.line_num, header)
        appointments = [_csv_record(reading, rows.line_num, row, where, len(header))
                        for row in rows if any(cell.strip() for cell in row)]
    except StopIteration:
        raise reading.fail(1, "empty: a header line is needed (date, time, service, desk, code)") from None
    except csv.Error:
        raise reading.fail(rows.line_num, "a quote is not closed") from None
    return AppointmentFile(reading.name, tuple(appointments), left_out)


def _columns(reading: Reading, line: int, header: list[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    """Where each known column is, and the kinds of personal columns left out; anything else is refused."""
    where: dict[str, int] = {}
    left_out: list[str] = []
    for i, cell in enumerate(header, start=1):
        key = _header_key(cell)
        if key in COLUMNS and COLUMNS[key] not in where:
            where[COLUMNS[key]] = i - 1
        elif key in PERSONAL_COLUMNS:
            left_out.append(PERSONAL_COLUMNS[key])
        else:
            raise reading.fail(line, f"column {i}: not one of date, time, service, desk, code (each once), "
                                     "nor a personal column to leave out")
    missing = [c for c in REQUIRED_COLUMNS if c not in where]
    if missing:
        raise reading.fail(line, f"no column {', '.join(missing)} (the header names date, time, service, desk, code)")
    return where, tuple(dict.fromkeys(left_out))


def _csv_record(reading: Reading, line: int, row: list[str], where: dict[str, int], width: int) -> Appointment:
    if len(row) != width:
        raise reading.fail(line, f"{len(row)} fields, the header has {width}")
    cell = {column: row[i].strip() for column, i in where.items()}
    day, at = _date(reading, line, cell["date"]), _time(reading, line, cell["time"])
    local = datetime(day.year, day.month, day.day, at[0], at[1], tzinfo=reading.rules.zone)
    return reading.appointment(line, local, cell["service"], cell.get("desk", ""), cell["code"])


def _date(reading: Reading, line: int, value: str) -> date:
    for pattern in DATE_FORMATS:
        m = pattern.fullmatch(value)
        if m:
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                break
    raise reading.fail(line, "date: not a date like 2026-12-08 or 08-12-2026")


def _time(reading: Reading, line: int, value: str) -> tuple[int, int]:
    m = TIME_RE.fullmatch(value)
    if not m or int(m["h"]) > 23 or int(m["m"]) > 59:
        raise reading.fail(line, "time: not a time of day like 09:30")
    return int(m["h"]), int(m["m"])


def to_csv(appointments: Iterable[Appointment]) -> str:
    """The appointments as a CSV file of the documented format (what ``reception appointments import`` hands on)."""
    lines = ["date,time,service,desk,code"]
    lines += [f"{a.day},{a.at:%H:%M},{a.service},{a.desk},{a.code}" for a in sorted(appointments, key=lambda a: a.at)]
    return "\n".join(lines) + "\n"
