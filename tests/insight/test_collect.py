"""Several sites' statistics gathered at the centre by ``reception collect``, and one report over all of them.

Two sites publish their days on ``reception/<site>/stats/daily`` (as their bridges
deliver them to the central broker); the collector runs as a real process against a
real Mosquitto; the report on its file must add up to the sites' own reports.
"""
import json
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest

from reception.protocol import encode
from hub.daily_stats import DailyStats
from hub.stats_db import StatsDB
from tests.conftest import EXAMPLE_CONFIG, ROOT
from tests.insight.conftest import PERIOD
from tests.insight.helpers import number, report


def week_payloads(path, site):
    """The generated week's days as the hub of ``site`` would publish them."""
    db = StatsDB.open(path)
    payloads = []
    for at, aggregate in db.aggregates(PERIOD["day_from"], PERIOD["day_to"]):
        renamed = {**aggregate, "site": site, "site_name": f"Borgerservice {site.title()}"}
        message = DailyStats.payload(renamed, datetime.fromisoformat(at), final=True)
        payloads.append(json.loads(message.to_payload()))
    db.close()
    return payloads


def stored(path) -> list[tuple]:
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        if not db.execute("select name from sqlite_master where name = 'day_stats'").fetchone():
            return []
        return db.execute("select site, day, final from day_stats order by site, day").fetchall()


@pytest.fixture
def collector(broker, tmp_path):
    central, log = tmp_path / "central.db", tmp_path / "collect.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "reception.cli", "collect", "--broker-host", broker.host,
                                 "--broker-port", str(broker.port), "--db", str(central)], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT)
    yield central, log
    proc.terminate()
    proc.wait(10)


def wait_until(predicate, why, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out; the collector said:\n{why.read_text()}")


def test_two_sites_gathered_centrally_add_up_and_bad_messages_are_ignored(week, collector, recorder, tmp_path):
    central, log = collector
    rec = recorder()
    toender, ribe = week_payloads(week[0], "toender"), week_payloads(week[0], "ribe")
    probe = encode({**toender[0], "site": "probe"})
    wait_until(lambda: rec.publish("reception/probe/stats/daily", probe) or stored(central), why=log)  # subscribed
    rec.publish("reception/evil/stats/daily", encode({**toender[0], "site": "toender"}))  # another site's days
    rec.publish("reception/evil/stats/daily", encode({**toender[0], "site": "evil", "reasons": {"x": {"visits": -1}}}))
    rec.publish("reception/evil/stats/daily", b"{not json")
    for payload in toender + ribe:
        rec.publish(f"reception/{payload['site']}/stats/daily", encode(payload))
    wait_until(lambda: len(stored(central)) == 11, why=log)
    assert {site for site, _day, _final in stored(central)} == {"probe", "ribe", "toender"}
    assert "payload of site 'toender' on the topic of 'evil'" in log.read_text()
    assert "evil.reasons.x.visits" not in log.read_text() and "reasons.x.visits must be a count" in log.read_text()

    _html, alone = report(tmp_path / "alone", week[0], **PERIOD)
    with sqlite3.connect(central) as db:
        db.execute("delete from day_stats where site = 'probe'")
    html, both = report(tmp_path / "both", central, **PERIOD)
    assert number(both, "overall", "all", "visits") == 2 * number(alone, "overall", "all", "visits")
    assert number(both, "overall", "all", "site_days") == 10
    for site in ("toender", "ribe"):
        assert number(both, "sites", site, "visits") == number(alone, "overall", "all", "visits")
    # Same visits twice over: every median, p90 and share stays what one site had.
    for metric in ("wait_median", "wait_p90", "repeat_share", "eta_met_share", "volunteer_share"):
        assert number(both, "overall", "all", metric) == number(alone, "overall", "all", metric)
    text = html.read_text()
    assert "Borgerservice Ribe (ribe)" in text and "Borgerservice Toender (toender)" in text


def test_a_site_and_the_centre_holding_the_same_day_count_it_once(week, tmp_path):
    """A report over a hub's own file and the central file does not double the site's days."""
    central = StatsDB.open(tmp_path / "central.db")
    for payload in week_payloads(week[0], "toender"):
        aggregate = {k: v for k, v in payload.items() if k not in ("at", "final", "live")}
        central.save(aggregate, at=payload["at"], final=True)
    central.close()
    _html, alone = report(tmp_path / "alone", week[0], **PERIOD)
    _html, merged = report(tmp_path / "merged", week[0], tmp_path / "central.db", **PERIOD)
    assert number(merged, "overall", "all", "visits") == number(alone, "overall", "all", "visits")
    assert json.dumps(sorted(merged.items())) == json.dumps(sorted(alone.items()))


def test_a_running_hub_reaches_the_central_file_and_its_report(open_hub, collector, recorder, tmp_path):
    """The whole way without hand-made payloads: kiosk request -> hub -> stats/daily -> collect -> report."""
    from tests.hub.test_hub_mqtt import reply_for, request

    central, log = collector
    rec = recorder("reception/toender/#")
    for service in ("passport", "passport", "moving"):
        reply_for(rec, request(rec, service=service, first_visit=False))

    def today_visits():
        with sqlite3.connect(central) as db:
            rows = db.execute("select data from day_stats where site = 'toender'").fetchall() if stored(central) else []
        return rows and sum(r["visits"] for r in json.loads(rows[0][0])["reasons"].values())

    wait_until(lambda: today_visits() == 3, why=log, timeout=20)
    day = stored(central)[0][1]
    _html, f = report(tmp_path / "central", central, day_from=day, day_to=day)
    assert (number(f, "overall", "all", "visits"), number(f, "reasons", "passport", "visits")) == (3, 2)
    assert number(f, "overall", "all", "repeat_share") == 1.0  # all three had been here before


def test_ten_sites_bridged_to_one_centre_all_reach_the_collectors_file(tmp_path):
    """The municipality of docs/multi-site.md in small: ten site brokers with the installer's bridge, one central
    broker, ``reception collect``; each site's day (steadily updated) and its final days (handed over at once)
    are all stored, each under its own site."""
    from bench import collect

    result = collect.run(EXAMPLE_CONFIG, sites=10, seconds=1.0, every=0.5, burst=2, db=tmp_path / "central.sqlite")
    assert result["lost"] == 0 and result["burst_messages"] == 20
    today, *past = [(collect.DAY - timedelta(days=k)).isoformat() for k in range(3)]
    expected = {(f"site{i:02d}", day, int(day in past)) for i in range(1, 11) for day in (today, *past)}
    assert set(stored(tmp_path / "central.sqlite")) - {("probe", today, 0)} == expected
