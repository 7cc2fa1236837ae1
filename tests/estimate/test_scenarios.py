"""Scenario files: every shipped one loads; a broken one is refused naming the file and the key."""
from pathlib import Path

import pytest

from hub.simulation import scenario
from reception.errors import ConfigError

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").rglob("*.toml"))

MINIMAL = '''
[scenario]
name = "minimal"
weekday = "tue"

[arrivals.per_hour]
"09:00" = 20

[reasons.passport]
share = 1
median_min = 8
'''


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "day.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_shipped_scenarios_load(path):
    sc = scenario.load(path)
    assert sc.reasons and sc.arrivals and sc.desks


def test_defaults_staff_all_day_and_volunteers_in_their_sessions(tmp_path):
    sc = scenario.load(write(tmp_path, MINIMAL))
    assert sc.desks["desk-1"].shifts == ((540, 900),)  # Tuesday 09:00-15:00
    assert sc.desks["vol-1"].shifts == ((540, 720),)  # the at-desk volunteer session 09:00-12:00
    assert sc.patience is None and sc.groups == ()


def test_site_overrides_merge_tables_and_replace_arrays(tmp_path):
    text = MINIMAL + '''
[site_overrides]
pins = {}
hours = { tue = "08:00-12:00" }

[[site_overrides.desks]]
id = "solo"
name = { da = "Eneste" }
kind = "staff"
services = ["*"]
'''
    sc = scenario.load(write(tmp_path, text))
    assert list(sc.site.desks) == ["solo"]
    assert sc.site.hours["mon"] and sc.open_min == 480  # other days kept, Tuesday replaced


@pytest.mark.parametrize("change, key", [
    (("[reasons.passport]", "[reasons.pasport]"), "reasons.pasport"),
    (('"09:00" = 20', '"9 o\'clock" = 20'), "arrivals.per_hour.9 o'clock"),
    (('median_min = 8', 'median_min = -1'), "reasons.passport.median_min"),
    (('weekday = "tue"', 'weekday = "sun"'), "scenario.weekday"),
    (('name = "minimal"', 'name = "minimal"\nsite = "nowhere.toml"'), "scenario.site"),
    (('share = 1', 'share = 1\npreference = { robot = 1 }'), "reasons.passport.preference.robot"),
    (('share = 1', 'share = 1\nspeed = 2'), "reasons.passport.speed"),
    (('share = 1', 'share = 1\nmixture = [{ share = 2, median_min = 40 }]'), "reasons.passport.mixture[0].share"),
    (('weekday = "tue"', 'weekdays = ["tue", "sun"]'), "scenario.weekdays"),
])
def test_errors_name_the_file_and_the_key(tmp_path, change, key):
    path = write(tmp_path, MINIMAL.replace(*change))
    with pytest.raises(ConfigError) as err:
        scenario.load(path)
    assert str(err.value).startswith(f"{path}: {key}: ")


@pytest.mark.parametrize("extra, key", [
    ('[desks.desk-9]\nspeed = 2\n', "desks.desk-9"),
    ('[desks.desk-1]\nshifts = ["12:00-11:00"]\n', "desks.desk-1.shifts[0]"),
    ('[[groups]]\nat = "10:00"\nsize = 5\nreason = "moving"\n', "groups[0].reason"),
    ('[extras]\nvip = 0.5\n', "extras.vip"),
    ('[desks.desk-1]\nstalls = { per_day = 2, minutes = 5 }\n', "desks.desk-1.stalls.minutes"),
    ('[desks.desk-1]\nabsent = 1.5\n', "desks.desk-1.absent"),
    ('[[groups]]\nat = "10:00"\nsize = 5\nreasons = { passport = 1, moving = 1 }\n', "groups[0].reasons.moving"),
    ('[arrivals.weekday_factor]\nthu = 2\n', "arrivals.weekday_factor.thu"),
    ('[weather]\nrain = true\n', "weather"),
    ('[[site_overrides.desks]]\nid = "x"\nkind = "robot"\n', "site_overrides"),
])
def test_errors_in_other_sections_name_the_key(tmp_path, extra, key):
    path = write(tmp_path, MINIMAL + extra)
    with pytest.raises(ConfigError) as err:
        scenario.load(path)
    assert str(err.value).startswith(f"{path}: {key}")


def test_every_section_and_key_is_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scenarios.md").read_text(encoding="utf-8")
    for section, keys in scenario.KEYS.items():
        assert f"[{section}" in doc or f"[[{section}" in doc, section
        for key in keys:
            assert f"`{key}`" in doc, f"{section}.{key} is not documented"
