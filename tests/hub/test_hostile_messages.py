"""Hostile and broken messages sent through a real Mosquitto to a real hub, as anyone on the broker could.

Each is refused with one short line in the hub's log, is not answered, changes nothing,
and the hub serves the next good message.
"""
import json
import sqlite3
import subprocess

import pytest

from reception.protocol.wire import MAX_DEVICE_PAYLOAD, MAX_REASON
from tests.hub.test_hub_mqtt import BASE, reply_for, request, tickets_in_db

KIOSK = f"{BASE}/kiosk/kiosk-1"
REQUEST = f"{KIOSK}/ticket/request"
BIG = "x" * 300_000  # a service name over the broker's message limit (it drops the message)
HUGE = b"x" * 1_100_000  # a packet over the broker's packet limit (it drops the connection)
NOW = "2026-12-05T10:00:00+00:00"


def req(**fields) -> bytes:
    return json.dumps({"v": 1, "service": "passport", **fields}).encode()


# (topic, payload, what the hub's log line says)
HOSTILE = [
    (REQUEST, req(id="bad-01", offline_number=""), "field 'offline_number' must not be empty"),
    (REQUEST, req(id="bad-02", offline_number="C901"), "missing field 'issued_at'"),
    (REQUEST, req(id="bad-03", issued_at=NOW), "'issued_at' belongs only to a hand-over"),
    (REQUEST, req(id="bad-04", replaces="r1"), "'replaces' belongs only to a hand-over"),
    (REQUEST, req(id="bad-05", offline_number="C901", issued_at="2026-12-05T10:00:00"), "needs a UTC offset"),
    (REQUEST, req(id="bad-06", offline_number="C901", issued_at="1066-10-14T09:00:00+00:00"), "of this century"),
    (REQUEST, req(id="bad-07", offline_number="C901", issued_at="0001-01-01T00:00:00+14:00"), "of this century"),
    (REQUEST, req(id="bad-08", offline_number="C901", issued_at="yesterday"), "not an ISO 8601 time"),
    (REQUEST, req(id="bad-09", colour="red"), "unknown field 'colour'"),
    (REQUEST, req(id="bad-10", first_visit=1), "field 'first_visit' has the wrong type"),
    (REQUEST, req(id="bad-11", extras="carer"), "field 'extras' has the wrong type"),
    (REQUEST, req(id="bad-12", extras=[{"a": 1}]), "unknown extra need {'a': 1}"),
    (REQUEST, req(id="bad-13", lang="Dansk, tak"), "field 'lang' is malformed"),
    (REQUEST, req(id="bad-14", preference=""), "field 'preference' must not be empty"),
    (REQUEST, req(id="x" * 65), "field 'id' must be 1-64 letters"),
    (REQUEST, req(id="bad 16"), "must be 1-64 letters, digits, '.', '_', ':' or '-': 'bad 16'"),
    (REQUEST, req(id="bad-16\n"), "field 'id' holds control characters: 'bad-16\\n'"),
    (REQUEST, req(id="bad-17", service="pass\u0000port"), "holds control characters"),
    (REQUEST, req(id="bad-18", service="y" * 10_000), f"over the limit of {MAX_DEVICE_PAYLOAD}"),
    (REQUEST, b"[" * 2000 + b"]" * 2000, "nested deeper than"),
    (REQUEST, req(id="bad-20", extras=[[[[[[[[["carer"]]]]]]]]]), "nested deeper than"),
    (REQUEST, b'{"v":1,"id":"bad-21","service":"passport","service":"moving"}', "field 'service' appears twice"),
    (REQUEST, b'{"v":true,"id":"bad-22","service":"passport"}', "unsupported version"),
    (REQUEST, b'{"v":1,"id":"bad-23","service":"passport","first_visit":NaN}', "NaN is not a number"),
    (REQUEST, b"\xff\xfe{}", "not UTF-8"),
    (REQUEST, b"", "not JSON"),
    (f"{BASE}/kiosk/kiosk-99/ticket/request", req(id="bad-26"), "unknown kiosk 'kiosk-99'"),
    (f"{BASE}/kiosk/{'k' * 5000}/ticket/request", req(id="bad-27"), "lacks a valid kiosk id"),
    (f"{KIOSK}/ticket/first_visit", b'{"v":1,"id":"bad-28","number":"C001","first_visit":"yes"}', "wrong type"),
    (f"{KIOSK}/feedback", b'{"v":1,"id":"bad-29","score":5,"tags":["ring me on 12345678"]}', "unknown feedback reason"),
    (f"{KIOSK}/feedback", b'{"v":1,"id":"bad-30","score":1e400}', "out of range"),
    (f"{KIOSK}/feedback", b'{"v":1,"id":"bad-31","score":5,"comment":"Jens was rude"}', "unknown field 'comment'"),
    (f"{KIOSK}/status", b'{"v":1,"printer":"ok","detail":"all fine, call Jens"}', "unknown field 'detail'"),
    (f"{KIOSK}/status", b'{"v":1,"printer":"ok","outbox":-1}', "must not be negative"),
    (f"{KIOSK}/available", b'{"v":1,"status":"sleeping"}', "must be one of online, offline, stopped"),
    (f"{BASE}/board/board-9/available", b'{"v":1,"status":"offline"}', "unknown board 'board-9'"),
    (f"{BASE}/desk/desk-1/toaster/available", b'{"v":1,"status":"offline"}', "unknown desk unit 'toaster'"),
    (f"{BASE}/desk/desk-1/command", b'{"v":1,"id":"bad-37","action":"next","ticket":"C001"}', "does not go with"),
    (f"{BASE}/desk/desk-1/command", b'{"v":1,"id":"bad-38","action":"call","ticket":"C1"}', "not a ticket number"),
    (f"{BASE}/desk/desk-1/command", b'{"v":1,"id":"bad-39","action":"transfer","service":"' + b"s" * 500 + b'"}',
     "longer than 200"),
    (f"{BASE}/desk/desk-99/command", b'{"v":1,"id":"bad-40","action":"next"}', "unknown desk 'desk-99'"),
]


@pytest.fixture
def rec(hub, recorder):
    return recorder(f"{BASE}/#")


def log_lines(hub) -> list[str]:
    return hub.log().splitlines()


def test_each_hostile_message_is_refused_in_one_short_line_and_changes_nothing(hub, broker, rec):
    first = reply_for(rec, request(rec, service="passport"))["ticket"]["number"]
    rec.publish(f"{KIOSK}/status", {"v": 1, "printer": "paper_out", "outbox": 0}, retain=True)
    alerts = lambda: [a for _t, p in rec.messages if _t.endswith("/alerts") for a in [json.loads(p)["alerts"]]]
    rec.wait_for(lambda msgs: alerts() and alerts()[-1])
    before = alerts()[-1]
    published = len(rec.messages)
    for topic, payload, _reason in HOSTILE:
        rec.publish(topic, payload)
    for too_big in (req(id="bad-big", service=BIG), HUGE):  # over the broker's limits: they never reach the hub
        subprocess.run(["mosquitto_pub", "-p", str(broker.port), "-q", "1", "-t", REQUEST, "-s"], input=too_big,
                       capture_output=True, timeout=10)
    marker = request(rec, service="moving")  # handled after every message above
    reply_for(rec, marker)

    log = hub.log()
    for topic, payload, reason in HOSTILE:
        assert reason in log, (topic[:80], payload[:80])
    rejected = [line for line in log_lines(hub) if "rejected message" in line]
    assert len(rejected) == len(HOSTILE)
    assert max(len(line.split(": ", 1)[1]) for line in rejected) <= MAX_REASON
    assert len(log) < 100_000 and "Traceback" not in log and "x" * 100 not in log
    answered = [json.loads(p) for t, p in rec.messages[published:] if t.endswith(("/reply", "/result"))]
    assert [a["id"] for a in answered] == [marker], "a misfit is never answered"
    assert tickets_in_db(hub) == [(first, "waiting", "passport"), ("F001", "waiting", "moving")]
    assert alerts()[-1] == before, "the paper_out alert stands: no misfit changed it"
    assert not any(t.endswith("/calls") for t, _p in rec.messages)


def test_an_answer_never_echoes_more_than_a_short_reason(hub, rec):
    reply = reply_for(rec, request(rec, service="z" * 32))  # a well-formed id that the site does not know
    assert reply == {"v": 1, "id": reply["id"], "ok": False, "error": f"unknown service '{'z' * 32}'"}
    with sqlite3.connect(hub.db_path) as db:
        assert db.execute("select count(*) from tickets").fetchone() == (0,)


def test_a_message_over_the_limit_is_not_sent_but_said(broker, recorder, caplog):
    rec = recorder(f"{BASE}/#")
    info = rec.conn.publish(f"{BASE}/queue", b"x" * 300_000)
    with pytest.raises(RuntimeError, match="Payload too large"):
        info.wait_for_publish(1)
    rec.conn.publish(f"{BASE}/queue", b"y" * 300_000)
    said = [r.getMessage() for r in caplog.records if "not sent" in r.getMessage()]
    assert len(said) == 1 and "300000 bytes" in said[0], "said once, not for every try"
    rec.publish(f"{BASE}/queue", b"fits")
    assert rec.wait_for(lambda msgs: msgs)[0] == (f"{BASE}/queue", b"fits"), "nothing too big was sent"
