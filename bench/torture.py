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
import sys
import tempfile
from pathlib import Path

from reception import config
from reception.commands import add_config_argument


def add_arguments(p) -> None:
    add_config_argument(p)
    p.add_argument("--minutes", type=float, default=5, help="length of the abuse (default %(default)s)")
    p.add_argument("--seed", type=int, help="repeat a run's choices (default: a fresh seed, printed)")


def quiet_devices() -> None:
    """The devices' own lines (each press, each reconnect) would bury the figures: warnings of the hub only."""
    for name in ("kiosk", "hardware", "reception.mqtt"):
        logging.getLogger(name).setLevel(logging.ERROR)


def main(args) -> int:
    from bench.torture_rig import Rig, reconcile  # the devices' code is loaded only when the bench runs

    config.load(args.config)  # a bad or missing site file: its one-line error, before any part starts
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
            log_end = rig.hub.log()[-3000:]  # the folder goes with the run
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
    if result["lost"] or result["duplicated"] or result["skipped"]:
        print(f"torture: which (day, number), first 20 of each: {rig.problems}\n"
              f"the hub's log ends:\n{log_end}", file=sys.stderr)
    print(json.dumps(result))
    return 0 if result["lost"] == result["duplicated"] == result["skipped"] == 0 else 1
