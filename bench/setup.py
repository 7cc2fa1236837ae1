"""A setup change to everyone following it: how long the office's "close desk 2" takes to reach the
web application's answer, the retained ``setup`` (what kiosks and boards apply) and the board snapshot.

Runs for real on this machine: a private Mosquitto and ``reception hub`` as a child process with a
fresh database.  Desk 2 is opened by its own command, then the office closes and opens it in turn
(``setup/command``); each change is timed from its publish until its ``setup/result``, the retained
``setup`` after it and a ``board`` snapshot counting the desk's new state have all arrived (the hub
sends the state first, the answer last).  The target: everyone follows within a second.  The last
line printed is one JSON object.
"""
from __future__ import annotations

import json
import tempfile
import time
import uuid
from pathlib import Path

from bench.board import percentile
from bench.harness import HubProcess, Recorder
from reception import config
from reception.broker import PrivateBroker
from reception.commands import add_config_argument
from reception.protocol.office import SetupTopics

TARGET_MAX_MS = 1000
DESK = "desk-2"


def add_arguments(p) -> None:
    add_config_argument(p)
    p.add_argument("--changes", type=int, default=40, help="setup changes to time (default %(default)s)")


def main(args) -> int:
    site = config.load(args.config)
    with tempfile.TemporaryDirectory(prefix="bench-setup-") as tmp, PrivateBroker(Path(tmp) / "broker") as broker:
        hub = HubProcess(broker, Path(tmp) / "hub.db", Path(args.config)).start()
        rec = Recorder(broker, f"reception/{site.id}/#")
        try:
            figures = _run(site, rec, args.changes)
        finally:
            rec.close()
            hub.stop()
            hub.available.close()
    print(f"change to answer, setup and board: p50 {figures['p50']:.1f} ms   p99 {figures['p99']:.1f} ms   "
          f"max {figures['max']:.1f} ms (target: all within {TARGET_MAX_MS} ms)")
    print(json.dumps({"change_to_all_ms": figures, "target_max_ms": TARGET_MAX_MS, "changes": args.changes}))
    return 0


def _run(site, rec: Recorder, changes: int) -> dict[str, float]:
    topics, base = SetupTopics(site.id), f"reception/{site.id}"
    rec.publish(f"{base}/desk/{DESK}/command", {"v": 1, "id": uuid.uuid4().hex, "action": "open"})
    (staff_open,) = rec.wait_for(lambda msgs: _staff_open(msgs, base, lambda n: n > 0))
    times: list[float] = []
    for i in range(changes):
        action, expected = ("close_desk", staff_open - 1) if i % 2 == 0 else ("open_desk", staff_open)
        cid, mark = uuid.uuid4().hex, len(rec.messages)
        started = time.monotonic()
        rec.publish(topics.command, {"v": 1, "id": cid, "by": "bench", "action": action, "desk": DESK})
        rec.wait_for(lambda msgs: any(t == topics.result and json.loads(p)["id"] == cid for t, p in msgs[mark:])
                     and any(t == topics.state for t, _p in msgs[mark:])
                     and _staff_open(msgs[mark:], base, lambda n: n == expected))
        times.append((time.monotonic() - started) * 1000)
    return {"p50": round(percentile(times, 0.5), 1), "p99": round(percentile(times, 0.99), 1),
            "max": round(max(times), 1)}


def _staff_open(msgs, base: str, wanted) -> tuple[int] | None:
    """(staff desks open,) in the latest board snapshot, when ``wanted`` of that number."""
    boards = [json.loads(p) for t, p in msgs if t == f"{base}/board" and p]
    count = boards[-1]["kinds"].get("staff", {}).get("open", 0) if boards else None
    return (count,) if count is not None and wanted(count) else None
