"""The estimate off the hot path: a refresh plays a long queue forward holding only the estimator's lock,
so calls and new tickets go on meanwhile, and a batch of new tickets is answered without the queue's lock."""
import json
import threading
import time
from datetime import timedelta

import pytest

from hub import housekeeping, pipeline
from hub.locks import LockOrderError
from tests.hub.in_process import (T0, commits_held, deliver, eventually, published, queue_held_elsewhere,
                                  running_hub)


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """desk-1 open and two tickets waiting, the flusher and syncer running."""
    with running_hub(tmp_path, monkeypatch, waiting=2) as hub:
        yield hub


@pytest.fixture
def refresh_in_play(hub, monkeypatch):
    """A refresh stopped in the middle of its play (``finish``) until the test lets it go on."""
    entered, go_on = threading.Event(), threading.Event()
    finish = hub.estimator.finish

    def held_finish(prepared, pause=None):
        entered.set()
        assert go_on.wait(10), "the test never let the refresh go on"
        return finish(prepared, pause)
    monkeypatch.setattr(hub.estimator, "finish", held_finish)
    refresh = threading.Thread(target=hub.housekeeping.refresh_and_publish, args=(T0,))
    refresh.start()
    assert entered.wait(5), "the refresh never started its play"
    yield go_on
    go_on.set()
    refresh.join(10)
    assert not refresh.is_alive()


def replied(hub, request_id: str) -> bool:
    return bool(published(hub, "/ticket/reply", request_id))


def test_a_call_reaches_the_board_while_a_refresh_plays(hub, refresh_in_play):
    deliver(hub, "desk/desk-1/command", {"id": "c-1", "action": "next"})
    assert eventually(lambda: any(topic.endswith("/calls") for topic, _p in list(hub.published))), \
        "the call waited for the refresh's play"
    assert hub.state.calls[0].number == "C001"


def test_a_ticket_issued_while_a_refresh_plays_is_answered_once_it_is_done(hub, refresh_in_play):
    deliver(hub, "kiosk/kiosk-1/ticket/request", {"id": "r-3", "service": "passport"})
    time.sleep(0.2)
    assert not replied(hub, "r-3"), "the pass did not wait for the estimator the refresh holds"
    with hub.locks.queue():  # the intake left the queue's lock free: its next messages go on
        assert "C003" in {t.number for t in hub.state.queue.waiting()}
    refresh_in_play.set()
    assert eventually(lambda: replied(hub, "r-3")), "the pass held back by the refresh never ran"
    reply = next(json.loads(p) for t, p in hub.published if t.endswith("/ticket/reply") and b'"r-3"' in p)
    assert reply["ok"] and reply["ticket"]["number"] == "C003" and reply["ticket"]["eta_min"] is not None


def test_new_tickets_are_answered_while_the_queue_is_held_elsewhere(hub, monkeypatch):
    disk = commits_held(hub, monkeypatch)
    deliver(hub, "kiosk/kiosk-1/ticket/request", {"id": "r-3", "service": "passport"})
    with queue_held_elsewhere(hub):
        disk.set()
        assert eventually(lambda: replied(hub, "r-3")), "the answer waited for the queue's lock"


def test_the_queue_lock_is_never_taken_under_the_estimators(hub):
    with hub.locks.estimator():
        with pytest.raises(LockOrderError):
            with hub.locks.queue():
                pass
    with hub.locks.queue(), hub.locks.estimator(), hub.locks.queue():  # held already: taking it again is fine
        pass


def test_a_visit_that_ended_is_learned_at_the_next_estimate_not_on_the_calls_way(hub):
    learned = []
    observe = hub.estimator.observe
    hub.estimator.observe = lambda ticket: (learned.append(ticket.number), observe(ticket))
    deliver(hub, "desk/desk-1/command", {"id": "c-1", "action": "next"})
    hub.now[0] = T0 + timedelta(minutes=6)
    deliver(hub, "desk/desk-1/command", {"id": "c-2", "action": "next"})  # C001 served
    assert eventually(lambda: len(hub.state.calls) == 2)
    assert learned == []
    hub.housekeeping.refresh_and_publish(hub.now[0])
    assert learned == ["C001"]


def test_a_refreshs_views_go_after_the_calls_being_stored(hub, monkeypatch):
    monkeypatch.setattr(pipeline, "CALLS_FIRST_S", 10.0)  # a wait that does not end shows as a hang
    disk = commits_held(hub, monkeypatch)
    deliver(hub, "desk/desk-1/command", {"id": "c-1", "action": "next"})  # staged; the disk holds it
    hub.published.clear()
    refresh = threading.Thread(target=hub.housekeeping.refresh_and_publish, args=(T0,))
    refresh.start()
    time.sleep(0.2)
    assert hub.published == [], "a view went out before the call being stored"
    disk.set()
    refresh.join(10)
    topics = [t.rsplit("/", 1)[-1] for t, _p in hub.published]
    assert "calls" in topics and "queue" in topics and topics.index("calls") < topics.index("queue")


def test_todays_figures_are_read_without_the_queues_lock_on_a_connection_of_their_own(hub, monkeypatch):
    monkeypatch.setattr(type(hub.conn), "connected", property(lambda _self: True))
    assert hub.housekeeping.daily.reader.db.conn is not hub.store.db.conn
    with queue_held_elsewhere(hub):
        done = threading.Thread(target=hub.housekeeping.daily_stats, args=(T0,))
        done.start()
        done.join(5)
        assert not done.is_alive(), "today's figures waited for the queue's lock"
    stats = published(hub, "/stats/daily")
    assert stats and stats[-1]["live"]["waiting"] == 2


def test_a_ticket_issued_while_a_refresh_plays_is_answered_at_the_plays_next_pause(hub, monkeypatch):
    pause_now, paused, go_on = threading.Event(), threading.Event(), threading.Event()
    finish = hub.estimator.finish

    def long_play(prepared, pause=None):
        assert pause_now.wait(10)
        pause()  # what the play does every few steps
        paused.set()
        assert go_on.wait(10)
        return finish(prepared, pause)
    monkeypatch.setattr(hub.estimator, "finish", long_play)
    refresh = threading.Thread(target=hub.housekeeping.refresh_and_publish, args=(T0,))
    refresh.start()
    try:
        deliver(hub, "kiosk/kiosk-1/ticket/request", {"id": "r-3", "service": "passport"})
        assert not replied(hub, "r-3")
        pause_now.set()
        assert paused.wait(5)
        assert eventually(lambda: replied(hub, "r-3")), "the waiting pass did not run at the play's pause"
        assert refresh.is_alive(), "the refresh should still be playing"
    finally:
        go_on.set()
        refresh.join(10)


def test_a_refreshs_play_lets_the_call_being_stored_onto_the_board_first(hub, monkeypatch):
    monkeypatch.setattr(housekeeping, "CALLS_FIRST_PAUSE_S", 10.0)  # a wait that does not end shows as a hang
    disk = commits_held(hub, monkeypatch)
    deliver(hub, "desk/desk-1/command", {"id": "c-1", "action": "next"})  # staged; the disk holds it
    pause = threading.Thread(target=hub.housekeeping._give_way)  # as a refresh's play does every few steps
    pause.start()
    time.sleep(0.2)
    assert pause.is_alive(), "the play went on while a call waited to be stored"
    disk.set()
    pause.join(5)
    assert not pause.is_alive() and published(hub, "/calls")
