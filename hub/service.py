"""The hub on the broker: takes kiosk and desk messages, applies them to the queue, publishes.

Nothing is answered, announced or acknowledged before it is stored.  This module only
puts the parts together:

- ``hub.dispatch``: the table of (topic, parser, handler); messages go through the
  intake (``hub.intake``: an overload shows there) to ``hub.handlers`` on one worker;
- ``hub.state``: the queue and what is derived from it, under the queue's lock
  (``hub.locks``: the lock order, in code);
- ``hub.pipeline``: staged changes committed in one transaction, then announced
  (``hub.publisher``), answered and acknowledged; repeated commands answered again;
- ``hub.alerts``: the alerts the desks show; ``hub.housekeeping``: the ticker
  (closing, refreshes, statistics, retention, the systemd watchdog);
- ``hub.appointment_import``: the day's appointments in, from the web and the watched folder
  (``hub.appointment_folder``).

A hub killed at any moment has either not acknowledged a message, so the broker
delivers it again (persistent session, manual ack), or stored it with its reply, so
a repeat is answered from the store.  Building a ``Hub`` reads and connects nothing:
``load`` reads the store, ``start`` loads, then runs the threads and connects.
"""
from __future__ import annotations

import time
from datetime import datetime
from typing import Callable

from reception import clock as reception_clock, protocol, service_notify
from reception.config import Site
from reception.mqtt import BrokerAddress, Connection
from reception.protocol import Topics

from hub.alerts import Alerts
from hub.appointment_folder import FolderWatch
from hub.appointment_import import AppointmentImporter
from hub.core.estimate import WaitEstimator, default_estimator
from hub.dispatch import Dispatch
from hub.handlers import Handlers
from hub.housekeeping import Housekeeping
from hub.intake import Intake
from hub.issued import GROUP_MAX
from hub.locks import HubLocks
from hub.overload import OverloadWatch
from hub.pipeline import CommitPipeline
from hub.publisher import Publisher
from hub.setup import Office
from hub.state import HubState
from hub.store import Store


class Hub:
    def __init__(self, site: Site, store: Store, broker: BrokerAddress, *,
                 estimator: WaitEstimator | None = None, clock: Callable[[], datetime] | None = None):
        self.site, self.store, self.clock = site, store, clock or reception_clock.from_env()
        self.topics = topics = Topics(site.id)
        self.locks = HubLocks()
        self.state = HubState(site, store, self.locks, estimator or default_estimator(site), self.clock)
        self.conn = Connection(f"hub-{site.id}", broker, persistent=True, manual_ack=True,
                               will=(topics.hub_available, protocol.Availability("offline").to_payload()),
                               on_connect=self._publish_everything)
        self.publisher = Publisher(topics, self.conn, self.state)
        self.pipeline = CommitPipeline(self.state, store, self.locks, self.conn, publisher=self.publisher)
        self.alerts = Alerts(lambda message: self.publisher.publish(topics.alerts, message, retain=True))
        self.intake = Intake(group=GROUP_MAX, on_group_end=self.pipeline.finish_issued_locked)
        self.overload = OverloadWatch()
        self.handlers = Handlers(site, topics, store, self.locks, state=self.state, pipeline=self.pipeline,
                                 alerts=self.alerts, intake=self.intake, overload=self.overload)
        self.office = Office(site, store, self.locks, self.conn, state=self.state, pipeline=self.pipeline,
                             refresh=lambda now: self.housekeeping.refresh_and_publish(now))
        self.state.setup_site = self.office.load
        self.imports = AppointmentImporter(site, store, self.locks, pipeline=self.pipeline, clock=self.clock,
                                           after_import=self._imported)
        self.folder = (FolderWatch(site, self.imports, self.locks, self.clock)
                       if site.appointments.folder else None)
        self.dispatch = Dispatch(site, self.locks, self.intake,
                                 self.handlers.routes() + self.office.routes() + self.imports.routes())
        self.dispatch.subscribe(self.conn)
        self.housekeeping = Housekeeping(site, topics, store, self.locks, self.conn, state=self.state,
                                         pipeline=self.pipeline, publisher=self.publisher, alerts=self.alerts,
                                         intake=self.intake, overload=self.overload, on_tick=self.office.tick)
        self._loaded = False

    @property
    def estimator(self) -> WaitEstimator:
        return self.state.estimator

    def load(self) -> "Hub":
        """Read the stored state: the queue, the latest calls, the recent answers, the visits to learn from."""
        self.state.load()
        self.state.learn_history()
        self.pipeline.answers.load()
        self.housekeeping.load()
        self._loaded = True
        return self

    def start(self) -> "Hub":
        """Load (unless done), then run the parts' threads and connect."""
        if not self._loaded:
            self.load()
        if self.folder:
            self.folder.start()
        self.pipeline.start()
        self.intake.start()
        self.conn.start()
        self.housekeeping.start()
        return self

    def stop(self) -> None:
        service_notify.stopping()
        self.intake.stop()  # what still waits there was never acknowledged: the broker keeps it for the next hub
        if self.folder:
            self.folder.stop()
        self.housekeeping.stop()
        self.pipeline.stop()  # whatever was staged last is stored
        self.conn.stop(final=(self.topics.hub_available, protocol.Availability("stopped").to_payload()))

    def _imported(self) -> None:
        """An import is stored (under the queue's lock): check-in reads the day's bookings again."""
        self.state.refresh_bookings(self.clock(), imported=True)

    def _publish_everything(self) -> None:
        """After every (re)connect: the retained state first, then "online"."""
        self.handlers.connected_at = time.monotonic()
        with self.locks.queue(), self.state.queue.steady():
            now = self.clock()
            self.publisher.all_views(now)
            self.publisher.status_pages(now, again=True)
            self.publisher.appointments(now, always=True)  # a broker that lost its retained messages gets it too
            self.alerts.publish(now)
            self.office.publish()
            self.conn.publish(self.topics.hub_available, protocol.Availability("online").to_payload(), retain=True)
        service_notify.ready("connected to the broker")
