"""The commit pipeline: nothing is announced before it is stored, nothing answered or acknowledged
before the disk has it.

A handler *stages* what a message changed (``Pending``).  The flusher thread commits
everything staged in one transaction (group commit) and announces the new state; once
the disk has it (``hub.syncer``: one fsync for all batches committed meanwhile, on a
thread of its own) the replies are sent and only then the MQTT acknowledgements.  A
command is stored with its reply, and the replies of recent commands are kept here
(``Answers``), so a repeated command is answered again instead of applied twice.  A new
ticket's answer waits for one estimate pass for all tickets issued together
(``hub.issued``).  Calls go first: the flusher takes staged work under a lock of its own,
and a pass (or refresh) that would hold the queue's lock while calls are being stored
waits until they are on the board (``finish_issued_locked``, ``after_calls``).
"""
from __future__ import annotations

import logging
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from reception.mqtt import Connection

from hub import issued
from hub.core.model import Effects
from hub.issued import Issued, IssuedGroup
from hub.locks import HubLocks
from hub.state import HubState
from hub.store import Change, Store
from hub.syncer import Syncer

if TYPE_CHECKING:
    from hub.publisher import Publisher

log = logging.getLogger(__name__)

FLUSH_SECONDS = 0.5  # the flusher looks for staged work at least this often
ANSWER_CACHE = 20_000  # answers to recent command ids kept in memory; older ones are looked up in the store
CALLS_FIRST_S = 0.05  # an estimate pass waits at most this long for the calls being stored to be announced


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
    after: Callable[[], None] | None = None  # to publish once it is stored (under the queue's lock)


class Answers:
    """The answers given to recent commands (by command key): memory first, then the store."""

    def __init__(self, store: Store, locks: HubLocks, size: int = ANSWER_CACHE):
        self.store, self.locks, self.size = store, locks, size
        self._answers: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._complete = False  # True: a command not in memory is a new one

    def load(self) -> None:
        with self.locks.db():
            recent = self.store.recent_answers(self.size)
        for key, topic, reply in reversed(recent):
            self.remember(key, topic, reply)
        self._complete = len(recent) < self.size

    def get(self, key: str) -> tuple[str, bytes] | None:
        answer = self._answers.get(key)
        if answer is None and not self._complete:
            with self.locks.db():
                answer = self.store.handled(key)
        return answer

    def remember(self, key: str, topic: str | None, reply: bytes | None) -> None:
        self._answers[key] = (topic and sys.intern(topic), reply)  # a few topics, shared by thousands of answers
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
            self._complete = False

    def forget(self) -> None:
        """After a failed write: what is in memory may never have been stored."""
        self._answers.clear()
        self._complete = False


class CommitPipeline:
    def __init__(self, state: HubState, store: Store, locks: HubLocks, conn: Connection, *,
                 publisher: "Publisher"):
        """``publisher`` tells the devices what a committed batch changed."""
        self.state, self.store, self.locks, self.conn, self._publisher = state, store, locks, conn, publisher
        self.answers = Answers(store, locks)
        self._batch: list[Pending] = []  # staged, not yet taken by the flusher (``_staged`` guards it)
        self._staged = threading.Condition()  # the flusher takes the batch without waiting for the queue's lock
        self._calls_staged = self._calls_done = 0  # calls staged, and announced (or dropped), so far
        self._pass_after: int | None = None  # a group's estimate pass runs once this many are done
        self._issued = IssuedGroup()  # issued since the last estimate pass
        self._pass_wanted = False  # a pass found the estimator busy with a refresh (``finish_wanted``)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hub-flusher", daemon=True)
        self.syncer: Syncer[list[Pending]] = Syncer(store, send=self._answer, failed=self._disk_failed)

    def start(self) -> None:
        self.syncer.start()
        self._thread.start()

    def stop(self) -> None:
        """Commit whatever was staged last; the caller has stopped the intake."""
        self._stop.set()
        self._wake.set()
        self.finish_issued_now()
        if self._thread.is_alive():
            self._thread.join(5)
        self.flush()
        self.syncer.stop()

    # -- staging (under the queue's lock) -----------------------------------

    def stage(self, pending: Pending) -> None:
        """Queue a handled message for the flusher; calls get their number here.
        A change to a ticket issued moments ago waits for that ticket's issue: it is stored first."""
        if self._issued.touched_by(pending.effects):
            self.finish_issued()
        self.state.number_calls(pending.effects)
        with self._staged:
            self._batch.append(pending)
            self._calls_staged += len(pending.effects.calls)
        if pending.key:
            self.answers.remember(pending.key, pending.reply_topic, pending.reply)
        self._wake.set()

    def issue(self, item: Issued) -> None:
        """A new ticket: answered after the group's estimate pass (at once if the estimator has none)."""
        self._issued.add(item)
        if not issued.together(self.state.estimator):
            self.finish_issued()

    def finish_issued_locked(self) -> None:
        """The intake's group end: the estimate pass, or, while calls staged before it are still being
        stored, a note for the flusher to run it once they are on the board (the pass holds the queue's
        lock for milliseconds, and the board waits for that lock); the intake goes on meanwhile."""
        with self._staged:
            if self._calls_done < self._calls_staged and self._issued.items and self._thread.is_alive():
                self._pass_after = self._pass_after or self._calls_staged  # later calls do not hold it back
                return
        self.finish_issued_now(wait=False)

    def finish_issued_now(self, *, wait: bool = True) -> None:
        with self.locks.queue():
            self.finish_issued(wait=wait)

    @property
    def pass_wanted(self) -> bool:
        """Whether a group's pass found the estimator busy (with a refresh) and waits for it."""
        return self._pass_wanted

    def finish_wanted(self) -> None:
        """The pass that a refresh held back (``finish_issued`` without ``wait``), now that it lets go."""
        if self._pass_wanted:
            self.finish_issued_now()

    def after_calls(self, at_most: float | None = None) -> None:
        """Wait (briefly) until the calls staged so far are announced: work that holds the queue's lock
        for milliseconds (an estimate pass, a refresh) would hold a call back from the board that long."""
        # Not if nobody stores them meanwhile (a hub tested without its threads), nor if this thread holds the
        # queue's lock that their announcement needs (a refresh after a setup change, on the flusher).
        if self._thread.is_alive() and not self.locks.holds_queue():
            with self._staged:
                staged = self._calls_staged
                self._staged.wait_for(lambda: self._calls_done >= staged, at_most or CALLS_FIRST_S)

    def finish_issued(self, *, wait: bool = True) -> None:
        """One estimate pass for every ticket issued since the last (with the estimator's lock), then their
        answers are staged.  Without ``wait``, a pass that would wait for a refresh's play is left for the
        refresh to run when it is done (``finish_wanted``); the intake goes on meanwhile."""
        if not self._issued.items:
            return
        self._pass_wanted = True  # before trying: a refresh letting go just now finds it set
        if not self.locks.take_estimator(wait):
            return
        try:
            self._pass_wanted = False
            self.state.learn_finished()
            answers = list(self._issued.answers(self.state.estimator, self.state.queue, self.state.clock()))
        finally:
            self.locks.let_go_estimator()
        for item, reply in answers:
            self.stage(Pending(item.effects, item.at, item.key, item.reply_topic, reply, item.ack,
                               statements=item.statements))

    def answer_again(self, key: str, ack, now: datetime) -> bool:
        """A command seen before: answer it again (after the next commit, so the original is stored too)."""
        answer = self.answer_to(key)
        if answer is None:
            return False
        log.info("repeated command %s answered again", key)
        self.stage(Pending(Effects(), now, None, answer[0], answer[1], ack))
        return True

    def answer_to(self, key: str) -> tuple[str, bytes] | None:
        """The answer given to a command before: from memory, else from the store."""
        if key in self._issued.keys:  # issued moments ago: its answer is made now
            self.finish_issued()
        return self.answers.get(key)

    # -- committing (the flusher) -----------------------------------------

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(FLUSH_SECONDS)
            self._wake.clear()
            try:
                self.flush()
            except Exception:
                log.exception("flush failed")

    def flush(self) -> None:
        """Commit everything staged in one transaction, then announce, answer and acknowledge it."""
        with self._staged:  # not the queue's lock: a call is stored while an estimate pass runs
            batch, self._batch = self._batch, []
        if not batch:
            return
        try:
            if not self._store(batch):
                return
            if not self._publisher.needs_queue(batch):
                self._publisher.note(batch)
            else:
                with self.locks.queue():  # state first: a device that reads its answer finds its new state already there
                    self._publisher.announce(batch)
                    for p in batch:
                        if p.after:
                            p.after()
        finally:
            self._announced(batch)
        self.syncer.add(batch)

    def _answer(self, batch: list[Pending]) -> None:
        """Replies and acknowledgements of a batch the disk has (``hub.syncer``)."""
        for p in batch:
            if p.reply_topic:
                self.conn.publish(p.reply_topic, p.reply, qos=1)
            if p.ack:
                p.ack()

    def _disk_failed(self) -> None:
        """Committed, but maybe not on disk: unanswered and unacknowledged, so the broker delivers those
        messages again, and each is answered from the store."""
        self.conn.reconnect()

    def _store(self, batch: list[Pending]) -> bool:
        """One transaction for the batch; if it fails, back to the stored state (False)."""
        try:
            with self.locks.db():
                self.store.apply_group(Change(p.effects, p.key, p.reply_topic, p.reply, p.at, p.statements)
                                       for p in batch)
            return True
        except Exception:
            log.exception("could not store %d changes; going back to the stored state", len(batch))
            self._recover()
            return False

    def _announced(self, batch: list[Pending]) -> None:
        """The batch's calls are on the board (or never will be: not stored); a pass that waited for
        them runs now."""
        with self._staged:
            self._calls_done += sum(len(p.effects.calls) for p in batch)
            due = self._pass_after is not None and self._calls_done >= self._pass_after
            self._pass_after = None if due else self._pass_after
            self._staged.notify_all()
        if due:
            self.finish_issued_now(wait=False)

    def _recover(self) -> None:
        """Back to the stored state; unacknowledged messages come again, onto it."""
        with self.locks.queue():
            self.answers.forget()
            self._issued.clear()
            with self._staged:
                self._announced(self._batch)  # dropped: their messages come again
                self._batch.clear()
            self.state.load()
        self.conn.reconnect()
