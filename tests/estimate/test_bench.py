"""``reception bench eta`` and ``reception simulate``: what they print and write (not the figures)."""
import csv
import json
from pathlib import Path

import pytest

from hub.simulation import metrics
from reception.cli import main

TWO_DESKS = str(Path(__file__).resolve().parents[2] / "scenarios" / "two_desks.toml")


def test_bench_eta_prints_tables_and_ends_with_one_json_object(tmp_path, capsys):
    assert main(["bench", "eta", "--scenario", TWO_DESKS, "--days", "4", "--out", str(tmp_path), "--no-chart"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["scenario"] == "Two desks only" and result["days"] == 4
    assert set(result["predictors"]) == {"ours", "ql", "ql_class", "les", "les_reason", "hol", "les_smooth", "slot",
                                           "ql+margin", "ql_class+margin"}
    for figures in result["predictors"].values():
        assert set(figures) == {"mae_min", "p90_abs_min", "within_5_min", "under_rate",
                                "cal_mae_min", "cal_under_rate", "margin_min", "pinball_q90_min"}
    assert result["cal_best_baseline"] in result["predictors"] and result["cal_ratio"] > 0
    assert result["update_cost_ms_100"] > 0 and result["churn_min"] >= 0
    assert any(line.strip().startswith("passport") for line in lines)  # broken down by reason
    rows = (tmp_path / "eta-two_desks.csv").read_text().splitlines()
    assert rows[0].startswith("predictor,reason,n,mae_min") and len(rows) > 8


def test_bench_eta_draws_a_chart(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    main(["bench", "eta", "--scenario", TWO_DESKS, "--days", "2", "--out", str(tmp_path)])
    assert (tmp_path / "eta-two_desks.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_simulate_summarises_one_day(capsys):
    assert main(["simulate", "--scenario", TWO_DESKS, "--seed", "2"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["tickets"] == sum(r["tickets"] for r in result["reasons"].values()) > 0


def test_simulate_traces_every_ticket_with_the_state_at_issue_and_every_estimate(tmp_path, capsys):
    path = tmp_path / "trace.csv"
    assert main(["simulate", "--scenario", TWO_DESKS, "--day", "1", "--trace", str(path)]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    rows = list(csv.DictReader(path.open()))
    assert len(rows) == summary["tickets"] and {r["day"] for r in rows} == {"1"}
    assert {"eta_ours", "eta_ql", "eta_hol", "position", "desks_open", "wait_min"} <= set(rows[0])
    assert all(int(r["position"]) < int(r["waiting"]) for r in rows)
    assert any(float(r["eta_ours"] or 0) > 0 for r in rows), "learned on day 0, then estimated"


def test_a_broken_scenario_is_a_configuration_error(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario]\nweekday = 'tue'\n")
    assert main(["simulate", "--scenario", str(bad)]) == 78
    assert f"{bad}: reasons: missing table" in capsys.readouterr().err


def test_the_calibrated_margin_breaks_the_target_share_of_promises_on_the_training_pairs():
    train = [(float(w), 10.0) for w in range(1, 101)]  # waits 1..100 minutes, all predicted 10
    margin = metrics.fit_margin(train, target=0.1)
    assert sum(a > 10 + margin + 2 for a, _p in train) == 10 and margin == pytest.approx(78, abs=0.01)
    scored = metrics.calibrated(train, [(100.0, 10.0), (50.0, None)], target=0.1)
    assert scored["cal_mae_min"] == pytest.approx((12 + 28) / 2, abs=0.01)  # None counts as 0, plus the margin
    assert scored["cal_under_rate"] == 0.5 and scored["pinball_q90_min"] == pytest.approx((0.9 * 12 + 0.1 * 28) / 2,
                                                                                           abs=0.01)


def test_scores_by_hand():
    s = metrics.score([(10, 8), (10, 13), (0, None), (20, 10)])
    assert s["mae_min"] == pytest.approx((2 + 3 + 0 + 10) / 4)
    assert s["under_rate"] == pytest.approx(1 / 4)  # only 20 vs 10 is more than 2 minutes late
    assert s["mean_under_min"] == pytest.approx(10)
    assert s["within_5_min"] == pytest.approx(3 / 4)
