"""The day's appointments into the hub: one way in for the web's import command and the watched folder.

Check-in (``hub.checkins``) reads today's rows again when they change.

Each day in a list replaces the day stored (``hub.appointment_store``): the rows are staged with
the hub's commit (``hub.pipeline``), so an import is stored in the same transaction as its command
id and a check-in staged just before it counts.  A repeated command is answered again, not applied
again; an import of the same list changes nothing anyway.  The log says what each import did and
which kinds of personal data the reader left out, never a value.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable, Iterable

from reception.config import Site
from reception.errors import AppointmentFileError
from reception.protocol import AppointmentImport, ImportedDay, ImportResult, Topic, Topics

from hub import appointment_store
from hub.core.appointment_records import Reading, SiteRules
from hub.core.appointments import Appointment
from hub.core.model import Effects
from hub.dispatch import Ack, Route
from hub.locks import HubLocks
from hub.pipeline import CommitPipeline, Pending
from hub.store import Store

log = logging.getLogger(__name__)


class AppointmentImporter:
    def __init__(self, site: Site, store: Store, locks: HubLocks, *, pipeline: CommitPipeline,
                 clock: Callable[[], datetime], after_import: Callable[[], None] = lambda: None):
        """``after_import``: once an import is stored, under the queue's lock (check-in reads the day again)."""
        self.rules, self.store, self.locks, self.pipeline, self.clock = SiteRules.of(site), store, locks, pipeline, clock
        self.topics, self.after_import = Topics(site.id), after_import

    def routes(self) -> tuple[Route, ...]:
        return (Route(self.topics.appointments_import, AppointmentImport.from_payload, self.command),)

    def command(self, _where: Topic, command: AppointmentImport, ack: Ack) -> None:
        """``appointments/import``, under the queue's lock: checked against the site file, then staged."""
        now, key = self.clock(), f"appointments/{command.id}"
        if self.pipeline.answer_again(key, ack, now):
            return
        try:
            appointments = self.checked(command)
        except AppointmentFileError as exc:
            log.warning("refused appointments import %s by %s: %s", command.id, command.by, exc)
            reply = ImportResult.refused(command.id, str(exc)).to_payload()
            self.pipeline.stage(Pending(Effects(), now, key, self.topics.appointments_import_result, reply, ack))
            return
        if command.left_out:
            log.info("appointments import %s by %s: left out unread by the web service: %s", command.id, command.by,
                     ", ".join(command.left_out))
        self.stage(f"{command.file} (by {command.by})", appointments, now, key=key, ack=ack, command_id=command.id)

    def checked(self, command: AppointmentImport) -> list[Appointment]:
        """The command's appointments, each as the file readers check a record (entry N as line N)."""
        reading = Reading(command.file, self.rules)
        return [reading.appointment(n, a.at, a.service, a.desk, a.code)
                for n, a in enumerate(command.appointments, start=1)]

    def stage(self, source: str, appointments: Iterable[Appointment], now: datetime, *, key: str | None = None,
              ack: Ack | None = None, command_id: str | None = None,
              after: Callable[[list[ImportedDay]], None] = lambda _days: None) -> None:
        """Each day of ``appointments`` in place of the stored one, staged with the next commit.  What it does
        is counted on the rows as stored now (an import staged just before in the same commit is not yet
        there: only the counts can be off, never the rows); ``after`` gets the counts once stored (under the
        queue's lock)."""
        days: dict[str, list[Appointment]] = {}
        for a in appointments:
            days.setdefault(a.day, []).append(a)
        with self.locks.db():
            summaries = [appointment_store.summarise(self.store.db, day, listed) for day, listed in sorted(days.items())]
        statements = tuple(s for day, listed in sorted(days.items())
                           for s in appointment_store.replace_statements(day, listed))
        reply = None
        if command_id is not None:
            reply = ImportResult(command_id, True, tuple(summaries)).to_payload()

        def stored() -> None:
            log.info("appointments from %s: %s", source, "; ".join(s.describe() for s in summaries))
            self.after_import()
            after(summaries)

        self.pipeline.stage(Pending(Effects(), now, key, self.topics.appointments_import_result if reply else None,
                                    reply, ack, statements=statements, after=stored))
