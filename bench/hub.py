"""``reception bench hub``: many kiosks issuing and many desks calling, through a real broker.

Starts a private Mosquitto and a real hub process (a fresh database), opens every
desk, fills the queue, then sends ticket requests and call-next commands at a
fixed total rate.  For every call it measures the time from publishing the
command to receiving the board snapshot that shows the call.  The last line
printed is one JSON object with the figures.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench import processes
from reception import config, protocol
from reception.broker import PrivateBroker
from reception.commands import add_config_argument
from reception.mqtt import BrokerAddress, Connection
from reception.protocol import Topics


def add_arguments(p) -> None:
    add_config_argument(p)
    p.add_argument("--rate", type=float, default=200, help="operations per second, issues and calls together")
    p.add_argument("--seconds", type=float, default=20, help="length of the measured run")
    p.add_argument("--kiosks", type=int, default=4, help="simulated kiosks")
    p.add_argument("--sweep", action="store_true",
                   help="rising open-loop rates until the knee, 500 tickets waiting (ignores --rate, --seconds)")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class Load:
    """The bench's own clients and what they saw, with receive times."""

    def __init__(self, site, broker: PrivateBroker, kiosks: int):
        self.site, self.topics = site, Topics(site.id)
        self.kiosks = [list(site.kiosks)[i % len(site.kiosks)] for i in range(kiosks)]  # the hub serves no other
        self.sent_calls: dict[str, tuple[str, float]] = {}  # command id -> (desk, sent)
        self.call_results: dict[str, str] = {}  # command id -> ticket number
        self.board_seen: dict[tuple[str, str], float] = {}  # (desk, number) -> first time on the board
        self.sent_requests: dict[str, float] = {}
        self.reply_latency: list[float] = []
        self.refused = 0  # replies that carried no ticket (e.g. stale under overload)
        self.waiting = 0
        self.lock = threading.Lock()
        self.conn = Connection(f"bench-{uuid.uuid4().hex[:6]}", BrokerAddress(broker.host, broker.port))
        self.hub_online = threading.Event()
        self.conn.subscribe(self.topics.hub_available,
                            lambda _t, p: p and json.loads(p)["status"] == "online" and self.hub_online.set())
        self.conn.subscribe(self.topics.board, self._on_board)
        self.conn.subscribe(self.topics.desk_result(), self._on_result)
        self.conn.subscribe(self.topics.ticket_reply(), self._on_reply)
        self.conn.start()
        self.conn.wait_connected(10)

    def _on_board(self, _topic, payload) -> None:
        now = time.perf_counter()
        board = json.loads(payload)
        self.waiting = sum(s["waiting"] for s in board["services"])
        for call in board["calls"]:
            with self.lock:
                self.board_seen.setdefault((call["desk"], call["number"]), now)

    def _on_result(self, _topic, payload) -> None:
        body = json.loads(payload)
        if body.get("ticket"):
            with self.lock:
                self.call_results[body["id"]] = body["ticket"]

    def _on_reply(self, _topic, payload) -> None:
        now = time.perf_counter()
        body = json.loads(payload)
        with self.lock:
            if body["id"] in self.sent_requests:
                self.reply_latency.append(now - self.sent_requests.pop(body["id"]))
            self.refused += not body["ok"]

    def issue(self, i: int) -> None:
        rid = uuid.uuid4().hex
        services = list(self.site.services)
        request = protocol.TicketRequest(rid, services[i % len(services)])
        with self.lock:
            self.sent_requests[rid] = time.perf_counter()
        self.conn.publish(self.topics.ticket_request(self.kiosks[i % len(self.kiosks)]), request.to_payload())

    def desk(self, desk: str, action: str) -> None:
        cid = uuid.uuid4().hex
        if action == "next":
            with self.lock:
                self.sent_calls[cid] = (desk, time.perf_counter())
        self.conn.publish(self.topics.desk_command(desk), protocol.DeskCommand(cid, action).to_payload())

    def call_latencies(self) -> list[float]:
        with self.lock:
            return [self.board_seen[(self.sent_calls[cid][0], number)] - self.sent_calls[cid][1]
                    for cid, number in self.call_results.items()
                    if cid in self.sent_calls and (self.sent_calls[cid][0], number) in self.board_seen]


def bench_site_file(src: Path, dest: Path) -> Path:
    """The site file with the double-press guard off: desks here press far faster than people."""
    text = src.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("double_press_guard_seconds")]
    out = "\n".join(lines).replace("[queue]", "[queue]\ndouble_press_guard_seconds = 0", 1)
    dest.write_text(out, encoding="utf-8")
    config.load(dest)
    return dest


def calling_desks(site) -> list[str]:
    """Staff desks that can take any staff visit.  Such desks keep the queue steady (a desk with nothing to
    call would let it grow without end, which measures a queue no office has, not the hub)."""
    return [d for d, cfg in site.desks.items()
            if cfg.services == {s for s, svc in site.services.items() if cfg.kind in svc.served_by}
            and cfg.kind == "staff"]


def main(args) -> int:
    if args.sweep:
        from bench import hub_sweep
        return hub_sweep.main(args)
    import psutil  # the bench extra; imported here so that `reception --help` works without it

    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        tmp = Path(tmp)
        cfg = bench_site_file(Path(args.config), tmp / "site.toml")
        site = config.load(cfg)
        broker = PrivateBroker(tmp / "broker").start()
        hub = None
        try:
            hub = subprocess.Popen([sys.executable, "-m", "reception.cli", "hub", "-c", str(cfg),
                                    "--broker-port", str(broker.port), "--db", str(tmp / "hub.db")],
                                   stdout=subprocess.DEVNULL, stderr=open(tmp / "hub.log", "wb"))
            return _measure(args, site, broker, psutil.Process(hub.pid))
        finally:
            try:
                processes.stop(hub)
            finally:
                broker.stop()


def _measure(args, site, broker, proc) -> int:
    load = Load(site, broker, args.kiosks)
    if not load.hub_online.wait(20):
        raise RuntimeError("the hub did not come online")
    desks = calling_desks(site)
    _fill_queue(load, desks)
    rss = ResidentPeak(proc)
    ops, duration = _paced_load(load, desks, args.rate, args.seconds, rss)
    time.sleep(1.0)  # let the last answers arrive
    calls = load.call_latencies()
    result = _figures(load, calls, ops, duration, rss.sample())
    load.conn.stop()
    print(f"hub bench: {ops} operations at {args.rate:g}/s target for {duration:.1f} s, {len(desks)} desks calling, "
          f"{args.kiosks} kiosks; {result['waiting_at_end']} tickets waiting at the end")
    print(f"  call -> board   p50 {result['call_to_board_p50_ms']} ms   p99 {result['call_to_board_p99_ms']} ms  "
          f"({len(calls)} calls)")
    print(f"  issue -> reply  p50 {result['issue_to_reply_p50_ms']} ms   p99 {result['issue_to_reply_p99_ms']} ms")
    print(f"  hub memory      {result['hub_rss_mb']} MB resident (peak)")
    print(json.dumps(result))
    return 0


class ResidentPeak:
    """The hub process's peak resident memory, as far as sampled."""

    def __init__(self, proc):
        self.proc = proc
        self.peak = proc.memory_info().rss

    def sample(self) -> int:
        self.peak = max(self.peak, self.proc.memory_info().rss)
        return self.peak


def _fill_queue(load: Load, desks: list[str]) -> None:
    """Open the calling desks and issue a morning queue to work through; its replies are not measured."""
    for d in desks:
        load.desk(d, "open")
    for i in range(60):
        load.issue(i)
    deadline = time.monotonic() + 15
    while load.sent_requests and time.monotonic() < deadline:
        time.sleep(0.05)
    load.reply_latency.clear()


def _paced_load(load: Load, desks: list[str], rate: float, seconds: float, rss: ResidentPeak) -> tuple[int, float]:
    """Ticket requests and call-next commands in turn at ``rate`` a second: operations sent, and seconds taken."""
    interval, start = 1 / rate, time.perf_counter()
    n = 0
    while time.perf_counter() - start < seconds:
        target = start + n * interval
        if target > time.perf_counter():
            time.sleep(target - time.perf_counter())
        if n % 2:
            load.desk(desks[(n // 2) % len(desks)], "next")
        else:
            load.issue(n // 2)
        n += 1
        if n % 100 == 0:
            rss.sample()
    return n, time.perf_counter() - start


def _figures(load: Load, calls: list[float], ops: int, duration: float, rss_peak: int) -> dict:
    done = len(load.reply_latency) + len(load.call_results)
    replies = load.reply_latency
    return {
        "ops_sent": ops, "ops_per_s": round(done / duration, 1), "seconds": round(duration, 1),
        "calls_measured": len(calls),
        "call_to_board_p50_ms": round(statistics.median(calls) * 1000, 1) if calls else None,
        "call_to_board_p99_ms": round(percentile(calls, 99) * 1000, 1) if calls else None,
        "issue_to_reply_p50_ms": round(statistics.median(replies) * 1000, 1) if replies else None,
        "issue_to_reply_p99_ms": round(percentile(replies, 99) * 1000, 1) if replies else None,
        "hub_rss_mb": round(rss_peak / 2**20, 1),
        "unanswered_requests": len(load.sent_requests),
        "waiting_at_end": load.waiting,
    }
