"""``reception print-preview``, ``reception desk`` and ``reception console``: thin layers over hardware/."""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path

from reception import clock, config, service_notify
from reception.commands import add_broker_arguments, add_config_argument, broker_address
from reception.errors import ConfigError


def default_outbox(role: str) -> Path:
    """systemd's StateDirectory= when run as a unit, else the user's state directory."""
    state = os.environ.get("STATE_DIRECTORY", "").split(":")[0]
    base = Path(state) if state else Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local/state")) / "reception"
    return base / f"{role}-outbox.db"


def add_commands(sub) -> None:
    p = sub.add_parser("desk", help="run desk button units: GPIO buttons, status LED, buzzer")
    add_config_argument(p)
    add_broker_arguments(p)
    p.add_argument("--desk", action="append", help="desk id; repeat for several (default: every desk in [pins])")
    p.add_argument("--mock-pins", action="store_true",
                   help="gpiozero mock pins (like GPIOZERO_PIN_FACTORY=mock); keys n r s t d o press them")
    p.add_argument("--hold-time", type=float, default=2.0, help="seconds on next that open/close the desk")
    p.add_argument("--outbox", type=Path, help="file keeping unconfirmed presses (default: state directory)")
    p.set_defaults(func=run_desk)

    p = sub.add_parser("console", help="desk console: the desk buttons' actions from this terminal")
    add_config_argument(p)
    add_broker_arguments(p)
    p.add_argument("--desk", help="desk id (default: the first desk in the site file)")
    p.add_argument("--outbox", type=Path, help="file keeping unconfirmed commands (default: state directory)")
    p.set_defaults(func=run_console)

    p = sub.add_parser("print-preview", help="draw a sample ticket as PNG (or print it with --print)")
    add_config_argument(p)
    p.add_argument("--number", default="A012", help="ticket number; its letter picks the service")
    p.add_argument("--lang", help="language of the ticket texts (default: the site's first)")
    p.add_argument("--eta", type=int, default=12, help="expected wait in minutes")
    p.add_argument("--ahead", type=int, default=3, help="tickets ahead")
    p.add_argument("--out", type=Path, help="PNG file to write (default var/previews/ticket-NUMBER.png, "
                                           "beside the other generated files, which git ignores)")
    p.add_argument("--print", action="store_true", help="also send it to the configured printer")
    p.set_defaults(func=print_preview)


def sample_ticket(site: config.Site, number: str, lang: str, eta: int | None, ahead: int | None):
    """A ticket filled as the kiosk fills it (a citizen who chose a volunteer), for previews and printer set-up;
    its QR code holds a sample status page's address (a token no hub knows)."""
    from hardware.ticket_content import ticket_content
    from reception import protocol, status_page

    now = clock.local(site.tz)()
    service = site.service_by_letter(number[:1]) or next(iter(site.services.values()))
    base = status_page.base_url(site, site.broker.host if site.broker else "127.0.0.1")
    return ticket_content(site, service, lang, number=number, issued_at=now, now=now, eta_min=eta, ahead=ahead,
                          preference="volunteer", status_url=status_page.ticket_url(base, protocol.new_token()))


def print_preview(args) -> int:
    from hardware.printer import TicketPrinter
    from hardware.ticket_layout import compose
    from hardware.ticket_preview import render_png

    site = config.load(args.config)
    printer = TicketPrinter.from_site(site)
    content = sample_ticket(site, args.number, args.lang or site.default_language, args.eta, args.ahead)
    out = args.out or Path("var/previews") / f"ticket-{content.number}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    path = render_png(compose(content, printer.layout), out,
                      paper_px=printer.layout.paper_px, columns=printer.layout.columns)
    print(f"wrote {path}")
    if args.print:
        printer.print_ticket(content)
        print(f"printed {content.number} ({printer.status()})")
    return 0


def run_desk(args) -> int:
    from gpiozero.pins.mock import MockFactory

    from hardware.buttons import DeskUnit
    from hardware.desk_client import DeskClient
    from hardware.outbox import Outbox

    site = config.load(args.config)
    desks = args.desk or list(site.pins)
    for desk in desks:
        if desk not in site.pins:
            raise ConfigError(f"{site.source}: pins.{desk}: missing (desk {desk!r} has no button pins)")
    mock = args.mock_pins or os.environ.get("GPIOZERO_PIN_FACTORY") == "mock"
    factory = MockFactory() if args.mock_pins else None  # None: gpiozero's default, from the environment
    broker = broker_address(args, site)
    outbox = Outbox(args.outbox or default_outbox("desk"))
    units = [DeskUnit(DeskClient(site, desk, broker, outbox).start(), site.pins[desk], pin_factory=factory,
                      hold_time=args.hold_time) for desk in desks]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    heartbeat = service_notify.Heartbeat(lambda: not stop.is_set()).start()
    try:
        connected = all(unit.client.conn.wait_connected(10) for unit in units)
        service_notify.ready("running" if connected else "broker unreachable, retrying")
        if mock:
            _press_keys(units, desks, args.hold_time, stop)
        else:
            stop.wait()
    finally:
        service_notify.stopping()
        heartbeat.stop()
        for unit in units:
            unit.close()
            unit.client.stop()
        outbox.close()
    return 0


def _press_keys(units, desks: list[str], hold_time: float, stop: threading.Event) -> None:
    """On mock pins, this terminal's keys press the buttons (until ``q`` or a stop)."""
    from hardware.buttons import KeyboardButtons
    from hardware.keys import KeyReader

    keyboard = KeyboardButtons(units, hold_time)
    print(f"desks {', '.join(desks)} on mock pins; keys: n r s t d (press), o (hold next), "
          "1-9 (desk), q (quit)", flush=True)
    keys, key = KeyReader(), ""
    with keys.raw_keys():
        while not stop.is_set() and (key := keys.key()) not in (None, "q"):
            print(keyboard.handle(key), flush=True)
    if key is None:  # no keyboard (a service with mock pins): keep serving until stopped
        stop.wait()


def _quit(*_signal) -> None:
    raise SystemExit(0)


def run_console(args) -> int:
    from hardware.console import Console
    from hardware.desk_client import DeskClient
    from hardware.keys import KeyReader
    from hardware.outbox import Outbox

    if not args.verbose:
        logging.getLogger().setLevel(logging.WARNING)  # log lines would scroll the console's screen away
    site = config.load(args.config)
    desk = args.desk or next(iter(site.desks))
    if desk not in site.desks:
        raise ConfigError(f"{site.source}: desks: no desk {desk!r} (the site has {', '.join(site.desks)})")
    outbox = Outbox(args.outbox or default_outbox(f"console-{desk}"))
    client = DeskClient(site, desk, broker_address(args, site), outbox, role="console").start()
    for signum in (signal.SIGTERM, signal.SIGHUP):  # stopped or its terminal closed: say "stopped", not vanish
        signal.signal(signum, _quit)
    try:
        Console(client, sys.stdout).run(KeyReader(sys.stdin))
    finally:
        client.stop()
        outbox.close()
    return 0
