"""One MQTT connection per device: paho (VERSION2 callbacks) with reconnect and resubscribe.

Every part of the appliance talks through a ``Connection``: it connects in the
background (``connect_async`` + ``loop_start``), keeps retrying while the broker
is away, restores its subscriptions and calls ``on_connect`` after every
(re)connect so the owner can republish retained state, as Frigate does.
Handlers get ``(topic, payload)``; an exception in one is logged, never fatal.
With ``manual_ack=True`` they get ``(topic, payload, ack)`` and must call ``ack()``
once the message is safe (the hub: once it is stored), so that a crash before that
makes the broker deliver it again.  With ``available=topic`` the connection keeps a
device's availability, Frigate style: the broker's Last Will publishes "offline"
(retained) when the device vanishes, "online" follows every connect once the owner's
``on_connect`` has republished its state, and a clean ``stop()`` says "stopped".
While the broker cannot be reached every device says so in its log at once, and again
every ``UNREACHABLE_REPEAT`` seconds, never silently.
"""
from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import paho.mqtt.client as mqtt

from reception import protocol
from reception.errors import MessageError
from reception.protocol.wire import MAX_PAYLOAD, show, shorten

log = logging.getLogger(__name__)

Handler = Callable[[str, bytes], None]

UNREACHABLE_REPEAT = 30.0  # seconds between "cannot reach broker" lines while it stays away


@dataclass(frozen=True)
class BrokerAddress:
    host: str = "127.0.0.1"
    port: int = 1883
    username: str | None = None
    password: str | None = None
    tls_ca: str | None = None


class Connection:
    """A resilient client.  ``persistent=True`` keeps the broker-side session (QoS 1 queued while away)."""

    def __init__(self, client_id: str, broker: BrokerAddress, *, persistent: bool = False,
                 will: tuple[str, bytes] | None = None,
                 available: str | None = None,
                 on_connect: Callable[[], None] | None = None,
                 on_connection_change: Callable[[bool], None] | None = None,
                 manual_ack: bool = False):
        self.client_id = client_id
        self.broker = broker
        self._handlers: dict[str, tuple[Handler, int]] = {}
        self._on_connect = on_connect
        self._on_change = on_connection_change
        self._connected = threading.Event()
        self._stopping = False
        self._manual_ack = manual_ack
        self._available = available
        self._too_big: set[str] = set()  # topics whose last message was too big to send
        if available:
            will = (available, protocol.Availability("offline").to_payload())
        self._said_unreachable: float | None = None  # when we last said so (monotonic); None: connected since
        self._client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                                   clean_session=not persistent, reconnect_on_failure=True,
                                   manual_ack=manual_ack)
        self._client.reconnect_delay_set(min_delay=1, max_delay=5)
        self._client.max_queued_messages_set(0)
        # No in-flight window: with one, paho holds back a QoS 1 reply while it still sends the
        # PUBACK of the request, and a crash in between loses the reply of an acknowledged request.
        self._client.max_inflight_messages_set(0)
        if broker.username:
            self._client.username_pw_set(broker.username, broker.password)
        if broker.tls_ca:
            self._client.tls_set(ca_certs=broker.tls_ca)
        if will:
            self._client.will_set(will[0], will[1], qos=1, retain=True)
        self._client.on_connect = self._connected_cb
        self._client.on_disconnect = self._disconnected_cb
        self._client.on_connect_fail = self._connect_failed_cb
        self._client.on_message = self._unrouted

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> "Connection":
        log.info("%s: connecting to broker %s", self.client_id, self.where)
        self._client.connect_async(self.broker.host, self.broker.port, keepalive=10)
        self._client.loop_start()
        return self

    def stop(self, final: tuple[str, bytes] | None = None) -> None:
        """Disconnect cleanly, publishing ``final`` (e.g. a retained "stopped") first if connected."""
        self._stopping = True
        if final is None and self._available:
            final = (self._available, protocol.Availability("stopped").to_payload())
        if final and self.connected:
            self._client.publish(final[0], final[1], qos=1, retain=True).wait_for_publish(2)
        self._client.disconnect()
        self._client.loop_stop()

    def say_online(self) -> None:
        """Say "online" again: another instance sharing the ``available`` topic said "stopped" or left
        its Last Will there while this one is still serving.  Never while stopping."""
        if self._available and self.connected and not self._stopping:
            self._client.publish(self._available, protocol.Availability("online").to_payload(), qos=1, retain=True)

    def reconnect(self) -> None:
        """Drop and renew the connection: the broker then sends every unacknowledged message again."""
        self._client.reconnect()

    @property
    def where(self) -> str:
        return f"{self.broker.host}:{self.broker.port}"

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float = 10) -> bool:
        return self._connected.wait(timeout)

    # -- traffic -----------------------------------------------------------

    def subscribe(self, topic_filter: str, handler: Handler, qos: int = 1) -> None:
        self._handlers[topic_filter] = (handler, qos)
        self._client.message_callback_add(topic_filter, self._wrap(handler))
        if self.connected:
            self._client.subscribe(topic_filter, qos)

    def subscribe_parsed(self, topic_filter: str, parse: Callable[[bytes], Any], handler: Callable[[Any], None],
                         qos: int = 1) -> None:
        """Subscribe through a ``reception.protocol`` parser: ``handler`` gets only valid messages;
        a bad one is logged with its reason and changes nothing; an empty (cleared retained) one is skipped."""
        def checked(topic: str, payload: bytes) -> None:
            if not payload:
                return
            try:
                message = parse(payload)
            except MessageError as exc:
                log.warning("%s: ignored a bad message on %s: %s", self.client_id, show(topic), shorten(exc))
                return
            handler(message)
        self.subscribe(topic_filter, checked, qos)

    def publish(self, topic: str, payload: bytes, *, qos: int = 1, retain: bool = False) -> mqtt.MQTTMessageInfo:
        """Queue a message; with QoS 1 paho resends it after a reconnect.

        One over the contract's size limit is not sent (the broker would drop it, or drop this
        client with it, again after every reconnect): it is logged, once until one fits again.
        """
        if len(payload) > MAX_PAYLOAD:
            if topic not in self._too_big:
                self._too_big.add(topic)
                log.error("%s: not sent: %d bytes on %s, over the limit of %d",
                          self.client_id, len(payload), show(topic), MAX_PAYLOAD)
            refused = mqtt.MQTTMessageInfo(0)
            refused.rc = mqtt.MQTT_ERR_PAYLOAD_SIZE
            return refused
        self._too_big.discard(topic)
        return self._client.publish(topic, payload, qos=qos, retain=retain)

    # -- paho callbacks ----------------------------------------------------

    def _wrap(self, handler):
        def call(client, _userdata, msg: mqtt.MQTTMessage) -> None:
            try:
                if self._manual_ack:  # the ack keeps the message's id, not the message: a backlog holds less
                    mid, qos = msg.mid, msg.qos
                    handler(msg.topic, msg.payload, lambda: client.ack(mid, qos))
                else:
                    handler(msg.topic, msg.payload)
            except Exception:  # a bad message or bug must not kill the network thread
                log.exception("handler for %s failed", show(msg.topic))
        return call

    def _unrouted(self, _client, _userdata, msg) -> None:
        log.debug("no handler for %s", show(msg.topic))

    def _connect_failed_cb(self, _client, _userdata) -> None:
        self._say_unreachable("cannot reach broker %s, retrying")

    def _say_unreachable(self, message: str, *args) -> None:
        """Say it at the first failed attempt, then every UNREACHABLE_REPEAT seconds (paho retries every 1-5 s)."""
        now = time.monotonic()
        if self._said_unreachable is None or now - self._said_unreachable >= UNREACHABLE_REPEAT:
            self._said_unreachable = now
            log.warning("%s: " + message, self.client_id, self.where, *args)

    def _connected_cb(self, client, _userdata, _flags, reason_code, _properties) -> None:
        if reason_code.is_failure:
            self._say_unreachable("broker %s refused the connection (%s), retrying", reason_code)
            return
        self._said_unreachable = None
        sock = client.socket()
        if sock is not None and hasattr(sock, "setsockopt"):  # no Nagle: a call is one small packet
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for topic_filter, (_handler, qos) in self._handlers.items():
            client.subscribe(topic_filter, qos)
        self._connected.set()
        log.info("%s connected to %s", self.client_id, self.where)
        if self._on_connect:
            self._on_connect()
        if self._available:
            client.publish(self._available, protocol.Availability("online").to_payload(), qos=1, retain=True)
        if self._on_change:
            self._on_change(True)

    def _disconnected_cb(self, _client, _userdata, _flags, reason_code, _properties) -> None:
        was = self.connected
        self._connected.clear()
        if was and not self._stopping:
            log.warning("%s lost the broker (%s); reconnecting", self.client_id, reason_code)
        if was and self._on_change:
            self._on_change(False)
