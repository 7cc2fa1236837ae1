"""``reception kiosk``: the lobby kiosk (its speed figures: ``reception bench kiosk``, in ``bench/``)."""
from __future__ import annotations

import logging
import signal

from reception import config
from reception.commands import add_broker_arguments, add_config_argument, broker_address
from reception.kivy_service import stop_cleanly_on
from reception.window import parse_size

log = logging.getLogger(__name__)


def add_commands(sub) -> None:
    p = sub.add_parser("kiosk", help="run the lobby kiosk (touch screen)")
    add_config_argument(p)
    add_broker_arguments(p)
    p.add_argument("--kiosk", default="kiosk-1", help="this kiosk's id in the site file (default %(default)s)")
    p.add_argument("--fullscreen", action="store_true",
                   help="kiosk mode: fullscreen, no decorations; only Ctrl+Alt+Shift+Q closes it")
    p.add_argument("--size", type=parse_size, default=(800, 480), help="window size in development (default 800x480)")
    p.add_argument("--dpi", type=float, default=None,
                   help="the panel's real pixel density (default: from the panel's EDID in --fullscreen, else "
                        "133 for 800x480, 150 for 1280x800, 102 for 1920x1080, a 7\" panel for any other size)")
    p.add_argument("--state-dir", default=None, help="offline outbox directory (default var/<kiosk id>/)")
    p.set_defaults(func=run_kiosk)


def run_kiosk(args) -> int:
    from kiosk.window import configure

    site = config.load(args.config)
    configure(*args.size, fullscreen=args.fullscreen)
    from kiosk.app import KioskApp
    from kiosk.services import KioskServices

    services = KioskServices.build(site, args.kiosk, broker_address(args, site), state_dir=args.state_dir).start()
    app = KioskApp(services, dpi=args.dpi, kiosk_mode=args.fullscreen)
    stop_cleanly_on(signal.SIGTERM, app)  # the app and the services close cleanly
    try:
        app.run()
    finally:
        services.stop()
    log.info("kiosk %s stopped", args.kiosk)
    return 0
