"""``reception report`` (HTML + CSV for a date range), ``reception collect`` (gather sites' statistics)
and ``reception demo-data`` (generated days to try the report on before the office has any)."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

from reception import clock
from reception.commands import add_config_argument
from reception.errors import ReceptionError

log = logging.getLogger(__name__)

DEFAULT_DB = os.environ.get("RECEPTION_DB", "var/hub.db")
EXIT_USAGE = 2  # as argparse exits on a bad command line: the command was wrong, nothing was written


def add_commands(sub) -> None:
    p = sub.add_parser("report", help="write the office's report (HTML with charts, and CSV) for a date range")
    period = p.add_mutually_exclusive_group(required=True)
    period.add_argument("--from", dest="day_from", help="first day, YYYY-MM-DD (with --to)")
    period.add_argument("--last-week", action="store_true",
                        help="Monday to Sunday of the week before this one (for a weekly timer)")
    p.add_argument("--to", dest="day_to", help="last day, YYYY-MM-DD")
    p.add_argument("--db", action="append", help="a hub's SQLite file or a central one from `reception collect`; "
                                                 f"repeat for several (default $RECEPTION_DB or {DEFAULT_DB})")
    p.add_argument("--out", default="var/reports", help="folder for the files (default %(default)s)")
    p.set_defaults(func=run_report)

    c = sub.add_parser("collect", help="store every site's bridged statistics in a central SQLite file")
    c.add_argument("--broker-host", default=os.environ.get("RECEPTION_BROKER_HOST", "127.0.0.1"))
    c.add_argument("--broker-port", type=int, default=int(os.environ.get("RECEPTION_BROKER_PORT", 1883)))
    c.add_argument("--username", default=os.environ.get("RECEPTION_MQTT_USERNAME"))
    c.add_argument("--password-file", default=os.environ.get("RECEPTION_MQTT_PASSWORD_FILE"))
    c.add_argument("--ca-file", help="CA certificate of a TLS broker (the central one listens on 8883 with TLS)")
    c.add_argument("--db", default="var/central.db", help="central SQLite file (default %(default)s)")
    c.set_defaults(func=run_collect)

    d = sub.add_parser("demo-data", help="write generated opening days into a new file, to try the report on")
    add_config_argument(d)
    d.add_argument("--db", default="var/demo.db", help="the file to write; an existing one is replaced only "
                                                       "if it holds demo data (default %(default)s)")
    d.add_argument("--days", type=_positive, help="the N days before today (default: from Monday of last week, "
                                                  "so that `reception report --last-week` has a full week)")
    d.add_argument("--seed", type=int, default=1, help="random seed: the same seed and days give the same file "
                                                       "(default %(default)s)")
    d.set_defaults(func=run_demo_data)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of days, 1 or more, not {text!r}")
    return int(text)


def gather(paths: list[str], day_from: str, day_to: str) -> list[dict]:
    """Aggregates from several files; where two hold the same site and day, the newest wins."""
    from hub.stats_db import StatsDB

    newest: dict[tuple[str, str], tuple[str, dict]] = {}
    for path in paths:
        if not Path(path).is_file():
            raise ReceptionError(f"no database at {path}")
        db = StatsDB.open(path)
        for at, aggregate in db.aggregates(day_from, day_to):
            key = (aggregate["site"], aggregate["day"])
            if key not in newest or at > newest[key][0]:
                newest[key] = (at, aggregate)
        db.close()
    return [aggregate for _at, aggregate in newest.values()]


def last_week(today: date) -> tuple[date, date]:
    """Monday and Sunday of the week before the one ``today`` is in."""
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReceptionError(f"{option}: {text!r} is not a day; write it as YYYY-MM-DD, e.g. 2026-11-30") from None


def report_days(args, today: date) -> tuple[str, str]:
    """The report's first and last day (ISO) from the command line; a plain error for a bad one."""
    if args.last_week:
        first, last = last_week(today)
    elif args.day_to is None:
        raise ReceptionError("--from needs --to")
    else:
        first, last = day(args.day_from, "--from"), day(args.day_to, "--to")
    if first > last:
        raise ReceptionError("--from is after --to")
    return first.isoformat(), last.isoformat()


def run_report(args) -> int:
    """A range without visits still gets its report (a closed week is worth a page that says so),
    and the command says so plainly."""
    from hub import stats
    from hub.report import build

    now = clock.from_env()().astimezone()  # the machine's local time, as the office reads it
    day_from, day_to = report_days(args, now.date())
    dbs = args.db or [DEFAULT_DB]
    aggregates = gather(dbs, day_from, day_to)
    html_path, csv_path = build(aggregates, args.out, day_from=day_from, day_to=day_to, now=now)
    visits = stats.summarise(aggregates)["overall"]["visits"]
    if visits:
        print(f"{visits} visits on {len(aggregates)} site-days; wrote {html_path} and {csv_path}")
    else:
        print(f"no visits from {day_from} to {day_to} in {', '.join(dbs)}; "
              f"wrote {html_path} and {csv_path}, which say so")
    return 0


def run_collect(args) -> int:
    from reception import service_notify
    from reception.mqtt import BrokerAddress

    from hub.report.collect import Collector
    from hub.stats_db import StatsDB

    password = Path(args.password_file).read_text().strip() if args.password_file else None
    broker = BrokerAddress(args.broker_host, args.broker_port, args.username, password, args.ca_file)
    collector = Collector(StatsDB.open(args.db), broker).start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    log.info("collecting statistics from %s:%d into %s", broker.host, broker.port, args.db)
    heartbeat = service_notify.Heartbeat(lambda: not stop.is_set()).start()
    connected = collector.conn.wait_connected(10)  # not a condition: the connection keeps retrying
    service_notify.ready("collecting" if connected else "broker unreachable, retrying")
    stop.wait()
    service_notify.stopping()
    heartbeat.stop()
    collector.stop()
    return 0


def run_demo_data(args) -> int:
    from reception import config, schedule

    from hub.simulation import demo

    site = config.load(args.config)
    now = clock.from_env()()
    # ``report --last-week`` counts from the machine's date; a day not over at the site yet has no final figures.
    today = min(now.astimezone().date(), schedule.local(site, now).date())
    monday = last_week(today)[0]
    first = today - timedelta(days=args.days) if args.days else monday
    try:
        written = demo.write(site, args.db, first=first, last=today - timedelta(days=1), seed=args.seed, now=now)
    except demo.NotDemoData as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote demo data for site {site.id} into {written.path}: {written.opening_days} opening days from "
          f"{written.first} to {written.last}, {written.visits} visits, {written.feedback} feedback answers "
          f"(seed {args.seed})")
    period = "--last-week" if first <= monday else f"--from {first} --to {written.last}"
    print(f"next: reception report {period} --db {written.path}")
    return 0
