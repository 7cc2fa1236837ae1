"""``reception bench hub --sweep``: open-loop rates rising until the knee, with 500 tickets already waiting.

Two runs on a fresh hub process and a private Mosquitto with 500 tickets waiting first:
ticket requests alone (a fresh hub for each step, since every step adds to the queue),
then requests and call-next commands in turn (which keeps the queue near 500).  Each
step sends at a fixed rate for a few seconds, whatever the answers do (open loop), and
passes when the hub kept up: every request got its ticket, none was refused as stale
and the p99 answer came within ``KEPT_UP_P99_MS`` (a backlog that grows through a step
shows as seconds).  On a shared machine one step can stumble, so the sweep ends after
two failed steps in a row; the knee is the highest rate passed below them.  Each step
shows the queue length at its end.  The estimate refresh for 100 waiting tickets is
timed in-process on the normal-day scenario.  The last line is one JSON object.
"""
from __future__ import annotations

import json
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import psutil

from bench.eta import update_cost
from bench.harness import HubProcess, open_all_day
from bench.hub import Load, bench_site_file, calling_desks, percentile
from hub.core.estimate import default_estimator
from hub.simulation import scenario
from reception import config
from reception.broker import PrivateBroker

WAITING = 500
ISSUE_RATES = (100, 200, 300, 500, 700, 1000, 1300, 1600, 2000)
MIXED_RATES = (100, 200, 300, 500, 700, 1000, 1300, 1600, 2000)
STEP_SECONDS = 3.0
KEPT_UP_P99_MS = 1000.0
SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "normal_day.toml"


def main(args) -> int:
    issue = run(args, mixed=False)
    mixed = run(args, mixed=True)
    sc = scenario.load(SCENARIO)
    refresh_ms = update_cost(sc, default_estimator(sc.site))
    result = {
        "knee_issue_per_s": issue["knee"], "knee_mixed_msgs_per_s": mixed["knee"],
        "issue_p99_ms_at_500": issue["steps"].get(500, {}).get("issue_p99_ms"),
        "call_to_board_p99_ms_at_200": mixed["steps"].get(200, {}).get("call_p99_ms"),
        "call_to_board_p50_ms_at_200": mixed["steps"].get(200, {}).get("call_p50_ms"),
        "hub_rss_mb_at_knee": issue["steps"].get(issue["knee"], {}).get("hub_rss_mb"),
        "estimate_refresh_ms_100": round(refresh_ms, 2),
        "issue_steps": issue["steps"], "mixed_steps": mixed["steps"],
    }
    print(f"knee: {result['knee_issue_per_s']} issues/s, {result['knee_mixed_msgs_per_s']} mixed msgs/s; "
          f"estimate refresh for 100 waiting {result['estimate_refresh_ms_100']} ms")
    print(json.dumps(result))
    return 0


def run(args, *, mixed: bool) -> dict:
    """Rising rates until the hub stops keeping up.  Requests alone grow the queue by every step, so each
    such step starts on a fresh hub with 500 waiting; requests and calls keep it near 500 on one hub."""
    if mixed:
        with ready_hub(args) as rig:
            return climb(MIXED_RATES, lambda rate: one_step(*rig, rate, calls=True), "mixed", 200)

    def fresh(rate: float) -> dict:
        with ready_hub(args) as rig:
            return one_step(*rig, rate, calls=False)
    return climb(ISSUE_RATES, fresh, "issue", 500)


def climb(rates, step_at, label: str, reported: int) -> dict:
    """Steps at rising rates; the knee is the last passed before two failures in a row (one step can
    stumble on a shared machine).  Goes on at least to ``reported``, the rate the JSON names a figure at."""
    steps, knee, failures = {}, None, 0
    for rate in rates:
        if failures >= 2 and rate > reported:
            break
        step = steps[rate] = step_at(rate)
        print(f"  {label:5} {rate:5d}/s: {step}", flush=True)
        failures = failures + 1 if not step["passed"] else (failures if failures >= 2 else 0)
        knee = rate if step["passed"] and failures < 2 else knee
    return {"knee": knee, "steps": steps}


@contextmanager
def ready_hub(args) -> Iterator[tuple[Load, psutil.Process, list[str]]]:
    """A private Mosquitto and a fresh hub process, its desks open and ``WAITING`` tickets waiting."""
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        tmp = Path(tmp)
        cfg = bench_site_file(open_all_day(Path(args.config), tmp / "open.toml"), tmp / "site.toml")
        site = config.load(cfg)
        broker = PrivateBroker(tmp / "broker").start()
        hub = None
        try:
            hub = HubProcess(broker, tmp / "hub.db", cfg).start(30)
            load = Load(site, broker, args.kiosks)
            try:
                desks = calling_desks(site)
                for d in desks:
                    load.desk(d, "open")
                fill(load)
                time.sleep(2)  # the hub refreshes its estimates for the full queue once before the first step
                yield load, psutil.Process(hub.proc.pid), desks
            finally:
                load.conn.stop()
        finally:
            try:
                if hub:
                    hub.available.close()
                    hub.stop(60)  # after an overloaded step it may still be storing a backlog
            finally:
                broker.stop()


def fill(load: Load, n: int = WAITING) -> None:
    for i in range(n):
        load.issue(i)
        if i % 50 == 49:
            time.sleep(0.05)
    deadline = time.monotonic() + 120
    while load.sent_requests and time.monotonic() < deadline:
        time.sleep(0.1)


def one_step(load: Load, hub: psutil.Process, desks: list[str], rate: float, *, calls: bool) -> dict:
    """Send at ``rate`` for ``STEP_SECONDS`` (issues, or issues and calls in turn), then wait for the answers."""
    with load.lock:
        load.reply_latency.clear()
        load.sent_calls.clear()
        load.call_results.clear()
        refused_before = load.refused
    rss, start, n = hub.memory_info().rss, time.perf_counter(), 0
    while (elapsed := time.perf_counter() - start) < STEP_SECONDS:
        if n / rate > elapsed:
            time.sleep(min(0.002, n / rate - elapsed))
            continue
        if calls and n % 2:
            load.desk(desks[(n // 2) % len(desks)], "next")
        else:
            load.issue(n)
        n += 1
        if n % 200 == 0:
            rss = max(rss, hub.memory_info().rss)
    deadline = time.monotonic() + 5
    while load.sent_requests and time.monotonic() < deadline:
        time.sleep(0.05)
    rss = max(rss, hub.memory_info().rss)
    latencies, calls = list(load.reply_latency), load.call_latencies()
    issue_p50 = statistics.median(latencies) * 1000 if latencies else None
    issue_p99 = percentile(latencies, 99) * 1000 if latencies else None
    unanswered, refused = len(load.sent_requests), load.refused - refused_before
    with load.lock:
        load.sent_requests.clear()
    return {
        "sent": n, "issue_p50_ms": round(issue_p50, 1) if latencies else None,
        "issue_p99_ms": round(issue_p99, 1) if issue_p99 is not None else None,
        "call_p50_ms": round(statistics.median(calls) * 1000, 1) if calls else None,
        "call_p99_ms": round(percentile(calls, 99) * 1000, 1) if calls else None,
        "unanswered": unanswered, "stale": refused, "hub_rss_mb": round(rss / 2**20, 1), "waiting": load.waiting,
        "passed": unanswered == 0 and refused == 0 and latencies != [] and issue_p99 <= KEPT_UP_P99_MS,
    }
