"""Feedback and today's statistics through a real Mosquitto and a real hub process."""
import json
import sqlite3

from reception import protocol
from tests.hub.test_hub_mqtt import command, reply_for, request, result_for

BASE = "reception/toender"
FEEDBACK = f"{BASE}/kiosk/kiosk-1/feedback"


def latest_stats(rec, predicate, timeout=20):
    """The newest stats/daily message that satisfies ``predicate`` (parsed through the contract)."""
    def found(msgs):
        for topic, payload in reversed(msgs):
            if topic.endswith("/stats/daily") and payload:
                message = protocol.DailyStatsMessage.from_payload(payload)
                return message if predicate(message) else None
    return rec.wait_for(found, timeout)


def answers(message):
    return sum(sum(f["scores"].values()) for f in message.aggregate["feedback"].values())


def test_feedback_sent_twice_is_stored_once_and_bad_answers_change_nothing(open_hub, recorder):
    hub = open_hub
    rec = recorder(f"{BASE}/#")
    good = {"v": 1, "id": "f-1", "score": 4, "tags": ["kind", "got_help"], "service": "mitid_learn"}
    rec.publish(FEEDBACK, good)
    rec.publish(FEEDBACK, good)  # QoS 1 may deliver twice, a kiosk may resend from its outbox
    for bad in (b"not json", {"v": 1, "id": "f-2", "score": 9}, {"v": 1, "id": "f-3", "score": 3, "tags": ["Jens"]},
                {"v": 1, "id": "f-4", "score": 2, "service": "nope"}, {"v": 1, "score": 2}, {"v": 2, "id": "f-5", "score": 1}):
        rec.publish(FEEDBACK, bad)
    rec.publish(f"{BASE}/kiosk/kiosk-2/feedback", {"v": 1, "id": "f-1", "score": 1})  # another kiosk's own f-1
    message = latest_stats(rec, lambda m: answers(m) >= 2)
    assert answers(message) == 2
    assert message.aggregate["feedback"] == {"mitid_learn": {"scores": {"4": 1}, "tags": {"got_help": 1, "kind": 1}},
                                             "-": {"scores": {"1": 1}, "tags": {}}}
    with sqlite3.connect(hub.db_path) as db:
        rows = db.execute("select key, score, tags, service from feedback order by key").fetchall()
    assert rows == [("kiosk-1/f-1", 4, "kind,got_help", "mitid_learn"), ("kiosk-2/f-1", 1, "", None)]
    log = hub.log()
    assert "score' must be 1 to 5" in log and "unknown feedback reason 'Jens'" in log and "unknown service 'nope'" in log


def test_live_figures_for_the_desk_consoles_follow_the_queue(open_hub, recorder):
    hub = open_hub
    rec = recorder(f"{BASE}/#")
    first = reply_for(rec, request(rec, service="passport"))["ticket"]["number"]
    reply_for(rec, request(rec, service="passport"))
    assert result_for(rec, command(rec, "desk-1", "next"))["ticket"] == first
    message = latest_stats(rec, lambda m: m.live.waiting == 1)
    assert (message.live.served, message.aggregate["reasons"]["passport"]["visits"]) == (0, 2)
    rec.publish(f"{BASE}/desk/desk-1/command", {"v": 1, "id": "done-1", "action": "done"})
    message = latest_stats(rec, lambda m: m.live.served == 1)
    assert message.live.waiting == 1 and message.live.avg_wait_min == 0.0  # called within the same minute
    retained = [json.loads(p) for t, p in rec.messages if t.endswith("/stats/daily")][-1]
    assert set(retained["live"]) == {"waiting", "served", "avg_wait_min"}
    with sqlite3.connect(hub.db_path) as db:  # today's aggregate is kept in the hub's file as well
        assert db.execute("select site, final from day_stats").fetchall() == [("toender", 0)]
