"""The kiosk's MQTT adapter on a real Mosquitto: same id after a reconnect, bad messages ignored."""
from __future__ import annotations

import json
import threading
import time

from kiosk.hub_link import HubLink
from reception import protocol
from reception.mqtt import BrokerAddress


def test_a_waiting_request_is_sent_again_with_the_same_id_after_the_broker_returns(broker, recorder, site):
    requests = recorder(f"reception/{site.id}/kiosk/kiosk-1/ticket/request")
    link = HubLink(site.id, "kiosk-1", BrokerAddress(broker.host, broker.port)).start()
    assert link.conn.wait_connected(10)
    result = {}
    worker = threading.Thread(target=lambda: result.update(
        reply=link.request(protocol.TicketRequest("req-1", "passport"), timeout=30)))
    worker.start()
    requests.wait_for(lambda msgs: msgs)
    broker.kill()
    broker.start()
    again = recorder(f"reception/{site.id}/kiosk/kiosk-1/ticket/request")  # connects before the link retries
    again.wait_for(lambda msgs: msgs, 30)
    assert {json.loads(p)["id"] for _t, p in requests.messages + again.messages} == {"req-1"}
    ticket = {"number": "C004", "service": "passport", "preference": "any", "ahead": 3, "eta_min": 12,
              "issued_at": "2026-11-25T10:00:00+01:00", "offline": False}
    again.publish(f"reception/{site.id}/kiosk/kiosk-1/ticket/reply", {"v": 1, "id": "req-1", "ok": True,
                                                                        "ticket": ticket})
    worker.join(10)
    assert result["reply"].ticket.number == "C004"
    link.stop()


def eventually(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_hub_availability_board_and_bad_messages(broker, recorder, site):
    link = HubLink(site.id, "kiosk-1", BrokerAddress(broker.host, broker.port)).start()
    pub = recorder()
    pub.publish(f"reception/{site.id}/hub/available", {"v": 1, "status": "online"}, retain=True)
    eventually(lambda: link.hub_online)
    pub.publish(f"reception/{site.id}/hub/available", {"v": 1, "status": "sleeping"})  # not in the contract
    pub.publish(f"reception/{site.id}/board", b"not json")
    pub.publish(f"reception/{site.id}/hub/available", {"v": 1, "status": "offline"})
    eventually(lambda: not link.hub_online)
    assert link.board is None
    link.report(printer="paper_low", outbox=2)
    status = recorder(f"reception/{site.id}/kiosk/kiosk-1/status")
    body = status.wait_for(lambda msgs: [b for _t, p in msgs if p for b in [json.loads(p)]
                                         if b["printer"] != "ok"])[-1]
    assert body == {"v": 1, "printer": "paper_low", "outbox": 2}
    link.stop()


def test_a_request_the_hub_refuses_as_stale_is_issued_offline_and_names_the_request(broker, recorder, site):
    from kiosk.flow import Order
    from kiosk.issuer import TicketIssuer
    from kiosk.outbox import Outbox

    hub = recorder(f"reception/{site.id}/kiosk/kiosk-1/ticket/request")
    hub.publish(f"reception/{site.id}/hub/available", {"v": 1, "status": "online"}, retain=True)
    link = HubLink(site.id, "kiosk-1", BrokerAddress(broker.host, broker.port)).start()
    eventually(lambda: link.hub_online)
    issuer = TicketIssuer(site, "kiosk-1", link, Outbox(None, site.kiosks["kiosk-1"]), reply_timeout=10)
    result = {}
    token = "3q2-7wB1kZ8pN0cXyVfL4g"  # the status page's: the same on the offline ticket that stands in
    worker = threading.Thread(target=lambda: result.update(ticket=issuer.issue(Order("passport", token=token))))
    worker.start()
    asked = json.loads(hub.wait_for(lambda msgs: msgs)[0][1])
    rid = asked["id"]
    assert asked["token"] == token
    started = time.monotonic()
    hub.publish(f"reception/{site.id}/kiosk/kiosk-1/ticket/reply", {"v": 1, "id": rid, "ok": False, "error": "stale"})
    worker.join(10)
    assert time.monotonic() - started < 5, "at once, not after the timeout"
    assert result["ticket"].offline and result["ticket"].number == "C901"
    assert [(p.request.replaces, p.request.token) for p in issuer.outbox.pending()] == [(rid, token)]
    link.stop()
