"""How good our wait estimates are, against the textbook predictors, on simulated days.

Every predictor sees the same simulated days (same seeds) and is asked at the same
moments: when each ticket is issued.  The first days (``--train``) only teach the
predictors (they watch visits finish); the remaining days are scored: MAE, p90 of
the absolute error, share within +-5 minutes, the under-prediction rate (waited
more than 2 minutes longer than promised) and by how much, per visit reason.
It also measures our estimator as the hub runs it: the cost of one update for
100 waiting tickets, and how much the republished estimates move between updates.
Writes a CSV and a chart; the last line printed is one JSON object.
"""
from __future__ import annotations

import csv
import json
import math
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from hub.core import estimate
from hub.simulation import baselines, day, metrics, scenario

UPDATE_DAYS = 10  # test days on which every republished estimate is followed
COST_TICKETS = 100


def add_arguments(p) -> None:
    p.add_argument("--scenario", required=True, help="scenario file (TOML, see docs/scenarios.md)")
    p.add_argument("--days", type=int, default=240, help="simulated days (default %(default)s)")
    p.add_argument("--train", type=float, default=0.25, help="share of the days used only for learning")
    p.add_argument("--seed", type=int, default=1, help="random seed of the first day (default %(default)s)")
    p.add_argument("--out", default="var/bench", help="folder for the CSV and the chart (default %(default)s)")
    p.add_argument("--no-chart", action="store_true", help="skip the chart (no matplotlib needed)")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="processes to spread the predictors over (default %(default)s)")


def predictors(site) -> dict:
    found = {"ours": estimate.default_estimator(site)}
    found.update({name: cls(site) for name, cls in baselines.BASELINES.items()})
    found.update({name: cls(site) for name, cls in baselines.CALIBRATED.items()})
    return found


class UpdateWatch:
    """Follows every republished estimate of our estimator, as the hub would publish it: how much the
    promised call time moves between updates (churn), and how far it is from the real call time."""

    def __init__(self, estimator):
        self.estimator = estimator
        self.promised: dict[str, float] = {}  # ticket key -> promised call time (minutes since the epoch)
        self.changes: list[float] = []
        self.published: list[tuple[object, str, float]] = []  # (queue, ticket key, promised call time)

    def __call__(self, queue, now) -> None:
        result = self.estimator.estimate(queue, now)
        clock = now.timestamp() / 60
        for key, minutes in result.tickets.items():
            if minutes is None:
                continue
            call_at = clock + minutes
            if key in self.promised:
                self.changes.append(abs(call_at - self.promised[key]))
            self.promised[key] = call_at
            self.published.append((queue, key, call_at))

    def error(self) -> float:
        """Mean |promised - real call time| over every republished estimate of a ticket later called."""
        errors = [abs(call_at - t.first_called_at.timestamp() / 60) for queue, key, call_at in self.published
                  if (t := queue.tickets[key]).first_called_at is not None]
        return sum(errors) / len(errors) if errors else 0.0


def evaluate(path: str, days: int, seed: int, train: float, jobs: int = 2) -> dict:
    """Run the days; return the scored pairs per predictor and reason, the training pairs, and the
    update figures.  Predictors learn from day to day, so the days of one predictor run in order;
    the predictors are spread over ``jobs`` processes (ours alone, the baselines together), and each
    process plays the same days (the same seeds give the same citizens and desks)."""
    train_days = max(1, min(days - 1, math.ceil(days * train)))
    names = list(predictors(scenario.load(path).site))
    groups = [["ours"], [n for n in names if n != "ours"]]
    tasks = [(path, group, days, seed, train_days) for group in groups]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            parts = list(pool.map(_play, tasks))
    else:
        parts = [_play(task) for task in tasks]
    pairs: dict[str, dict[str, list]] = {name: {} for name in names}
    trained: dict[str, list] = {name: [] for name in names}
    for part in parts:
        for d, service, wait, predictions in part["rows"]:
            for name, predicted in predictions.items():
                if d < train_days:
                    trained[name].append((wait, predicted))
                else:
                    pairs[name].setdefault(service, []).append((wait, predicted))
    ours = parts[0]
    return {"pairs": pairs, "trained": trained, "train_days": train_days, "changes": ours["changes"],
            "republish_mae": ours["republish_mae"], "cost_ms": ours["cost_ms"],
            "cpu_s": [round(part["cpu_s"], 1) for part in parts]}


def _play(task) -> dict:
    """One process: these predictors through every day; ours is also followed on ``UPDATE_DAYS`` test days."""
    path, names, days, seed, train_days = task
    cpu = time.process_time()
    sc = scenario.load(path)
    preds = {name: p for name, p in predictors(sc.site).items() if name in names}
    watch = UpdateWatch(preds["ours"]) if "ours" in preds else None
    rows = []
    for d in range(days):
        follow = watch is not None and train_days <= d < train_days + UPDATE_DAYS
        result = day.run_day(sc, seed, d, preds, on_change=watch if follow else None)
        # Tickets that expired uncalled have no wait to compare with.
        rows += [(d, o.service, o.wait_min, o.predictions) for o in result.outcomes if o.wait_min is not None]
    if watch is None:
        return {"rows": rows, "cpu_s": time.process_time() - cpu}
    return {"rows": rows, "changes": watch.changes, "republish_mae": watch.error(),
            "cost_ms": update_cost(sc, watch.estimator), "cpu_s": time.process_time() - cpu}


def tables(pairs: dict[str, dict[str, list]]) -> dict[str, dict[str, dict]]:
    out = {}
    for name, by_reason in pairs.items():
        out[name] = {reason: metrics.score(p) for reason, p in sorted(by_reason.items())}
        out[name]["ALL"] = metrics.score([x for p in by_reason.values() for x in p])
    return out


def update_cost(sc: scenario.Scenario, estimator, tickets: int = COST_TICKETS, repeats: int = 20) -> float:
    """CPU milliseconds for one estimate() of a queue with ``tickets`` waiting, every planned desk busy."""
    sim = day.DaySimulation(sc, seed=0, day=0)
    queue = sim.queue
    noon = sc.open_min + 90
    rng = random.Random(0)
    services = list(sc.reasons)
    weights = [sc.reasons[s].share for s in services]
    for i in range(tickets):
        queue.issue(rng.choices(services, weights)[0], sim.at(noon - 60 + i * 0.5),
                    preference=rng.choice(["any", "staff", "volunteer"]))
    now = sim.at(noon)
    for did, plan in sc.desks.items():
        if any(start <= noon < end for start, end in plan.shifts):
            queue.command(did, "next", sim.at(noon - 5))
    started = time.process_time()  # CPU time: on a busy machine the wall clock counts the others' work
    for _ in range(repeats):
        estimator.estimate(queue, now)
    return (time.process_time() - started) / repeats * 1000


def fmt(x, pct=False) -> str:
    if x is None:
        return "-"
    return f"{100 * x:.0f}%" if pct else f"{x:.2f}"


def print_tables(name: str, table: dict[str, dict]) -> None:
    print(f"\n{name}")
    print(f"  {'reason':<16}{'n':>7}{'MAE':>8}{'p90 abs':>9}{'+-5 min':>9}{'under':>8}{'late by':>9}{'bias':>8}")
    for reason, m in table.items():
        print(f"  {reason:<16}{m['n']:>7}{fmt(m['mae_min']):>8}{fmt(m['p90_abs_min']):>9}"
              f"{fmt(m['within_5_min'], True):>9}{fmt(m['under_rate'], True):>8}{fmt(m['mean_under_min']):>9}"
              f"{fmt(m['mean_bias_min']):>8}")


def write_csv(path: Path, table: dict[str, dict[str, dict]]) -> None:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        keys = ["n", "mae_min", "p90_abs_min", "within_5_min", "under_rate", "mean_under_min", "mean_bias_min"]
        w.writerow(["predictor", "reason", *keys])
        for name, rows in table.items():
            for reason, m in rows.items():
                w.writerow([name, reason, *(m[k] if m[k] is None or k == "n" else round(m[k], 4) for k in keys)])


LABELS = {  # what each method is, in words a manager reads
    "ours": "Our estimate", "ql": "Queue length", "ql_class": "Queue length per desk type",
    "les": "Last one called", "les_reason": "Last one called, same reason", "hol": "Longest waiting now",
    "les_smooth": "Recent calls, smoothed", "slot": "Slot formula", "ql+margin": "Queue length + our margin",
    "ql_class+margin": "Queue length per desk type + our margin",
}


def write_chart(path: Path, title: str, table: dict[str, dict[str, dict]]) -> None:
    """Two bars per method a manager can read: how far off, and how often citizens were kept longer."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = sorted(table, key=lambda n: table[n]["ALL"]["mae_min"])
    colours = ["#1b7f3b" if n == "ours" else "#9aa5b1" for n in names]
    labels = [f"{LABELS.get(n, n)} ({n})" for n in names]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8))
    left.barh(labels, [table[n]["ALL"]["mae_min"] for n in names], color=colours)
    left.set_xlabel("minutes")
    left.set_title("How far off the promised wait is, on average")
    right.barh(labels, [100 * table[n]["ALL"]["under_rate"] for n in names], color=colours)
    right.axvline(10, color="#c0392b", linestyle="--", linewidth=1, label="our limit: 10%")
    right.legend(loc="lower right")
    right.set_yticklabels([])
    right.set_xlabel("% of citizens")
    right.set_title("Citizens kept > 2 min longer than promised")
    for ax in (left, right):
        ax.invert_yaxis()
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def calibrated(run: dict) -> dict[str, dict]:
    """Every predictor at equal promise-keeping: a constant margin fitted on the training days."""
    return {name: metrics.calibrated(run["trained"][name], [x for p in by_reason.values() for x in p])
            for name, by_reason in run["pairs"].items()}


def print_calibrated(cal: dict[str, dict], table: dict[str, dict[str, dict]]) -> None:
    print(f"\nat equal promise-keeping (a constant margin per predictor, fitted on the training days "
          f"to break {100 * metrics.CAL_TARGET:.0f}% of promises there)")
    print(f"  {'predictor':<17}{'MAE':>7}{'under':>8}{'margin':>8}{'cal MAE':>9}{'cal under':>11}{'pinball':>9}")
    for name in sorted(cal, key=lambda n: cal[n]["cal_mae_min"]):
        c, raw = cal[name], table[name]["ALL"]
        print(f"  {name:<17}{fmt(raw['mae_min']):>7}{fmt(raw['under_rate'], True):>8}{fmt(c['margin_min']):>8}"
              f"{fmt(c['cal_mae_min']):>9}{fmt(c['cal_under_rate'], True):>11}{fmt(c['pinball_q90_min']):>9}")


class Headline(NamedTuple):
    """Ours against the best textbook predictor, raw and at equal promise-keeping, and how steady ours is."""

    best: str
    mae_ratio: float
    cal_best: str
    cal_ratio: float
    churn: float  # mean change of a republished promise, minutes


def headline(run: dict, table: dict[str, dict[str, dict]], cal: dict[str, dict]) -> Headline:
    ours = table["ours"]["ALL"]["mae_min"]
    best = min(baselines.BASELINES, key=lambda n: table[n]["ALL"]["mae_min"])
    cal_best = min(baselines.BASELINES, key=lambda n: cal[n]["cal_mae_min"])
    changes = run["changes"]
    return Headline(best, ours / table[best]["ALL"]["mae_min"], cal_best,
                    cal["ours"]["cal_mae_min"] / cal[cal_best]["cal_mae_min"],
                    sum(changes) / len(changes) if changes else 0.0)


def print_headline(sc, args, run: dict, table: dict[str, dict[str, dict]], cal: dict[str, dict], h: Headline,
                   seconds: float) -> None:
    ours = table["ours"]["ALL"]
    print(f"\n{sc.name}: {args.days} days ({run['train_days']} for learning), "
          f"{ours['n']} tickets scored, {seconds:.1f} s (CPU seconds: ours {run['cpu_s'][0]}, "
          f"the others {run['cpu_s'][1]})")
    print(f"ours MAE {ours['mae_min']:.2f} min vs best baseline {h.best} {table[h.best]['ALL']['mae_min']:.2f} "
          f"(ratio {h.mae_ratio:.2f}); ours under-predicts {100 * ours['under_rate']:.1f}%")
    print(f"at equal promise-keeping: ours {cal['ours']['cal_mae_min']:.2f} min vs best baseline {h.cal_best} "
          f"{cal[h.cal_best]['cal_mae_min']:.2f} (cal_ratio {h.cal_ratio:.2f})")
    print(f"republished estimates: mean change of the promised call time {h.churn:.2f} min over "
          f"{len(run['changes'])} updates, {run['republish_mae']:.2f} min from the real call time on average; "
          f"one update for {COST_TICKETS} waiting tickets: {run['cost_ms']:.1f} ms")


def write_outputs(args, sc, table: dict[str, dict[str, dict]]) -> list[str]:
    """The CSV, and the chart unless ``--no-chart``: the files written."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(args.scenario).stem
    write_csv(out / f"eta-{stem}.csv", table)
    files = [str(out / f"eta-{stem}.csv")]
    if not args.no_chart:
        write_chart(out / f"eta-{stem}.png", f"Expected-wait promises: {sc.name} ({args.days} days)", table)
        files.append(str(out / f"eta-{stem}.png"))
    return files


def main(args) -> int:
    sc = scenario.load(args.scenario)
    started = time.perf_counter()
    run = evaluate(args.scenario, args.days, args.seed, args.train, args.jobs)
    table = tables(run["pairs"])
    for name, rows in table.items():
        print_tables(name, rows)
    cal = calibrated(run)
    print_calibrated(cal, table)
    h = headline(run, table, cal)
    seconds = time.perf_counter() - started
    print_headline(sc, args, run, table, cal, h, seconds)
    print("wrote " + ", ".join(write_outputs(args, sc, table)))
    summary = {name: {**{k: rows["ALL"][k] for k in ("mae_min", "p90_abs_min", "within_5_min", "under_rate")},
                      **cal[name]} for name, rows in table.items()}
    print(json.dumps({"scenario": sc.name, "days": args.days, "seed": args.seed, "predictors": summary,
                      "best_baseline": h.best, "mae_ratio": h.mae_ratio,
                      "cal_best_baseline": h.cal_best, "cal_ratio": h.cal_ratio, "churn_min": round(h.churn, 3),
                      "republish_mae_min": round(run["republish_mae"], 3),
                      "update_cost_ms_100": round(run["cost_ms"], 2), "seconds": round(seconds, 1),
                      "cpu_s": run["cpu_s"]}))
    return 0
