"""The office's changes to today's setup, in the hub: checked, stored with the hub's commit, followed at once.

A setup command (``reception.protocol.office``) from the web application goes the way of a desk
command: the hub checks it (``hub.core.office``, then ``reception.today.apply``: the site file
with every change in force must still be a valid site file), applies it under the queue's lock
(routing, estimates and views run on the new site at once; a desk closed for the day closes),
and stages it; the commit stores the new setup, its audit row and the command id in one
transaction, then the retained ``setup`` and ``setup/audit``, the fresh views and the result go
out.  Kiosks and boards apply the retained ``setup`` to their own copy of the site file.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from reception import schedule, today
from reception.config import Site
from reception.errors import ConfigError
from reception.mqtt import Connection
from reception.protocol import Topic
from reception.protocol.office import AUDIT_SHOWN, AuditEntry, AuditList, OfficeSetup, SetupCommand, SetupResult, \
    SetupTopics

from hub import setup_store
from hub.core import office
from hub.core.model import DESK_CLOSED, DESK_OPEN, Effects
from hub.dispatch import Ack, Route
from hub.locks import HubLocks
from hub.pipeline import CommitPipeline, Pending
from hub.state import HubState
from hub.store import Store

log = logging.getLogger(__name__)


class Office:
    """Today's setup of one hub: the site file as read (``base``) and the changes in force (``setup``)."""

    def __init__(self, site: Site, store: Store, locks: HubLocks, conn: Connection, *, state: HubState,
                 pipeline: CommitPipeline, refresh: Callable[[datetime], None]):
        """``refresh``: new estimates and every view they show in, published (``Housekeeping``)."""
        self.base, self.store, self.locks, self.conn = site, store, locks, conn
        self.state, self.pipeline, self.refresh = state, pipeline, refresh
        self.topics = SetupTopics(site.id)
        self.setup = OfficeSetup()
        self.audit: list[AuditEntry] = []

    def routes(self) -> tuple[Route, ...]:
        return (Route(self.topics.command, SetupCommand.from_payload, self.command),)

    def load(self, now: datetime) -> Site:
        """The stored setup, as the site to run with (``HubState.load``: at start, and after a failed write).
        A stored setup the site file no longer allows (a desk taken out of it) is set aside, with a log line."""
        with self.locks.db():
            stored = setup_store.load(self.store.db)
            self.audit = setup_store.audit(self.store.db, AUDIT_SHOWN)
        self.setup = office.current(stored, schedule.local(self.base, now).date())
        try:
            site = today.apply(self.base, self.setup)
        except ConfigError as exc:
            log.warning("the stored setup no longer fits the site file, using the site file alone: %s", exc)
            self.setup, site = OfficeSetup(version=stored.version), self.base
        if hasattr(self.state.estimator, "site"):  # the forward simulation routes as the desks do
            self.state.estimator.site = site
        return site

    def command(self, _where: Topic, command: SetupCommand, ack: Ack) -> None:
        """``setup/command``, under the queue's lock: refused with a reason, or applied and staged."""
        now, key = self.state.clock(), f"setup/{command.id}"
        if self.pipeline.answer_again(key, ack, now):
            return
        try:
            new = office.changed(self.setup, command, self.base, now)
            site = today.apply(self.base, new)
        except ConfigError as exc:
            log.warning("refused setup change %s (%s) by %s: %s", command.id, command.action, command.by, exc)
            reply = SetupResult(command.id, command.action, False, error=str(exc)).to_payload()
            self.pipeline.stage(Pending(Effects(), now, key, self.topics.result, reply, ack))
            return
        entry = AuditEntry(now, command.by, command.id, command.action, command.detail)
        log.info("setup change %s by %s: %s %s", command.id, command.by, command.action, command.detail)
        effects = self._follow(new, site, command, now)
        self.audit = [entry, *self.audit][:AUDIT_SHOWN]
        reply = SetupResult(command.id, command.action, True, version=new.version).to_payload()
        self.pipeline.stage(Pending(effects, now, key, self.topics.result, reply, ack,
                                    statements=setup_store.statements(new, entry), after=self.changed))

    def tick(self, now: datetime) -> None:
        """At a new day, yesterday's desk changes end and past sessions drop out (under the queue's lock)."""
        day = schedule.local(self.base, now).date()
        if self.setup.day is None or self.setup.day == day:
            return
        new = office.current(self.setup, day)
        self._follow(new, today.apply(self.base, new), None, now)
        self.pipeline.stage(Pending(Effects(), now, statements=setup_store.statements(new, None), after=self.changed))

    def _follow(self, new: OfficeSetup, site: Site, command: SetupCommand | None, now: datetime) -> Effects:
        """Run with the new setup from now on: routing, estimates and views, and the desk's own status."""
        self.setup = new
        self.state.site = self.state.queue.site = site
        if hasattr(self.state.estimator, "site"):
            self.state.estimator.site = site
        action = command.action if command else None
        if action == "close_desk":
            return self.state.queue.set_status(command.desk, DESK_CLOSED, now)
        if action == "open_desk":
            return self.state.queue.set_status(command.desk, DESK_OPEN, now)
        return Effects()

    def changed(self) -> None:
        """After the commit (under the queue's lock): the retained setup and audit list, then at once
        the estimates and every view they show in (desks' queues, the board), not at the next refresh."""
        self.publish()
        self.state.dirty = True
        if self.conn.connected:
            self.refresh(self.state.clock())

    def publish(self) -> None:
        """The retained ``setup`` and ``setup/audit`` (after every connect, and every change)."""
        now = self.state.clock()
        self.conn.publish(self.topics.state, self.setup.to_payload(), qos=1, retain=True)
        self.conn.publish(self.topics.audit, AuditList(now, tuple(self.audit)).to_payload(), qos=1, retain=True)
