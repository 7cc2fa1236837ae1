"""``reception bench torture --minutes N``: the whole system abused, then every ticket reconciled.

Real kiosks (link, issuer, outbox) issue tickets and real desk clients call them, while a
seeded chaos loop SIGKILLs the hub, restarts Mosquitto, cuts a kiosk's network for a while,
sends malformed payloads, and the desks send some commands twice.  Then the desks call
everyone still waiting and every ticket a citizen holds is checked against the hub's
database: lost (the hub does not know it), duplicated (two citizens with one number, a
ticket nobody holds that was called, a command carried out twice), skipped (never called).
The seed is printed first; the last line is one JSON object.
"""
from __future__ import annotations

import json
import logging
import random
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.gate import Gate
from bench.harness import HubProcess, open_all_day
from bench.hub import bench_site_file
from bench.torture_devices import Chaos, DeskUnit, KioskUnit
from reception import config, schedule
from reception.broker import PrivateBroker
from reception.commands import add_config_argument


def add_arguments(p) -> None:
    add_config_argument(p)
    p.add_argument("--minutes", type=float, default=5, help="length of the abuse (default %(default)s)")
    p.add_argument("--seed", type=int, help="repeat a run's choices (default: a fresh seed, printed)")


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
                             if reply and (r := json.loads(reply))["ok"] and r["action"] == "next" and r.get("ticket"))
    holders = set(held)
    gone = holders - (tickets.keys() - withdrawn)  # a citizen's number the hub does not know, or withdrew
    phantoms = [key for key, (called, _k) in tickets.items() if key not in holders and (called or key not in withdrawn)]
    duplicated = (len(held) - len(set(held))) + len(phantoms) + abs(calls - answered_calls)
    skipped = sum(1 for key in holders - gone if not tickets[key][0])
    return {"issued": len(held), "offline": sum(1 for k in rig.kiosks for t in k.tickets if t.offline),
            "lost": len(gone), "duplicated": duplicated, "skipped": skipped, "calls": calls,
            "withdrawn": len(withdrawn)}


def quiet_devices() -> None:
    """The devices' own lines (each press, each reconnect) would bury the figures: warnings of the hub only."""
    for name in ("kiosk", "hardware", "reception.mqtt"):
        logging.getLogger(name).setLevel(logging.ERROR)


def main(args) -> int:
    quiet_devices()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    print(f"torture: seed {seed} (repeat its choices with --seed {seed}), {args.minutes:g} minutes", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-torture-") as tmp:
        rig = Rig(Path(args.config), Path(tmp), seed)
        try:
            rig.start()
            rig.abuse(args.minutes * 60)
            rig.settle()
            rig.hub.stop()  # what it staged last is stored before the database is read
            figures = reconcile(rig)
        except BaseException:
            print(f"torture: failed (seed {seed}); the hub's log ends:\n{rig.hub.log()[-3000:]}", file=sys.stderr)
            raise
        finally:
            rig.stop()
    result = {"minutes": args.minutes, "seed": seed, **figures, **rig.chaos.counts(),
              "kiosk_refusals": sum(k.refused for k in rig.kiosks)}
    print(f"  {result['issued']} tickets issued ({result['offline']} offline), {result['calls']} calls; "
          f"{result['hub_kills']} hub kills, {result['broker_restarts']} broker restarts, "
          f"{result['kiosk_cuts']} kiosk cuts, {result['duplicate_commands']} duplicate commands, "
          f"{result['malformed']} malformed payloads")
    print(f"  lost {result['lost']}, duplicated {result['duplicated']}, skipped {result['skipped']}")
    print(json.dumps(result))
    return 0 if result["lost"] == result["duplicated"] == result["skipped"] == 0 else 1
