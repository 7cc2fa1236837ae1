"""The queue's day at its edges, at fixed instants: local midnight (New Year's Eve and both
daylight-saving nights), closing on a day of 25 or 23 hours, a Saturday, a Sunday evening.

The hub's clock gives UTC instants; every local rule must hold in Copenhagen time.
"""
import sqlite3
import time
from datetime import datetime, timedelta, timezone

import pytest

from hub.core.model import EXPIRED, WAITING
from hub.core.queue import Queue
from reception import config, schedule
from tests.conftest import EXAMPLE_CONFIG

UTC = timezone.utc
SECOND = timedelta(seconds=1)


def utc(text: str) -> datetime:
    """An instant written in local time with its offset, as the hub's clock would give it (UTC)."""
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.fixture(scope="module")
def sunday_site(tmp_path_factory):
    """The example site, also open on Sundays 09:00-15:00: both DST changes fall on a Sunday night."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace('fri = "09:00-13:00"',
                                                              'fri = "09:00-13:00"\nsun = "09:00-15:00"')
    path = tmp_path_factory.mktemp("site") / "site.toml"
    path.write_text(text, encoding="utf-8")
    return config.load(path)


@pytest.mark.parametrize("last_second,new_day", [
    ("2026-12-31T23:59:59+01:00", "2027-01-01"),  # New Year's Eve
    ("2026-10-24T23:59:59+02:00", "2026-10-25"),  # the night the clocks go back (a 25-hour day follows)
    ("2027-03-27T23:59:59+01:00", "2027-03-28"),  # the night the clocks go forward (a 23-hour day follows)
    ("2026-10-25T23:59:59+01:00", "2026-10-26"),  # the end of the 25-hour day
    ("2027-03-28T23:59:59+02:00", "2027-03-29"),  # the end of the 23-hour day
])
def test_numbers_restart_and_the_days_tickets_expire_at_local_midnight(site, last_second, new_day):
    q = Queue(site)
    before = utc(last_second)
    q.issue("passport", before - timedelta(minutes=5))
    late, _ = q.issue("passport", before)
    assert late.number == "C002" and late.day < new_day
    assert not q.expire_due(before).events, "nothing ends before midnight"
    first, _ = q.issue("passport", before + SECOND)
    assert (first.number, first.day) == ("C001", new_day)
    q.expire_due(before + SECOND)
    assert q.tickets[late.key].state == EXPIRED and q.tickets[first.key].state == WAITING


def test_the_clocks_going_back_at_3_00_neither_restarts_numbers_nor_ends_the_day(site):
    q = Queue(site)
    q.issue("passport", utc("2026-10-25T02:59:59+02:00"))
    again, _ = q.issue("passport", utc("2026-10-25T02:00:00+01:00"))  # one second later, an hour "earlier"
    assert (again.number, again.day) == ("C002", "2026-10-25")
    assert not q.expire_due(utc("2026-10-25T02:30:00+01:00")).events


@pytest.mark.parametrize("closing", [
    "2026-10-25T15:00:00+01:00",  # the 25-hour day: 14:00 UTC, not 13:00
    "2027-03-28T15:00:00+02:00",  # the 23-hour day: 13:00 UTC, not 14:00
])
def test_closing_expiry_happens_at_the_local_closing_time_on_both_dst_days(sunday_site, closing):
    site = sunday_site
    margin = timedelta(minutes=site.queue.expire_after_close_minutes)
    end = utc(closing) + margin
    q = Queue(site)
    t, _ = q.issue("passport", utc(closing) - timedelta(hours=5))  # 10:00 local, after the change
    q.command("desk-1", "open", utc(closing) - timedelta(hours=6))
    assert not q.expire_due(end - SECOND).events and q.tickets[t.key].state == WAITING
    q.expire_due(end)
    assert q.tickets[t.key].state == EXPIRED and q.desks["desk-1"].status == "closed"


def test_a_saturday_ticket_lasts_until_midnight_and_a_sunday_evening_finds_the_office_closed(site):
    """Closed days have no closing time: staff opening a desk on a Saturday are not swept away."""
    saturday = utc("2026-12-05T11:00:00+01:00")
    assert schedule.closing_time(site, saturday) is None
    q = Queue(site)
    q.command("desk-1", "open", saturday)
    t, _ = q.issue("passport", saturday)
    assert not q.expire_due(utc("2026-12-05T23:59:59+01:00")).events
    q.expire_due(utc("2026-12-06T00:00:00+01:00"))
    assert q.tickets[t.key].state == EXPIRED and q.desks["desk-1"].status == "closed"
    assert schedule.closing_time(site, utc("2026-12-06T19:00:00+01:00")) is None


@pytest.mark.parametrize("now,first_start", [
    ("2026-12-05T12:00:00+01:00", "2026-12-07T13:00:00+01:00"),  # Saturday: Monday's Datastue is next
    ("2026-10-25T20:00:00+01:00", "2026-10-26T13:00:00+01:00"),  # Sunday evening after the clocks went back
    ("2027-03-28T20:00:00+02:00", "2027-03-29T13:00:00+02:00"),  # Sunday evening after they went forward
    ("2026-12-31T23:59:59+01:00", "2027-01-04T13:00:00+01:00"),  # New Year's Eve, after closing
])
def test_the_next_volunteer_session_is_at_its_local_time(site, now, first_start):
    sessions = schedule.upcoming_sessions(site, utc(now))
    assert sessions[0].start == utc(first_start)
    assert sessions[0].end - sessions[0].start == timedelta(hours=2)


def test_volunteers_are_in_until_the_session_ends_to_the_second(site):
    assert schedule.volunteers_until(site, utc("2026-11-24T11:59:59+01:00")) == utc("2026-11-24T12:00:00+01:00")
    assert schedule.volunteers_until(site, utc("2026-11-24T12:00:00+01:00")) is None
    assert schedule.volunteers_until(site, utc("2026-11-24T08:59:59+01:00")) is None


# -- the real hub process, started just before the edge (RECEPTION_CLOCK) -----

@pytest.mark.parametrize("start,edge,second,first_after", [
    # New Year: numbers restart, last year's ticket expires
    ("2026-12-31T23:59:54+01:00", "2027-01-01T00:00:00+01:00", ("2027-01-01", "C001"), "expired"),
    # the clocks go back at 03:00: the same day goes on
    ("2026-10-25T02:59:54+02:00", "2026-10-25T02:00:00+01:00", ("2026-10-25", "C002"), "waiting"),
])
def test_the_hub_process_restarts_numbers_at_local_midnight_only(broker, recorder, tmp_path,
                                                                 start, edge, second, first_after):
    from tests.conftest import HubProcess
    from tests.hardware.conftest import wait_until
    from tests.hub.test_hub_mqtt import reply_for, request

    hub = HubProcess(broker, tmp_path / "hub.db", instant=start).start()
    try:
        rec = recorder("reception/toender/kiosk/#")
        assert reply_for(rec, request(rec, service="passport"))["ticket"]["number"] == "C001"
        assert hub.clock() < utc(edge), "the machine took too long to start the hub"
        while hub.clock() < utc(edge) + SECOND / 2:  # the hub's own clock passes the edge in real time
            time.sleep(0.1)
        assert reply_for(rec, request(rec, service="passport"))["ticket"]["number"] == second[1]

        def tickets():
            with sqlite3.connect(hub.db_path) as db:
                return db.execute("select day, number, state from tickets order by rowid").fetchall()
        wait_until(lambda: tickets()[0][2] == first_after)
        assert tickets() == [(start[:10], "C001", first_after), (*second, "waiting")]
    finally:
        hub.stop()
        hub.available.close()
