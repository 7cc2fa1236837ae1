"""The office's changes to today's setup, in the hub: checked, stored with the hub's commit, followed at once.

A setup command (``reception.setup_messages``) from the web application goes the way of a desk
command: the hub checks it (``hub.core.office``, then ``reception.today.apply``: the site file
with every change in force must still be a valid site file), applies it under its lock (routing
and the desks follow the new site at once; a desk closed for the day closes), and stages it; the
commit stores the new setup, its audit row and the command id in one transaction, then the
result, the retained ``setup`` and ``setup/audit`` go out.  Kiosks and boards apply the retained
``setup`` to their own copy of the site file.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

from reception import protocol, schedule, today
from reception.config import Site
from reception.errors import ConfigError
from reception.setup_messages import AUDIT_SHOWN, AuditEntry, AuditList, OfficeSetup, SetupCommand, SetupResult, \
    SetupTopics

from hub import setup_store
from hub.core import office
from hub.core.model import DESK_CLOSED, DESK_OPEN, Effects

if TYPE_CHECKING:
    from hub.service import Hub

log = logging.getLogger(__name__)


class Office:
    """Today's setup of one hub: the site file as read (``base``) and the changes in force (``setup``)."""

    def __init__(self, hub: "Hub", pending: Callable[..., Any]):
        """``pending``: the hub's staged-message type (``hub.service.Pending``)."""
        self.hub, self.base, self.pending = hub, hub.site, pending
        self.topics = SetupTopics(self.base.id)
        self.setup = OfficeSetup()
        self.audit: list[AuditEntry] = []

    def load(self, now: datetime) -> Site:
        """The stored setup, as the site to run with (at start, and after a failed write).  A stored setup
        the site file no longer allows (a desk taken out of it) is set aside, with a line in the log."""
        with self.hub._db_lock:
            stored = setup_store.load(self.hub.store.db)
            self.audit = setup_store.audit(self.hub.store.db, AUDIT_SHOWN)
        self.setup = office.current(stored, schedule.local(self.base, now).date())
        try:
            site = today.apply(self.base, self.setup)
        except ConfigError as exc:
            log.warning("the stored setup no longer fits the site file, using the site file alone: %s", exc)
            self.setup, site = OfficeSetup(version=stored.version), self.base
        if hasattr(self.hub.estimator, "site"):
            self.hub.estimator.site = site
        return site

    def on_command(self, _where: protocol.Topic, payload: bytes, ack) -> None:
        """``setup/command``, under the hub's lock: refused with a reason, or applied and staged."""
        command = SetupCommand.from_payload(payload)
        hub, now = self.hub, self.hub.clock()
        key = f"setup/{command.id}"
        if hub._answer_again(key, ack, now):
            return
        try:
            new = office.changed(self.setup, command, self.base, now)
            site = today.apply(self.base, new)
        except ConfigError as exc:
            log.warning("refused setup change %s (%s) by %s: %s", command.id, command.action, command.by, exc)
            reply = SetupResult(command.id, command.action, False, error=str(exc)).to_payload()
            hub._stage(self.pending(Effects(), now, key, self.topics.result, reply, ack))
            return
        entry = AuditEntry(now, command.by, command.id, command.action, command.detail)
        log.info("setup change %s by %s: %s %s", command.id, command.by, command.action, command.detail)
        effects = self._follow(new, site, command, now)
        self.audit = [entry, *self.audit][:AUDIT_SHOWN]
        reply = SetupResult(command.id, command.action, True, version=new.version).to_payload()
        hub._stage(self.pending(effects, now, key, self.topics.result, reply, ack,
                               statements=setup_store.statements(new, entry), after=self.changed))

    def tick(self, now: datetime) -> None:
        """At a new day, yesterday's desk changes end and past sessions drop out (under the hub's lock)."""
        day = schedule.local(self.base, now).date()
        if self.setup.day is None or self.setup.day == day:
            return
        new = office.current(self.setup, day)
        self._follow(new, today.apply(self.base, new), None, now)
        self.hub._stage(self.pending(Effects(), now, statements=setup_store.statements(new, None),
                                         after=self.changed))

    def _follow(self, new: OfficeSetup, site: Site, command: SetupCommand | None, now: datetime) -> Effects:
        """Run with the new setup from now on: the hub's views, routing and estimates, and the desk's status."""
        self.setup = new
        hub = self.hub
        hub.site = hub.queue.site = site
        if hasattr(hub.estimator, "site"):  # the forward simulation routes as the desks do
            hub.estimator.site = site
        effects = Effects()
        if command is not None and command.action == "close_desk":
            effects = hub.queue.set_status(command.desk, DESK_CLOSED, now)
        elif command is not None and command.action == "open_desk":
            effects = hub.queue.set_status(command.desk, DESK_OPEN, now)
        effects.touch(*(hub.queue.desks[d] for d in site.desks))  # every desk's state shows its services
        return effects

    def changed(self) -> None:
        """After the commit: the retained setup and audit list, and fresh estimates and views soon."""
        self.publish()
        self.hub._dirty = True

    def publish(self) -> None:
        """The retained ``setup`` and ``setup/audit`` (after every connect, and every change)."""
        now = self.hub.clock()
        self.hub.conn.publish(self.topics.state, self.setup.to_payload(), qos=1, retain=True)
        self.hub.conn.publish(self.topics.audit, AuditList(now, tuple(self.audit)).to_payload(), qos=1, retain=True)
