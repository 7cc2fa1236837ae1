"""What the hub tells the devices: the retained state (desks, board, queue) and the calls.

Called under the queue's lock, so a view never shows a queue half changed.  The
views themselves are pure functions in ``hub.views``; this only publishes them.
"""
from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Callable, Iterator

from reception import protocol
from reception.config import Site
from reception.mqtt import Connection
from reception.protocol import Topics

from hub import checkins, views
from hub.core.model import NO_SHOW, SERVED, Ticket
from hub.state import HubState
from hub.status_feed import StatusFeed

if TYPE_CHECKING:
    from hub.pipeline import Pending


class Publisher:
    def __init__(self, topics: Topics, conn: Connection, state: HubState):
        self.topics, self.conn, self.state = topics, conn, state
        self.feed = StatusFeed()
        self._slots: tuple | None = None  # the time list last published

    @property
    def site(self) -> Site:
        """The site file with today's setup (``hub.setup``): what the views show."""
        return self.state.site

    def publish(self, topic: str, message: protocol.Message, *, retain: bool = False) -> None:
        self.conn.publish(topic, message.to_payload(), qos=1, retain=retain)

    def desk(self, desk_id: str, now: datetime) -> None:
        self.publish(self.topics.desk_state(desk_id), views.desk_state(self.site, self.state.queue, desk_id, now),
                     retain=True)

    def board(self, now: datetime) -> None:
        state = self.state
        self.publish(self.topics.board, views.board_snapshot(self.site, state.queue, state.estimates, state.calls, now),
                     retain=True)

    def all_views(self, now: datetime) -> None:
        """Every desk's state, the board, the queue and the time list, as they stand (inside ``queue.steady()``);
        the status pages' list when a ticket with a page joined or left it, and the near events the
        queue's new order brings."""
        for step in self.view_steps(now):
            send = step()
            if send:
                send()

    def view_steps(self, now: datetime) -> list[Callable[[], Callable[[], None] | None]]:
        """``all_views`` in steps, each a view consistent in itself: a refresh takes the queue's lock for
        one at a time, so a call waits for one view at most (a long queue's snapshot takes milliseconds).
        A step returns what is left to send once the lock is let go: the long messages that only the
        refresh publishes (a desk's state and the board, which a call's announcement publishes too, go
        out at once, so that an older one never follows a newer)."""
        return [*(partial(self.desk, desk_id, now) for desk_id in self.site.desks), partial(self.board, now),
                partial(self.queue, now), partial(self.appointments, now), partial(self._status_pages_if_due, now)]

    def queue(self, now: datetime) -> Callable[[], None]:
        """The retained queue, and the near events its new order brings: made now, sent by the function
        returned (their JSON, milliseconds for a long queue, needs no lock)."""
        queue = self.state.queue
        snapshot = views.queue_snapshot(queue, self.state.estimates, now)
        near = self.feed.near(self.site, queue.waiting(), snapshot, now)
        return partial(self._send, [(self.topics.queue, snapshot, True), *((self.topics.near, e, False) for e in near)])

    def _send(self, messages: list[tuple[str, protocol.Message, bool]]) -> None:
        for topic, message, retain in messages:
            self.publish(topic, message, retain=retain)

    def _status_pages_if_due(self, now: datetime) -> Callable[[], None] | None:
        if self.feed.changed:  # a ticket with a page joined or left the queue (``announce``): not on the call's path
            return self.status_pages_message(now)
        return None

    def appointments(self, now: datetime, *, always: bool = False) -> None:
        """The kiosks' retained time list, when it changed since last published (or ``always``)."""
        message = checkins.slots_message(self.state.bookings, self.state.queue.day(now), now)
        if always or message.slots != self._slots:
            self.publish(self.topics.appointments, message, retain=True)
            self._slots = message.slots

    def status_pages(self, now: datetime, *, again: bool = False) -> None:
        """The retained list of open tickets with a status page, when it changed (or ``again``: on a connect)."""
        if again:
            self.feed.published = None
        send = self.status_pages_message(now)
        if send:
            send()

    def status_pages_message(self, now: datetime) -> Callable[[], None] | None:
        """The status pages' list when it changed, to send by the function returned (up to 256 KiB of JSON)."""
        links = self.feed.links(self.site, self.state.queue.tickets.values(), now)
        return None if links is None else partial(self._send, [(self.topics.status_pages, links, True)])

    @staticmethod
    def needs_queue(batch: list["Pending"]) -> bool:
        """Whether announcing the batch reads the queue: calls, desks, visits ended or more to publish.
        A batch of new tickets only marks the estimates out of date, without waiting for the queue's
        lock (an estimate pass may hold it for milliseconds)."""
        return any(p.effects.calls or p.effects.desks or p.after or any(_finished(p)) for p in batch)

    def note(self, batch: list["Pending"]) -> None:
        """What any batch changes beyond what it announces: the estimates out of date, the status pages'
        list perhaps (both for the next refresh)."""
        for p in batch:
            if p.effects.tickets or p.effects.desks:
                self.state.dirty = True
            self.feed.note(p.effects.tickets.values())

    def announce(self, batch: list["Pending"]) -> None:
        """Tell the devices what a committed batch changed: every call, then each changed desk and
        the board once (a burst costs one snapshot, not one each); the rest on the next refresh."""
        desks: dict[str, None] = {}
        called = False
        for p in batch:
            self._observe_finished(p)
            for event in p.effects.calls:
                ticket = self.state.queue.tickets[event.ticket]
                call = views.call_event(self.site, event.kind, ticket.number, event.desk, event.at, event.seq,
                                        ticket.lang)
                self.state.add_call(call)
                self.publish(self.topics.calls, call)
                called = True
            desks.update(dict.fromkeys(p.effects.desks))
        self.note(batch)
        at = batch[-1].at  # never earlier than any call listed
        with self.state.queue.steady():
            for desk_id in desks:
                self.desk(desk_id, at)
            if called:
                self.board(at)

    def _observe_finished(self, p: "Pending") -> None:
        """The estimator learns from every visit that ended (at its next use: ``HubState.finished``)."""
        for ticket in _finished(p):
            self.state.finished(ticket)


def _finished(p: "Pending") -> Iterator[Ticket]:
    """The visits this change ended: by its events, not by the tickets' states now (a ticket called in one
    batch may be served before that batch is announced: it ended once, in the later one)."""
    for event in p.effects.events:
        if event.kind in (SERVED, NO_SHOW) and event.ticket in p.effects.tickets:
            yield p.effects.tickets[event.ticket]
