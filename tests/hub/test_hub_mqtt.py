"""The hub driven only through a real Mosquitto, as the devices drive it."""
import json
import sqlite3
import uuid
import pytest

from reception import clock


BASE = "reception/toender"


def request(rec, kiosk="kiosk-1", rid=None, **fields):
    rid = rid or uuid.uuid4().hex
    rec.publish(f"{BASE}/kiosk/{kiosk}/ticket/request", {"v": 1, "id": rid, **fields})
    return rid


def answer_for(rec, suffix, message_id, timeout=10):
    """The hub's answer (a ticket reply or a desk result) to the message with this id."""
    def found(msgs):
        for topic, payload in msgs:
            if topic.endswith(suffix):
                body = json.loads(payload)
                if body["id"] == message_id:
                    return body
    return rec.wait_for(found, timeout)


def reply_for(rec, rid, timeout=10):
    return answer_for(rec, "/ticket/reply", rid, timeout)


def command(rec, desk, action, cid=None, **fields):
    cid = cid or uuid.uuid4().hex
    rec.publish(f"{BASE}/desk/{desk}/command", {"v": 1, "id": cid, "action": action, **fields})
    return cid


def result_for(rec, cid, timeout=10):
    return answer_for(rec, "/result", cid, timeout)


def tickets_in_db(hub):
    with sqlite3.connect(hub.db_path) as db:
        return db.execute("select number, state, service from tickets order by number").fetchall()


def calls(rec):
    return [(c["type"], c["number"], c["desk"]) for c in rec.json("/calls")]


@pytest.fixture
def rec(hub, recorder):
    return recorder(f"{BASE}/#")


def test_issue_a_ticket_and_a_repeated_request_gets_the_same_ticket_once(hub, rec):
    rid = request(rec, service="passport")
    first = reply_for(rec, rid)
    assert first["ok"] and first["ticket"]["number"] == "C001" and first["ticket"]["preference"] == "staff"
    request(rec, rid=rid, service="passport")  # QoS 1 may deliver twice; a kiosk may resend
    rec.wait_for(lambda msgs: len([m for m in msgs if m[0].endswith("/ticket/reply")]) == 2)
    assert all(r == first for r in rec.json("/ticket/reply"))
    assert tickets_in_db(hub) == [("C001", "waiting", "passport")]


def test_a_whole_visit_call_recall_transfer_done(hub, rec):
    learn = reply_for(rec, request(rec, service="mitid_learn", preference="volunteer"))["ticket"]["number"]
    passport = reply_for(rec, request(rec, service="passport"))["ticket"]["number"]
    assert result_for(rec, command(rec, "vol-1", "open"))["ok"]
    assert result_for(rec, command(rec, "desk-1", "open"))["ok"]

    assert result_for(rec, command(rec, "vol-1", "next"))["ticket"] == learn
    assert result_for(rec, command(rec, "desk-1", "next"))["ticket"] == passport
    assert result_for(rec, command(rec, "vol-1", "recall"))["ok"]
    rec.wait_for(lambda m: len(calls(rec)) == 3)
    assert calls(rec) == [("call", learn, "vol-1"), ("call", passport, "desk-1"), ("recall", learn, "vol-1")]

    # The volunteer hands over to staff: the citizen keeps the place from the original arrival.
    assert result_for(rec, command(rec, "vol-1", "transfer", to_kind="staff", service="mitid_get"))["ok"]
    assert result_for(rec, command(rec, "desk-1", "done"))["ok"]
    late = reply_for(rec, request(rec, service="mitid_get"))["ticket"]["number"]
    assert result_for(rec, command(rec, "desk-1", "next"))["ticket"] == learn
    assert result_for(rec, command(rec, "desk-1", "noshow"))["ok"]

    def desk_state(msgs):
        states = [json.loads(p) for t, p in msgs if t == f"{BASE}/desk/desk-1/state"]
        return states and states[-1]["current"] is None and states[-1]["next"][0]["number"] == late and states[-1]
    assert rec.wait_for(desk_state)["status"] == "open"
    board = rec.wait_for(lambda msgs: [json.loads(p) for t, p in msgs if t == f"{BASE}/board"][-1:])[0]
    assert [c["number"] for c in board["calls"]] == [learn, passport]  # each number once: no gap on the board
    assert "mitid_learn" not in json.dumps(board["calls"]), "the board never learns why someone came"
    states = dict((n, s) for n, s, _ in tickets_in_db(hub))
    assert states == {learn: "no_show", passport: "served", late: "waiting"}


def test_the_same_command_twice_calls_once_and_answers_twice(hub, rec):
    for _ in range(3):
        reply_for(rec, request(rec, service="moving"))
    cid = command(rec, "desk-2", "next")
    first = result_for(rec, cid)
    command(rec, "desk-2", "next", cid=cid)
    rec.wait_for(lambda msgs: len([1 for t, p in msgs if t.endswith("/result") and json.loads(p)["id"] == cid]) == 2)
    assert len(calls(rec)) == 1 and first["ticket"] == "F001"
    assert [s for _, s, _ in tickets_in_db(hub)] == ["called", "waiting", "waiting"]


def test_a_double_press_never_skips_a_citizen(hub, rec):
    for _ in range(2):
        reply_for(rec, request(rec, service="moving"))
    first = result_for(rec, command(rec, "desk-1", "next"))
    second = result_for(rec, command(rec, "desk-1", "next"))  # a second press, a new id, within the guard
    assert first["ticket"] == second["ticket"] == "F001"
    assert [s for _, s, _ in tickets_in_db(hub)] == ["called", "waiting"]


@pytest.mark.parametrize("topic,payload,reason", [
    (f"{BASE}/kiosk/kiosk-1/ticket/request", b"{not json", "not JSON"),
    (f"{BASE}/kiosk/kiosk-1/ticket/request", b'{"v":2,"id":"x","service":"passport"}', "unsupported version"),
    (f"{BASE}/kiosk/kiosk-1/ticket/request", b'{"v":1,"id":"x","service":"passport","extras":["vip"]}', "vip"),
    (f"{BASE}/desk/desk-1/command", b'{"v":1,"id":"x","action":"explode"}', "must be one of"),
    (f"{BASE}/desk/desk-1/command", b'{"v":1,"action":"next"}', "missing field 'id'"),
    (f"{BASE}/desk/desk-99/command", b'{"v":1,"id":"x","action":"next"}', "unknown desk"),
])
def test_malformed_messages_are_logged_with_a_reason_and_change_nothing(hub, rec, topic, payload, reason):
    reply_for(rec, request(rec, service="passport"))
    rec.publish(topic, payload)
    marker = request(rec, service="moving")  # processed after the bad one: the hub is still working
    reply_for(rec, marker)
    assert reason in hub.log()
    assert tickets_in_db(hub) == [("C001", "waiting", "passport"), ("F001", "waiting", "moving")]
    assert not calls(rec)


def test_unknown_service_is_answered_with_an_error(hub, rec):
    reply = reply_for(rec, request(rec, service="lottery"))
    assert reply == {"v": 1, "id": reply["id"], "ok": False, "error": "unknown service 'lottery'"}
    assert tickets_in_db(hub) == []


def test_sigkill_in_a_burst_loses_and_doubles_nothing(hub, recorder):
    """Kill the hub while 60 requests pour in; restart it; every request gets exactly one ticket."""
    rec = recorder(f"{BASE}/kiosk/+/ticket/reply")
    ids = [uuid.uuid4().hex for _ in range(60)]
    for i, rid in enumerate(ids):
        rec.conn.publish(f"{BASE}/kiosk/kiosk-{1 + i % 2}/ticket/request",
                         json.dumps({"v": 1, "id": rid, "service": "passport"}).encode(), qos=1)
        if i == 25:
            rec.wait_for(lambda msgs: len(msgs) >= 5)
            hub.kill()
    acknowledged = {r["id"]: r["ticket"]["number"] for r in rec.json("/ticket/reply")}
    assert 0 < len(acknowledged) < len(ids), "the kill should land mid-burst"
    hub.start()  # the broker kept the unacknowledged requests in the hub's persistent session
    rec.wait_for(lambda msgs: {json.loads(p)["id"] for _t, p in msgs} >= set(ids), timeout=20)
    replies = {}
    for r in rec.json("/ticket/reply"):
        assert replies.setdefault(r["id"], r["ticket"]["number"]) == r["ticket"]["number"], "one id, two tickets"
    assert all(replies[rid] == number for rid, number in acknowledged.items())
    numbers = [n for n, _s, _svc in tickets_in_db(hub)]
    assert len(numbers) == len(ids) == len(set(numbers))
    assert sorted(numbers) == sorted(replies.values())


def test_state_survives_a_restart_and_devices_see_offline_then_online(hub, recorder):
    rec = recorder(f"{BASE}/#")
    reply_for(rec, request(rec, service="passport"))
    reply_for(rec, request(rec, service="passport"))
    assert result_for(rec, command(rec, "desk-1", "next"))["ticket"] == "C001"
    hub.kill()
    rec.wait_for(lambda msgs: any(t.endswith("hub/available") and json.loads(p)["status"] == "offline"
                                  for t, p in msgs))
    hub.start()
    watcher = recorder(f"{BASE}/desk/desk-1/state", f"{BASE}/board")  # retained state is back at once
    state = watcher.wait_for(lambda msgs: [json.loads(p) for t, p in msgs if t.endswith("/state")])[0]
    assert state["status"] == "open" and state["current"]["number"] == "C001"
    board = watcher.wait_for(lambda msgs: [json.loads(p) for t, p in msgs if t.endswith("/board")])[0]
    assert board["calls"][0]["number"] == "C001" and board["calls"][0]["seq"] == 1
    assert reply_for(rec, request(rec, service="passport"))["ticket"]["number"] == "C003"
    assert result_for(rec, command(rec, "desk-2", "next"))["ticket"] == "C002"
    rec.wait_for(lambda msgs: len(calls(rec)) == 2)
    assert [c["seq"] for c in rec.json("/calls")] == [1, 2], "call numbers go on after a restart"


def test_an_offline_ticket_that_replaces_an_unanswered_request_withdraws_the_ghost(hub, rec):
    """The kiosk gave up waiting for r1 and printed C901 itself; the hub's C001 for r1 has no holder."""
    assert reply_for(rec, request(rec, rid="r1", service="passport"))["ticket"]["number"] == "C001"
    issued_at = clock.from_env()().isoformat()  # the suite's clock: the same day as the hub's
    handed = reply_for(rec, request(rec, rid="r1-offline", service="passport", offline_number="C901",
                                    issued_at=issued_at, replaces="r1"))
    assert handed["ok"] and handed["ticket"]["number"] == "C901"
    assert dict((n, s) for n, s, _ in tickets_in_db(hub)) == {"C001": "expired", "C901": "waiting"}
    # Another kiosk cannot withdraw kiosk-1's tickets.
    reply_for(rec, request(rec, rid="r2", service="moving"))
    reply_for(rec, request(rec, kiosk="kiosk-2", rid="x", service="moving", offline_number="F951",
                           issued_at=issued_at, replaces="r2"))
    assert dict((n, s) for n, s, _ in tickets_in_db(hub))["F001"] == "waiting"


def first_visit_in_db(hub, number):
    with sqlite3.connect(hub.db_path) as db:
        return db.execute("select first_visit from tickets where number = ?", [number]).fetchone()[0]


def test_first_visit_answered_on_the_ticket_screen_is_stored_with_that_kiosks_ticket_once(hub, rec):
    number = reply_for(rec, request(rec, service="passport"))["ticket"]["number"]
    topic = f"{BASE}/kiosk/kiosk-1/ticket/first_visit"
    rec.publish(topic, {"v": 1, "id": "fv-1", "number": number, "first_visit": False})
    rec.publish(f"{BASE}/kiosk/kiosk-2/ticket/first_visit", {"v": 1, "id": "fv-2", "number": number,
                                                             "first_visit": True})  # not kiosk-2's ticket
    rec.publish(topic, {"v": 1, "id": "fv-3", "number": number, "first_visit": "yes"})  # not a boolean
    marker = request(rec, service="moving")  # handled after the answers above: they are stored by then
    reply_for(rec, marker)
    assert first_visit_in_db(hub, number) == 0


def test_calls_in_a_burst_of_requests_each_ticket_stored_as_issued_before_called_across_a_kill(hub, rec):
    """Tickets issued together get their waits from one estimate pass; a desk may call one of them at once:
    its issue is still stored first, and a kill mid-burst doubles and loses nothing."""
    desks = ("desk-1", "desk-2", "desk-3", "room-1")
    ids, nexts = [uuid.uuid4().hex for _ in range(40)], []
    for i, rid in enumerate(ids):
        rec.conn.publish(f"{BASE}/kiosk/kiosk-1/ticket/request",
                         json.dumps({"v": 1, "id": rid, "service": "passport"}).encode(), qos=1)
        if i % 4 == 3:
            nexts.append(uuid.uuid4().hex)
            rec.conn.publish(f"{BASE}/desk/{desks[i // 4 % 4]}/command",
                             json.dumps({"v": 1, "id": nexts[-1], "action": "next"}).encode(), qos=1)
        if i == 20:
            rec.wait_for(lambda msgs: sum(t.endswith("/ticket/reply") for t, _p in msgs) >= 3)
            hub.kill()
    hub.start()
    rec.wait_for(lambda _m: {r["id"] for r in rec.json("/ticket/reply")} >= set(ids)
                 and {r["id"] for r in rec.json("/result")} >= set(nexts), timeout=20)
    replies = {r["id"]: r["ticket"] for r in rec.json("/ticket/reply")}
    assert all(t["eta_min"] is not None or t["ahead"] == 0 for t in replies.values())
    with sqlite3.connect(hub.db_path) as db:
        order = db.execute("select ticket, group_concat(kind) from (select * from events order by id) "
                           "where kind in ('issued', 'called') group by ticket").fetchall()
        numbers = [n for (n,) in db.execute("select number from tickets")]
    assert len(numbers) == len(set(numbers)) == len(ids)
    assert sorted(numbers) == sorted(t["number"] for t in replies.values())
    called = [kinds for _t, kinds in order if "called" in kinds]
    assert called and all(kinds == "issued,called" for kinds in called), order
    answered = {r["id"]: r.get("ticket") for r in rec.json("/result") if r["id"] in nexts}
    assert len({n for n in answered.values() if n}) == len(called) >= 3  # a quick second next repeats the first
