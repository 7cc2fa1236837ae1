"""The manager's office panel in a real headless Chromium: queues, desks, alerts and figures as the hub
publishes them, pushed; and the pages' accessibility basics (labels, target sizes, visible focus)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench.web_rig import log_in
from tests.web.test_desk_in_browser import SITE, issue, open_desk

# Every control with a name, at least 24 x 24 CSS pixels (WCAG 2.2, 2.5.8), every field with a label.
A11Y_PROBLEMS = """() => {
  const problems = [];
  for (const node of document.querySelectorAll("a, button, input, select")) {
    const box = node.getBoundingClientRect();
    if (!box.width && !node.closest("dialog")) continue;
    if (box.width && (box.width < 24 || box.height < 24) && !node.matches(".skip")) problems.push(`small: ${node.outerHTML.slice(0, 80)}`);
    const labelled = node.labels && node.labels.length || node.getAttribute("aria-label") || node.textContent.trim();
    if (!labelled && node.type !== "hidden") problems.push(`no name: ${node.outerHTML.slice(0, 80)}`);
  }
  return problems;
}"""


def test_the_office_panel_follows_queues_desks_and_alerts(web, browser, recorder):
    number = issue(recorder, "passport")
    page = browser(1920, 1080)
    log_in(page, web, "mette")
    expect(page).to_have_url(f"{web.url}/office")
    expect(page.locator("#connection")).to_have_attribute("data-up", "true")
    expect(page.locator("#service-rows tr", has_text="Pas")).to_contain_text("1")
    expect(page.locator("#no-alerts")).to_be_visible()
    kiosk = recorder(f"{SITE}/alerts")
    kiosk.publish(f"{SITE}/kiosk/kiosk-1/status", {"v": 1, "printer": "paper_out", "outbox": 0}, retain=True)
    expect(page.locator("#alert-list li")).to_have_text(["kiosk-1: Printeren mangler papir"])
    kiosk.publish(f"{SITE}/desk/desk-1/command", {"v": 1, "id": "desk-1-gpio-0001", "action": "next"})
    row = page.locator("#desk-rows tr[data-desk='desk-1']")
    expect(row).to_contain_text("Åben")
    expect(row).to_contain_text(number)
    expect(page.locator("#call-list li").first).to_contain_text(f"{number} → Skranke 1")
    kiosk.publish(f"{SITE}/kiosk/kiosk-1/status", {"v": 1, "printer": "ok", "outbox": 0}, retain=True)
    expect(page.locator("#no-alerts")).to_be_visible()
    kiosk.publish(f"{SITE}/kiosk/kiosk-2/available", {"v": 1, "status": "offline"}, retain=True)  # its Last Will
    expect(page.locator("#device-list li", has_text="kiosk-2")).to_have_text("kiosk-2: væk (svarer ikke)")
    expect(page.locator("#alert-list li")).to_have_text(["kiosk-2: Enheden er væk"])


@pytest.mark.parametrize("lang", ["da", "en"])
def test_pages_have_named_controls_large_targets_and_a_visible_focus(web, browser, lang):
    manager = browser()
    log_in(manager, web, "mette")
    manager.goto(f"{web.url}/office?lang={lang}")
    assert manager.evaluate(A11Y_PROBLEMS) == []
    assert manager.locator("html").get_attribute("lang") == lang
    desk = open_desk(browser, web, "anna")
    desk.goto(f"{web.url}/desk/desk-1?lang={lang}")
    assert desk.evaluate(A11Y_PROBLEMS) == []
    desk.keyboard.press("Tab")
    desk.keyboard.press("Tab")
    focused = desk.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert float(focused.removesuffix("px")) >= 2
