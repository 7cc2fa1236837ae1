"""A small day worked out by hand: six citizens, two desks, one hand-over, five feedback answers.

Tuesday 24 November 2026 (Copenhagen time), desk-1 (staff) and vol-1 (volunteer) open at 09:00:

    ticket  reason       first visit  issued  eta  first call         end                    wait  service
    A001    mitid_learn  no           09:00    5   09:06 vol-1        09:16 served           6     10
    C001    passport     yes          09:01    3   09:06 desk-1       09:14 served           5      8
    A002    mitid_learn  no           09:02   10   09:16 vol-1 -> staff, 09:24 desk-1, 09:40 14    16
    C002    passport     (no answer)  09:03    6   09:14 desk-1       09:24 served          11     10
    A003    mitid_learn  yes          09:04   10   09:21 vol-1        09:30 served          17      9
    C003    passport     no           09:05   20   09:40 desk-1       09:41 no-show         35      -

Both desks close at 10:30.  Every number the tests expect below was worked out from this table.
"""
import subprocess
import sys
from datetime import date, datetime, time, timezone

import pytest

from reception import config, schedule
from hub.core.queue import Queue
from hub.daily_stats import DailyStats
from hub.stats_db import StatsDB
from hub.simulation.demo import new_store
from tests.conftest import EXAMPLE_CONFIG, ROOT
from tests.insight.helpers import about, number, report

DAY = date(2026, 11, 24)
FEEDBACK = [(5, ["got_help", "kind"], "mitid_learn"), (4, ["kind"], "mitid_learn"), (2, ["still_cannot"], "mitid_learn"),
            (1, ["waited_too_long"], "passport"), (3, [], None)]


def at(site, hh, mm):
    return schedule.at_local(site, DAY, time(hh, mm))


@pytest.fixture(scope="module")
def known_db(tmp_path_factory):
    site = config.load(EXAMPLE_CONFIG)
    path = tmp_path_factory.mktemp("known") / "hub.db"
    store = new_store(site, path)
    q = Queue(site)

    def do(desk, action, hh, mm, **kw):
        store.apply(q.command(desk, action, at(site, hh, mm), **kw))
        current = q.current(desk)
        return current.number if current else None

    def issue(service, first_visit, hh, mm, eta, preference="any"):
        ticket, effects = q.issue(service, at(site, hh, mm), preference=preference, first_visit=first_visit)
        ticket.eta_at_issue = eta
        store.apply(effects)

    do("desk-1", "open", 9, 0)
    do("vol-1", "open", 9, 0)
    issue("mitid_learn", False, 9, 0, 5, "volunteer")
    issue("passport", True, 9, 1, 3)
    issue("mitid_learn", False, 9, 2, 10, "volunteer")
    issue("passport", None, 9, 3, 6)
    issue("mitid_learn", True, 9, 4, 10, "volunteer")
    issue("passport", False, 9, 5, 20)
    assert do("vol-1", "next", 9, 6) == "A001"
    assert do("desk-1", "next", 9, 6) == "C001"
    assert do("desk-1", "next", 9, 14) == "C002"
    assert do("vol-1", "next", 9, 16) == "A002"
    assert do("vol-1", "transfer", 9, 20, to_kind="staff") is None
    assert do("vol-1", "next", 9, 21) == "A003"
    assert do("desk-1", "next", 9, 24) == "A002"
    assert do("vol-1", "done", 9, 30) is None
    assert do("desk-1", "next", 9, 40) == "C003"
    assert do("desk-1", "noshow", 9, 41) is None
    do("desk-1", "close", 10, 30)
    do("vol-1", "close", 10, 30)
    for i, (score, tags, service) in enumerate(FEEDBACK):
        store.add_feedback(f"kiosk-1/f{i}", day=DAY.isoformat(), hour=10, score=score, tags=tags, service=service)
    DailyStats(site, StatsDB(store.db)).finish_past_days(datetime(2026, 11, 25, 7, tzinfo=timezone.utc))
    store.close()
    return path


@pytest.fixture(scope="module")
def figures(known_db):
    return report(known_db.parent / "out", known_db, day_from="2026-11-23", day_to="2026-11-29")


def test_overall_figures_match_the_hand_computed_day(figures):
    html, f = figures
    fig = lambda metric: number(f, "overall", "all", metric)  # noqa: E731
    assert (fig("visits"), fig("served"), fig("no_show"), fig("site_days")) == (6, 5, 1, 1)
    assert fig("volunteer_share") == about(2 / 5)  # A001 and A003 of five served
    assert (fig("wait_median"), fig("wait_p90")) == (11, 35)  # 5 6 11 14 17 35: ranks 3 and 6
    assert (fig("service_median"), fig("service_p90")) == (10, 16)  # 8 9 10 10 16
    assert fig("repeat_share") == about(3 / 5)  # five answered; A001, A002, C003 had come before
    assert fig("eta_met_share") == about(2 / 6)  # A001 (6 <= 5+3) and C001 (5 <= 3+3)
    assert (fig("transfers_to_staff"), fig("transfers_to_volunteer")) == (1, 0)
    assert (fig("feedback_answers"), fig("feedback_mean")) == (5, 3.0)
    text = html.read_text()
    assert "<b>11 min</b>median wait" in text and "<b>40 %</b>served by volunteers" in text


def test_figures_per_reason_and_per_desk_kind(figures):
    _html, f = figures
    learn = lambda metric: number(f, "reasons", "mitid_learn", metric)  # noqa: E731
    passport = lambda metric: number(f, "reasons", "passport", metric)  # noqa: E731
    assert (learn("visits"), learn("served"), learn("by_volunteer")) == (3, 3, 2)
    assert (learn("wait_median"), learn("wait_p90"), learn("service_median"), learn("service_p90")) == (14, 17, 10, 16)
    assert learn("repeat_share") == about(2 / 3) and learn("eta_met_share") == about(1 / 3)
    assert (passport("visits"), passport("served"), passport("no_show")) == (3, 2, 1)
    assert (passport("wait_median"), passport("wait_p90")) == (11, 35)
    # Two served, two answers to "first time?": too few to show a figure about them.
    assert passport("service_median") is None and passport("repeat_share") is None
    assert passport("volunteer_share") is None
    assert number(f, "kinds", "staff", "served") == 3  # C001, C002 and the handed-over A002
    assert (number(f, "kinds", "staff", "wait_median"), number(f, "kinds", "staff", "wait_p90")) == (11, 35)
    assert (number(f, "kinds", "volunteer", "wait_median"), number(f, "kinds", "volunteer", "wait_p90")) == (14, 17)
    assert number(f, "kinds", "volunteer", "service_median") is None  # only two served by volunteers
    assert number(f, "transfers", "volunteer>staff", "count") == 1


def test_hours_weekdays_and_feedback(figures):
    _html, f = figures
    assert number(f, "hours", "9", "arrivals") == 6
    assert (number(f, "hours", "9", "staff_desks"), number(f, "hours", "10", "staff_desks")) == (1.0, 0.5)
    assert number(f, "hours", "10", "volunteer_desks") == 0.5
    assert ("hours", "11", "arrivals") not in f
    assert (number(f, "weekdays", "tue", "visits"), number(f, "days", "2026-11-24", "visits")) == (6, 6)
    assert number(f, "weeks", "2026-W48", "visits") == 6
    assert number(f, "feedback", "mitid_learn", "answers") == 3
    assert number(f, "feedback", "mitid_learn", "mean_score") == about(11 / 3)
    assert [number(f, "feedback", "mitid_learn", f"score_{s}") for s in "12345"] == [0, 1, 0, 1, 1]
    assert number(f, "feedback", "mitid_learn", "tag_kind") == 2
    assert number(f, "feedback", "passport", "answers") == 1
    assert number(f, "feedback", "passport", "mean_score") is None  # one answer describes one person
    assert number(f, "feedback", "-", "answers") == 1


def test_a_period_without_data_still_gives_a_report(known_db, tmp_path):
    html, f = report(tmp_path / "empty", known_db, day_from="2026-12-01", day_to="2026-12-07")
    assert number(f, "overall", "all", "visits") == 0
    assert "no data in this period" in html.read_text()
    assert "<b>No visits from 2026-12-01 to 2026-12-07.</b>" in html.read_text()


def reception(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reception.cli", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)


def test_the_report_command_says_plainly_when_a_range_has_no_visits(known_db, tmp_path):
    done = reception("report", "--from", "2026-12-01", "--to", "2026-12-07", "--db", str(known_db),
                     "--out", str(tmp_path))
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout == (f"no visits from 2026-12-01 to 2026-12-07 in {known_db}; wrote "
                           f"{tmp_path}/report-2026-12-01-2026-12-07.html and "
                           f"{tmp_path}/report-2026-12-01-2026-12-07.csv, which say so\n")
    done = reception("report", "--from", "2026-11-24", "--to", "2026-11-24", "--db", str(known_db),
                     "--out", str(tmp_path))
    assert done.stdout.startswith("6 visits on 1 site-days; wrote ")


@pytest.mark.parametrize("args,said", [
    (["--from", "2026-13-01", "--to", "2026-12-07"], "error: --from: '2026-13-01' is not a day; "
                                                     "write it as YYYY-MM-DD, e.g. 2026-11-30"),
    (["--from", "2026-12-01", "--to", "7/12/2026"], "error: --to: '7/12/2026' is not a day; "
                                                    "write it as YYYY-MM-DD, e.g. 2026-11-30"),
])
def test_a_bad_date_is_named_in_one_line(known_db, tmp_path, args, said):
    done = reception("report", *args, "--db", str(known_db), "--out", str(tmp_path))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", said + "\n")
    assert not list(tmp_path.iterdir()), "nothing written"


def test_last_week_is_monday_to_sunday_before_this_week():
    from hub.report.cli import last_week

    assert last_week(date(2026, 11, 25)) == (date(2026, 11, 16), date(2026, 11, 22))  # from a Wednesday
    assert last_week(date(2026, 11, 30)) == (date(2026, 11, 23), date(2026, 11, 29))  # from the Monday after


@pytest.mark.parametrize("now,week", [
    ("2026-10-25T23:59:59+01:00", ("2026-10-12", "2026-10-18")),  # the last second of the 25-hour Sunday
    ("2026-10-26T00:00:00+01:00", ("2026-10-19", "2026-10-25")),  # the Monday timer a second later
    ("2027-03-29T00:00:30+02:00", ("2027-03-22", "2027-03-28")),  # after the 23-hour Sunday
    ("2027-01-01T00:00:01+01:00", ("2026-12-21", "2026-12-27")),  # New Year's Day
])
def test_last_week_follows_the_machines_local_clock(known_db, tmp_path, monkeypatch, capsys, now, week):
    """The weekly timer runs ``report --last-week`` on a Monday morning in Copenhagen, whatever UTC says."""
    import time as _time

    from reception import clock
    from reception.cli import main

    monkeypatch.setattr(clock, "from_env", lambda *_: clock.RunningFrom(datetime.fromisoformat(now)))
    monkeypatch.setenv("TZ", "Europe/Copenhagen")
    _time.tzset()
    try:
        assert main(["report", "--last-week", "--db", str(known_db), "--out", str(tmp_path)]) == 0
    finally:
        monkeypatch.undo()
        _time.tzset()
    assert (tmp_path / f"report-{week[0]}-{week[1]}.html").is_file(), capsys.readouterr()


def test_a_report_needs_a_whole_period(known_db, tmp_path, capsys):
    from reception.cli import main

    assert main(["report", "--from", "2026-11-24", "--db", str(known_db), "--out", str(tmp_path)]) == 1
    assert main(["report", "--from", "2026-11-25", "--to", "2026-11-24", "--db", str(known_db)]) == 1
    assert main(["report", "--from", "2026-11-23", "--to", "2026-11-29", "--db", str(tmp_path / "none.db")]) == 1
    err = capsys.readouterr().err
    assert "--from needs --to" in err and "--from is after --to" in err and "no database at" in err
    assert main(["report", "--last-week", "--db", str(known_db), "--out", str(tmp_path)]) == 0
