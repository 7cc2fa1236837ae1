"""The torture bench's rig: broker, hub, kiosks behind gates and desks, and the reconciliation after."""
from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from bench.gate import Gate
from bench.harness import HubProcess, open_all_day
from bench.hub import bench_site_file
from bench.torture_devices import Chaos, DeskUnit, KioskUnit
from reception import config, protocol, schedule
from reception.broker import PrivateBroker


class Rig:
    """Broker, hub, kiosks behind cuttable gates, desks; started and stopped together."""

    def __init__(self, config_path: Path, work: Path, seed: int):
        self.work, self.seed = work, seed
        self.config_path = bench_site_file(open_all_day(config_path, work / "open.toml"), work / "site.toml")
        self.site = config.load(self.config_path)
        self.broker = PrivateBroker(work / "broker").start()
        self.hub = HubProcess(self.broker, work / "hub.db", self.config_path)
        self.gates = {k: Gate(self.broker.host, self.broker.port) for k in self.site.kiosks}
        self.kiosks = [KioskUnit(self.site, k, gate.port, work, random.Random(f"{seed}/{k}"))
                       for k, gate in self.gates.items()]
        self.desks = [DeskUnit(self.site, d, self.broker, work, random.Random(f"{seed}/{d}")) for d in self.site.desks]
        self.chaos = Chaos(self, random.Random(f"{seed}/chaos"))
        self.problems: dict = {}  # which tickets the reconciliation found wrong (``reconcile``)

    def start(self) -> None:
        self.hub.start(30)
        for unit in (*self.kiosks, *self.desks):
            unit.start()

    def abuse(self, seconds: float) -> None:
        for unit in (*self.kiosks, *self.desks):
            unit.run()
        self.chaos.run(seconds)
        for unit in (*self.kiosks, *self.desks):
            unit.halt()

    def settle(self, timeout: float = 120) -> None:
        """Everything back: every kiosk ticket handed over, every desk command answered, nobody left waiting."""
        self.chaos.mend_all()
        deadline = time.monotonic() + timeout
        wait_until(lambda: all(k.handed_over() for k in self.kiosks) and all(d.answered() for d in self.desks),
                   deadline, "kiosk outboxes and desk commands")
        while self.waiting():
            for desk in self.desks:
                desk.send("next")
            wait_until(lambda: all(d.answered() for d in self.desks), deadline, "the last calls")
        for desk in self.desks:
            desk.send("done")
        wait_until(lambda: all(d.answered() for d in self.desks), deadline, "the desks' last commands")

    def waiting(self) -> int:
        with sqlite3.connect(self.hub.db_path) as db:
            return db.execute("select count(*) from tickets where state = 'waiting'").fetchone()[0]

    def stop(self) -> None:
        for unit in (*self.kiosks, *self.desks):
            unit.stop()
        for gate in self.gates.values():
            gate.close()
        try:
            self.hub.stop()
        finally:
            self.hub.available.close()
            self.broker.stop()


def wait_until(predicate, deadline: float, what: str) -> None:
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"torture: gave up waiting for {what}")
        time.sleep(0.1)


def reconcile(rig: Rig) -> dict:
    """Every ticket a citizen holds against the hub's own record."""
    held = [(schedule.local_day(rig.site, t.issued_at), t.number) for k in rig.kiosks for t in k.tickets]
    with sqlite3.connect(rig.hub.db_path) as db:
        tickets = {(day, number): (called, kiosk) for day, number, called, kiosk in
                   db.execute("select day, number, first_called_at, kiosk from tickets")}
        withdrawn = {tuple(key.split("/", 1)) for (key,) in db.execute("select ticket from events where kind = 'withdrawn'")}
        calls = db.execute("select count(*) from events where kind = 'called'").fetchone()[0]
        answered_calls = sum(1 for (reply,) in db.execute("select reply from commands where key like 'desk/%'")
                             if reply and (r := protocol.DeskResult.from_payload(reply)).ok and r.action == "next" and r.ticket)
    holders = set(held)
    gone = holders - (tickets.keys() - withdrawn)  # a citizen's number the hub does not know, or withdrew
    phantoms = [key for key, (called, _k) in tickets.items() if key not in holders and (called or key not in withdrawn)]
    duplicated = (len(held) - len(set(held))) + len(phantoms) + abs(calls - answered_calls)
    never_called = sorted(key for key in holders - gone if not tickets[key][0])
    skipped = len(never_called)
    doubled = sorted({key for key in held if held.count(key) > 1})
    rig.problems = {"lost": sorted(gone)[:20], "held twice": doubled[:20], "phantoms": sorted(phantoms)[:20],
                    "never called": never_called[:20], "calls vs answered next": (calls, answered_calls)}
    return {"issued": len(held), "offline": sum(1 for k in rig.kiosks for t in k.tickets if t.offline),
            "lost": len(gone), "duplicated": duplicated, "skipped": skipped, "calls": calls,
            "withdrawn": len(withdrawn)}
