"""The reception workstation in a real headless Chromium: the front desk issues a ticket with the kiosk's
questions and flags, as the site file's kiosk ``front-desk``, and the hub queues it like any other."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from bench.harness import EXAMPLE_CONFIG, HubProcess
from bench.web_rig import WebProcess, log_in
from tests.web.conftest import USERS, open_when_known

SITE = "reception/toender"


@pytest.fixture
def front_desk(broker, tmp_path):
    config = tmp_path / "site.toml"
    config.write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8")
                      + '\n[[kiosks]]\nid = "front-desk"\noffline_numbers = [801, 849]\n', encoding="utf-8")
    hub = HubProcess(broker, tmp_path / "hub.db", config).start()
    web = WebProcess(broker, tmp_path / "web.db", USERS, config, "--kiosk", "front-desk").start()
    yield web
    web.stop()
    hub.stop()
    hub.available.close()


def test_the_front_desk_issues_a_ticket_once_with_the_citizens_flags(front_desk, browser, recorder):
    desk = recorder(f"{SITE}/desk/desk-1/state")
    page = browser()
    log_in(page, front_desk, "anna")
    page.get_by_role("link", name="Reception").click()
    page.get_by_label("C · Pas").check()
    page.get_by_label("Med hjælper").check()
    page.get_by_label("Ja").check()
    page.get_by_label("Borgerens sprog").select_option("uk")
    sent = {name: page.locator(f".ticket-form input[name={name}]").get_attribute("value")
            for name in ("csrf", "request_id", "token")}
    page.get_by_role("button", name="Giv et nummer").click()
    expect(page.locator("#issued-number")).to_have_text("C001")
    expect(page.locator("#status-qr")).to_be_visible()  # the citizen may scan it from the screen
    assert page.locator("#status-url").get_attribute("href") == f"{front_desk.url}/t/{sent['token']}"
    phone = browser(360, 640)
    open_when_known(phone, f"{front_desk.url}/t/{sent['token']}")
    assert phone.locator("#number").inner_text() == "C001" and phone.locator("html").get_attribute("lang") == "uk"
    desk.wait_for(lambda msgs: [s for _t, p in msgs for s in [json.loads(p)]
                                if s["next"] and s["next"][0] == {"number": "C001", "service": "passport",
                                                                  "waited_min": s["next"][0]["waited_min"],
                                                                  "extras": ["carer"]}])
    again = page.request.post(f"{front_desk.url}/reception",  # the same form sent again: the same ticket
                              form={**sent, "service": "passport", "extra_carer": "1", "lang": "uk"})
    assert again.status == 200 and 'id="issued-number">C001<' in again.text()
    assert page.request.post(f"{front_desk.url}/reception", form={"service": "passport"}).status == 403


def test_volunteers_do_not_issue_tickets(front_desk, browser):
    page = browser()
    log_in(page, front_desk, "vera")
    assert page.goto(f"{front_desk.url}/reception").status == 403


def test_without_a_front_desk_kiosk_the_page_says_what_the_site_file_needs(web, browser):
    """Staff read it, not the person who starts the service: it names the kiosk id, not an option."""
    page = browser()
    log_in(page, web, "anna")
    page.goto(f"{web.url}/reception")
    expect(page.locator("main .error")).to_contain_text('"front-desk"')
    expect(page.locator("main .error")).not_to_contain_text("--kiosk")
