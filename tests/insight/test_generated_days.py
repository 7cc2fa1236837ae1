"""A generated week through the real queue and store; the report against a separate computation from raw rows.

The recomputation below reads the SQLite tables with its own SQL and arithmetic and
shares no code with ``hub.stats``; then the hub's own retention purge drops the
ticket rows and the report must come out the same from the aggregates alone.
"""
import math
import sqlite3
from collections import Counter, defaultdict
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from tests.insight.conftest import PERIOD, raw_rows
from tests.insight.helpers import about, number, report

TZ = ZoneInfo("Europe/Copenhagen")


def minutes(a, b):
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() / 60


def whole(m):
    return math.floor(m + 0.5)


def nearest_rank(values, p):
    values = sorted(values)
    return values[math.ceil(p / 100 * len(values)) - 1]


def test_the_purge_dropped_the_rows_but_kept_the_days(week):
    path, raw = week
    after = raw_rows(path)
    assert raw["tickets"] and not after["tickets"] and not after["feedback"]
    with sqlite3.connect(path) as db:
        assert db.execute("select count(*), min(final) from day_stats").fetchone() == (5, 1)


def test_report_after_the_purge_matches_a_recomputation_from_the_raw_rows(week, tmp_path):
    path, raw = week
    _html, f = report(tmp_path, path, **PERIOD)
    tickets = raw["tickets"]
    reason = lambda t: t["original_service"] or t["service"]  # noqa: E731
    assert number(f, "overall", "all", "visits") == len(tickets) > 200
    by_reason = Counter(reason(t) for t in tickets)
    for r, n in by_reason.items():
        assert number(f, "reasons", r, "visits") == n
        mine = [t for t in tickets if reason(t) == r]
        assert number(f, "reasons", r, "no_show") == sum(t["state"] == "no_show" for t in mine)
        waits = [whole(minutes(t["issued_at"], t["first_called_at"])) for t in mine if t["first_called_at"]]
        if len(waits) >= 3:
            assert number(f, "reasons", r, "wait_median") == nearest_rank(waits, 50)
            assert number(f, "reasons", r, "wait_p90") == nearest_rank(waits, 90)
        answered = [t["first_visit"] for t in mine if t["first_visit"] is not None]
        if len(answered) >= 3:
            assert number(f, "reasons", r, "repeat_share") == about(answered.count(0) / len(answered))

    served = [t for t in tickets if t["state"] == "served"]
    assert number(f, "overall", "all", "served") == len(served)
    assert number(f, "overall", "all", "volunteer_share") == about(
        sum(t["served_by_kind"] == "volunteer" for t in served) / len(served))
    services = [whole(minutes(t["called_at"], t["finished_at"])) for t in served]
    assert number(f, "overall", "all", "service_median") == nearest_rank(services, 50)

    promised = [t for t in tickets if t["eta_at_issue"] is not None and (t["first_called_at"] or t["state"] == "expired")]
    kept = [t for t in promised if t["first_called_at"] and
            minutes(t["issued_at"], t["first_called_at"]) <= math.ceil(t["eta_at_issue"]) + 3]
    assert number(f, "overall", "all", "eta_met_share") == about(len(kept) / len(promised))

    arrivals = Counter(datetime.fromisoformat(t["issued_at"]).astimezone(TZ).hour for t in tickets)
    for hour, n in arrivals.items():
        assert number(f, "hours", str(hour), "arrivals") == n
        assert number(f, "hours", str(hour), "arrivals_per_day") == about(n / 5)

    moves = Counter((e["detail"] or "") for e in raw["events"] if e["kind"] == "transferred")
    to_staff = sum(n for detail, n in moves.items() if '"from_kind": "volunteer", "to_kind": "staff"' in detail)
    assert number(f, "overall", "all", "transfers_to_staff") == to_staff > 0

    scores = defaultdict(list)
    for answer in raw["feedback"]:
        scores[answer["service"] or "-"].append(answer["score"])
    for r, values in scores.items():
        assert number(f, "feedback", r, "answers") == len(values)
        assert number(f, "feedback", r, "mean_score") == about(sum(values) / len(values))


def test_weekdays_count_each_opening_day_once(week, tmp_path):
    path, raw = week
    _html, f = report(tmp_path, path, **PERIOD)
    for day, n in Counter(t["day"] for t in raw["tickets"]).items():
        weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[date.fromisoformat(day).weekday()]
        assert number(f, "weekdays", weekday, "visits") == n
        assert number(f, "weekdays", weekday, "site_days") == 1
    assert ("weekdays", "sat", "visits") not in f


def test_a_day_with_tickets_still_open_is_not_final_until_they_are_closed(site, tmp_path):
    """The hub commits in the background: at the day change yesterday's expiry may not be stored yet."""
    from hub.core.queue import Queue
    from hub.daily_stats import DailyStats
    from hub.stats_db import StatsDB
    from hub.simulation.demo import new_store

    store = new_store(site, tmp_path / "hub.db")
    queue = Queue(site)
    issued = datetime(2026, 11, 24, 9, tzinfo=timezone.utc)
    _ticket, effects = queue.issue("passport", issued)
    store.apply(effects)
    daily = DailyStats(site, StatsDB(store.db))
    morning = datetime(2026, 11, 25, 7, tzinfo=timezone.utc)
    assert [p.final for p in daily.finish_past_days(morning)] == [False]
    store.apply(queue.expire_due(morning))
    (final,) = daily.finish_past_days(morning)
    assert final.final and final.aggregate["reasons"]["passport"]["expired"] == 1
    assert daily.finish_past_days(morning) == []  # done once
