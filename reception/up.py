"""``reception up``: the whole system on one machine, for trying it out and for development.

It starts a private Mosquitto (unless the site file or the command line names a
broker), the hub, the staff web service (printing its address and a first manager
login), the kiosk and the display board in windows (when there is a screen), and a
desk console in this terminal.  Ctrl-C, or quitting the console,
stops everything, newest first.  Logs of the parts go to ``<data>/logs/``.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from reception import clock, config
from reception.broker import PrivateBroker, free_port, port_open
from reception.commands import add_broker_arguments, add_config_argument

DEFAULT_PORT = 1883
WEB_PORT = 8080


def add_commands(sub) -> None:
    p = sub.add_parser("up", help="run broker, hub, kiosk, board and a desk console on this machine")
    add_config_argument(p)
    add_broker_arguments(p)
    p.add_argument("--data", default="var", help="folder for the database, broker files and logs (%(default)s)")
    p.add_argument("--kiosk", default=None, help="kiosk id to run (default: the first in the site file)")
    p.add_argument("--board", default=None, help="board id to run (default: the first in the site file)")
    p.add_argument("--desk", default=None, help="desk for the console (default: the first in the site file)")
    p.add_argument("--no-kiosk", action="store_true", help="do not start the kiosk window")
    p.add_argument("--no-board", action="store_true", help="do not start the display board window")
    p.add_argument("--no-console", action="store_true", help="no desk console; wait for Ctrl-C instead")
    p.add_argument("--no-web", action="store_true", help="do not start the staff web service")
    p.add_argument("--web-port", type=int, default=None,
                   help=f"port of the staff web service on 127.0.0.1 (default {WEB_PORT}, or a free one)")
    p.set_defaults(func=run)


class Parts:
    """The child processes, stopped in reverse order of starting."""

    def __init__(self, data: Path):
        self.logs = data / "logs"
        self.clock = clock.from_env()  # with $RECEPTION_CLOCK set, every part runs on this one clock
        self.logs.mkdir(parents=True, exist_ok=True)
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")
        proc = subprocess.Popen([sys.executable, "-m", "reception.cli", *args], stdout=log, stderr=subprocess.STDOUT,
                                env=clock.child_env(self.clock))
        self.procs.append((name, proc))
        print(f"  started {name:<8} (pid {proc.pid}, log {self.logs / (name + '.log')})")
        return proc

    def failed(self) -> list[str]:
        return [name for name, p in self.procs if p.poll() not in (None, 0)]

    def stop_all(self) -> None:
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for name, proc in reversed(self.procs):
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def web_port(args) -> int:
    """The staff web service's port; the kiosks learn it too (``RECEPTION_WEB_PORT``): the status page's
    address in a ticket's QR code is on it, unless the site file names a public one."""
    port = args.web_port or (WEB_PORT if not port_open("127.0.0.1", WEB_PORT) else free_port())
    os.environ["RECEPTION_WEB_PORT"] = str(port)  # for every part started after this
    return port


def command_name() -> str:
    """``reception`` as the user can type it: the bare name where it is on PATH (an active venv, the
    appliance), else the venv's own script (``./run.sh up`` runs it without activating the venv)."""
    own = Path(sys.executable).parent / "reception"
    on_path = shutil.which("reception")
    if not own.exists() or (on_path and Path(on_path).resolve() == own.resolve()):
        return "reception"
    try:
        return str(own.relative_to(Path.cwd()))
    except ValueError:
        return str(own)


def start_web(parts: Parts, port: int, data: Path, common: list[str]) -> None:
    """The staff web service, with a first manager login for a fresh accounts file (printed here)."""
    note = data / "web-first-login.txt"
    parts.start("web", "web", *common, "--db", str(data / "web.db"), "--port", str(port), "--demo-login", str(note))
    deadline = time.monotonic() + 15
    while not port_open("127.0.0.1", port) and time.monotonic() < deadline and not parts.failed():
        time.sleep(0.1)
    login = note.read_text(encoding="utf-8").split() if note.exists() else []
    print(f"Staff web: http://127.0.0.1:{port}/"
          + (f"  first login: {login[0]} / {login[1]} (manager; add staff with "
             f"{command_name()} user add NAME --role staff --db {data / 'web.db'})" if len(login) == 2 else ""))


def run(args) -> int:
    site = config.load(args.config)
    data = Path(args.data)
    parts = Parts(data)
    broker, host, port = _broker(args, site, data)
    common = ["-c", args.config, "--broker-host", host, "--broker-port", str(port)]
    stop = {"now": False}  # set by the signal handler (a plain flag: no lock to take inside a handler)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.update(now=True))
    try:
        _start_parts(parts, args, site, common)
        desk = args.desk or next(iter(site.desks))
        print(f"Everything runs. Watch the traffic: mosquitto_sub -h {host} -p {port} -v -t 'reception/{site.id}/#'")
        if not args.no_console and sys.stdin.isatty():
            _run_console(parts, common, desk, stop)
        else:
            if not args.no_console:
                print(f"  no terminal (standard input is not a tty): no desk console; in a terminal run\n"
                      f"    {command_name()} console {' '.join(common)} --desk {desk}")
            _wait_for_stop(parts, stop)
    finally:
        print("Stopping...")
        parts.stop_all()
        if broker:
            broker.stop()
    return 0


def _broker(args, site: config.Site, data: Path) -> tuple[PrivateBroker | None, str, int]:
    """The broker to use: the command line's or the site file's, else a private one started here."""
    host, port = args.broker_host, args.broker_port
    broker = None
    if not host and site.broker is None:
        port = int(port or (DEFAULT_PORT if not port_open("127.0.0.1", DEFAULT_PORT) else 0)) or None
        broker = PrivateBroker(data / "broker", port=port).start()
        host, port = broker.host, broker.port
        print(f"Private broker: mosquitto on {host}:{port} (data in {broker.data_dir})")
    return broker, host or site.broker.host, port or site.broker.port


def _start_parts(parts: Parts, args, site: config.Site, common: list[str]) -> None:
    """The hub, the kiosk and board windows when there is a screen to show them on, and the staff web."""
    parts.start("hub", "hub", *common, "--db", str(Path(args.data) / "hub.db"))
    port = None if args.no_web else web_port(args)
    screen = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if not screen and not (args.no_kiosk and args.no_board):
        print("  no screen ($DISPLAY unset): kiosk and board not started")
    if screen and not args.no_kiosk and site.kiosks:
        kiosk = args.kiosk or next(iter(site.kiosks))
        parts.start("kiosk", "kiosk", *common, "--kiosk", kiosk)
    if screen and not args.no_board and site.boards:
        parts.start("board", "board", *common, "--board", args.board or site.boards[0])
    if port is not None:
        start_web(parts, port, Path(args.data), common)


def _run_console(parts: Parts, common: list[str], desk: str, stop: dict[str, bool]) -> None:
    """A desk console in this terminal, until it is quit or we are stopped."""
    console = subprocess.Popen([sys.executable, "-m", "reception.cli", "console", *common, "--desk", desk],
                               env=clock.child_env(parts.clock))
    while console.poll() is None and not stop["now"]:
        time.sleep(0.2)
    if console.poll() is None:
        console.terminate()
        console.wait(5)


def _wait_for_stop(parts: Parts, stop: dict[str, bool]) -> None:
    """Until Ctrl-C, or until a part stops with an error."""
    print("Press Ctrl-C to stop.", flush=True)
    while not stop["now"]:
        time.sleep(0.2)
        for name in parts.failed():
            print(f"  {name} stopped with an error; see {parts.logs / (name + '.log')}")
            stop["now"] = True
