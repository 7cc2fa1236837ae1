"""Charts over long periods switch from days to weeks, and every chart draws from a summary."""
from datetime import date, timedelta

from hub import stats
from hub.report import charts
from hub.stats_db import StatsDB
from tests.insight.conftest import PERIOD


def test_a_quarter_is_drawn_by_week_and_a_month_by_day(week):
    db = StatsDB.open(week[0])
    one = [aggregate for _at, aggregate in db.aggregates(PERIOD["day_from"], PERIOD["day_to"])][0]
    db.close()
    start = date(2026, 9, 1)
    quarter = [{**one, "day": (start + timedelta(days=i)).isoformat()} for i in range(91)]
    summary = stats.summarise(quarter)
    assert list(charts._periods(summary)) == list(summary["weeks"]) and len(summary["weeks"]) == 14
    assert sum(w["site_days"] for w in summary["weeks"].values()) == 91
    month = stats.summarise(quarter[:30])
    assert list(charts._periods(month)) == list(month["days"])
    for _title, svg in charts.all_charts(summary).values():
        assert svg.startswith("<svg") and svg.count("<path") > 5
