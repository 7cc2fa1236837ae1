"""The hub on the broker: takes kiosk and desk messages, applies them to the queue, publishes.

Every message is handled in paho's network thread, under one lock, and fully
persisted before the reply goes out and before paho acknowledges it (QoS 1 with a
persistent session): a hub killed at any moment either never acknowledged a
command, so the broker delivers it again, or stored it with its reply, so the
repeat is answered from the store.  A ticker thread expires tickets at closing,
refreshes the wait estimates when the queue has changed, and pings the watchdog.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone
from typing import Callable

from reception import protocol, schedule, service_notify
from reception.config import Site
from reception.errors import MessageError, QueueError
from reception.mqtt import BrokerAddress, Connection
from reception.protocol import Topics

from hub import views
from hub.daily_stats import DailyStats
from hub.core.estimate import Estimates, WaitEstimator, default_estimator
from hub.core.model import NO_SHOW, SERVED, Effects
from hub.core.queue import Queue
from hub.stats_db import StatsDB
from hub.store import Store

log = logging.getLogger(__name__)

REFRESH_SECONDS = 0.5  # estimates and desk queues follow the queue at most this often


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Hub:
    def __init__(self, site: Site, store: Store, broker: BrokerAddress, *,
                 estimator: WaitEstimator | None = None, clock: Callable[[], datetime] = utcnow):
        self.site, self.store, self.clock = site, store, clock
        self.topics = Topics(site.id)
        self.estimator = estimator or default_estimator(site)
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._dirty = True
        self.alerts: dict[str, dict] = {}
        self.daily = DailyStats(site, StatsDB(store.db))
        self._load()
        self.conn = Connection(f"hub-{site.id}", broker, persistent=True,
                               will=(self.topics.hub_available, protocol.availability("offline")),
                               on_connect=self._publish_everything)
        handlers = {
            self.topics.ticket_request(): self._on_ticket_request,
            self.topics.desk_command(): self._on_desk_command,
            self.topics.kiosk_status(): self._on_kiosk_status,
            self.topics.feedback(): self._on_feedback,
        }
        for topic_filter, handler in handlers.items():
            self.conn.subscribe(topic_filter, self._guarded(handler))
        self._ticker = threading.Thread(target=self._tick_loop, name="hub-ticker", daemon=True)

    def _load(self) -> None:
        """Rebuild the queue exactly as stored (at start, and after a failed write)."""
        now = self.clock()
        tickets, desks = self.store.load(since_day=schedule.local_day(self.site, now))
        self.queue = Queue(self.site, tickets, desks)
        for t in tickets:
            if t.state in (SERVED, NO_SHOW):  # no-shows teach how often a call is in vain
                self.estimator.observe(t)
        self.calls = [self._stored_call(row) for row in self.store.recent_calls(self.site.board.recent_calls + 1)]
        self.last_seq = self.store.last_event_id()  # call numbers keep growing across restarts
        self.estimates = Estimates()
        self._refresh_estimates(now)

    def _stored_call(self, row: dict) -> dict:
        number = row["ticket"].split("/", 1)[1]
        return {"type": "recall" if row["kind"] == "recalled" else "call", "number": number, "desk": row["desk"],
                "desk_name": dict(self.site.desks[row["desk"]].name), "at": row["at"], "seq": 0}

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> "Hub":
        self.conn.start()
        self._ticker.start()
        return self

    def stop(self) -> None:
        service_notify.stopping()
        self._stop.set()
        self.conn.stop(final=(self.topics.hub_available, protocol.availability("stopped")))
        if self._ticker.is_alive():
            self._ticker.join(2)

    def _publish_everything(self) -> None:
        """After every (re)connect: the retained state first, then "online"."""
        with self._lock:
            now = self.clock()
            for desk_id in self.site.desks:
                self._publish_desk(desk_id, now)
            self._publish_board(now)
            self._publish(self.topics.queue, views.queue_snapshot(self.queue, self.estimates, now), retain=True)
            self._publish_alerts(now)
            self.conn.publish(self.topics.hub_available, protocol.availability("online"), retain=True)
        service_notify.ready("connected to the broker")

    # -- handlers ----------------------------------------------------------

    def _guarded(self, handler):
        def run(topic: str, payload: bytes) -> None:
            try:
                where = protocol.parse_topic(topic)
            except MessageError as exc:
                log.warning("ignored message on %s: %s", topic, exc)
                return
            with self._lock:
                try:
                    handler(where, payload)
                except MessageError as exc:
                    log.warning("rejected message on %s: %s", topic, exc)
        return run

    def _on_ticket_request(self, where: protocol.Topic, payload: bytes) -> None:
        request = protocol.parse_ticket_request(payload)
        kiosk, now = where.device_id, self.clock()
        reply_topic = self.topics.ticket_reply(kiosk)
        key = f"kiosk/{kiosk}/{request.id}"
        if self._repeat(key):
            return
        try:
            if request.offline_number:
                ticket, effects = self.queue.import_offline(
                    request.offline_number, request.service, request.issued_at, now, kiosk=kiosk,
                    preference=request.preference, extras=request.extras, first_visit=request.first_visit)
            else:
                ticket, effects = self.queue.issue(request.service, now, preference=request.preference,
                                                   extras=request.extras, first_visit=request.first_visit,
                                                   kiosk=kiosk)
        except QueueError as exc:
            log.warning("refused ticket request %s from %s: %s", request.id, kiosk, exc)
            self._commit(Effects(), key, reply_topic, protocol.ticket_reply(request.id, error=str(exc)), now)
            return
        eta, ahead = self.estimator.estimate_new(self.queue, now, ticket)
        if ticket.eta_at_issue is None:
            ticket.eta_at_issue = eta
            effects.touch(ticket)
        reply = protocol.ticket_reply(request.id, views.ticket_view(ticket, eta, ahead))
        self._commit(effects, key, reply_topic, reply, now)

    def _on_desk_command(self, where: protocol.Topic, payload: bytes) -> None:
        desk_id, now = where.device_id, self.clock()
        result_topic = self.topics.desk_result(desk_id)
        command = protocol.parse_desk_command(payload)
        key = f"desk/{desk_id}/{command.id}"
        if self._repeat(key):
            return
        try:
            effects = self.queue.command(desk_id, command.action, now, ticket=command.ticket,
                                         service=command.service, to_kind=command.to_kind)
        except QueueError as exc:
            log.warning("refused %s from %s: %s", command.action, desk_id, exc)
            if desk_id in self.site.desks:  # answer known desks; an unknown one has nobody to read it
                self._commit(Effects(), key, result_topic, protocol.desk_result(command, error=str(exc)), now)
            return
        current = self.queue.current(desk_id) if desk_id in self.site.desks else None
        reply = protocol.desk_result(command, ticket=current.number if current else None)
        self._commit(effects, key, result_topic, reply, now)

    def _on_kiosk_status(self, where: protocol.Topic, payload: bytes) -> None:
        if not payload:  # a cleared retained status
            self.alerts.pop(where.device_id, None)
        else:
            status = protocol.parse_kiosk_status(payload)
            if status.printer == "ok":
                self.alerts.pop(where.device_id, None)
            elif self.alerts.get(where.device_id, {}).get("problem") != status.printer:
                self.alerts[where.device_id] = {"device": where.device_id, "problem": status.printer,
                                                "detail": status.detail, "since": self.clock().isoformat()}
        self._publish_alerts(self.clock())

    def _on_feedback(self, where: protocol.Topic, payload: bytes) -> None:
        """Store an anonymous answer once (by kiosk and id); it only ever feeds the statistics."""
        answer = protocol.parse_feedback(payload)
        if answer.service is not None and answer.service not in self.site.services:
            raise MessageError(f"unknown service {answer.service!r}")
        now = self.clock()
        late = answer.at is not None and answer.at <= now and \
            schedule.local_day(self.site, answer.at) == schedule.local_day(self.site, now)
        local = schedule.local(self.site, answer.at if late else now)  # a past day's figures are final
        self.store.add_feedback(f"{where.device_id}/{answer.id}", day=local.date().isoformat(), hour=local.hour,
                                score=answer.score, tags=answer.tags, service=answer.service)

    # -- effects -----------------------------------------------------------

    def _repeat(self, key: str) -> bool:
        """A command seen before: send the stored answer again and do nothing else."""
        handled = self.store.handled(key)
        if handled is None:
            return False
        log.info("repeated command %s answered from the store", key)
        self.conn.publish(handled[0], handled[1], qos=1)
        return True

    def _commit(self, effects: Effects, key: str, reply_topic: str, reply: bytes, now: datetime) -> None:
        try:
            self.store.apply(effects, command_key=key, reply_topic=reply_topic, reply=reply, at=now)
        except Exception:
            log.exception("could not store %s; reloading the last stored state", key)
            self._load()
            raise
        self.conn.publish(reply_topic, reply, qos=1)
        self._after(effects, now)

    def _after(self, effects: Effects, now: datetime) -> None:
        """Tell the devices what changed: calls at once, the rest on the next refresh."""
        for ticket in effects.tickets.values():
            if ticket.state in (SERVED, NO_SHOW):
                self.estimator.observe(ticket)
        for event in effects.calls:
            self.last_seq += 1
            call = views.call_event(self.site, event, self.queue.tickets[event.ticket].number, self.last_seq)
            self.calls.insert(0, call)
            del self.calls[self.site.board.recent_calls + 1:]
            self._publish(self.topics.calls, call)
        for desk_id in effects.desks:
            self._publish_desk(desk_id, now)
        if effects.calls:
            self._publish_board(now)
        if effects.tickets or effects.desks:
            self._dirty = True

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
        self._publish(self.topics.alerts, {"at": now.isoformat(), "alerts": list(self.alerts.values())}, retain=True)

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

    def _tick(self, now: datetime) -> None:
        effects = self.queue.expire_due(now)
        if effects.events:
            self.store.apply(effects)
            self._after(effects, now)
        if self._dirty and self.conn.connected:
            self._refresh_estimates(now)
            for desk_id in self.site.desks:
                self._publish_desk(desk_id, now)
            self._publish_board(now)
            self._publish(self.topics.queue, views.queue_snapshot(self.queue, self.estimates, now), retain=True)
        stats = self.daily.today(now)
        if stats is not None and self.conn.connected:
            self._publish(self.topics.stats_daily, stats, retain=True)

    def _purge(self, now: datetime) -> None:
        for finished in self.daily.finish_past_days(now):  # the aggregates outlive the rows purged below
            self._publish(self.topics.stats_daily, finished)
        keep_from = schedule.local_day(self.site, now - timedelta(days=self.site.retention_days))
        dropped = self.store.purge(keep_from, now)
        self.queue.forget_before(schedule.local_day(self.site, now))
        if dropped:
            log.info("retention: aggregated and removed %d ticket rows before %s", dropped, keep_from)
