"""The richer scenario keys play out as documented: absent days, stalls, moving breaks, mixed groups,
several weekdays and mixtures of visit lengths."""
from pathlib import Path

import pytest

from hub.simulation import day, scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def load(name):
    return scenario.load(SCENARIOS / f"{name}.toml")


def test_a_desk_is_absent_on_about_its_share_of_days_never_a_fixed_weekday():
    sc = load("desk_absent")
    away = [not day.desk_days(sc, 1, d)[0]["desk-2"] for d in range(200)]
    assert 0.18 < sum(away) / len(away) < 0.32
    assert not all(day.desk_days(sc, 1, d)[0]["desk-1"] == () for d in range(5))


def test_breaks_move_within_their_jitter_and_keep_their_length():
    sc = load("break_jitter")
    starts = set()
    for d in range(30):
        (a, b), (c, e) = day.desk_days(sc, 1, d)[0]["desk-1"]
        assert (a, e) == (540, 900) and c - b == pytest.approx(30) and abs(b - 690) <= 30
        starts.add(round(b))
    assert len(starts) > 10


def test_a_stalled_desk_stays_open_and_calls_nobody():
    sc = load("desk_stalls")
    sim = day.DaySimulation(sc, 1, 2)
    stalls = [s for s in sim.stalls["desk-1"] if s[1] - s[0] > 5]
    assert stalls
    result = sim.run()
    calls = [t.first_called_at for t in sim.queue.tickets.values() if t.desk == "desk-1" and t.first_called_at]
    start, end = stalls[0]
    inside = [c for c in calls if sim.at(start + 0.01) < c < sim.at(end - 0.01)]
    assert result.outcomes and not inside


def test_a_group_mixes_reasons_and_weekdays_take_turns():
    sc = load("mixed_groups")
    reasons = set()
    for d in range(20):
        reasons |= {a.service for a in day.arrivals(sc, 1, d) if 630 <= a.at <= 638}
    assert {"moving", "health_card", "mitid_get"} <= reasons
    week = load("volunteer_week")
    assert [day.day_start(week, d).strftime("%a") for d in range(4)] == ["Tue", "Wed", "Thu", "Tue"]
    assert week.on("thu").close_min == 17.5 * 60 and week.on("wed").desks["vol-1"].shifts == ()


def test_a_mixture_makes_some_visits_long():
    sc = load("long_cases")
    lengths = []
    for d in range(10):
        sim = day.DaySimulation(sc, 1, d)
        lengths += [sim._visit_minutes(c, "pension", "desk-1") for c in sim.citizens.values()
                    if c.arrival.service == "pension"]
    long = sum(x > 30 for x in lengths) / len(lengths)
    assert 0.03 < long < 0.25
