"""Gets the citizen a ticket number: from the hub when it answers, from the kiosk's own range when not.

All tickets pass one lock, and offline tickets are handed over before any new
online request, so the hub receives them once each and in the order they were
issued.  A request the hub does not answer within ``reply_timeout`` is abandoned
(its late reply is ignored) and the ticket is issued offline under a new id: a
citizen must never hold a number the hub does not know.  An overloaded hub answers a
request that waited too long in its intake as ``stale`` instead of issuing a ticket,
which the kiosk takes like no answer.  The offline ticket names
the abandoned request (``replaces``), so a hub that did issue a ticket for it after
all withdraws that one: nobody holds it, and nobody is called for it.
"""
from __future__ import annotations

import logging
import threading
import uuid
from datetime import datetime
from typing import Callable

from kiosk.flow import Order
from kiosk.hub_link import HubLink
from kiosk.outbox import Outbox
from reception import clock
from reception.config import Site
from reception.errors import ReceptionError
from reception.protocol import KIOSK_REPLY_TIMEOUT_S, STALE, IssuedTicket

log = logging.getLogger(__name__)

REPLY_TIMEOUT = KIOSK_REPLY_TIMEOUT_S


class TicketRefused(ReceptionError, RuntimeError):
    """The hub answered, and said no (the message says why)."""


class TicketIssuer:
    def __init__(self, site: Site, kiosk_id: str, link: HubLink, outbox: Outbox, *,
                 now: Callable[[], datetime] | None = None, reply_timeout: float = REPLY_TIMEOUT,
                 wall: Callable[[], datetime] | None = None):
        """``now``: the site's clock for tickets; ``wall``: the running clock for ``sent_at`` (the process's
        clock, real or ``RECEPTION_CLOCK``'s, which the hub compares with its own), never a test's frozen ``now``."""
        self.site, self.kiosk_id, self.link, self.outbox = site, kiosk_id, link, outbox
        self.now = now or clock.local(site.tz)
        self.wall = wall or clock.from_env()
        self.reply_timeout = reply_timeout
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def issue(self, order: Order) -> IssuedTicket:
        """Blocking (at most about ``reply_timeout`` plus hand-over time): call it off the UI thread."""
        with self._lock:
            abandoned = None
            if self.link.hub_online and self._hand_over():
                request = order.request(f"{self.kiosk_id}-{uuid.uuid4().hex[:16]}", sent_at=self.wall())
                reply = self.link.request(request, self.reply_timeout)
                if reply is not None and reply.ok:
                    return reply.ticket
                if reply is not None and reply.error != STALE:
                    raise TicketRefused(reply.error or "refused")
                log.warning("no ticket from the hub in %.1fs (%s); issuing offline", self.reply_timeout,
                            "it is overloaded" if reply else "no reply")
                abandoned = request.id
                self._wake.set()  # hand it over soon: should the hub have issued a ticket after all, it is withdrawn
            return self._issue_offline(order, abandoned)

    def first_visit(self, ticket: IssuedTicket, value: bool) -> None:
        """Pass on the first-visit answer given on the ticket screen: inside the hand-over while the
        ticket still waits in the outbox, otherwise as its own message (QoS 1, kept while the broker is away)."""
        with self._lock:  # not while the ticket is being handed over: it is either still here or at the hub
            if ticket.offline and self.outbox.set_first_visit(ticket.number, ticket.issued_at, value):
                return
            self.link.first_visit(ticket.number, value)

    def hand_over(self) -> bool:
        """Send every outbox ticket to the hub in issue order; True when the outbox is empty."""
        with self._lock:
            return self._hand_over()

    def wake(self) -> None:
        """The hub may be back: let the background hand-over look now."""
        self._wake.set()

    def start(self, interval: float = 10.0) -> "TicketIssuer":
        """Hand over offline tickets in the background whenever the hub is (back) online."""
        def loop():
            while not self._stopping:
                self._wake.wait(interval)
                self._wake.clear()
                if not self._stopping and self.link.hub_online and len(self.outbox):
                    self.hand_over()
        self._thread = threading.Thread(target=loop, name="outbox-hand-over", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread:
            self._thread.join(5)

    def _issue_offline(self, order: Order, replaces: str | None) -> IssuedTicket:
        pending = self.outbox.issue(order, self.site.services[order.service].letter, self.now(), replaces=replaces)
        self.link.report(outbox=len(self.outbox))
        return IssuedTicket(pending.number, order.service, order.preference, pending.issued_at, offline=True)

    def _hand_over(self) -> bool:
        for ticket in self.outbox.pending():
            if not self.link.hub_online:
                return False
            reply = self.link.request(ticket.request, self.reply_timeout)
            if reply is None:
                return False
            if reply.ok:
                self.outbox.delivered(ticket.id)
            else:
                self.outbox.rejected(ticket.id, reply.error or "refused")
            self.link.report(outbox=len(self.outbox))
        return True
