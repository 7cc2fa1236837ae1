"""Runs the web application under uvicorn, with the hub link around it and systemd told how it goes.

uvicorn in its plain form (h11, no compiled extras): a handful of staff PCs is all it serves,
and it installs the same on a Raspberry Pi as anywhere.
"""
from __future__ import annotations

import logging
from pathlib import Path

import uvicorn

from reception import clock, service_notify
from reception.mqtt import BrokerAddress
from web.accounts import Accounts
from web.app import create_app
from web.hub_link import HubLink

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """Says ready to systemd once listening; keeps its watchdog fed while serving; on stopping, ends
    the pages' event streams first, so that it need not wait them out."""

    def __init__(self, config: uvicorn.Config, link: HubLink, banner: str):
        super().__init__(config)
        self.link, self.banner = link, banner

    def handle_exit(self, sig, frame) -> None:
        super().handle_exit(sig, frame)
        getattr(self, "_captured_signals", []).clear()  # uvicorn would raise it again after serving: stop cleanly

    async def shutdown(self, sockets=None):
        self.link.end_streams()
        await super().shutdown(sockets)

    async def startup(self, sockets=None):
        await super().startup(sockets)
        if self.started:
            print(self.banner, flush=True)
            service_notify.ready("serving")

    async def on_tick(self, counter: int) -> bool:
        if counter % 10 == 0:
            service_notify.watchdog_ping()
        return await super().on_tick(counter)


def serve(site, broker: BrokerAddress, db: Path, host: str, port: int, *, kiosk: str | None = None,
          tls: tuple[str, str] | None = None, client_id: str = "web") -> int:
    now = clock.from_env()
    accounts = Accounts(db, now)
    link = HubLink(site, broker, client_id=client_id, kiosk=kiosk).start()
    app = create_app(site, link, accounts, now, secure_cookies=tls is not None)
    settings = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off",
                              timeout_graceful_shutdown=2, ssl_certfile=tls[0] if tls else None,
                              ssl_keyfile=tls[1] if tls else None)
    if not accounts.users():
        print(f"web: no staff accounts yet: reception user add NAME --role manager --db {db}", flush=True)
    banner = f"web: serving on {'https' if tls else 'http'}://{host}:{port}/ (accounts in {db})"
    try:
        _Server(settings, link, banner).run()
    finally:
        service_notify.stopping()
        link.stop()
        accounts.close()
    return 0
