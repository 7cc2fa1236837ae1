"""Booked visits in the report, from a small day worked out by hand (late after 15 min, 15-min slots).

    code  booked  checked in        first call  counts as  past the time
    1001  10:00   09:50 (early)     10:05       kept       5
    1002  10:00   10:10 (late <15)  10:12       kept       2 (from arrival)
    1003  10:15   10:20             10:30       kept       10
    1004  10:30   10:50 (late >15)  -           late       -
    1005  11:00   never             -           missed     - (at 11:15)
    1006  12:00   not yet at 11:30  -           -          -
"""
from datetime import datetime
from zoneinfo import ZoneInfo

from hub import checkins, stats
from hub.core.appointments import Appointment
from hub.core.checkin import issue_booked
from hub.core.model import Effects
from hub.core.queue import Queue
from hub.daily_stats import DailyStats
from hub.report import html, table
from hub.stats_db import StatsDB
from hub.store import Change, Store

CPH = ZoneInfo("Europe/Copenhagen")
DAY = "2026-11-24"


def t(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{DAY}T{hhmm}:00").replace(tzinfo=CPH)


def test_kept_late_missed_and_minutes_past_the_booked_time(site, tmp_path):
    store = Store(tmp_path / "hub.db")
    store.replace_day(DAY, [Appointment(code, t(hhmm), "pension") for code, hhmm in
                            [("1001", "10:00"), ("1002", "10:00"), ("1003", "10:15"), ("1004", "10:30"),
                             ("1005", "11:00"), ("1006", "12:00")]])
    q = Queue(site)
    bookings = checkins.Bookings(site.appointments, [checkins.booking_of(r) for r in store.db["appointments"].rows])
    numbers = {}
    for code, hhmm in [("1001", "09:50"), ("1002", "10:10"), ("1003", "10:20"), ("1004", "10:50")]:
        ticket, effects, check = issue_booked(q, bookings, t(hhmm), "appointment", code=code)
        store.apply_group([Change(effects, statements=(checkins.arrived(check.booking),))])
        numbers[code] = ticket.number
    for code, hhmm in [("1001", "10:05"), ("1002", "10:12"), ("1003", "10:30")]:
        store.apply(q.call_number("desk-1", numbers[code], t(hhmm)))
    missed = bookings.missed_due(t("11:30"))
    store.apply_group([Change(Effects(), statements=tuple(checkins.missed(b) for b in missed))])

    aggregate = DailyStats(site, StatsDB(store.db)).aggregate(DAY, t("11:30"))
    assert aggregate["appointments"] == {"kept": 3, "late": 1, "missed": 1,
                                         "past_time": {"5": 1, "2": 1, "10": 1}}
    figures = stats.summarise([aggregate])["appointments"]
    assert figures == {"kept": 3, "late": 1, "missed": 1, "past_time_median": 5, "past_time_p90": 10}
    assert ("appointments", "all", "missed", 1) in table.rows(stats.summarise([aggregate]))
    page = html.render(stats.summarise([aggregate]), {}, day_from=DAY, day_to=DAY, now=t("11:30"), csv_name="r.csv")
    assert "Booked visits" in page and "<td>5 min</td>" in page
    store.close()
