"""``reception demo-data``: a new user's first report has a full week in it, for any site file; no real file is lost."""
import sqlite3

import pytest

from hub.report.cli import last_week
from hub.store import Store
from reception import clock, config
from reception.cli import main
from reception.config import WEEKDAYS
from tests.conftest import EXAMPLE_CONFIG
from tests.insight.helpers import number, read_csv

OTHER_SITE = """
[site]
id = "ribe"
name = "Borgerservice Ribe"
address = "Torvet 3, 6760 Ribe"
timezone = "Europe/Copenhagen"
languages = ["da"]
retention_days = 30

[hours]
mon = "10:00-14:00"
wed = "08:30-12:00"

[services.tax]
letter = "T"
served_by = ["staff"]
mean_service_minutes = 9
name = { da = "Skat" }

[services.digital_help]
letter = "H"
served_by = ["volunteer", "staff"]
mean_service_minutes = 12
name = { da = "Digital hjælp" }

[[desks]]
id = "s-1"
name = { da = "Skranke" }
kind = "staff"

[[desks]]
id = "v-1"
name = { da = "Frivillig" }
kind = "volunteer"

[[volunteer_sessions]]
days = ["mon"]
time = "10:00-12:00"
at_desks = true
place = { da = "Her" }

[questions.start]
text = { da = "Hvad drejer det sig om?" }
answers = [{ label = { da = "Skat" }, service = "tax" },
           { label = { da = "Digital hjælp" }, service = "digital_help" }]
"""


def demo_data(capsys, *args) -> tuple[int, str, str]:
    status = main(["demo-data", *args])
    out, err = capsys.readouterr()
    return status, out, err


def last_weeks_report(db, out) -> tuple:
    """What a new user runs next: ``reception report --last-week`` on the demo file."""
    assert main(["report", "--last-week", "--db", str(db), "--out", str(out)]) == 0
    monday, sunday = last_week(clock.from_env()().astimezone().date())
    html = out / f"report-{monday}-{sunday}.html"
    return html, read_csv(html.with_suffix(".csv"))


def final_days(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select site, day, final, data from day_stats order by day").fetchall()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "var" / "demo.db"
    assert main(["demo-data", "-c", str(EXAMPLE_CONFIG), "--db", str(path)]) == 0
    return path


def test_last_weeks_report_has_every_opening_day(demo, tmp_path, capsys):
    site = config.load(EXAMPLE_CONFIG)
    html, f = last_weeks_report(demo, tmp_path)
    assert html.is_file() and "<svg" in html.read_text(encoding="utf-8")
    assert number(f, "overall", "all", "visits") > 0
    for weekday in WEEKDAYS:
        if weekday in site.hours:
            assert number(f, "weekdays", weekday, "site_days") == 1 and number(f, "weekdays", weekday, "visits") > 0
        else:
            assert ("weekdays", weekday, "visits") not in f
    assert number(f, "overall", "all", "transfers_to_staff") > 0 and number(f, "overall", "all", "by_volunteer") > 0
    assert all(final for _site, _day, final, _data in final_days(demo)), "every day finished as at the hub's day change"


def test_the_command_says_what_it_wrote_and_what_to_run_next(tmp_path, capsys):
    db = tmp_path / "demo.db"
    status, out, err = demo_data(capsys, "-c", str(EXAMPLE_CONFIG), "--db", str(db), "--days", "2", "--seed", "7")
    assert status == 0 and err == ""
    wrote, nxt = out.splitlines()
    assert wrote.startswith(f"wrote demo data for site toender into {db}: ") and "(seed 7)" in wrote
    assert nxt.startswith("next: reception report --") and nxt.endswith(f" --db {db}")


def test_the_same_seed_writes_the_same_days_over_a_demo_file(demo, tmp_path, capsys):
    before = [(site, day, data) for site, day, _final, data in final_days(demo)]
    assert demo_data(capsys, "-c", str(EXAMPLE_CONFIG), "--db", str(demo))[0] == 0  # a demo file may be replaced
    assert [(site, day, data) for site, day, _final, data in final_days(demo)] == before


@pytest.mark.parametrize("kind", ["hub", "other"])
def test_a_file_that_is_not_demo_data_is_left_alone(tmp_path, capsys, kind):
    path = tmp_path / "hub.db"
    if kind == "hub":
        Store(path).close()  # a real hub's file, even an empty one
    else:
        path.write_text("minutes of the meeting\n")
    content = path.read_bytes()
    status, out, err = demo_data(capsys, "-c", str(EXAMPLE_CONFIG), "--db", str(path))
    assert status == 2 and out == ""
    assert err == f"error: {path} exists and is not demo data; refusing to overwrite it (choose another --db)\n"
    assert path.read_bytes() == content


def test_any_site_file_gets_plausible_days(tmp_path, capsys):
    """Other ids, one desk of each kind, other hours, no kiosks: it all comes from the site file."""
    site_file = tmp_path / "ribe.toml"
    site_file.write_text(OTHER_SITE, encoding="utf-8")
    db = tmp_path / "ribe.db"
    assert demo_data(capsys, "-c", str(site_file), "--db", str(db), "--days", "14")[0] == 0
    _html, f = last_weeks_report(db, tmp_path / "out")
    assert [number(f, "weekdays", d, "site_days") for d in ("mon", "wed")] == [1, 1]
    assert number(f, "reasons", "tax", "visits") > 0 and number(f, "reasons", "digital_help", "visits") > 0
    assert number(f, "kinds", "volunteer", "served") > 0, "the Monday session's volunteer served"
    visits = number(f, "overall", "all", "visits")
    assert number(f, "overall", "all", "served") > 0.7 * visits, "busy days, but most are served"
