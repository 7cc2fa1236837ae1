"""``reception hub``: run the hub as a service until SIGTERM or Ctrl-C; ``reception appointments import``."""
from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import threading
from functools import partial
from pathlib import Path

from reception import config, schedule
from reception.commands import add_broker_arguments, add_config_argument, broker_address

log = logging.getLogger(__name__)


def add_commands(sub) -> None:
    p = sub.add_parser("hub", help="run the hub (queues, routing, SQLite) against the broker")
    add_config_argument(p)
    add_broker_arguments(p)
    p.add_argument("--db", default=os.environ.get("RECEPTION_DB", "var/hub.db"), help="SQLite file (default %(default)s)")
    p.set_defaults(func=run)

    p = sub.add_parser("appointments", help="the day's appointments: hand a booking file to the hub")
    p.add_argument("action", choices=("import",))
    p.add_argument("file", type=Path, help="a CSV or iCalendar file (docs/appointments.md)")
    add_config_argument(p)
    p.add_argument("--wait", type=float, default=30, help="seconds to wait for the hub to take it (default %(default)s)")
    p.set_defaults(func=run_appointments)


def run_appointments(args) -> int:
    from hub.appointment_drop import hand_in

    return hand_in(config.load(args.config), args.file, args.wait)


NOT_NEEDED = ("numpy", "pandas")  # sqlite-utils loads them where installed (the report's charts): ~12 MB the hub never uses


def run(args) -> int:
    for name in NOT_NEEDED:
        sys.modules.setdefault(name, None)  # a None entry makes "import numpy" fail, as if not installed
    # A call passes four threads (network, intake, flusher, network again); Python lets a busy thread (an
    # estimate pass) keep the interpreter 5 ms before another that waits may run, and SQLite gives it up
    # for every row it writes: 0.25 ms bounds each hand-off.
    sys.setswitchinterval(0.00025)
    from hub.service import Hub
    from hub.store import Store

    site = config.load(args.config)
    store = Store(args.db, local_day=partial(schedule.local_day, site))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):  # before the hub says it is ready: a stop then is clean too
        signal.signal(sig, lambda *_: stop.set())
    hub = Hub(site, store, broker_address(args, site)).load()
    # What the hub has loaded (modules, the day's queue, the learned history) lives as long as it does: out
    # of the garbage collector's full passes, which then stop every thread for less (up to 19 -> 3 ms).
    gc.freeze()
    hub.start()
    log.info("hub for %s running; database %s", site.id, args.db)
    stop.wait()
    log.info("hub stopping: storing what is staged, announcing \"stopped\"")
    hub.stop()
    store.close()
    log.info("hub stopped")
    return 0
