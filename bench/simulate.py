"""``reception simulate --scenario FILE [--seed N] [--day D] [--trace FILE.csv]``: one simulated day, summarised.

Shows what the scenario produces on the real queue core: citizens per reason, waits,
no-shows, citizens who gave up, expired tickets and how busy each desk was.

With ``--trace`` every predictor of ``reception bench eta`` plays days 0 to D in order
(learning as in the bench, with the same seeds), and each ticket of day D (and of the
``--days`` after it) is written to the CSV: the queue as it found it at issue, every
predictor's estimate and the real wait, for checks made outside this program.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from hub.simulation import day, scenario
from hub.simulation.metrics import quantile


def add_arguments(p) -> None:
    p.add_argument("--scenario", required=True, help="scenario file (TOML, see docs/scenarios.md)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default %(default)s)")
    p.add_argument("--day", type=int, default=0, help="which day of the seed's sequence (default %(default)s)")
    p.add_argument("--trace", metavar="FILE.csv", help="write every ticket's state at issue, every predictor's "
                   "estimate and the real wait (the predictors learn on the days before --day)")
    p.add_argument("--days", type=int, default=1, help="with --trace: days traced from --day on (default 1)")


def summary(result: day.DayResult) -> dict:
    by_reason: dict[str, list] = {}
    for o in result.outcomes:
        by_reason.setdefault(o.service, []).append(o)
    rows = {}
    for reason, outs in sorted(by_reason.items()):
        waits = [o.wait_min for o in outs if o.wait_min is not None]
        rows[reason] = {"tickets": len(outs), "mean_wait_min": sum(waits) / len(waits) if waits else None,
                        "p90_wait_min": quantile(waits, 0.9) if waits else None,
                        "no_show": sum(o.state == "no_show" for o in outs),
                        "gave_up": sum(o.abandoned for o in outs),
                        "expired": sum(o.state == "expired" for o in outs)}
    waits = [o.wait_min for o in result.outcomes if o.wait_min is not None]
    return {"tickets": len(result.outcomes), "mean_wait_min": sum(waits) / len(waits) if waits else None,
            "p90_wait_min": quantile(waits, 0.9) if waits else None,
            "max_wait_min": max(waits) if waits else None, "reasons": rows,
            "desk_busy_min": {d: round(m, 1) for d, m in sorted(result.busy_min.items())}}


def _f(x) -> str:
    return "-" if x is None else f"{x:.1f}"


TRACE_STATE = ["position", "waiting", "desks_open", "desks_busy", "desks_paused", "open"]


def trace(sc: scenario.Scenario, seed: int, first: int, days: int, path: Path) -> day.DayResult:
    """Play days 0 .. first+days-1 with every predictor learning; write the tickets of the last ``days``."""
    from bench.eta import predictors  # the bench's predictors, exactly

    preds = predictors(sc.site)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["day", "number", "service", "preference", "extras", "issued_min", *TRACE_STATE,
                    *(f"eta_{name}" for name in preds), "wait_min", "state", "abandoned"])
        for d in range(first + days):
            result = day.run_day(sc, seed, d, preds, trace=d >= first)
            for o in result.outcomes if d >= first else ():
                w.writerow([d, o.number, o.service, o.preference, " ".join(o.extras), round(o.issued_min, 3),
                            *(o.at_issue[k] for k in TRACE_STATE),
                            *(None if v is None else round(v, 3) for v in o.predictions.values()),
                            None if o.wait_min is None else round(o.wait_min, 3), o.state, int(o.abandoned)])
    return result


def main(args) -> int:
    sc = scenario.load(args.scenario)
    if args.trace:
        result = trace(sc, args.seed, args.day, max(1, args.days), Path(args.trace))
        print(f"wrote {args.trace}")
    else:
        result = day.run_day(sc, args.seed, args.day)
    s = summary(result)
    print(f"{sc.name}: {sc.weekday}, seed {args.seed}, day {args.day}, {s['tickets']} tickets, "
          f"mean wait {_f(s['mean_wait_min'])} min, p90 {_f(s['p90_wait_min'])}, max {_f(s['max_wait_min'])}")
    print(f"{'reason':<16}{'tickets':>8}{'mean':>8}{'p90':>8}{'no-show':>9}{'gave up':>9}{'expired':>9}")
    for reason, r in s["reasons"].items():
        print(f"{reason:<16}{r['tickets']:>8}{_f(r['mean_wait_min']):>8}{_f(r['p90_wait_min']):>8}"
              f"{r['no_show']:>9}{r['gave_up']:>9}{r['expired']:>9}")
    print("desk busy minutes: " + ", ".join(f"{d} {m}" for d, m in s["desk_busy_min"].items()))
    print(json.dumps({"scenario": sc.name, "seed": args.seed, "day": args.day, **s}))
    return 0
