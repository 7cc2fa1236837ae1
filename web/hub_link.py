"""The web service's one MQTT connection: it follows the hub's retained state and sends desk commands.

Everything that arrives is validated by ``reception.protocol`` first (a misfit is logged and
changes nothing); what passes is kept as the latest value of its key (``desk:desk-1``,
``board``, ``queue``, ``alerts``, ``stats``, ``hub``, ``device:kiosk-1``) and handed to every browser
stream that listens.  The status pages' token hashes are kept apart (``links``): a page sees
only its own ticket (``web.ticket_status``).  Paho's thread reaches asyncio only through ``call_soon_threadsafe``.

The service says whether it is there on ``web/available`` as every device does (retained "online"
after each connect, "offline" as its Last Will, "stopped" on a clean stop), so the hub raises the
``unreachable`` alert when it vanishes.  The topic is the service's, not one instance's: an instance
that reads "stopped" or "offline" there while it serves says "online" again.

A desk command from a browser goes out exactly as a desk button's does (QoS 1, an id of its
own); the browser makes the id once per click and sends it again on a retry, so the hub,
which remembers every id, carries a click out once however often it arrives.
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any, Callable

from reception import protocol
from reception.errors import MessageError
from reception.mqtt import BrokerAddress, Connection
from reception.protocol import shorten
from reception.protocol.bookings import AppointmentImport, ImportResult
from reception.protocol.office import AuditList, OfficeSetup, SetupCommand, SetupResult, SetupTopics

log = logging.getLogger(__name__)

RESULT_TIMEOUT = 5.0  # seconds a browser's command waits for the hub's answer

Listener = Callable[[str, Any], None]


class HubLink:
    """The hub as the pages see it: the latest of each retained topic, and requests answered by id."""

    def __init__(self, site, broker: BrokerAddress, *, client_id: str = "web", kiosk: str | None = None):
        """``kiosk``: the site file's kiosk whose ticket requests the front desk's page sends (None: it sends none)."""
        self.site, self.kiosk = site, kiosk
        self.topics = protocol.Topics(site.id)
        self.latest: dict[str, Any] = {}  # key -> the message as JSON, for the pages
        self.parsed: dict[str, Any] = {}  # key -> the message as the contract's parser returned it
        self._listeners: list[tuple[asyncio.AbstractEventLoop, Listener]] = []
        self._pending: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Future]] = {}
        self._lock = threading.Lock()
        t = self.topics
        self.conn = Connection(client_id, broker, persistent=True, available=t.web_available,
                               on_connection_change=self._connection_changed)
        self.conn.subscribe_parsed(t.web_available, protocol.Availability.from_payload, self._own_availability)
        self._follow(t.desk_state(), protocol.DeskState.from_payload, lambda topic, m: self._desk_key(m.desk))
        self._follow(t.board, protocol.BoardSnapshot.from_payload, lambda topic, m: "board")
        self._follow(t.alerts, protocol.Alerts.from_payload, lambda topic, m: "alerts")
        self._follow(t.stats_daily, protocol.DailyStatsMessage.from_payload, lambda topic, m: "stats")
        self._follow(t.hub_available, protocol.Availability.from_payload, lambda topic, m: "hub")
        self._follow(t.queue, protocol.QueueSnapshot.from_payload, lambda topic, m: "queue")
        self.links: dict[str, protocol.TicketLink] = {}  # the open tickets' status pages, by token hash
        self.seen: dict[str, protocol.TicketLink] = {}  # every one listed since this service started or listed finished
        self.conn.subscribe(t.status_pages, self._links_arrived)
        for devices in (t.kiosk_available(), t.board_available(), t.desk_available()):
            self._follow(devices, protocol.Availability.from_payload, self._device_key)
        setup = self.setup_topics = SetupTopics(site.id)
        self._follow(setup.state, OfficeSetup.from_payload, lambda topic, m: "setup")
        self._follow(setup.audit, AuditList.from_payload, lambda topic, m: "audit")
        self.conn.subscribe(t.desk_result(), self._answer(protocol.DeskResult.from_payload))
        self.conn.subscribe(setup.result, self._answer(SetupResult.from_payload))
        self.conn.subscribe(t.appointments_import_result, self._answer(ImportResult.from_payload))
        if kiosk:
            self.conn.subscribe(t.ticket_reply(kiosk), self._answer(protocol.TicketReply.from_payload))

    def start(self) -> "HubLink":
        self.conn.start()
        return self

    def stop(self) -> None:
        self.conn.stop()

    # -- what arrives ------------------------------------------------------

    def _follow(self, topic_filter: str, parse, key_of: Callable[[str, Any], str | None]) -> None:
        def arrived(topic: str, payload: bytes) -> None:
            if not payload:
                return  # a cleared retained message
            try:
                message = parse(payload)
                key = key_of(topic, message)
            except MessageError as exc:
                log.warning("web: ignored a bad message on %s: %s", topic, shorten(exc))
                return
            if key:
                self.parsed[key] = message
                self._publish(key, json.loads(payload))
        self.conn.subscribe(topic_filter, arrived)

    def _links_arrived(self, topic: str, payload: bytes) -> None:
        """The status pages' list: kept here, never handed to a page as it is (the pages get their own view)."""
        if not payload:
            return  # a cleared retained message
        try:
            links = protocol.TicketLinks.from_payload(payload)
        except MessageError as exc:
            log.warning("web: ignored a bad message on %s: %s", topic, shorten(exc))
            return
        finished = {link.hash: link for link in links.finished}  # the hub's recent tail: known after a restart too
        with self._lock:
            self.links = {link.hash: link for link in links.tickets}
            self.seen = {h: link for h, link in self.seen.items() if link.expires > links.at} | finished | self.links
        self._publish("links", len(links.tickets))

    def _own_availability(self, said: protocol.Availability) -> None:
        """Another instance (an upgrade's overlap) said "stopped" or left its Last Will: this one is still here."""
        if said.status != "online":
            self.conn.say_online()

    def _desk_key(self, desk: str) -> str | None:
        if desk not in self.site.desks:
            log.warning("web: ignored the state of unknown desk %r", desk)
            return None
        return f"desk:{desk}"

    def _device_key(self, topic: str, _message) -> str | None:
        parsed = protocol.parse_topic(topic)
        unit = parsed.feature.removesuffix("/available")
        return f"device:{parsed.device_id}" + (f"/{unit}" if parsed.device == "desk" else "")

    def _connection_changed(self, up: bool) -> None:
        self._publish("broker", {"connected": up})

    def _publish(self, key: str, value: Any) -> None:
        with self._lock:
            self.latest[key] = value
            listeners = list(self._listeners)
        for loop, listener in listeners:
            loop.call_soon_threadsafe(listener, key, value)

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(key, value)`` on this event loop for every change; returns the way to stop."""
        entry = (asyncio.get_running_loop(), listener)
        with self._lock:
            self._listeners.append(entry)

        def stop() -> None:
            with self._lock:
                self._listeners.remove(entry)
        return stop

    def end_streams(self) -> None:
        """Tell every listener that no more is coming (``key`` None): the service is stopping."""
        with self._lock:
            listeners = list(self._listeners)
        for loop, listener in listeners:
            loop.call_soon_threadsafe(listener, None, None)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return dict(self.latest)

    # -- desk commands and ticket requests: asked once, answered by id ---------

    def _answer(self, parse) -> Callable[[str, bytes], None]:
        def arrived(topic: str, payload: bytes) -> None:
            try:
                answer = parse(payload)
            except MessageError as exc:
                log.warning("web: ignored a bad answer on %s: %s", topic, shorten(exc))
                return
            with self._lock:
                waiting = self._pending.pop(answer.id, None)
            if waiting:
                loop, future = waiting
                loop.call_soon_threadsafe(_settle, future, json.loads(payload))
        return arrived

    async def _ask(self, topic: str, message: dict, check) -> dict | None:
        """Publish one request (QoS 1) and wait for the answer with its id; None when none came in time.

        ``check`` is the contract's parser of the request: what it refuses raises MessageError and is never sent."""
        payload = protocol.encode(message)
        check(payload)
        loop, request_id = asyncio.get_running_loop(), message["id"]
        with self._lock:
            if request_id not in self._pending:
                self._pending[request_id] = (loop, loop.create_future())
            future = self._pending[request_id][1]
        self.conn.publish(topic, payload, qos=1)
        try:
            return await asyncio.wait_for(asyncio.shield(future), RESULT_TIMEOUT)
        except asyncio.TimeoutError:
            with self._lock:
                if self._pending.get(request_id, (None, None))[1] is future:
                    del self._pending[request_id]  # a retry with this id waits afresh
            return None

    async def command(self, desk: str, command_id: str, action: str, **fields: str) -> dict | None:
        """One desk command, as the desk's buttons send it."""
        if desk not in self.site.desks:
            raise MessageError(f"unknown desk {desk!r}")
        log.info("web: %s %s (%s)", desk, action, command_id)
        return await self._ask(self.topics.desk_command(desk), {"id": command_id, "action": action, **fields},
                               protocol.DeskCommand.from_payload)

    async def setup(self, command: dict) -> dict | None:
        """One change of today's setup, in the name of ``command["by"]``."""
        log.info("web: setup %s by %s (%s)", command.get("action"), command.get("by"), command.get("id"))
        return await self._ask(self.setup_topics.command, command, SetupCommand.from_payload)

    async def appointments(self, message: AppointmentImport) -> dict | None:
        """The booking system's appointments, read and stripped here, for the hub to store."""
        log.info("web: appointments import %s by %s: %d appointments", message.id, message.by, len(message.appointments))
        return await self._ask(self.topics.appointments_import, message.body(), AppointmentImport.from_payload)

    async def ticket(self, request: dict) -> dict | None:
        """One ticket request, as a kiosk asks (the front desk's kiosk identity)."""
        if self.kiosk is None:
            raise MessageError("no kiosk identity for the front desk (reception web --kiosk)")
        log.info("web: ticket for %s (%s)", request.get("service"), request.get("id"))
        return await self._ask(self.topics.ticket_request(self.kiosk), request, protocol.TicketRequest.from_payload)


def _settle(future: asyncio.Future, value: Any) -> None:
    if not future.done():
        future.set_result(value)
