"""The QR code on a printed ticket opens the citizen's live status page on a phone (issue 17 §3):
a real kiosk's services print on a Dummy printer, the address is read back from the printer's own
QR command, and a headless Chromium at 360x640 follows the ticket until a desk calls it."""
from __future__ import annotations

import threading
import time

import pytest

from kiosk.flow import Order
from kiosk.services import KioskServices
from reception import protocol
from reception.mqtt import BrokerAddress
from tests.conftest import ROOT
from tests.escpos_bytes import qr_payloads
from tests.web.conftest import open_when_known

SHOTS = ROOT / "docs" / "screenshots"


def printed_ticket(site, broker, tmp_path, monkeypatch, web):
    """A ticket issued and printed by a kiosk's services; the web service's port is the default address's."""
    monkeypatch.setenv("RECEPTION_WEB_PORT", str(web.port))  # no [status_page] base_url: the hub's own address
    services = KioskServices.build(site, "kiosk-1", BrokerAddress(broker.host, broker.port),
                                   state_dir=tmp_path / "kiosk").start()
    deadline = time.monotonic() + 10
    while not services.link.hub_online:
        assert time.monotonic() < deadline, "the hub never came online"
        time.sleep(0.02)
    printed = threading.Event()
    ticket = services.issue(Order("passport", lang="da"), printed=lambda _state: printed.set()).result(10)
    assert printed.wait(10)
    return services, ticket, services.printing.printer.sink.device.output


def test_the_printed_qr_code_opens_the_live_page_which_shows_the_call(site, broker, hub, web, recorder, browser,
                                                                      chromium, tmp_path, monkeypatch):
    links, mqtt = recorder(f"reception/{site.id}/status/pages"), recorder(f"reception/{site.id}/kiosk/kiosk-2/#")
    mqtt.publish(f"reception/{site.id}/desk/desk-1/command", {"v": 1, "id": "qr-open-1", "action": "open"})
    for i in range(2):  # two citizens before ours
        mqtt.publish(f"reception/{site.id}/kiosk/kiosk-2/ticket/request", {"v": 1, "id": f"qr-{i}", "service": "passport"})
    mqtt.wait_for(lambda msgs: sum(t.endswith("/reply") for t, _p in msgs) == 2)
    services, ticket, output = printed_ticket(site, broker, tmp_path, monkeypatch, web)
    try:
        [url] = qr_payloads(output)
        assert url.startswith(f"{web.url}/t/")
        token = url.rsplit("/", 1)[1]
        assert protocol.TOKEN_RE.fullmatch(token) and len(token) >= 22  # 128 bits
        links.wait_for(lambda msgs: any(protocol.token_hash(token) in p.decode() for _t, p in msgs))
        assert not any(token in p.decode() for _t, p in links.messages), "the token itself never crosses the broker"

        phone = browser(360, 640)
        response = open_when_known(phone, url)
        assert response.headers["cache-control"] == "no-store" and "set-cookie" not in response.headers
        assert phone.locator("#number").inner_text() == ticket.number
        phone.locator("#wait").wait_for()
        assert phone.locator("#position").inner_text() == "Du er nummer 3 i køen"
        assert phone.locator("#wait").inner_text().startswith("Forventet ventetid ca. ")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling on a phone"
        phone.screenshot(path=str(SHOTS / "phone-status-360x640-da.png"))

        no_script = chromium.new_context(viewport={"width": 360, "height": 640}, java_script_enabled=False)
        plain = no_script.new_page()
        plain.goto(url)
        refresh = plain.locator("noscript").first.inner_html()
        assert 'http-equiv="refresh"' in refresh, "without JavaScript the page reloads itself"

        mqtt.publish(f"reception/{site.id}/desk/desk-3/command",
                     {"v": 1, "id": "qr-call-1", "action": "call", "ticket": ticket.number})
        turn = phone.locator("#turn")
        turn.wait_for(timeout=10_000)  # pushed to the open page, no reload
        assert turn.inner_text() == "Det er din tur – Skranke 3"
        phone.screenshot(path=str(SHOTS / "phone-status-360x640-da-called.png"))
        plain.reload()
        assert plain.locator("#turn").inner_text() == "Det er din tur – Skranke 3"
        no_script.close()
    finally:
        services.stop()


@pytest.mark.parametrize("token", [protocol.new_token(), "not-a-token!"])
def test_an_unknown_token_gets_a_plain_page(web, browser, token):
    page = browser(360, 640)
    response = page.goto(f"{web.url}/t/{token}")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Billetten kendes ikke"
    assert page.locator("script").count() == 0 and page.locator("#number").count() == 0


def test_a_token_expires_with_its_tickets_day(site, broker, hub, web, recorder, browser, tmp_path, monkeypatch):
    """The hub's ticket of today: today's web service shows it, one whose clock has passed midnight not."""
    from bench.web_rig import WebProcess
    from tests.web.conftest import USERS

    pages, token = recorder(f"reception/{site.id}/status/pages"), protocol.new_token()
    pages.publish(f"reception/{site.id}/kiosk/kiosk-1/ticket/request",
                  {"v": 1, "id": "exp-1", "service": "passport", "token": token})
    pages.wait_for(lambda msgs: any(protocol.token_hash(token) in p.decode() for _t, p in msgs))
    assert open_when_known(browser(360, 640), f"{web.url}/t/{token}").status == 200
    monkeypatch.setenv("RECEPTION_CLOCK", "2026-11-25T00:00:01+01:00")  # the suite's day (2026-11-24) is over
    tomorrow = WebProcess(broker, tmp_path / "web-tomorrow.db", USERS).start()
    try:
        page = browser(360, 640)
        time.sleep(1)  # the retained list reaches the service as it connects
        response = page.goto(f"{tomorrow.url}/t/{token}")
        assert response.status == 404 and page.locator("h1").inner_text() == "Billetten kendes ikke"
    finally:
        tomorrow.stop()
