"""``reception bench collect --sites 10``: a municipality's sites bridged to one collector, and its lag.

Everything as ``docs/multi-site.md`` sets it up, on this machine: a central Mosquitto,
one Mosquitto per site with the bridge the installer writes (``bridge_conf``: the site's
``stats/#`` out only, QoS 1, persistent session), and ``reception collect`` as a real
process storing into its SQLite file.  Each site publishes what its hub publishes on
``stats/daily`` (the aggregate of a simulated opening day, under the site's id), first
steadily, each site every ``--every`` seconds (a hub publishes at most every 5 s), then
in a burst: every site at once hands over ``--burst`` final days, as a centre back from
an outage receives them.  The lag of a message is from its publication at the site to
the collector's line saying it is stored; the burst also gives the time until the last
one is.  The last line printed is one JSON object.
"""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from contextlib import ExitStack
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from bench import processes
from bench.harness import ROOT
from bench.hub import percentile
from reception import broker_accounts, clock, config, protocol
from reception.broker import PrivateBroker
from reception.commands import add_config_argument
from reception.mqtt import BrokerAddress, Connection

DAY = date(2026, 11, 24)  # the simulated opening day every site reports (a Tuesday)
STORED = re.compile(r"^(\S+ \S+) INFO hub\.report\.collect: stored statistics of (\S+) for ")


def add_arguments(p) -> None:
    add_config_argument(p)
    p.add_argument("--sites", type=int, default=10, help="sites bridged to the centre (default %(default)s)")
    p.add_argument("--seconds", type=float, default=20, help="length of the steady part (default %(default)s)")
    p.add_argument("--every", type=float, default=1.0,
                   help="seconds between one site's messages in the steady part (default %(default)s)")
    p.add_argument("--burst", type=int, default=30, help="final days each site hands over at once (default %(default)s)")


def main(args) -> int:
    result = run(Path(args.config), args.sites, args.seconds, args.every, args.burst)
    print(f"collector: {args.sites} sites bridged to one centre, {result['messages']} messages, "
          f"{result['lost']} never stored")
    print(f"  steady ({args.sites} sites, one message each every {args.every:g} s): lag p50 {result['lag_p50_ms']} ms, "
          f"p99 {result['lag_p99_ms']} ms")
    print(f"  burst ({args.sites} x {args.burst} final days at once): lag p50 {result['burst_lag_p50_ms']} ms, "
          f"p99 {result['burst_lag_p99_ms']} ms; all stored after {result['burst_drain_s']} s")
    print(json.dumps(result))
    return 0 if result["lost"] == 0 else 1


def run(config_path: Path, sites: int, seconds: float, every: float, burst: int, *,
        db: Path | None = None) -> dict:
    """The whole measurement; ``db`` keeps the central file (for a test to read), else it goes with the rest."""
    base = config.load(config_path)
    aggregate = day_aggregate(base)
    with tempfile.TemporaryDirectory(prefix="bench-collect-") as tmp, ExitStack() as stack:
        tmp = Path(tmp)
        centre = PrivateBroker(tmp / "centre").start()
        stack.callback(centre.stop)
        log = tmp / "collect.log"
        collector = start_collector(centre, db or tmp / "central.sqlite", log)
        stack.callback(processes.stop, collector)
        senders = [stack.enter_context(Sender(site_file(config_path, i, centre.port), tmp, aggregate))
                   for i in range(1, sites + 1)]
        wait_until_all_connected(centre, senders, log)
        steady = steady_part(senders, seconds, every)
        burst_sent = burst_part(senders, burst)
        stored = stored_by_site(senders, log, timeout=60 + sites * burst / 20)
    return figures(senders, steady, burst_sent, stored)


def day_aggregate(site) -> dict:
    """The statistics of one simulated opening day, as the hub's ``DailyStats`` computes them."""
    from hub.daily_stats import DailyStats
    from hub.simulation.demo import new_store, play_day
    from hub.stats_db import StatsDB

    with tempfile.TemporaryDirectory(prefix="bench-collect-day-") as tmp:
        store = new_store(site, Path(tmp) / "hub.db")
        play_day(site, store, DAY, random.Random(20261124))
        end = datetime.combine(DAY + timedelta(days=1), datetime.min.time(), timezone.utc)
        aggregate = DailyStats(site, StatsDB(store.db)).aggregate(DAY.isoformat(), end)
        store.close()
    return aggregate


def site_file(config_path: Path, i: int, centre_port: int):
    """Site ``i``: the site file under its own id, bridged to the centre without TLS (loopback)."""
    raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
    raw["site"] = {**raw["site"], "id": f"site{i:02d}", "name": f"Borgerservice {i}"}
    raw["bridge"] = {"host": "127.0.0.1", "port": centre_port, "tls": False}
    return config.parse(raw, f"site{i:02d}")


class Sender:
    """One site: its Mosquitto bridged to the centre, and a client publishing as its hub does."""

    def __init__(self, site, tmp: Path, aggregate: dict):
        self.site, self.aggregate = site, {**aggregate, "site": site.id, "site_name": site.name}
        self.broker = PrivateBroker(tmp / site.id, extra_config=broker_accounts.bridge_conf(site, "unused"))
        self.topic = protocol.Topics(site.id).stats_daily
        self.sent: list[tuple[float, str]] = []  # (time.time() when published, "warm-up", "steady" or "burst")
        self.clock = clock.from_env()  # the payloads' "at": only its order matters (the newest is kept)
        self.conn: Connection | None = None

    def __enter__(self) -> "Sender":
        self.broker.start()
        self.conn = Connection(f"hub-{self.site.id}", BrokerAddress(self.broker.host, self.broker.port))
        self.conn.start()
        self.conn.wait_connected(10)
        return self

    def __exit__(self, *_exc) -> None:
        try:
            self.conn.stop()
        finally:
            self.broker.stop()

    def payload(self, day: date, *, final: bool) -> dict:
        from hub.daily_stats import DailyStats

        return DailyStats.payload({**self.aggregate, "day": day.isoformat()}, self.clock(), final=final)

    def publish(self, part: str, day: date = DAY, *, final: bool = False) -> None:
        body = protocol.encode(self.payload(day, final=final))
        self.sent.append((time.time(), part))
        self.conn.publish(self.topic, body, retain=True)


def start_collector(centre: PrivateBroker, db: Path, log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "reception.cli", "collect", "--broker-host", centre.host,
                                 "--broker-port", str(centre.port), "--db", str(db)],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def wait_until_all_connected(centre: PrivateBroker, senders: list[Sender], log: Path, timeout: float = 30) -> None:
    """Until the collector is subscribed (a probe published at the centre is stored) and every site's bridge
    is up (a first message of each site is stored): no measured message then waits for a connection."""
    probe = Connection(f"probe-{centre.port}", BrokerAddress(centre.host, centre.port))
    probe.start()
    body = protocol.encode({**senders[0].payload(DAY, final=False), "site": "probe"})
    deadline = time.monotonic() + timeout
    try:
        while not any(site == "probe" for _at, site in stored_lines(log)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the collector stored nothing in {timeout:g} s; it said:\n{log.read_text()[-2000:]}")
            probe.publish(protocol.Topics("probe").stats_daily, body)
            time.sleep(0.3)
    finally:
        probe.stop()
    for sender in senders:
        sender.publish("warm-up")
    while {site for _at, site in stored_lines(log)} < {s.site.id for s in senders}:
        if time.monotonic() > deadline:
            raise RuntimeError("not every site's bridge reached the centre")
        time.sleep(0.2)


def steady_part(senders: list[Sender], seconds: float, every: float) -> int:
    """Each site publishes every ``every`` seconds, the sites spread evenly over that time."""
    start, n = time.monotonic(), 0
    slots = [(k * every / len(senders), s) for k, s in enumerate(senders)]
    while time.monotonic() - start < seconds:
        for offset, sender in slots:
            due = start + offset + (n // len(senders)) * every
            time.sleep(max(0.0, due - time.monotonic()))
            sender.publish("steady")
            n += 1
    return n


def burst_part(senders: list[Sender], burst: int) -> int:
    """Every site hands over ``burst`` final days at the same moment (one thread per site)."""
    def hand_over(sender: Sender) -> None:
        for k in range(burst):
            sender.publish("burst", DAY - timedelta(days=k + 1), final=True)
    threads = [threading.Thread(target=hand_over, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return burst * len(senders)


def stored_lines(log: Path) -> list[tuple[float, str]]:
    """(time stored, site) of every message the collector says it stored, in order."""
    out = []
    for line in log.read_text(errors="replace").splitlines():
        m = STORED.match(line)
        if m:
            out.append((datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp(), m.group(2)))
    return out


def stored_by_site(senders: list[Sender], log: Path, timeout: float) -> dict[str, list[float]]:
    """When each site's messages were stored, in order, once all are (or ``timeout`` has passed)."""
    deadline = time.monotonic() + timeout
    while True:
        by_site: dict[str, list[float]] = {s.site.id: [] for s in senders}
        for at, site in stored_lines(log):
            by_site.setdefault(site, []).append(at)
        if all(len(by_site[s.site.id]) >= len(s.sent) for s in senders) or time.monotonic() > deadline:
            return by_site
        time.sleep(0.2)


def figures(senders: list[Sender], steady: int, burst: int, stored: dict[str, list[float]]) -> dict:
    """Each site's messages arrive in order (one bridge, QoS 1): its k-th stored line is its k-th message."""
    lags: dict[str, list[float]] = {"steady": [], "burst": [], "warm-up": []}
    for s in senders:
        for (sent, part), at in zip(s.sent, stored[s.site.id]):
            lags[part].append(max(0.0, at - sent))

    def ms(values: list[float], q: float) -> float | None:
        return round(percentile(values, q) * 1000, 1) if values else None

    sent = sum(len(s.sent) for s in senders)
    burst_start = min((t for s in senders for t, part in s.sent if part == "burst"), default=None)
    complete = all(len(stored[s.site.id]) >= len(s.sent) for s in senders)
    last = max((times[-1] for times in stored.values() if times), default=None)
    return {
        "sites": len(senders), "messages": sent, "steady_messages": steady, "burst_messages": burst,
        "lost": sum(max(0, len(s.sent) - len(stored[s.site.id])) for s in senders),
        "lag_p50_ms": ms(lags["steady"], 50), "lag_p99_ms": ms(lags["steady"], 99),
        "burst_lag_p50_ms": ms(lags["burst"], 50), "burst_lag_p99_ms": ms(lags["burst"], 99),
        "burst_drain_s": round(last - burst_start, 2) if complete and burst_start and last else None,
    }
