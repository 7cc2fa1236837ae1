"""Everything the kiosk screens call, wired once: hub link, issuer with outbox, printer, voice.

The CLI, the bench and the tests build a ``KioskServices`` and hand it to the app,
so the same screens run against a private broker and a Dummy printer on a laptop
and against the real ones on the appliance.  Issuing (which may wait for the hub)
runs on one worker thread the services own, never on the screen's: the app asks
``issue()`` and shows the future's result; ``stop()`` lets the work in hand finish.
"""
from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from hardware.ticket_content import ticket_content
from kiosk.check_in import BOOKED, outcome
from kiosk.flow import Order
from kiosk.hub_link import HubLink
from kiosk.issuer import TicketIssuer, TicketRefused
from kiosk.outbox import Outbox, RangeExhausted
from kiosk.printing import PrintService
from kiosk.speech import Speaker
from reception import today
from reception.config import Site
from reception.errors import ConfigError
from reception.mqtt import BrokerAddress
from reception.protocol import IssuedTicket

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
    worker: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="kiosk-issue"))
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
        self.worker.shutdown(wait=True)  # a ticket being issued and answers queued behind it still go out
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

    def issue(self, order: Order, issued: Callable[[IssuedTicket | None], None] = lambda _ticket: None,
              printed: Callable[[str], None] = lambda _state: None) -> Future:
        """Get a ticket on the worker, then print it; the future holds the ``IssuedTicket``, or None when
        there is none (the reason is logged: the citizen sees a plain message, never a traceback).
        ``issued(ticket or None)`` runs on the worker before the ticket goes to the printer, so it always
        comes before ``printed(state)``, which runs on the printer's thread once it has printed, or failed to."""
        return self.worker.submit(self._issue, order, issued, printed)

    def first_visit(self, ticket: IssuedTicket, value: bool) -> Future:
        """Pass on the first-visit answer on the worker, after the ticket it belongs to."""
        return self.worker.submit(self._first_visit, ticket, value)

    def _issue(self, order: Order, issued: Callable[[IssuedTicket | None], None],
               printed: Callable[[str], None]) -> IssuedTicket | None:
        ticket = self._get_ticket(order)
        issued(ticket)
        if ticket and self.printing:  # always: the number exists now, whether or not the citizen still looks
            self._print(order, ticket, printed)
        return ticket

    def _get_ticket(self, order: Order) -> IssuedTicket | None:
        try:
            return self.issuer.issue(order)
        except (TicketRefused, RangeExhausted) as exc:
            log.error("no ticket for %s: %s", order.service, exc)
        except Exception:
            log.exception("issuing failed")
        return None

    def _print(self, order: Order, ticket: IssuedTicket, printed: Callable[[str], None]) -> None:
        """The ticket of the service the hub issued (a checked-in appointment's may be another than the
        answer's), with the booked time, or why the booking became an ordinary number."""
        check_in = outcome(order, ticket)
        try:
            service = self.site.services.get(ticket.service) or self.site.services[order.service]
            content = ticket_content(self.today_site(), service, order.lang,
                                     number=ticket.number, issued_at=ticket.issued_at, now=self.now(),
                                     eta_min=ticket.eta_min, offline=ticket.offline, preference=order.preference,
                                     ahead=None if check_in == BOOKED else ticket.ahead,  # the time says when
                                     booked_at=ticket.booked_at if check_in == BOOKED else None,
                                     check_in=None if check_in == BOOKED else check_in)
        except Exception:  # the number is shown all the same; the citizen is told to remember it
            log.exception("ticket %s not printed", ticket.number)
            printed("error")
            return
        self.printing.submit(content, printed)

    def _first_visit(self, ticket: IssuedTicket, value: bool) -> None:
        try:
            self.issuer.first_visit(ticket, value)
        except Exception:  # an answer lost is a figure lost, never a problem for the citizen
            log.exception("could not pass on the first-visit answer for %s", ticket.number)
