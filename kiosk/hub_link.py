"""The kiosk's MQTT side: ticket requests and their replies, the hub's availability, the board, today's setup,
the next hour's appointments.

A request carries a unique id and waits for the reply with that id; after a
reconnect every request still waiting is published again with the same id, which
the hub answers with the same ticket.  The kiosk's status (printer state, outbox
length) is published retained and again after every reconnect, so the hub always
knows it; then ``kiosk/<kiosk>/available`` says "online" (the Last Will says
"offline", a clean stop "stopped").  Every incoming message goes through a ``reception.protocol`` parser; a
bad one is logged with its reason and changes nothing.
"""
from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import replace
from typing import Any, Callable

from reception import protocol
from reception.mqtt import BrokerAddress, Connection
from reception.protocol.office import OfficeSetup, SetupTopics

log = logging.getLogger(__name__)


class _Waiter:
    def __init__(self, topic: str, payload: bytes):
        self.topic, self.payload = topic, payload
        self.done = threading.Event()
        self.reply: protocol.TicketReply | None = None


class HubLink:
    def __init__(self, site_id: str, kiosk_id: str, broker: BrokerAddress,
                 on_change: Callable[[], None] | None = None):
        """``on_change`` runs on the network thread whenever the hub's availability, the board, the setup or the
        appointments change."""
        self.topics = protocol.Topics(site_id)
        self.kiosk_id = kiosk_id
        self.hub_status = "offline"
        self.board: protocol.BoardSnapshot | None = None
        self.appointments: protocol.AppointmentSlots | None = None  # the next hour's times (retained by the hub)
        self.setup = OfficeSetup()  # the office's changes to the site file (volunteer sessions), retained by the hub
        self.on_change = on_change or (lambda: None)
        self._waiting: dict[str, _Waiter] = {}
        self._lock = threading.Lock()
        self._status = protocol.KioskStatus()
        self.conn = Connection(kiosk_id, broker, available=self.topics.kiosk_available(kiosk_id),
                               on_connect=self._after_connect,
                               on_connection_change=lambda _up: self.on_change())
        self.conn.subscribe_parsed(self.topics.hub_available, protocol.Availability.from_payload, self._on_available)
        self.conn.subscribe_parsed(self.topics.board, protocol.BoardSnapshot.from_payload, self._on_board)
        self.conn.subscribe_parsed(self.topics.appointments, protocol.AppointmentSlots.from_payload,
                                   self._on_appointments)
        self.conn.subscribe_parsed(SetupTopics(site_id).state, OfficeSetup.from_payload, self._on_setup)
        self.conn.subscribe_parsed(self.topics.ticket_reply(kiosk_id), protocol.TicketReply.from_payload, self._on_reply)

    def start(self) -> "HubLink":
        self.conn.start()
        return self

    def stop(self) -> None:
        self.conn.stop()

    @property
    def hub_online(self) -> bool:
        """True while the broker is connected and the hub says it is online."""
        return self.conn.connected and self.hub_status == "online"

    def request(self, request: protocol.TicketRequest, timeout: float) -> protocol.TicketReply | None:
        """Send one ticket request and wait for its reply; None when none came in time."""
        waiter = _Waiter(self.topics.ticket_request(self.kiosk_id), request.to_payload())
        with self._lock:
            self._waiting[request.id] = waiter
        try:
            self.conn.publish(waiter.topic, waiter.payload, qos=1)
            waiter.done.wait(timeout)
            return waiter.reply
        finally:
            with self._lock:
                self._waiting.pop(request.id, None)

    def first_visit(self, number: str, value: bool) -> None:
        """The citizen's "first visit about this?" for a ticket the hub has; no reply comes."""
        answer = protocol.TicketFirstVisit(f"{self.kiosk_id}-fv-{uuid.uuid4().hex[:16]}", number, value)
        self.conn.publish(self.topics.ticket_first_visit(self.kiosk_id), answer.to_payload(), qos=1)

    def report(self, **fields: Any) -> None:
        """Update and publish the retained kiosk status (``printer``, ``outbox``)."""
        with self._lock:
            self._status = replace(self._status, **fields)
            payload = self._status.to_payload()
        if self.conn.connected:
            self.conn.publish(self.topics.kiosk_status(self.kiosk_id), payload, qos=1, retain=True)

    # -- network thread -----------------------------------------------------

    def _after_connect(self) -> None:
        with self._lock:
            waiting = list(self._waiting.values())
            status = self._status.to_payload()
        self.conn.publish(self.topics.kiosk_status(self.kiosk_id), status, qos=1, retain=True)
        for w in waiting:
            self.conn.publish(w.topic, w.payload, qos=1)

    def _on_available(self, message: protocol.Availability) -> None:
        self.hub_status = message.status
        self.on_change()

    def _on_board(self, board: protocol.BoardSnapshot) -> None:
        self.board = board
        self.on_change()

    def _on_appointments(self, slots: protocol.AppointmentSlots) -> None:
        self.appointments = slots
        self.on_change()

    def _on_setup(self, setup: OfficeSetup) -> None:
        self.setup = setup
        self.on_change()

    def _on_reply(self, reply: protocol.TicketReply) -> None:
        with self._lock:
            waiter = self._waiting.get(reply.id)
        if waiter is None:
            log.info("reply to request %s that no longer waits", reply.id)
            return
        waiter.reply = reply
        waiter.done.set()
