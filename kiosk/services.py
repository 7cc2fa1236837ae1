"""Everything the kiosk screens call, wired once: hub link, issuer with outbox, printer, voice.

The CLI, the bench and the tests build a ``KioskServices`` and hand it to the app,
so the same screens run against a private broker and a Dummy printer on a laptop
and against the real ones on the appliance.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from kiosk.hub_link import HubLink
from kiosk.issuer import TicketIssuer
from kiosk.outbox import Outbox
from kiosk.printing import PrintService
from kiosk.speech import Speaker
from reception import today
from reception.config import Site
from reception.errors import ConfigError
from reception.mqtt import BrokerAddress

log = logging.getLogger(__name__)


@dataclass
class KioskServices:
    site: Site
    kiosk_id: str
    link: HubLink
    issuer: TicketIssuer
    outbox: Outbox
    printing: PrintService | None
    speaker: Speaker
    _today: tuple | None = field(default=None, repr=False)  # (setup, the site with it): applied once per setup

    @classmethod
    def build(cls, site: Site, kiosk_id: str, broker: BrokerAddress, *, state_dir: str | Path | None = None,
              printer=None, speaker: Speaker | None = None, now: Callable[[], datetime] | None = None,
              reply_timeout: float | None = None) -> "KioskServices":
        """``printer``: a ``TicketPrinter`` (default: from the site file); ``state_dir``: default var/kiosk-<id>/."""
        if kiosk_id not in site.kiosks:
            raise ConfigError(f"{site.source}: kiosks: no kiosk with id {kiosk_id!r} "
                              f"(known: {', '.join(site.kiosks) or 'none'})")
        from hardware.printer import TicketPrinter  # imported here: escpos is only needed by a kiosk
        state = Path(state_dir or f"var/{kiosk_id}")
        link = HubLink(site.id, kiosk_id, broker)
        outbox = Outbox(state / "outbox.db", site.kiosks[kiosk_id])
        kwargs = {"reply_timeout": reply_timeout} if reply_timeout else {}
        issuer = TicketIssuer(site, kiosk_id, link, outbox, now=now, **kwargs)
        printing = PrintService(printer or TicketPrinter.from_site(site), link.report)
        speaker = speaker or Speaker(site.kiosk.read_aloud)
        link.report(outbox=len(outbox))
        link.on_change = issuer.wake
        return cls(site, kiosk_id, link, issuer, outbox, printing, speaker)

    def start(self) -> "KioskServices":
        self.link.start()
        self.issuer.start()
        if self.printing:
            self.printing.start()
        return self

    def stop(self) -> None:
        self.issuer.stop()
        if self.printing:
            self.printing.stop()
        self.speaker.silence()
        self.link.stop()
        self.outbox.close()

    def watch(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (on the network thread) when the hub's availability or the board changes."""
        def changed():
            self.issuer.wake()
            callback()
        self.link.on_change = changed

    def today_site(self) -> Site:
        """The site file with the office's changes in force (volunteer sessions called off or added)."""
        setup = self.link.setup
        cached = self._today
        if cached is None or cached[0] is not setup:
            try:
                cached = (setup, today.apply(self.site, setup))
            except ConfigError as exc:  # a hub with another site file: keep to ours
                log.warning("today's setup does not fit this kiosk's site file: %s", exc)
                cached = (setup, self.site)
            self._today = cached
        return cached[1]

    def now(self) -> datetime:
        return self.issuer.now()
