"""The kiosk's services issue, print and pass on answers on their own worker, with no Kivy app at all."""
from __future__ import annotations

import json
import threading
import time

import pytest

from kiosk.flow import Order
from kiosk.services import KioskServices
from reception.mqtt import BrokerAddress


def printed_states():
    states, done = [], threading.Event()

    def printed(state):
        states.append((state, threading.current_thread().name))
        done.set()
    return states, done, printed


def test_issue_prints_and_passes_on_the_first_visit_from_the_worker(broker, hub, recorder, site, tmp_path):
    first_visits = recorder(f"reception/{site.id}/kiosk/kiosk-1/ticket/first_visit")
    services = KioskServices.build(site, "kiosk-1", BrokerAddress(broker.host, broker.port),
                                   state_dir=tmp_path / "kiosk").start()
    assert services.link.conn.wait_connected(10)
    deadline = time.monotonic() + 10
    while not services.link.hub_online:
        assert time.monotonic() < deadline, "the hub never came online"
        time.sleep(0.02)
    states, done, printed = printed_states()
    ticket = services.issue(Order("passport", lang="en"), lambda t: states.append(("issued", t.number)),
                            printed).result(10)
    assert ticket.number.startswith("C") and int(ticket.number[1:]) < 900 and not ticket.offline
    assert done.wait(10) and states == [("issued", ticket.number), ("ok", "ticket-printer")]  # always in this order
    output = services.printing.printer.sink.device.output
    assert ticket.number.encode() in output and b"You will be called on the screen" in output
    refused = []
    assert services.issue(Order("no_such_service"), refused.append).result(10) is None  # the hub says no
    assert refused == [None] and services.printing.printer.sink.device.output == output  # nothing printed
    services.first_visit(ticket, True).result(10)
    body = json.loads(first_visits.wait_for(lambda msgs: msgs)[0][1])
    assert (body["number"], body["first_visit"]) == (ticket.number, True)
    services.stop()
    with pytest.raises(RuntimeError):  # stopped: the worker takes no more work
        services.issue(Order("passport"))


def test_without_a_hub_the_worker_issues_from_the_kiosk_s_own_range(site, tmp_path):
    services = KioskServices.build(site, "kiosk-1", BrokerAddress("127.0.0.1", 9),  # nothing listens there
                                   state_dir=tmp_path / "kiosk").start()
    states, done, printed = printed_states()
    issued = [services.issue(Order("passport"), printed=printed), services.issue(Order("mitid_learn", "staff"))]
    assert [future.result(10).number for future in issued] == ["C901", "A901"]  # in the order asked
    assert issued[0].result().offline and len(services.outbox) == 2
    assert done.wait(10) and states[0][0] == "ok"
    assert "Ventetiden kendes ikke lige nu" in services.printing.printer.sink.device.output.decode("cp865")
    services.stop()
