"""The hub on the broker: takes kiosk and desk messages, applies them to the queue, publishes.

Nothing is answered, announced or acknowledged before it is stored.  A message is
taken off the network into the intake (``hub.intake``, where an overload shows and
stale ticket requests are refused), applied to the in-memory queue by the intake's
worker (under one lock) and *staged*; a new ticket's wait comes from one estimate
pass for all tickets issued together (``hub.issued``).  A flusher thread commits
everything staged in one transaction (one fsync for a burst: group commit), then
sends the replies and only then the MQTT acknowledgements (paho manual ack,
persistent session).  A hub killed at any
moment has either not acknowledged a message, so the broker delivers it again, or
stored it with its reply, so a repeat is answered from the store.  A ticker thread
expires tickets at closing, refreshes the wait estimates when the queue changed,
publishes the day's statistics and pings the systemd watchdog.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from reception import clock as reception_clock, protocol, schedule, service_notify
from reception.config import Site
from reception.errors import MessageError, QueueError
from reception.mqtt import BrokerAddress, Connection
from reception.protocol import Topics

from hub import alerts, guard, issued, overload, views
from hub.daily_stats import DailyStats
from hub.core.estimate import Estimates, WaitEstimator, default_estimator
from hub.core.model import NO_SHOW, SERVED, Effects
from hub.core.queue import Queue
from hub.intake import Intake
from hub.issued import GROUP_MAX, Issued, IssuedGroup
from hub.setup import Office
from hub.stats_db import StatsDB
from hub.store import Change, Store

log = logging.getLogger(__name__)

REFRESH_SECONDS = 0.5  # estimates and desk queues follow the queue at most this often
REFRESH_SHARE = 0.25  # ... and a long queue's refresh takes at most this share of the time
LEARN_DAYS = 14  # days of finished visits the estimator learns from at start
ANSWER_CACHE = 20_000  # answers to recent command ids kept in memory; older ones are looked up in the store
RECENT_ROWS = 4  # call events read per call shown at start: recalls repeat numbers, and each number shows once


@dataclass
class Pending:
    """A handled message waiting for the next commit: what to store, what to answer, what to acknowledge."""

    effects: Effects
    at: datetime
    key: str | None = None
    reply_topic: str | None = None
    reply: bytes | None = None
    ack: Callable[[], None] | None = None
    statements: tuple[tuple[str, tuple], ...] = ()  # further rows to store with it (``hub.setup``)
    after: Callable[[], None] | None = None  # to publish once it is stored


class Hub:
    def __init__(self, site: Site, store: Store, broker: BrokerAddress, *,
                 estimator: WaitEstimator | None = None, clock: Callable[[], datetime] | None = None):
        self.site, self.store, self.clock = site, store, clock or reception_clock.from_env()
        self.topics = Topics(site.id)
        self.estimator = estimator or default_estimator(site)
        self._lock = threading.RLock()  # the queue and everything derived from it
        self._db_lock = threading.Lock()  # the SQLite connection; never wait for _lock while holding it
        self._batch: list[Pending] = []
        self._wake = threading.Event()
        self._answers: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._stop = threading.Event()
        self._dirty = True
        self._next_refresh = 0.0  # monotonic time the next refresh may start (``REFRESH_SHARE``)
        self.alerts: dict[str, dict] = {}
        self.intake = Intake(group=GROUP_MAX, on_group_end=self._finish_issued_locked)
        self.overload = overload.OverloadWatch()
        self._issued = IssuedGroup()  # issued since the last estimate pass
        self._connected_at = 0.0
        self.daily = DailyStats(site, StatsDB(store.db))
        self.office = Office(self, Pending)  # today's setup: the site file with the office's changes
        self._load()
        self._learn_history()
        recent = store.recent_answers(ANSWER_CACHE)
        for key, topic, reply in reversed(recent):
            self._remember(key, topic, reply)
        self._answers_complete = len(recent) < ANSWER_CACHE  # then a command not in memory is a new one
        self.conn = Connection(f"hub-{site.id}", broker, persistent=True, manual_ack=True,
                               will=(self.topics.hub_available, protocol.availability("offline")),
                               on_connect=self._publish_everything)
        handlers = {
            self.topics.ticket_request(): self._on_ticket_request,
            self.topics.ticket_first_visit(): self._on_ticket_first_visit,
            self.topics.desk_command(): self._on_desk_command,
            self.topics.kiosk_status(): self._on_kiosk_status,
            self.topics.feedback(): self._on_feedback,
            self.topics.kiosk_available(): self._on_device_available,
            self.topics.board_available(): self._on_device_available,
            self.topics.desk_available(): self._on_device_available,
            self.office.topics.command: self.office.on_command,
        }
        for topic_filter, handler in handlers.items():
            urgent = handler == self._on_desk_command  # a citizen being called goes before new tickets
            self.conn.subscribe(topic_filter, self.intake.wrap(self._guarded(handler), urgent=urgent))
        self._ticker = threading.Thread(target=self._tick_loop, name="hub-ticker", daemon=True)
        self._flusher = threading.Thread(target=self._flush_loop, name="hub-flusher", daemon=True)

    def _load(self) -> None:
        """Rebuild the queue exactly as stored (at start, and after a failed write)."""
        now = self.clock()
        self.site = self.office.load(now)
        with self._db_lock:
            tickets, desks = self.store.load(since_day=schedule.local_day(self.site, now))
            recent = self.store.recent_calls(RECENT_ROWS * (self.site.board.recent_calls + 1))
            self.last_seq = self.store.last_call_seq()  # call numbers keep growing across restarts
        self.queue = Queue(self.site, tickets, desks)
        self.calls = views.latest_per_number([self._stored_call(row) for row in recent], self.site.board.recent_calls + 1)
        self.estimates = Estimates()
        self._refresh_estimates(now)

    def _learn_history(self) -> None:
        """Teach the estimator the visits of recent days, so a restarted hub does not start from the
        configured guesses (no-shows teach how often a call is in vain)."""
        since = schedule.local_day(self.site, self.clock() - timedelta(days=LEARN_DAYS))
        with self._db_lock:
            finished = self.store.finished_since(since)
        for ticket in finished:
            self.estimator.observe(ticket)

    def _stored_call(self, row: dict) -> dict:
        number = row["ticket"].split("/", 1)[1]
        seq = json.loads(row["detail"] or "{}").get("seq", 0)
        ticket = self.queue.tickets.get(row["ticket"])
        return {"type": "recall" if row["kind"] == "recalled" else "call", "number": number, "desk": row["desk"],
                "desk_name": dict(self.site.desks[row["desk"]].name), "at": row["at"], "seq": seq,
                "lang": ticket.lang if ticket else self.site.default_language}

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> "Hub":
        self._flusher.start()
        self.intake.start()
        self.conn.start()
        self._ticker.start()
        return self

    def stop(self) -> None:
        service_notify.stopping()
        self._stop.set()
        self._wake.set()
        self.intake.stop()  # what still waits there was never acknowledged: the broker keeps it for the next hub
        self._finish_issued_locked()
        for thread in (self._flusher, self._ticker):
            if thread.is_alive():
                thread.join(5)
        self._flush()  # whatever was staged last
        self.conn.stop(final=(self.topics.hub_available, protocol.availability("stopped")))

    def _publish_everything(self) -> None:
        """After every (re)connect: the retained state first, then "online"."""
        self._connected_at = time.monotonic()
        with self._lock, self.queue.steady():
            now = self.clock()
            for desk_id in self.site.desks:
                self._publish_desk(desk_id, now)
            self._publish_board(now)
            self._publish(self.topics.queue, views.queue_snapshot(self.queue, self.estimates, now), retain=True)
            self._publish_alerts(now)
            self.office.publish()
            self.conn.publish(self.topics.hub_available, protocol.availability("online"), retain=True)
        service_notify.ready("connected to the broker")

    # -- handlers ----------------------------------------------------------

    def _guarded(self, handler):
        """Check size, topic and sender, serialise on the lock; a rejected or failed message is acked at once."""
        def run(topic: str, payload: bytes, ack: Callable[[], None]) -> None:
            try:
                where = guard.check(self.site, topic, payload)
                with self._lock:
                    handler(where, payload, ack)
            except MessageError as exc:
                log.warning(guard.rejected(topic, exc))
                ack()
            except Exception:
                log.exception(guard.rejected(topic, "failed to handle it"))
                ack()  # a message that breaks the hub must not come back for ever
        return run

    def _on_ticket_request(self, where: protocol.Topic, payload: bytes, ack) -> None:
        request = protocol.parse_ticket_request(payload)
        kiosk, now = where.device_id, self.clock()
        reply_topic = self.topics.ticket_reply(kiosk)
        key = f"kiosk/{kiosk}/{request.id}"
        if self._answer_again(key, ack, now) or self._refused_as_stale(request, key, reply_topic, ack, now):
            return
        try:
            if request.offline_number:
                ticket, effects = self.queue.import_offline(
                    request.offline_number, request.service, request.issued_at, now, kiosk=kiosk,
                    preference=request.preference, extras=request.extras, first_visit=request.first_visit,
                    lang=request.lang)
            else:
                ticket, effects = self.queue.issue(request.service, now, preference=request.preference,
                                                   extras=request.extras, first_visit=request.first_visit,
                                                   kiosk=kiosk, lang=request.lang)
        except QueueError as exc:
            log.warning("refused ticket request %s from %s: %s", request.id, kiosk, exc)
            self._stage(Pending(Effects(), now, key, reply_topic,
                                protocol.ticket_reply(request.id, error=str(exc)), ack))
            return
        if request.replaces:
            effects.merge(self._withdraw_unanswered(kiosk, request.replaces, now))
        self._issued.add(Issued(ticket, effects, request.id, key, reply_topic, ack, now))
        if not issued.together(self.estimator):
            self._finish_issued()

    def _finish_issued_locked(self) -> None:
        with self._lock:
            self._finish_issued()

    def _finish_issued(self) -> None:
        """One estimate pass for every ticket issued since the last, then their answers are staged (under the lock)."""
        for item, reply in self._issued.answers(self.estimator, self.queue, self.clock()):
            self._stage(Pending(item.effects, item.at, item.key, item.reply_topic, reply, item.ack))

    def _refused_as_stale(self, request: protocol.TicketRequest, key: str, reply_topic: str, ack,
                          now: datetime) -> bool:
        """A request its kiosk has given up on (``overload.stale``): refuse it, so the number the kiosk
        prints itself stands alone."""
        if not overload.stale(request, self.intake.age, self.intake.received - self._connected_at, len(self.intake),
                              now):
            return False
        self.overload.refused_stale()
        self._stage(Pending(Effects(), now, key, reply_topic, protocol.ticket_reply(request.id, error=protocol.STALE), ack))
        return True

    def _withdraw_unanswered(self, kiosk: str, request_id: str, now: datetime) -> Effects:
        """The ticket issued for a request whose answer never reached the kiosk, if there was one."""
        answer = self._answer_to(f"kiosk/{kiosk}/{request_id}")
        ticket = json.loads(answer[1]).get("ticket") if answer else None
        if not ticket or ticket.get("offline"):
            return Effects()
        day = schedule.local_day(self.site, datetime.fromisoformat(ticket["issued_at"]))
        return self.queue.withdraw(ticket["number"], day, kiosk, now)

    def _on_ticket_first_visit(self, where: protocol.Topic, payload: bytes, ack) -> None:
        """The first-visit answer given after the number: stored with this kiosk's ticket, once per id; no reply."""
        answer = protocol.parse_ticket_first_visit(payload)
        kiosk, now = where.device_id, self.clock()
        key = f"kiosk/{kiosk}/first_visit/{answer.id}"
        if self._answer_again(key, ack, now):
            return
        try:
            effects = self.queue.set_first_visit(answer.number, kiosk, answer.first_visit, now)
        except QueueError as exc:
            raise MessageError(str(exc)) from None
        self._stage(Pending(effects, now, key, ack=ack))

    def _on_desk_command(self, where: protocol.Topic, payload: bytes, ack) -> None:
        desk_id, now = where.device_id, self.clock()
        result_topic = self.topics.desk_result(desk_id)
        command = protocol.parse_desk_command(payload)
        key = f"desk/{desk_id}/{command.id}"
        if self._answer_again(key, ack, now):
            return
        try:
            effects = self.queue.command(desk_id, command.action, now, ticket=command.ticket,
                                         service=command.service, to_kind=command.to_kind)
        except QueueError as exc:
            log.warning("refused %s from %s: %s", command.action, desk_id, exc)
            self._stage(Pending(Effects(), now, key, result_topic, protocol.desk_result(command, error=str(exc)), ack))
            return
        current = self.queue.current(desk_id)
        reply = protocol.desk_result(command, ticket=current.number if current else None)
        self._stage(Pending(effects, now, key, result_topic, reply, ack))

    def _on_kiosk_status(self, where: protocol.Topic, payload: bytes, ack) -> None:
        printer = protocol.parse_kiosk_status(payload).printer if payload else None  # empty: status cleared
        alerts.printer(self.alerts, where.device_id, printer, self.clock())
        self._publish_alerts(self.clock())
        ack()  # alerts live in the retained status messages, not in the store

    def _on_device_available(self, where: protocol.Topic, payload: bytes, ack) -> None:
        """A kiosk, board or desk unit came, went (its Last Will) or was stopped: raise or clear its alert."""
        device = alerts.device_name(where)
        status = protocol.parse_available(payload).status if payload else None
        if alerts.availability(self.alerts, device, status, self.clock()):
            if status == "offline":
                log.warning("%s went offline without a word", device)
            else:
                log.info("%s is back (%s)", device, status or "its availability was cleared")
            self._publish_alerts(self.clock())
        ack()  # like the printer alerts: rebuilt from the retained messages after a restart

    def _on_feedback(self, where: protocol.Topic, payload: bytes, ack) -> None:
        """Store an anonymous answer once (by kiosk and id); it only ever feeds the statistics."""
        answer = protocol.parse_feedback(payload)
        if answer.service is not None and answer.service not in self.site.services:
            raise MessageError(f"unknown service {answer.service!r}")
        now = self.clock()
        late = answer.at is not None and answer.at <= now and \
            schedule.local_day(self.site, answer.at) == schedule.local_day(self.site, now)
        local = schedule.local(self.site, answer.at if late else now)  # a past day's figures are final
        with self._db_lock:
            self.store.add_feedback(f"{where.device_id}/{answer.id}", day=local.date().isoformat(), hour=local.hour,
                                    score=answer.score, tags=answer.tags, service=answer.service)
        ack()

    # -- effects -----------------------------------------------------------

    def _answer_again(self, key: str, ack, now: datetime) -> bool:
        """A command seen before: answer it again (after the next commit, so the original is stored too)."""
        answer = self._answer_to(key)
        if answer is None:
            return False
        log.info("repeated command %s answered again", key)
        self._stage(Pending(Effects(), now, None, answer[0], answer[1], ack))
        return True

    def _answer_to(self, key: str) -> tuple[str, bytes] | None:
        """The answer given to a command before: from memory, else from the store."""
        if key in self._issued.keys:  # issued moments ago: its answer is made now
            self._finish_issued()
        answer = self._answers.get(key)
        if answer is None and not self._answers_complete:
            with self._db_lock:
                answer = self.store.handled(key)
        return answer

    def _remember(self, key: str, topic: str, reply: bytes) -> None:
        self._answers[key] = (topic, reply)
        while len(self._answers) > ANSWER_CACHE:
            self._answers.popitem(last=False)
            self._answers_complete = False

    def _stage(self, pending: Pending) -> None:
        """Queue a handled message for the flusher (called under the lock); calls get their number here.
        A change to a ticket issued moments ago waits for that ticket's issue: it is stored first."""
        if self._issued.touched_by(pending.effects):
            self._finish_issued()
        for event in pending.effects.calls:
            self.last_seq += 1
            event.detail["seq"] = self.last_seq  # stored with the event, so it survives a restart
        self._batch.append(pending)
        if pending.key:
            self._remember(pending.key, pending.reply_topic, pending.reply)
        self._wake.set()

    def _flush_loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(REFRESH_SECONDS)
            self._wake.clear()
            try:
                self._flush()
            except Exception:
                log.exception("flush failed")

    def _flush(self) -> None:
        """Commit everything staged in one transaction, then announce, answer and acknowledge it."""
        with self._lock:
            batch, self._batch = self._batch, []
        if not batch:
            return
        try:
            with self._db_lock:
                self.store.apply_group(Change(p.effects, p.key, p.reply_topic, p.reply, p.at, p.statements)
                                       for p in batch)
        except Exception:
            log.exception("could not store %d changes; going back to the stored state", len(batch))
            with self._lock:
                self._answers.clear()
                self._answers_complete = False
                self._issued.clear()
                self._batch.clear()
                self._load()
            self.conn.reconnect()  # unacknowledged messages come again, onto the stored state
            return
        with self._lock:  # state first: a device that reads its answer finds its new state already there
            self._announce(batch)
            for p in batch:
                if p.after:
                    p.after()
        for p in batch:
            if p.reply_topic:
                self.conn.publish(p.reply_topic, p.reply, qos=1)
            if p.ack:
                p.ack()

    def _announce(self, batch: list[Pending]) -> None:
        """Tell the devices what a committed batch changed: every call, then each changed desk and
        the board once (a burst costs one snapshot, not one each); the rest on the next refresh."""
        desks: dict[str, None] = {}
        called = False
        for p in batch:
            for ticket in p.effects.tickets.values():
                if ticket.state in (SERVED, NO_SHOW):
                    self.estimator.observe(ticket)
            for event in p.effects.calls:
                ticket = self.queue.tickets[event.ticket]
                call = views.call_event(self.site, event, ticket.number, event.detail["seq"], ticket.lang)
                self.calls = views.latest_per_number([call, *self.calls], self.site.board.recent_calls + 1)
                self._publish(self.topics.calls, call)
                called = True
            desks.update(dict.fromkeys(p.effects.desks))
            if p.effects.tickets or p.effects.desks:
                self._dirty = True
        at = batch[-1].at  # never earlier than any call listed
        with self.queue.steady():
            for desk_id in desks:
                self._publish_desk(desk_id, at)
            if called:
                self._publish_board(at)

    # -- publishing --------------------------------------------------------

    def _publish(self, topic: str, body: dict, *, retain: bool = False) -> None:
        self.conn.publish(topic, protocol.encode(body), qos=1, retain=retain)

    def _publish_desk(self, desk_id: str, now: datetime) -> None:
        self._publish(self.topics.desk_state(desk_id), views.desk_state(self.site, self.queue, desk_id, now),
                      retain=True)

    def _publish_board(self, now: datetime) -> None:
        self._publish(self.topics.board, views.board_snapshot(self.site, self.queue, self.estimates, self.calls, now),
                      retain=True)

    def _publish_alerts(self, now: datetime) -> None:
        self._publish(self.topics.alerts, alerts.payload(self.alerts, now), retain=True)

    def _refresh_estimates(self, now: datetime) -> None:
        self.estimates = self.estimator.estimate(self.queue, now)
        self._dirty = False

    # -- the ticker --------------------------------------------------------

    def _tick_loop(self) -> None:
        interval = service_notify.watchdog_interval()
        last_ping = last_purge_day = None
        while not self._stop.wait(REFRESH_SECONDS):
            now = self.clock()
            with self._lock:
                try:
                    self._tick(now)
                    today = schedule.local_day(self.site, now)
                    if last_purge_day != today:
                        self._purge(now)
                        last_purge_day = today
                except Exception:  # keep ticking; a stuck ticker would silently freeze the estimates
                    log.exception("hub tick failed")
            if interval and (last_ping is None or (now - last_ping).total_seconds() >= interval):
                service_notify.watchdog_ping()
                last_ping = now

    def _watch_load(self, now: datetime) -> None:
        """Say when the hub falls behind (log and an alert for the desks), and when it has caught up."""
        change = self.overload.update(time.monotonic(), self.intake.oldest_age())
        if change:
            log.warning(self.overload.describe(change, len(self.intake), self.intake.oldest_age()))
            if change == "raised":
                self.alerts["hub"] = {"device": "hub", "problem": "overloaded", "detail": "", "since": now.isoformat()}
            else:
                self.alerts.pop("hub", None)
            self._publish_alerts(now)

    def _tick(self, now: datetime) -> None:
        self._finish_issued()
        self.office.tick(now)
        self._watch_load(now)
        effects = self.queue.expire_due(now)
        if effects.events:
            self._stage(Pending(effects, now))
        if self._dirty and self.conn.connected and time.monotonic() >= self._next_refresh:
            self._refresh_and_publish(now)
        with self._db_lock:
            stats = self.daily.today(now) if self.conn.connected else None  # due again as soon as it is back
        if stats is not None:
            self._publish(self.topics.stats_daily, stats, retain=True)

    def _refresh_and_publish(self, now: datetime) -> None:
        """New estimates, and every view they show in; a long queue's refresh waits longer for the next."""
        started = time.monotonic()
        with self.queue.steady():
            self._refresh_estimates(now)
            for desk_id in self.site.desks:
                self._publish_desk(desk_id, now)
            self._publish_board(now)
            self._publish(self.topics.queue, views.queue_snapshot(self.queue, self.estimates, now), retain=True)
        self._next_refresh = time.monotonic() + (time.monotonic() - started) * (1 / REFRESH_SHARE - 1)

    def _purge(self, now: datetime) -> None:
        with self._db_lock:
            finished_days = list(self.daily.finish_past_days(now))  # the aggregates outlive the rows purged below
            keep_from = schedule.local_day(self.site, now - timedelta(days=self.site.retention_days))
            dropped = self.store.purge(keep_from, now)
        for finished in finished_days:
            self._publish(self.topics.stats_daily, finished)
        self.queue.forget_before(schedule.local_day(self.site, now))
        if dropped:
            log.info("retention: aggregated and removed %d ticket rows before %s", dropped, keep_from)
