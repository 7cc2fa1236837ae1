"""Where an MQTT message to the hub is dispatched: one table of (topic, parser, handler).

Every message goes the same way: off the network into the intake (``hub.intake``), then
on its worker through the guard (size, topic, a sender the site file names), the
route's parser, and its handler under the queue's lock.  A message the guard or parser
refuses, or one that makes its handler fail, is logged in one line and acknowledged at
once, so it never comes back.  ``deliver`` hands a message in as the network would:
with ``Intake.run_pending`` it runs the handlers without a broker.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, NamedTuple

import paho.mqtt.client as mqtt

from reception import protocol
from reception.config import Site
from reception.errors import MessageError
from reception.mqtt import Connection

from hub import guard
from hub.intake import Handler, Intake
from hub.locks import HubLocks

log = logging.getLogger(__name__)

Ack = Callable[[], None]


class Route(NamedTuple):
    """A topic filter, the parser of its payload, and the handler of what was parsed."""

    topic: str
    parse: Callable[[bytes], Any]
    handle: Callable[[protocol.Topic, Any, Ack], None]
    urgent: bool = False  # handled before the others waiting (a citizen being called goes before new tickets)


class Dispatch:
    def __init__(self, site: Site, locks: HubLocks, intake: Intake, routes: tuple[Route, ...]):
        self.site, self.locks, self.intake = site, locks, intake
        self._handlers = {route.topic: intake.wrap(self._guarded(route), urgent=route.urgent) for route in routes}

    def subscribe(self, conn: Connection) -> None:
        for topic_filter, handler in self._handlers.items():
            conn.subscribe(topic_filter, handler)

    def deliver(self, topic: str, payload: bytes, ack: Ack) -> bool:
        """Hand a message to the intake as the network would; False if no route takes its topic."""
        routed = [handler for topic_filter, handler in self._handlers.items()
                  if mqtt.topic_matches_sub(topic_filter, topic)]
        for handler in routed:
            handler(topic, payload, ack)
        return bool(routed)

    def _guarded(self, route: Route) -> Handler:
        """Check size, topic and sender, parse, serialise on the lock; a refused or failed message is acked at once."""
        def run(topic: str, payload: bytes, ack: Ack) -> None:
            try:
                where = guard.check(self.site, topic, payload)
                message = route.parse(payload)
                with self.locks.queue():
                    route.handle(where, message, ack)
            except MessageError as exc:
                log.warning(guard.rejected(topic, exc))
                ack()
            except Exception:
                log.exception(guard.rejected(topic, "failed to handle it"))
                ack()  # a message that breaks the hub must not come back for ever
        return run
