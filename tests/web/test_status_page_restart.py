"""A phone's page stays honest across a restart of the web service: a ticket finished before it still
says it is done, not "unknown" (the hub's ``status/pages`` lists the day's latest finished tickets)."""
from __future__ import annotations

import time
import urllib.error
import urllib.request

from reception import protocol

BASE = "reception/toender"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def page_once_known(url: str, timeout: float = 15) -> str:
    """The page, once the (restarted) web service has the hub's list: 404 until then."""
    deadline = time.monotonic() + timeout
    while (answer := fetch(url))[0] == 404:
        assert time.monotonic() < deadline, f"still unknown: {answer[1][-300:]}"
        time.sleep(0.2)
    assert answer[0] == 200
    return answer[1]


def test_a_ticket_finished_before_a_restart_of_the_web_service_is_still_done(hub, web, recorder):
    pages, token = recorder(f"{BASE}/status/pages"), protocol.new_token()
    pages.publish(f"{BASE}/kiosk/kiosk-1/ticket/request",
                  {"v": 1, "id": "rs-1", "service": "passport", "lang": "en", "token": token})
    url = f"{web.url}/t/{token}"
    assert 'id="number"' in page_once_known(url)
    pages.publish(f"{BASE}/desk/desk-3/command", {"v": 1, "id": "rs-call", "action": "call", "ticket": "C001"})
    pages.publish(f"{BASE}/desk/desk-3/command", {"v": 1, "id": "rs-done", "action": "done"})
    finished = lambda msgs: msgs and [t.hash for t in protocol.TicketLinks.from_payload(msgs[-1][1]).finished]
    pages.wait_for(lambda msgs: finished(msgs) == [protocol.token_hash(token)])
    assert 'id="done"' in page_once_known(url)

    web.stop()
    web.start()
    body = page_once_known(url)
    assert 'id="done"' in body and "C001" in body and "Thank you for coming" in body, body
