"""What each device message does to the hub: the handlers of the dispatch table (``routes``).

They run on the intake's worker, behind the guard, under the queue's lock.  What a
ticket request or desk command changes is staged for the commit pipeline, with its
reply; a command seen before is answered again instead (``CommitPipeline.answer_again``).
Alerts live in the retained status messages and feedback only feeds the statistics:
those are acknowledged at once.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from reception import protocol, schedule
from reception.config import Site
from reception.errors import MessageError, QueueError
from reception.protocol import Topics

from hub import alerts, checkins, overload
from hub.alerts import Alerts
from hub.core import checkin
from hub.core.model import Effects
from hub.dispatch import Ack, Route
from hub.intake import Intake
from hub.issued import Issued
from hub.locks import HubLocks
from hub.pipeline import CommitPipeline, Pending
from hub.state import HubState
from hub.store import Store

log = logging.getLogger(__name__)


def printer_state(raw: bytes) -> str | None:
    return protocol.KioskStatus.from_payload(raw).printer if raw else None  # empty: status cleared


def availability_status(raw: bytes) -> str | None:
    return protocol.Availability.from_payload(raw).status if raw else None  # empty: availability cleared


class Handlers:
    def __init__(self, site: Site, topics: Topics, store: Store, locks: HubLocks, *, state: HubState,
                 pipeline: CommitPipeline, alerts: Alerts, intake: Intake, overload: overload.OverloadWatch):
        self.site, self.topics, self.store, self.locks = site, topics, store, locks
        self.state, self.pipeline, self.alerts, self.intake, self.overload = state, pipeline, alerts, intake, overload
        self.clock: Callable[[], datetime] = state.clock
        self.connected_at = 0.0  # when the hub last connected (the intake's timer)

    def routes(self) -> tuple[Route, ...]:
        t = self.topics
        return (
            Route(t.ticket_request(), protocol.TicketRequest.from_payload, self.ticket_request),
            Route(t.ticket_first_visit(), protocol.TicketFirstVisit.from_payload, self.ticket_first_visit),
            Route(t.desk_command(), protocol.DeskCommand.from_payload, self.desk_command, urgent=True),
            Route(t.kiosk_status(), printer_state, self.kiosk_status),
            Route(t.feedback(), protocol.Feedback.from_payload, self.feedback),
            Route(t.kiosk_available(), availability_status, self.device_available),
            Route(t.board_available(), availability_status, self.device_available),
            Route(t.desk_available(), availability_status, self.device_available),
            Route(t.web_available, availability_status, self.device_available),
        )

    def ticket_request(self, where: protocol.Topic, request: protocol.TicketRequest, ack: Ack) -> None:
        kiosk, now = where.device_id, self.clock()
        reply_topic = self.topics.ticket_reply(kiosk)
        key = f"kiosk/{kiosk}/{request.id}"
        if self.pipeline.answer_again(key, ack, now) or self._refused_as_stale(request, key, reply_topic, ack, now):
            return
        try:
            ticket, effects, check = self._issue(kiosk, request, now)
        except QueueError as exc:
            log.warning("refused ticket request %s from %s: %s", request.id, kiosk, exc)
            self.pipeline.stage(Pending(Effects(), now, key, reply_topic,
                                        protocol.TicketReply.refused(request.id, str(exc)).to_payload(), ack))
            return
        if request.token:  # the hub keeps only the hash: its file and its messages open no one's page
            ticket.token_hash = protocol.token_hash(request.token)
            effects.touch(ticket)
        if request.replaces:
            effects.merge(self._withdraw_unanswered(kiosk, request.replaces, now))
        booked = check.booking if check and check.outcome in (checkin.KEPT, checkin.LATE) else None
        self.pipeline.issue(Issued(ticket, effects, request.id, key, reply_topic, ack, now,
                                   walk_in=check.walk_in if check else None,
                                   statements=(checkins.arrived(booked),) if booked else ()))

    def _issue(self, kiosk: str, request: protocol.TicketRequest, now: datetime):
        """The ticket for a request, its effects, and the check-in of a booking (None without one)."""
        queue, booked = self.state.queue, request.booking or request.slot
        if request.offline_number:
            ticket, effects = queue.import_offline(
                request.offline_number, request.service, request.issued_at, now, kiosk=kiosk,
                preference=request.preference, extras=request.extras, first_visit=request.first_visit,
                lang=request.lang)
            return ticket, effects, (checkin.hand_over(self.state.bookings, queue.day(ticket.issued_at), ticket,
                                                       code=request.booking, slot=request.slot) if booked else None)
        fields = dict(preference=request.preference, extras=request.extras, first_visit=request.first_visit,
                      kiosk=kiosk, lang=request.lang)
        if booked:
            return checkin.issue_booked(queue, self.state.bookings, now, request.service, code=request.booking,
                                        slot=request.slot, **fields)
        return (*queue.issue(request.service, now, **fields), None)

    def _refused_as_stale(self, request: protocol.TicketRequest, key: str, reply_topic: str, ack: Ack,
                          now: datetime) -> bool:
        """A request its kiosk has given up on (``overload.stale``): refuse it, so the number the kiosk
        prints itself stands alone."""
        if not overload.stale(request, self.intake.age, self.intake.received - self.connected_at, len(self.intake),
                              now):
            return False
        self.overload.refused_stale()
        self.pipeline.stage(Pending(Effects(), now, key, reply_topic,
                                    protocol.TicketReply.refused(request.id, protocol.STALE).to_payload(), ack))
        return True

    def _withdraw_unanswered(self, kiosk: str, request_id: str, now: datetime) -> Effects:
        """The ticket issued for a request whose answer never reached the kiosk, if there was one."""
        answer = self.pipeline.answer_to(f"kiosk/{kiosk}/{request_id}")
        ticket = protocol.TicketReply.from_payload(answer[1]).ticket if answer else None
        if ticket is None or ticket.offline:
            return Effects()
        day = schedule.local_day(self.site, ticket.issued_at)
        return self.state.queue.withdraw(ticket.number, day, kiosk, now)

    def ticket_first_visit(self, where: protocol.Topic, answer: protocol.TicketFirstVisit, ack: Ack) -> None:
        """The first-visit answer given after the number: stored with this kiosk's ticket, once per id; no reply."""
        kiosk, now = where.device_id, self.clock()
        key = f"kiosk/{kiosk}/first_visit/{answer.id}"
        if self.pipeline.answer_again(key, ack, now):
            return
        try:
            effects = self.state.queue.set_first_visit(answer.number, kiosk, answer.first_visit, now)
        except QueueError as exc:
            raise MessageError(str(exc)) from None
        self.pipeline.stage(Pending(effects, now, key, ack=ack))

    def desk_command(self, where: protocol.Topic, command: protocol.DeskCommand, ack: Ack) -> None:
        desk_id, now = where.device_id, self.clock()
        result_topic = self.topics.desk_result(desk_id)
        key = f"desk/{desk_id}/{command.id}"
        if self.pipeline.answer_again(key, ack, now):
            return
        queue = self.state.queue
        try:
            effects = queue.command(desk_id, command.action, now, ticket=command.ticket,
                                    service=command.service, to_kind=command.to_kind)
        except QueueError as exc:
            log.warning("refused %s from %s: %s", command.action, desk_id, exc)
            self.pipeline.stage(Pending(Effects(), now, key, result_topic,
                                        protocol.DeskResult.answer(command, error=str(exc)).to_payload(), ack))
            return
        current = queue.current(desk_id)
        reply = protocol.DeskResult.answer(command, ticket=current.number if current else None).to_payload()
        self.pipeline.stage(Pending(effects, now, key, result_topic, reply, ack))

    def kiosk_status(self, where: protocol.Topic, printer: str | None, ack: Ack) -> None:
        self.alerts.printer(where.device_id, printer, self.clock())
        ack()  # alerts live in the retained status messages, not in the store

    def device_available(self, where: protocol.Topic, status: str | None, ack: Ack) -> None:
        """A kiosk, board, desk unit or the web service came, went (its Last Will) or was stopped: raise or clear its alert."""
        self.alerts.availability(alerts.device_name(where), status, self.clock())
        ack()  # like the printer alerts: rebuilt from the retained messages after a restart

    def feedback(self, where: protocol.Topic, answer: protocol.Feedback, ack: Ack) -> None:
        """Store an anonymous answer once (by kiosk and id); it only ever feeds the statistics."""
        if answer.service is not None and answer.service not in self.site.services:
            raise MessageError(f"unknown service {answer.service!r}")
        now = self.clock()
        late = answer.at is not None and answer.at <= now and \
            schedule.local_day(self.site, answer.at) == schedule.local_day(self.site, now)
        local = schedule.local(self.site, answer.at if late else now)  # a past day's figures are final
        with self.locks.db():
            self.store.add_feedback(f"{where.device_id}/{answer.id}", day=local.date().isoformat(), hour=local.hour,
                                    score=answer.score, tags=answer.tags, service=answer.service)
        ack()
