"""The day simulator: reproducible, run by the real queue core, and no predictor can see the future."""
import copy
from pathlib import Path

import pytest

from hub.core.estimate import default_estimator
from hub.core.model import SERVED
from hub.core.routing import serves
from hub.simulation import baselines, day, scenario

NORMAL = Path(__file__).resolve().parents[2] / "scenarios" / "normal_day.toml"


@pytest.fixture(scope="module")
def sc():
    return scenario.load(NORMAL)


def every_predictor(site) -> dict:
    found = {name: cls(site) for name, cls in baselines.BASELINES.items()}
    found["ours"] = default_estimator(site)
    return found


def fingerprint(result: day.DayResult) -> list:
    return [(o.number, o.service, round(o.issued_min, 6), o.wait_min and round(o.wait_min, 6), o.state, o.abandoned)
            for o in result.outcomes]


def test_same_seed_same_day_different_seed_another(sc):
    a, b = day.run_day(sc, 7, 0), day.run_day(sc, 7, 0)
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(day.run_day(sc, 8, 0))
    assert fingerprint(a) != fingerprint(day.run_day(sc, 7, 1))


def test_the_day_plays_out_on_the_real_queue(sc):
    sim = day.DaySimulation(sc, 3, 0)
    result = sim.run()
    tickets = sim.queue.tickets.values()
    assert len(result.outcomes) == len(tickets) > 50
    served = [t for t in tickets if t.state == SERVED]
    assert served and all(t.first_called_at >= t.issued_at for t in served)
    for t in served:  # routing rules held: only desks that may serve the reason served it
        assert serves(sc.site, sc.site.desks[t.desk], t.service)
    assert any(t.transfers for t in tickets), "volunteers hand some citizens on to staff"
    assert any(o.state == "no_show" for o in result.outcomes)
    assert not any(d.status == "open" for d in sim.queue.desks.values()), "every desk closes at the end"


def test_predictors_do_not_change_the_day(sc):
    assert fingerprint(day.run_day(sc, 5, 0, every_predictor(sc.site))) == fingerprint(day.run_day(sc, 5, 0))


class PeekingPredictor:
    """Cheats: counts the simulator's events still to come.  The test below must catch it."""

    def __init__(self):
        self.sim = None

    def observe(self, ticket):
        pass

    def estimate_new(self, queue, now, ticket):
        return float(len(self.sim._heap)), 0


class PastOnly:
    """Fails the day if the queue it is handed holds anything that has not happened yet."""

    def observe(self, ticket):
        pass

    def estimate_new(self, queue, now, ticket):
        for t in queue.tickets.values():
            assert t.issued_at <= now
            assert all(x is None or x <= now for x in (t.called_at, t.first_called_at, t.finished_at))
        return 0.0, 0


def predictions_before(sc, citizens, predictors, cut):
    sim = day.DaySimulation(sc, 11, 1, predictors, citizens=copy.deepcopy(citizens))
    for p in predictors.values():
        if isinstance(p, PeekingPredictor):
            p.sim = sim
    result = sim.run()
    return {o.number: o.predictions for o in result.outcomes if o.issued_min < cut}


def test_no_predictor_sees_the_future(sc):
    """Change everything after noon; every prediction made before noon must stay the same."""
    trained = every_predictor(sc.site)
    day.run_day(sc, 11, 0, trained)  # a day of history first, as in the benchmark
    citizens = day.arrivals(sc, 11, 1)
    cut = 12 * 60
    past = [a for a in citizens if a.at < cut]
    other_future = past + [day.Arrival(len(past) + i, cut + i * 0.5, "pension", ("carer",)) for i in range(30)]
    runs = []
    for future in (citizens, other_future):
        predictors = {**copy.deepcopy(trained), "past_only": PastOnly(), "peeking": PeekingPredictor()}
        runs.append(predictions_before(sc, future, predictors, cut))
    assert runs[0].keys() == runs[1].keys() and len(runs[0]) > 20
    for number, predictions in runs[0].items():
        for name in trained:
            assert predictions[name] == runs[1][number][name], (name, number)
    assert any(p["peeking"] != runs[1][n]["peeking"] for n, p in runs[0].items()), "the check catches a cheat"
